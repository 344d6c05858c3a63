"""A sitting of a two-section product with one item of each kind, and helpers that take it as the player does."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.test import TestCase

from examdesk.catalogue.models import Item, Product, Section
from examdesk.centres.models import Centre, Role
from examdesk.core.tests.factories import CentreFactory, member
from examdesk.core.time import now as current_time
from examdesk.people.tests.factories import CandidateFactory
from examdesk.sittings import services as sitting_services
from examdesk.sittings.models import Attempt, AttemptSection, Sitting
from examdesk.sittings.tests.fixtures import credits


@dataclass
class World:
    centre: Centre
    staff: Any
    product: Product
    sitting: Sitting
    attempt: Attempt
    other: Attempt
    reading: Section
    listening: Section
    items: dict[str, Item]


def make_product(centre: Centre) -> tuple[Product, Section, Section, dict[str, Item]]:
    made = Product.objects.create(board=centre.board, code=f"MARK-{centre.pk}", name="Marking Check")
    reading = Section.objects.create(product=made, position=0, title="Reading")
    listening = Section.objects.create(product=made, position=1, title="Listening")
    options = [{"id": "a", "text": "One"}, {"id": "b", "text": "Two"}, {"id": "c", "text": "Three"}]
    items = {
        "single": Item.objects.create(
            section=reading, position=0, code="R1", kind="single", prompt="Pick two", options=options, key="b"
        ),
        "multiple": Item.objects.create(
            section=reading,
            position=1,
            code="R2",
            kind="multiple",
            prompt="Pick one and three",
            options=options,
            key=["a", "c"],
            marks=Decimal(2),
        ),
        "short_text": Item.objects.create(
            section=listening, position=0, code="L1", kind="short_text", prompt="Colour?", key=["colour", "color"]
        ),
        "numeric": Item.objects.create(
            section=listening,
            position=1,
            code="L2",
            kind="numeric",
            prompt="Half of seven?",
            key={"value": 3.5, "tolerance": 0.01},
        ),
    }
    return made, reading, listening, items


def make_world() -> World:
    centre = CentreFactory()
    staff = member(centre, Role.EXAMS_OFFICER)
    made, reading, listening, items = make_product(centre)
    today = current_time().date()
    credits(centre, made, 5, today + timedelta(days=60))
    people = [CandidateFactory(centre=centre, first_name="Ada", last_name="Lovelace"), CandidateFactory(centre=centre)]
    sitting = sitting_services.sitting_create(
        actor=None,
        centre=centre,
        product=made,
        name="Year 9 check",
        opens_on=today,
        closes_on=today + timedelta(days=5),
        candidates=people,
    )
    attempt, other = list(sitting.attempts.order_by("candidate__last_name"))
    if attempt.candidate.last_name != "Lovelace":
        attempt, other = other, attempt
    return World(centre, staff, made, sitting, attempt, other, reading, listening, items)


@pytest.fixture
def marking_world(db) -> World:
    return make_world()


def on_commit() -> Any:
    """Run the callbacks queued with transaction.on_commit at the end of the block (tests run in a transaction)."""
    return TestCase.captureOnCommitCallbacks(execute=True)


def start(attempt: Attempt, section: Section) -> AttemptSection:
    from examdesk.player.sections import section_start

    sitting_services.attempt_start(attempt=attempt)
    return section_start(attempt=Attempt.objects.get(pk=attempt.pk), section_id=section.pk)


def save(attempt: Attempt, section: Section, answers: dict[Item, Any], first_seq: int = 1) -> int:
    from examdesk.player.sections import answer_save

    seq = first_seq
    for item, answer in answers.items():
        answer_save(attempt=attempt, section_id=section.pk, item_id=item.pk, answer=answer, seq=seq)
        seq += 1
    return seq - 1


def submit(attempt: Attempt, section: Section, answers: dict[Item, Any] | None = None) -> AttemptSection:
    """Start, answer and submit a section as the player does (and hand it to marking)."""
    from examdesk.player.sections import section_submit

    start(attempt, section)
    save(attempt, section, answers or {})
    with on_commit():
        submitted = section_submit(attempt=Attempt.objects.get(pk=attempt.pk), section_id=section.pk, answers=[])
    return AttemptSection.objects.get(pk=submitted.attempt_section.pk)


def right_answers(world: World) -> dict[str, dict[Item, Any]]:
    i = world.items
    return {
        "reading": {i["single"]: "b", i["multiple"]: ["c", "a"]},
        "listening": {i["short_text"]: "  COLOUR. ", i["numeric"]: "3,5"},
    }


def alter(code: str) -> str:
    """One character changed in the middle of a response code (as a mistyped or edited code would be)."""
    at = len(code) // 2
    while code[at] == "-":
        at += 1
    return code[:at] + ("7" if code[at] != "7" else "8") + code[at + 1 :]
