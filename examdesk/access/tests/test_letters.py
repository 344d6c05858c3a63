"""Login letters: their content, their retention, and registrations kept."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime, timedelta

import pytest
from pypdf import PdfReader

from examdesk.access import letters, selectors, services
from examdesk.access.models import CandidateCredential, LetterRun
from examdesk.catalogue.tests import factories as catalogue
from examdesk.centres.models import Role
from examdesk.core.tests.factories import CentreFactory, member
from examdesk.people.tests.factories import CandidateFactory
from examdesk.results.models import OnlineRegistration
from examdesk.results.services import entry_for
from examdesk.results.tests.factories import entry_with_result

pytestmark = pytest.mark.django_db(transaction=True)  # jobs and e-mails start after commit


PASSWORD_RE = re.compile(r"Password\s*([A-Za-z0-9]{12})")


def _confirm(centre, actor, mode="all", **contact):
    values = {"contact_name": "Ms Rivera", "contact_phone": "+44 1223 553554", "contact_email": ""} | contact
    return services.access_confirm(actor=actor, centre=centre, mode=mode, queries_confirmed=True, **values)


def _pdf_text(run: LetterRun) -> list[str]:
    from django.core.files.storage import storages

    with storages["private"].open(run.pdf_path, "rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return [page.extract_text() for page in reader.pages]


def _password_on(text: str) -> str:
    found = PASSWORD_RE.search(text.replace("\n", " "))
    assert found, text
    return found.group(1)


def test_letter_shows_each_qualification_with_its_own_release_time():
    centre = CentreFactory()
    officer = member(centre, Role.EXAMS_OFFICER)
    candidate = CandidateFactory(centre=centre, first_name="Ana", last_name="Núñez")
    board = centre.board
    s = catalogue.series(board)
    fce, ket = catalogue.qualification(board, "FCE"), catalogue.qualification(board, "KET")
    at = datetime(2026, 8, 13, 8, tzinfo=UTC)
    entry_with_result(candidate=candidate, qualification=fce, series=s, released_at=at)
    catalogue.release(ket, s, datetime(2026, 8, 20, 6, tzinfo=UTC))
    entry_for(centre=centre, candidate=candidate, qualification=ket, series=s, candidate_number="0002")
    run = _confirm(centre, officer)
    run.refresh_from_db()
    (text,) = _pdf_text(run)
    flat = " ".join(text.split())
    assert fce.name in flat and ket.name in flat
    assert "13 August 2026" in flat and "20 August 2026" in flat
    assert "Ms Rivera, +44 1223 553554" in flat
    credential = CandidateCredential.objects.get(candidate=candidate)
    assert credential.username in flat


def test_someone_who_registered_with_the_secret_number_keeps_their_account():
    centre = CentreFactory()
    officer = member(centre, Role.EXAMS_OFFICER)
    candidate = CandidateFactory(centre=centre)
    own = member(CentreFactory(), Role.VIEWER)
    from examdesk.results.services import registration_for

    registration = registration_for(candidate=candidate)
    OnlineRegistration.objects.filter(pk=registration.pk).update(user=own)
    assert _confirm(centre, officer) is None
    assert not CandidateCredential.objects.filter(candidate=candidate).exists()
    assert selectors.counts(centre=centre).registered_themselves == 1


def test_letters_are_deleted_after_the_retention_period():
    centre = CentreFactory()
    officer = member(centre, Role.EXAMS_OFFICER)
    CandidateFactory(centre=centre)
    run = _confirm(centre, officer)
    run.refresh_from_db()
    assert letters.letters_expired_delete() == 0
    later = run.expires_at + timedelta(seconds=1)
    assert letters.letters_expired_delete(moment=later) == 1
    run.refresh_from_db()
    assert not run.has_files and run.deleted_at is not None
