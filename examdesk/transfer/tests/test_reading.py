"""Reading uploaded files as people make them (no database)."""

from __future__ import annotations

import codecs
import datetime
import io
import re
import string
import zipfile
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from examdesk.transfer import reading
from examdesk.transfer.reading import NumberCell, UnreadableFile, minimum_integer_digits, number_cell, read_table
from examdesk.transfer.tests import corpus


def _refusal(data: bytes, **limits: int) -> str:
    with pytest.raises(UnreadableFile) as caught:
        read_table(data, **limits)
    return caught.value.message


def _xlsx(build) -> bytes:  # type: ignore[no-untyped-def]
    """A workbook from openpyxl: `build(workbook)` fills it."""
    workbook = openpyxl.Workbook()
    build(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# CSV as spreadsheet programs save it


def test_european_excel_csv_semicolons_windows_1252_crlf():
    table = read_table(corpus.european_excel_csv())
    assert (table.format, table.encoding, table.delimiter, table.sheet) == ("csv", "cp1252", ";", None)
    assert table.headers == ["Unique ID", "First name", "Last name", "Date of birth", "Score"]
    assert table.rows == [
        (2, ["007124", "Zoë", "Müller", "13.01.2010", "12,5"]),
        (3, ["7125", "François", "Dupont-Lefèvre", "03.04.2011", "9,75"]),
        (4, ["7126", "Søren", "Ørsted", "01.02.2009", None]),
    ]


def test_excel_csv_utf8_with_bom_and_crlf():
    table = read_table(corpus.excel_utf8_csv())
    assert (table.encoding, table.delimiter) == ("utf-8-sig", ",")
    assert table.headers[0] == "Unique ID"  # the BOM is not part of the first heading
    assert [cells[1] for _, cells in table.rows] == ["Łukasz", "Nguyễn", "李"]


def test_excel_unicode_text_is_utf16_with_tabs():
    table = read_table(corpus.excel_unicode_text())
    assert (table.encoding, table.delimiter) == ("utf-16", "\t")
    assert table.rows[0] == (2, ["007124", "Zoë", "Müller, Jr", "13/01/2010", "7X"])
    assert table.rows[1][1][1] == "Łukasz"


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_bom_is_recognised_by_its_shape(encoding):
    data = corpus.csv_bytes([["ID", "Name"], ["007", "Zoë Łukasz"]], encoding=encoding, delimiter="\t")
    table = read_table(data)
    assert (table.encoding, table.delimiter) == ("utf-16", "\t")
    assert table.rows == [(2, ["007", "Zoë Łukasz"])]


def test_plain_utf8_without_bom_and_lf():
    table = read_table(corpus.plain_utf8_csv())
    assert (table.encoding, table.delimiter) == ("utf-8", ",")
    assert table.rows[1] == (3, ["7125", "Ana", "Țepeș", "12/31/2009", None])


@pytest.mark.parametrize("line_end", ["\r\n", "\n", "\r"], ids=["CRLF", "LF", "CR (old Mac Excel)"])
def test_every_kind_of_line_end(line_end):
    data = corpus.csv_bytes([["ID", "Name"], ["1", "Ana"], ["2", "Bo"]], encoding="utf-8", line_end=line_end)
    assert read_table(data).rows == [(2, ["1", "Ana"]), (3, ["2", "Bo"])]


def test_rfc4180_quoting_and_row_numbers_count_records_not_lines():
    table = read_table(corpus.quoted_csv())
    assert table.rows == [
        (2, ["1", "Smith, John", 'O"Brien', "line one\r\nline two"]),
        (3, ["2", "Ana", 'Say "hi"', "a;b\tc"]),
        (4, ["3", "Bo", "Li", "plain"]),  # what a spreadsheet program shows, though it is line 5 of the text
    ]


def test_formula_like_values_and_ids_stay_literal_text():
    data = b"ID,Name,Phone,Handle,Note\n007124,=SUM(A1),+44 20 7946 0000,@x,-5\n"
    assert read_table(data).rows == [(2, ["007124", "=SUM(A1)", "+44 20 7946 0000", "@x", "-5"])]


def test_semicolons_win_when_values_hold_decimal_commas():
    data = corpus.csv_bytes(
        [["ID", "Score", "Weight"], ["1", "1,5", "2,25"], ["2", "3,5", "4,0"]], encoding="utf-8", delimiter=";"
    )
    assert read_table(data).delimiter == ";"


def test_commas_win_when_values_hold_semicolons_and_tabs():
    data = b'ID,Note,Other\n1,a;b;c,"x\ty"\n2,d;e,z\n'
    table = read_table(data)
    assert table.delimiter == ","
    assert table.rows[0] == (2, ["1", "a;b;c", "x\ty"])


def test_a_file_of_one_column_is_read_with_commas():
    table = read_table(b"Unique ID\n007\n008\n")
    assert (table.delimiter, table.headers, table.rows) == (",", ["Unique ID"], [(2, ["007"]), (3, ["008"])])


def test_headers_alone_give_no_rows():
    table = read_table(b"Unique ID;First name\r\n")
    assert (table.headers, table.rows) == (["Unique ID", "First name"], [])


def test_empty_rows_are_skipped_and_row_numbers_stay_those_of_the_file():
    data = b"\r\n , \r\nID,Name\r\n1,Ana\r\n,\r\n\r\n2,Bo\r\n;;\r\n\r\n\r\n"
    table = read_table(data)
    assert table.headers == ["ID", "Name"]
    assert table.rows == [(4, ["1", "Ana"]), (7, ["2", "Bo"]), (8, [";;", None])]


def test_rows_are_padded_or_cut_to_the_headers_and_trailing_empty_headings_dropped():
    table = read_table(b" ID ;Name;;\r\n1\r\n2;Bo;x;y\r\n")
    assert table.headers == ["ID", "Name"]
    assert table.rows == [(2, ["1", None]), (3, ["2", "Bo"])]


def test_a_text_file_starting_with_pk_is_still_csv():
    assert read_table(b"PK,Name\n1,Ana\n").headers == ["PK", "Name"]


def test_a_quotation_mark_never_closed_is_reported_with_its_line():
    data = b'ID,Name\n1,Ana\n2,"Bo\n3,Cy\n'
    assert _refusal(data) == reading.BROKEN_QUOTES.format(line=4)


def test_text_after_a_closing_quotation_mark_is_reported():
    assert _refusal(b'ID,Name\n1,"Smith" Jr\n') == reading.BROKEN_QUOTES.format(line=2)


# Files that are not what they should be


def test_an_empty_file():
    assert _refusal(b"") == reading.EMPTY_FILE


def test_a_file_of_blank_lines_has_no_data():
    assert _refusal(b"\r\n\r\n , \r\n") == reading.NO_DATA


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (corpus.pdf(), "a PDF document"),
        (corpus.png(), "an image"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "an image"),
        (b"\x1f\x8b\x08\x00", "a compressed archive"),
        (b"<!DOCTYPE html><html><table><tr><td>ID</td></tr></table></html>", "a web page or an XML file"),
        (
            b'\xef\xbb\xbf<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"/>',
            "a web page or an XML file",
        ),
    ],
    ids=["PDF", "PNG", "JPEG", "gzip", "HTML saved as .xls", "XML Spreadsheet 2003"],
)
def test_documents_and_images_are_named(data, kind):
    assert _refusal(data) == reading.NOT_A_SPREADSHEET.format(kind=kind)


