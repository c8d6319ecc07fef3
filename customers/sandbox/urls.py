from django.urls import re_path

from . import views

app_name = "sandbox"

# One view routes every path itself (api.respond), so the in-process transport, which skips
# Django's URL resolver, answers exactly as HTTP does, unknown paths included.
urlpatterns = [
    re_path(r"^(?P<path>.*)$", views.api, name="api"),
]
