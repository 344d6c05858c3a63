"""Results Online pages through Django's test client: registration steps, sign-in by ID number, forgotten password,
and the candidate's home and result pages (tenancy; pending, withheld, not online)."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime

import pytest
from django.core import mail
from django.test import Client

from examdesk.accounts.models import User
from examdesk.catalogue.tests import factories as catalogue
from examdesk.core.tests.factories import PASSWORD, UserFactory
from examdesk.results import gate, keys
from examdesk.results.models import Result
from examdesk.results.online import services
from examdesk.results.tests.online.helpers import registered, registrant, wrong_secret

pytestmark = pytest.mark.django_db(transaction=True)  # e-mails leave after commit

PAST = datetime(2026, 1, 1, tzinfo=UTC)
FUTURE = datetime(2099, 8, 13, 7, 0, tzinfo=UTC)
NEW_PASSWORD = "lanterns over a quiet harbour"


def _text(response) -> str:
    return re.sub(r"\s+", " ", html.unescape(response.content.decode()))


def _main(response) -> str:
    return _text(response).split("<main", 1)[1].split("</main>", 1)[0]


# --- Registration ----------------------------------------------------------------------------------------------


def test_registration_from_the_letter_to_the_first_sign_in():
    person = registrant(released_at=PAST)
    browser = Client()
    assert browser.get("/results/register/").status_code == 200

    wrong = browser.post("/results/register/", {"id_number": person.id_number, "secret": wrong_secret(person.secret)})
    assert wrong.status_code == 200
    assert services.WRONG_NUMBERS in _text(wrong)

    right = browser.post(
        "/results/register/", {"id_number": keys.group(person.id_number), "secret": keys.group(person.secret)}
    )
    assert right.status_code == 302 and right["Location"] == "/results/register/account/"
    step2 = browser.get("/results/register/account/")
    assert person.entry.candidate.first_name in _text(step2)

    mismatch = browser.post(
        "/results/register/account/",
        {"email": "ana@example.org", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD + "!"},
    )
    assert "The two passwords are not the same." in _text(mismatch)
    short = browser.post(
        "/results/register/account/", {"email": "ana@example.org", "password1": "short", "password2": "short"}
    )
    assert "This password is too short." in _text(short)

    done = browser.post(
        "/results/register/account/",
        {"email": "ana@example.org", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        follow=True,
    )
    assert "ana@example.org" in _text(done) and "Check your e-mail" in _text(done)
    link = re.search(r"https?://\S+(/results/register/confirm/\S+/)", mail.outbox[-1].body).group(1)

    # Opening the link changes nothing (mail scanners open links); the button confirms.
    page = browser.get(link)
    assert "Confirm my registration" in _text(page)
    assert not User.objects.filter(email="ana@example.org").exists()
    confirmed = browser.post(link)
    assert "You are registered" in _text(confirmed)
    again = browser.post(link)
    assert services.LINK_USED in _text(again)

    # The second step cannot be reached without the first.
    assert Client().get("/results/register/account/")["Location"] == "/results/register/"

    # The same Secret Number again: already used.
    used = Client().post("/results/register/", {"id_number": person.id_number, "secret": person.secret})
    assert services.NUMBER_ALREADY_USED in _text(used)

    # Sign in with the ID number, typed with spaces.
    fresh = Client()
    signed_in = fresh.post("/results/sign-in/", {"identifier": keys.group(person.id_number), "password": NEW_PASSWORD})
    assert signed_in.status_code == 302 and signed_in["Location"] == "/results/"
    home = fresh.get("/results/")
    assert person.entry.qualification.name in _text(home) and "See your result" in _text(home)
    assert fresh.get("/")["Location"] == "/results/"  # the start page of a candidate is their results


def test_a_paused_registration_answers_429_with_the_time():
    person = registrant()
    browser = Client()
    for _ in range(2):
        browser.post("/results/register/", {"id_number": person.id_number, "secret": wrong_secret(person.secret)})
    third = browser.post("/results/register/", {"id_number": person.id_number, "secret": wrong_secret(person.secret)})
    assert third.status_code == 429
    assert re.search(r"paused until \d{2}:\d{2} on .* \(Europe/London\)", _text(third))


# --- Sign-in and forgotten password -------------------------------------------------------------------------


def test_sign_in_by_id_number_locks_like_sign_in_by_e_mail():
    person = registrant()
    registered(person, email="ana@example.org")
    browser = Client(HTTP_USER_AGENT="Browser A")
    first = browser.post("/results/sign-in/", {"identifier": person.id_number, "password": "wrong"})
    assert services.LOGIN_FAILED in _text(first) and "After 2 more failed attempts" in _text(first)
    spaced = browser.post("/results/sign-in/", {"identifier": person.id_number, "password": PASSWORD + " "})
    assert "starts or ends with a space" in _text(spaced)
    third = browser.post("/results/sign-in/", {"identifier": person.id_number, "password": "wrong"})
    assert third.status_code == 429
    assert re.search(r"paused until \d{2}:\d{2} on .* \(Europe/London\)", _text(third))
    # The pause belongs to the account at this address, whichever name it is typed with and whatever the browser.
    by_email = browser.post("/results/sign-in/", {"identifier": "ana@example.org", "password": PASSWORD})
    assert by_email.status_code == 429
    other_string = Client(HTTP_USER_AGENT="Browser B")
    assert (
        other_string.post("/results/sign-in/", {"identifier": person.id_number, "password": PASSWORD}).status_code
        == 429
    )
    # The candidate elsewhere signs in as usual.
    other = Client(HTTP_USER_AGENT="Browser B", REMOTE_ADDR="198.51.100.30")
    assert other.post("/results/sign-in/", {"identifier": person.id_number, "password": PASSWORD}).status_code == 302


def test_an_unregistered_id_number_fails_like_a_wrong_password():
    person = registrant()
    response = Client().post("/results/sign-in/", {"identifier": person.id_number, "password": PASSWORD})
    assert services.LOGIN_FAILED in _text(response)


def test_a_mistyped_id_number_is_caught_before_sign_in():
    person = registrant()
    typo = person.id_number[:-1] + str((int(person.id_number[-1]) + 1) % 10)
    response = Client().post("/results/sign-in/", {"identifier": typo, "password": PASSWORD})
    assert "one of its digits is mistyped" in _text(response)


def test_forgotten_password_by_id_number_mails_the_registered_address_and_answers_the_same_either_way():
    person = registrant()
    registered(person, email="ana@example.org")
    known = Client().post("/results/forgotten-password/", {"identifier": person.id_number}, follow=True)
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["ana@example.org"]
    assert "/account/reset/" in mail.outbox[0].body
    unknown = Client().post("/results/forgotten-password/", {"identifier": "nobody@example.org"}, follow=True)
    assert len(mail.outbox) == 1
    assert _main(known) == _main(unknown)
    assert (
        "If you registered with an e-mail address that has lapsed or was mistyped, you will not receive the e-mail: "
        "your centre can correct your address and send you a new link." in _text(known)
    )


# --- Home and result pages ------------------------------------------------------------------------------------


def test_someone_not_signed_in_or_not_registered_sees_how_to_register():
    assert "How to register" in _text(Client().get("/results/"))
    staff = Client()
    staff.force_login(UserFactory())
    page = _text(staff.get("/results/"))
    assert "How to register" in page and "has no Results Online registration" in page


def test_another_candidates_entry_is_404():
    mine, theirs = registrant(released_at=PAST), registrant(released_at=PAST)
    user = registered(mine)
    registered(theirs, email="someone@example.org")
    browser = Client()
    browser.force_login(user)
    assert browser.get(f"/results/entries/{mine.entry.pk}/").status_code == 200
    assert browser.get(f"/results/entries/{theirs.entry.pk}/").status_code == 404
    assert browser.get(f"/results/entries/{theirs.entry.pk}/statement.pdf").status_code == 404


def test_a_signed_out_visitor_is_sent_to_the_candidates_sign_in():
    person = registrant(released_at=PAST)
    response = Client().get(f"/results/entries/{person.entry.pk}/")
    assert response.status_code == 302 and response["Location"].startswith("/results/sign-in/?next=")


def test_the_home_page_names_the_release_time_in_the_centres_zone():
    person = registrant(released_at=FUTURE, centre=None)
    person.entry.centre.time_zone = "Asia/Tokyo"
    person.entry.centre.save()
    browser = Client()
    browser.force_login(registered(person))
    page = _text(browser.get("/results/"))
    assert "Results available on 13 August 2099, 16:00 (Asia/Tokyo)" in page
    assert "See your result" not in page


@pytest.mark.parametrize(
    ("status", "message"),
    [
        (Result.Status.PENDING, "Your result is pending"),
        (Result.Status.WITHHELD, "Your result is withheld"),
    ],
)
def test_pending_and_withheld_results_say_so_and_show_no_scores(status, message):
    person = registrant(released_at=PAST, status=status)
    browser = Client()
    browser.force_login(registered(person))
    assert message in _text(browser.get("/results/"))
    page = _text(browser.get(f"/results/entries/{person.entry.pk}/"))
    assert message in page and "Overall score" not in page and "Reading" not in page
    assert browser.get(f"/results/entries/{person.entry.pk}/statement.pdf").status_code == 404


def test_a_qualification_not_online_says_to_contact_the_centre():
    from examdesk.results.tests.factories import entry_with_result

    person = registrant(released_at=PAST)
    movers = catalogue.qualification(person.entry.centre.board, "YLE-MOV")
    entry = entry_with_result(
        candidate=person.entry.candidate,
        qualification=movers,
        released_at=PAST,
        scores={"LI": 4, "RW": 5, "SP": 3},
    )
    browser = Client()
    browser.force_login(registered(person))
    assert gate.NOT_ONLINE_MESSAGE in _text(browser.get("/results/"))
    page = _text(browser.get(f"/results/entries/{entry.pk}/"))
    assert gate.NOT_ONLINE_MESSAGE in page and "Overall score" not in page


def test_result_page_shows_scores_grade_cefr_profile_and_how_to_query():
    person = registrant(released_at=PAST)
    browser = Client()
    browser.force_login(registered(person))
    response = browser.get(f"/results/entries/{person.entry.pk}/")
    assert "no-store" in response["Cache-Control"]
    page = _text(response)
    for text in ("Reading", "185", "Use of English", "190", "Overall score", "190", "Pass at Grade C", "B2"):
        assert text in page
    assert "<svg" in page
    assert f"contact your centre's exams officer at {person.entry.centre.name}" in page
    assert "Download your statement (PDF)" in page
    assert "opens in any PDF reader or in your web browser" in page
    assert person.entry.verification_code in page


def test_forgotten_password_e_mails_by_id_number_are_capped_and_the_page_does_not_change():
    person = registrant()
    registered(person, email="ana@example.org")
    pages = set()
    for n in range(6):
        response = Client(REMOTE_ADDR=f"198.51.100.{n}").post(
            "/results/forgotten-password/", {"identifier": person.id_number}, follow=True
        )
        pages.add((response.status_code, response.templates[0].name))
    assert len(pages) == 1
    assert len([m for m in mail.outbox if m.to == ["ana@example.org"]]) == 3
