"""Results access pages: settings, logins, sign-in by username, refusal, downloads, passwords."""

from __future__ import annotations

import html
import logging
import zipfile

import pytest
from django.apps import apps
from django.db import connection, models
from django.urls import reverse

from examdesk.access import selectors, services
from examdesk.access.models import CandidateCredential, LetterRun, ResultsAccess
from examdesk.access.tests.support import confirm, password_on, pdf_text
from examdesk.accounts.generated_logins import is_login_email
from examdesk.centres.models import Role
from examdesk.core.errors import ApplicationError
from examdesk.core.tests.factories import CentreFactory, member
from examdesk.people.tests.factories import CandidateFactory
from examdesk.results.models import OnlineRegistration

pytestmark = pytest.mark.django_db(transaction=True)  # jobs and e-mails start after commit


def test_first_visit_says_no_candidates(client):
    centre = CentreFactory()
    client.force_login(member(centre, Role.EXAMS_OFFICER))
    page = client.get(reverse("centres:access:status", args=[centre.number]))
    assert page.status_code == 200
    assert "Status: No candidates" in html.unescape(page.content.decode())


@pytest.mark.parametrize(
    ("tick", "phone", "email", "expected"),
    [
        (False, "+44 1223 553554", "", services.TICK_REQUIRED),
        (True, "", "", services.PHONE_OR_EMAIL),
        (True, "12", "", services.PHONE_INVALID),
        (True, "", "not-an-address", "Enter an e-mail address in the right format"),
    ],
)
def test_confirm_refused_without_tick_or_contact(client, tick, phone, email, expected):
    centre = CentreFactory()
    client.force_login(member(centre, Role.EXAMS_OFFICER))
    data = {"mode": "all", "contact_name": "Ms Rivera", "contact_phone": phone, "contact_email": email}
    if tick:
        data["queries_confirmed"] = "on"
    page = client.post(reverse("centres:access:edit", args=[centre.number]), data)
    assert page.status_code == 200
    assert expected in html.unescape(page.content.decode())
    assert not ResultsAccess.objects.filter(centre=centre).exists()
    with pytest.raises(ApplicationError):
        services.access_confirm(
            actor=None,
            centre=centre,
            mode="all",
            queries_confirmed=tick,
            contact_name="A",
            contact_phone=phone,
            contact_email=email,
        )


def test_confirm_makes_logins_once_and_sign_in_works_then_access_withdrawn(client):
    centre = CentreFactory()
    officer = member(centre, Role.CENTRE_ADMIN)
    first, second = CandidateFactory(centre=centre), CandidateFactory(centre=centre)
    run = confirm(centre, officer, mode="selected")
    assert run is None  # nobody selected yet
    services.selection_change(actor=officer, centre=centre, candidate_ids=[first.pk], select=True)
    assert selectors.counts(centre=centre).letters_pending == 1
    client.force_login(officer)
    client.post(reverse("centres:access:make_letters", args=[centre.number]))
    run = LetterRun.objects.get(centre=centre)
    assert run.letters == 1 and run.expires_at is not None
    credential = CandidateCredential.objects.get(candidate=first)
    assert credential.letter_issued_at is not None and credential.must_change_password
    assert is_login_email(credential.user.email)
    assert OnlineRegistration.objects.get(candidate=first).user == credential.user
    assert not CandidateCredential.objects.filter(candidate=second).exists()

    # The zip holds one PDF per candidate, named by candidate number and name.
    from django.core.files.storage import storages

    with storages["private"].open(run.zip_path, "rb") as handle, zipfile.ZipFile(handle) as archive:
        assert archive.namelist() == [f"{first.unique_id} {first.first_name} {first.last_name}.pdf"]
    password = password_on(pdf_text(run)[0])

    client.logout()
    signed = client.post(reverse("online:sign_in"), {"identifier": credential.username.upper(), "password": password})
    assert signed.status_code == 302
    # A generated password must be changed before anything else.
    page = client.get(reverse("online:home"))
    assert page.status_code == 302 and page["Location"] == reverse("accounts:password_change")
    changed = client.post(
        reverse("accounts:password_change"),
        {"old_password": password, "new_password1": "my own long secret 42", "new_password2": "my own long secret 42"},
    )
    assert changed.status_code == 302 and changed["Location"] == reverse("online:home")
    assert client.get(reverse("online:home")).status_code == 200
    credential.refresh_from_db()
    assert not credential.must_change_password

    # Deselecting revokes at once: the open session is ended, and signing in again is refused.
    services.selection_change(actor=officer, centre=centre, candidate_ids=[first.pk], select=False)
    page = client.get(reverse("online:home"))
    assert page.status_code == 302 and page["Location"] == reverse("online:sign_in")
    refused = client.post(
        reverse("online:sign_in"), {"identifier": credential.username, "password": "my own long secret 42"}
    )
    assert "has not given you access to Results Online, or has withdrawn it" in html.unescape(refused.content.decode())
    assert "Ms Rivera" in html.unescape(refused.content.decode())

    # Re-confirming "all" makes a login only for the one without: the first keeps theirs.
    before = CandidateCredential.objects.get(candidate=first).user.password
    run2 = confirm(centre, officer, mode="all")
    run2.refresh_from_db()
    assert run2.candidate_ids == [second.pk] and run2.letters == 1
    assert CandidateCredential.objects.get(candidate=first).user.password == before


