"""The auditor's pages, in the admin: the overview, the signals and a page per staff member.

They show the audit trail's own figures (counts, usernames, customer ids and masked
identifiers), as the audit list does, to auditors only (`roles.may_see_all_audit`) with staff
status. Anyone else signed in gets the 403 page, not the admin's sign-in form.
"""

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from customers.accounts.roles import VIEW_ALL_AUDIT, may_see_all_audit
from customers.audit.models import NO_USERNAME, AuditEntry
from customers.errors import PermissionRefused, StaffOnly
from customers.insights import figures as insights
from customers.insights.figures import Insights
from customers.insights.rollup import Window
from customers.insights.values import Staff, audit_list_url

# The longest name the trail keeps (AuditEntry.username).
USERNAME_LENGTH = 150
# The staff page lists this many of the member of staff's latest entries.
STAFF_LATEST = 50


def auditor_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Auditors with staff status only; the 403 page for anyone else."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        user = request.user
        if not may_see_all_audit(user):
            raise PermissionRefused(VIEW_ALL_AUDIT)
        if not user.is_staff:
            # The figures link into the admin's audit list, which needs staff status.
            raise StaffOnly
        return view(request, *args, **kwargs)

    return never_cache(require_GET(wrapped))


def _window(request: HttpRequest, default: int) -> Window:
    """The period the page shows: ?days= one of insights.PERIODS, else `default`."""
    typed = request.GET.get("days", "")
    days = int(typed) if typed.isdecimal() and int(typed) in insights.PERIODS else default
    return Window.last_days(days)


def _page(
    request: HttpRequest, template: str, title: str, window: Window, **context: object
) -> HttpResponse:
    return render(
        request,
        template,
        {
            **admin.site.each_context(request),
            "title": title,
            "opts": AuditEntry._meta,
            "window": window,
            "window_days": len(window),
            "periods": insights.PERIODS,
            "zone": settings.TIME_ZONE,
            "linked": True,
            **context,
        },
    )


@auditor_only
def overview(request: HttpRequest) -> HttpResponse:
    window = _window(request, insights.OVERVIEW_DAYS)
    return _page(
        request,
        "admin/customers/auditentry/overview.html",
        _("Audit overview"),
        window,
        **Insights(window).overview(),
    )


@auditor_only
def signals(request: HttpRequest) -> HttpResponse:
    window = _window(request, insights.SIGNAL_DAYS)
    return _page(
        request,
        "admin/customers/auditentry/signals.html",
        _("Signals worth a look"),
        window,
        signals=Insights(window).signals(),
    )


@auditor_only
def staff(request: HttpRequest, username: str) -> HttpResponse:
    if len(username) > USERNAME_LENGTH or any(ord(char) < 32 for char in username):
        # No entry or account has such a name (and PostgreSQL refuses a NUL byte in text).
        raise Http404(_("No such member of staff in the audit trail."))
    # Any name a refused sign-in typed has a page (a slash too); the placeholder's shows the
    # older refusals written with an empty name as well.
    names = [username, ""] if username == NO_USERNAME else [username]
    latest = list(AuditEntry.objects.filter(username__in=names)[:STAFF_LATEST])
    if not latest and not get_user_model().objects.filter(username=username).exists():
        raise Http404(_("No such member of staff in the audit trail."))
    window = _window(request, insights.OVERVIEW_DAYS)
    figures = Insights(window)
    member = figures.staff(username)
    if member.user_pk is None:
        account = get_user_model().objects.filter(username=username).first()
        member = Staff(username, account.pk if account else None)
    return _page(
        request,
        "admin/customers/auditentry/staff.html",
        # Translators: the page of one member of staff; %(username)s is their sign-in name.
        _("Staff member: %(username)s") % {"username": username},
        window,
        member=member,
        role=figures.role(username),
        usual_day=figures.usual_day(username),
        flagged=[signal for signal in figures.signals(username) if signal.findings],
        charts=figures.charts(staff=member),
        page=Paginator(latest, STAFF_LATEST).get_page(1),
        latest=STAFF_LATEST,
        all_entries_url=audit_list_url(staff=member),
    )
