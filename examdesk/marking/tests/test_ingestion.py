from __future__ import annotations

from decimal import Decimal

import pytest

from examdesk.audit.models import AuditEvent
from examdesk.marking.ingestion import FOREIGN, ONLINE, response_code_ingest
from examdesk.marking.models import Ingestion, SectionScore
from examdesk.marking.selectors import sitting_scores
from examdesk.marking.services import ACTION_RESPONSE_CODE
from examdesk.marking.tests.fixtures import alter, make_world, on_commit, right_answers, save, start, submit
from examdesk.player.response_code import MISTYPED, encode
from examdesk.sittings.models import Attempt, AttemptSection

pytestmark = pytest.mark.django_db


def _code(row: AttemptSection, answers: dict, sequence: int = 9, token: str | None = None) -> str:
    return encode(
        attempt_id=row.attempt_id,
        section_id=row.section_id,
        token=row.token if token is None else token,
        answers={item.pk: answer for item, answer in answers.items()},
        sequence=sequence,
    )


def _ingest(world, text):
    with on_commit():
        return response_code_ingest(actor=world.staff, sitting=world.sitting, text=text)


def _offline_reading(world, saved=None):
    """The student started reading, saved some answers online, then lost the connection."""
    row = start(world.attempt, world.reading)
    if saved:
        save(world.attempt, world.reading, saved)
    return AttemptSection.objects.get(pk=row.pk)


def test_a_good_code_is_ingested_once_and_marked(marking_world):
    w = marking_world
    row = _offline_reading(w, {w.items["single"]: "a"})
    code = _code(row, right_answers(w)["reading"])
    result = _ingest(w, code)
    assert result.outcome == Ingestion.Outcome.INGESTED, result.message
    row.refresh_from_db()
    assert row.state == AttemptSection.State.DONE
    assert SectionScore.objects.get(attempt_section=row).raw == 3  # the code's newer answer replaced "a"
    # The same code again, typed in lower case with spaces: already received, nothing changes.
    again = _ingest(w, "  " + code.lower().replace("-", " - ") + "\n")
    assert again.outcome == Ingestion.Outcome.ALREADY_RECEIVED
    assert again.message.startswith("This response code was already received on ")
    assert again.message.endswith("nothing changed.")
    assert Ingestion.objects.filter(outcome=Ingestion.Outcome.INGESTED).count() == 1
    assert SectionScore.objects.filter(attempt_section=row).get().raw == 3
    assert AuditEvent.objects.filter(action=ACTION_RESPONSE_CODE).count() == 2
    w.attempt.refresh_from_db()
    assert w.attempt.state == Attempt.State.IN_PROGRESS  # listening is still to do: the student can resume


def test_older_answers_in_a_code_do_not_replace_newer_ones(marking_world):
    w = marking_world
    row = _offline_reading(w, {w.items["single"]: "b"})  # seq 1 on the server
    from examdesk.player.sections import answer_save

    answer_save(attempt=w.attempt, section_id=w.reading.pk, item_id=w.items["single"].pk, answer="b", seq=5)
    code = _code(row, {w.items["single"]: "c"}, sequence=3)
    assert _ingest(w, code).outcome == Ingestion.Outcome.INGESTED
    from examdesk.player.models import Response

    assert Response.objects.get(attempt_section=row, item=w.items["single"]).answer == "b"


def test_an_altered_code_is_refused(marking_world):
    w = marking_world
    row = _offline_reading(w)
    code = _code(row, right_answers(w)["reading"])
    altered = alter(code)
    result = _ingest(w, altered)
    assert result.outcome == Ingestion.Outcome.REFUSED and result.message == MISTYPED
    row.refresh_from_db()
    assert row.state == AttemptSection.State.IN_PROGRESS
    assert Ingestion.objects.get().outcome == Ingestion.Outcome.REFUSED


def test_a_foreign_code_is_refused(marking_world):
    w = marking_world
    row = _offline_reading(w)
    wrong_token = _code(row, right_answers(w)["reading"], token="0" * 20)
    assert _ingest(w, wrong_token).message == FOREIGN
    elsewhere = make_world()  # another centre's sitting with the same product shape
    theirs = start(elsewhere.attempt, elsewhere.reading)
    code = _code(theirs, {elsewhere.items["single"]: "b"})
    result = _ingest(w, code)
    assert (result.outcome, result.message) == (Ingestion.Outcome.REFUSED, FOREIGN)
    theirs.refresh_from_db()
    assert theirs.state == AttemptSection.State.IN_PROGRESS
    assert _ingest(w, "hello").outcome == Ingestion.Outcome.REFUSED


def test_a_section_already_submitted_online_is_acknowledged(marking_world):
    w = marking_world
    row = submit(w.attempt, w.reading, {w.items["single"]: "a"})
    code = _code(row, right_answers(w)["reading"])
    result = _ingest(w, code)
    assert (result.outcome, result.message) == (Ingestion.Outcome.ALREADY_ONLINE, ONLINE)
    assert SectionScore.objects.get(attempt_section=row).raw == 0  # not double-counted, not replaced


def test_a_code_cannot_raise_a_score(marking_world):
    """The code carries answers only: the server marks them, and wrong answers earn nothing however the code was
    made."""
    w = marking_world
    i = w.items
    row = _offline_reading(w)
    code = _code(row, {i["single"]: "a", i["multiple"]: ["a", "b", "c"]})
    assert _ingest(w, code).outcome == Ingestion.Outcome.INGESTED
    assert SectionScore.objects.get(attempt_section=row).raw == 0
    listening = start(w.attempt, w.listening)
    code = _code(listening, {i["short_text"]: "Colour", i["numeric"]: "3.5", i["single"]: "b"})
    result = _ingest(w, code)  # an item of another section: the whole code is refused
    assert result.outcome == Ingestion.Outcome.REFUSED and "not in this section" in result.message
    code = _code(listening, {i["short_text"]: "Colour", i["numeric"]: "3.5"})
    assert _ingest(w, code).outcome == Ingestion.Outcome.INGESTED
    w.attempt.refresh_from_db()
    assert w.attempt.state == Attempt.State.COMPLETED
    row = next(r for r in sitting_scores(sitting=w.sitting) if r.attempt.pk == w.attempt.pk)
    assert (row.raw, row.max, row.percentage) == (2, 5, Decimal("40.0"))
