"""One report data object for the screen, the CSV and XLSX files and the PDF: the figures are computed once here.

A report covers the attempts of the chosen candidates (a group's, a sitting's, or candidates named one by one by
unique ID) at the actor's centre, optionally narrowed to a product and to sittings opening within a date range
(the centre's zone). Deactivated candidates are left out unless asked for.

Only completed (marked) attempts are scored; the score is the sum of the attempt's section scores, which are the
marked ones with staff overrides (marking keeps `SectionScore.raw` equal to the sum of its item marks, overrides
included), and the percentage is marking's `percentage` (one decimal, halves up). Attempts not started, in
progress or being marked are listed with their state and no score. Void and expired attempts are left out, and a
note says how many.

The cost is a fixed number of queries whatever the number of candidates: totals are summed in SQL, sections,
section scores and extra measures are each read in one query over the same selection.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Q, QuerySet, Sum
from django.http import Http404

from examdesk.catalogue.models import MeasureDefinition, Product, Section
from examdesk.centres.models import Centre
from examdesk.marking.models import SectionScore
from examdesk.marking.selectors import percentage
from examdesk.people.models import Candidate, Group
from examdesk.sittings.models import Attempt, MeasureValue, Sitting

SCOPES = {"group": "A group", "sitting": "A sitting", "candidates": "Candidates one by one"}
BANDS: tuple[tuple[int, int], ...] = tuple((low, low + 9 if low < 90 else 100) for low in range(0, 100, 10))
EXCLUDED_STATES = (Attempt.State.VOID, Attempt.State.EXPIRED)
FILE_ON_RECORD = "File on record"


@dataclass(frozen=True)
class Criteria:
    scope: str
    group_id: int | None = None
    sitting_id: int | None = None
    unique_ids: tuple[str, ...] = ()
    include_deactivated: bool = False
    product_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None

    def as_params(self) -> dict[str, Any]:
        return {
            "scope": self.scope,
            "group": self.group_id,
            "sitting": self.sitting_id,
            "unique_ids": list(self.unique_ids),
            "include_deactivated": self.include_deactivated,
            "product": self.product_id,
            "date_from": self.date_from.isoformat() if self.date_from else None,
            "date_to": self.date_to.isoformat() if self.date_to else None,
        }

    @classmethod
    def from_params(cls, params: dict[str, Any]) -> Criteria:
        return cls(
            scope=params["scope"],
            group_id=params.get("group"),
            sitting_id=params.get("sitting"),
            unique_ids=tuple(params.get("unique_ids") or ()),
            include_deactivated=bool(params.get("include_deactivated")),
            product_id=params.get("product"),
            date_from=date.fromisoformat(params["date_from"]) if params.get("date_from") else None,
            date_to=date.fromisoformat(params["date_to"]) if params.get("date_to") else None,
        )


@dataclass(frozen=True)
class Column:
    key: int
    label: str


@dataclass
class Row:
    attempt_id: int
    candidate_id: int
    unique_id: str
    first_name: str
    last_name: str
    active: bool
    sitting: str
    product: str
    sitting_date: date
    state: str
    raw: Decimal | None = None
    max: Decimal | None = None
    percentage: Decimal | None = None
    sections: dict[int, Decimal | None] = field(default_factory=dict)
    measures: dict[int, str] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def scored(self) -> bool:
        return self.percentage is not None


@dataclass(frozen=True)
class Point:
    label: str
    value: Decimal
    shown: str


@dataclass
class Report:
    centre: Centre
    criteria: Criteria
    title: str
    described: str
    rows: list[Row]
    sections: list[Column]
    measures: list[Column]
    distribution: list[Point]
    section_means: list[Point]
    progress: list[Point]
    notes: list[str]
    candidates: int
    scored: int
    mean: Decimal | None
    states: dict[str, int]

    @property
    def is_single_candidate(self) -> bool:
        return self.candidates == 1 and self.criteria.scope == "candidates"


def one_decimal(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def mean(values: list[Decimal]) -> Decimal | None:
    return one_decimal(sum(values, Decimal(0)) / len(values)) if values else None


def shown(value: Decimal | None) -> str:
    """A percentage as the page, the files and the PDF print it: "62.5", "100.0"; empty when there is none."""
    return "" if value is None else f"{value:.1f}"


def band_of(value: Decimal) -> int:
    return min(int(value // 10), len(BANDS) - 1)


def band_label(index: int) -> str:
    low, high = BANDS[index]
    return f"{low}–{high}%"


def _plural(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else (many or one + 's')}"


def _window(centre: Centre, criteria: Criteria) -> Q:
    zone = ZoneInfo(centre.time_zone)
    q = Q()
    if criteria.date_from:
        q &= Q(sitting__opens_at__gte=datetime.combine(criteria.date_from, time(0), zone))
    if criteria.date_to:
        q &= Q(sitting__opens_at__lt=datetime.combine(criteria.date_to + timedelta(days=1), time(0), zone))
    return q


def selection(*, centre: Centre, criteria: Criteria) -> tuple[QuerySet[Attempt], str, str, list[str]]:
    """The attempts the report covers (void and expired included, for the note), its title, the choice in
    words and notes. Raises Http404 for a group or sitting that is not the centre's."""
    notes: list[str] = []
    attempts = Attempt.objects.filter(sitting__centre=centre, candidate__centre=centre)
    if criteria.scope == "group":
        group = Group.objects.filter(centre=centre, pk=criteria.group_id or 0).first()
        if group is None:
            raise Http404("No such group.")
        attempts = attempts.filter(candidate__in=group.candidates.values("pk"))
        title, chosen = f"Group report: {group.name}", f"Candidates in the group {group.name}"
    elif criteria.scope == "sitting":
        sitting = Sitting.objects.filter(centre=centre, pk=criteria.sitting_id or 0).first()
        if sitting is None:
            raise Http404("No such sitting.")
        attempts = attempts.filter(sitting=sitting)
        title, chosen = f"Sitting report: {sitting.name}", f"Candidates of the sitting {sitting.name}"
    elif criteria.scope == "candidates":
        wanted = list(dict.fromkeys(criteria.unique_ids))
        found = Candidate.objects.filter(centre=centre, unique_id__in=wanted)
        known = dict(found.values_list("unique_id", "first_name"))
        missing = [u for u in wanted if u not in known]
        if missing:
            notes.append(f"No candidate at this centre has the unique ID {', '.join(missing)}.")
        attempts = attempts.filter(candidate__in=found.values("pk"))
        title = "Candidate report" if len(known) == 1 else "Candidates report"
        chosen = f"{_plural(len(known), 'candidate')} chosen one by one"
    else:
        raise Http404("No such report.")
    if criteria.product_id:
        attempts = attempts.filter(sitting__product_id=criteria.product_id)
    attempts = attempts.filter(_window(centre, criteria))
    if not criteria.include_deactivated:
        left_out = attempts.filter(candidate__is_active=False).values("candidate_id").distinct().count()
        if left_out:
            notes.append(
                f"{_plural(left_out, 'deactivated candidate')} left out: tick “Include deactivated candidates” "
                "to include them."
            )
        attempts = attempts.filter(candidate__is_active=True)
    return attempts, title, chosen, notes