@pytest.mark.parametrize(
    "data",
    [b"ID,Name\n1,A\x00na\n", b"\x00\x01\x02\x03binary\xff\xfe\x00", b"ID,Name\n1,\x81\x8d\x8f\x90\x9d\n"],
    ids=["NUL byte", "binary junk", "bytes no Windows-1252 text has"],
)
def test_binary_files_are_not_text(data):
    assert _refusal(data) == reading.NOT_TEXT


def test_a_password_protected_workbook():
    assert _refusal(corpus.encrypted_workbook()) == reading.ENCRYPTED_WORKBOOK
    assert "remove the password" in reading.ENCRYPTED_WORKBOOK


def test_an_old_xls_workbook():
    assert _refusal(corpus.old_xls()) == reading.OLD_OFFICE_FILE


def test_a_file_over_the_size_limit_names_both_sizes_in_mb():
    data = b"ID\n" + b"1\n" * (3 * reading.MB)
    assert _refusal(data, max_bytes=2 * reading.MB) == reading.FILE_TOO_LARGE.format(size="6.1", limit="2")
    assert "6.1 MB" in _refusal(data, max_bytes=2 * reading.MB)


def test_a_file_at_the_size_limit_is_read():
    data = b"ID\n1\n"
    assert read_table(data, max_bytes=len(data)).rows == [(2, ["1"])]


