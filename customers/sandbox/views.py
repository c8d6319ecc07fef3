import time

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt

from .api import enabled, latency_seconds, respond


@csrf_exempt
@login_not_required
def api(request: HttpRequest, path: str) -> HttpResponse:
    """Every sandbox endpoint: Capillary's clients authenticate per call, not by session."""
    if not enabled():
        raise Http404("The sandbox is switched off.")
    time.sleep(latency_seconds())
    status, headers, body = respond(
        request.method or "GET",
        "/" + path,
        request.GET.dict(),
        dict(request.headers),
        request.body,
    )
    response = HttpResponse(body, status=status)
    for name, value in headers.items():
        response[name] = value
    return response
