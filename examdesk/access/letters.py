"""Making login letters: new passwords are hashed, their accounts written, and the letters rendered, a chunk at a
time, into one PDF (a page per candidate) and a zip of single PDFs, both kept privately for a while.

A password exists in clear only in memory, between its generation and its chunk's letters being written to the
run's temporary files. The checkpoint never holds one: a run that is interrupted starts its files again, and
every login it had already made or changed (letter_run = this run, letter not yet issued) gets a new password,
so no letter in circulation ever holds a password that was not the last one issued.
"""

from __future__ import annotations

import logging
import tempfile
import uuid
import zipfile
from collections.abc import Iterator
from datetime import timedelta
from typing import IO, Any

from django.conf import settings
from django.core.files import File
from django.core.files.storage import storages
from django.db import transaction
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpRequest
from django.urls import reverse
from django.utils import translation

from examdesk.access import credentials
from examdesk.access.models import CandidateCredential, LetterRun, ResultsAccess
from examdesk.access.selectors import access_get, candidates_with_access, needing_logins
from examdesk.accounts.generated_logins import login_email
from examdesk.accounts.models import User
from examdesk.audit.models import AuditEvent
from examdesk.audit.services import audit_record
from examdesk.centres.models import Centre, Membership, Role
from examdesk.core.file_names import safe_file_name, unique_file_name
from examdesk.core.time import now
from examdesk.documents.letters import CredentialLetterData, render_letter, render_letters
from examdesk.people.models import Candidate
from examdesk.results.models import Entry, OnlineRegistration
from examdesk.results.registrations.services import release_lines

log = logging.getLogger(__name__)

CHUNK = 100
FOLDER = "access/letters"
DOWNLOAD_ROLES = (Role.CENTRE_ADMIN, Role.EXAMS_OFFICER)


def sign_in_url() -> str:
    return f"{settings.EXAMDESK_SITE_URL}{reverse('online:sign_in')}"


def retention_days() -> int:
    return int(settings.EXAMDESK_LETTER_RETENTION_DAYS)


# --- File names ---------------------------------------------------------------------------------------------


def member_name(number: str, candidate: Candidate, taken: set[str]) -> str:
    """The letter's name in the zip: "<number> <first> <last>.pdf", made safe and unique in the zip."""
    return unique_file_name(safe_file_name(f"{number} {candidate.first_name} {candidate.last_name}.pdf"), taken)


# --- Letter data --------------------------------------------------------------------------------------------


def _candidates(centre: Centre, ids: list[int]) -> list[Candidate]:
    entries = Entry.objects.filter(centre=centre).select_related("qualification", "series", "release")
    entries = entries.order_by("release__released_at", "qualification__name", "pk")
    found = Candidate.objects.filter(centre=centre, pk__in=ids).prefetch_related(
        Prefetch("entries", queryset=entries, to_attr="letter_entries")
    )
    by_id = {candidate.pk: candidate for candidate in found}
    return [by_id[pk] for pk in ids if pk in by_id]


def candidate_number(candidate: Candidate) -> str:
    entries: list[Entry] = getattr(candidate, "letter_entries", [])
    numbers = sorted({entry.candidate_number for entry in entries})
    return ", ".join(numbers) if numbers else candidate.unique_id


def letter_data(
    *, centre: Centre, access: ResultsAccess, candidate: Candidate, username: str, password: str
) -> CredentialLetterData:
    entries: list[Entry] = getattr(candidate, "letter_entries", [])
    return CredentialLetterData(
        board_name=centre.board.name,
        sign_in_url=sign_in_url(),
        centre_name=centre.name,
        centre_number=centre.number,
        candidate_first_name=candidate.first_name,
        candidate_last_name=candidate.last_name,
        candidate_number=candidate_number(candidate),
        username=username,
        password=password,
        releases=release_lines(entries, zone=centre.time_zone),
        contact=access.contact or f"the exams officer at {centre.name}",
        issue_date=now().date(),
    )


# --- Logins ---------------------------------------------------------------------------------------------------


def _free_usernames(centre: Centre, count: int) -> list[str]:
    chosen: list[str] = []
    while len(chosen) < count:
        fresh = {credentials.new_username(centre.number) for _ in range(count - len(chosen))} - set(chosen)
        taken = set(CandidateCredential.objects.filter(username__in=fresh).values_list("username", flat=True))
        chosen.extend(sorted(fresh - taken))
    return chosen


