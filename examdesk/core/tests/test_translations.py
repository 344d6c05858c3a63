"""The catalogues are complete for what candidates see: every candidate-facing message translated in every language
(not fuzzy, every plural form, the same placeholders), nothing in the code missing from the catalogues, and the
candidates' pages rendered in each language leave no English message untranslated."""

from __future__ import annotations

import html
import re
import shutil
from datetime import UTC, datetime, timedelta

import polib
import pytest
import time_machine
from django.test import Client
from django.utils import translation

from examdesk.catalogue.demo import DEMO_FILE
from examdesk.catalogue.tests.factories import demo_qualifications
from examdesk.core import candidate_facing
from examdesk.results.tests.online.helpers import registered, registrant

LANGUAGES = ("pt-pt", "es", "ar")


@pytest.mark.parametrize("language", candidate_facing.TRANSLATED)
def test_every_candidate_facing_message_is_translated(language):
    problems = candidate_facing.translation_problems(language)
    assert not problems, "\n".join(str(problem) for problem in problems)


def test_the_check_finds_a_missing_or_fuzzy_translation(tmp_path, monkeypatch):
    """The check itself can fail: a copy of the Portuguese catalogue with one message emptied and one fuzzy."""
    shutil.copytree(candidate_facing.LOCALE, tmp_path / "locale")
    path = candidate_facing.catalogue_path("pt_PT", tmp_path / "locale")
    po = polib.pofile(str(path))
    sign_in = po.find("Sign in")
    sign_in.msgstr = ""
    verify = po.find("Verify")
    verify.flags.append("fuzzy")
    po.save(str(path))
    monkeypatch.setattr(candidate_facing, "LOCALE", tmp_path / "locale")
    found = {(problem.msgid, problem.what) for problem in candidate_facing.translation_problems("pt_PT")}
    assert ("Sign in", "form 0 is not translated") in found
    assert ("Verify", "fuzzy") in found


def test_arabic_has_six_plural_forms_and_they_are_used():
    po = polib.pofile(str(candidate_facing.catalogue_path("ar")))
    assert "nplurals=6" in po.metadata["Plural-Forms"]
    with translation.override("ar"):
        forms = [translation.ngettext("%(count)d minute", "%(count)d minutes", n) % {"count": n} for n in (1, 2, 5, 11)]
    assert forms == ["دقيقة واحدة", "دقيقتان", "5 دقائق", "11 دقيقة"]


def test_makemessages_finds_no_message_missing_from_the_catalogues():
    if not shutil.which("xgettext"):
        pytest.fail("makemessages needs GNU gettext's xgettext: `make gettext` installs Debian's gettext.")
    missing = candidate_facing.messages_missing_from_catalogues()
    assert not missing, "Run `examdesk makemessages -l pt_PT -l es -l ar` and translate:\n" + "\n".join(
        f"{language}: {msgid!r}" for language, msgids in missing.items() for msgid in msgids
    )


# --- The pages as candidates see them ----------------------------------------------------------------------------

RELEASE = datetime(2026, 8, 13, 8, 0, tzinfo=UTC)
_TAG = re.compile(r"<[^>]+>")


def _english_left(page: str, language: str) -> list[str]:
    """Candidate-facing msgids (whole sentences) that appear in the page's text untranslated."""
    po = polib.pofile(str(candidate_facing.catalogue_path(candidate_facing.TRANSLATED[LANGUAGES.index(language)])))
    text = html.unescape(_TAG.sub(" ", page.split("<body", 1)[-1]))
    text = re.sub(r"\s+", " ", text)
    left = []
    for entry in po:
        if not any(candidate_facing.is_candidate_facing(path) for path, _ in entry.occurrences):
            continue
        if entry.msgid_plural or "%(" in entry.msgid or "{" in entry.msgid or "<" in entry.msgid:
            continue  # shown filled in: the whole-sentence check above covers its translation
        if entry.msgstr == entry.msgid or len(entry.msgid) < 4:
            continue  # the same in this language ("Results Online", "Safari (Apple Mac)")
        if re.search(rf"(?<![\w-]){re.escape(entry.msgid)}(?![\w-])", text):
            left.append(entry.msgid)
    return left


@pytest.fixture
def person(db):
    # Names that hold no English word of the catalogue ("Centre", "Result"), which the check would report.
    from examdesk.core.tests.factories import CentreFactory
    from examdesk.people.tests.factories import CandidateFactory

    centre = CentreFactory(name="Escola Secundária de Belém", number="40004", time_zone="Europe/Lisbon")
    candidate = CandidateFactory(centre=centre, first_name="Inês", last_name="Figueiredo")
    # The demo's B2 First carries the board's translated component names and results (its `translations` key).
    qualification = demo_qualifications(centre.board, DEMO_FILE)["FCE"]
    scores = {"RD": 185, "UE": 180, "WR": 176, "LI": 178, "SP": 170}
    return registrant(candidate=candidate, qualification=qualification, released_at=RELEASE, scores=scores)


PUBLIC_PAGES = (
    "/results/",
    "/results/sign-in/",
    "/results/register/",
    "/results/forgotten-password/",
    "/results/forgotten-password/sent/",
    "/verify/",
    "/code/",
)


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_candidate_pages_in_each_language_leave_no_english(language, person):
    browser = Client(HTTP_ACCEPT_LANGUAGE=language)
    pages = {}
    for path in PUBLIC_PAGES:
        response = browser.get(path)
        assert response.status_code == 200, path
        pages[path] = response.content.decode()
    # Forms sent empty show every error message of their fields.
    pages["register errors"] = browser.post("/results/register/", {}).content.decode()
    pages["sign-in errors"] = browser.post("/results/sign-in/", {}).content.decode()
    pages["verify errors"] = browser.post("/verify/", {}).content.decode()
    pages["code error"] = browser.post("/code/", {"code": ""}).content.decode()
    browser.force_login(registered(person))
    with time_machine.travel(RELEASE - timedelta(days=1), tick=False):
        pages["home before release"] = browser.get("/results/").content.decode()
    with time_machine.travel(RELEASE + timedelta(minutes=1), tick=False):
        pages["home"] = browser.get("/results/").content.decode()
        pages["result"] = browser.get(f"/results/entries/{person.entry.pk}/").content.decode()
    for name, page in pages.items():
        assert f'lang="{language}"' in page, name
        assert ('dir="rtl"' in page) == (language == "ar"), name
        left = _english_left(page, language)
        assert not left, f"{name} in {language}: {left}"


@pytest.mark.django_db
def test_the_check_finds_english_left_on_a_page():
    page = "<html><body><h1>Sign in to Results Online</h1></body></html>"
    assert "Sign in to Results Online" in _english_left(page, "pt-pt")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "words"),
    [("pt-pt", "O som foi bloqueado."), ("es", "Se ha bloqueado el sonido."), ("ar", "تم حظر الصوت.")],
)
def test_the_javascript_catalogue_serves_the_device_checks_words(language, words):
    response = Client(HTTP_ACCEPT_LANGUAGE=language).get("/jsi18n/")
    assert response.status_code == 200
    assert words in response.content.decode("unicode_escape") or words in response.content.decode()