def test_regenerate_replaces_the_password_and_the_old_letter_stops_working(client):
    centre = CentreFactory()
    officer = member(centre, Role.EXAMS_OFFICER)
    candidate = CandidateFactory(centre=centre)
    run = confirm(centre, officer)
    run.refresh_from_db()
    old = password_on(pdf_text(run)[0])
    credential = CandidateCredential.objects.get(candidate=candidate)
    again = services.regenerate_start(actor=officer, centre=centre, candidate_ids=[candidate.pk])
    again.refresh_from_db()
    new = password_on(pdf_text(again)[0])
    assert new != old
    credential.refresh_from_db()
    assert credential.user.check_password(new) and not credential.user.check_password(old)
    assert credential.regenerated_at is not None and credential.username in pdf_text(again)[0]


def test_another_centres_staff_cannot_download_and_downloads_are_audited(client):
    from examdesk.audit.models import AuditEvent

    centre = CentreFactory()
    officer = member(centre, Role.EXAMS_OFFICER)
    CandidateFactory(centre=centre)
    run = confirm(centre, officer)
    other = member(CentreFactory(), Role.CENTRE_ADMIN)
    teacher = member(centre, Role.TEACHER)
    for who in (other, teacher):
        client.force_login(who)
        for which in ("pdf", "zip"):
            url = reverse("centres:access:download", args=[centre.number, run.pk, which])
            assert client.get(url).status_code == 404
    client.force_login(officer)
    response = client.get(reverse("centres:access:download", args=[centre.number, run.pk, "pdf"]))
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    b"".join(response.streaming_content)
    assert AuditEvent.objects.filter(action=AuditEvent.Action.DOWNLOAD, centre_id=centre.pk).count() == 1


def test_no_plaintext_password_in_the_database_logs_or_audit(client, caplog):
    caplog.set_level(logging.DEBUG)
    centre = CentreFactory()
    officer = member(centre, Role.EXAMS_OFFICER)
    for _ in range(3):
        CandidateFactory(centre=centre, email="someone@example.org")
    run = confirm(centre, officer)
    run.refresh_from_db()
    client.force_login(officer)
    client.post(reverse("centres:access:emails_start", args=[centre.number, run.pk]))
    services.regenerate_start(actor=officer, centre=centre, candidate_ids=list(run.candidate_ids[:1]))
    passwords = set()
    for done in LetterRun.objects.filter(centre=centre):
        passwords |= {password_on(text) for text in pdf_text(done)}
    assert len(passwords) == 4
    client.logout()
    credential = CandidateCredential.objects.first()
    for password in passwords:  # a sign-in attempt with each, too
        client.post(reverse("online:sign_in"), {"identifier": credential.username, "password": password})

    found = []
    with connection.cursor() as cursor:
        for model in apps.get_models(include_auto_created=True):
            columns = [
                f.column
                for f in model._meta.concrete_fields
                if isinstance(f, (models.CharField, models.TextField, models.JSONField))
            ]
            if not columns:
                continue
            names = ", ".join(connection.ops.quote_name(column) for column in columns)
            cursor.execute(f'SELECT {names} FROM "{model._meta.db_table}"')  # noqa: S608
            for row in cursor.fetchall():
                blob = " ".join(str(value) for value in row)
                found += [(model._meta.db_table, p) for p in passwords if p in blob]
    assert found == []
    logged = caplog.text + " ".join(str(record.__dict__) for record in caplog.records)
    assert not [p for p in passwords if p in logged]
