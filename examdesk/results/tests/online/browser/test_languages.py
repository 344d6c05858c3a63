"""Results Online in the candidate's language: a Portuguese browser registers, signs in and downloads a statement
all in Portuguese; the language switcher changes the language, the choice is remembered (cookie and account);
Arabic pages are right to left. Every page visited passes axe at WCAG 2.2 AA (lang and dir included)."""

from __future__ import annotations

import io
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from examdesk.accounts.models import User
from examdesk.catalogue.demo import DEMO_FILE
from examdesk.catalogue.tests.factories import demo_qualifications
from examdesk.core.tests.browser_support import assert_accessible
from examdesk.core.tests.factories import CentreFactory
from examdesk.people.tests.factories import CandidateFactory
from examdesk.results import keys
from examdesk.results.tests.online.helpers import registered, registrant, wrong_secret

pytestmark = pytest.mark.browser

PASSWORD = "andorinhas sobre o telhado"
SCORES = {"RD": 185, "UE": 180, "WR": 176, "LI": 178, "SP": 170}


def _person(release_in: timedelta):
    centre = CentreFactory(name="Colégio Atlântico", number="20002", time_zone="Europe/Lisbon", language="pt-pt")
    candidate = CandidateFactory(centre=centre, first_name="Inês", last_name="Figueiredo")
    qualification = demo_qualifications(centre.board, DEMO_FILE)["FCE"]  # with the board's translated names
    release = (timezone.now() + release_in).replace(second=0, microsecond=0)
    person = registrant(candidate=candidate, qualification=qualification, released_at=release, scores=SCORES)
    return person, release


def _html(page):
    return page.locator("html")


