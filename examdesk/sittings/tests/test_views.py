"""The sittings pages: extra measures checked before saving, and who sees what."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from examdesk.audit.models import AuditEvent
from examdesk.centres.models import Role
from examdesk.core.tests.factories import BoardMembershipFactory, CentreFactory, member
from examdesk.people.tests.factories import CandidateFactory
from examdesk.sittings.tests.fixtures import credits, measured_product, sitting_for

pytestmark = pytest.mark.django_db


def test_extra_measures_are_checked_before_anything_is_saved(client, frozen):
    centre = CentreFactory(number="61001")
    teacher = member(centre, Role.TEACHER)
    made = measured_product(centre)
    credits(centre, made, 1, date(2027, 12, 31))
    attempt = sitting_for(centre, made, [CandidateFactory(centre=centre)]).attempts.get()
    client.force_login(teacher)
    url = f"/centres/61001/sittings/{attempt.sitting_id}/attempts/{attempt.pk}/measures/"
    bad = client.post(url, {"m_typed": "41", "m_evidence": SimpleUploadedFile("work.pdf", b"MZ\x90\x00not a pdf")})
    text = bad.content.decode()
    assert "Enter a number from 0 to 40 for Typed dictation." in text
    assert "The file for Written work must be a PDF, PNG or JPEG." in text
    assert not attempt.measures.exists()
    big = SimpleUploadedFile("big.pdf", b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024))
    assert "larger than 10 MB" in client.post(url, {"m_evidence": big}).content.decode()
    good = client.post(
        url,
        {"m_typed": "38.5", "m_comment": "Calm", "m_evidence": SimpleUploadedFile("w.png", b"\x89PNG\r\n\x1a\nxx")},
    )
    assert good.status_code == 302
    assert attempt.measures.get(measure__code="typed").number == 38.5
    download = client.get(f"/centres/61001/sittings/{attempt.sitting_id}/attempts/{attempt.pk}/evidence/evidence/")
    assert download.status_code == 200 and download.content.startswith(b"\x89PNG")
    assert AuditEvent.objects.filter(action="sitting.measures").count() == 1
    board_staff = BoardMembershipFactory(board=centre.board).user
    client.force_login(board_staff)
    refused = client.get(f"/centres/61001/sittings/{attempt.sitting_id}/attempts/{attempt.pk}/evidence/evidence/")
    assert refused.status_code == 403


def test_who_sees_what(client, frozen):
    centre = CentreFactory(number="61002")
    viewer = member(centre, Role.VIEWER)
    officer = member(centre, Role.EXAMS_OFFICER)
    client.force_login(viewer)
    assert client.get("/centres/61002/sittings/").status_code == 200
    assert client.get("/centres/61002/sittings/new/").status_code == 403
    assert client.get("/centres/61002/credits/").status_code == 403
    client.force_login(officer)
    page = client.get("/centres/61002/sittings/new/").content.decode()
    assert "Your centre has no credits for any assessment: ask Test Board for credits." in page
    assert client.get("/centres/61002/credits/allocate/").status_code == 403
    admin = member(centre, Role.CENTRE_ADMIN)
    client.force_login(admin)
    assert client.get("/centres/61002/credits/").status_code == 200
    assert client.get("/centres/61002/credits/allocate/").status_code == 403
