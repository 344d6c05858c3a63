from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from celery.exceptions import Retry

from examdesk.audit.models import AuditEvent
from examdesk.core.errors import ApplicationError
from examdesk.core.tests.mail_backends import eager_retries  # noqa: F401
from examdesk.core.time import now as current_time
from examdesk.marking import services
from examdesk.marking.models import ItemMark, SectionScore
from examdesk.marking.selectors import sitting_scores
from examdesk.marking.tests.fixtures import on_commit, right_answers, submit
from examdesk.sittings.models import Attempt

pytestmark = pytest.mark.django_db


def _scores(world):
    return {row.attempt.pk: row for row in sitting_scores(sitting=world.sitting)}


def test_marking_after_each_section_then_completed(marking_world):
    w = marking_world
    answers = right_answers(w)
    first = submit(w.attempt, w.reading, answers["reading"])
    assert SectionScore.objects.get(attempt_section=first).raw == 3
    w.attempt.refresh_from_db()
    assert w.attempt.state == Attempt.State.IN_PROGRESS  # one section left: still in progress, can resume
    submit(w.attempt, w.listening, answers["listening"])
    w.attempt.refresh_from_db()
    assert w.attempt.state == Attempt.State.COMPLETED
    row = _scores(w)[w.attempt.pk]
    assert (row.raw, row.max, row.percentage) == (Decimal(5), Decimal(5), Decimal("100.0"))
    assert [(s.title, s.raw, s.max) for s in row.sections] == [("Reading", 3, 3), ("Listening", 2, 2)]


def test_wrong_and_unanswered_score_nothing(marking_world):
    w = marking_world
    i = w.items
    submit(w.attempt, w.reading, {i["single"]: "a", i["multiple"]: ["a"]})  # multiple: all or nothing
    submit(w.attempt, w.listening, {i["numeric"]: "3.6"})  # short text unanswered
    marks = {m.item.code: m for m in ItemMark.objects.filter(attempt_section__attempt=w.attempt)}
    assert {code: m.awarded for code, m in marks.items()} == {"R1": 0, "R2": 0, "L1": 0, "L2": 0}
    assert marks["L1"].answer is None
    row = _scores(w)[w.attempt.pk]
    assert (row.raw, row.max, row.percentage) == (0, 5, Decimal("0.0"))


def test_marking_twice_gives_the_same_rows(marking_world):
    w = marking_world
    answers = right_answers(w)
    section = submit(w.attempt, w.reading, answers["reading"])
    before = list(ItemMark.objects.filter(attempt_section=section).values("pk", "item_id", "auto_awarded", "answer"))
    services.section_mark(attempt_section_id=section.pk)
    services.section_mark(attempt_section_id=section.pk)
    after = list(ItemMark.objects.filter(attempt_section=section).values("pk", "item_id", "auto_awarded", "answer"))
    assert before == after and len(after) == 2
    assert SectionScore.objects.filter(attempt_section=section).count() == 1
    assert SectionScore.objects.get(attempt_section=section).raw == 3


def test_marking_is_retried_after_a_failure(marking_world, monkeypatch, eager_retries):  # noqa: F811
    w = marking_world
    calls = {"n": 0}
    real = services.section_answers

    def flaky(attempt_section):
        calls["n"] += 1
        if calls["n"] == 1:
            raise ConnectionError("database went away")
        return real(attempt_section)

    monkeypatch.setattr(services, "section_answers", flaky)
    section = submit(w.attempt, w.reading, right_answers(w)["reading"])
    score = SectionScore.objects.get(attempt_section=section)
    assert calls["n"] == 2
    assert score.is_marked and score.raw == 3 and score.error == "" and score.tries == 2


def test_a_failure_is_kept_on_the_score_row_and_shown(marking_world, monkeypatch, settings):
    w = marking_world
    submit(w.attempt, w.reading, right_answers(w)["reading"])

    def broken(attempt_section):
        raise ConnectionError("database went away")

    monkeypatch.setattr(services, "section_answers", broken)
    settings.CELERY_TASK_ALWAYS_EAGER = True
    with pytest.raises(Retry):
        submit(w.attempt, w.listening, right_answers(w)["listening"])
    w.attempt.refresh_from_db()
    assert w.attempt.state == Attempt.State.MARKING
    row = _scores(w)[w.attempt.pk]
    assert "ConnectionError: database went away" in row.error
    assert row.percentage is None


