"""Centre staff helping candidates into Results Online: letters, new Secret Numbers, a corrected e-mail."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime

import pytest
from pypdf import PdfReader

from examdesk.audit.models import AuditEvent
from examdesk.centres.models import Role
from examdesk.core.errors import ApplicationError
from examdesk.core.models import OutboundEmail
from examdesk.core.tests.factories import CentreFactory, UserFactory, member
from examdesk.people.tests.factories import CandidateFactory
from examdesk.results import keys
from examdesk.results.models import OnlineRegistration
from examdesk.results.registrations import services as registrations
from examdesk.results.tests.factories import entry_with_result

pytestmark = pytest.mark.django_db

RELEASE = datetime(2027, 1, 14, 8, 0, tzinfo=UTC)


@pytest.fixture
def entered():
    centre = CentreFactory(time_zone="Europe/London", name="Riverside Academy")
    candidate = CandidateFactory(centre=centre, first_name="Αλέξανδρος", last_name="Юлия", email="alex@example.org")
    entry_with_result(candidate=candidate, released_at=RELEASE)
    return centre, candidate, OnlineRegistration.objects.get(candidate=candidate)


def _secret(registration: OnlineRegistration) -> str:
    registration.refresh_from_db()
    return keys.secret_number(registration.id_number, registration.secret_version)


def _carries_score(text, registration):
    """Whether the candidate's overall score (190) stands in `text` as a number of its own. The ID number and
    Secret Number are random and printed in groups, so they are taken out first: a group may read 190."""
    for key in (registration.id_number, _secret(registration)):
        text = re.sub(r"\s*".join(key), " ", text)
    return re.search(r"(?<!\d)190(?!\d)", text) is not None


def test_letter_pdf_carries_the_keys_and_release_time_and_is_audited(entered):
    centre, candidate, registration = entered
    actor = member(centre, Role.EXAMS_OFFICER)
    pdf = registrations.registration_letter_pdf(actor=actor, centre=centre, candidate=candidate)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Αλέξανδρος" in text and "Юлия" in text
    assert registration.id_number in text.replace(" ", "")
    assert _secret(registration) in text.replace(" ", "")
    assert "14 January 2027, 08:00 (Europe/London)" in text
    assert not _carries_score(text, registration)  # a letter never carries a score
    event = AuditEvent.objects.get(action=AuditEvent.Action.REGISTRATION_LETTER)
    assert event.actor_email == actor.email and event.centre_number == centre.number


def test_letter_email_goes_to_the_address_on_record_without_scores(entered, django_capture_on_commit_callbacks):
    centre, candidate, registration = entered
    with django_capture_on_commit_callbacks(execute=False):
        address = registrations.registration_letter_email(actor=member(centre), centre=centre, candidate=candidate)
    email = OutboundEmail.objects.get()
    assert address == email.to == "alex@example.org"
    assert keys.group(_secret(registration)) in email.body
    assert not _carries_score(email.body, registration) and "Grade" not in email.body


def test_letter_email_needs_an_address(entered):
    centre, candidate, _ = entered
    candidate.email = ""
    candidate.save()
    with pytest.raises(ApplicationError, match="no e-mail address"):
        registrations.registration_letter_email(actor=member(centre), centre=centre, candidate=candidate)


def test_new_secret_number_makes_the_old_one_useless(entered):
    centre, candidate, registration = entered
    old = _secret(registration)
    registrations.secret_reissue(actor=member(centre), centre=centre, candidate=candidate)
    new = _secret(registration)
    assert new != old
    assert keys.secret_matches(registration.id_number, registration.secret_version, new)
    assert not keys.secret_matches(registration.id_number, registration.secret_version, old)
    assert AuditEvent.objects.filter(action=AuditEvent.Action.SECRET_REISSUED).count() == 1


def test_no_new_secret_number_after_registration(entered):
    centre, candidate, registration = entered
    registration.user = UserFactory()
    registration.save()
    with pytest.raises(ApplicationError, match="already registered"):
        registrations.secret_reissue(actor=member(centre), centre=centre, candidate=candidate)


def test_correcting_the_email_moves_the_account_and_sends_a_reset_link(entered, django_capture_on_commit_callbacks):
    centre, candidate, registration = entered
    user = UserFactory(email="lapsed@example.org")
    registration.user = user
    registration.save()
    with django_capture_on_commit_callbacks(execute=False):
        registrations.registered_email_correct(
            actor=member(centre), centre=centre, candidate=candidate, email=" New@Example.org "
        )
    user.refresh_from_db()
    assert user.email == "new@example.org"
    assert OutboundEmail.objects.get().to == "new@example.org"
    assert AuditEvent.objects.filter(action=AuditEvent.Action.CANDIDATE_EMAIL_CHANGED).exists()


def test_correcting_refuses_a_taken_address_and_staff_accounts(entered):
    centre, candidate, registration = entered
    registration.user = UserFactory(email="mine@example.org")
    registration.save()
    UserFactory(email="taken@example.org")
    with pytest.raises(ApplicationError, match="already uses"):
        registrations.registered_email_correct(
            actor=member(centre), centre=centre, candidate=candidate, email="taken@example.org"
        )
    registration.user = member(CentreFactory())
    registration.save()
    with pytest.raises(ApplicationError, match="also used by staff"):
        registrations.registered_email_correct(
            actor=member(centre), centre=centre, candidate=candidate, email="free@example.org"
        )


def test_letter_views_need_the_identity_tick_and_the_role(client, entered):
    centre, candidate, _ = entered
    url = f"/centres/{centre.number}/results/candidates/{candidate.pk}/letter/"
    client.force_login(member(centre, Role.TEACHER))
    assert client.post(url, {"identity_checked": "on"}).status_code == 403
    client.force_login(member(centre, Role.EXAMS_OFFICER))
    response = client.post(url, {"how": "print"}, follow=True)
    assert "Tick the box to confirm" in response.content.decode()
    response = client.post(url, {"how": "print", "identity_checked": "on"})
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.django_db(transaction=True)
def test_series_letters_job_prints_a_page_each_and_emails_those_with_an_address(client):
    centre = CentreFactory()
    officer = member(centre, Role.EXAMS_OFFICER)
    with_email = CandidateFactory(centre=centre, email="a@example.org")
    without = CandidateFactory(centre=centre, email="")
    first = entry_with_result(candidate=with_email, released_at=RELEASE, candidate_number="0001")
    entry_with_result(candidate=without, series=first.series, released_at=RELEASE, candidate_number="0002")
    client.force_login(officer)
    response = client.post(
        f"/centres/{centre.number}/results/letters/", {"series": first.series.pk, "send_emails": "on"}
    )
    from examdesk.jobs.models import Job

    job = Job.objects.get()
    assert response.url == f"/jobs/{job.pk}/"
    assert job.status == Job.Status.SUCCEEDED, job.error
    assert "2 letters ready to print; 1 e-mailed" in job.message
    download = client.get(f"/jobs/{job.pk}/download/")
    pdf = PdfReader(io.BytesIO(b"".join(download.streaming_content)))
    assert len(pdf.pages) == 2
    assert list(OutboundEmail.objects.values_list("to", flat=True)) == ["a@example.org"]
