from django.urls import path

from customers.lookup import views
from customers.platform import health

app_name = "customers"

urlpatterns = [
    path("", views.search, name="search"),
    path("healthz", health.healthz, name="healthz"),
    path("metrics", health.metrics_view, name="metrics"),
    path("lookup/", views.lookup, name="lookup"),
    path("my-lookups/", views.my_lookups, name="my_lookups"),
    path("customers/<int:customer_id>/", views.overview, name="overview"),
    path("customers/<int:customer_id>/programs/", views.programs, name="programs"),
    path("customers/<int:customer_id>/cards/", views.cards, name="cards"),
    path("customers/<int:customer_id>/currencies/", views.currencies, name="currencies"),
    path("customers/<int:customer_id>/tiers/", views.tiers, name="tiers"),
    path("customers/<int:customer_id>/profile/", views.profile, name="profile"),
    path("customers/<int:customer_id>/raw/", views.raw, name="raw"),
    path("customers/<int:customer_id>/refresh/", views.refresh, name="refresh"),
    path("customers/<int:customer_id>/reveal/", views.reveal, name="reveal"),
    path("customers/<int:customer_id>/history/", views.history, name="history"),
]
