from __future__ import annotations

import json
import threading
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test import Client

from examdesk.catalogue.models import Item
from examdesk.player import sections as play
from examdesk.player.models import Response
from examdesk.player.selectors import SESSION_KEY
from examdesk.player.tests.support import demo_attempt
from examdesk.sittings.models import Attempt, AttemptSection, Sitting
from examdesk.sittings.services import attempt_start

pytestmark = pytest.mark.django_db
NOW = datetime(2027, 3, 2, 9, 0, tzinfo=UTC)
API = "/code/player/api/"


@pytest.fixture
def attempt():
    with time_machine.travel(NOW, tick=False):
        return demo_attempt(date(2027, 3, 1), date(2027, 3, 5), date(2027, 12, 31))


class Recorder:
    """A client of the player's API that keeps every JSON body it received."""

    def __init__(self, attempt: Attempt) -> None:
        self.client = Client(enforce_csrf_checks=True)
        self.seen: list[object] = []
        with time_machine.travel(NOW, tick=False):
            attempt_start(attempt=attempt)
            session = self.client.session
            session[SESSION_KEY] = attempt.pk
            session.save()
            page = self.client.get("/code/player/")
        assert page.status_code == 200
        self.csrf = str(page.context["csrf_token"])

    def get(self, path: str, status: int = 200):
        response = self.client.get(API + path)
        assert response.status_code == status, response.content
        if response["Content-Type"].startswith("application/json"):
            self.seen.append(response.json())
            return response.json()
        return response

    def post(self, path: str, body: object | None = None, status: int = 200):
        response = self.client.post(
            API + path, json.dumps(body or {}), content_type="application/json", HTTP_X_CSRFTOKEN=self.csrf
        )
        assert response.status_code == status, response.content
        self.seen.append(response.json())
        return response.json()


def sections_of(attempt):
    return list(attempt.sections.select_related("section").order_by("section__position"))


def items_of(row: AttemptSection) -> list[Item]:
    return list(Item.objects.filter(section=row.section).order_by("position"))


ANSWER_FOR = {
    "single": lambda item: item.options[0]["id"],
    "multiple": lambda item: [item.options[0]["id"]],
    "short_text": lambda item: "sunflowers",
    "numeric": lambda item: "18",
}


FORBIDDEN = {"key", "keys", "marks", "mark", "tolerance", "accepted", "correct", "score"}


def keys_and_marks_absent(value: object) -> None:
    """No object anywhere in the body has a field that could carry a key or marks."""
    if isinstance(value, dict):
        assert not FORBIDDEN & set(value), value
        for inner in value.values():
            keys_and_marks_absent(inner)
    elif isinstance(value, list):
        for inner in value:
            keys_and_marks_absent(inner)


def test_a_full_run_never_sends_a_key_or_marks(attempt):
    api = Recorder(attempt)
    with time_machine.travel(NOW, tick=False) as clock:
        state = api.get("state/")
        assert [s["state"] for s in state["sections"]] == ["not_started", "not_started"]
        assert state["current"] == state["sections"][0]["id"]
        for row in sections_of(attempt):
            started = api.post(f"sections/{row.section_id}/start/")
            assert len(started["token"]) == 20 and started["answers"] == {} and started["time_left"] > 0
            content = api.get(f"sections/{row.section_id}/items/")
            assert {frozenset(i) for i in content["items"]} == {
                frozenset({"id", "kind", "prompt", "options", "uses_audio"})
            }
            for seq, item in enumerate(items_of(row), start=1):
                clock.shift(timedelta(seconds=10))
                answer = ANSWER_FOR[item.kind](item)
                api.post(f"sections/{row.section_id}/save/", {"item": item.pk, "answer": answer, "seq": seq})
            api.post(f"sections/{row.section_id}/heartbeat/")
            done = api.post(f"sections/{row.section_id}/submit/", {"answers": [], "seq": 99})
            assert done["state"] == "done"
        assert done["finished"] is True
        api.get("state/", status=409)
    assert len(api.seen) >= 20
    for body in api.seen:
        keys_and_marks_absent(body)
    attempt.refresh_from_db()
    assert attempt.state == "marking"
    assert Response.objects.filter(attempt_section__attempt=attempt).count() == 10


