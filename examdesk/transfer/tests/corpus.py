"""Files made the way real users make them, built in code so that every byte is explained.

Each builder says which program (and which of its "Save as" choices) writes files like it.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import xlsxwriter


def naive(*parts: int) -> datetime.datetime:
    """A date and time as a spreadsheet cell holds it: no time zone."""
    return datetime.datetime(*parts)  # noqa: DTZ001


HEADERS = ["Unique ID", "First name", "Last name", "Date of birth", "Group"]


def csv_bytes(
    rows: list[list[str]], *, encoding: str, delimiter: str = ",", line_end: str = "\r\n", bom: bool = False
) -> bytes:
    """Rows written with the csv module (RFC 4180 quoting), encoded like a spreadsheet program saves them."""
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator=line_end).writerows(rows)
    data = buffer.getvalue().encode(encoding)
    return (codecs.BOM_UTF8 + data) if bom else data


def european_excel_csv() -> bytes:
    """Excel on Windows in a German or French locale, "CSV (separated by semicolons)": Windows-1252, CRLF,
    semicolons (the comma is the decimal separator there), dates as 13.01.2010, decimal commas."""
    rows = [
        ["Unique ID", "First name", "Last name", "Date of birth", "Score"],
        ["007124", "Zoë", "Müller", "13.01.2010", "12,5"],
        ["7125", "François", "Dupont-Lefèvre", "03.04.2011", "9,75"],
        ["7126", "Søren", "Ørsted", "01.02.2009", ""],
    ]
    return csv_bytes(rows, encoding="cp1252", delimiter=";")


def excel_utf8_csv() -> bytes:
    """Excel's "CSV UTF-8 (Comma delimited)": a BOM, commas, CRLF; any script."""
    rows = [
        HEADERS,
        ["A-001", "Łukasz", "Wiśniewski", "2010-01-13", "7X"],
        ["A-002", "Nguyễn", "Thị Minh", "2011-04-03", "7Y"],
        ["A-003", "李", "小龍", "2009-02-01", ""],
    ]
    return csv_bytes(rows, encoding="utf-8", bom=True)


def excel_unicode_text() -> bytes:
    """Excel's "Unicode Text (*.txt)": UTF-16 little-endian with a BOM, tabs, CRLF."""
    rows = [
        HEADERS,
        ["007124", "Zoë", "Müller, Jr", "13/01/2010", "7X"],
        ["7125", "Łukasz", "O'Brien", "03/04/2011", "7Y"],
    ]
    return csv_bytes(rows, encoding="utf-16", delimiter="\t")


def plain_utf8_csv() -> bytes:
    """Google Sheets, LibreOffice or a script: UTF-8 without a BOM, commas, LF."""
    rows = [HEADERS, ["007124", "Zoë", "Müller", "01/13/2010", "7X"], ["7125", "Ana", "Țepeș", "12/31/2009", ""]]
    return csv_bytes(rows, encoding="utf-8", line_end="\n")


def quoted_csv() -> bytes:
    """Values holding the delimiter, quotation marks and line breaks, quoted as RFC 4180 says."""
    return (
        b"Unique ID,First name,Last name,Notes\r\n"
        b'1,"Smith, John","O""Brien","line one\r\nline two"\r\n'
        b'2,Ana,"Say ""hi""","a;b\tc"\r\n'
        b"3,Bo,Li,plain\r\n"
    )


