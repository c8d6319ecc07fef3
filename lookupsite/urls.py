from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

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
