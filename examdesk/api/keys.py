"""API keys: create, revoke, and find the key a request presents. Services are atomic and audited."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest

from examdesk.api.models import ApiKey
from examdesk.audit.models import AuditEvent
from examdesk.audit.services import audit_record
from examdesk.centres.models import Board, BoardMembership, Centre
from examdesk.centres.permissions import Capability, can
from examdesk.core.errors import ApplicationError
from examdesk.core.time import now

#: What a centre key may be given, per resource family.
CENTRE_FAMILIES = {
    "candidates": "Candidates and groups",
    "results": "Entries and results",
    "sittings": "Sittings and attempts",
    "jobs": "Jobs (imports, statements)",
}
#: What a board key may be given.
BOARD_FAMILIES = {
    "catalogue": "Series, releases and qualifications",
    "results_files": "Results files",
}
TOKEN_START = "exd"  # noqa: S105 - the keys' visible start, not a secret
EXPIRY_IN_PAST = "The expiry date must be in the future."
NO_SCOPE = "Give the key access to at least one kind of resource."


@dataclass(frozen=True)
class NewKey:
    """A key just made: `token` is shown once and never stored."""

    key: ApiKey
    token: str


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _clean_scopes(scopes: dict[str, str], families: dict[str, str]) -> dict[str, str]:
    cleaned = {
        family: access for family, access in scopes.items() if family in families and access in ("read", "write")
    }
    if not cleaned:
        raise ApplicationError(NO_SCOPE, field="scopes")
    return cleaned


@transaction.atomic
def api_key_create(
    *,
    actor: Any,
    name: str,
    scopes: dict[str, str],
    expires_at: datetime,
    centre: Centre | None = None,
    board: Board | None = None,
    request: HttpRequest | None = None,
) -> NewKey:
    """A key for `centre` (its admin asks) or, without a centre, for `board` (its staff ask)."""
    if expires_at <= now():
        raise ApplicationError(EXPIRY_IN_PAST, field="expires_on")
    if centre is not None:
        board_id = centre.board_id
        cleaned = _clean_scopes(scopes, CENTRE_FAMILIES)
    elif board is not None:
        board_id = board.pk
        cleaned = _clean_scopes(scopes, BOARD_FAMILIES)
    else:
        raise ValueError("A key belongs to a centre or a board.")
    prefix = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    key = ApiKey.objects.create(
        prefix=prefix,
        secret_hash=_hash(secret),
        name=name.strip()[:100],
        centre=centre,
        board_id=board_id,
        created_by=actor,
        scopes=cleaned,
        expires_at=expires_at,
    )
    audit_record(
        action=AuditEvent.Action.API_KEY_CREATED,
        request=request,
        actor=actor,
        centre=centre,
        summary=f"API key '{key.name}' ({prefix}) created",
        data={"prefix": prefix, "scopes": cleaned, "expires_at": expires_at.isoformat()},
    )
    return NewKey(key, f"{TOKEN_START}.{prefix}.{secret}")


@transaction.atomic
def api_key_revoke(*, actor: Any, key: ApiKey, request: HttpRequest | None = None) -> None:
    if key.revoked_at is not None:
        return
    key.revoked_at = now()
    key.save(update_fields=["revoked_at"])
    audit_record(
        action=AuditEvent.Action.API_KEY_REVOKED,
        request=request,
        actor=actor,
        centre=key.centre,
        summary=f"API key '{key.name}' ({key.prefix}) revoked",
        data={"prefix": key.prefix},
    )


def api_key_list(*, centre: Centre | None = None, board: Board | None = None) -> QuerySet[ApiKey]:
    """A centre's keys, or a board's own keys (those without a centre). The caller guarded the page."""
    if centre is not None:
        return ApiKey.objects.filter(centre=centre).select_related("created_by")
    return ApiKey.objects.filter(board=board, centre__isnull=True).select_related("created_by")


def access_api_key_by_id(*, key_id: int, centre: Centre | None = None, board: Board | None = None) -> ApiKey:
    key = api_key_list(centre=centre, board=board).filter(pk=key_id).first()
    if key is None:
        raise Http404("No such key.")
    return key


def is_usable(key: ApiKey, *, moment: datetime) -> bool:
    return key.revoked_at is None and moment < key.expires_at


def api_key_for_token(token: str) -> ApiKey | None:
    """The live key a bearer token names, or None (unknown, wrong secret, revoked, expired, or its creator may no
    longer act there). The secret is compared in constant time."""
    parts = token.split(".")
    if len(parts) != 3 or parts[0] != TOKEN_START:
        return None
    key = ApiKey.objects.select_related("centre", "created_by").filter(prefix=parts[1]).first()
    if key is None or not hmac.compare_digest(key.secret_hash, _hash(parts[2])):
        return None
    if not is_usable(key, moment=now()) or not key.created_by.is_active:
        return None
    if key.centre is not None:
        if not can(key.created_by, key.centre, Capability.MANAGE_STAFF):
            return None
    elif not BoardMembership.objects.filter(user=key.created_by, board_id=key.board_id).exists():
        return None
    return key


def api_key_mark_used(*, key: ApiKey) -> None:
    """Record the key's last use, at most once a minute (a sync loop should not write on every call)."""
    moment = now()
    if key.last_used_at is None or (moment - key.last_used_at).total_seconds() >= 60:
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=moment)
        key.last_used_at = moment


def api_key_audit_write(*, key: ApiKey, request: HttpRequest, status: int) -> None:
    """Every use of a key that writes is in the audit log, with the key and what it asked."""
    audit_record(
        action=AuditEvent.Action.API_WRITE,
        request=request,
        actor=key.created_by,
        centre=key.centre,
        summary=f"{request.method} {request.path} with API key '{key.name}' ({key.prefix}): {status}",
        data={"prefix": key.prefix, "method": request.method, "path": request.path, "status": status},
    )
