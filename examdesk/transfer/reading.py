"""Read the bytes of an uploaded file into a table of cells, whatever program wrote it.

The format comes from the content, never from the file name: people rename files, and browsers and mail
programs change extensions. Sizes and zip containers are checked before anything is parsed. Every refusal is an
`UnreadableFile` whose message tells a school admin what to do. Nothing here depends on the server's or the
browser's locale, and nothing here touches the database.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import datetime
import gc
import io
import logging
import math
import posixpath
import re
import warnings
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from itertools import islice
from typing import TypeAlias
from xml.etree import ElementTree

import openpyxl  # type: ignore[import-untyped]  # no stubs in the environment; used in one function
from python_calamine import CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

from examdesk.core.errors import ApplicationError

log = logging.getLogger(__name__)

MB = 1024 * 1024
DEFAULT_MAX_BYTES = 20 * MB
DEFAULT_MAX_ROWS = 200_000
# An honest workbook of the largest size we accept expands to well under this; more is a damaged file or a zip bomb.
MAX_EXPANDED_BYTES = 200 * MB
# Spreadsheet XML compresses about 10:1; a member far beyond that and large is a bomb, not a list of candidates.
SUSPICIOUS_RATIO = 100
SUSPICIOUS_MEMBER_BYTES = 10 * MB
# The template's data sheet: read even when another sheet comes first (the template also has a Guidance sheet).
DATA_SHEET_NAME = "Candidates"
# Excel keeps 15 significant digits; an integer beyond that is no longer the digits the person typed.
EXACT_INTEGER_LIMIT = 10**15
CSV_DELIMITERS = (",", ";", "\t")
# How many records after the header decide the delimiter.
DELIMITER_SAMPLE_RECORDS = 50

OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_SIGNATURES = (b"PK\x03\x04", b"PK\x05\x06")  # a local file header; an empty archive
# Excel saves a password-protected .xlsx as an OLE2 compound file holding an "EncryptedPackage" stream.
ENCRYPTED_PACKAGE_STREAM = "EncryptedPackage".encode("utf-16-le")
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
KNOWN_BINARY_FORMATS: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "a PDF document"),
    (b"\x89PNG\r\n\x1a\n", "an image"),
    (b"\xff\xd8\xff", "an image"),
    (b"GIF87a", "an image"),
    (b"GIF89a", "an image"),
    (b"II*\x00", "an image"),
    (b"MM\x00*", "an image"),
    (b"\x1f\x8b", "a compressed archive"),
    (b"Rar!\x1a\x07", "a compressed archive"),
    (b"7z\xbc\xaf\x27\x1c", "a compressed archive"),
    (b"{\\rtf", "a Rich Text document"),
)
# Some systems "export to Excel" as a web page or as XML with an .xls name; Excel opens those, we do not.
MARKUP_STARTS = ("<!doctype html", "<html", "<table", "<?xml")

# Messages for people. Placeholders are filled with str.format; tests assert these texts.
EMPTY_FILE = "The file is empty. Choose the file with your candidates in it and upload it again."
FILE_TOO_LARGE = (
    "This file is {size} MB; the largest file we accept is {limit} MB. "
    "Split the candidates into smaller files and upload them one after another."
)
TOO_MANY_ROWS = (
    "This file has more than {limit:,} rows; we accept at most {limit:,} rows in one file. "
    "Split the file into smaller files and upload them one after another."
)
ENCRYPTED_WORKBOOK = (
    "This workbook is protected with a password. Open it, remove the password (File > Info > Protect Workbook), "
    "save it and upload it again."
)
OLD_OFFICE_FILE = (
    "This is an old-style Excel 97-2003 workbook (.xls), which we cannot read. Open it in your spreadsheet program, "
    "save it as an Excel Workbook (.xlsx) or as CSV UTF-8, and upload that file."
)
EXPANDS_TOO_MUCH = (
    "This file expands to {size} MB when opened, far more than a list of candidates needs; it may be damaged. "
    "Open it in your spreadsheet program, save it again and upload the new file."
)
DAMAGED_WORKBOOK = (
    "This file looks like a spreadsheet but it is damaged and cannot be opened. Open it in your spreadsheet "
    "program, save it again as an Excel Workbook (.xlsx) and upload the new file."
)
NOT_A_SPREADSHEET_ARCHIVE = (
    "This is a zip archive or an office document, but not a spreadsheet we can read. Upload the candidates as an "
    "Excel Workbook (.xlsx), an OpenDocument spreadsheet (.ods), a CSV file, or a OneRoster CSV package (a zip "
    "with manifest.csv and users.csv)."
)
BINARY_WORKBOOK = (
    "This is an Excel Binary Workbook (.xlsb), which we cannot read. Open it in Excel, save it as an Excel "
    "Workbook (.xlsx) or as CSV UTF-8, and upload that file."
)
NOT_A_SPREADSHEET = (
    "This file is {kind}, not a spreadsheet. Upload the candidates as an Excel Workbook (.xlsx), "
    "an OpenDocument spreadsheet (.ods) or a CSV file."
)
NOT_TEXT = (
    "This file is not a spreadsheet or a text (CSV) file we can read. Save it from your spreadsheet program as an "
    "Excel Workbook (.xlsx) or as CSV UTF-8, and upload that file."
)
NO_DATA = "The file has no data. Put the column headings in the first row and one candidate on each row below them."
BROKEN_QUOTES = (
    "Near line {line} of the file the quotation marks do not pair up: a value opens with a quotation mark that is "
    "never closed, or text follows the closing one. Correct that line (or save the file again from your "
    "spreadsheet program) and upload it again."
)


class UnreadableFile(ApplicationError):
    """The file cannot be read; `.message` says why and what to do, in words for a school admin."""

    def __init__(self, message: str) -> None:
        super().__init__(message)


@dataclass(frozen=True, slots=True)
class NumberCell:
    """A number from a workbook cell, with the digits as the person saw them.

    `text` is "007124" when the cell format is 000000, "7124" (never "7124.0") otherwise, "12.5" for a fraction.
    """

    value: int | float | Decimal
    text: str


Cell: TypeAlias = str | NumberCell | datetime.date | datetime.datetime | bool | None  # None is an empty cell
# What python-calamine hands back for one cell.
RawValue: TypeAlias = int | float | str | bool | datetime.time | datetime.date | datetime.datetime | datetime.timedelta


@dataclass
class Table:
    format: str  # "xlsx" | "ods" | "csv"
    encoding: str | None  # CSV only: "utf-8-sig" | "utf-8" | "utf-16" | "cp1252"
    delimiter: str | None  # CSV only: "," | ";" | "\t"
    headers: list[str]  # the first non-empty row, as stripped text, without trailing empty headings
    # (row number as the person sees it in the file, 1-based, counting the header row; cells, one per header)
    rows: list[tuple[int, list[Cell]]]
    sheet: str | None = None  # workbooks only: the sheet that was read


def read_table(data: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES, max_rows: int = DEFAULT_MAX_ROWS) -> Table:
    """Read an uploaded XLSX, ODS or CSV file; raise UnreadableFile with a message for people if it cannot be."""
    if len(data) > max_bytes:
        raise UnreadableFile(
            FILE_TOO_LARGE.format(size=megabytes(len(data), round_up=True), limit=megabytes(max_bytes))
        )
    with garbage_collector_paused():
        return _read(data, max_rows)


@contextlib.contextmanager
def garbage_collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while the cells of a file are built.

    A 100,000-row file is over a million new objects; every few hundred allocations start a collection, and
    the older generations (the growing sheet) are traversed again and again: a quarter of the reading time.
    Nothing here makes reference cycles, so reference counting alone frees everything that is dropped.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _read(data: bytes, max_rows: int) -> Table:
    if not data:
        raise UnreadableFile(EMPTY_FILE)
    if data.startswith(OLE2_SIGNATURE):
        raise UnreadableFile(ENCRYPTED_WORKBOOK if ENCRYPTED_PACKAGE_STREAM in data else OLD_OFFICE_FILE)
    if data.startswith(ZIP_SIGNATURES):
        return _read_zip_container(data, max_rows)
    for signature, kind in KNOWN_BINARY_FORMATS:
        if data.startswith(signature):
            raise UnreadableFile(NOT_A_SPREADSHEET.format(kind=kind))
    return _read_csv(data, max_rows)


def megabytes(size: int, *, round_up: bool = False) -> str:
    """'20', '20.1', '0.1': one decimal at most, never '0' (a file of 20 MB and 1 byte is '20.1' when rounding up)."""
    tenths = size * 10 / MB
    shown = (math.ceil(tenths) if round_up else round(tenths)) / 10
    return f"{max(shown, 0.1):g}"


# Zip containers: XLSX and ODS.


def _read_zip_container(data: bytes, max_rows: int) -> Table:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError) as error:
        raise UnreadableFile(DAMAGED_WORKBOOK) from error
    with archive:
        refuse_zip_bomb(archive)
        kind = _spreadsheet_kind(archive)
        formats: _NumberFormats | _OdsNumberFormats = (
            _NumberFormats(archive, data) if kind == "xlsx" else _OdsNumberFormats(archive)
        )
        return _read_workbook(data, kind, max_rows, formats)


def refuse_zip_bomb(archive: zipfile.ZipFile) -> None:
    """Judge the sizes the archive declares before anything is decompressed.

    A member that lies about its size cannot get past the readers: python-calamine's zip reader fails on more
    data than declared, and Python's zipfile stops at the declared size and checks the CRC.
    """
    members = archive.infolist()
    expanded = sum(member.file_size for member in members)
    too_big = expanded > MAX_EXPANDED_BYTES
    too_compressed = any(
        member.file_size > SUSPICIOUS_MEMBER_BYTES and member.file_size > SUSPICIOUS_RATIO * member.compress_size
        for member in members
    )
    if too_big or too_compressed:
        raise UnreadableFile(EXPANDS_TOO_MUCH.format(size=megabytes(expanded)))


def _spreadsheet_kind(archive: zipfile.ZipFile) -> str:
    names = set(archive.namelist())
    if "[Content_Types].xml" in names and "xl/workbook.xml" in names:
        return "xlsx"
    if "xl/workbook.bin" in names:
        raise UnreadableFile(BINARY_WORKBOOK)
    if "mimetype" in names:
        try:
            mimetype = archive.read("mimetype")
        except (zipfile.BadZipFile, EOFError, OSError, ValueError, NotImplementedError) as error:
            raise UnreadableFile(DAMAGED_WORKBOOK) from error
        if mimetype.strip() == ODS_MIMETYPE:
            return "ods"
    raise UnreadableFile(NOT_A_SPREADSHEET_ARCHIVE)


class _NumberFormats:
    """Which number cells of an XLSX sheet show leading zeros (a cell formatted 000000 shows 7124 as 007124).

    python-calamine does not report number formats. styles.xml (small) says whether any cell style pads
    with zeros; for almost every workbook none does, and nothing more is read. Otherwise the sheet's XML is
    scanned for cells with those styles, which costs about as much as decompressing it; when that scan cannot
    be trusted (cells without references, the default style padding), openpyxl reads the formats, slowly.
    """

    def __init__(self, archive: zipfile.ZipFile, data: bytes) -> None:
        self.archive = archive
        self.data = data
        self.padding_styles = _zero_padding_styles(archive)

    def padding(self, sheet: _Sheet, header_index: int, width: int) -> dict[int, dict[int, int]]:
        """For number cells whose format pads with zeros: {row index in values: {column index: digits}}."""
        if self.padding_styles == {}:
            return {}
        if self.padding_styles is not None:
            try:
                return _padding_from_sheet_xml(self.archive, sheet, self.padding_styles)
            except _ScanNotTrusted:
                pass
        number_columns = _number_columns(sheet.values[header_index + 1 :], width)
        if not number_columns:
            return {}
        return _padding_with_openpyxl(self.data, sheet, header_index, number_columns)


_ODS_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_ODS_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_ODS_STYLE = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
_ODS_NUMBER = "urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0"
# A row or cell repeated more often than this is the empty rest of the sheet, never candidates.
_ODS_MAX_REPEAT = 100_000


class _OdsNumberFormats:
    """Which number cells of an ODS sheet show leading zeros, as _NumberFormats does for XLSX.

    A cell's style (or its column's default cell style) names a data style; a number:number-style whose
    number:number element has number:min-integer-digits="6" shows 7124 as 007124. The styles are read from
    styles.xml and content.xml's automatic styles; only when one pads is content.xml walked for the cells.
    """

    def __init__(self, archive: zipfile.ZipFile) -> None:
        self.archive = archive

    def padding(self, sheet: _Sheet, header_index: int, width: int) -> dict[int, dict[int, int]]:
        try:
            content = self.archive.read("content.xml")
            try:
                styles = self.archive.read("styles.xml")
            except KeyError:
                styles = b""
            cell_styles = _ods_padding_styles([styles, content])
            if not cell_styles:
                return {}
            return _ods_padding_cells(content, sheet, cell_styles, width)
        except (KeyError, ElementTree.ParseError, zipfile.BadZipFile, EOFError, OSError, ValueError) as error:
            log.warning("Could not read number formats of ODS sheet %r (%s); numbers read as plain digits",
                        sheet.name, error)  # fmt: skip
            return {}


def _ods_padding_styles(parts: list[bytes]) -> dict[str, int]:
    """{cell style name: minimum digits} for the cell styles whose data style pads integers with zeros."""
    number_styles: dict[str, int] = {}
    cell_data_style: dict[str, str] = {}
    for part in parts:
        if not part:
            continue
        # The standard library's expat refuses entity-expansion bombs and fetches nothing (see _zero_padding_styles).
        for event, element in ElementTree.iterparse(io.BytesIO(part), events=("start", "end")):  # noqa: S314
            if event == "start":
                if element.tag == f"{{{_ODS_OFFICE}}}body":
                    break  # the styles come before the body
                continue
            if element.tag == f"{{{_ODS_NUMBER}}}number-style":
                name = element.get(f"{{{_ODS_STYLE}}}name", "")
                numbers = [child for child in element if child.tag == f"{{{_ODS_NUMBER}}}number"]
                # Digits only, with literal text at most ("ID"0000 pads to 4, as in XLSX); no grouping.
                others = {child.tag for child in element} - {
                    f"{{{_ODS_NUMBER}}}number", f"{{{_ODS_NUMBER}}}text", f"{{{_ODS_STYLE}}}map",
                    f"{{{_ODS_STYLE}}}text-properties",
                }  # fmt: skip
                if len(numbers) == 1 and not others and numbers[0].get(f"{{{_ODS_NUMBER}}}grouping") != "true":
                    digits = int(numbers[0].get(f"{{{_ODS_NUMBER}}}min-integer-digits", "1") or 1)
                    if digits > 1:
                        number_styles[name] = digits
                element.clear()
            elif element.tag == f"{{{_ODS_STYLE}}}style" and element.get(f"{{{_ODS_STYLE}}}family") == "table-cell":
                data_style = element.get(f"{{{_ODS_STYLE}}}data-style-name")
                if data_style:
                    cell_data_style[element.get(f"{{{_ODS_STYLE}}}name", "")] = data_style
    return {name: number_styles[data] for name, data in cell_data_style.items() if data in number_styles}


def _ods_padding_cells(
    content: bytes, sheet: _Sheet, cell_styles: dict[str, int], width: int
) -> dict[int, dict[int, int]]:
    """Walk the sheet's rows and cells (with their repeats) for number cells whose style pads."""
    table_tag, row_tag, column_tag = (f"{{{_ODS_TABLE}}}{name}" for name in ("table", "table-row", "table-column"))
    cell_tags = {f"{{{_ODS_TABLE}}}table-cell", f"{{{_ODS_TABLE}}}covered-table-cell"}
    repeat_columns, repeat_rows = f"{{{_ODS_TABLE}}}number-columns-repeated", f"{{{_ODS_TABLE}}}number-rows-repeated"
    style_name, value_type = f"{{{_ODS_TABLE}}}style-name", f"{{{_ODS_OFFICE}}}value-type"
    last_column = sheet.first_column + width
    padding: dict[int, dict[int, int]] = {}
    in_sheet = False
    column_styles: list[str | None] = []
    row = column = 0
    depth = 0
    for event, element in ElementTree.iterparse(io.BytesIO(content), events=("start", "end")):  # noqa: S314
        tag = element.tag
        if tag == table_tag:
            if event == "start" and not in_sheet and depth == 0:
                in_sheet = element.get(f"{{{_ODS_TABLE}}}name") == sheet.name
            if in_sheet:
                depth += 1 if event == "start" else -1
                if depth == 0:
                    break
            continue
        if not in_sheet or event != "end" and tag != row_tag:
            continue
        if tag == column_tag:
            count = min(int(element.get(repeat_columns, "1")), _ODS_MAX_REPEAT)
            column_styles.extend([element.get(f"{{{_ODS_TABLE}}}default-cell-style-name")] * count)
        elif tag == row_tag:
            if event == "start":
                column = 0
            else:
                row += min(int(element.get(repeat_rows, "1")), _ODS_MAX_REPEAT)
                element.clear()
        elif tag in cell_tags:
            count = min(int(element.get(repeat_columns, "1")), _ODS_MAX_REPEAT)
            if element.get(value_type) == "float" and row >= sheet.first_row:
                for offset in range(count):
                    at = column + offset
                    if at < sheet.first_column or at >= last_column:
                        continue
                    name = element.get(style_name) or (column_styles[at] if at < len(column_styles) else None)
                    digits = cell_styles.get(name or "", 0)
                    if digits:
                        padding.setdefault(row - sheet.first_row, {})[at - sheet.first_column] = digits
            column += count
    return padding


