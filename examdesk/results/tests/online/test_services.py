"""Registration for Results Online: the letter's numbers, e-mail confirmation, one account per Secret Number."""

from __future__ import annotations

import re
import threading
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.hashers import check_password
from django.core import mail
from django.db import connection

from examdesk.accounts.models import User
from examdesk.audit.models import AuditEvent
from examdesk.core.errors import ApplicationError
from examdesk.core.tests.factories import PASSWORD, UserFactory
from examdesk.results import keys
from examdesk.results.models import OnlineRegistration, PendingRegistration
from examdesk.results.online import services
from examdesk.results.online.forms import ID_NUMBER_TYPO, SecretForm
from examdesk.results.tests.online.helpers import a_request, registrant, well_formed_unknown_id, wrong_secret

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "lanterns over a quiet harbour"


def _start(person, email="ana@example.org", password=NEW_PASSWORD, capture=None):
    return services.registration_start(
        registration_id=person.registration.pk,
        secret_version=person.registration.secret_version,
        email=email,
        password=password,
        request=a_request(),
    )


def _token(body: str) -> str:
    match = re.search(r"/results/register/confirm/([A-Za-z0-9_-]+)/", body)
    assert match, body
    return match.group(1)


def _register(person, django_capture_on_commit_callbacks, email="ana@example.org") -> str:
    with django_capture_on_commit_callbacks(execute=True):
        _start(person, email=email)
    return _token(mail.outbox[-1].body)


# --- The numbers on the letter --------------------------------------------------------------------------------


def test_a_mistyped_id_number_is_caught_by_its_check_digit_before_any_lookup(django_assert_num_queries):
    person = registrant()
    typo = person.id_number[:-1] + str((int(person.id_number[-1]) + 1) % 10)
    form = SecretForm({"id_number": typo, "secret": person.secret})
    with django_assert_num_queries(0):
        assert not form.is_valid()
    assert form.errors["id_number"] == [ID_NUMBER_TYPO]


def test_numbers_may_be_typed_with_spaces_and_dashes():
    person = registrant()
    form = SecretForm(
        {"id_number": keys.group(person.id_number), "secret": "-".join(keys.group(person.secret).split())}
    )
    assert form.is_valid(), form.errors
    outcome = services.registration_secret_check(request=a_request(), **form.cleaned_data)
    assert outcome.registration == person.registration


def test_wrong_secret_and_unknown_id_number_get_the_same_answer():
    person = registrant()
    wrong = services.registration_secret_check(
        id_number=person.id_number, secret=wrong_secret(person.secret), request=a_request()
    )
    unknown = services.registration_secret_check(
        id_number=well_formed_unknown_id(person.id_number), secret=person.secret, request=a_request()
    )
    assert wrong.registration is None and unknown.registration is None
    assert wrong.errors == unknown.errors
    assert wrong.errors[0] == services.WRONG_NUMBERS
    assert "After 2 more wrong attempts" in wrong.errors[1]


def test_three_wrong_secrets_pause_this_address_for_this_id_number_and_a_new_browser_string_does_not_help():
    person = registrant()
    for _ in range(2):
        services.registration_secret_check(
            id_number=person.id_number, secret=wrong_secret(person.secret), request=a_request()
        )
    third = services.registration_secret_check(
        id_number=person.id_number, secret=wrong_secret(person.secret), request=a_request()
    )
    assert third.paused_until is not None
    assert "paused until" in third.errors[0] and "(Europe/London)" in third.errors[0]

    assert "from this network address" in third.errors[0] and "device" not in third.errors[0]

    # While paused, even the right Secret Number is refused from this address, whatever the browser says it is …
    refused = services.registration_secret_check(
        id_number=person.id_number, secret=person.secret, request=a_request(agent="Another browser string")
    )
    assert refused.registration is None and refused.paused_until == third.paused_until

    # … but the candidate elsewhere (at home, on a phone's network) is not locked out by someone else's guesses.
    elsewhere = services.registration_secret_check(
        id_number=person.id_number, secret=person.secret, request=a_request(agent="Phone", ip="198.51.100.40")
    )
    assert elsewhere.registration == person.registration

    with time_machine.travel(third.paused_until + timedelta(seconds=1)):
        later = services.registration_secret_check(
            id_number=person.id_number, secret=person.secret, request=a_request()
        )
        assert later.registration == person.registration