def describe(*, centre: Centre, criteria: Criteria, chosen: str) -> str:
    parts = [chosen]
    if criteria.product_id:
        name = Product.objects.filter(pk=criteria.product_id).values_list("name", flat=True).first()
        parts.append(f"product {name}")
    if criteria.date_from or criteria.date_to:
        start = criteria.date_from.isoformat() if criteria.date_from else "the start"
        end = criteria.date_to.isoformat() if criteria.date_to else "today"
        parts.append(f"sittings opening from {start} to {end} ({centre.time_zone})")
    parts.append("deactivated candidates included" if criteria.include_deactivated else "active candidates only")
    return "; ".join(parts)


def report_build(*, centre: Centre, criteria: Criteria) -> Report:
    attempts, title, chosen, notes = selection(centre=centre, criteria=criteria)
    zone = ZoneInfo(centre.time_zone)
    listed = attempts.exclude(state__in=EXCLUDED_STATES)
    values = (
        attempts.annotate(
            raw_total=Sum("sections__score__raw", filter=Q(sections__state="done")),
            max_total=Sum("sections__score__max", filter=Q(sections__state="done")),
        )
        .order_by("candidate__last_name", "candidate__first_name", "candidate_id", "sitting__opens_at", "id")
        .values(
            "id",
            "state",
            "candidate_id",
            "candidate__unique_id",
            "candidate__first_name",
            "candidate__last_name",
            "candidate__is_active",
            "sitting__name",
            "sitting__opens_at",
            "sitting__product_id",
            "sitting__product__name",
            "raw_total",
            "max_total",
        )
    )
    labels = dict(Attempt.State.choices)
    excluded: dict[str, int] = defaultdict(int)
    rows: list[Row] = []
    products: set[int] = set()
    for value in values:
        state = value["state"]
        if state in EXCLUDED_STATES:
            excluded[state] += 1
            continue
        products.add(value["sitting__product_id"])
        row = Row(
            attempt_id=value["id"],
            candidate_id=value["candidate_id"],
            unique_id=value["candidate__unique_id"],
            first_name=value["candidate__first_name"],
            last_name=value["candidate__last_name"],
            active=value["candidate__is_active"],
            sitting=value["sitting__name"],
            product=value["sitting__product__name"],
            sitting_date=value["sitting__opens_at"].astimezone(zone).date(),
            state=labels[state],
        )
        if state == Attempt.State.COMPLETED and value["max_total"] is not None:
            row.raw, row.max = value["raw_total"], value["max_total"]
            row.percentage = percentage(row.raw, row.max)
        rows.append(row)
    if excluded:
        parts = [_plural(n, f"{labels[s].lower()} attempt") for s, n in sorted(excluded.items())]
        notes.append(f"Not included: {' and '.join(parts)} (void and expired attempts have no score).")

    section_values = list(
        Section.objects.filter(product_id__in=products)
        .order_by("product__name", "product_id", "position", "id")
        .values("id", "title", "product__name")
    )
    several = len(products) > 1
    sections = [
        Column(s["id"], f"{s['product__name']}: {s['title']}" if several else s["title"]) for s in section_values
    ]
    by_attempt = {row.attempt_id: row for row in rows}
    scores = SectionScore.objects.filter(
        attempt_section__attempt__in=listed.filter(state=Attempt.State.COMPLETED),
        attempt_section__state="done",
    ).values_list("attempt_section__attempt_id", "attempt_section__section_id", "raw", "max")
    for attempt_id, section_id, raw, maximum in scores:
        scored_row = by_attempt.get(attempt_id)
        if scored_row is not None and scored_row.scored:
            scored_row.sections[section_id] = percentage(raw, maximum)

    measures = [
        Column(m["id"], f"{m['product__name']}: {m['label']}" if several else m["label"])
        for m in MeasureDefinition.objects.filter(product_id__in=products)
        .order_by("product__name", "product_id", "position", "id")
        .values("id", "label", "product__name")
    ]
    kinds = dict(MeasureDefinition.objects.filter(product_id__in=products).values_list("id", "kind"))
    for attempt_id, measure_id, number, text, file_name in MeasureValue.objects.filter(attempt__in=listed).values_list(
        "attempt_id", "measure_id", "number", "text", "file_name"
    ):
        measured = by_attempt.get(attempt_id)
        if measured is None:
            continue
        kind = kinds.get(measure_id)
        if kind == MeasureDefinition.Kind.NUMBER and number is not None:
            measured.measures[measure_id] = format(number.normalize(), "f")
        elif kind == MeasureDefinition.Kind.FILE and file_name:
            measured.measures[measure_id] = FILE_ON_RECORD
        elif text:
            measured.measures[measure_id] = text

    scored = [row for row in rows if row.percentage is not None]
    counts = [0] * len(BANDS)
    for row in scored:
        assert row.percentage is not None
        counts[band_of(row.percentage)] += 1
    distribution = [Point(band_label(i), Decimal(n), str(n)) for i, n in enumerate(counts)]
    section_means = []
    for column in sections:
        taken = [v for row in scored if (v := row.sections.get(column.key)) is not None]
        average = mean(taken)
        if average is not None:
            section_means.append(
                Point(column.label, average, f"{shown(average)}% ({_plural(len(taken), 'candidate')})")
            )
    progress = [
        Point(f"{row.sitting} ({row.sitting_date.isoformat()})", row.percentage, f"{shown(row.percentage)}%")
        for row in sorted(scored, key=lambda r: (r.sitting_date, r.attempt_id))
        if row.percentage is not None
    ]
    states: dict[str, int] = defaultdict(int)
    for row in rows:
        states[row.state] += 1
    report = Report(
        centre=centre,
        criteria=criteria,
        title=title,
        described=describe(centre=centre, criteria=criteria, chosen=chosen),
        rows=rows,
        sections=sections,
        measures=measures,
        distribution=distribution,
        section_means=section_means,
        progress=progress,
        notes=notes,
        candidates=len({row.candidate_id for row in rows}),
        scored=len(scored),
        mean=mean([row.percentage for row in scored if row.percentage is not None]),
        states=dict(states),
    )
    if not report.is_single_candidate:
        report.progress = []
    return report


