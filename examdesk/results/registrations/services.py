"""Centre staff's side of Results Online: registration letters, new Secret Numbers, correcting a sign-in e-mail.

Seed 000: a candidate who lost their letter can be given it again, but only after the centre has checked who is
asking. Every letter printed or e-mailed, and every new Secret Number, is audited.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from examdesk.accounts.models import User, normalize_email
from examdesk.accounts.services import password_reset_request
from examdesk.audit.models import AuditEvent
from examdesk.audit.services import audit_record
from examdesk.catalogue import names
from examdesk.centres.models import BoardMembership, Centre, Membership
from examdesk.core.errors import ApplicationError
from examdesk.core.mail import email_queue
from examdesk.core.time import format_in_zone, now
from examdesk.people.models import Candidate
from examdesk.results import keys
from examdesk.results.gate import NOT_ONLINE_MESSAGE
from examdesk.results.languages import candidate_language
from examdesk.results.models import Entry, OnlineRegistration
from examdesk.results.services import login_withdrawn, registration_for

if TYPE_CHECKING:
    from examdesk.documents.letters import RegistrationLetterData

ALREADY_REGISTERED = (
    "{name} has already registered for Results Online, so a new Secret Number would not help. If they cannot sign "
    "in, correct their e-mail address below and send them a new password link."
)
NO_EMAIL = "{name} has no e-mail address on record. Add one on the candidate's page first, or print the letter."
STAFF_ACCOUNT = (
    "This account is also used by staff at a centre or at the board, so it cannot be changed here. "
    "Ask the person to change it, or contact the board."
)
EMAIL_TAKEN = "Another account already uses {email}. Ask the candidate which address is really theirs."


def register_url() -> str:
    return f"{settings.EXAMDESK_SITE_URL}{reverse('online:register')}"


def contact_line(centre: Centre) -> str:
    return gettext("The exams officer at {centre} (centre {number})").format(centre=centre.name, number=centre.number)


def release_lines(entries: Iterable[Entry], *, zone: str) -> tuple[tuple[str, str, str], ...]:
    lines = []
    for entry in entries:
        if not entry.qualification.results_online:
            when = gettext(NOT_ONLINE_MESSAGE)
        elif entry.release.released_at is None:
            when = gettext("to be announced")
        else:
            when = format_in_zone(entry.release.released_at, zone)
        lines.append((names.qualification_name(entry.qualification), entry.series.name, when))
    return tuple(lines)


def letter_data(
    *, centre: Centre, registration: OnlineRegistration, entries: Iterable[Entry]
) -> RegistrationLetterData:
    from examdesk.documents.letters import RegistrationLetterData

    candidate = registration.candidate
    return RegistrationLetterData(
        board_name=centre.board.name,
        site_url=register_url(),
        centre_name=centre.name,
        centre_number=centre.number,
        candidate_first_name=candidate.first_name,
        candidate_last_name=candidate.last_name,
        id_number=registration.id_number,
        secret_number=keys.group(keys.secret_number(registration.id_number, registration.secret_version)),
        releases=release_lines(entries, zone=centre.time_zone),
        contact=contact_line(centre),
        issue_date=now().date(),
    )


def _entries(centre: Centre, candidate: Candidate) -> list[Entry]:
    return list(
        Entry.objects.filter(centre=centre, candidate=candidate)
        .select_related("qualification", "series", "release")
        .order_by("release__released_at", "qualification__name")
    )


def registration_letter_pdf(
    *, actor: Any, centre: Centre, candidate: Candidate, request: HttpRequest | None = None
) -> bytes:
    """One candidate's letter as a PDF (printed at the desk)."""
    registration = registration_for(candidate=candidate)
    audit_record(
        action=AuditEvent.Action.REGISTRATION_LETTER,
        request=request,
        actor=actor,
        centre=centre,
        summary=f"Registration letter printed for {candidate.full_name} ({candidate.unique_id})",
        data={"candidate": candidate.pk, "how": "printed"},
    )
    from examdesk.documents.letters import render_letter

    with translation.override(candidate_language(candidate)):
        return render_letter(letter_data(centre=centre, registration=registration, entries=_entries(centre, candidate)))


def letter_email_body(letter: RegistrationLetterData) -> str:
    """The letter as an e-mail, in the active language (the caller chose it)."""
    releases = "\n".join(f"- {q}, {s}: {when}" for q, s, when in letter.releases) or "- " + gettext("to be announced")
    return gettext(
        "Dear {first_name} {last_name},\n\n"
        "{centre} has entered you for exams with {board}. You can see your results online when they are released.\n\n"
        "Your ID number: {id_number}\n"
        "Your Secret Number: {secret_number}\n\n"
        "1. Go to {site_url}\n"
        "2. Enter your ID number and Secret Number.\n"
        "3. Enter your e-mail address and choose a password, then confirm your address with the link we send you.\n"
        "4. Sign in after the release time to see your results:\n{releases}\n\n"
        "Keep this e-mail safe: the Secret Number registers one account only.\n"
        "Questions about your results: {contact}.\n"
    ).format(
        first_name=letter.candidate_first_name,
        last_name=letter.candidate_last_name,
        centre=letter.centre_name,
        board=letter.board_name,
        id_number=keys.group(letter.id_number, 3),
        secret_number=letter.secret_number,
        site_url=letter.site_url,
        releases=releases,
        contact=letter.contact,
    )


