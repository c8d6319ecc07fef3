from django.urls import path

from . import views

app_name = "customers"

urlpatterns = [
    path("", views.search, name="search"),
    path("lookup/", views.lookup, name="lookup"),
    path("customers/<str:customer_id>/", views.overview, name="overview"),
]
