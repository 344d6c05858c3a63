"""Who may do what at a centre: the one place permission rules live."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from examdesk.centres.models import BoardMembership, Centre, Membership, Role

# The permission group board staff hold in the Django admin (made by migration centres 0002, which lists its models).
BOARD_STAFF_GROUP = "Board staff"
#: What that group may do in the admin: the board's vocabularies, as the README says (app label, codename).
BOARD_STAFF_ADMIN_PERMISSIONS = [
    ("people", f"{action}_vocabularyterm") for action in ("add", "change", "delete", "view")
]


class Capability(StrEnum):
    VIEW_CENTRE = "view_centre"
    MANAGE_STAFF = "manage_staff"  # invite, remove roles, see and lift sign-in locks
    VIEW_AUDIT = "view_audit"  # read and export the centre's part of the audit log
    VIEW_CANDIDATES = "view_candidates"
    MANAGE_CANDIDATES = "manage_candidates"  # add, edit, deactivate, import and export candidates
    VIEW_RESULTS = "view_results"  # entries and, once released, results
    MANAGE_REGISTRATIONS = "manage_registrations"  # Results Online letters, Secret Numbers, candidates' e-mails
    VIEW_SITTINGS = "view_sittings"  # online assessment sittings and their progress
    MANAGE_SITTINGS = "manage_sittings"  # create and edit sittings, slips, extra measures, void attempts
    MANAGE_CREDITS = "manage_credits"  # read and export the credit ledger (board staff allocate)


ROLE_CAPABILITIES: dict[str, frozenset[Capability]] = {
    Role.CENTRE_ADMIN: frozenset(Capability),
    Role.EXAMS_OFFICER: frozenset(
        {
            Capability.VIEW_CENTRE,
            Capability.VIEW_CANDIDATES,
            Capability.MANAGE_CANDIDATES,
            Capability.VIEW_RESULTS,
            Capability.MANAGE_REGISTRATIONS,
            Capability.VIEW_SITTINGS,
            Capability.MANAGE_SITTINGS,
        }
    ),
    Role.TEACHER: frozenset(
        {
            Capability.VIEW_CENTRE,
            Capability.VIEW_CANDIDATES,
            Capability.MANAGE_CANDIDATES,
            Capability.VIEW_RESULTS,
            Capability.VIEW_SITTINGS,
            Capability.MANAGE_SITTINGS,
        }
    ),
    Role.VIEWER: frozenset(
        {Capability.VIEW_CENTRE, Capability.VIEW_CANDIDATES, Capability.VIEW_RESULTS, Capability.VIEW_SITTINGS}
    ),
}


def is_board_staff(user: Any) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    cached = getattr(user, "_examdesk_board_staff", None)
    if cached is None:
        cached = BoardMembership.objects.filter(user=user).exists()
        user._examdesk_board_staff = cached
    return bool(cached)


def sign_in_roles(*, user: Any) -> set[str]:
    """Every role `user` holds ("board_staff" and the centre roles), for two-step sign-in's rule
    (settings.EXAMDESK_SIGN_IN_ROLES)."""
    if not getattr(user, "is_authenticated", False):
        return set()
    roles = set(Membership.objects.filter(user=user).values_list("role", flat=True))
    if is_board_staff(user):
        roles.add("board_staff")
    return roles


def is_board_staff_for(user: Any, centre: Centre) -> bool:
    return is_board_staff(user) and BoardMembership.objects.filter(user=user, board_id=centre.board_id).exists()


def roles_at(user: Any, centre: Centre) -> set[str]:
    if not getattr(user, "is_authenticated", False):
        return set()
    return set(Membership.objects.filter(user=user, centre=centre).values_list("role", flat=True))


def capabilities_at(user: Any, centre: Centre) -> frozenset[Capability]:
    if is_board_staff_for(user, centre):
        return frozenset(Capability)
    granted: set[Capability] = set()
    for role in roles_at(user, centre):
        granted |= ROLE_CAPABILITIES[role]
    return frozenset(granted)


def can(user: Any, centre: Centre, capability: Capability) -> bool:
    return capability in capabilities_at(user, centre)


def can_see_centre_job(user: Any, centre: Centre, *, shared_with: str) -> bool:
    """Who at the centre may see a job of the centre (settings.EXAMDESK_JOB_CENTRE_RULE, read by the jobs app).

    A job shared with a capability: the centre's staff who hold it. Any other job: the centre's admins.
    """
    return can(user, centre, Capability(shared_with) if shared_with else Capability.MANAGE_STAFF)