def test_guesses_at_one_id_number_from_many_places_slow_everyone_down_but_never_lock(settings):
    person = registrant()
    for place in range(settings.EXAMDESK_ACCOUNT_FAILURE_SLOWDOWN):
        services.registration_secret_check(
            id_number=person.id_number, secret=wrong_secret(person.secret), request=a_request(ip=f"198.51.100.{place}")
        )
    outcome = services.registration_secret_check(
        id_number=person.id_number, secret=person.secret, request=a_request(ip="192.0.2.99")
    )
    assert outcome.registration is None and outcome.paused_until is not None
    assert "from several places" in outcome.errors[0] and "device" not in outcome.errors[0]
    # A pause, not a lock: when it is over, the right number works.
    with time_machine.travel(outcome.paused_until + timedelta(seconds=1)):
        later = services.registration_secret_check(
            id_number=person.id_number, secret=person.secret, request=a_request(ip="192.0.2.99")
        )
        assert later.registration == person.registration


def test_an_unknown_id_number_is_paused_exactly_like_a_known_one():
    person = registrant()
    unknown = well_formed_unknown_id(person.id_number)
    answers = []
    for id_number, secret in ((person.id_number, wrong_secret(person.secret)), (unknown, wrong_secret(person.secret))):
        answers.append(
            [
                services.registration_secret_check(id_number=id_number, secret=secret, request=a_request()).errors
                for _ in range(4)
            ]
        )
    assert answers[0] == answers[1]


def test_one_device_trying_many_id_numbers_is_paused(settings):
    person = registrant()
    for _ in range(2 * settings.EXAMDESK_ACCOUNT_FAILURE_CEILING):
        services.registration_secret_check(
            id_number=well_formed_unknown_id(person.id_number), secret=person.secret, request=a_request()
        )
    outcome = services.registration_secret_check(id_number=person.id_number, secret=person.secret, request=a_request())
    assert outcome.paused_until is not None


def test_the_right_secret_clears_the_failures_of_this_device():
    person = registrant()
    for _ in range(2):
        services.registration_secret_check(
            id_number=person.id_number, secret=wrong_secret(person.secret), request=a_request()
        )
    assert services.registration_secret_check(id_number=person.id_number, secret=person.secret, request=a_request())
    again = services.registration_secret_check(
        id_number=person.id_number, secret=wrong_secret(person.secret), request=a_request()
    )
    assert again.paused_until is None and "After 2 more wrong attempts" in again.errors[1]


# --- E-mail confirmation ------------------------------------------------------------------------------------


def test_start_keeps_a_hashed_token_and_password_and_mails_a_link_from_the_site_url(
    settings, django_capture_on_commit_callbacks
):
    settings.EXAMDESK_SITE_URL = "https://results.example-board.org"
    person = registrant()
    with django_capture_on_commit_callbacks(execute=True):
        pending = _start(person, email="  Ana@Example.org ")
    assert pending.email == "ana@example.org"
    assert check_password(NEW_PASSWORD, pending.password_hash) and NEW_PASSWORD not in pending.password_hash
    body = mail.outbox[-1].body
    token = _token(body)
    assert f"https://results.example-board.org/results/register/confirm/{token}/" in body
    assert token not in pending.token_hash and len(pending.token_hash) == 64
    assert timedelta(hours=23, minutes=59) < pending.expires_at - pending.created_at <= timedelta(hours=24)
    assert not User.objects.filter(email="ana@example.org").exists()  # nothing before the link is used


def test_confirm_opens_the_account_links_the_registration_and_is_audited(django_capture_on_commit_callbacks):
    person = registrant()
    token = _register(person, django_capture_on_commit_callbacks)
    confirmed = services.registration_confirm(token=token, request=a_request())
    assert not confirmed.existing_account
    user = User.objects.get(email="ana@example.org")
    assert user.check_password(NEW_PASSWORD)
    assert user.full_name == person.entry.candidate.full_name
    person.registration.refresh_from_db()
    assert person.registration.user == user and person.registration.registered_at is not None
    assert not PendingRegistration.objects.exclude(password_hash="").exists()
    event = AuditEvent.objects.get(action=AuditEvent.Action.REGISTERED)
    assert event.subject_user_id == user.pk and event.centre_number == person.entry.centre.number


