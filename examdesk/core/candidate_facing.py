"""What a candidate, a parent or a student sees, and the checks that keep its translations complete.

Every message whose `#:` source reference in the catalogue points at one of CANDIDATE_FACING must be translated
in every language of settings.LANGUAGES (not empty, not fuzzy, every plural form, the same placeholders). Staff
pages are translatable too, but ship in English: their messages may stay untranslated. `make test` runs these
checks (examdesk/core/tests/test_translations.py), with makemessages run into a copy of the catalogues so that a
message added to the code without a translation fails there, not in front of a candidate.
"""

from __future__ import annotations

import fnmatch
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

# Paths relative to the repository, as the catalogue's `#:` lines write them.
CANDIDATE_FACING: tuple[str, ...] = (
    "examdesk/core/templates/base.html",
    "examdesk/core/templates/404.html",
    "examdesk/core/templates/403.html",
    "examdesk/core/templates/csrf_failure.html",
    "examdesk/core/templates/core/*.html",
    "examdesk/core/time.py",
    "examdesk/results/templates/results/online/*.html",
    "examdesk/results/templates/results/verification/*.html",
    "examdesk/results/online/*.py",
    "examdesk/results/verification/*.py",
    "examdesk/results/gate.py",
    "examdesk/results/statements/data.py",
    "examdesk/results/statements/emails.py",
    "examdesk/results/registrations/services.py",
    "examdesk/access/emails.py",
    "examdesk/player/templates/player/*.html",
    "examdesk/player/services.py",
    "examdesk/player/static/player/*.js",
    "examdesk/player/views/entry.py",
    "examdesk/accounts/services.py",  # the sign-in and pause messages of the candidates' sign-in page
    # A candidate's forgotten password ends on the shared reset pages.
    "examdesk/accounts/templates/accounts/password_reset_confirm.html",
    "examdesk/accounts/templates/accounts/password_reset_complete.html",
    "examdesk/documents/statements.py",
    "examdesk/documents/letters.py",
    "examdesk/documents/letter_parts.py",
    "examdesk/documents/profile.py",
    "examdesk/documents/templates/documents/_profile.html",
    "examdesk/documents/signing.py",  # why an uploaded statement's signature is not valid, on /verify/
    "examdesk/sittings/slips.py",  # the access-code slips students are given
    "examdesk/sittings/windows.py",  # the window printed on them
)
# The repository, and the catalogues' folder inside it.
ROOT = Path(settings.BASE_DIR)
LOCALE = Path(settings.LOCALE_PATHS[0])
# Our language codes as the catalogues' folders name them (pt-pt → pt_PT); English is the source.
TRANSLATED = tuple(
    code.split("-")[0] + ("_" + code.split("-")[1].upper() if "-" in code else "")
    for code, _ in settings.LANGUAGES
    if not code.startswith("en")
)
_PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|\{[a-z_]+\}")


def is_candidate_facing(path: str) -> bool:
    return any(fnmatch.fnmatch(path, pattern) for pattern in CANDIDATE_FACING)


# Django's two catalogues: the templates and Python code, and the scripts (served by the JavaScript catalogue).
DOMAINS = ("django", "djangojs")


def catalogue_path(language: str, root: Path | None = None, domain: str = "django") -> Path:
    return (root or LOCALE) / language / "LC_MESSAGES" / f"{domain}.po"


@dataclass(frozen=True)
class Problem:
    language: str
    msgid: str
    what: str

    def __str__(self) -> str:
        return f"{self.language}: {self.msgid[:70]!r}: {self.what}"


def _nplurals(po: object) -> int:
    forms = getattr(po, "metadata", {}).get("Plural-Forms", "")
    match = re.search(r"nplurals\s*=\s*(\d+)", forms)
    return int(match.group(1)) if match else 2


def translation_problems(language: str) -> list[Problem]:
    """Every candidate-facing message of both catalogues that is missing, fuzzy, short of a plural form or whose
    placeholders differ from the English (a form used for one number alone may leave the number out)."""
    return [problem for domain in DOMAINS for problem in _problems(language, domain)]


def _problems(language: str, domain: str) -> list[Problem]:
    import polib  # type: ignore[import-untyped]

    po = polib.pofile(str(catalogue_path(language, domain=domain)))
    if po.metadata_is_fuzzy:
        return [Problem(language, "", "the catalogue's header is fuzzy: its plural forms are not used")]
    wanted = _nplurals(po)
    problems = []
    for entry in po:
        if entry.obsolete or not any(is_candidate_facing(path) for path, _ in entry.occurrences):
            continue
        if "fuzzy" in entry.flags:
            problems.append(Problem(language, entry.msgid, "fuzzy"))
            continue
        english = set(_PLACEHOLDER.findall(entry.msgid + (entry.msgid_plural or "")))
        forms = [entry.msgstr] if not entry.msgid_plural else [entry.msgstr_plural.get(i, "") for i in range(wanted)]
        for index, text in enumerate(forms):
            if not text.strip():
                problems.append(Problem(language, entry.msgid, f"form {index} is not translated"))
                continue
            found = set(_PLACEHOLDER.findall(text))
            allowed_short = entry.msgid_plural and found < english and language == "ar" and index in (1, 2)
            if found - english or (found != english and not allowed_short and not entry.msgid_plural):
                problems.append(Problem(language, entry.msgid, f"placeholders {sorted(found)} ≠ {sorted(english)}"))
            elif entry.msgid_plural and not allowed_short and found != english:
                problems.append(Problem(language, entry.msgid, f"form {index} placeholders {sorted(found)}"))
    return problems


def messages_missing_from_catalogues() -> dict[str, list[str]]:
    """Run makemessages into a copy of the catalogues; the msgids it adds are in the code but not translated.

    Needs GNU gettext's xgettext (Debian's `gettext`, which `make` installs)."""
    import polib

    missing: dict[str, list[str]] = {}
    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch) / "locale"
        shutil.copytree(LOCALE, copy)
        for domain in DOMAINS:
            command = [
                sys.executable,
                "-m",
                "examdesk.manage",
                "makemessages",
                "-d",
                domain,
                "--no-obsolete",
                "-v",
                "0",
            ]
            for language in TRANSLATED:
                command += ["-l", language]
            # The real catalogues' folder is left out, or makemessages would write into it instead of the copy.
            for ignored in (".venv", "var", "bench", "build", "examdesk/locale", "*.min.js"):
                command += ["--ignore", ignored]
            env = {"EXAMDESK_LOCALE_DIR": str(copy)}
            subprocess.run(command, cwd=ROOT, check=True, env={**_environment(), **env})  # noqa: S603 - our command
            for language in TRANSLATED:
                before = {entry.msgid for entry in polib.pofile(str(catalogue_path(language, domain=domain)))}
                after = polib.pofile(str(catalogue_path(language, copy, domain)))
                new = [entry.msgid for entry in after if entry.msgid not in before and not entry.obsolete]
                if new:
                    missing.setdefault(language, []).extend(new)
    return missing


def _environment() -> dict[str, str]:
    import os

    return dict(os.environ)