def test_a_portuguese_candidate_registers_signs_in_and_downloads_a_statement_in_portuguese(
    live_server, new_context, mailbox
):
    person, release = _person(timedelta(hours=2))
    page = new_context(locale="pt-PT").new_page()  # Accept-Language: pt-PT

    page.goto(f"{live_server.url}/results/")
    expect(_html(page)).to_have_attribute("lang", "pt-pt")
    expect(_html(page)).to_have_attribute("dir", "ltr")
    expect(page.get_by_role("heading", name="Results Online")).to_be_visible()
    expect(page.get_by_role("heading", name="Como se registar")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Registar", exact=True).click()
    expect(page.get_by_role("heading", name="Registo no Results Online")).to_be_visible()
    assert_accessible(page)

    # Errors in Portuguese: the empty form, then a wrong Secret Number with the attempts left.
    page.get_by_role("button", name="Continuar").click()
    expect(page.get_by_role("alert")).to_contain_text("Introduza o seu número de identificação.")
    assert_accessible(page)
    page.get_by_label("Número de identificação").fill(keys.group(person.id_number))
    page.get_by_label("Número Secreto").fill(wrong_secret(person.secret))
    page.get_by_role("button", name="Continuar").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("não correspondem aos nossos registos")
    expect(summary).to_contain_text("Após mais 2 tentativas erradas")
    assert_accessible(page)

    page.get_by_label("Número Secreto").fill(keys.group(person.secret))
    page.get_by_role("button", name="Continuar").click()
    expect(page.get_by_role("heading", name="O seu endereço de e-mail e palavra-passe")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Endereço de e-mail").fill("ines@example.pt")
    page.get_by_label("Crie uma palavra-passe").fill(PASSWORD)
    page.get_by_label("Escreva de novo a palavra-passe").fill(PASSWORD + "!")
    page.get_by_role("button", name="Registar").click()
    expect(page.get_by_role("alert")).to_contain_text("As duas palavras-passe não são iguais.")
    assert_accessible(page)
    page.get_by_label("Crie uma palavra-passe").fill(PASSWORD)
    page.get_by_label("Escreva de novo a palavra-passe").fill(PASSWORD)
    page.get_by_role("button", name="Registar").click()
    expect(page.get_by_role("heading", name="Veja o seu e-mail")).to_be_visible()
    assert_accessible(page)

    # The confirmation e-mail is in the language of the page the candidate registered on.
    message = mailbox.newest_to("ines@example.pt")
    assert message["Subject"] == "Confirme o seu registo no Results Online"
    assert "Para concluir, abra esta ligação" in mailbox.body(message)
    link = mailbox.link_in_newest("ines@example.pt", containing="/results/register/confirm/")
    page.goto(link)
    expect(page.get_by_role("heading", name="Confirme o seu registo")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Confirmar o meu registo").click()
    expect(page.get_by_role("heading", name="Está registado")).to_be_visible()
    assert_accessible(page)

    page.goto(f"{live_server.url}/results/sign-in/")
    expect(page.get_by_role("heading", name="Iniciar sessão no Results Online")).to_be_visible()
    page.get_by_label("Número de identificação ou endereço de e-mail").fill(person.id_number)
    page.get_by_label("Palavra-passe", exact=True).fill("not the password")
    page.get_by_role("button", name="Iniciar sessão").click()
    expect(page.get_by_role("alert")).to_contain_text("não estão corretos")
    assert_accessible(page)
    page.get_by_label("Palavra-passe", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Iniciar sessão").click()
    expect(page.get_by_role("heading", name="Os seus resultados")).to_be_visible()
    # Before the release: the date in Portuguese, the time in the centre's zone.
    local = release.astimezone(ZoneInfo("Europe/Lisbon"))
    expect(page.get_by_role("main")).to_contain_text(f"{local:%H:%M} (Europe/Lisbon)")
    expect(page.get_by_role("main")).to_contain_text("Resultados disponíveis a ")
    assert_accessible(page)

    with time_machine.travel(release + timedelta(seconds=1), tick=True):
        page.reload()
        page.get_by_role("link", name="Ver o seu resultado").click()
        main = page.get_by_role("main")
        expect(main).to_contain_text("O seu resultado")
        expect(main).to_contain_text("Aprovado com nota")  # the board's own translation of the result
        expect(main).to_contain_text("Compreensão Oral")  # and of a component
        assert_accessible(page)
        with page.expect_download() as download_info:
            page.get_by_role("link", name="Descarregar o seu certificado (PDF)").click()
        content = open(download_info.value.path(), "rb").read()
        # Words as a reader meets them: a cell's text may wrap onto two lines.
        text = " ".join("".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages).split())
        portuguese = ("Certificado de resultados", "Pontuação global", "Número de candidato", "Aprovado com nota")
        for words in (*portuguese, "Leitura", "Código de verificação", "Emitido em"):
            assert words in text, (words, text)
        for english in ("Statement of results", "Overall score", "Candidate number", "Reading", "Issued on"):
            assert english not in text, (english, text)


def test_the_language_switcher_changes_the_language_and_remembers_it(live_server, new_context):
    person, _ = _person(timedelta(hours=-1))
    page = new_context(locale="en-GB").new_page()
    page.goto(f"{live_server.url}/results/sign-in/")
    expect(_html(page)).to_have_attribute("lang", "en-gb")
    assert_accessible(page)

    page.get_by_label("Language").select_option("es")
    page.get_by_role("button", name="Change language").click()
    expect(page).to_have_url(f"{live_server.url}/results/sign-in/")  # back on the same page
    expect(_html(page)).to_have_attribute("lang", "es")
    expect(page.get_by_role("heading", name="Iniciar sesión en Results Online")).to_be_visible()
    assert_accessible(page)
    page.goto(f"{live_server.url}/verify/")  # the cookie carries it to every page
    expect(page.get_by_role("heading", name="Verificar un certificado de resultados")).to_be_visible()
    assert_accessible(page)

    # Signed in, a choice is saved on the account too, and follows the candidate to another browser.
    user = registered(person, email="ines@example.pt")
    user.set_password(PASSWORD)
    user.save()
    page.goto(f"{live_server.url}/results/sign-in/")
    page.get_by_label("Número de identificación o dirección de correo electrónico").fill("ines@example.pt")
    page.get_by_label("Contraseña", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Iniciar sesión").click()
    expect(page.get_by_role("heading", name="Sus resultados")).to_be_visible()
    page.get_by_label("Idioma").select_option("pt-pt")
    page.get_by_role("button", name="Cambiar de idioma").click()
    expect(page.get_by_role("heading", name="Os seus resultados")).to_be_visible()
    assert User.objects.get(pk=user.pk).language == "pt-pt"
    assert_accessible(page)

    other = new_context(locale="en-GB").new_page()  # no cookie here
    other.goto(f"{live_server.url}/results/sign-in/")
    expect(other.get_by_role("heading", name="Sign in to Results Online")).to_be_visible()
    other.get_by_label("ID number or e-mail address").fill("ines@example.pt")
    other.get_by_label("Password", exact=True).fill(PASSWORD)
    other.get_by_role("button", name="Sign in").click()
    expect(other.get_by_role("heading", name="Os seus resultados")).to_be_visible()
    expect(other.locator("html")).to_have_attribute("lang", "pt-pt")
    assert_accessible(other)


def test_arabic_pages_are_right_to_left_and_accessible(live_server, new_context):
    page = new_context(locale="ar").new_page()
    for path, heading in (
        ("/results/", "Results Online"),
        ("/results/register/", "التسجيل في Results Online"),
        ("/verify/", "التحقق من كشف نتائج"),
        ("/code/", "أدخل رمز الدخول"),
    ):
        page.goto(f"{live_server.url}{path}")
        expect(_html(page)).to_have_attribute("lang", "ar")
        expect(_html(page)).to_have_attribute("dir", "rtl")
        expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
        assert_accessible(page)
    # The layout mirrors: the error summary's bar is on the right (border-inline-start in a right-to-left page).
    page.goto(f"{live_server.url}/code/")
    page.get_by_role("button", name="متابعة").click()
    expect(page.get_by_role("alert")).to_contain_text("أدخل رمز الدخول المكتوب على قسيمتك.")
    group = page.locator(".form-group--error")
    assert group.evaluate("e => getComputedStyle(e).borderRightWidth") == "5px"
    assert group.evaluate("e => getComputedStyle(e).borderLeftWidth") == "0px"
    assert_accessible(page)
