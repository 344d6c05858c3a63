"""Nationality as people write it: a country's name (in English or another language), its nationality
("British", "Polish"), the names people use ("USA", "Holland", "Ivory Coast"), or its ISO 3166 code.

The names and codes come from maintained data packages: django-countries (the names the register shows),
pycountry (ISO 3166's official and common names, alpha-3 codes) and Babel (CLDR's territory names in the
languages schools' files are most often written in). Only what no package carries is written here: English
nationality words and a few everyday aliases (DEMONYMS, ALIASES).

Values are compared folded: any case, accents and punctuation dropped, runs of spaces ignored ("côte
d'ivoire", "COTE DIVOIRE" and "Côte  d’Ivoire" are one value). The lookup is built once per process.
"""

from __future__ import annotations

import difflib
import functools
import re
from dataclasses import dataclass

import pycountry
from babel import Locale
from django.utils import translation
from django_countries import countries

from examdesk.core.text import fold as text_fold

# The CLDR languages whose territory names are accepted; English first. Names from a later language never
# replace those of an earlier one.
LANGUAGES = ("en", "fr", "de", "es", "pt", "it", "nl", "pl", "tr", "ro", "sv", "da", "nb", "cs", "uk", "ru")

# English nationality words, by ISO 3166 alpha-2 code: the "Name for citizen" forms of the UK government's
# list of approved country names (FCDO, Geographical names index:
# gov.uk/government/publications/geographical-names-and-information), with the adjectives schools write
# beside them ("Polish" beside "Pole"). Kept by hand; the tests check that every entry names a country
# django-countries knows and that no word is listed for two countries. Words that name more than one
# country ("Congolese", "Dominican", "Korean", "Guinean", "Samoan") are left out on purpose (AMBIGUOUS_WORDS):
# they are warnings with every country they may mean suggested, never a guess.
DEMONYMS: dict[str, tuple[str, ...]] = {
    "AF": ("Afghan", "Afghani"), "AL": ("Albanian",), "DZ": ("Algerian",), "AD": ("Andorran",),
    "AO": ("Angolan",), "AI": ("Anguillan",), "AG": ("Antiguan", "Barbudan", "Antiguan and Barbudan"),
    "AR": ("Argentine", "Argentinian", "Argentinean"), "AM": ("Armenian",), "AW": ("Aruban",),
    "AU": ("Australian", "Aussie"), "AT": ("Austrian",), "AZ": ("Azerbaijani", "Azeri"),
    "BS": ("Bahamian",), "BH": ("Bahraini",), "BD": ("Bangladeshi",), "BB": ("Barbadian", "Bajan"),
    "BY": ("Belarusian", "Belarusan", "Byelorussian"), "BE": ("Belgian",), "BZ": ("Belizean",),
    "BJ": ("Beninese", "Beninois"), "BM": ("Bermudian", "Bermudan"), "BT": ("Bhutanese",),
    "BO": ("Bolivian",), "BA": ("Bosnian", "Herzegovinian", "Bosnian and Herzegovinian"),
    "BW": ("Botswanan", "Motswana", "Batswana"), "BR": ("Brazilian",), "BN": ("Bruneian",),
    "BG": ("Bulgarian",), "BF": ("Burkinabe", "Burkinabé", "Burkinese"), "BI": ("Burundian",),
    "CV": ("Cape Verdean", "Cabo Verdean"), "KH": ("Cambodian", "Khmer"), "CM": ("Cameroonian",),
    "CA": ("Canadian",), "KY": ("Caymanian",), "CF": ("Central African",), "TD": ("Chadian",),
    "CL": ("Chilean",), "CN": ("Chinese",), "CO": ("Colombian",), "KM": ("Comoran", "Comorian"),
    "CR": ("Costa Rican",), "CI": ("Ivorian",), "HR": ("Croatian", "Croat"), "CU": ("Cuban",),
    "CW": ("Curaçaoan",), "CY": ("Cypriot",), "CZ": ("Czech",),
    "DK": ("Danish", "Dane"), "DJ": ("Djiboutian",), "EC": ("Ecuadorian", "Ecuadorean"),
    "EG": ("Egyptian",), "SV": ("Salvadorean", "Salvadoran"), "GQ": ("Equatorial Guinean", "Equatoguinean"),
    "ER": ("Eritrean",), "EE": ("Estonian",), "SZ": ("Swazi", "Liswati"),
    "ET": ("Ethiopian",), "FK": ("Falkland Islander",), "FO": ("Faroese",), "FJ": ("Fijian",),
    "FI": ("Finnish", "Finn"), "FR": ("French",), "GA": ("Gabonese",), "GM": ("Gambian",),
    "GE": ("Georgian",), "DE": ("German",), "GH": ("Ghanaian",), "GI": ("Gibraltarian",),
    "GR": ("Greek",), "GL": ("Greenlandic", "Greenlander"), "GD": ("Grenadian",), "GT": ("Guatemalan",),
    "GW": ("Bissau-Guinean",), "GY": ("Guyanese",), "HT": ("Haitian",), "HN": ("Honduran",),
    "HK": ("Hong Konger", "Hongkongese"), "HU": ("Hungarian",), "IS": ("Icelandic", "Icelander"),
    "IN": ("Indian",), "ID": ("Indonesian",), "IR": ("Iranian",), "IQ": ("Iraqi",),
    "IE": ("Irish",), "IL": ("Israeli",), "IT": ("Italian",),
    "JM": ("Jamaican",), "JP": ("Japanese",), "JO": ("Jordanian",), "KZ": ("Kazakh", "Kazakhstani"),
    "KE": ("Kenyan",), "KI": ("I-Kiribati", "Kiribatian"), "KW": ("Kuwaiti",),
    "KG": ("Kyrgyz", "Kirgiz", "Kyrgyzstani"), "LA": ("Lao", "Laotian"), "LV": ("Latvian",),
    "LB": ("Lebanese",), "LS": ("Basotho", "Mosotho", "Lesothan"), "LR": ("Liberian",), "LY": ("Libyan",),
    "LI": ("Liechtensteiner",), "LT": ("Lithuanian",), "LU": ("Luxembourgish", "Luxembourger"),
    "MO": ("Macanese",), "MG": ("Malagasy", "Madagascan"), "MW": ("Malawian",), "MY": ("Malaysian",),
    "MV": ("Maldivian",), "ML": ("Malian",), "MT": ("Maltese",), "MH": ("Marshallese",),
    "MR": ("Mauritanian",), "MU": ("Mauritian",), "MX": ("Mexican",), "FM": ("Micronesian",),
    "MD": ("Moldovan",), "MC": ("Monegasque", "Monacan"), "MN": ("Mongolian",), "ME": ("Montenegrin",),
    "MS": ("Montserratian",), "MA": ("Moroccan",), "MZ": ("Mozambican",), "MM": ("Burmese",),
    "NA": ("Namibian",), "NR": ("Nauruan",), "NP": ("Nepalese", "Nepali"),
    "NL": ("Dutch", "Netherlander"), "NC": ("New Caledonian",),
    "NZ": ("New Zealander", "Kiwi"), "NI": ("Nicaraguan",), "NE": ("Nigerien",), "NG": ("Nigerian",),
    "KP": ("North Korean",), "MK": ("Macedonian", "North Macedonian"), "NO": ("Norwegian",),
    "OM": ("Omani",), "PK": ("Pakistani",), "PW": ("Palauan",), "PS": ("Palestinian",),
    "PA": ("Panamanian",), "PG": ("Papua New Guinean", "Papuan"), "PY": ("Paraguayan",),
    "PE": ("Peruvian",), "PH": ("Filipino", "Filipina", "Philippine"), "PL": ("Polish", "Pole"),
    "PT": ("Portuguese",), "PR": ("Puerto Rican",), "QA": ("Qatari",), "RO": ("Romanian",),
    "RU": ("Russian",), "RW": ("Rwandan",), "KN": ("Kittitian", "Nevisian"),
    "LC": ("St Lucian", "Saint Lucian"), "VC": ("Vincentian",), "SM": ("San Marinese", "Sammarinese"),
    "ST": ("Sao Tomean",), "SA": ("Saudi", "Saudi Arabian"), "SN": ("Senegalese",), "RS": ("Serbian", "Serb"),
    "SC": ("Seychellois",), "SL": ("Sierra Leonean",), "SG": ("Singaporean",), "SK": ("Slovak", "Slovakian"),
    "SI": ("Slovenian", "Slovene"), "SB": ("Solomon Islander",), "SO": ("Somali",),
    "ZA": ("South African",), "KR": ("South Korean",), "SS": ("South Sudanese",),
    "ES": ("Spanish", "Spaniard"), "LK": ("Sri Lankan",), "SD": ("Sudanese",), "SR": ("Surinamese",),
    "SE": ("Swedish", "Swede"), "CH": ("Swiss",), "SY": ("Syrian",), "TW": ("Taiwanese",),
    "TJ": ("Tajik", "Tajikistani"), "TZ": ("Tanzanian",), "TH": ("Thai",),
    "TL": ("East Timorese", "Timorese"),
    "TG": ("Togolese",), "TO": ("Tongan",), "TT": ("Trinidadian", "Tobagonian", "Trinbagonian"),
    "TN": ("Tunisian",), "TR": ("Turkish", "Turk"), "TM": ("Turkmen", "Turkmenistani"),
    "TC": ("Turks and Caicos Islander",), "TV": ("Tuvaluan",), "UG": ("Ugandan",), "UA": ("Ukrainian",),
    "AE": ("Emirati", "Emirian"), "UY": ("Uruguayan",), "UZ": ("Uzbek", "Uzbekistani"),
    "VU": ("Vanuatuan", "Ni-Vanuatu"), "VA": ("Vatican",), "VE": ("Venezuelan",),
    "VN": ("Vietnamese",), "EH": ("Sahrawi", "Sahrawian"), "YE": ("Yemeni",), "ZM": ("Zambian",),
    "ZW": ("Zimbabwean",),
}  # fmt: skip