def openpyxl_workbook() -> bytes:
    """A workbook as a person fills it: IDs typed as numbers (one formatted 000000), a fraction, real dates,
    text that looks like formulas (entered as text), and empty rows left at the bottom."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Sheet1"
    sheet.append(["Unique ID", "First name", "Last name", "Date of birth", "Score"])
    sheet.append([7124, "=1+1", "Müller", datetime.date(2010, 1, 13), 12.5])
    sheet["A2"].number_format = "000000"
    sheet.append([7124, "+44 20 7946 0000", "@handle", naive(2010, 1, 13, 0, 0), 3])
    sheet.append(["007125", "-5", "Ana", naive(2011, 4, 3, 10, 30), None])
    for row in (2, 3, 4):
        sheet.cell(row=row, column=2).data_type = "s"  # stored as text, as Excel does after a leading apostrophe
        sheet.cell(row=row, column=3).data_type = "s"
    sheet["D2"].number_format = "dd/mm/yyyy"
    sheet["D3"].number_format = "dd/mm/yyyy"
    sheet.cell(row=10, column=1).number_format = "000000"  # formatted but empty rows at the bottom
    sheet.cell(row=11, column=2, value="")
    return _save(workbook)


def xlsxwriter_workbook() -> bytes:
    """A workbook written like Excel writes it (shared strings), with a Guidance sheet first and the data on a
    sheet named "Candidates", the ID column formatted as text, and a padded number among the IDs."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False})
    guidance = workbook.add_worksheet("Guidance")
    guidance.write_row(0, 0, ["Column", "Required"])
    data = workbook.add_worksheet("Candidates")
    text = workbook.add_format({"num_format": "@"})
    padded = workbook.add_format({"num_format": '"ID"00000'})
    dates = workbook.add_format({"num_format": "yyyy-mm-dd"})
    data.write_row(0, 0, HEADERS)
    data.write_string(1, 0, "007124", text)
    data.write_number(2, 0, 42, padded)
    data.write_number(3, 0, 7126, text)  # a number typed before the column was formatted as text
    for row, name in ((1, "=SUM(A1:A2)"), (2, "Zoë"), (3, "Tab\there")):
        data.write_string(row, 1, name)
        data.write_string(row, 2, "Müller")
        data.write_datetime(row, 3, naive(2010, 1, 13), dates)
    workbook.close()
    return buffer.getvalue()


def ods_workbook() -> bytes:
    """An OpenDocument spreadsheet as LibreOffice Calc saves one (the parts calamine needs, by hand)."""
    namespaces = (
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
    )

    def text_cell(value: str) -> str:
        return f'<table:table-cell office:value-type="string"><text:p>{value}</text:p></table:table-cell>'

    header = "".join(text_cell(name) for name in ["Unique ID", "First name", "Date of birth", "Score"])
    row = (
        '<table:table-cell office:value-type="float" office:value="7124"><text:p>7124</text:p></table:table-cell>'
        + text_cell("Zoë")
        + '<table:table-cell office:value-type="date" office:date-value="2010-01-13"><text:p>13/01/10</text:p>'
        "</table:table-cell>"
        '<table:table-cell office:value-type="float" office:value="12.5"><text:p>12.5</text:p></table:table-cell>'
    )
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {namespaces} office:version="1.2">'
        '<office:body><office:spreadsheet><table:table table:name="Sheet1">'
        f"<table:table-row>{header}</table:table-row>"
        f"<table:table-row>{row}</table:table-row>"
        '<table:table-row table:number-rows-repeated="2"><table:table-cell table:number-columns-repeated="4"/>'
        "</table:table-row>"
        f"<table:table-row>{text_cell('7125')}{text_cell('=1+1')}</table:table-row>"
        "</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")  # first and stored
        archive.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def encrypted_workbook() -> bytes:
    """What Excel writes for a password-protected .xlsx: an OLE2 compound file whose directory names an
    "EncryptedPackage" stream (and "EncryptionInfo"); only the parts the reader looks at are real."""
    directory = "EncryptionInfo".encode("utf-16-le").ljust(128, b"\0") + "EncryptedPackage".encode("utf-16-le")
    return OLE2_SIGNATURE + bytes(504) + directory.ljust(1024, b"\0") + bytes(2048)


def old_xls() -> bytes:
    """An Excel 97-2003 workbook: an OLE2 compound file with a "Workbook" stream."""
    return OLE2_SIGNATURE + bytes(504) + "Workbook".encode("utf-16-le").ljust(1024, b"\0") + bytes(2048)


def zip_bomb(megabytes: int) -> bytes:
    """A workbook-shaped zip whose sheet is `megabytes` MB of zeros, squeezed to about a thousandth of that."""
    buffer = io.BytesIO()
    chunk = bytes(1024 * 1024)
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            for _ in range(megabytes):
                member.write(chunk)
    return buffer.getvalue()