def _issue_chunk(run: LetterRun, centre: Centre, ids: list[int]) -> list[tuple[Candidate, str, str]]:
    """Give each candidate of the chunk who should have one a new password; returns (candidate, username,
    password) for their letters. Hashing happens before the transaction; the writes commit together."""
    candidates = _candidates(centre, ids)
    plain = {candidate.pk: credentials.new_password() for candidate in candidates}
    hashes = credentials.hash_passwords(plain)
    issued: list[tuple[Candidate, str, str]] = []
    with transaction.atomic():
        access = ResultsAccess.objects.select_for_update().get(centre=centre)  # one writer of logins per centre
        existing = {
            credential.candidate_id: credential
            for credential in CandidateCredential.objects.select_related("user").filter(candidate_id__in=plain)
        }
        if run.kind == LetterRun.Kind.NEW:
            allowed = set(
                needing_logins(centre=centre, access=access).filter(pk__in=plain).values_list("pk", flat=True)
            )
            allowed |= {pk for pk, c in existing.items() if c.letter_run_id == run.pk and c.letter_issued_at is None}
        else:
            allowed = set(existing)
        fresh = [candidate for candidate in candidates if candidate.pk in allowed and candidate.pk not in existing]
        names = iter(_free_usernames(centre, len(fresh)))
        moment = now()
        for candidate in candidates:
            if candidate.pk not in allowed:
                continue
            credential = existing.get(candidate.pk)
            if credential is None:
                username = next(names)
                user = User.objects.create(
                    email=login_email(username),
                    full_name=candidate.full_name,
                    password=hashes[candidate.pk],
                )
                credential = CandidateCredential.objects.create(
                    candidate=candidate, username=username, user=user, letter_run=run
                )
                _link_registration(candidate, user)
            else:
                User.objects.filter(pk=credential.user_id).update(password=hashes[candidate.pk], locked_at=None)
                CandidateCredential.objects.filter(pk=credential.pk).update(
                    must_change_password=True,
                    regenerated_at=moment if run.kind == LetterRun.Kind.REGENERATE else credential.regenerated_at,
                    letter_run=run,
                    letter_issued_at=None,
                )
            issued.append((candidate, credential.username, plain[candidate.pk]))
    return issued


def _link_registration(candidate: Candidate, user: User) -> None:
    """The login's account becomes the candidate's Results Online account (their Secret Number is then used)."""
    from examdesk.results.services import registration_for

    registration = registration_for(candidate=candidate)
    OnlineRegistration.objects.filter(pk=registration.pk, user__isnull=True).update(user=user)


# --- The run -------------------------------------------------------------------------------------------------