def test_the_default_limits():
    assert (reading.DEFAULT_MAX_BYTES, reading.DEFAULT_MAX_ROWS) == (20 * 1024 * 1024, 200_000)
    assert "20 MB" in _refusal(b"x" * (20 * reading.MB + 1))


def test_too_many_rows_in_a_csv():
    data = b"ID\n1\n\n2\n3\n"
    assert read_table(data, max_rows=3).rows[-1] == (5, ["3"])  # empty rows do not count
    assert _refusal(data, max_rows=2) == reading.TOO_MANY_ROWS.format(limit=2)
    assert "200,000 rows" in reading.TOO_MANY_ROWS.format(limit=200_000)


def test_too_many_rows_in_a_workbook():
    data = _xlsx(lambda workbook: [workbook.active.append([value]) for value in ["ID", 1, 2, 3]])
    assert len(read_table(data, max_rows=3).rows) == 3
    assert _refusal(data, max_rows=2) == reading.TOO_MANY_ROWS.format(limit=2)


def test_a_zip_bomb_is_refused_before_it_is_opened():
    assert _refusal(corpus.zip_bomb(300)) == reading.EXPANDS_TOO_MUCH.format(size="300")


def test_a_small_but_highly_compressed_member_is_refused():
    # 20 MB in all, under the 200 MB total, but a thousand to one: no spreadsheet compresses like that.
    assert _refusal(corpus.zip_bomb(20)) == reading.EXPANDS_TOO_MUCH.format(size="20")


@pytest.mark.parametrize(
    "build", [corpus.truncated_workbook, corpus.scrambled_workbook], ids=["truncated", "scrambled"]
)
def test_a_damaged_workbook(build):
    assert _refusal(build()) == reading.DAMAGED_WORKBOOK


def test_an_excel_binary_workbook():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.bin", b"\x83\x01\x00")
    assert _refusal(buffer.getvalue()) == reading.BINARY_WORKBOOK


def test_a_zip_that_holds_no_spreadsheet():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")  # a Word document
    assert _refusal(buffer.getvalue()) == reading.NOT_A_SPREADSHEET_ARCHIVE


# Workbooks


def test_openpyxl_workbook_numbers_dates_formula_like_text_and_trailing_rows():
    table = read_table(corpus.openpyxl_workbook())
    assert (table.format, table.encoding, table.delimiter, table.sheet) == ("xlsx", None, None, "Sheet1")
    assert table.headers == ["Unique ID", "First name", "Last name", "Date of birth", "Score"]
    assert table.rows == [
        (2, [NumberCell(7124, "007124"), "=1+1", "Müller", datetime.date(2010, 1, 13), NumberCell(12.5, "12.5")]),
        (3, [NumberCell(7124, "7124"), "+44 20 7946 0000", "@handle", datetime.date(2010, 1, 13), NumberCell(3, "3")]),
        (4, ["007125", "-5", "Ana", corpus.naive(2011, 4, 3, 10, 30), None]),
    ]


def test_the_candidates_sheet_is_read_whatever_comes_first_and_number_formats_show():
    table = read_table(corpus.xlsxwriter_workbook())
    assert table.sheet == "Candidates"
    assert [cells[0] for _, cells in table.rows] == ["007124", NumberCell(42, "00042"), NumberCell(7126, "7126")]
    assert [cells[1] for _, cells in table.rows] == ["=SUM(A1:A2)", "Zoë", "Tab\there"]


