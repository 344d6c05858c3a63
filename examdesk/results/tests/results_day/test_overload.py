"""Overload: beyond the in-flight limit a request gets a quick 503 with Retry-After, and nothing is lost."""

from __future__ import annotations

import threading

import pytest
from django.http import HttpResponse
from django.test import Client, RequestFactory, override_settings

from examdesk.core.management.commands.serve import gunicorn_command
from examdesk.core.overload import InFlightLimitMiddleware
from examdesk.results.tests.online.helpers import registered, registrant
from examdesk.results.tests.results_day.test_release_second import RELEASE


def _blocking_view(started: threading.Event, release: threading.Event):
    def view(request):
        started.set()
        release.wait(5)
        return HttpResponse("done")

    return view


@override_settings(EXAMDESK_MAX_IN_FLIGHT=1, EXAMDESK_RETRY_AFTER_SECONDS=7)
def test_a_request_beyond_the_limit_gets_a_quick_503_and_the_admitted_one_finishes():
    started, release = threading.Event(), threading.Event()
    middleware = InFlightLimitMiddleware(_blocking_view(started, release))
    answers: list[HttpResponse] = []
    first = threading.Thread(target=lambda: answers.append(middleware(RequestFactory().get("/results/"))))
    first.start()
    assert started.wait(5)
    shed = middleware(RequestFactory().get("/results/"))
    assert shed.status_code == 503 and shed["Retry-After"] == "7"
    assert "try again in 7 seconds" in shed.content.decode()
    release.set()
    first.join(5)
    assert answers[0].status_code == 200
    # Once the admitted request is done, the next one is served.
    release.set()
    assert middleware(RequestFactory().get("/results/")).status_code == 200


def test_without_a_limit_every_request_runs():
    started, release = threading.Event(), threading.Event()
    release.set()
    middleware = InFlightLimitMiddleware(_blocking_view(started, release))
    assert middleware.limit == 0
    assert middleware(RequestFactory().get("/")).status_code == 200


@pytest.mark.django_db
def test_a_shed_request_keeps_the_session(settings, monkeypatch):
    person = registrant(released_at=RELEASE)
    browser = Client()
    browser.force_login(registered(person))
    url = f"/results/entries/{person.entry.pk}/"
    assert browser.get(url).status_code == 200
    settings.EXAMDESK_MAX_IN_FLIGHT = 1
    original = InFlightLimitMiddleware.__call__

    def all_slots_taken(self, request):
        self.in_flight = self.limit
        return original(self, request)

    monkeypatch.setattr(InFlightLimitMiddleware, "__call__", all_slots_taken)
    busy = Client()  # a new client builds its middleware now, with the limit
    busy.cookies = browser.cookies
    shed = busy.get(url)
    assert shed.status_code == 503 and shed["Retry-After"] == "5"
    assert browser.get(url).status_code == 200  # still signed in


def test_serve_uses_threaded_workers_with_a_backlog_and_timeout():
    command = gunicorn_command(bind="127.0.0.1:8000", workers=3, threads=8, backlog=2048, timeout=30)
    text = " ".join(command)
    assert "--workers 3" in text and "--backlog 2048" in text and "--timeout 30" in text
    assert "--worker-class gthread --threads 8" in text
    assert "--worker-class" not in gunicorn_command(bind="x:1", workers=2, threads=1, backlog=64, timeout=30)