# Names people use beside the packages' names: the UK's nations, everyday abbreviations and former or
# informal names (several are the same FCDO list's notes: Burma, Czech Republic, Macedonia, Saudi).
ALIASES: dict[str, tuple[str, ...]] = {
    "GB": ("British", "Briton", "UK", "U.K.", "Great Britain", "Britain", "England", "English", "Scotland",
           "Scottish", "Scot", "Wales", "Welsh", "Northern Ireland", "Northern Irish", "United Kingdom of Great "
           "Britain and Northern Ireland", "GB"),
    "US": ("American", "USA", "U.S.", "U.S.A.", "US of A", "America", "United States", "United States of America"),
    "NL": ("Holland", "The Netherlands"),
    "CI": ("Ivory Coast",),
    "IE": ("Eire", "Republic of Ireland"),
    "IR": ("Persia",),
    "SZ": ("Swaziland",),
    "NR": ("Nauru",),
    "RU": ("Russian Federation",),
    "TL": ("East Timor",),
    "AE": ("UAE", "U.A.E."),
    "CZ": ("Czech Republic",),
    "TR": ("Turkey",),
    "KR": ("South Korea", "Korea, South", "Korea (South)", "Republic of Korea"),
    "KP": ("North Korea", "Korea, North", "Korea (North)"),
    "CD": ("DR Congo", "DRC", "Congo-Kinshasa", "Congo (Kinshasa)", "Zaire"),
    "CG": ("Congo-Brazzaville", "Congo (Brazzaville)", "Republic of the Congo"),
    "MM": ("Burma",),
    "VA": ("Vatican City State", "Holy See"),
    "CV": ("Cape Verde",),
    "MK": ("Macedonia", "FYROM"),
    "BS": ("The Bahamas",),
    "GM": ("The Gambia",),
    "PS": ("Palestinian Territories", "Occupied Palestinian Territories"),
    "TW": ("Chinese Taipei",),
    "HK": ("Hong Kong SAR",),
    "MO": ("Macau", "Macao SAR"),
}  # fmt: skip

