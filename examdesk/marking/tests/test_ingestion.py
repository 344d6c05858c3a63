from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from examdesk.audit.models import AuditEvent
from examdesk.core.time import format_in_zone
from examdesk.core.time import now as current_time
from examdesk.marking.ingestion import FOREIGN, ONLINE, response_code_ingest
from examdesk.marking.models import Ingestion, SectionScore
from examdesk.marking.selectors import sitting_scores
from examdesk.marking.services import ACTION_RESPONSE_CODE
from examdesk.marking.tests.fixtures import alter, make_world, on_commit, right_answers, save, start, submit
from examdesk.player.response_code import MISTYPED, encode
from examdesk.sittings.models import Attempt, AttemptSection

pytestmark = pytest.mark.django_db


def _code(
    row: AttemptSection,
    answers: dict,
    sequence: int = 9,
    token: str | None = None,
    made_at=None,
    answered_at: dict | None = None,
) -> str:
    return encode(
        attempt_id=row.attempt_id,
        section_id=row.section_id,
        token=row.token if token is None else token,
        answers={item.pk: answer for item, answer in answers.items()},
        sequence=sequence,
        made_at=made_at,
        answered_at={item.pk: at for item, at in (answered_at or {}).items()},
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
    # The server already had "a" for that question: the code's answer to it is not taken, the others are.
    assert result.message.endswith("Of the code's answers, 1 answer kept as the server already had them.")
    from examdesk.player.models import Response

    assert Response.objects.get(attempt_section=row, item=w.items["single"]).answer == "a"
    assert SectionScore.objects.get(attempt_section=row).raw == 2
    # The same code again, typed in lower case with spaces: already received, nothing changes.
    again = _ingest(w, "  " + code.lower().replace("-", " - ") + "\n")
    assert again.outcome == Ingestion.Outcome.ALREADY_RECEIVED
    assert again.message.startswith("This response code was already received on ")
    assert again.message.endswith("nothing changed.")
    assert Ingestion.objects.filter(outcome=Ingestion.Outcome.INGESTED).count() == 1
    assert SectionScore.objects.filter(attempt_section=row).get().raw == 2
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


def _timed_reading(w, minutes: int = 10):
    """Reading with a time limit: the student started it, saved one answer online, then lost the connection."""
    w.reading.time_limit_minutes = minutes
    w.reading.save(update_fields=["time_limit_minutes"])
    return _offline_reading(w, {w.items["single"]: "a"})


def test_a_code_crafted_with_the_token_after_the_section_s_time_changes_nothing(marking_world):
    """The section token is in the player's hands: with it, anyone can pack answers into a valid code. Made after the
    section's close, such a code is refused and what the server holds stays."""
    import time_machine

    from examdesk.player.models import Response
    from examdesk.player.sections import section_closes_at

    w = marking_world
    i = w.items
    row = _timed_reading(w)
    closes = section_closes_at(row)
    with time_machine.travel(closes + timedelta(hours=2)):
        crafted = _code(row, right_answers(w)["reading"], sequence=99, made_at=current_time())
        result = _ingest(w, crafted)
    assert result.outcome == Ingestion.Outcome.REFUSED
    assert "after the section's time ended" in result.message and result.message.endswith("nothing changed.")
    row.refresh_from_db()
    assert row.state == AttemptSection.State.IN_PROGRESS
    assert Response.objects.get(attempt_section=row, item=i["single"]).answer == "a"
    assert not Response.objects.filter(attempt_section=row, item=i["multiple"]).exists()


def test_a_code_that_lies_about_its_time_still_cannot_replace_saved_answers(marking_world):
    """Times in a code are the device's word. Backdated, a crafted code can still not replace an answer the server had:
    the server's answers stay, and answers given after the close are not taken."""
    from examdesk.player.models import Response
    from examdesk.player.sections import section_closes_at

    w = marking_world
    i = w.items
    row = _timed_reading(w)
    closes = section_closes_at(row)
    before = closes - timedelta(minutes=1)
    crafted = _code(
        row,
        {i["single"]: "b", i["multiple"]: ["a", "c"]},
        sequence=99,
        made_at=before,
        answered_at={i["single"]: before, i["multiple"]: closes + timedelta(seconds=1)},
    )
    with on_commit():
        result = response_code_ingest(actor=w.staff, sitting=w.sitting, text=crafted)
    assert result.outcome == Ingestion.Outcome.INGESTED
    assert "1 answer kept as the server already had them" in result.message
    assert "1 answer given after the section's time ended" in result.message
    assert Response.objects.get(attempt_section=row, item=i["single"]).answer == "a"
    assert not Response.objects.filter(attempt_section=row, item=i["multiple"]).exists()
    assert SectionScore.objects.get(attempt_section=row).raw == 0


def test_a_student_s_own_code_gives_the_answers_the_server_never_received(marking_world):
    from examdesk.player.sections import section_closes_at

    w = marking_world
    i = w.items
    row = _timed_reading(w)
    made = section_closes_at(row) - timedelta(minutes=3)
    code = _code(
        row,
        {i["single"]: "a", i["multiple"]: ["a", "c"]},
        made_at=made,
        answered_at={i["single"]: made - timedelta(minutes=5), i["multiple"]: made},
    )
    result = _ingest(w, code)
    assert result.outcome == Ingestion.Outcome.INGESTED
    assert SectionScore.objects.get(attempt_section=row).raw == 2
    assert Ingestion.objects.get(outcome=Ingestion.Outcome.INGESTED).made_at == made.replace(microsecond=0)
    # The progress page says the section came by code, when the code was made and who entered it; so does the audit.
    section = next(r for r in sitting_scores(sitting=w.sitting) if r.attempt.pk == w.attempt.pk).sections[0]
    zone = w.centre.time_zone
    assert section.by_code == (
        f"Submitted by response code made {format_in_zone(made, zone)}, entered by {w.staff.full_name or w.staff.email}"
    )
    event = AuditEvent.objects.filter(action=ACTION_RESPONSE_CODE).get()
    assert event.actor_email == w.staff.email
    assert event.data["made_at"] == made.replace(microsecond=0).isoformat()


def test_a_version_2_answer_without_its_time_is_not_taken(marking_world):
    from examdesk.player.models import Response

    w = marking_world
    i = w.items
    row = _offline_reading(w)
    code = _code(row, {i["single"]: "b"}, made_at=current_time())
    result = _ingest(w, code)
    assert "1 answer without the time it was given not taken" in result.message
    assert not Response.objects.filter(attempt_section=row).exists()
