"""File names for what people download or unzip: one set of rules for every letter, statement and export.

A name keeps the person's own script (Chinese, Arabic, Vietnamese… composed as NFC) and is valid on Windows,
macOS and Linux alike. An ASCII twin is offered to old browsers in the `Content-Disposition` header, which
Django builds from both (`django.utils.http.content_disposition_header`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

NAME_BYTES = 150  # well inside every file system's 255-byte limit, with room for the folder a zip unpacks into
_ILLEGAL = re.compile(r'[<>:"/\\|?*]')  # Windows refuses these; "/" and "\\" are folders everywhere
_BIDI = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f")  # could disguise a name's end
_RESERVED = {"CON", "PRN", "AUX", "NUL"} | {f"{p}{n}" for p in ("COM", "LPT") for n in [*"123456789", "¹", "²", "³"]}
_PART_BREAKS = re.compile(r"[\s/\\\"';:,*?<>|]+")  # between the words of one part of a name
_NOT_ASCII_WORD = re.compile(r"[^A-Za-z0-9]+")
# Latin letters that do not decompose into a base letter and accents.
_LATIN = str.maketrans(
    {"Ł": "L", "ł": "l", "Ø": "O", "ø": "o", "Đ": "D", "đ": "d", "Ħ": "H", "ħ": "h", "ı": "i", "ß": "ss",
     "Æ": "AE", "æ": "ae", "Œ": "OE", "œ": "oe", "Þ": "Th", "þ": "th", "Ð": "D", "ð": "d"}
)  # fmt: skip


def _cut_to_bytes(text: str, limit: int) -> str:
    """`text` cut to at most `limit` bytes of UTF-8, at a character boundary, without a dangling accent."""
    if len(text.encode("utf-8")) <= limit:
        return text
    cut = text.encode("utf-8")[:limit].decode("utf-8", errors="ignore")
    while cut and unicodedata.combining(cut[-1]):
        cut = cut[:-1]
    return cut


def safe_file_name(name: str, *, limit: int = NAME_BYTES) -> str:
    """A file name that reads as given (any script, composed as NFC) and is valid on Windows, macOS and Linux.

    Characters Windows refuses and control characters become "-", trailing dots and spaces go, a reserved
    device name (CON, NUL, COM1…) gets a leading "_", and the name is cut to `limit` bytes of UTF-8 (keeping
    its extension).
    """
    composed = unicodedata.normalize("NFC", name)
    stem, dot, extension = composed.rpartition(".")
    if not dot or not 1 <= len(extension) <= 8 or not extension.isalnum():
        stem, extension = composed, ""
    suffix = f".{extension}" if extension else ""

    def clean(text: str) -> str:
        kept = "".join(
            "-" if unicodedata.category(c) in ("Cc", "Cs", "Zl", "Zp") else "" if c in _BIDI else c for c in text
        )
        kept = re.sub(r"-{2,}", "-", _ILLEGAL.sub("-", kept))
        return kept.strip(" .-\u00a0\t")

    stem = clean(stem) or "file"
    if stem.split(".")[0].strip().upper() in _RESERVED:
        stem = f"_{stem}"
    stem = clean(_cut_to_bytes(stem, limit - len(suffix.encode("utf-8")))) or "file"
    return stem + suffix


def unique_file_name(name: str, taken: set[str], *, limit: int = NAME_BYTES) -> str:
    """`name`, or `name` with "-2", "-3"… before its extension, whichever no earlier name has, compared as
    case-insensitive file systems (Windows, macOS) compare them. Adds the chosen name to `taken`."""
    chosen = name
    stem, dot, extension = name.rpartition(".")
    if not dot:
        stem, extension = name, ""
    suffix = f".{extension}" if dot else ""
    number = 1
    while chosen.casefold() in taken:
        number += 1
        tail = f"-{number}{suffix}"
        chosen = _cut_to_bytes(stem, limit - len(tail.encode("utf-8"))).rstrip(" .") + tail
    taken.add(chosen.casefold())
    return chosen


def ascii_part(value: str) -> str:
    """`value` in plain ASCII letters and digits ("Łukasz Müller" → "Lukasz-Muller"); empty for other scripts."""
    ascii_text = unicodedata.normalize("NFKD", value.translate(_LATIN)).encode("ascii", "ignore").decode()
    return _NOT_ASCII_WORD.sub("-", ascii_text).strip("-")


def unicode_part(value: str) -> str:
    """`value` with its spaces and punctuation as "-", in its own script ("山田 太郎" → "山田-太郎")."""
    return _PART_BREAKS.sub("-", value.strip()).strip("-")


def file_name_from_parts(parts: Iterable[str], *, fallback: str, extension: str) -> tuple[str, str]:
    """(ASCII name, full name) for a file named by its parts joined with "-", e.g. candidate number, last name,
    first name: ("0001-Pereira-Ana.pdf", "0001-Pereira-Ana.pdf"), ("0002-statement.pdf", "0002-山田-太郎.pdf").
    A part that has nothing left (a name in another script, for the ASCII one) is left out; `fallback` stands in
    when only the first part is left."""
    given = [part for part in parts]
    head, rest = given[0], given[1:]
    ascii_rest = [p for p in (ascii_part(part) for part in rest) if p]
    unicode_rest = [p for p in (unicode_part(part) for part in rest) if p]
    short = "-".join([head, *(ascii_rest or [fallback])]) + f".{extension}"
    full = "-".join([head, *(unicode_rest or [fallback])]) + f".{extension}"
    return short, safe_file_name(full)