def letter_email_subject(letter: RegistrationLetterData) -> str:
    return gettext("Your results online: {board}").format(board=letter.board_name)


def registration_letter_email(
    *, actor: Any, centre: Centre, candidate: Candidate, request: HttpRequest | None = None
) -> str:
    """E-mail the letter's text to the candidate's address on record; returns that address."""
    if not candidate.email:
        raise ApplicationError(NO_EMAIL.format(name=candidate.full_name))
    with transaction.atomic():
        registration = registration_for(candidate=candidate)
        with translation.override(candidate_language(candidate)):
            letter = letter_data(centre=centre, registration=registration, entries=_entries(centre, candidate))
            email_queue(to=candidate.email, subject=letter_email_subject(letter), body=letter_email_body(letter))
        audit_record(
            action=AuditEvent.Action.REGISTRATION_LETTER,
            request=request,
            actor=actor,
            centre=centre,
            summary=f"Registration letter e-mailed to {candidate.full_name} ({candidate.unique_id})",
            data={"candidate": candidate.pk, "how": "e-mail", "to": candidate.email},
        )
    return candidate.email


@transaction.atomic
def secret_reissue(
    *, actor: Any, centre: Centre, candidate: Candidate, request: HttpRequest | None = None
) -> OnlineRegistration:
    """A new Secret Number: the old letter stops working. Only before the candidate has registered."""
    registration = OnlineRegistration.objects.select_for_update().get(pk=registration_for(candidate=candidate).pk)
    if registration.user_id is not None and not login_withdrawn(registration=registration):
        raise ApplicationError(ALREADY_REGISTERED.format(name=candidate.full_name))
    registration.secret_version += 1
    registration.save(update_fields=["secret_version"])
    registration.pending.all().delete()
    audit_record(
        action=AuditEvent.Action.SECRET_REISSUED,
        request=request,
        actor=actor,
        centre=centre,
        summary=f"New Secret Number for {candidate.full_name} ({candidate.unique_id})",
        data={"candidate": candidate.pk, "version": registration.secret_version},
    )
    return registration


@transaction.atomic
def registered_email_correct(
    *, actor: Any, centre: Centre, candidate: Candidate, email: str, request: HttpRequest | None = None
) -> User:
    """Correct the e-mail a candidate registered with (mistyped or lapsed) and send a new password link there."""
    registration = OnlineRegistration.objects.select_for_update().filter(candidate=candidate).first()
    if registration is None or registration.user_id is None:
        raise ApplicationError(f"{candidate.full_name} has not registered for Results Online yet.")
    user = User.objects.select_for_update().get(pk=registration.user_id)
    if Membership.objects.filter(user=user).exists() or BoardMembership.objects.filter(user=user).exists():
        raise ApplicationError(STAFF_ACCOUNT)
    address = normalize_email(email)
    if User.objects.filter(email=address).exclude(pk=user.pk).exists():
        raise ApplicationError(EMAIL_TAKEN.format(email=address), field="email")
    previous = user.email
    user.email = address
    user.save(update_fields=["email"])
    audit_record(
        action=AuditEvent.Action.CANDIDATE_EMAIL_CHANGED,
        request=request,
        actor=actor,
        centre=centre,
        subject=user,
        summary=f"Sign-in e-mail of {candidate.full_name} corrected",
        data={"candidate": candidate.pk, "from": previous, "to": address},
    )
    password_reset_request(email=address, request=request)
    return user


def letters_for_series(*, centre: Centre, series_id: int) -> Iterator[tuple[Candidate, RegistrationLetterData]]:
    """Every letter of a centre's series, in candidate-number order, reading in batches (bounded memory)."""
    ordered = Entry.objects.filter(centre=centre, series_id=series_id).order_by("candidate_number", "id")
    candidate_ids = list(dict.fromkeys(ordered.values_list("candidate_id", flat=True)))
    for start in range(0, len(candidate_ids), 500):
        batch = candidate_ids[start : start + 500]
        registrations = {
            r.candidate_id: r
            for r in OnlineRegistration.objects.filter(candidate_id__in=batch).select_related("candidate")
        }
        entries: dict[int, list[Entry]] = {}
        for entry in (
            Entry.objects.filter(centre=centre, candidate_id__in=batch)
            .select_related("qualification", "series", "release")
            .order_by("release__released_at", "qualification__name")
        ):
            entries.setdefault(entry.candidate_id, []).append(entry)
        for candidate_id in batch:
            registration = registrations.get(candidate_id) or registration_for(
                candidate=Candidate.objects.get(pk=candidate_id)
            )
            letter = letter_data(centre=centre, registration=registration, entries=entries.get(candidate_id, []))
            yield registration.candidate, letter


def letters_job_start(*, actor: Any, centre: Centre, series_id: int, send_emails: bool, request: HttpRequest) -> Any:
    from examdesk.jobs.services import job_create

    with transaction.atomic():
        audit_record(
            action=AuditEvent.Action.REGISTRATION_LETTER,
            request=request,
            actor=actor,
            centre=centre,
            summary="Registration letters for a whole series" + (" (also e-mailed)" if send_emails else ""),
            data={"series": series_id, "emails": send_emails},
        )
        return job_create(
            owner=actor,
            centre=centre,
            kind="results.registration_letters",
            title=f"Registration letters, centre {centre.number}",
            params={"series_id": series_id, "send_emails": send_emails},
        )
