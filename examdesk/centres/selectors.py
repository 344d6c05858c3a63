"""Reads, always scoped to the actor. A centre the actor cannot see does not exist for them (404)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet
from django.http import Http404

from examdesk.accounts.models import User
from examdesk.centres.models import Board, BoardMembership, Centre, Invitation, Membership
from examdesk.centres.permissions import Capability, can, is_board_staff
from examdesk.core.errors import ApplicationError
from examdesk.core.time import now

NOT_ALLOWED = "Your role at this centre does not include this. Ask a centre admin."


def centre_list_for_actor(*, actor: Any) -> QuerySet[Centre]:
    if not getattr(actor, "is_authenticated", False):
        return Centre.objects.none()
    if is_board_staff(actor):
        return Centre.objects.filter(board__staff__user=actor).distinct()
    return Centre.objects.filter(memberships__user=actor, is_active=True).distinct()


def access_centre_by_number(*, actor: Any, number: str, capability: Capability = Capability.VIEW_CENTRE) -> Centre:
    """The centre if the actor may see it (else 404) and holds the capability there (else 403)."""
    centre = centre_list_for_actor(actor=actor).filter(number=number).first()
    if centre is None:
        raise Http404("No such centre.")
    if not can(actor, centre, capability):
        raise PermissionDenied(NOT_ALLOWED)
    return centre


def board_for_staff(*, actor: Any) -> Board:
    """The board the actor is staff of; anyone else gets 404, as if the page did not exist."""
    if not getattr(actor, "is_authenticated", False):
        raise Http404("No such page.")
    membership = BoardMembership.objects.filter(user=actor).select_related("board").order_by("pk").first()
    if membership is None:
        raise Http404("No such page.")
    return membership.board


def staff_list_for_centre(*, actor: Any, centre: Centre) -> list[User]:
    """Everyone holding a role at the centre, each with `.centre_roles` (their memberships here)."""
    access_centre_by_number(actor=actor, number=centre.number, capability=Capability.MANAGE_STAFF)
    here = Membership.objects.filter(centre=centre).order_by("role")
    users = (
        User.objects.filter(memberships__centre=centre)
        .distinct()
        .order_by("full_name", "email")
        .prefetch_related(Prefetch("memberships", queryset=here, to_attr="centre_roles"))
    )
    return list(users)


def staff_member_get(*, actor: Any, centre: Centre, user_id: int) -> User:
    access_centre_by_number(actor=actor, number=centre.number, capability=Capability.MANAGE_STAFF)
    user = User.objects.filter(pk=user_id, memberships__centre=centre).distinct().first()
    if user is None:
        raise Http404("No such person at this centre.")
    return user


def invitation_list_pending(*, actor: Any, centre: Centre) -> QuerySet[Invitation]:
    access_centre_by_number(actor=actor, number=centre.number, capability=Capability.MANAGE_STAFF)
    return Invitation.objects.filter(
        centre=centre, accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now()
    )


def member_ids_for_centre(*, centre: Centre) -> QuerySet[Membership, int]:
    return Membership.objects.filter(centre=centre).values_list("user_id", flat=True)


# --- The command line ---------------------------------------------------------------------------------------------
# Management commands run as the installation's operator, who may reach every board and centre; they name them by
# number or name instead of proving a membership.

NO_BOARD_YET = "There is no board yet: create one first (e.g. with `examdesk demo`)."
SEVERAL_BOARDS = "There are several boards: name one with --board."


def centre_get_for_operator(*, number: str, kind: str | None = None) -> Centre | None:
    """The centre with this number (in any case), of this kind when one is given; None when there is none."""
    centres = Centre.objects.filter(number=number.upper())
    if kind is not None:
        centres = centres.filter(kind=kind)
    return centres.first()


def board_list_for_operator(*, limit: int | None = None) -> list[Board]:
    """Boards in name order (the first `limit` of them)."""
    boards = Board.objects.order_by("name")
    return list(boards[:limit] if limit is not None else boards)


def board_first_for_operator() -> Board | None:
    """The board created first (an installation usually has one)."""
    return Board.objects.order_by("pk").first()


def board_get_for_operator(*, name: str | None) -> Board:
    """The board called `name`, or the only board when no name is given; ApplicationError says why not."""
    if name:
        board = Board.objects.filter(name=name).first()
        if board is None:
            known = ", ".join(b.name for b in board_list_for_operator()) or "none"
            raise ApplicationError(f"No board is named {name!r}. Boards: {known}.")
        return board
    boards = board_list_for_operator(limit=2)
    if not boards:
        raise ApplicationError(NO_BOARD_YET)
    if len(boards) > 1:
        raise ApplicationError(SEVERAL_BOARDS)
    return boards[0]


# --- Jobs ---------------------------------------------------------------------------------------------------------


def centre_get_for_job(*, centre_id: int) -> Centre:
    """The centre a job belongs to. The job's owner was checked when the job was created; the job only carries
    out that request, so it reads the centre by id."""
    return Centre.objects.select_related("board").get(pk=centre_id)


# --- A centre's links and the board's list ----------------------------------------------------------------------


def exam_centres_of(*, centre: Centre) -> list[Centre]:
    """The exam centres a preparation centre prepares candidates for."""
    return list(centre.exam_centres.all())


def preparation_centres_of(*, centre: Centre) -> list[Centre]:
    """The preparation centres whose candidates sit at this exam centre."""
    return list(centre.preparation_centres.all())


def board_centre_list(*, actor: Any) -> QuerySet[Centre]:
    """The centres of the actor's board (board staff), each with its exam centres."""
    return centre_list_for_actor(actor=actor).prefetch_related("exam_centres")


def access_board_centre_by_number(*, actor: Any, number: str) -> Centre:
    """A centre of the actor's board by number, for board staff; 404 for any other."""
    centre = centre_list_for_actor(actor=actor).filter(number=number).first()
    if centre is None:
        raise Http404("No such centre.")
    return centre
