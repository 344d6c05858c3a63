"""Reads of credits, sittings and attempts, scoped to a centre the caller has already guarded
(`centres.selectors.access_centre_by_number`). The `access_*_by_id` guards answer 404 for a sitting or attempt
outside the actor's centre, as if it did not exist, and 403 only for the actor's own centre when their role
lacks the capability."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404

from examdesk.catalogue.models import MeasureDefinition, Product
from examdesk.centres.models import Centre
from examdesk.centres.permissions import Capability, can
from examdesk.centres.selectors import NOT_ALLOWED, centre_list_for_actor
from examdesk.core.errors import ApplicationError
from examdesk.core.time import now as current_time
from examdesk.documents.layout import format_date
from examdesk.people.models import Candidate
from examdesk.sittings.models import Allocation, Attempt, AttemptSection, LedgerEntry, MeasureValue, Sitting

NO_SITTING = "No such sitting."
NO_ATTEMPT = "No such attempt."

# --- Guards -------------------------------------------------------------------------------------------------------


def _check_capability(actor: Any, centre: Centre, capability: Capability) -> None:
    if not can(actor, centre, capability):
        raise PermissionDenied(NOT_ALLOWED)


def access_sitting_by_id(
    *, actor: Any, centre: Centre, sitting_id: int, capability: Capability = Capability.VIEW_SITTINGS
) -> Sitting:
    """The sitting if it is one of `centre`'s and the actor may see the centre (else 404), and the actor holds
    the capability there (else 403)."""
    sitting = (
        Sitting.objects.select_related("product", "centre__board")
        .filter(pk=sitting_id, centre=centre, centre__in=centre_list_for_actor(actor=actor))
        .first()
    )
    if sitting is None:
        raise Http404(NO_SITTING)
    _check_capability(actor, centre, capability)
    return sitting


def access_attempt_by_id(
    *,
    actor: Any,
    centre: Centre,
    sitting_id: int,
    attempt_id: int,
    capability: Capability = Capability.VIEW_SITTINGS,
) -> Attempt:
    """The attempt if it belongs to sitting `sitting_id` of `centre` and the actor may see the centre (else 404),
    and the actor holds the capability there (else 403). Its sitting, product, centre and candidate come with it."""
    attempt = (
        Attempt.objects.select_related("candidate", "sitting__product", "sitting__centre__board")
        .filter(
            pk=attempt_id,
            sitting_id=sitting_id,
            sitting__centre=centre,
            sitting__centre__in=centre_list_for_actor(actor=actor),
        )
        .first()
    )
    if attempt is None:
        raise Http404(NO_ATTEMPT)
    _check_capability(actor, centre, capability)
    return attempt


# --- Credits ------------------------------------------------------------------------------------------------------


def allocation_balances(*, allocations: Iterable[Allocation]) -> dict[int, int]:
    """Each allocation's balance: the sum of its ledger rows."""
    ids = [a.pk for a in allocations]
    rows = LedgerEntry.objects.filter(allocation_id__in=ids).values("allocation_id").annotate(total=Sum("quantity"))
    found = {row["allocation_id"]: int(row["total"] or 0) for row in rows}
    return {pk: found.get(pk, 0) for pk in ids}


def allocation_list(*, centre: Centre) -> list[Allocation]:
    return list(Allocation.objects.filter(centre=centre).select_related("product", "centre"))


@dataclass(frozen=True)
class ProductCredit:
    """What a centre can do with one product now: credits left in live allocations, or why there are none."""

    product: Product
    available: int
    allocated: int  # credits ever allocated in live allocations
    expired_on: date | None  # the last expiry date when every allocation has expired
    soonest_expiry: date | None

    @property
    def candidates_possible(self) -> int:
        return self.available // max(1, self.product.credits_per_candidate)

    @property
    def reason(self) -> str:
        """Why no sitting can be made for this product ('' when one can)."""
        if self.candidates_possible > 0:
            return ""
        if self.allocated == 0 and self.expired_on is not None:
            return f"Your credits for {self.product.name} expired on {format_date(self.expired_on)}."
        if self.available > 0:
            return (
                f"{self.available} credit{'s' if self.available != 1 else ''} left for {self.product.name}, but one "
                f"candidate needs {self.product.credits_per_candidate}."
            )
        return f"All {self.allocated} credits for {self.product.name} are used."


def product_credit_list(*, centre: Centre, at: datetime | None = None) -> list[ProductCredit]:
    """One row per product the centre has ever had credits for, in name order."""
    at = at or current_time()
    allocations = allocation_list(centre=centre)
    totals = allocation_balances(allocations=allocations)
    by_product: dict[int, list[Allocation]] = {}
    for allocation in allocations:
        by_product.setdefault(allocation.product_id, []).append(allocation)
    result = []
    for group in by_product.values():
        live = [a for a in group if not a.is_expired(at)]
        result.append(
            ProductCredit(
                product=group[0].product,
                available=sum(max(0, totals[a.pk]) for a in live),
                allocated=sum(a.quantity for a in live),
                expired_on=None if live else max(a.expires_on for a in group),
                soonest_expiry=min((a.expires_on for a in live), default=None),
            )
        )
    return sorted(result, key=lambda row: row.product.name)