def run_letters(ctx: Any, run: LetterRun) -> tuple[int, str, str, dict[str, str]]:
    """Make every letter of the run into two temporary files and store them; returns (letters, pdf path, zip
    path, members). Progress is reported per chunk."""
    centre = run.centre
    access = access_get(centre=centre)
    ids: list[int] = list(run.candidate_ids)
    total = len(ids)
    members: dict[str, str] = {}
    storage = storages["private"]
    with tempfile.TemporaryFile() as pdf_out, tempfile.TemporaryFile() as zip_out:
        with zipfile.ZipFile(zip_out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
            taken: set[str] = set()

            def letters() -> Iterator[CredentialLetterData]:
                for start in range(0, total, CHUNK):
                    for candidate, username, password in _issue_chunk(run, centre, ids[start : start + CHUNK]):
                        letter = letter_data(
                            centre=centre, access=access, candidate=candidate, username=username, password=password
                        )
                        name = member_name(candidate_number(candidate).split(",")[0], candidate, taken)
                        archive.writestr(name, render_letter(letter))
                        members[str(candidate.pk)] = name
                        yield letter
                    done = min(total, start + CHUNK)
                    ctx.progress(done=done, total=total, message=f"{done} of {total} candidates: logins and letters")

            try:
                # Generated logins' letters are in the centre's language: their candidates have chosen none yet.
                with translation.override(centre.language):
                    count = render_letters(letters(), pdf_out)
            except ValueError:
                if members:
                    raise
                return 0, "", "", {}  # nobody needed a letter any more
        folder = f"{FOLDER}/{run.pk}"
        pdf_out.seek(0)
        zip_out.seek(0)
        pdf_path = storage.save(f"{folder}/letters.pdf", File(pdf_out, name="letters.pdf"))
        zip_path = storage.save(f"{folder}/letters.zip", File(zip_out, name="letters.zip"))
    return count, str(pdf_path), str(zip_path), members


def run_finish(run: LetterRun, count: int, pdf_path: str, zip_path: str, members: dict[str, str]) -> None:
    moment = now()
    with transaction.atomic():
        run.letters = count
        run.pdf_path, run.zip_path, run.members = pdf_path, zip_path, members
        run.finished_at = moment
        run.expires_at = moment + timedelta(days=retention_days()) if count else None
        run.save(update_fields=["letters", "pdf_path", "zip_path", "members", "finished_at", "expires_at"])
        CandidateCredential.objects.filter(letter_run=run, letter_issued_at__isnull=True).update(
            letter_issued_at=moment
        )


def run_list(run: LetterRun) -> None:
    """A "new" run decides whom it is for when it starts: everyone with access still lacking a login."""
    ids = list(needing_logins(centre=run.centre).order_by("last_name", "first_name", "pk").values_list("pk", flat=True))
    already = list(
        CandidateCredential.objects.filter(letter_run=run, letter_issued_at__isnull=True).values_list(
            "candidate_id", flat=True
        )
    )
    run.candidate_ids = sorted(set(ids) | set(already), key=(ids + already).index)
    run.save(update_fields=["candidate_ids"])


# --- Downloads and retention -------------------------------------------------------------------------------


def may_download(user: Any, centre: Centre) -> bool:
    """Only the centre's own admins and exams officers: the letters hold passwords."""
    if not getattr(user, "is_authenticated", False):
        return False
    return Membership.objects.filter(user=user, centre=centre, role__in=DOWNLOAD_ROLES).exists()


def run_for_download(*, user: Any, number: str, run_id: str) -> LetterRun:
    """The run with its files, if this person may download them; anything else is 404."""
    try:
        key = uuid.UUID(run_id)
    except ValueError:
        raise Http404("No such letters.") from None
    run = LetterRun.objects.select_related("centre").filter(pk=key, centre__number=number).first()
    if run is None or not run.has_files or not may_download(user, run.centre):
        raise Http404("No such letters.")
    return run


def letters_download(*, user: Any, run: LetterRun, which: str, request: HttpRequest | None = None) -> FileResponse:
    """The PDF or the zip of a run, audited."""
    if which not in ("pdf", "zip"):
        raise Http404("No such file.")
    path = run.pdf_path if which == "pdf" else run.zip_path
    stamp = run.created_at.strftime("%Y-%m-%d-%H%M")
    name = f"results-online-logins-{run.centre.number}-{stamp}.{which}"
    audit_record(
        action=AuditEvent.Action.DOWNLOAD,
        request=request,
        actor=user,
        centre=run.centre,
        summary=f"Results Online login letters ({which.upper()}, {run.letters} letters)",
        data={"run": str(run.pk), "file": which},
    )
    handle: IO[bytes] = storages["private"].open(path, "rb")
    content_type = "application/pdf" if which == "pdf" else "application/zip"
    response = FileResponse(handle, as_attachment=True, filename=name, content_type=content_type)
    response["Cache-Control"] = "no-store"
    return response


def letters_expired_delete(*, moment: Any = None) -> int:
    """Delete the files of every run past its retention; returns how many runs lost their files."""
    moment = moment or now()
    storage = storages["private"]
    deleted = 0
    for run in LetterRun.objects.filter(expires_at__lte=moment, deleted_at__isnull=True).exclude(pdf_path=""):
        for path in (run.pdf_path, run.zip_path):
            try:
                if path and storage.exists(path):
                    storage.delete(path)
            except OSError:
                log.warning("Could not delete the letters file %s", path)
        LetterRun.objects.filter(pk=run.pk).update(deleted_at=moment, pdf_path="", zip_path="")
        deleted += 1
    return deleted


def letter_member(run: LetterRun, candidate_id: int) -> tuple[str, bytes] | None:
    """One candidate's single PDF from the run's zip, if the run still has its files."""
    name = run.members.get(str(candidate_id))
    if not name or not run.has_files:
        return None
    with storages["private"].open(run.zip_path, "rb") as handle, zipfile.ZipFile(handle) as archive:
        return name, archive.read(name)


def in_scope_ids(centre: Centre) -> set[int]:
    return set(candidates_with_access(centre=centre).values_list("pk", flat=True))