def test_a_used_link_says_so_and_the_secret_is_then_used(django_capture_on_commit_callbacks):
    person = registrant()
    token = _register(person, django_capture_on_commit_callbacks)
    services.registration_confirm(token=token, request=a_request())
    with pytest.raises(ApplicationError) as used:
        services.registration_confirm(token=token, request=a_request())
    assert used.value.message == services.LINK_USED

    again = services.registration_secret_check(id_number=person.id_number, secret=person.secret, request=a_request())
    assert again.registration is None and again.errors == (services.NUMBER_ALREADY_USED,)
    with pytest.raises(ApplicationError, match="already been used"):
        _start(person, email="someone.else@example.org")


def test_an_expired_link_says_so(django_capture_on_commit_callbacks):
    person = registrant()
    token = _register(person, django_capture_on_commit_callbacks)
    with time_machine.travel(timedelta(hours=24, seconds=1)):
        with pytest.raises(ApplicationError) as expired:
            services.registration_confirm(token=token, request=a_request())
    assert "has expired" in expired.value.message
    person.registration.refresh_from_db()
    assert person.registration.user is None


def test_an_unknown_link_says_so():
    with pytest.raises(ApplicationError) as unknown:
        services.registration_confirm(token="not-a-real-token", request=a_request())
    assert unknown.value.message == services.LINK_UNKNOWN


def test_an_existing_account_with_the_address_is_linked_and_keeps_its_password(django_capture_on_commit_callbacks):
    existing = UserFactory(email="ana@example.org")
    person = registrant()
    token = _register(person, django_capture_on_commit_callbacks, email="ANA@example.org")
    confirmed = services.registration_confirm(token=token, request=a_request())
    assert confirmed.existing_account and confirmed.user == existing
    existing.refresh_from_db()
    assert existing.check_password(PASSWORD) and not existing.check_password(NEW_PASSWORD)
    assert User.objects.count() == 1
    person.registration.refresh_from_db()
    assert person.registration.user == existing


def test_of_two_links_for_one_secret_only_the_first_used_wins(django_capture_on_commit_callbacks):
    person = registrant()
    first = _register(person, django_capture_on_commit_callbacks, email="ana@example.org")
    second = _register(person, django_capture_on_commit_callbacks, email="ana.other@example.org")
    services.registration_confirm(token=second, request=a_request())
    with pytest.raises(ApplicationError) as lost:
        services.registration_confirm(token=first, request=a_request())
    assert lost.value.message == services.NUMBER_ALREADY_USED
    assert not User.objects.filter(email="ana@example.org").exists()


def test_a_new_secret_number_issued_between_the_steps_stops_the_old_one():
    person = registrant()
    OnlineRegistration.objects.filter(pk=person.registration.pk).update(secret_version=2)
    with pytest.raises(ApplicationError) as changed:
        _start(person)
    assert changed.value.message == services.NEW_NUMBER_ISSUED


@pytest.mark.django_db(transaction=True)
def test_two_registrations_racing_for_one_secret_only_one_wins(django_capture_on_commit_callbacks):
    person = registrant()
    tokens = [_register(person, django_capture_on_commit_callbacks, email=f"racer{n}@example.org") for n in range(2)]
    barrier = threading.Barrier(2)
    outcomes: list[object] = []

    def confirm(token: str) -> None:
        try:
            barrier.wait()
            outcomes.append(services.registration_confirm(token=token, request=a_request()))
        except ApplicationError as error:
            outcomes.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=confirm, args=(token,)) for token in tokens]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    wins = [o for o in outcomes if isinstance(o, services.Confirmed)]
    losses = [o for o in outcomes if isinstance(o, ApplicationError)]
    assert len(wins) == 1 and len(losses) == 1, outcomes
    assert losses[0].message == services.NUMBER_ALREADY_USED
    person.registration.refresh_from_db()
    assert person.registration.user == wins[0].user
    assert User.objects.filter(email__startswith="racer").count() == 1
    assert AuditEvent.objects.filter(action=AuditEvent.Action.REGISTERED).count() == 1


def refuse_everyone(*, user):
    return "Refused for this test."


def test_sign_in_asks_the_refusal_that_settings_name(settings):
    # Results do not import access: the generated-login refusal (access) is found through settings.
    assert settings.EXAMDESK_LOGIN_REFUSAL == "examdesk.access.selectors.refusal_for"
    settings.EXAMDESK_LOGIN_REFUSAL = f"{__name__}.refuse_everyone"
    assert services.login_refusal(object()) == "Refused for this test."
