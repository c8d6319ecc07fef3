from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    # The sandbox answers 404 itself when SANDBOX_ENABLED is off, so settings are read per request.
    path("sandbox/", include("customers.sandbox.urls")),
    path("", include("customers.urls")),
]
