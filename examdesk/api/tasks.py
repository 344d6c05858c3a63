from __future__ import annotations

from celery import shared_task

from examdesk.api.idempotency import idempotency_records_expire
from examdesk.api.webhooks import webhook_deliver, webhooks_scan


@shared_task
def webhook_deliver_task(delivery_id: int) -> None:
    webhook_deliver(delivery_id=delivery_id)


@shared_task
def webhooks_scan_task() -> None:
    webhooks_scan()


@shared_task
def idempotency_records_expire_task() -> None:
    idempotency_records_expire()
