"""A run that e-mails many people each their own document, with a delivery status per recipient.

Used by statements e-mailed to candidates and by login letters e-mailed to candidates. A run's rows
(`core.models.RecipientEmail`) are listed once, then decided row by row: the row's claim, the queued e-mail and
the job's checkpoint commit together, so a resumed job never e-mails one recipient twice in one run. Once queued,
a row's delivery is the outbound e-mail's own status (sent, or failed with the mail system's reason).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db import transaction
from django.db.models import Case, CharField, Count, F, QuerySet, When

from examdesk.core.mail import Attachment, email_queue
from examdesk.core.models import RecipientEmail

DELIVERY = "delivery"  # the annotation `with_delivery` adds
SEND_CHUNK = 50
NOT_DECIDED = "Nothing to send"

Row = TypeVar("Row", bound=RecipientEmail)


@dataclass(frozen=True)
class Outgoing:
    """The e-mail one recipient gets."""

    subject: str
    body: str
    attachments: Sequence[Attachment] = field(default_factory=tuple)


@dataclass(frozen=True)
class Decision:
    """What to do with one waiting row: `outgoing` to queue, or none with the `reason` it is skipped."""

    row_id: int
    address: str
    reason: str = ""
    outgoing: Outgoing | None = None


def progress_start(ctx: Any, *, total: int) -> None:
    """The run's counters in the job's checkpoint, from the moment its rows are listed."""
    ctx.checkpoint.update(listed=True, total=total, done=0, queued=0, skipped=0)
    ctx.progress(done=0, total=total, message="Preparing the e-mails")


def decide(ctx: Any, rows: QuerySet[Any], decision: Decision) -> None:
    """Claim one waiting row and carry out the decision; the row, the e-mail and the checkpoint commit together."""
    cp = ctx.checkpoint
    outcome = RecipientEmail.Status.QUEUED if decision.outgoing else RecipientEmail.Status.SKIPPED
    with transaction.atomic():
        # Claiming the row locks it until commit: another run of this job finds it decided and moves on.
        claimed = rows.filter(pk=decision.row_id, status=RecipientEmail.Status.WAITING).update(
            status=outcome, reason=decision.reason[:300], address=decision.address
        )
        if not claimed:
            return  # decided by an earlier run of this job, which committed
        if decision.outgoing is None:
            cp["skipped"] += 1
        else:
            outgoing = decision.outgoing
            email = email_queue(
                to=decision.address, subject=outgoing.subject, body=outgoing.body, attachments=outgoing.attachments
            )
            rows.filter(pk=decision.row_id).update(email=email)
            cp["queued"] += 1
        cp["done"] += 1
        ctx.progress(
            done=cp["done"],
            total=cp["total"],
            message=f"{cp['done']} of {cp['total']} done: {cp['queued']} e-mailed, {cp['skipped']} skipped",
        )


def send_waiting(
    ctx: Any, rows: QuerySet[Row], decide_batch: Callable[[list[Row]], Iterable[Decision]], *, chunk: int = SEND_CHUNK
) -> tuple[int, int]:
    """Decide every waiting row of `rows`, a batch at a time; returns (queued, skipped) for the whole run.

    `decide_batch` gets a batch of waiting rows and yields a decision for each (it may read what the batch
    needs in one query, and should render each row's attachment only when it yields that row's decision)."""
    while True:
        batch = list(rows.filter(status=RecipientEmail.Status.WAITING).order_by("id")[:chunk])
        if not batch:
            break
        undecided = {row.pk for row in batch}
        for decision in decide_batch(batch):  # one at a time: a batch's attachments are never all in memory
            decide(ctx, rows, decision)
            undecided.discard(decision.row_id)
        for row_id in sorted(undecided):  # a row its decider left out must not keep the run waiting for ever
            decide(ctx, rows, Decision(row_id=row_id, address="", reason=NOT_DECIDED))
    return int(ctx.checkpoint["queued"]), int(ctx.checkpoint["skipped"])


def with_delivery(rows: QuerySet[Row]) -> QuerySet[Row]:
    """Each row with `delivery`: the outbound e-mail's status once queued (sent, failed), else the row's own."""
    annotated: QuerySet[Row] = rows.annotate(
        **{
            DELIVERY: Case(
                When(email__isnull=False, then=F("email__status")), default=F("status"), output_field=CharField()
            )
        }
    )
    return annotated


def delivery_counts(rows: QuerySet[Any]) -> dict[str, int]:
    """How many rows are in each delivery status, every status present (0 when none), and `total`."""
    counts = dict.fromkeys(RecipientEmail.Status.values, 0)
    for item in with_delivery(rows).values(DELIVERY).annotate(n=Count("id")).order_by():
        counts[item[DELIVERY]] = item["n"]
    counts["total"] = sum(counts[status] for status in RecipientEmail.Status.values)
    return counts