def test_number_formats_are_read_by_openpyxl_when_cells_have_no_references():
    data = _rewrite_sheet(corpus.openpyxl_workbook(), lambda xml: re.sub(rb'(<c) r="[A-Z]+[0-9]+"', rb"\1", xml))
    assert read_table(data).rows[0][1][0] == NumberCell(7124, "007124")


def test_number_formats_are_read_by_openpyxl_when_the_default_style_pads():
    def default_style_pads(xml: bytes) -> bytes:
        xml = re.sub(rb"<numFmts[^>]*>", b'<numFmts count="2"><numFmt numFmtId="170" formatCode="0000"/>', xml, count=1)
        return re.sub(rb'(<cellXfs[^>]*>\s*<xf[^>]*?)numFmtId="0"', rb'\1numFmtId="170"', xml, count=1)

    data = _rewrite(corpus.openpyxl_workbook(), "xl/styles.xml", default_style_pads)
    assert b'numFmtId="170"' in zipfile.ZipFile(io.BytesIO(data)).read("xl/styles.xml")
    numbers = [cells[0] for _, cells in read_table(data).rows]
    assert numbers[:2] == [NumberCell(7124, "007124"), NumberCell(7124, "7124")]
    assert [cells[4] for _, cells in read_table(data).rows][1] == NumberCell(3, "0003")


def test_data_away_from_the_corner_keeps_the_row_numbers_of_the_sheet():
    def build(workbook):
        sheet = workbook.active
        sheet["C3"], sheet["D3"] = "ID", "Name"
        sheet["C5"], sheet["D5"] = 7, "Ana"
        sheet["C5"].number_format = "000"

    table = read_table(_xlsx(build))
    assert (table.headers, table.rows) == (["ID", "Name"], [(5, [NumberCell(7, "007"), "Ana"])])


def test_formatted_empty_cells_beside_the_data_shift_nothing():
    def build(workbook):
        sheet = workbook.active
        for row in range(1, 6):
            sheet.cell(row=row, column=1).number_format = "000"  # a padded but empty column A
        sheet["B2"], sheet["C2"], sheet["B3"], sheet["C3"] = "ID", "Set", 5, 7
        sheet["B3"].number_format, sheet["C3"].number_format = "0000", "00"

    assert read_table(_xlsx(build)).rows == [(3, [NumberCell(5, "0005"), NumberCell(7, "07")])]


def test_hidden_and_empty_sheets_are_passed_over():
    def build(workbook):
        workbook.active.title = "Empty"
        hidden = workbook.create_sheet("Old")
        hidden.append(["Not", "this"])
        hidden.sheet_state = "hidden"
        workbook.create_sheet("Pupils").append(["ID", "Name"])

    assert read_table(_xlsx(build)).sheet == "Pupils"


def test_an_empty_candidates_sheet_means_no_data_even_with_other_sheets():
    def build(workbook):
        workbook.active.append(["Column", "Required"])
        workbook.create_sheet("candidates ")

    assert _refusal(_xlsx(build)) == reading.NO_DATA


def test_header_cells_of_any_type_become_text():
    def build(workbook):
        workbook.active.append([" ID ", 2024, datetime.date(2024, 9, 1), True, None, None])
        workbook.active.append(["1", "a", "b", "c"])

    assert read_table(_xlsx(build)).headers == ["ID", "2024", "2024-09-01", "TRUE"]


def test_times_and_durations_become_text():
    def build(workbook):
        workbook.active.append(["Start", "Length"])
        workbook.active.append([datetime.time(9, 30), datetime.timedelta(hours=1, minutes=15)])

    assert read_table(_xlsx(build)).rows == [(2, ["09:30:00", "1:15:00"])]


def test_ods_workbook():
    table = read_table(corpus.ods_workbook())
    assert (table.format, table.sheet) == ("ods", "Sheet1")
    assert table.rows == [
        (2, [NumberCell(7124, "7124"), "Zoë", datetime.date(2010, 1, 13), NumberCell(12.5, "12.5")]),
        (5, ["7125", "=1+1", None, None]),
    ]


