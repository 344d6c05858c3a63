"""Sittings with attempts and marked section scores, written with the ORM (bulk for large reports)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from itertools import count
from zoneinfo import ZoneInfo

from examdesk.marking.models import SectionScore
from examdesk.sittings.models import Allocation, Attempt, AttemptSection, Sitting

_codes = count(100000)
COMPLETED = "completed"


def sitting(centre, product, name="Year 7 reading", opens=date(2026, 3, 2)) -> Sitting:
    at = datetime(opens.year, opens.month, opens.day, 9, tzinfo=ZoneInfo(centre.time_zone))
    return Sitting.objects.create(
        centre=centre, product=product, name=name, opens_at=at, closes_at=at + timedelta(days=7)
    )


def _allocation(sitting: Sitting) -> Allocation:
    found = Allocation.objects.filter(centre=sitting.centre, product=sitting.product).first()
    return found or Allocation.objects.create(
        centre=sitting.centre, product=sitting.product, quantity=100000, expires_on=date(2030, 1, 1)
    )


def attempts(sitting: Sitting, entries) -> list[Attempt]:
    """entries: (candidate, state, [(raw, max) per section] or None), written in a few bulk queries."""
    allocation = _allocation(sitting)
    sections = list(sitting.product.sections.order_by("position"))
    made = Attempt.objects.bulk_create(
        [
            Attempt(sitting=sitting, candidate=c, allocation=allocation, code=f"C{next(_codes)}", state=state)
            for c, state, _ in entries
        ]
    )
    at = sitting.opens_at + timedelta(hours=1)
    parts = []
    for attempt, (_, _, marks) in zip(made, entries, strict=True):
        for section, _mark in zip(sections, marks or [], strict=False):
            parts.append(AttemptSection(attempt=attempt, section=section, state="done", finished_at=at))
    parts = AttemptSection.objects.bulk_create(parts)
    scores = []
    index = 0
    for _, (_, state, marks) in zip(made, entries, strict=True):
        for raw, maximum in marks or []:
            marked = state == Attempt.State.COMPLETED
            scores.append(
                SectionScore(
                    attempt_section=parts[index],
                    raw=Decimal(raw),
                    max=Decimal(maximum),
                    marked_at=at if marked else None,
                )
            )
            index += 1
    SectionScore.objects.bulk_create(scores)
    return made


def report_of(school, **criteria):
    """The report of the `school` fixture's centre for these criteria."""
    from examdesk.reports import selectors

    return selectors.report_build(centre=school["centre"], criteria=selectors.Criteria(**criteria))
