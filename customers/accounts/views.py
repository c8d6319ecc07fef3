"""Signing in and out: the sign-in page (the company's sign-in first when configured, then local
passwords), the company sign-in's two views, and sign-out.

Every sign-in, failed sign-in and sign-out is one audit entry, written here, whichever way it
went (`accounts.oidc` adds the role changes). The admin's own login and logout URLs lead here
too (lookupsite/urls.py), so there is one sign-in for the whole site. How failed passwords are
throttled is the authentication backend's business (accounts/backends.py), not this module's.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.urls import resolve, reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from mozilla_django_oidc.views import OIDCAuthenticationRequestView

from customers.accounts import demo, expiry, oidc
from customers.audit.models import AuditEntry, Outcome
from customers.lookup.views import CONFIRM

# How the audit trail names signing in with a password of this app.
LOCAL = "local password"
# LOCAL_LOGIN's values: every user may use a local password, or only superusers (break-glass).
ALL = "all"
ADMINS_ONLY = "admins-only"
LOCAL_LOGIN_VALUES = (ALL, ADMINS_ONLY)

# A failed password sign-in's error codes -> (audit outcome, why). Codes not listed (another
# throttle's, a missing field's) are audited as invalid with their code.
FAILED_PASSWORD: dict[str, tuple[str, str]] = {
    "invalid_login": (Outcome.INVALID, "wrong username or password"),
    "inactive": (Outcome.FORBIDDEN, "the account is disabled"),
    "throttled": (Outcome.RATE_LIMITED, "too many failed sign-ins"),
    "admins_only": (Outcome.FORBIDDEN, "local passwords are for administrators only"),
    "demo_account": (Outcome.FORBIDDEN, "a demo account with DEBUG off"),
}


def confirm_lookup(url: str) -> str:
    """A lookup that signing in returns to opens the search filled in instead of running
    (CONFIRM), and a member's page asks first (platform.middleware's MemberLinkConfirm), since
    the link that led to the sign-in may have come from another site."""
    parts = urlsplit(url)
    if parts.path != reverse("customers:lookup") and not _member_page(parts.path):
        return url
    query = f"{parts.query}&{CONFIRM}=1" if parts.query else f"{CONFIRM}=1"
    return f"{parts.path}?{query}"


def _member_page(path: str) -> bool:
    try:
        match = resolve(path)
    except Http404:
        return False
    return match.namespace == "customers" and "customer_id" in match.kwargs


def signed_in_by(request: HttpRequest) -> str:
    """How the session's user signed in: the company sign-in or a password."""
    return oidc.METHOD if request.session.get(BACKEND_SESSION_KEY) == oidc.BACKEND else LOCAL