def report_size(*, centre: Centre, criteria: Criteria) -> int:
    """How many candidates the report would cover (for deciding whether an export runs as a job)."""
    attempts, *_ = selection(centre=centre, criteria=criteria)
    return attempts.exclude(state__in=EXCLUDED_STATES).values("candidate_id").distinct().count()


# --- The table, as the screen, the CSV, the XLSX and the PDF have it ---------------------------------------------

FIXED_COLUMNS = ["Last name", "First name", "Unique ID", "Active", "Sitting", "Product", "Sitting date", "Status"]
SCORE_COLUMNS = ["Raw score", "Maximum", "Score %"]


def header(report: Report) -> list[str]:
    return (
        FIXED_COLUMNS + SCORE_COLUMNS + [f"{c.label} %" for c in report.sections] + [c.label for c in report.measures]
    )


def number_text(value: Decimal | None) -> str:
    return "" if value is None else format(value.normalize(), "f")


Cell = str | Decimal | date | None


def cells(report: Report, row: Row) -> list[Cell]:
    """One row, typed (numbers as Decimal, the date as a date); text as the screen shows it."""
    return [
        row.last_name,
        row.first_name,
        row.unique_id,
        "Yes" if row.active else "No (deactivated)",
        row.sitting,
        row.product,
        row.sitting_date,
        row.state,
        row.raw,
        row.max,
        row.percentage,
        *(row.sections.get(c.key) for c in report.sections),
        *(row.measures.get(c.key, "") for c in report.measures),
    ]


def text_cells(report: Report, row: Row) -> list[str]:
    out: list[str] = []
    percent_columns = {10, *range(11, 11 + len(report.sections))}
    for index, cell in enumerate(cells(report, row)):
        if cell is None:
            out.append("")
        elif isinstance(cell, Decimal):
            out.append(shown(cell) if index in percent_columns else number_text(cell))
        elif isinstance(cell, date):
            out.append(cell.isoformat())
        else:
            out.append(cell)
    return out
