from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def search(request: HttpRequest) -> HttpResponse:
    return render(request, "customers/search.html", {"title": "Find a member"})


def lookup(request: HttpRequest) -> HttpResponse:
    raise NotImplementedError


def overview(request: HttpRequest, customer_id: str) -> HttpResponse:
    raise NotImplementedError
