"""Demo entries and results at one centre: a released series, an upcoming one, and the awkward cases."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from examdesk.accounts.models import User
from examdesk.catalogue.grading import ComponentScore, ComponentState
from examdesk.catalogue.models import Qualification, Series
from examdesk.centres.models import Centre
from examdesk.people.models import Candidate
from examdesk.results import keys
from examdesk.results.models import OnlineRegistration, Result
from examdesk.results.services import entry_for, grade_row, registration_for, result_record

DEMO_CANDIDATE_EMAIL = "candidate@examdesk.test"


@dataclass(frozen=True)
class DemoKeys:
    name: str
    id_number: str
    secret_number: str


def _score(qualification: Qualification, seed: int, position: int) -> ComponentScore:
    """A spread of scores, most of them in the passing half of the scale, as real cohorts are."""
    component = list(qualification.components.all())[position]
    span = component.max_score - component.min_score
    step = Decimal((seed * 37 + position * 53 + seed * position * 11) % 100) / 100
    return ComponentScore(
        ComponentState.SCORED,
        (component.min_score + span * (Decimal("0.35") + step * Decimal("0.65"))).quantize(Decimal(1)),
    )


def _scores(qualification: Qualification, seed: int) -> dict[str, ComponentScore]:
    components = list(qualification.components.all())
    scores = {c.code: _score(qualification, seed, i) for i, c in enumerate(components)}
    if seed % 11 == 3:  # one absence now and then
        scores[components[-1].code] = ComponentScore(ComponentState.ABSENT)
    return scores


@transaction.atomic
def load_demo_results(
    *,
    centre: Centre,
    preparation_centre: Centre | None,
    qualifications: dict[str, Qualification],
    released: Series,
    upcoming: Series,
    candidate_password: str,
) -> list[DemoKeys]:
    """Idempotent: entries are found again by candidate, qualification and series, and same scores change nothing."""
    candidates = list(Candidate.objects.filter(centre=centre, is_active=True).order_by("unique_id"))
    plan = [
        # (candidates slice, qualification code, series)
        (slice(0, 20), "FCE", released),
        (slice(20, 30), "KET", released),
        (slice(30, 38), "0580", released),
        (slice(0, 4), "YLE-MOV", released),
        (slice(10, 25), "FCE", upcoming),
    ]
    for part, code, series in plan:
        qualification = qualifications[code]
        for index, candidate in enumerate(candidates[part], start=part.start):
            number = f"{index + 1:04d}"
            entry = entry_for(
                centre=centre,
                candidate=candidate,
                qualification=qualification,
                series=series,
                candidate_number=number,
                preparation_centre=preparation_centre if index % 3 == 0 else None,
            )
            if series == upcoming and index % 2:
                continue  # results not in yet for some of the upcoming series
            status = Result.Status.ISSUED
            if code == "0580" and index == 36:
                status = Result.Status.PENDING
            if code == "0580" and index == 37:
                status = Result.Status.WITHHELD
            row = grade_row(qualification=qualification, scores=_scores(qualification, index), status=status)
            result_record(entry=entry, row=row)
    first = candidates[0]
    registration = registration_for(candidate=first)
    if registration.user_id is None:
        user = User.objects.filter(email=DEMO_CANDIDATE_EMAIL).first() or User.objects.create_user(
            DEMO_CANDIDATE_EMAIL, candidate_password, full_name=first.full_name
        )
        OnlineRegistration.objects.filter(pk=registration.pk).update(user=user, registered_at=user.date_joined)
    shown_keys = []
    for candidate in candidates[1:4]:
        registration = registration_for(candidate=candidate)
        shown_keys.append(
            DemoKeys(
                name=candidate.full_name,
                id_number=registration.id_number,
                secret_number=keys.group(keys.secret_number(registration.id_number, registration.secret_version)),
            )
        )
    return shown_keys