class _ScanNotTrusted(Exception):
    """The quick scan of the sheet XML cannot answer for this workbook."""


@dataclass
class _Sheet:
    name: str
    values: list[list[RawValue]]
    first_row: int  # 0-based position of values[0][0] in the sheet
    first_column: int


def _zero_padding_styles(archive: zipfile.ZipFile) -> dict[int, int] | None:
    """{cell style index: minimum digits} for the styles that pad numbers with zeros; None when unknown."""
    try:
        # The standard library's expat (>= 2.4) refuses entity-expansion bombs and never fetches external
        # entities, and the zip checks above bound the part's size.
        root = ElementTree.fromstring(archive.read("xl/styles.xml"))  # noqa: S314
    except KeyError:
        return {}
    except (ElementTree.ParseError, zipfile.BadZipFile, EOFError, OSError, ValueError, NotImplementedError):
        return None
    # Built-in formats (ids below 164) never pad with zeros, so only custom codes matter.
    custom_formats = {
        element.get("numFmtId"): element.get("formatCode", "")
        for element in root.iter()
        if _local_name(element.tag) == "numFmt"
    }
    cell_styles = [style for styles in root.iter() if _local_name(styles.tag) == "cellXfs" for style in styles]
    padding: dict[int, int] = {}
    for index, style in enumerate(cell_styles):
        digits = minimum_integer_digits(custom_formats.get(style.get("numFmtId", "0"), ""))
        if digits > 1:
            padding[index] = digits
    return padding


