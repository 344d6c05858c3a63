"""Two-step sign-in: required for board staff and centre admins (the setting), enrolment confirmed by a code,
the challenge after the password, recovery codes once each, remember-this-browser, and a centre admin's reset."""

from __future__ import annotations

import html
from datetime import timedelta

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from examdesk.accounts.devices import COOKIE_NAME
from examdesk.accounts.second_factor import services
from examdesk.audit.models import AuditEvent
from examdesk.centres.models import Role
from examdesk.core.tests.factories import PASSWORD, BoardMembershipFactory, CentreFactory, member

pytestmark = pytest.mark.django_db

REQUIRED = ["board_staff", "centre_admin"]


def code_for(device: TOTPDevice, drift: int = 0) -> str:
    """What the person's authenticator app shows now (django-otp's own TOTP function)."""
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=drift):06d}"


def _text(response) -> str:
    return " ".join(html.unescape(response.content.decode()).split())


def _sign_in(client, user):
    response = client.post(reverse("accounts:login"), {"email": user.email, "password": PASSWORD})
    assert response.status_code == 302, _text(response)
    return response


def _enrolled(user) -> TOTPDevice:
    device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    services._recovery_codes_replace(user=user)
    return device


@pytest.fixture
def required(settings):
    settings.EXAMDESK_MFA_REQUIRED_ROLES = REQUIRED


def test_the_setting_requires_board_staff_and_centre_admins_only(required):
    centre = CentreFactory()
    assert services.second_factor_required(user=member(centre, Role.CENTRE_ADMIN))
    assert services.second_factor_required(user=BoardMembershipFactory().user)
    assert not services.second_factor_required(user=member(centre, Role.EXAMS_OFFICER))
    from config.env import MFA_REQUIRED_ROLES

    assert MFA_REQUIRED_ROLES == REQUIRED  # the default outside the test settings


def test_a_centre_admin_is_sent_to_set_it_up_and_a_code_confirms_it(client, required):
    centre = CentreFactory()
    admin = member(centre, Role.CENTRE_ADMIN)
    _sign_in(client, admin)
    page = client.get(f"/centres/{centre.number}/staff/")
    assert page.status_code == 302
    assert page["Location"].startswith(reverse("accounts:second_factor_enrol"))
    enrol = client.get(page["Location"])
    text = _text(enrol)
    assert 'src="data:image/svg+xml;base64,' in enrol.content.decode()  # the QR code, inline (the CSP)
    device = TOTPDevice.objects.get(user=admin, confirmed=False)
    assert services._secret_text(device) in text
    assert client.get(reverse("accounts:second_factor_enrol")).status_code == 200
    assert TOTPDevice.objects.filter(user=admin).count() == 1  # reloading shows the same key

    wrong = client.post(
        reverse("accounts:second_factor_enrol"), {"token": "000000" if code_for(device) != "000000" else "111111"}
    )
    assert wrong.status_code == 400 and services.ENROL_WRONG_CODE in _text(wrong)
    device.refresh_from_db()
    assert not device.confirmed
    device.throttling_failure_count = 0
    device.save()

    done = client.post(
        reverse("accounts:second_factor_enrol") + "?next=/centres/", {"token": code_for(device), "next": "/centres/"}
    )
    assert done.status_code == 302 and done["Location"].startswith(reverse("accounts:second_factor_codes"))
    codes_page = client.get(done["Location"])
    codes = list(StaticToken.objects.filter(device__user=admin).values_list("token", flat=True))
    assert len(codes) == 10 and all(code in _text(codes_page) for code in codes)
    assert "only time they are shown" in _text(codes_page)
    assert client.get(reverse("accounts:second_factor_codes")).status_code == 302  # once only
    assert client.get(f"/centres/{centre.number}/staff/").status_code == 200  # this session is verified
    assert AuditEvent.objects.filter(action=AuditEvent.Action.SECOND_FACTOR_ADDED, actor_email=admin.email).exists()