def test_the_sweep_re_runs_stuck_marking(marking_world, monkeypatch, settings):
    w = marking_world
    monkeypatch.setattr(services, "_enqueue", lambda pk: None)  # the worker lost the message
    submit(w.attempt, w.reading, right_answers(w)["reading"])
    submit(w.attempt, w.listening, right_answers(w)["listening"])
    w.attempt.refresh_from_db()
    assert w.attempt.state == Attempt.State.MARKING
    assert not SectionScore.objects.filter(attempt_section__attempt=w.attempt, marked_at__isnull=False).exists()
    monkeypatch.undo()
    assert services.marking_sweep().requeued == 0  # not stuck yet: asked for moments ago
    with time_machine.travel(current_time() + timedelta(minutes=6), tick=False), on_commit():
        report = services.marking_sweep()
    assert report.requeued == 2
    w.attempt.refresh_from_db()
    assert w.attempt.state == Attempt.State.COMPLETED
    assert _scores(w)[w.attempt.pk].raw == 5


def test_the_sweep_re_runs_failed_marking_at_once(marking_world, monkeypatch):
    w = marking_world
    submit(w.attempt, w.reading, right_answers(w)["reading"])
    monkeypatch.setattr(services, "section_answers", lambda row: 1 / 0)
    with pytest.raises(Retry):
        submit(w.attempt, w.listening, right_answers(w)["listening"])
    monkeypatch.undo()
    with on_commit():
        assert services.marking_sweep().requeued == 1
    w.attempt.refresh_from_db()
    assert w.attempt.state == Attempt.State.COMPLETED


def test_mark_again_is_audited_and_completes(marking_world, monkeypatch):
    w = marking_world
    submit(w.attempt, w.reading, right_answers(w)["reading"])
    monkeypatch.setattr(services, "section_answers", lambda row: 1 / 0)
    with pytest.raises(Retry):
        submit(w.attempt, w.listening, right_answers(w)["listening"])
    monkeypatch.undo()
    with on_commit():
        assert services.attempt_mark_again(actor=w.staff, attempt=w.attempt) == 2
    w.attempt.refresh_from_db()
    assert w.attempt.state == Attempt.State.COMPLETED
    event = AuditEvent.objects.get(action=services.ACTION_MARK_AGAIN)
    assert event.actor_id == w.staff.pk and "Lovelace" in event.summary
    with pytest.raises(ApplicationError):
        services.attempt_mark_again(actor=w.staff, attempt=w.other)  # not submitted


def test_override_updates_totals_and_is_audited_and_survives_remarking(marking_world):
    w = marking_world
    i = w.items
    answers = right_answers(w)
    submit(w.attempt, w.reading, answers["reading"])
    section = submit(w.attempt, w.listening, {i["short_text"]: "colur", i["numeric"]: "3.5"})
    mark = ItemMark.objects.get(attempt_section=section, item=i["short_text"])
    assert mark.awarded == 0
    assert _scores(w)[w.attempt.pk].raw == 4
    with pytest.raises(ApplicationError):
        services.mark_override(actor=w.staff, item_mark=mark, awarded=Decimal(1), reason=" ")
    with pytest.raises(ApplicationError):
        services.mark_override(actor=w.staff, item_mark=mark, awarded=Decimal(2), reason="Too many")
    services.mark_override(actor=w.staff, item_mark=mark, awarded=Decimal(1), reason="Spelling accepted")
    row = _scores(w)[w.attempt.pk]
    assert (row.raw, row.percentage) == (5, Decimal("100.0"))
    assert [s.raw for s in row.sections] == [3, 2]
    event = AuditEvent.objects.get(action=services.ACTION_OVERRIDE)
    assert "L1: 0 → 1 (Spelling accepted)" in event.summary and event.actor_id == w.staff.pk
    services.section_mark(attempt_section_id=section.pk)  # marking again keeps the override
    assert _scores(w)[w.attempt.pk].raw == 5
