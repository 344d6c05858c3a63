"""From results to documents: the graphical profile of a result and the data of its statement.

A statement is built only from what the release gate (`gate.show`) released: `statement_data` refuses a `Shown`
without a result. For many statements at once, read the entries with `statement_entries(queryset)`: it fetches
everything a statement needs in a fixed number of queries (no query per entry), and `profile_for` and
`statement_data` then read only what was fetched.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import QuerySet, prefetch_related_objects
from django.urls import reverse
from django.utils.translation import gettext, gettext_noop

from examdesk.catalogue import names
from examdesk.catalogue.grading import ComponentState
from examdesk.catalogue.models import Component, GradeBand, Qualification
from examdesk.documents.profile import Profile, ProfileBar, ProfileBoundary
from examdesk.documents.statements import StatementData
from examdesk.results import gate
from examdesk.results.models import Entry, Result

# English here, translated where printed (the page or document is in its reader's language).
SHOWN_STATE = {ComponentState.ABSENT: gettext_noop("Absent"), ComponentState.EXEMPT: gettext_noop("Exempt")}


def statement_entries(entries: QuerySet[Entry]) -> QuerySet[Entry]:
    """`entries` with their current result, centre, board, candidate, registration, components and bands."""
    return (
        gate.with_current_result(entries)
        .select_related("centre__board", "candidate__online_registration")
        .prefetch_related("qualification__components", "qualification__bands")
    )


def with_definitions(entry: Entry) -> Entry:
    """Read the qualification's components and bands of `entry` (two queries) for its profile or statement."""
    prefetch_related_objects([entry], "qualification__components", "qualification__bands")
    return entry


def _components(qualification: Qualification) -> list[Component]:
    # .all() reads the prefetched list when there is one; the order is applied here, not in a new query.
    return sorted(qualification.components.all(), key=lambda c: (c.position, c.pk))


def _bands(qualification: Qualification) -> list[GradeBand]:
    return sorted(qualification.bands.all(), key=lambda b: b.min_score)


def number(value: Decimal, decimals: int | None = None) -> str:
    """A score as printed: 185.00 → "185"; with `decimals`, exactly that many places."""
    if decimals is not None:
        return f"{value:.{decimals}f}"
    return format(value.normalize(), "f")


def boundary_label(band: GradeBand) -> str:
    """ "Grade A · C1"; a band without a grade is named by its label ("Level B1")."""
    name = (
        gettext("Grade {grade}").format(grade=band.grade)
        if band.grade
        else names.result_label(band.qualification, band.label)
    )
    if band.cefr_level and band.cefr_level not in name.split():
        name = f"{name} · {band.cefr_level}"
    return name


def component_rows(entry: Entry, result: Result) -> list[tuple[Component, Decimal | None, str]]:
    """Each component of the qualification in position order, with its score to draw and the text to print."""
    scores = result.scores()
    rows: list[tuple[Component, Decimal | None, str]] = []
    for component in _components(entry.qualification):
        score = scores.get(component.code)
        if score is None:
            rows.append((component, None, gettext("Not given")))
        elif score.state is ComponentState.SCORED and score.score is not None:
            rows.append((component, score.score, number(score.score)))
        else:
            rows.append((component, None, gettext(SHOWN_STATE.get(score.state, score.state.value.title()))))
    return rows


def overall_shown(entry: Entry, result: Result) -> str:
    if result.overall_score is None:
        return ""
    return number(result.overall_score, entry.qualification.decimals)


def profile_for(entry: Entry, result: Result) -> Profile:
    """The graphical profile of `result`: components in position order on the qualification's scale, the overall
    score, and a boundary where each band that awards a certificate begins."""
    qualification = entry.qualification
    components = _components(qualification)
    scale_min = min([qualification.overall_min, *(c.min_score for c in components)])
    scale_max = max([qualification.overall_max, *(c.max_score for c in components)])
    bars = tuple(
        ProfileBar(label=names.component_name(qualification, component.code, component.name), value=value, shown=shown)
        for component, value, shown in component_rows(entry, result)
    )
    overall = None
    if result.overall_score is not None:
        overall = ProfileBar(
            label=gettext("Overall score"), value=result.overall_score, shown=overall_shown(entry, result)
        )
    boundaries = tuple(
        ProfileBoundary(score=band.min_score, label=boundary_label(band))
        for band in _bands(qualification)
        if band.awards_certificate
    )
    return Profile(
        title=gettext("Graphical profile: {qualification}, {series}").format(
            qualification=names.qualification_name(qualification), series=entry.series.name
        ),
        scale_min=scale_min,
        scale_max=scale_max,
        bars=bars,
        boundaries=boundaries,
        overall=overall,
    )


def statement_data(
    shown: gate.Shown, *, issue_date: date, verification_url: str, allow_preview: bool = False
) -> StatementData:
    """The statement of a result the gate released. ValueError when the gate shows no scores.

    A board preview (scores before release) makes no statement unless `allow_preview` is given: a statement
    carries a verification code and must not exist before the release.
    """
    result = shown.result
    if result is None:
        raise ValueError(f"No statement: the result is not shown ({shown.state.value}).")
    if shown.preview and not allow_preview:
        raise ValueError("No statement from a preview: the result is not released yet.")
    entry = shown.entry
    candidate = entry.candidate
    try:
        id_number = candidate.online_registration.id_number
    except ObjectDoesNotExist:
        raise ValueError("No statement: the candidate has no Results Online ID number.") from None
    qualification = entry.qualification
    return StatementData(
        board_name=entry.centre.board.name,
        centre_number=entry.centre.number,
        centre_name=entry.centre.name,
        candidate_first_name=candidate.first_name,
        candidate_last_name=candidate.last_name,
        candidate_number=entry.candidate_number,
        id_number=id_number,
        date_of_birth=candidate.date_of_birth,
        qualification_name=names.qualification_name(qualification),
        qualification_code=qualification.code,
        series_name=entry.series.name,
        components=tuple(
            (names.component_name(qualification, component.code, component.name), text)
            for component, _, text in component_rows(entry, result)
        ),
        overall_score=overall_shown(entry, result),
        grade=result.grade,
        result_label=names.result_label(qualification, result.label),
        cefr_level=result.cefr_level,
        awards_certificate=result.awards_certificate,
        issue_date=issue_date,
        verification_code=entry.verification_code,
        verification_url=verification_url,
        profile=profile_for(entry, result),
    )


def statement_issue_date(shown: gate.Shown) -> date:
    """The date a statement of this result is issued: the day the current result became visible to the
    candidate (its release, or a later revision), in the centre's zone. Every download of one result is the
    same statement, and the verification page can name its date."""
    result = shown.result
    if result is None or shown.released_at is None:
        raise ValueError("Only a released result has a statement.")
    moment = max(shown.released_at, result.created_at)
    return moment.astimezone(ZoneInfo(shown.entry.centre.time_zone)).date()


def verification_url(entry: Entry) -> str:
    """The verification page's address printed on a statement (its QR code), with the code filled in."""
    return f"{settings.EXAMDESK_SITE_URL}{reverse('verify:check')}?code={entry.verification_code}"