def truncated_workbook() -> bytes:
    """A download cut short: the end of the zip (its directory) is missing."""
    data = openpyxl_workbook()
    return data[: len(data) // 2]


def scrambled_workbook() -> bytes:
    """A workbook whose compressed sheet was damaged on the way (a disk or mail fault), directory intact."""
    data = bytearray(openpyxl_workbook())
    member = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo("xl/worksheets/sheet1.xml")
    start = member.header_offset + 30 + len(member.filename.encode()) + len(member.extra)
    for offset in range(start + 10, start + member.compress_size - 10):
        data[offset] ^= 0x5A
    return bytes(data)


def pdf() -> bytes:
    return b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


def png() -> bytes:
    return b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"


def libreoffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_with_libreoffice(source: Path, target_format: str, filter_options: str) -> bytes:
    """Convert a CSV with LibreOffice (headless), the way a person opens it in Calc and saves it again."""
    program = libreoffice()
    assert program is not None
    profile = source.parent / "lo-profile"
    subprocess.run(
        [
            program,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            f"--infilter=CSV:{filter_options}",
            "--convert-to",
            target_format,
            "--outdir",
            str(source.parent),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return source.with_suffix("." + target_format).read_bytes()


def _save(workbook: openpyxl.Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def ods_padded_workbook() -> bytes:
    """An ODS whose ID cells are numbers shown with leading zeros, as Calc saves a column formatted 000000.

    The sheet starts one row and one column in (an empty row and column before the data); the IDs get their
    format from the column's default cell style, from a cell's own automatic style, and from a named style
    in styles.xml; a "0.00" and a "#,##0" column do not pad.
    """
    namespaces = (
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
        'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
        'xmlns:number="urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0"'
    )

    def text_cell(value: str) -> str:
        return f'<table:table-cell office:value-type="string"><text:p>{value}</text:p></table:table-cell>'

    def number(value: str, style: str = "", repeat: int = 1) -> str:
        styled = f' table:style-name="{style}"' if style else ""
        repeated = f' table:number-columns-repeated="{repeat}"' if repeat > 1 else ""
        return (
            f'<table:table-cell{styled}{repeated} office:value-type="float" office:value="{value}">'
            f"<text:p>{value}</text:p></table:table-cell>"
        )

    empty = "<table:table-cell/>"
    automatic = (
        "<office:automatic-styles>"
        '<number:number-style style:name="N1"><number:number number:decimal-places="0" '
        'number:min-decimal-places="0" number:min-integer-digits="6"/></number:number-style>'
        '<number:number-style style:name="N2"><number:number number:decimal-places="2" '
        'number:min-integer-digits="1"/></number:number-style>'
        '<number:number-style style:name="N3"><number:number number:decimal-places="0" '
        'number:min-integer-digits="4" number:grouping="true"/></number:number-style>'
        '<style:style style:name="ce1" style:family="table-cell" style:parent-style-name="Default" '
        'style:data-style-name="N1"/>'
        '<style:style style:name="ce2" style:family="table-cell" style:data-style-name="N2"/>'
        '<style:style style:name="ce3" style:family="table-cell" style:data-style-name="N3"/>'
        "</office:automatic-styles>"
    )
    header = empty + "".join(text_cell(name) for name in ["Unique ID", "First name", "Score", "Count", "Old ID"])
    rows = [
        empty + number("7124") + text_cell("Zoë") + number("12.5", "ce2") + number("1234", "ce3")
        + number("42", "IdStyle"),
        empty + number("33", "ce1") + text_cell("Ana") + number("3", "ce2") + number("7", "ce3")
        + number("5", "ce1"),
        empty + number("8", "Default") + text_cell("Ben") + number("9", "ce2", repeat=2) + number("6", "IdStyle"),
    ]  # fmt: skip
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {namespaces} office:version="1.2">'
        f'{automatic}<office:body><office:spreadsheet><table:table table:name="Sheet1">'
        '<table:table-column table:default-cell-style-name="Default"/>'
        '<table:table-column table:default-cell-style-name="ce1"/>'
        '<table:table-column table:number-columns-repeated="4" table:default-cell-style-name="Default"/>'
        '<table:table-row><table:table-cell table:number-columns-repeated="6"/></table:table-row>'
        f"<table:table-row>{header}</table:table-row>"
        + "".join(f"<table:table-row>{row}</table:table-row>" for row in rows)
        + '<table:table-row table:number-rows-repeated="1048570"><table:table-cell table:number-columns-repeated="6"/>'
        "</table:table-row></table:table></office:spreadsheet></office:body></office:document-content>"
    )
    styles = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-styles {namespaces} office:version="1.2">'
        "<office:styles>"
        '<number:number-style style:name="N9"><number:number number:min-integer-digits="5"/></number:number-style>'
        '<style:style style:name="IdStyle" style:family="table-cell" style:data-style-name="N9"/>'
        '<style:style style:name="Default" style:family="table-cell"/>'
        "</office:styles></office:document-styles>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        '<manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")  # first and stored
        archive.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
        archive.writestr("styles.xml", styles, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()