def _number_columns(rows: list[list[RawValue]], width: int) -> set[int]:
    return {
        column
        for raw in rows
        for column, value in enumerate(raw[:width])
        if isinstance(value, int | float) and not isinstance(value, bool)
    }


_CELL_REFERENCE = re.compile(rb"""\br\s*=\s*["']([A-Z]{1,3})([0-9]+)["']""")


def _padding_from_sheet_xml(
    archive: zipfile.ZipFile, sheet: _Sheet, padding_styles: dict[int, int]
) -> dict[int, dict[int, int]]:
    if 0 in padding_styles:
        raise _ScanNotTrusted  # cells without an s attribute have style 0, and the scan only sees attributes
    part = _sheet_part(archive, sheet.name)
    try:
        xml = archive.read(part)
    except (KeyError, zipfile.BadZipFile, EOFError, OSError, ValueError, NotImplementedError) as error:
        raise _ScanNotTrusted from error
    # An attribute s="N" with a padding style N; searching for it alone is several times faster than
    # matching whole cell tags. Each hit is then checked to be an attribute of a <c> (cell) start tag.
    styles = b"|".join(str(index).encode() for index in padding_styles)
    style_attributes = re.compile(rb"""s\s*=\s*["'](""" + styles + rb""")["']""")
    padding: dict[int, dict[int, int]] = {}
    for hit in style_attributes.finditer(xml):
        start = hit.start()
        if not xml[start - 1 : start].isspace():
            continue  # the end of another attribute's name
        tag = xml[xml.rfind(b"<", 0, start) + 1 : xml.find(b">", start)]
        if (tag.split(None, 1) or [b""])[0].rsplit(b":", 1)[-1] != b"c":
            continue  # a row's style, or text inside a value
        reference = _CELL_REFERENCE.search(tag)
        if reference is None:
            raise _ScanNotTrusted  # the cell's position is implicit: leave it to a full reader
        row = int(reference.group(2)) - 1 - sheet.first_row
        column = _column_index(reference.group(1)) - sheet.first_column
        padding.setdefault(row, {})[column] = padding_styles[int(hit.group(1))]
    return padding


