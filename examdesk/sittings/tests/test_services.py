"""Credits, sittings, attempts and their expiry (sittings/services.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.db import IntegrityError, transaction

from examdesk.audit.models import AuditEvent
from examdesk.core.errors import ApplicationError
from examdesk.core.tests.factories import CentreFactory
from examdesk.people.tests.factories import CandidateFactory
from examdesk.sittings import codes, selectors, services
from examdesk.sittings.models import Attempt, LedgerEntry
from examdesk.sittings.tests.fixtures import credits, credits_left, product, sitting_for

pytestmark = pytest.mark.django_db


def test_reasons_when_no_product_can_be_chosen(frozen):
    centre = CentreFactory()
    assert selectors.product_credit_list(centre=centre) == []
    assert (
        services.no_credit_message(centre=centre)
        == "Your centre has no credits for any assessment: ask Test Board for credits."
    )
    old = product(centre, code="OLD", name="Old Test")
    credits(centre, old, 3, date(2027, 3, 1))
    with time_machine.travel(datetime(2027, 3, 2, 9, 0, tzinfo=UTC), tick=False):
        assert credits_left(centre, old).reason == "Your credits for Old Test expired on 1 March 2027."
    used = product(centre, code="USED", name="Used Test")
    credits(centre, used, 2, date(2027, 12, 31))
    sitting_for(centre, used, CandidateFactory.create_batch(2, centre=centre))
    assert credits_left(centre, used).reason == "All 2 credits for Used Test are used."


def test_sitting_reserves_one_credit_each_and_refuses_overspending(frozen):
    centre = CentreFactory()
    made = product(centre)
    credits(centre, made, 3, date(2027, 12, 31))
    people = CandidateFactory.create_batch(4, centre=centre)
    with pytest.raises(ApplicationError, match="Not enough credits: 4 candidates need 4 credits"):
        sitting_for(centre, made, people)
    assert not Attempt.objects.exists()
    sitting = sitting_for(centre, made, people[:3])
    attempts = list(sitting.attempts.all())
    assert len({a.code for a in attempts}) == 3
    assert all(a.sections.count() == 2 for a in attempts)
    assert credits_left(centre, made).available == 0
    assert LedgerEntry.objects.filter(kind="reserved").count() == 3


def test_codes_unique_among_valid_attempts_only(frozen):
    centre = CentreFactory()
    made = product(centre)
    credits(centre, made, 5, date(2027, 12, 31))
    first = sitting_for(centre, made, [CandidateFactory(centre=centre)]).attempts.get()
    other = sitting_for(centre, made, [CandidateFactory(centre=centre)]).attempts.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        Attempt.objects.filter(pk=other.pk).update(code=first.code)
    Attempt.objects.filter(pk=first.pk).update(state="completed")
    Attempt.objects.filter(pk=other.pk).update(code=first.code)  # a completed attempt's code may be drawn again


def test_a_clashing_code_is_drawn_again(frozen, monkeypatch):
    centre = CentreFactory()
    made = product(centre)
    credits(centre, made, 5, date(2027, 12, 31))
    first = sitting_for(centre, made, [CandidateFactory(centre=centre)]).attempts.get()
    drawn = iter([first.code, first.code, "ACDEFHJKMN"])
    monkeypatch.setattr(codes, "new_code", lambda: next(drawn))
    second = sitting_for(centre, made, [CandidateFactory(centre=centre)]).attempts.get()
    assert second.code == "ACDEFHJKMN"


def test_editing_closes_once_a_candidate_logs_in(frozen):
    centre = CentreFactory()
    made = product(centre)
    credits(centre, made, 5, date(2027, 12, 31))
    ann, ben, cat = CandidateFactory.create_batch(3, centre=centre)
    sitting = sitting_for(centre, made, [ann, ben])
    services.sitting_update(
        actor=None,
        sitting=sitting,
        name="Year 8 B",
        opens_on=date(2027, 3, 2),
        closes_on=date(2027, 3, 6),
        candidates=[ben, cat],
    )
    assert credits_left(centre, made).available == 3
    assert LedgerEntry.objects.filter(kind="returned", attempt__candidate=ann).exists()
    attempt = sitting.attempts.get(candidate=ben)
    services.attempt_start(attempt=attempt)
    assert LedgerEntry.objects.filter(kind="used", attempt=attempt, quantity=0).exists()
    assert "entered their access code" in services.editing_closed_reason(sitting=sitting)
    with pytest.raises(ApplicationError, match="Editing is closed"):
        services.sitting_update(
            actor=None,
            sitting=sitting,
            name="x",
            opens_on=date(2027, 3, 2),
            closes_on=date(2027, 3, 6),
            candidates=[ben],
        )


def test_expiry_returns_extends_then_expires_and_is_idempotent(frozen):
    centre = CentreFactory()
    made = product(centre)
    allocation = credits(centre, made, 5, date(2027, 12, 31))
    never, partway = CandidateFactory.create_batch(2, centre=centre)
    sitting = sitting_for(centre, made, [never, partway])
    services.attempt_start(attempt=sitting.attempts.get(candidate=partway))
    assert services.sittings_expire() == services.ExpiryReport()
    frozen.move_to(datetime(2027, 3, 6, 0, 30, tzinfo=UTC))
    report = services.sittings_expire()
    assert (report.returned, report.extended, report.expired) == (1, 1, 0)
    assert services.sittings_expire() == services.ExpiryReport()  # idempotent
    late = sitting.attempts.get(candidate=partway)
    sitting.refresh_from_db()
    assert late.state == "in_progress" and late.extended_until == sitting.closes_at + timedelta(days=30)
    assert selectors.allocation_balances(allocations=[allocation])[allocation.pk] == 4
    frozen.move_to(sitting.closes_at + timedelta(days=30, minutes=5))
    assert services.sittings_expire().expired == 1
    assert services.sittings_expire() == services.ExpiryReport()
    kinds = list(LedgerEntry.objects.order_by("id").values_list("kind", "quantity"))
    assert kinds == [
        ("allocated", 5),
        ("reserved", -1),
        ("reserved", -1),
        ("used", 0),
        ("returned", 1),
        ("extended", 0),
        ("expired", 0),
    ]
    assert sitting.attempts.get(candidate=never).state == "expired"


def test_lapsed_allocation_expires_its_credits_once(frozen):
    centre = CentreFactory(time_zone="Asia/Tokyo")
    made = product(centre)
    allocation = credits(centre, made, 4, date(2027, 3, 1))
    frozen.move_to(datetime(2027, 3, 1, 14, 30, tzinfo=UTC))  # 23:30 in Tokyo: still usable
    assert services.sittings_expire().credits_lapsed == 0
    frozen.move_to(datetime(2027, 3, 1, 15, 0, tzinfo=UTC))  # midnight in Tokyo, still 1 March in UTC
    assert services.sittings_expire().credits_lapsed == 4
    assert services.sittings_expire().credits_lapsed == 0
    assert selectors.allocation_balances(allocations=[allocation])[allocation.pk] == 0


def test_void_recredits_with_a_reason_and_audit(frozen):
    centre = CentreFactory()
    made = product(centre)
    credits(centre, made, 1, date(2027, 12, 31))
    attempt = sitting_for(centre, made, [CandidateFactory(centre=centre)]).attempts.get()
    services.attempt_start(attempt=attempt)
    with pytest.raises(ApplicationError):
        services.attempt_void(actor=None, attempt=attempt, reason=" ")
    services.attempt_void(actor=None, attempt=attempt, reason="Skipped every question")
    attempt.refresh_from_db()
    assert attempt.state == "void" and attempt.void_reason == "Skipped every question"
    assert credits_left(centre, made).available == 1
    assert LedgerEntry.objects.get(kind="recredited").reason == "Skipped every question"
    assert AuditEvent.objects.filter(action="attempt.voided").exists()


def test_deactivated_candidates_only_when_ticked(frozen):
    from examdesk.people.models import Group

    centre = CentreFactory()
    group = Group.objects.create(centre=centre, name="8A")
    active, gone = CandidateFactory(centre=centre), CandidateFactory(centre=centre, is_active=False)
    group.candidates.add(active, gone)
    assert selectors.candidates_chosen(centre=centre, groups=[group], candidates=[], include_deactivated=False) == [
        active
    ]
    assert set(selectors.candidates_chosen(centre=centre, groups=[group], candidates=[], include_deactivated=True)) == {
        active,
        gone,
    }
    with pytest.raises(ApplicationError, match="deactivated candidate is ticked"):
        selectors.candidates_chosen(centre=centre, groups=[], candidates=[gone], include_deactivated=False)
