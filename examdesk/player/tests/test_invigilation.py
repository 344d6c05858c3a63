"""The server's clock with access arrangements and invigilators: extra time lengthens the limit, the sitting's
arrangements win over the candidate's, a pause or rest break counts nothing, time added raises the limit, who may
end which pause, the console's live states; every action audited."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine

from examdesk.audit.models import AuditEvent
from examdesk.core.tests.factories import UserFactory
from examdesk.people.arrangements import candidate_arrangements_set, form_initial
from examdesk.player import invigilation
from examdesk.player import sections as play
from examdesk.player.models import Pause
from examdesk.player.tests.support import demo_attempt
from examdesk.sittings.arrangements import attempt_arrangements_set
from examdesk.sittings.services import attempt_start

pytestmark = pytest.mark.django_db
T0 = datetime(2027, 3, 2, 9, 0, tzinfo=UTC)


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def _values(**changes):
    return {**form_initial(None), **changes}


@pytest.fixture
def attempt():
    with time_machine.travel(T0, tick=False):
        return attempt_start(attempt=demo_attempt(date(2027, 3, 1), date(2027, 3, 5), date(2027, 12, 31)))


def _start(attempt):
    first = play.current_section(play.attempt_sections(attempt))
    return play.section_start(attempt=attempt, section_id=first.section_id, at=T0)


def _row(attempt):
    return play.current_section(play.attempt_sections(attempt))


def test_extra_time_lengthens_the_limit_and_the_sittings_own_arrangements_win(attempt):
    staff = UserFactory()
    assert play.limit_seconds(_row(attempt)) == 20 * 60
    candidate_arrangements_set(actor=staff, candidate=attempt.candidate, values=_values(extra_time_percent=50))
    assert play.limit_seconds(_row(attempt)) == 30 * 60
    candidate_arrangements_set(
        actor=staff, candidate=attempt.candidate, values=_values(extra_time_percent=25, extra_time_minutes=10)
    )
    assert play.limit_seconds(_row(attempt)) == 25 * 60 + 10 * 60
    attempt_arrangements_set(actor=staff, attempt=attempt, values=_values(extra_time_percent=100))
    assert play.limit_seconds(_row(attempt)) == 40 * 60
    attempt_arrangements_set(actor=staff, attempt=attempt, values=None)
    assert play.limit_seconds(_row(attempt)) == 35 * 60
    actions = list(AuditEvent.objects.values_list("action", flat=True))
    assert actions.count(AuditEvent.Action.CANDIDATE_ARRANGEMENTS) == 2
    assert actions.count(AuditEvent.Action.ATTEMPT_ARRANGEMENTS) == 2


def test_a_pause_counts_nothing_and_its_end_starts_counting_afresh(attempt):
    staff = UserFactory()
    row = _start(attempt)
    play.heartbeat(attempt=attempt, section_id=row.section_id, at=at(10))
    invigilation.pause_start(attempt=attempt, kind=Pause.Kind.INVIGILATOR, actor=staff, at=at(20))
    assert _row(attempt).time_used_seconds == 20
    for second in (35, 50, 65, 200):
        play.heartbeat(attempt=attempt, section_id=row.section_id, at=at(second))
    assert _row(attempt).time_used_seconds == 20
    with pytest.raises(invigilation.InvigilationError, match="will resume"):
        invigilation.pause_end(attempt=attempt, at=at(250))  # the student cannot end the invigilator's pause
    invigilation.pause_end(attempt=attempt, actor=staff, at=at(300))
    play.heartbeat(attempt=attempt, section_id=row.section_id, at=at(310))
    assert _row(attempt).time_used_seconds == 30
    assert play.time_left(_row(attempt)) == 20 * 60 - 30
    actions = list(AuditEvent.objects.values_list("action", flat=True))
    assert AuditEvent.Action.ATTEMPT_PAUSED in actions and AuditEvent.Action.ATTEMPT_RESUMED in actions


def test_rest_breaks_only_with_the_arrangement_and_the_student_ends_their_own(attempt):
    row = _start(attempt)
    with pytest.raises(invigilation.InvigilationError, match="not among your access arrangements"):
        invigilation.pause_start(attempt=attempt, kind=Pause.Kind.REST_BREAK, at=at(5))
    candidate_arrangements_set(actor=UserFactory(), candidate=attempt.candidate, values=_values(rest_breaks=True))
    attempt.refresh_from_db()
    invigilation.pause_start(attempt=attempt, kind=Pause.Kind.REST_BREAK, at=at(5))
    with pytest.raises(invigilation.InvigilationError, match="already paused"):
        invigilation.pause_start(attempt=attempt, kind=Pause.Kind.REST_BREAK, at=at(6))
    play.heartbeat(attempt=attempt, section_id=row.section_id, at=at(40))
    invigilation.pause_end(attempt=attempt, at=at(600))
    play.heartbeat(attempt=attempt, section_id=row.section_id, at=at(605))
    assert _row(attempt).time_used_seconds == 10
    assert [entry.text for entry in invigilation.attempt_history(attempt=attempt)] == [
        "Rest break started",
        "Resumed",
    ]


def test_time_added_raises_the_current_sections_limit_and_is_listed(attempt):
    staff = UserFactory(full_name="Mr Invigilator")
    row = _start(attempt)
    invigilation.time_add(attempt=attempt, minutes=5, reason="Fire alarm", actor=staff, at=at(30))
    assert play.limit_seconds(_row(attempt)) == 25 * 60
    invigilation.irregularity_record(attempt=attempt, note="A noise outside", actor=staff, at=at(40))
    history = invigilation.attempt_history(attempt=attempt)
    assert [(entry.text, entry.by) for entry in history] == [
        ("5 minutes added to Reading: Fire alarm", "Mr Invigilator"),
        ("Irregularity: A noise outside", "Mr Invigilator"),
    ]
    assert row.section_id == _row(attempt).section_id


def test_the_console_shows_answered_time_left_and_who_is_offline(attempt):
    row = _start(attempt)
    item = row.section.items.order_by("position").first()
    play.answer_save(attempt=attempt, section_id=row.section_id, item_id=item.pk, answer="b", seq=1, at=at(10))
    (state,) = invigilation.live_states(sitting=attempt.sitting, at=at(15))
    assert (state.status, state.section_number, state.answered, state.questions) == ("in_section", 1, 1, 6)
    assert state.time_left == 20 * 60 - 10 and state.connected
    (state,) = invigilation.live_states(sitting=attempt.sitting, at=at(10) + invigilation.OFFLINE_AFTER * 2)
    assert not state.connected and state.last_seen_at == at(10)