def _sheet_part(archive: zipfile.ZipFile, sheet_name: str) -> str:
    """The zip member holding a sheet, found through workbook.xml and its relationships."""
    try:
        workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))  # noqa: S314  (see _zero_padding_styles)
        relationships = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))  # noqa: S314
    except (KeyError, ElementTree.ParseError, zipfile.BadZipFile, EOFError, OSError, ValueError) as error:
        raise _ScanNotTrusted from error
    relationship_ids = [
        value
        for element in workbook.iter()
        if _local_name(element.tag) == "sheet" and element.get("name") == sheet_name
        for key, value in element.attrib.items()
        if _local_name(key) == "id"
    ]
    targets = [
        element.get("Target", "")
        for element in relationships.iter()
        if _local_name(element.tag) == "Relationship" and element.get("Id") in relationship_ids
    ]
    if len(targets) != 1 or not targets[0]:
        raise _ScanNotTrusted
    target = targets[0]
    return target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))


def _column_index(letters: bytes) -> int:
    """b"A" → 0, b"Z" → 25, b"AA" → 26."""
    index = 0
    for letter in letters:
        index = index * 26 + letter - ord("A") + 1
    return index - 1


def _padding_with_openpyxl(
    data: bytes, sheet: _Sheet, header_index: int, number_columns: set[int]
) -> dict[int, dict[int, int]]:
    """The same answer as the scan, from openpyxl (ten times slower): only for the columns holding numbers.

    A workbook openpyxl cannot read is still read, with its numbers shown as plain digits.
    """
    low, high = min(number_columns), max(number_columns)
    padding: dict[int, dict[int, int]] = {}
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about extensions and styles it does not know
            workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            worksheet = workbook[sheet.name]
            worksheet.reset_dimensions()  # never trust the dimension a writer declared; read to the last row
            rows = worksheet.iter_rows(
                min_row=sheet.first_row + header_index + 2,
                min_col=sheet.first_column + low + 1,
                max_col=sheet.first_column + high + 1,
            )
            for index, row in enumerate(rows, start=header_index + 1):
                for column, cell in enumerate(row, start=low):
                    digits = minimum_integer_digits(cell.number_format or "") if column in number_columns else 0
                    if digits > 1:
                        padding.setdefault(index, {})[column] = digits
        finally:
            workbook.close()
    except Exception:
        log.warning("Could not read number formats of sheet %r; numbers are read as plain digits", sheet.name)
        return {}
    return padding


