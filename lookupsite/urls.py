from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from customers import views

# Only the account pages the product has: no self-service password reset (staff accounts are
# managed in the admin, and the site sends no mail).
accounts = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password_change/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "password_change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
]

urlpatterns = [
    path("accounts/", include(accounts)),
    path("admin/", admin.site.urls),
    # The sandbox answers 404 itself when SANDBOX_ENABLED is off, so settings are read per request.
    path("sandbox/", include("customers.sandbox.urls")),
    path("", include("customers.urls")),
]

# The 500 page names the request id the error was logged under (404 and 403 pages are templates).
handler500 = "customers.views.server_error"
