"""The nationality matcher: every name and code the packages know, the reviewed table, and the ways people
write them (any case, with or without accents, stray spaces and punctuation)."""

from __future__ import annotations

import unicodedata

import pytest
from babel import Locale
from django.utils import translation
from django_countries import countries
from hypothesis import given
from hypothesis import strategies as st

from examdesk.people import nationality, validation
from examdesk.people.nationality import ALIASES, AMBIGUOUS_WORDS, DEMONYMS, country_code, fold, lookup, suggestions

with translation.override("en"):
    ENGLISH = [(code, str(name)) for code, name in countries]
CODES = [code for code, _ in ENGLISH]
ALPHA3 = [(code, countries.alpha3(code)) for code in CODES]


@pytest.mark.parametrize(("code", "name"), ENGLISH)
def test_every_django_countries_name_matches_its_code(code, name):
    assert country_code(name) == code


@pytest.mark.parametrize(("code", "alpha3"), ALPHA3)
def test_every_alpha2_and_alpha3_code_matches_in_any_case(code, alpha3):
    for written in (code, code.lower(), code.title(), alpha3, alpha3.lower(), f" {alpha3.title()} "):
        assert country_code(written) == code, written


def test_every_word_of_the_reviewed_table_matches_its_country():
    for table in (DEMONYMS, ALIASES):
        for code, words in table.items():
            assert code in CODES, f"{code} is not a country of django-countries"
            for word in words:
                assert country_code(word) == code, word


def test_the_tables_hold_no_word_that_names_two_countries():
    for word in AMBIGUOUS_WORDS:
        assert country_code(word) is None, word
    seen: dict[str, str] = {}
    for table in (DEMONYMS, ALIASES):
        for code, words in table.items():
            for word in words:
                assert seen.setdefault(fold(word), code) == code, f"{word} is listed for {seen[fold(word)]} and {code}"


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("British", "GB"), ("Polish", "PL"), ("Vietnamese", "VN"), ("Irish", "IE"), ("Filipino", "PH"),
        ("Philippine", "PH"), ("United States", "US"), ("USA", "US"), ("U.S.", "US"), ("America", "US"),
        ("UK", "GB"), ("Great Britain", "GB"), ("England", "GB"), ("Wales", "GB"), ("Scotland", "GB"),
        ("Turkey", "TR"), ("Türkiye", "TR"), ("Turkiye", "TR"), ("Czech Republic", "CZ"), ("Czechia", "CZ"),
        ("Ivory Coast", "CI"), ("Côte d'Ivoire", "CI"), ("Cote d’Ivoire", "CI"), ("Holland", "NL"),
        ("Netherlands", "NL"), ("The Netherlands", "NL"), ("South Korea", "KR"), ("Korea, Republic of", "KR"),
        ("Republic of Korea", "KR"), ("Alemania", "DE"), ("Allemagne", "DE"), ("Deutschland", "DE"),
        ("Niemcy", "DE"), ("Almanya", "DE"), ("Germania", "DE"), ("Duitsland", "DE"), ("Alemanha", "DE"),
        ("Royaume-Uni", "GB"), ("Reino Unido", "GB"), ("Wielka Brytania", "GB"), ("Włochy", "IT"), ("Wlochy", "IT"),
        ("Russian Federation", "RU"), ("Iran, Islamic Republic of", "IR"), ("Viet Nam", "VN"),
        ("Bosnia & Herzegovina", "BA"), ("St Lucia", "LC"), ("St. Kitts and Nevis", "KN"), ("Bahamas", "BS"),
        ("British Virgin Islands", "VG"), ("  united   KINGDOM. ", "GB"), ("GBR", "GB"), ("gb", "GB"),
        ("Германия", "DE"),
    ],
)  # fmt: skip
def test_the_forms_people_write(written, code):
    assert country_code(written) == code


@pytest.mark.parametrize("written", ["Brit", "N/A", "Atlantis", "Korean", "Congolese", "Dominican", "-", "?"])
def test_what_names_no_one_country_is_not_guessed(written):
    assert country_code(written) is None


def test_suggestions_offer_the_closest_countries_and_both_for_an_ambiguous_word():
    assert suggestions("Brit")[0] == ("GB", "United Kingdom")
    assert suggestions("Polsh")[0] == ("PL", "Poland")
    assert {code for code, _ in suggestions("Korean")} >= {"KR", "KP"}
    assert {code for code, _ in suggestions("Congolese")} >= {"CD", "CG"}
    assert suggestions("N/A") == []


def test_most_cldr_names_in_each_language_match():
    for language in nationality.LANGUAGES:
        names = {code: name for code, name in Locale.parse(language).territories.items() if code in CODES}
        matched = sum(country_code(name) == code for code, name in names.items())
        assert matched >= 0.97 * len(names), language


def _without_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


@st.composite
def written_like_people(draw: st.DrawFn, name: str) -> str:
    """A name as typed: random case, accents kept or dropped, spaces and punctuation between the words."""
    if draw(st.booleans()):
        name = _without_accents(name)
    name = "".join(c.upper() if draw(st.booleans()) else c.lower() for c in name)
    separator = st.sampled_from([" ", "  ", " - ", "\u00a0", " . ", "_"])
    words = name.split(" ")
    text = words[0] + "".join(draw(separator) + word for word in words[1:])
    return draw(st.sampled_from(["", " ", "\t", '"'])) + text + draw(st.sampled_from(["", " ", ".", " ,"]))


@given(data=st.data(), entry=st.sampled_from(ENGLISH))
def test_any_english_name_matches_however_it_is_written(data, entry):
    code, name = entry
    assert country_code(data.draw(written_like_people(name))) == code


@given(data=st.data(), entry=st.sampled_from([(c, w) for t in (DEMONYMS, ALIASES) for c, ws in t.items() for w in ws]))
def test_any_word_of_the_table_matches_however_it_is_written(data, entry):
    code, word = entry
    assert country_code(data.draw(written_like_people(word))) == code


@given(code=st.sampled_from(CODES), upper=st.lists(st.booleans(), min_size=3, max_size=3))
def test_any_code_in_any_case(code, upper):
    alpha3 = countries.alpha3(code)
    mixed = "".join(c.upper() if u else c.lower() for c, u in zip(alpha3, upper, strict=True))
    assert country_code(mixed) == code
    assert country_code(code.lower()) == code


def test_the_lookup_is_built_once_per_process():
    assert lookup() is lookup()


def test_a_mapping_is_tried_first_and_by_the_folded_value():
    assert validation.clean_nationality(" brit. ", mapping={"brit": "GB"}) == "GB"
    with pytest.raises(validation.UnmatchedValue) as unmatched:
        validation.clean_nationality("Brit")
    assert unmatched.value.value == "Brit" and unmatched.value.suggestions[0] == ("GB", "United Kingdom")