def test_saves_are_idempotent_and_ordered(attempt):
    api = Recorder(attempt)
    row = sections_of(attempt)[0]
    item = items_of(row)[4]  # short text
    save = f"sections/{row.section_id}/save/"
    with time_machine.travel(NOW, tick=False):
        api.post(f"sections/{row.section_id}/start/")
        assert api.post(save, {"item": item.pk, "answer": "sun", "seq": 2})["changed"]
        assert not api.post(save, {"item": item.pk, "answer": "sun", "seq": 2})["changed"]
        assert not api.post(save, {"item": item.pk, "answer": "s", "seq": 1})["changed"]
        assert api.post(save, {"item": item.pk, "answer": "sunflowers", "seq": 3})["changed"]
        assert not api.post(save, {"item": item.pk, "answer": "sun", "seq": 2})["changed"]
        stored = Response.objects.get(attempt_section__attempt=attempt, item=item)
        assert (stored.answer, stored.seq) == ("sunflowers", 3)
        # Resuming gives the answers back with the highest sequence number.
        again = api.post(f"sections/{row.section_id}/start/")
        assert again["answers"] == {str(item.pk): {"answer": "sunflowers", "seq": 3}} and again["seq"] == 3
        # An answer that does not fit the question, or a question of another section, is refused.
        single = items_of(row)[0]
        api.post(f"sections/{row.section_id}/save/", {"item": single.pk, "answer": "z", "seq": 4}, status=400)
        other = items_of(sections_of(attempt)[1])[0]
        api.post(f"sections/{row.section_id}/save/", {"item": other.pk, "answer": "a", "seq": 5}, status=400)
        api.post(f"sections/{row.section_id}/save/", {"item": single.pk, "answer": "a"}, status=400)


def test_service_keeps_the_newer_answer_whatever_the_arrival_order(attempt):
    row = sections_of(attempt)[0]
    item = items_of(row)[0]
    with time_machine.travel(NOW, tick=False):
        play.section_start(attempt=attempt, section_id=row.section_id)
        same = {"attempt": attempt, "section_id": row.section_id, "item_id": item.pk}
        assert play.answer_save(**same, answer="c", seq=7).changed
        assert not play.answer_save(**same, answer="a", seq=6).changed
        assert not play.answer_save(**same, answer="c", seq=7).changed
    assert Response.objects.get(item=item).answer == "c"


def test_sections_go_in_order_and_cannot_be_used_after_submission(attempt):
    api = Recorder(attempt)
    first, second = sections_of(attempt)
    with time_machine.travel(NOW, tick=False):
        refused = api.post(f"sections/{second.section_id}/start/", status=400)
        assert refused["error"] == "Finish the earlier sections first."
        api.get(f"sections/{first.section_id}/items/", status=400)
        api.post(f"sections/{first.section_id}/start/")
        api.post(f"sections/{first.section_id}/submit/", {"answers": []})
        again = api.post(f"sections/{first.section_id}/submit/", {"answers": []})
        assert again["already"] is True
        item = items_of(first)[0]
        late = api.post(f"sections/{first.section_id}/save/", {"item": item.pk, "answer": "a", "seq": 9}, status=409)
        assert late["ended"]
        assert api.get("state/")["current"] == second.section_id


def test_the_api_refuses_without_a_session_or_csrf_or_when_void(attempt):
    anonymous = Client()
    assert anonymous.get(API + "state/").status_code == 401
    api = Recorder(attempt)
    first = sections_of(attempt)[0]
    with time_machine.travel(NOW, tick=False):
        no_token = api.client.post(API + f"sections/{first.section_id}/start/", "{}", content_type="application/json")
        assert no_token.status_code == 403
        Attempt.objects.filter(pk=attempt.pk).update(state="void")
        assert api.get("state/", status=410)["error"].startswith("This code has closed")
        Attempt.objects.filter(pk=attempt.pk).update(state="in_progress")
        Sitting.objects.filter(pk=attempt.sitting_id).update(closes_at=NOW - timedelta(hours=1))
        assert "closed" in api.get("state/", status=410)["error"]


