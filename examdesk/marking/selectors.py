"""Scores for the progress page and an attempt's marks (reads only; the caller has checked the centre)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.http import Http404

from examdesk.core.time import format_in_zone
from examdesk.marking.models import Ingestion, ItemMark, SectionScore
from examdesk.sittings.models import Attempt, AttemptSection, Sitting


@dataclass
class SectionRow:
    title: str
    state: str  # "not submitted", "marking", "marked", "failed"
    raw: Decimal | None = None
    max: Decimal | None = None
    error: str = ""
    by_code: str = ""  # "Submitted by response code …" when staff entered the section's code


@dataclass
class AttemptScore:
    attempt: Attempt
    sections: list[SectionRow] = field(default_factory=list)
    raw: Decimal | None = None
    max: Decimal | None = None
    percentage: Decimal | None = None
    error: str = ""
    may_mark_again: bool = False
    has_marks: bool = False


def percentage(raw: Decimal, maximum: Decimal) -> Decimal | None:
    """Raw over maximum as a percentage with one decimal, halves rounded up; None when nothing can be scored."""
    if not maximum:
        return None
    return (raw * 100 / maximum).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def sitting_scores(*, sitting: Sitting) -> list[AttemptScore]:
    """Every attempt of the sitting that has submitted a section, with its section scores and totals (a
    completed attempt's total is the sum of its sections, overrides included)."""
    attempts = list(
        sitting.attempts.select_related("candidate").filter(sections__state=AttemptSection.State.DONE).distinct()
    )
    if not attempts:
        return []
    sections = list(sitting.product.sections.all())
    done = {
        (s.attempt_id, s.section_id): s
        for s in AttemptSection.objects.filter(attempt__in=attempts, state=AttemptSection.State.DONE)
    }
    scores = {s.attempt_section_id: s for s in SectionScore.objects.filter(attempt_section__attempt__in=attempts)}
    by_code = _submitted_by_code(attempts, sitting.centre.time_zone)
    with_marks = set(
        ItemMark.objects.filter(attempt_section__attempt__in=attempts).values_list(
            "attempt_section__attempt_id", flat=True
        )
    )
    rows = []
    for attempt in attempts:
        row = AttemptScore(attempt=attempt, has_marks=attempt.pk in with_marks)
        raw = maximum = Decimal(0)
        complete = True
        for section in sections:
            attempt_section = done.get((attempt.pk, section.pk))
            score = scores.get(attempt_section.pk) if attempt_section else None
            if attempt_section is None:
                row.sections.append(SectionRow(section.title, "not submitted"))
                complete = False
            elif score is not None and score.error:
                row.sections.append(SectionRow(section.title, "failed", error=score.error))
                row.error = row.error or score.error
                complete = False
            elif score is None or score.marked_at is None:
                row.sections.append(SectionRow(section.title, "marking"))
                complete = False
            else:
                row.sections.append(SectionRow(section.title, "marked", score.raw, score.max))
                raw += score.raw
                maximum += score.max
            if attempt_section is not None:
                row.sections[-1].by_code = by_code.get(attempt_section.pk, "")
        if complete and attempt.state == Attempt.State.COMPLETED:
            row.raw, row.max, row.percentage = raw, maximum, percentage(raw, maximum)
        row.may_mark_again = attempt.state in (Attempt.State.MARKING, Attempt.State.COMPLETED)
        rows.append(row)
    return rows


def _submitted_by_code(attempts: list[Attempt], zone: str) -> dict[int, str]:
    """attempt section id → how it was submitted by response code: the code's time and who entered it."""
    ingested = Ingestion.objects.filter(
        attempt_section__attempt__in=attempts, outcome=Ingestion.Outcome.INGESTED
    ).select_related("by")
    notes: dict[int, str] = {}
    for ingestion in ingested:
        if ingestion.attempt_section_id is None:
            continue
        when = format_in_zone(ingestion.made_at, zone) if ingestion.made_at else "at a time the code does not give"
        by = (ingestion.by.full_name or ingestion.by.email) if ingestion.by else "the system"
        notes[ingestion.attempt_section_id] = f"Submitted by response code made {when}, entered by {by}"
    return notes


def attempt_marks(*, attempt: Attempt) -> list[tuple[AttemptSection, SectionScore | None, list[ItemMark]]]:
    """An attempt's submitted sections in order, each with its score and item marks (answers included)."""
    result = []
    sections = attempt.sections.filter(state=AttemptSection.State.DONE).select_related("section")
    for attempt_section in sections:
        score = SectionScore.objects.filter(attempt_section=attempt_section).first()
        marks = list(ItemMark.objects.filter(attempt_section=attempt_section).select_related("item", "overridden_by"))
        result.append((attempt_section, score, marks))
    return result


def item_mark_get(*, attempt: Attempt, mark_id: int) -> ItemMark:
    """One item mark of the attempt (already guarded by `access_attempt_by_id`); 404 for any other."""
    mark = (
        ItemMark.objects.select_related("item", "attempt_section__section")
        .filter(pk=mark_id, attempt_section__attempt=attempt)
        .first()
    )
    if mark is None:
        raise Http404("No such mark.")
    return mark
