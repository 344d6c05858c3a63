"""Login letters: their content, their retention, and registrations kept."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from examdesk.access import letters, selectors
from examdesk.access.models import CandidateCredential
from examdesk.access.tests.support import confirm, pdf_text
from examdesk.catalogue.tests import factories as catalogue
from examdesk.centres.models import Role
from examdesk.core.tests.factories import CentreFactory, member
from examdesk.people.tests.factories import CandidateFactory
from examdesk.results.models import OnlineRegistration
from examdesk.results.services import entry_for
from examdesk.results.tests.factories import entry_with_result

pytestmark = pytest.mark.django_db(transaction=True)  # jobs and e-mails start after commit


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
    run = confirm(centre, officer)
    run.refresh_from_db()
    (text,) = pdf_text(run)
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
    assert confirm(centre, officer) is None
    assert not CandidateCredential.objects.filter(candidate=candidate).exists()
    assert selectors.counts(centre=centre).registered_themselves == 1


def test_letters_are_deleted_after_the_retention_period():
    centre = CentreFactory()
    officer = member(centre, Role.EXAMS_OFFICER)
    CandidateFactory(centre=centre)
    run = confirm(centre, officer)
    run.refresh_from_db()
    assert letters.letters_expired_delete() == 0
    later = run.expires_at + timedelta(seconds=1)
    assert letters.letters_expired_delete(moment=later) == 1
    run.refresh_from_db()
    assert not run.has_files and run.deleted_at is not None