# The words left out of DEMONYMS because they name several countries: the suggestions offer each.
AMBIGUOUS_WORDS: dict[str, tuple[str, ...]] = {
    "Congolese": ("CD", "CG"), "Dominican": ("DO", "DM"), "Korean": ("KR", "KP"), "Guinean": ("GN", "GW", "GQ"),
    "Samoan": ("WS", "AS"), "Virgin Islander": ("VG", "VI"), "Korea": ("KR", "KP"), "Congo Republic": ("CG", "CD"),
}  # fmt: skip

_WORDS = re.compile(r"[\W_]+")


def fold(text: str) -> str:
    """A value as compared: no case, accents, punctuation or spaces; "&", "St" and a leading "the" read out.

    Other scripts keep their letters (examdesk.core.text.fold), so "Германия" is matched too.
    """
    words = _WORDS.sub(" ", text_fold(text.replace("&", " and "))).split()
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    return "".join("saint" if word == "st" else word for word in words)


def _forms(name: str) -> list[str]:
    """A name and the forms derived from it: "Korea, Republic of" is also "Republic of Korea"; a part in
    brackets can be left out ("Bahamas (The)" is "Bahamas") or put first ("Virgin Islands (British)")."""
    forms = [name]
    if ", " in name:
        head, tail = name.split(", ", 1)
        forms.append(f"{tail} {head}")
    bracket = re.fullmatch(r"(.+?)\s*\((.+)\)", name)
    if bracket:
        forms += [bracket.group(1), f"{bracket.group(2)} {bracket.group(1)}"]
    return forms


