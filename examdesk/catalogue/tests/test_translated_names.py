"""A qualification file's optional `translations`: the board's names per language, checked like the rest of the file,
stored on the qualification, downloaded back, and shown in the reader's language (else the board's wording)."""

from __future__ import annotations

import pytest
from django.utils import translation

from examdesk.catalogue import names
from examdesk.catalogue.definitions import parse_data
from examdesk.catalogue.selectors import qualification_data
from examdesk.catalogue.services import qualifications_load
from examdesk.catalogue.tests.test_definitions import good, problems_of
from examdesk.core.tests.factories import BoardFactory

PORTUGUESE = {
    "name": "B1 Preliminar",
    "components": {"RD": "Leitura"},
    "labels": {"Pass with Distinction": "Aprovado com distinção"},
}


def with_translations(translations: object) -> dict:
    data = good()
    data["qualifications"][0]["translations"] = translations
    return data


def test_translations_are_read_and_each_name_falls_back_to_the_boards_own():
    [definition] = parse_data(with_translations({"pt-pt": PORTUGUESE, "es": {"components": {"WR": "Escritura"}}}))
    assert definition.translations == {"pt-pt": PORTUGUESE, "es": {"components": {"WR": "Escritura"}}}


@pytest.mark.django_db
def test_stored_downloaded_and_shown_in_the_readers_language():
    board = BoardFactory()
    [qualification] = qualifications_load(board=board, definitions=parse_data(with_translations({"pt-pt": PORTUGUESE})))
    assert qualification_data(qualification)["translations"] == {"pt-pt": PORTUGUESE}
    with translation.override("pt-pt"):
        assert names.qualification_name(qualification) == "B1 Preliminar"
        assert names.component_name(qualification, "RD", "Reading") == "Leitura"
        assert names.component_name(qualification, "WR", "Writing") == "Writing"  # not translated: the board's
        assert names.result_label(qualification, "Pass with Distinction") == "Aprovado com distinção"
    with translation.override("es"):
        assert names.qualification_name(qualification) == "B1 Preliminary"
    # A file is the whole qualification: one without the key has no translations (only the edit form, which shows
    # none, leaves them as they are).
    [qualification] = qualifications_load(board=board, definitions=parse_data(good()))
    assert qualification.translations == {}


def test_a_wrong_language_code_or_label_is_a_problem_with_its_place():
    problems = problems_of(
        with_translations(
            {"fr": {"name": "B1"}, "pt-pt": {"components": {"XX": "?"}, "labels": {"Merit": "?"}, "title": "?"}}
        )
    )
    text = "\n".join(problems)
    assert "translations.fr: not a language Examdesk translates into: use one of ar, es, pt-pt." in text
    assert "translations.pt-pt.components.XX: not a component code of this qualification." in text
    assert "translations.pt-pt.labels.Merit: not a band label of this qualification." in text
    assert "unknown key 'title': use name, components or labels." in text