def _local_name(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def minimum_integer_digits(number_format: str) -> int:
    """How many digits a number format shows before the decimal point at least: 6 for 000000, 1 for 0.00.

    Only formats made of digit placeholders count (quoted text, colours and locales aside: '"ID"0000' is 4).
    Anything else (General, dates, percentages, fractions, scientific, masks such as 000-0000) gives 0, and the
    number is shown as plain digits.
    """
    section = _strip_format_literals(number_format).split(";", 1)[0]
    if not section or not set(section) <= set("0#?,."):
        return 0
    return section.split(".", 1)[0].count("0")


def _strip_format_literals(number_format: str) -> str:
    """Drop what a format shows literally: "quoted text", \\x escapes, [colours/locales], _x spacing, *x fills."""
    kept: list[str] = []
    characters = iter(number_format)
    for character in characters:
        if character == '"':
            for quoted in characters:
                if quoted == '"':
                    break
        elif character == "[":
            for bracketed in characters:
                if bracketed == "]":
                    break
        elif character in "\\_*":
            next(characters, None)
        else:
            kept.append(character)
    return "".join(kept)


def _read_workbook(data: bytes, kind: str, max_rows: int, formats: _NumberFormats | _OdsNumberFormats | None) -> Table:
    sheet = _load_data_sheet(data)
    values = sheet.values
    header_index = next(index for index, raw in enumerate(values) if not _is_blank_row(raw))
    headers = _without_trailing_blanks([_header_text(value) for value in values[header_index]])
    width = len(headers)
    padding = formats.padding(sheet, header_index, width) if formats is not None else {}
    rows: list[tuple[int, list[Cell]]] = []
    for index in range(header_index + 1, len(values)):
        cells = _workbook_cells(values[index], width, padding.get(index))
        if _is_blank_row(cells):
            continue
        if len(rows) == max_rows:
            raise UnreadableFile(TOO_MANY_ROWS.format(limit=max_rows))
        rows.append((sheet.first_row + index + 1, cells))
    return Table(format=kind, encoding=None, delimiter=None, headers=headers, rows=rows, sheet=sheet.name)


def _load_data_sheet(data: bytes) -> _Sheet:
    """The sheet to read: the template's data sheet if there is one, else the first visible sheet with data."""
    try:
        with CalamineWorkbook.from_filelike(io.BytesIO(data)) as workbook:
            worksheets = [sheet for sheet in workbook.sheets_metadata if sheet.typ == SheetTypeEnum.WorkSheet]
            named = [sheet for sheet in worksheets if sheet.name.strip().casefold() == DATA_SHEET_NAME.casefold()]
            candidates = named or [sheet for sheet in worksheets if sheet.visible == SheetVisibleEnum.Visible]
            for metadata in candidates:
                sheet = workbook.get_sheet_by_name(metadata.name)
                values = sheet.to_python()  # starts at sheet.start: leading empty rows and columns are left out
                if any(not _is_blank_row(raw) for raw in values):
                    first_row, first_column = sheet.start or (0, 0)
                    return _Sheet(metadata.name, values, first_row, first_column)
    except BaseException as error:
        # A panic inside the Rust parser on a malformed file reaches Python as pyo3's PanicException, which
        # derives from BaseException; it is a damaged file like any other parse failure.
        if not isinstance(error, Exception) and type(error).__name__ != "PanicException":
            raise
        raise UnreadableFile(DAMAGED_WORKBOOK) from error
    raise UnreadableFile(NO_DATA)


def _workbook_cells(raw: list[RawValue], width: int, row_padding: dict[int, int] | None) -> list[Cell]:
    values = raw[:width]
    if row_padding:
        cells = [_padded_cell(value, row_padding.get(column, 0)) for column, value in enumerate(values)]
    else:
        # Non-empty text is by far the most common value: keep it out of the function call.
        cells = [value if type(value) is str and value else _workbook_cell(value) for value in values]
    if len(cells) < width:
        cells.extend([None] * (width - len(cells)))
    return cells


def _padded_cell(value: RawValue, digits: int) -> Cell:
    if digits and isinstance(value, int | float) and not isinstance(value, bool):
        return number_cell(value, minimum_digits=digits)
    return _workbook_cell(value)


def _workbook_cell(value: RawValue) -> Cell:
    if isinstance(value, str):
        return value or None
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return number_cell(value)
    if isinstance(value, datetime.date):  # dates and datetimes stay what they are
        return value
    if isinstance(value, datetime.time):  # a time of day alone is no date: keep it readable as text
        return value.isoformat()
    return str(value)  # a duration


def number_cell(value: int | float, *, minimum_digits: int = 0) -> NumberCell:
    """A workbook number as the person saw it: 7124.0 → "7124"; with minimum_digits=6 → "007124"; 12.5 → "12.5"."""
    integral: int | None = None
    if isinstance(value, int):
        integral = value
    elif value.is_integer() and abs(value) < EXACT_INTEGER_LIMIT:
        integral = int(value)
    if integral is None:
        # 15 significant digits, as a spreadsheet shows them: 0.1 + 0.2 reads "0.3", not "0.30000000000000004".
        return NumberCell(value, format(value, ".15g"))
    digits = str(abs(integral)).rjust(minimum_digits, "0")
    return NumberCell(integral, "-" + digits if integral < 0 else digits)


def _header_text(value: RawValue) -> str:
    cell = _workbook_cell(value)
    if cell is None:
        return ""
    if isinstance(cell, NumberCell):
        return cell.text
    if isinstance(cell, bool):
        return "TRUE" if cell else "FALSE"
    if isinstance(cell, datetime.date):
        return cell.isoformat()
    return cell.strip()


# CSV and other text.


def _read_csv(data: bytes, max_rows: int) -> Table:
    text, encoding = _decode_text(data)
    if "\x00" in text:
        raise UnreadableFile(NOT_TEXT)
    if text[:1024].lstrip().casefold().startswith(MARKUP_STARTS):
        raise UnreadableFile(NOT_A_SPREADSHEET.format(kind="a web page or an XML file"))
    delimiter = detect_delimiter(text)
    # strict: a broken quotation gets a clear message rather than silently swallowing the rows after it.
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    headers: list[str] | None = None
    rows: list[tuple[int, list[Cell]]] = []
    try:
        # Record numbers are the row numbers a spreadsheet program shows (a value may span several lines).
        for number, record in enumerate(reader, start=1):
            if not any(value.strip() for value in record):
                continue
            if headers is None:
                headers = _without_trailing_blanks([value.strip() for value in record])
                continue
            if len(rows) == max_rows:
                raise UnreadableFile(TOO_MANY_ROWS.format(limit=max_rows))
            rows.append((number, _csv_cells(record, len(headers))))
    except csv.Error as error:
        raise UnreadableFile(BROKEN_QUOTES.format(line=reader.line_num)) from error
    if headers is None:
        raise UnreadableFile(NO_DATA)
    return Table(format="csv", encoding=encoding, delimiter=delimiter, headers=headers, rows=rows)


def _csv_cells(record: list[str], width: int) -> list[Cell]:
    cells: list[Cell] = [value or None for value in record[:width]]
    if len(cells) < width:
        cells.extend([None] * (width - len(cells)))
    return cells


def _decode_text(data: bytes) -> tuple[str, str]:
    """The text of the file and the name of its encoding: a BOM first, then UTF-16 by shape, UTF-8, Windows-1252."""
    if data.startswith(codecs.BOM_UTF8):
        return _decode(data, "utf-8-sig"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _decode(data, "utf-16"), "utf-16"
    byte_order = _utf16_byte_order_without_bom(data)
    if byte_order is not None:
        return _decode(data, byte_order), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        # Not UTF-8: what Excel on Windows writes for "CSV (comma delimited)" in Western European languages.
        return _decode(data, "cp1252"), "cp1252"


def _decode(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        raise UnreadableFile(NOT_TEXT) from error


def _utf16_byte_order_without_bom(data: bytes) -> str | None:
    """'utf-16-le' or 'utf-16-be' when the first KB has the shape of UTF-16 text, else None.

    Names and headings are mostly Latin letters, whose UTF-16 high byte is NUL: so every other byte is NUL.
    Three in four is enough, so that a few accented or non-Latin letters do not hide the shape.
    """
    sample = data[: min(len(data), 1024) // 2 * 2]
    pairs = len(sample) // 2
    if pairs == 0:
        return None
    even_nuls, odd_nuls = sample[0::2].count(0), sample[1::2].count(0)
    if odd_nuls >= pairs * 3 / 4 and even_nuls == 0:
        return "utf-16-le"
    if even_nuls >= pairs * 3 / 4 and odd_nuls == 0:
        return "utf-16-be"
    return None


def detect_delimiter(text: str) -> str:
    """The delimiter among comma, semicolon and tab that splits the header into more than one column and the
    records below it into as many; comma when none does (a file of one column).

    The csv module does the splitting, so delimiters inside quoted values do not count.
    """
    best: tuple[tuple[float, int, int], str] | None = None
    for preference, delimiter in enumerate(CSV_DELIMITERS):
        counts = _column_counts(text, delimiter)
        if not counts or counts[0] < 2:
            continue
        header_count, record_counts = counts[0], counts[1:]
        agreeing = sum(1 for count in record_counts if count == header_count)
        consistency = agreeing / len(record_counts) if record_counts else 1.0
        score = (consistency, header_count, -preference)
        if best is None or score > best[0]:
            best = (score, delimiter)
    return best[1] if best is not None else ","


def _column_counts(text: str, delimiter: str) -> list[int]:
    """Column counts of the first non-empty records when split with this delimiter (the header first)."""
    records = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    non_empty = (record for record in records if any(value.strip() for value in record))
    counts: list[int] = []
    try:
        for record in islice(non_empty, DELIMITER_SAMPLE_RECORDS + 1):
            counts.append(len(record))
    except csv.Error:
        pass  # judged on what came before; the real read reports the broken line
    return counts


# Shared.


def _without_trailing_blanks(values: list[str]) -> list[str]:
    end = len(values)
    while end and not values[end - 1].strip():
        end -= 1
    return values[:end]


def _is_blank_row(cells: list[Cell] | list[RawValue]) -> bool:
    return all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in cells)