def test_ods_numbers_formatted_with_leading_zeros_keep_them_as_in_xlsx():
    table = read_table(corpus.ods_padded_workbook())
    assert table.headers == ["Unique ID", "First name", "Score", "Count", "Old ID"]
    assert [(number, [cell.text if isinstance(cell, NumberCell) else cell for cell in cells])
            for number, cells in table.rows] == [
        (3, ["007124", "Zoë", "12.5", "1234", "00042"]),  # the column's style; a named style of styles.xml
        (4, ["000033", "Ana", "3", "7", "000005"]),  # the cell's own style; "#,##0" and "0.00" do not pad
        (5, ["8", "Ben", "9", "9", "00006"]),  # a cell whose own style does not pad, even in a padded column
    ]  # fmt: skip


def test_ods_without_padding_styles_is_read_without_walking_the_sheet(monkeypatch):
    from examdesk.transfer import reading

    monkeypatch.setattr(reading, "_ods_padding_cells", lambda *args: pytest.fail("walked the sheet"))
    assert read_table(corpus.ods_workbook()).rows[0][1][0] == NumberCell(7124, "7124")


LIBREOFFICE_ROWS = [
    ["Unique ID", "First name", "Last name", "Date of birth", "Group"],
    ["007124", "Zoë", "Müller", "13/01/2010", "7X"],
]


@pytest.mark.skipif(corpus.libreoffice() is None, reason="LibreOffice (soffice) is not installed on this machine")
@pytest.mark.parametrize("target", ["xlsx", "ods"])
def test_a_workbook_written_by_libreoffice(tmp_path, target):
    source = tmp_path / "candidates.csv"
    source.write_bytes(corpus.csv_bytes(LIBREOFFICE_ROWS, encoding="utf-8"))
    # Comma, double quote, UTF-8 (76), from line 1; column 1 as text (2), column 4 as DD/MM/YY dates (4).
    data = corpus.convert_with_libreoffice(source, target, "44,34,76,1,1/2/4/4")
    table = read_table(data)
    assert table.format == target
    assert table.headers == LIBREOFFICE_ROWS[0]
    assert table.rows == [(2, ["007124", "Zoë", "Müller", datetime.date(2010, 1, 13), "7X"])]


# Number cells


@pytest.mark.parametrize(
    ("number_format", "digits"),
    [
        ("General", 0),
        ("0", 1),
        ("000000", 6),
        ("00000#", 5),
        ("#,##0", 1),
        ("0.00", 1),
        ("000.00", 3),
        ('"ID"0000', 4),
        ("[Blue]0000;[Red]-0000", 4),
        ("\\#0000", 4),
        ("0000_);(0000)", 4),
        ("@", 0),
        ("0%", 0),
        ("0.00E+00", 0),
        ("000-0000", 0),
        ("dd/mm/yyyy", 0),
        ("# ?/?", 0),
    ],
)
def test_minimum_integer_digits(number_format, digits):
    assert minimum_integer_digits(number_format) == digits


@pytest.mark.parametrize(
    ("value", "digits", "expected"),
    [
        (7124.0, 0, NumberCell(7124, "7124")),
        (7124.0, 6, NumberCell(7124, "007124")),
        (7, 3, NumberCell(7, "007")),
        (-5.0, 3, NumberCell(-5, "-005")),
        (12.5, 0, NumberCell(12.5, "12.5")),
        (0.1 + 0.2, 0, NumberCell(0.1 + 0.2, "0.3")),
        (1e20, 0, NumberCell(1e20, "1e+20")),
        (123456789012345.0, 0, NumberCell(123456789012345, "123456789012345")),
    ],
)
def test_number_cell_text(value, digits, expected):
    assert number_cell(value, minimum_digits=digits) == expected


# Properties

# Headings are words; values are anything a person could type (no NUL, which no text file holds).
HEADINGS = st.text(string.ascii_letters + string.digits + " _-()/", min_size=1, max_size=20).map(str.strip).filter(bool)
ANY_TEXT = st.text(st.characters(blacklist_characters="\x00", blacklist_categories=("Cs",)), max_size=30)
# Windows-1252 text that is not also UTF-8: ASCII and the Latin-1 letters, as in real names. (Bytes 0x80-0xBF
# would let a pair such as "Ã©" be valid UTF-8, which no detector can tell apart.)
WINDOWS_1252_TEXT = st.text(
    st.characters(whitelist_categories=("Lu", "Ll", "Nd", "Zs", "Po"), max_codepoint=0xFF).filter(
        lambda character: character < "\x80" or character >= "\xc0"
    )
    | st.sampled_from(";,\t\"'\r\n"),
    max_size=30,
)
ENCODINGS = st.sampled_from(["utf-8-sig", "utf-8", "utf-16", "cp1252"])


