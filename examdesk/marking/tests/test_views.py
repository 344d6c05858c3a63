from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from examdesk.audit.models import AuditEvent
from examdesk.centres.models import Role
from examdesk.core.tests.factories import member
from examdesk.marking import services
from examdesk.marking.models import ItemMark
from examdesk.marking.tests.fixtures import alter, on_commit, right_answers, start, submit
from examdesk.player.response_code import encode

pytestmark = pytest.mark.django_db


def _progress(client, w):
    return client.get(reverse("centres:sittings:detail", args=[w.centre.number, w.sitting.pk])).content.decode()


def test_progress_page_shows_marking_then_completed_with_percentage_and_sections(client, marking_world, monkeypatch):
    w = marking_world
    client.force_login(w.staff)
    assert "No candidate has submitted a section yet." in _progress(client, w)
    monkeypatch.setattr(services, "_enqueue", lambda pk: None)  # the worker has not run yet
    submit(w.attempt, w.reading, right_answers(w)["reading"])
    submit(w.attempt, w.listening, {w.items["numeric"]: "3,5"})
    page = _progress(client, w)
    assert "Reading: marking" in page and "Listening: marking" in page
    assert ">Marking</span>" in page
    monkeypatch.undo()
    with on_commit():
        client.post(reverse("centres:marking:mark_again", args=[w.centre.number, w.sitting.pk, w.attempt.pk]))
    page = _progress(client, w)
    assert ">Completed</span>" in page
    assert "Reading: 3 out of 3" in page and "Listening: 1 out of 2" in page
    assert "4 out of 5 (80%)" in page
    assert AuditEvent.objects.filter(action=services.ACTION_MARK_AGAIN).count() == 1


def test_an_error_is_shown_with_mark_again(client, marking_world, monkeypatch):
    w = marking_world
    client.force_login(w.staff)
    monkeypatch.setattr(services, "section_answers", lambda row: 1 / 0)
    with pytest.raises(Exception):  # noqa: B017 (the eager task's retry)
        submit(w.attempt, w.reading, right_answers(w)["reading"])
    page = _progress(client, w)
    assert "Marking failed: ZeroDivisionError: division by zero" in page
    assert "Mark again" in page


def test_override_through_the_pages(client, marking_world):
    w = marking_world
    client.force_login(w.staff)
    submit(w.attempt, w.reading, right_answers(w)["reading"])
    submit(w.attempt, w.listening, {w.items["short_text"]: "colur", w.items["numeric"]: "3.5"})
    mark = ItemMark.objects.get(item=w.items["short_text"], attempt_section__attempt=w.attempt)
    url = reverse("centres:marking:override", args=[w.centre.number, w.sitting.pk, w.attempt.pk, mark.pk])
    page = client.post(url, {"awarded": "1", "reason": ""}).content.decode()
    assert "There is a problem" in page
    page = client.post(url, {"awarded": "3", "reason": "x"}).content.decode()
    assert "Enter a mark from 0 to 1" in page
    response = client.post(url, {"awarded": "1", "reason": "Spelling accepted"})
    assert response.status_code == 302
    marks_page = client.get(response["Location"]).content.decode()
    assert "Spelling accepted" in marks_page
    assert "5 out of 5 (100%)" in _progress(client, w)


def test_response_code_pasted_and_uploaded(client, marking_world):
    w = marking_world
    client.force_login(w.staff)
    row = start(w.attempt, w.reading)
    code = encode(
        attempt_id=row.attempt_id,
        section_id=row.section_id,
        token=row.token,
        answers={item.pk: a for item, a in right_answers(w)["reading"].items()},
        sequence=2,
    )
    url = reverse("centres:marking:response_code", args=[w.centre.number, w.sitting.pk])
    assert client.get(url).status_code == 200
    page = client.post(url, {"code": ""}).content.decode()
    assert "Paste the response code or choose the file" in page
    with on_commit():
        response = client.post(url, {"code": code})
    page = client.get(response["Location"]).content.decode()
    assert "Response code received" in page and "Reading: 3 out of 3" in page
    upload = SimpleUploadedFile("response-code.txt", code.encode(), content_type="text/plain")
    page = client.post(url, {"file": upload}, follow=True).content.decode()
    assert "already received" in page
    page = client.post(url, {"code": alter(code)}).content.decode()
    assert "Refused: The code was mistyped or changed" in page


def test_viewers_and_other_centres_cannot_use_the_staff_actions(client, marking_world):
    w = marking_world
    viewer = member(w.centre, Role.VIEWER)
    client.force_login(viewer)
    url = reverse("centres:marking:response_code", args=[w.centre.number, w.sitting.pk])
    assert client.get(url).status_code in (403, 404)
    assert "Enter a response code" not in _progress(client, w)