class _Layer:
    """Names of one source: a name that names two countries within it is dropped, never guessed."""

    def __init__(self) -> None:
        self.codes: dict[str, set[str]] = {}

    def add(self, name: str, code: str) -> None:
        for form in _forms(name):
            key = fold(form)
            if key:
                self.codes.setdefault(key, set()).add(code)


@dataclass(frozen=True)
class Lookup:
    codes: dict[str, str]  # ISO alpha-2 and alpha-3 codes (upper case) → alpha-2
    names: dict[str, str]  # folded names and words → alpha-2
    ambiguous: dict[str, tuple[str, ...]]  # folded words that name several countries → their codes
    english: dict[str, str]  # alpha-2 → the register's English name


@functools.lru_cache(maxsize=1)
def lookup() -> Lookup:
    """Every name and code we accept, built once per process from the packages and the two tables above."""
    with translation.override("en"):
        english = {code: str(name) for code, name in countries}
    known = set(english)
    codes: dict[str, str] = {}
    for code in known:
        codes[code] = code
        alpha3 = countries.alpha3(code)
        if alpha3:
            codes[alpha3] = code
    layers: list[_Layer] = []

    register = _Layer()
    for code, name in english.items():
        register.add(name, code)
    layers.append(register)

    iso = _Layer()
    for country in pycountry.countries:
        if country.alpha_2 in known:
            for attribute in ("name", "official_name", "common_name"):
                value = getattr(country, attribute, None)
                if value:
                    iso.add(value, country.alpha_2)
    layers.append(iso)

    written = _Layer()
    for table in (ALIASES, DEMONYMS):
        for code, words in table.items():
            if code in known:
                for word in words:
                    written.add(word, code)
    layers.append(written)

    for language in LANGUAGES:
        cldr = _Layer()
        for code, name in Locale.parse(language).territories.items():
            if code in known:
                cldr.add(name, code)
        layers.append(cldr)

    names: dict[str, str] = {}
    ambiguous = {fold(word): found for word, found in AMBIGUOUS_WORDS.items()}
    for layer in layers:
        for key, found in layer.codes.items():
            if key in names or key in ambiguous:
                continue  # an earlier source decided
            if len(found) == 1:
                names[key] = next(iter(found))
            else:
                ambiguous[key] = tuple(sorted(found))
    return Lookup(codes=codes, names=names, ambiguous=ambiguous, english=english)


@functools.lru_cache(maxsize=65536)
def country_code(value: str) -> str | None:
    """The ISO alpha-2 code a written value means, or None when it means no one country."""
    found = lookup()
    text = value.strip()
    if text.isascii() and text.isalpha() and len(text) in (2, 3):
        code = found.codes.get(text.upper())
        if code:
            return code
    return found.names.get(fold(text))


def suggestions(value: str, *, count: int = 3) -> list[tuple[str, str]]:
    """The countries closest to a value that matched none, as (code, English name), closest first."""
    found = lookup()
    key = fold(value)
    codes: list[str] = list(found.ambiguous.get(key, ()))
    if len(key) > 2:  # two letters are close to too many names to help
        for close in difflib.get_close_matches(key, found.names, n=count * 4, cutoff=0.6):
            codes.append(found.names[close])
    unique = list(dict.fromkeys(codes))[:count]
    return [(code, found.english[code]) for code in unique]


def english_name(code: str) -> str:
    """The register's English name of a country code ("GB" → "United Kingdom"); the code itself if unknown."""
    return lookup().english.get(code, code)