@st.composite
def csv_files(draw):  # type: ignore[no-untyped-def]
    encoding = draw(ENCODINGS)
    delimiter = draw(st.sampled_from(reading.CSV_DELIMITERS))
    width = draw(st.integers(min_value=2, max_value=5))
    headers = draw(st.lists(HEADINGS, min_size=width, max_size=width))
    values = WINDOWS_1252_TEXT if encoding == "cp1252" else ANY_TEXT
    rows = draw(st.lists(st.lists(values, min_size=width, max_size=width), max_size=8))
    return encoding, delimiter, headers, rows


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(csv_files())
def test_any_text_written_as_csv_reads_back_identical(case):
    encoding, delimiter, headers, rows = case
    data = corpus.csv_bytes([headers, *rows], encoding=encoding.removesuffix("-sig"), delimiter=delimiter)
    if encoding == "utf-8-sig":
        data = codecs.BOM_UTF8 + data
    table = read_table(data)
    expected = [
        (number, [value or None for value in row])
        for number, row in enumerate(rows, start=2)
        if any(value.strip() for value in row)
    ]
    # Windows-1252 text of ASCII only is also UTF-8, and is read as such (to the same text).
    expected_encoding = "utf-8" if encoding == "cp1252" and data.isascii() else encoding
    assert (table.encoding, table.delimiter, table.headers) == (expected_encoding, delimiter, headers)
    assert table.rows == expected


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(min_value=0, max_value=10**12), st.integers(min_value=1, max_value=12)),
        min_size=1,
        max_size=5,
    )
)
def test_a_number_in_a_zero_padded_cell_shows_its_zeros(numbers):
    def build(workbook):
        workbook.active.append(["ID"])
        for value, digits in numbers:
            workbook.active.append([value])
            workbook.active.cell(row=workbook.active.max_row, column=1).number_format = "0" * digits

    table = read_table(_xlsx(build))
    assert [cells[0] for _, cells in table.rows] == [
        NumberCell(value, str(value).zfill(digits)) for value, digits in numbers
    ]


# Text an XLSX can hold: XML 1.0 allows no control characters but TAB, LF and CR.
XML_TEXT = st.text(
    st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from("\t\n"), min_size=1, max_size=30
).filter(lambda text: text.strip())


@settings(max_examples=40, deadline=None)
@given(st.lists(XML_TEXT, min_size=1, max_size=5))
def test_any_text_in_a_workbook_reads_back_identical(texts):
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    sheet = workbook.add_worksheet()
    sheet.write_string(0, 0, "Value")
    for row, text in enumerate(texts, start=1):
        sheet.write_string(row, 0, text)
    workbook.close()
    assert [cells[0] for _, cells in read_table(buffer.getvalue()).rows] == texts


# Helpers


def _rewrite(data: bytes, member_name: str, change) -> bytes:  # type: ignore[no-untyped-def]
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            content = source.read(member.filename)
            target.writestr(member.filename, change(content) if member.filename == member_name else content)
    return buffer.getvalue()


def _rewrite_sheet(data: bytes, change) -> bytes:  # type: ignore[no-untyped-def]
    return _rewrite(data, "xl/worksheets/sheet1.xml", change)


FILES = Path(__file__).parent / "files"


@pytest.mark.parametrize("target", ["xlsx", "ods"])
def test_a_stored_workbook_written_by_libreoffice(target):
    """The same workbook, saved once by LibreOffice Calc 7 (files/README.md), so it is read on every machine."""
    table = read_table((FILES / f"written-by-libreoffice.{target}").read_bytes())
    assert table.format == target
    assert table.headers == LIBREOFFICE_ROWS[0]
    assert table.rows == [(2, ["007124", "Zoë", "Müller", datetime.date(2010, 1, 13), "7X"])]