def ledger_list(*, centre: Centre) -> QuerySet[LedgerEntry]:
    """The centre's credit ledger, newest first (the model's order), with what each row names."""
    return LedgerEntry.objects.filter(centre=centre).select_related("product", "sitting", "attempt__candidate", "actor")


def ledger_iter_for_export(*, centre: Centre) -> Iterator[LedgerEntry]:
    """The centre's credit ledger in the order it happened, streamed."""
    return ledger_list(centre=centre).order_by("at", "id").iterator()


# --- Sittings and attempts ----------------------------------------------------------------------------------------


def sitting_list(*, centre: Centre) -> QuerySet[Sitting]:
    """The centre's sittings, latest window first, each with `candidates` (attempts not void) and `started`."""
    return (
        Sitting.objects.filter(centre=centre)
        .select_related("product")
        .annotate(
            candidates=Count("attempts", filter=~Q(attempts__state=Attempt.State.VOID)),
            started=Count("attempts", filter=~Q(attempts__started_at=None)),
        )
        .order_by("-opens_at", "-id")
    )


def attempt_list_with_progress(*, sitting: Sitting) -> list[Attempt]:
    """The sitting's attempts, each with `sections_total` and `sections_done`."""
    return list(
        sitting.attempts.select_related("candidate").annotate(
            sections_total=Count("sections", distinct=True),
            sections_done=Count("sections", filter=Q(sections__state=AttemptSection.State.DONE), distinct=True),
        )
    )


def attempt_list_live(*, sitting: Sitting) -> list[Attempt]:
    """The attempts whose access code still works (not started or in progress)."""
    return list(sitting.attempts.filter(state__in=Attempt.VALID_STATES).select_related("candidate"))


def candidate_ids_in_sitting(*, sitting: Sitting) -> list[int]:
    """The candidates the sitting holds (void attempts aside)."""
    return list(sitting.attempts.exclude(state=Attempt.State.VOID).values_list("candidate_id", flat=True))


def candidates_chosen(
    *, centre: Centre, groups: Iterable[Any], candidates: Iterable[Candidate], include_deactivated: bool
) -> list[Candidate]:
    """The ticked candidates and the members of the ticked groups, once each, in name order."""
    chosen: dict[int, Candidate] = {c.pk: c for c in candidates}
    members = Candidate.objects.filter(centre=centre, groups__in=list(groups)).distinct()
    if not include_deactivated:
        members = members.filter(is_active=True)
    for candidate in members:
        chosen.setdefault(candidate.pk, candidate)
    if not include_deactivated and any(not c.is_active for c in chosen.values()):
        raise ApplicationError(
            "A deactivated candidate is ticked: tick 'Include deactivated candidates' to add them.",
            field="include_deactivated",
        )
    return sorted(chosen.values(), key=lambda c: (c.last_name, c.first_name, c.pk))


# --- Extra measures -----------------------------------------------------------------------------------------------


def measure_definitions(*, product: Product) -> list[MeasureDefinition]:
    return list(product.measures.all())


def measure_values_by_attempt(*, sitting: Sitting) -> dict[int, list[MeasureValue]]:
    """Every attempt's recorded extra measures, keyed by attempt id."""
    values: dict[int, list[MeasureValue]] = {}
    for value in MeasureValue.objects.filter(attempt__sitting=sitting).select_related("measure"):
        values.setdefault(value.attempt_id, []).append(value)
    return values


def evidence_files(*, attempt: Attempt) -> dict[int, MeasureValue]:
    """The attempt's evidence files, keyed by measure id."""
    return {
        v.measure_id: v
        for v in attempt.measures.exclude(file_path="").select_related("measure")
        if v.measure.kind == MeasureDefinition.Kind.FILE
    }


def evidence_get(*, attempt: Attempt, measure_code: str) -> MeasureValue:
    """The attempt's evidence file for one measure (404 when there is none)."""
    value = MeasureValue.objects.filter(attempt=attempt, measure__code=measure_code).first()
    if value is None or not value.file_path:
        raise Http404("No file.")
    return value


def sittings_closed_between(*, centre_ids: Iterable[int], since: datetime, until: datetime) -> QuerySet[Sitting]:
    """Sittings of these centres whose window closed in (since, until]."""
    return Sitting.objects.filter(centre_id__in=list(centre_ids), closes_at__gt=since, closes_at__lte=until)
