"""Access-code slips are for the students: they speak the centre's language, whatever the staff page's."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from examdesk.centres.models import Role
from examdesk.core.tests.factories import CentreFactory, member
from examdesk.documents.tests.pdfcheck import pdftotext
from examdesk.sittings.tests.selectors.support import centre_with_sitting

pytestmark = pytest.mark.django_db


def _slips_text(client, made) -> str:
    client.force_login(member(made.centre, Role.CENTRE_ADMIN))
    response = client.get(f"/centres/{made.centre.number}/sittings/{made.sitting.pk}/slips.pdf")
    assert response.status_code == 200
    pages = PdfReader(io.BytesIO(response.content)).pages
    return " ".join("".join(page.extract_text() for page in pages).split())


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("pt-pt", ("O seu código de acesso", "e escreva o seu código.", "De 1 de março de 2027")),
        ("es", ("Su código de acceso", "y escriba su código.", "Del 1 de marzo de 2027")),
        ("en-gb", ("Your access code", "and type your code.", "From 1 March 2027")),
    ],
)
def test_slips_are_printed_in_the_centres_language(client, language, words):
    made = centre_with_sitting(centre=CentreFactory(language=language))
    text = _slips_text(client, made)
    for phrase in words:
        assert phrase in text, (phrase, text)


def test_arabic_slips_carry_the_arabic_words_and_language(client, tmp_path):
    made = centre_with_sitting(centre=CentreFactory(language="ar"))
    client.force_login(member(made.centre, Role.CENTRE_ADMIN))
    response = client.get(f"/centres/{made.centre.number}/sittings/{made.sitting.pk}/slips.pdf")
    reader = PdfReader(io.BytesIO(response.content))
    assert str(reader.root_object["/Lang"]).lower().startswith("ar")
    # pdftotext reads right-to-left text in its logical order (pypdf gives the words as drawn).
    text = " ".join(pdftotext(response.content, tmp_path).split())
    assert "رمز الدخول الخاص بك" in text and "مارس" in text, text