class LocalSignInForm(AuthenticationForm):
    """Django's sign-in form; with LOCAL_LOGIN=admins-only a local password signs in
    superusers only (checked after the password, so it tells nobody who is an administrator)."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "admins_only": gettext_lazy(
            "Local passwords are for administrators only. Sign in with your company account."
        ),
        "demo_account": gettext_lazy(
            "This is a demo account, whose password is published: it cannot sign in here. "
            "Ask an administrator for an account of your own."
        ),
    }

    def confirm_login_allowed(self, user: User) -> None:
        super().confirm_login_allowed(user)
        password = self.cleaned_data.get("password") or ""
        if not demo.allowed() and demo.is_demo_sign_in(user.get_username(), password):
            raise ValidationError(self.error_messages["demo_account"], code="demo_account")
        if settings.LOCAL_LOGIN == ADMINS_ONLY and not user.is_superuser:
            raise ValidationError(self.error_messages["admins_only"], code="admins_only")


class LoginView(auth_views.LoginView):
    """The sign-in page: the company's sign-in first when configured, then a local password.

    Both ways return to `next`; a lookup it returns to opens the search filled in instead of
    running (confirm_lookup).
    """

    form_class = LocalSignInForm
    extra_context = {"title": gettext_lazy("Log in")}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        if oidc.enabled():
            next_url = self.get_redirect_url()
            query = f"?{urlencode({'next': next_url})}" if next_url else ""
            context["company_sign_in_url"] = reverse("oidc_start") + query
            context["company_sign_in_name"] = settings.OIDC_PROVIDER_NAME
        context["local_login"] = settings.LOCAL_LOGIN
        if expiry.expired(self.request):
            context["session_expired"] = True
            context["search_kept"] = urlsplit(self.get_redirect_url()).path == reverse(
                "customers:lookup"
            )
            context["idle_minutes"] = max(1, settings.SESSION_COOKIE_AGE // 60)
        return context

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_valid(form)
        AuditEntry.objects.log_sign_in(self.request, method=LOCAL)
        return response

    def form_invalid(self, form: AuthenticationForm) -> HttpResponse:
        codes = [
            error.code or "invalid"
            for errors in form.errors.as_data().values()
            for error in errors
        ]
        code = next((c for c in codes if c in FAILED_PASSWORD), codes[0] if codes else "invalid")
        outcome, why = FAILED_PASSWORD.get(code, (Outcome.INVALID, code))
        AuditEntry.objects.log_sign_in_failed(
            self.request,
            method=LOCAL,
            username=str(form.data.get("username", "")),
            outcome=outcome,
            why=why,
        )
        return super().form_invalid(form)

    def get_success_url(self) -> str:
        return confirm_lookup(super().get_success_url())


class LogoutView(auth_views.LogoutView):
    """Signs out of the app and, after a company sign-in, of the provider too (RP-initiated
    logout), which comes back to the sign-in page."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        method = signed_in_by(request)
        id_token = request.session.get(oidc.ID_TOKEN, "")
        if request.user.is_authenticated:
            AuditEntry.objects.log_sign_out(request, method=method)
        response = super().post(request, *args, **kwargs)
        end_session = (
            oidc.end_session_url(request, id_token)
            if method == oidc.METHOD and oidc.enabled()
            else None
        )
        return HttpResponseRedirect(end_session) if end_session else response


@method_decorator([login_not_required, never_cache], name="dispatch")
class CompanySignInView(OIDCAuthenticationRequestView):
    """Sends the browser to the provider's sign-in page; state, nonce and PKCE verifier wait
    in the session for the callback, with the page to return to (`next`)."""

    def __init__(self, **kwargs: Any) -> None:
        # Not the library's: it reads the endpoint from settings, ours comes from discovery.
        View.__init__(self, **kwargs)
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID

    def get(self, request: HttpRequest) -> HttpResponse:
        if not oidc.enabled():
            raise Http404(_("The company sign-in is not configured."))
        try:
            self.OIDC_OP_AUTH_ENDPOINT = oidc.provider().authorization_endpoint
        except oidc.SignInFailed as failure:
            return company_sign_in_failed(request, failure)
        response: HttpResponse = super().get(request)
        return response


@login_not_required
@never_cache
@require_GET
def company_callback(request: HttpRequest) -> HttpResponse:
    """Where the provider sends the browser back: sign the user in, or say why not."""
    if not oidc.enabled():
        raise Http404(_("The company sign-in is not configured."))
    next_url = request.session.pop(oidc.NEXT, None) or resolve_url(settings.LOGIN_REDIRECT_URL)
    try:
        user = oidc.user_from_callback(request)
    except oidc.SignInFailed as failure:
        return company_sign_in_failed(request, failure)
    login(request, user, backend=oidc.BACKEND)
    AuditEntry.objects.log_sign_in(request, method=oidc.METHOD)
    return redirect(confirm_lookup(next_url))


def company_sign_in_failed(request: HttpRequest, failure: oidc.SignInFailed) -> HttpResponse:
    """The page that says why the company sign-in did not sign anyone in, and its audit entry."""
    AuditEntry.objects.log_sign_in_failed(
        request,
        method=oidc.METHOD,
        username=failure.username,
        outcome=failure.outcome,
        why=failure.why,
    )
    oidc.logger.warning(
        "company sign-in failed: %s request_id=%s",
        failure.why,
        getattr(request, "request_id", "-"),
    )
    context = {"failure": failure, "title": failure.heading, "local_login": settings.LOCAL_LOGIN}
    return render(request, "registration/sign_in_failed.html", context, status=failure.status_code)
