"""The product's URLs and the bench's two page ceilings, each a constant small page through the whole middleware
stack:

- /bench/ping/: for anyone (no session read, no user): the anonymous minimal view, kept as information;
- /bench/signed-in/: behind the same authentication, session backend, middleware and decorators as the
  candidate's result page (examdesk.results.online.views.entry_detail), doing nothing else: the page ceiling.
"""

from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from config.urls import handler403, handler404, handler500
from config.urls import urlpatterns as product_urls
from examdesk.results.online.views import candidate_required

PAGE = "<!doctype html><html lang=en><meta charset=utf-8><title>ping</title><p>" + "ok " * 40 + "</p></html>"


def ping(request: HttpRequest) -> HttpResponse:
    return HttpResponse(PAGE)


@never_cache
@candidate_required
@require_GET
def signed_in(request: HttpRequest) -> HttpResponse:
    return HttpResponse(PAGE)


urlpatterns = [path("bench/ping/", ping), path("bench/signed-in/", signed_in), *product_urls]
__all__ = ["handler403", "handler404", "handler500", "urlpatterns"]
