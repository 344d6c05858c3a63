"""File names safe on every system: as given in any script, valid on Windows, macOS and Linux, and unique."""

from __future__ import annotations

import unicodedata

import pytest

from examdesk.core.file_names import ascii_part, file_name_from_parts, safe_file_name, unique_file_name

WINDOWS_ILLEGAL = set('<>:"/\\|?*')


def _valid_everywhere(name: str) -> None:
    assert unicodedata.is_normalized("NFC", name)
    assert not WINDOWS_ILLEGAL & set(name), name
    assert not any(unicodedata.category(c) == "Cc" for c in name), name
    stem = name.rsplit(".", 1)[0]
    assert stem == stem.rstrip(" ."), name
    assert stem.split(".")[0].upper() not in {"CON", "PRN", "AUX", "NUL", "COM1", "LPT1"}, name
    assert len(name.encode("utf-8")) <= 150, name


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("0001-Łukasiewicz-Zoë.pdf", "0001-Łukasiewicz-Zoë.pdf"),
        ("0002-Παπαδόπουλος-Αλέξανδρος.pdf", "0002-Παπαδόπουλος-Αλέξανδρος.pdf"),
        ("0003-Ковальчук-Юлия.pdf", "0003-Ковальчук-Юлия.pdf"),
        ("0004-O'Brien-Siobhán.pdf", "0004-O'Brien-Siobhán.pdf"),
        ("0005-Zoe\u0308.pdf", "0005-Zoë.pdf"),  # decomposed: composed as NFC
        ("0006-AC/DC-Bon.pdf", "0006-AC-DC-Bon.pdf"),
        ("0007-Re: Smith-A<b>|c?*.pdf", "0007-Re- Smith-A-b-c.pdf"),
        ('0008-"Quoted"\\Back.pdf', "0008-Quoted-Back.pdf"),
        ("0009-Tab\tNew\nLine.pdf", "0009-Tab-New-Line.pdf"),
        ("0010-Trailing dots....pdf", "0010-Trailing dots.pdf"),
        ("0011-Evil\u202eFDP.exe.pdf", "0011-EvilFDP.exe.pdf"),  # no right-to-left override to disguise the end
        ("CON.pdf", "_CON.pdf"),
        ("nul.pdf", "_nul.pdf"),
        ("Com1.tar.pdf", "_Com1.tar.pdf"),
        ("LPT9 .pdf", "_LPT9.pdf"),
        ("Nul", "_Nul"),
        ("....pdf", "file.pdf"),
        ("", "file"),
    ],
)
def test_safe_file_names_read_as_given_and_are_valid_on_windows_macos_and_linux(given, expected):
    name = safe_file_name(given)
    assert name == expected
    _valid_everywhere(name)


def test_long_names_are_cut_to_150_bytes_on_a_character_boundary_keeping_the_extension():
    name = safe_file_name("0001-" + "Ж" * 200 + ".pdf")
    assert name.endswith("Ж.pdf") and len(name.encode()) <= 150
    accented = safe_file_name("0001-" + "e\u0301" * 100 + ".pdf")  # composes to é: 2 bytes each
    assert len(accented.encode()) <= 150 and accented.endswith("é.pdf")
    _valid_everywhere(name)
    _valid_everywhere(accented)


def test_clashing_names_get_numbers_compared_as_case_insensitive_systems_do():
    taken: set[str] = set()
    names = [unique_file_name(n, taken) for n in ("0001-Smith-Ann.pdf", "0001-SMITH-ann.pdf", "0001-Smith-Ann.pdf")]
    assert names == ["0001-Smith-Ann.pdf", "0001-SMITH-ann-2.pdf", "0001-Smith-Ann-3.pdf"]
    long = "0001-" + "Я" * 72 + ".pdf"
    first, second = unique_file_name(long, taken), unique_file_name(long, taken)
    assert first == long and second.endswith("-2.pdf") and len(second.encode()) <= 150


@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        (["0001", "Pereira", "Ana"], ("0001-Pereira-Ana.pdf", "0001-Pereira-Ana.pdf")),
        (["0002", "Łukasiewicz", "Zoë"], ("0002-Lukasiewicz-Zoe.pdf", "0002-Łukasiewicz-Zoë.pdf")),
        (["0003", "山田", "太郎"], ("0003-statement.pdf", "0003-山田-太郎.pdf")),
        (["0004", "العلي", "محمد"], ("0004-statement.pdf", "0004-العلي-محمد.pdf")),
        (["0005", "O'Brien Smith", ""], ("0005-O-Brien-Smith.pdf", "0005-O-Brien-Smith.pdf")),
    ],
)
def test_a_name_from_parts_has_an_ascii_twin_and_keeps_the_persons_script(parts, expected):
    short, full = file_name_from_parts(parts, fallback="statement", extension="pdf")
    assert (short, full) == expected
    assert short.isascii()
    _valid_everywhere(full)


def test_ascii_part_spells_latin_letters_that_do_not_decompose():
    assert ascii_part("Łø Æsir ßtraße Þór") == "Lo-AEsir-sstrasse-Thor"
