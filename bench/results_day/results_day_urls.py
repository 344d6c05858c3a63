"""The product's URLs and /bench/ping/: a constant small page through the whole middleware stack."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from config.urls import handler403, handler404, handler500
from config.urls import urlpatterns as product_urls

PAGE = "<!doctype html><html lang=en><meta charset=utf-8><title>ping</title><p>" + "ok " * 40 + "</p></html>"


def ping(request: HttpRequest) -> HttpResponse:
    return HttpResponse(PAGE)


urlpatterns = [path("bench/ping/", ping), *product_urls]
__all__ = ["handler403", "handler404", "handler500", "urlpatterns"]