def test_the_challenge_wrong_code_recovery_code_once_and_remembered_browser(client, required):
    centre = CentreFactory()
    admin = member(centre, Role.CENTRE_ADMIN)
    device = _enrolled(admin)
    recovery = StaticToken.objects.filter(device__user=admin).first().token
    _sign_in(client, admin)
    page = client.get(f"/centres/{centre.number}/staff/")
    assert page["Location"].startswith(reverse("accounts:second_factor_challenge"))
    assert client.get(reverse("accounts:second_factor_enrol"))["Location"].startswith(
        reverse("accounts:second_factor_challenge")
    )  # a password alone cannot set up another app
    wrong_code = "000000" if code_for(device) != "000000" else "111111"
    wrong = client.post(reverse("accounts:second_factor_challenge"), {"token": wrong_code})
    assert wrong.status_code == 400 and services.WRONG_CODE in _text(wrong)
    assert AuditEvent.objects.filter(action=AuditEvent.Action.SECOND_FACTOR_FAILED).count() == 1

    used = client.post(reverse("accounts:second_factor_challenge"), {"token": recovery.upper()})
    assert used.status_code == 302
    assert client.get(f"/centres/{centre.number}/staff/").status_code == 200
    assert AuditEvent.objects.filter(action=AuditEvent.Action.SECOND_FACTOR_RECOVERY_USED).exists()
    client.post(reverse("accounts:logout"))

    _sign_in(client, admin)
    again = client.post(reverse("accounts:second_factor_challenge"), {"token": recovery})
    assert again.status_code == 400 and services.WRONG_CODE in _text(again)  # a recovery code works once
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)  # the wrong code's 1-second pause
    ok = client.post(
        reverse("accounts:second_factor_challenge"), {"token": code_for(device), "remember": "on", "next": "/centres/"}
    )
    assert ok.status_code == 302 and ok["Location"] == "/centres/"
    assert COOKIE_NAME in ok.cookies
    client.post(reverse("accounts:logout"))

    _sign_in(client, admin)  # the remembered browser: no code asked
    assert client.get(f"/centres/{centre.number}/staff/").status_code == 200


def test_a_centre_admin_resets_a_member_s_second_factor_and_the_remembered_browser_is_asked_again(client, required):
    centre = CentreFactory()
    admin = member(centre, Role.CENTRE_ADMIN)
    colleague = member(centre, Role.CENTRE_ADMIN)
    _enrolled(admin)
    device = _enrolled(colleague)
    _sign_in(client, colleague)
    client.post(reverse("accounts:second_factor_challenge"), {"token": code_for(device), "remember": "on"})
    remembered = client.cookies[COOKIE_NAME].value
    client.post(reverse("accounts:logout"))

    client.force_login(admin)
    session = client.session
    session["otp_device_id"] = services.second_factor_get(user=admin).persistent_id
    session.save()
    staff = client.get(f"/centres/{centre.number}/staff/")
    assert "Reset two-step sign-in" in _text(staff)
    reset = client.post(reverse("centres:staff_second_factor_reset", args=[centre.number, colleague.pk]))
    assert reset.status_code == 302
    assert not TOTPDevice.objects.filter(user=colleague).exists()
    event = AuditEvent.objects.get(action=AuditEvent.Action.SECOND_FACTOR_RESET)
    assert (event.actor_email, event.centre_id) == (admin.email, centre.pk)
    stranger = member(CentreFactory(), Role.CENTRE_ADMIN)
    assert (
        client.post(reverse("centres:staff_second_factor_reset", args=[centre.number, stranger.pk])).status_code == 404
    )
    client.post(reverse("accounts:logout"))

    # The colleague's browser remembered the old app: after the reset and a new set-up it is asked again.
    client.cookies[COOKIE_NAME] = remembered
    _sign_in(client, colleague)
    assert client.get("/centres/")["Location"].startswith(reverse("accounts:second_factor_enrol"))
    new = TOTPDevice.objects.create(user=colleague, name="Authenticator app", confirmed=True)
    TOTPDevice.objects.filter(pk=new.pk).update(created_at=new.created_at + timedelta(seconds=5))  # set up later
    assert client.get("/centres/")["Location"].startswith(reverse("accounts:second_factor_challenge"))


def test_optional_for_others_added_and_removed_from_the_account_area(client, required):
    centre = CentreFactory()
    officer = member(centre, Role.EXAMS_OFFICER)
    _sign_in(client, officer)
    assert client.get(f"/centres/{centre.number}/").status_code == 200  # not required: no step
    page = client.get(reverse("accounts:second_factor"))
    assert "Set up two-step sign-in" in _text(page)
    client.get(reverse("accounts:second_factor_enrol"))
    device = TOTPDevice.objects.get(user=officer)
    client.post(reverse("accounts:second_factor_enrol"), {"token": code_for(device)})
    assert "Turn off two-step sign-in" in _text(client.get(reverse("accounts:second_factor")))
    client.post(reverse("accounts:second_factor_remove"))
    assert not TOTPDevice.objects.filter(user=officer).exists()
    assert AuditEvent.objects.filter(action=AuditEvent.Action.SECOND_FACTOR_REMOVED).exists()
    admin = member(centre, Role.CENTRE_ADMIN)
    _enrolled(admin)
    client.force_login(admin)
    with pytest.raises(Exception, match="required for your role"):
        services.second_factor_remove(request=client.get("/").wsgi_request, user=admin)