def test_timer_counts_only_while_in_touch(attempt):
    """Each save or heartbeat adds the gap since the previous one, at most 60 s; the section ends at the limit."""
    api = Recorder(attempt)
    first = sections_of(attempt)[0]
    path = f"sections/{first.section_id}/"
    with time_machine.travel(NOW, tick=False) as clock:
        assert api.post(path + "start/")["time_left"] == 1200
        clock.shift(timedelta(seconds=15))
        assert api.post(path + "heartbeat/")["time_left"] == 1185
        clock.shift(timedelta(minutes=30))  # disconnected (or powered off) for half an hour
        assert api.post(path + "heartbeat/")["time_left"] == 1125  # only a minute charged
        clock.shift(timedelta(hours=2))  # the page was closed; the code is typed again
        assert api.post(path + "start/")["time_left"] == 1065
        for _ in range(17):
            clock.shift(timedelta(seconds=60))
            last = api.post(path + "heartbeat/")
        assert last["time_left"] == 45 and not last["time_up"]
        clock.shift(timedelta(seconds=50))
        item = items_of(first)[0]
        ended = api.post(path + "save/", {"item": item.pk, "answer": "b", "seq": 1})
        assert ended["time_left"] == 0 and ended["time_up"] is True  # kept: the answer was queued in time
        clock.shift(timedelta(seconds=60))
        assert api.post(path + "heartbeat/")["state"] == "done"  # a minute past: the server closed the section
        api.post(path + "save/", {"item": item.pk, "answer": "c", "seq": 2}, status=409)
    assert Response.objects.get(item=item).answer == "b"


def test_audio_streams_with_ranges_only_to_the_attempt_in_its_section(attempt):
    api = Recorder(attempt)
    first, second = sections_of(attempt)
    with time_machine.travel(NOW, tick=False):
        api.post(f"sections/{first.section_id}/start/")
        assert api.get(f"sections/{first.section_id}/items/")["audio"] is None
        api.post(f"sections/{first.section_id}/submit/", {"answers": []})
        api.post(f"sections/{second.section_id}/start/")
        url = api.get(f"sections/{second.section_id}/items/")["audio"]
        whole = api.client.get(url)
        body = b"".join(whole.streaming_content)
        assert whole.status_code == 200 and whole["Accept-Ranges"] == "bytes" and body[:4] == b"RIFF"
        part = api.client.get(url, HTTP_RANGE="bytes=0-1")
        assert part.status_code == 206 and b"".join(part.streaming_content) == b"RI"
        assert part["Content-Range"] == f"bytes 0-1/{len(body)}"
        tail = api.client.get(url, HTTP_RANGE="bytes=-4")
        assert b"".join(tail.streaming_content) == body[-4:]
        assert api.client.get(url, HTTP_RANGE=f"bytes={len(body)}-").status_code == 416
        assert Client().get(url).status_code == 401


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="Concurrent writes need PostgreSQL")
def test_two_tabs_saving_at_once_keep_the_newer_answer():
    with time_machine.travel(NOW, tick=False):
        attempt = demo_attempt(date(2027, 3, 1), date(2027, 3, 5), date(2027, 12, 31))
    row = sections_of(attempt)[0]
    item = items_of(row)[4]
    with time_machine.travel(NOW, tick=False):
        play.section_start(attempt=attempt, section_id=row.section_id)
    barrier = threading.Barrier(8)
    errors: list[BaseException] = []

    def tab(seq: int) -> None:
        from django.db import connection as own

        try:
            barrier.wait()
            with time_machine.travel(NOW, tick=False):
                play.answer_save(attempt=attempt, section_id=row.section_id, item_id=item.pk, answer=f"v{seq}", seq=seq)
        except BaseException as error:  # noqa: BLE001
            errors.append(error)
        finally:
            own.close()

    threads = [threading.Thread(target=tab, args=(seq,)) for seq in (3, 8, 1, 5, 7, 2, 6, 4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    stored = Response.objects.get(item=item)
    assert (stored.answer, stored.seq) == ("v8", 8)
