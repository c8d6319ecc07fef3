from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.decorators.cache import cache_page
from django.views.i18n import JavaScriptCatalog

from customers.accounts import language
from customers.accounts import views as accounts

# Only the account pages the product has: no self-service password reset (staff accounts are
# managed in the admin, and the site sends no mail).
account_pages = [
    path("login/", accounts.LoginView.as_view(), name="login"),
    path("logout/", accounts.LogoutView.as_view(), name="logout"),
    # The company's identity provider (OpenID Connect): 404 while OIDC_ISSUER is unset.
    path("oidc/start/", accounts.CompanySignInView.as_view(), name="oidc_start"),
    path("oidc/callback/", accounts.company_callback, name="oidc_callback"),
    path("password_change/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "password_change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
]

urlpatterns = [
    path("accounts/", include(account_pages)),
    # The language picker's form (POST, CSRF-checked), kept for a signed-in user.
    path("i18n/setlang/", language.set_language, name="set_language"),
    # The JavaScript catalogue our scripts' gettext() reads, per language; cached per language
    # and release (docs/languages.md). Same origin: the content security policy allows it.
    path(
        "i18n/js/",
        cache_page(24 * 60 * 60, key_prefix=language.catalogue_version())(
            login_not_required(JavaScriptCatalog.as_view())
        ),
        name="javascript-catalog",
    ),
    # One sign-in and sign-out for the whole site, audited: the admin's own lead to the same.
    path("admin/login/", accounts.LoginView.as_view()),
    path("admin/logout/", accounts.LogoutView.as_view()),
    path("admin/", admin.site.urls),
    # The sandbox answers 404 itself when SANDBOX_ENABLED is off, so settings are read per request.
    path("sandbox/", include("customers.sandbox.urls")),
    path("", include("customers.urls")),
]

# The 500 page names the request id the error was logged under (the 404 page is a template); a
# refusal raised outside the audited path gets the same 403 page as one inside it.
handler500 = "customers.lookup.views.server_error"
handler403 = "customers.audit.audited.permission_denied"
