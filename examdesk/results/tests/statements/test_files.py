"""File names safe on every system, and the PDF pieces: a merged file split into single files and joined again."""

from __future__ import annotations

import io
import sys
import unicodedata
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
from pypdf import PdfReader

from examdesk.results.statements_bulk import (
    OwnPdf,
    join_pdfs,
    render_chunk,
    safe_file_name,
    split_pages,
    unique_file_name,
)

sys.path.insert(0, str(Path(__file__).resolve().parents[4] / "bench"))
from statements import BASE, statements  # noqa: E402  (the statement benchmark's sample data)

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


def _items(count):
    return [(data, f"{data.candidate_number}-{data.candidate_last_name}.pdf") for data in statements(count)]


def test_a_chunk_is_drawn_once_and_split_into_single_files_that_stand_alone():
    items = _items(6)
    made = render_chunk(items, title="Statements", date_time=(2026, 8, 13, 9, 0, 0))
    merged = PdfReader(io.BytesIO(made.pdf))
    assert made.pages == len(merged.pages) == 6
    with zipfile.ZipFile(io.BytesIO(made.singles)) as archive:
        infos = archive.infolist()
        assert [i.filename for i in infos] == [name for _, name in items]
        assert all(i.compress_type == zipfile.ZIP_STORED for i in infos)  # PDFs are compressed already
        # Names outside ASCII carry the UTF-8 flag, so every unzip tool shows them as written.
        assert all(i.flag_bits & 0x800 for i in infos if not i.filename.isascii())
        assert any(not i.filename.isascii() for i in infos)
        for (data, _), info in zip(items, infos, strict=True):
            single = PdfReader(io.BytesIO(archive.read(info)))
            assert len(single.pages) == 1
            text = single.pages[0].extract_text()
            assert data.candidate_name in text and data.verification_code in text
            assert single.metadata.title == data.title  # titled for the candidate, in any script
    # Each single file is about as small as a statement drawn alone.
    assert len(made.singles) / 6 < 1.5 * len(made.pdf)


def test_parts_join_into_one_file_with_every_page_in_order_and_fonts_kept_apart():
    first = render_chunk(_items(3), title="A", date_time=(2026, 8, 13, 9, 0, 0)).pdf
    second_items = [(replace(data, candidate_first_name="Ωμέγα"), name) for data, name in _items(2)]
    second = render_chunk(second_items, title="B", date_time=(2026, 8, 13, 9, 0, 0)).pdf
    joined = b"".join(join_pdfs([first, second], title="All statements", author=BASE.board_name))
    reader = PdfReader(io.BytesIO(joined))
    assert len(reader.pages) == 5
    assert reader.metadata.title == "All statements"
    texts = [page.extract_text() for page in reader.pages]
    assert "Ωμέγα" not in "".join(texts[:3]) and all("Ωμέγα" in text for text in texts[3:])
    fonts = {str(font["/BaseFont"]) for page in reader.pages for font in page["/Resources"]["/Font"].values()}
    assert len(fonts) == len({f.split("+", 1)[1] for f in fonts}) * 2  # each part's subsets named apart
    with pytest.raises(ValueError, match="flat page tree"):
        OwnPdf(joined)  # the joined file's tree has a branch per part: not for splitting again


def test_split_pages_refuses_a_title_count_that_does_not_match():
    pdf = render_chunk(_items(2), title="A", date_time=(2026, 8, 13, 9, 0, 0)).pdf
    with pytest.raises(ValueError, match="2 pages"):
        list(split_pages(pdf, ["only one"], author="Board"))
