"""Writes for centres, roles and invitations. Atomic, keyword-only, audited."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse

from examdesk.accounts.models import User, normalize_email
from examdesk.audit.models import AuditEvent
from examdesk.audit.services import audit_record
from examdesk.centres.models import Board, BoardMembership, Centre, Invitation, Membership, Role
from examdesk.centres.permissions import BOARD_STAFF_ADMIN_PERMISSIONS, BOARD_STAFF_GROUP, Capability
from examdesk.centres.selectors import access_centre_by_number
from examdesk.core import languages
from examdesk.core.errors import ApplicationError
from examdesk.core.mail import email_queue
from examdesk.core.time import now

INVITATION_INVALID = (
    "This invitation link is not valid any more: it was used already, withdrawn, or it expired. "
    "Ask your centre admin to invite you again."
)
ALREADY_MEMBER = "{email} already holds the role {role} at this centre."
CENTRE_NUMBER_TAKEN = "Centre number {number} is already in use."


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def board_get_or_create(*, name: str, time_zone: str = "Europe/London") -> Board:
    board, _ = Board.objects.get_or_create(name=name, defaults={"time_zone": time_zone})
    return board


def _board_staff_group() -> Group:
    """What board staff edit in the Django admin (the README: the vocabularies). Migration centres 0002 makes the
    group; this makes it again where a database was emptied since (a flushed test database keeps no groups)."""
    group, created = Group.objects.get_or_create(name=BOARD_STAFF_GROUP)
    if created:
        for app_label, codename in BOARD_STAFF_ADMIN_PERMISSIONS:
            group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    return group


@transaction.atomic
def board_staff_add(*, board: Board, user: User) -> BoardMembership:
    membership, _ = BoardMembership.objects.get_or_create(board=board, user=user)
    user.groups.add(_board_staff_group())
    if not user.is_staff:
        user.is_staff = True  # the Django admin is for board staff only
        user.save(update_fields=["is_staff"])
    return membership


@transaction.atomic
def centre_create(
    *,
    board: Board,
    number: str,
    name: str,
    country: str,
    time_zone: str,
    kind: str = Centre.Kind.EXAM,
    language: str = languages.ENGLISH,
    exam_centres: list[Centre] | None = None,
    first_admin_email: str = "",
    actor: Any = None,
    request: HttpRequest | None = None,
) -> Centre:
    """A new centre; with `first_admin_email`, its first centre admin is invited in the same step (staff_invite)."""
    number = number.strip().upper()
    if Centre.objects.filter(number=number).exists():
        raise ApplicationError(CENTRE_NUMBER_TAKEN.format(number=number), field="number")
    centre = Centre(
        board=board,
        number=number,
        name=name.strip(),
        country=country.strip().upper(),
        time_zone=time_zone,
        kind=kind,
        language=language,
    )
    centre.full_clean()
    centre.save()
    if exam_centres:
        centre.exam_centres.set(exam_centres)
    audit_record(
        action=AuditEvent.Action.CENTRE_CREATED,
        request=request,
        actor=actor,
        centre=centre,
        summary=f"Centre {centre.number} {centre.name} created",
    )
    if first_admin_email.strip():
        staff_invite(actor=actor, centre=centre, email=first_admin_email, role=Role.CENTRE_ADMIN, request=request)
    return centre


@transaction.atomic
def centre_update(
    *,
    centre: Centre,
    name: str,
    country: str,
    time_zone: str,
    is_active: bool,
    language: str | None = None,
    exam_centres: list[Centre] | None = None,
    actor: Any = None,
    request: HttpRequest | None = None,
) -> Centre:
    centre.name = name.strip()
    centre.country = country.strip().upper()
    centre.time_zone = time_zone
    centre.is_active = is_active
    if language is not None:
        centre.language = language
    centre.full_clean()
    centre.save(update_fields=["name", "country", "time_zone", "is_active", "language"])
    if centre.kind == Centre.Kind.PREPARATION:
        centre.exam_centres.set(exam_centres or [])
    audit_record(
        action=AuditEvent.Action.CENTRE_UPDATED,
        request=request,
        actor=actor,
        centre=centre,
        summary=f"Centre {centre.number} updated",
    )
    return centre


@transaction.atomic
def membership_add(
    *, centre: Centre, user: User, role: str, actor: Any = None, request: HttpRequest | None = None
) -> Membership:
    membership, created = Membership.objects.get_or_create(centre=centre, user=user, role=role)
    if created:
        audit_record(
            action=AuditEvent.Action.MEMBERSHIP_ADDED,
            request=request,
            actor=actor,
            centre=centre,
            subject=user,
            summary=f"{user.email} given the role {membership.get_role_display()}",
        )
    return membership


@transaction.atomic
def membership_remove(*, actor: Any, centre: Centre, membership_id: int, request: HttpRequest | None = None) -> None:
    access_centre_by_number(actor=actor, number=centre.number, capability=Capability.MANAGE_STAFF)
    membership = Membership.objects.filter(pk=membership_id, centre=centre).select_related("user").first()
    if membership is None:
        raise ApplicationError("That role was not found at this centre.")
    if membership.role == Role.CENTRE_ADMIN and membership.user_id == getattr(actor, "pk", None):
        others = Membership.objects.filter(centre=centre, role=Role.CENTRE_ADMIN).exclude(pk=membership.pk)
        if not others.exists():
            raise ApplicationError("You are the only centre admin here; give someone else the role first.")
    membership.delete()
    audit_record(
        action=AuditEvent.Action.MEMBERSHIP_REMOVED,
        request=request,
        actor=actor,
        centre=centre,
        subject=membership.user,
        summary=f"{membership.user.email} no longer {membership.get_role_display()}",
    )


@dataclass(frozen=True)
class InviteOutcome:
    email: str
    existing_account: bool


@transaction.atomic
def staff_invite(
    *, actor: Any, centre: Centre, email: str, role: str, request: HttpRequest | None = None
) -> InviteOutcome:
    """Give a person a role at the centre.

    Someone with an account already is linked at once and told to sign in with the password they
    already use (no second password that "does not work"). Someone new gets a link to set one.
    """
    access_centre_by_number(actor=actor, number=centre.number, capability=Capability.MANAGE_STAFF)
    address = normalize_email(email)
    label = Role(role).label
    existing = User.objects.filter(email=address).first()
    sign_in = f"{settings.EXAMDESK_SITE_URL}{reverse('accounts:login')}"
    if existing is not None:
        if Membership.objects.filter(centre=centre, user=existing, role=role).exists():
            raise ApplicationError(ALREADY_MEMBER.format(email=address, role=label), field="email")
        membership_add(centre=centre, user=existing, role=role, actor=actor, request=request)
        email_queue(
            to=address,
            subject=f"You now have access to {centre.name} on Examdesk",
            body=(
                f"Hello,\n\n{getattr(actor, 'display_name', 'A centre admin')} has given you the role "
                f"{label} at {centre.name} ({centre.number}).\n\n"
                f"You already have an Examdesk account with this e-mail address. Sign in with the password "
                f"you already use: there is no new password.\n\n{sign_in}\n\n"
                f"If you have forgotten it, choose 'Forgotten your password?' on the sign-in page.\n"
            ),
        )
        audit_record(
            action=AuditEvent.Action.INVITATION_SENT,
            request=request,
            actor=actor,
            centre=centre,
            subject=existing,
            summary=f"{address} (existing account) added as {label}",
        )
        return InviteOutcome(email=address, existing_account=True)

    token = secrets.token_urlsafe(32)
    Invitation.objects.filter(centre=centre, email=address, accepted_at__isnull=True, revoked_at__isnull=True).update(
        revoked_at=now()
    )
    invitation = Invitation.objects.create(
        centre=centre,
        email=address,
        role=role,
        token_hash=_token_hash(token),
        invited_by=actor,
        expires_at=now() + timedelta(days=settings.EXAMDESK_INVITATION_DAYS),
    )
    link = f"{settings.EXAMDESK_SITE_URL}{reverse('centres:invitation_accept', args=[token])}"
    email_queue(
        to=address,
        subject=f"You are invited to {centre.name} on Examdesk",
        body=(
            f"Hello,\n\n{getattr(actor, 'display_name', 'A centre admin')} invites you to join "
            f"{centre.name} ({centre.number}) on Examdesk as {label}.\n\n"
            f"Choose your password here (the link works once, "
            f"for {settings.EXAMDESK_INVITATION_DAYS} days):\n"
            f"{link}\n"
        ),
    )
    audit_record(
        action=AuditEvent.Action.INVITATION_SENT,
        request=request,
        actor=actor,
        centre=centre,
        summary=f"{address} invited as {label}",
        data={"invitation": invitation.pk},
    )
    return InviteOutcome(email=address, existing_account=False)


def invitation_get_valid(*, token: str) -> Invitation:
    invitation = (
        Invitation.objects.select_related("centre")
        .filter(
            token_hash=_token_hash(token),
            accepted_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=now(),
        )
        .first()
    )
    if invitation is None:
        raise ApplicationError(INVITATION_INVALID)
    return invitation


@transaction.atomic
def invitation_accept(*, token: str, full_name: str, password: str, request: HttpRequest | None = None) -> User:
    invitation = invitation_get_valid(token=token)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise ApplicationError(INVITATION_INVALID)
    user = User.objects.filter(email=invitation.email).first()
    if user is None:
        candidate = User(email=invitation.email, full_name=full_name.strip())
        try:
            validate_password(password, user=candidate)
        except ValidationError as error:
            raise ApplicationError(" ".join(error.messages), field="password1") from error
        user = User.objects.create_user(invitation.email, password, full_name=full_name.strip())
    invitation.accepted_at = now()
    invitation.save(update_fields=["accepted_at"])
    membership_add(centre=invitation.centre, user=user, role=invitation.role, actor=user, request=request)
    audit_record(
        action=AuditEvent.Action.INVITATION_ACCEPTED,
        request=request,
        actor=user,
        centre=invitation.centre,
        subject=user,
        summary=f"{user.email} accepted the invitation",
    )
    return user


@transaction.atomic
def invitation_revoke(*, actor: Any, centre: Centre, invitation_id: int, request: HttpRequest | None = None) -> None:
    access_centre_by_number(actor=actor, number=centre.number, capability=Capability.MANAGE_STAFF)
    invitation = Invitation.objects.filter(pk=invitation_id, centre=centre, accepted_at__isnull=True).first()
    if invitation is None:
        raise ApplicationError("That invitation was not found.")
    invitation.revoked_at = now()
    invitation.save(update_fields=["revoked_at"])
    audit_record(
        action=AuditEvent.Action.INVITATION_REVOKED,
        request=request,
        actor=actor,
        centre=centre,
        summary=f"Invitation of {invitation.email} withdrawn",
    )


@transaction.atomic
def staff_create(
    *, centre: Centre | None, email: str, role: str | None, password: str | None, full_name: str = ""
) -> User:
    """For operators (examdesk create_staff): an account (with a role, given a centre), no e-mail sent."""
    address = normalize_email(email)
    user = User.objects.filter(email=address).first()
    if user is None:
        if password is not None:
            try:
                validate_password(password, user=User(email=address, full_name=full_name))
            except ValidationError as error:
                raise ApplicationError(" ".join(error.messages)) from error
        user = User.objects.create_user(address, password, full_name=full_name)
    if centre is not None and role is not None:
        membership_add(centre=centre, user=user, role=role)
    return user


@transaction.atomic
def staff_second_factor_reset(*, actor: Any, centre: Centre, user_id: int, request: HttpRequest | None = None) -> User:
    """A centre admin resets one of their staff's two-step sign-in (a lost phone and recovery codes), audited."""
    from examdesk.accounts.second_factor.services import second_factor_reset
    from examdesk.centres.selectors import staff_member_get

    user = staff_member_get(actor=actor, centre=centre, user_id=user_id)
    second_factor_reset(actor=actor, user=user, centre=centre, request=request)
    return user


@transaction.atomic
def staff_unlock(*, actor: Any, centre: Centre, user_id: int, request: HttpRequest | None = None) -> User:
    """A centre admin lifts every sign-in lock on one of their staff."""
    from examdesk.accounts.services import account_unlock
    from examdesk.centres.selectors import staff_member_get

    user = staff_member_get(actor=actor, centre=centre, user_id=user_id)
    account_unlock(user=user, actor=actor, centre=centre, request=request)
    return user
