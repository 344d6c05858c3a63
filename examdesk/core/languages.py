"""The languages candidates can use, and which one a document or an e-mail to a candidate is written in.

Pages follow the person reading them (LocaleMiddleware: the account's choice, the language cookie, then the
browser's Accept-Language). A document or an e-mail is made when nobody is looking, often by a job, so it follows
the candidate's own choice when they made one (saved on their account by the language switcher), else the
centre's default language. The codes are Django's (`pt-pt`, not `pt_PT`).
"""

from __future__ import annotations

from django.conf import settings
from django.utils import translation

ENGLISH = "en-gb"
# The codes a person or a centre may choose, with their names, each in its own language (settings.LANGUAGES).
CHOICES: tuple[tuple[str, str], ...] = (
    (ENGLISH, "English"),
    ("pt-pt", "Português"),
    ("es", "Español"),
    ("ar", "العربية"),
)
CODES = frozenset(code for code, _ in CHOICES)


def is_supported(code: str | None) -> bool:
    return bool(code) and code in CODES


def document_language(*, chosen: str | None, centre_default: str | None) -> str:
    """The language of a document or e-mail for a candidate: theirs if they chose one, else their centre's."""
    for code in (chosen, centre_default):
        if code and is_supported(code):
            return code
    return str(settings.LANGUAGE_CODE)


def current() -> str:
    """The active language's code, as one of CODES (English when the active one is not ours)."""
    code = translation.get_language() or ENGLISH
    return code if code in CODES else ENGLISH


def babel_locale(code: str | None = None) -> str:
    """The CLDR locale Babel formats dates and numbers for: 'pt-pt' → 'pt_PT', 'en-gb' → 'en_GB'."""
    return translation.to_locale(code or current())
