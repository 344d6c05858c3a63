"""Which engine typesets the statement: Typst (the `typst` package, in-process) against ReportLab with HarfBuzz
shaping, on the same statement in the same run, on one core.

Both draw every text, bar and QR module of the same statement (documents/statements.py prepares it once):
- Typst: the product's own path (documents/pdf.py, documents/typst/statement.typ): shaping, bidirectional layout,
  font fallback across the Noto chain, subsetting, tagged PDF/UA-1.
- ReportLab: its canvas with Noto Sans (TrueType) registered, each text first shaped by uharfbuzz (the cost of
  shaping is counted; ReportLab's canvas then draws characters, not the shaped glyphs, and it cannot embed Noto
  Sans CJK, whose outlines are CFF), no tags: a lower bound for what a ReportLab path would cost.

It prints milliseconds per single file and per page of a merged file for each, and the ratio.

    .venv/bin/pip install -e ".[bench]"   # uharfbuzz
    .venv/bin/python bench/statements.py [-n 200]
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402
from django.conf import settings  # noqa: E402

if not settings.configured:  # bench/credential_letters.py configures its own before importing this
    django.setup()

from reportlab.lib.pagesizes import A4  # type: ignore[import-untyped]  # noqa: E402
from reportlab.pdfbase import pdfmetrics  # type: ignore[import-untyped]  # noqa: E402
from reportlab.pdfbase.ttfonts import TTFont  # type: ignore[import-untyped]  # noqa: E402
from reportlab.pdfgen.canvas import Canvas  # type: ignore[import-untyped]  # noqa: E402

from examdesk.documents import fonts  # noqa: E402
from examdesk.documents.pdf import Meta, typeset  # noqa: E402
from examdesk.documents.statements import WORDS, StatementData, _prepare, statement_unsigned  # noqa: E402
from examdesk.documents.tests.samples import statement  # noqa: E402

NAMES = [("Zoë", "Łukasiewicz-Ørsted"), ("Ελένη", "Παπαδοπούλου"), ("Анна", "Иванова"), ("Nguyễn", "Thị Minh Khai")]


def statements(count: int) -> list[StatementData]:
    """`count` statements with names in turn from NAMES, each with its own verification code (and QR code)."""
    return [
        statement(*NAMES[n % len(NAMES)], candidate_number=f"{n % 10000:04d}", verification_code=f"AB{n:06d}")
        for n in range(count)
    ]


class Sink:
    """A file that keeps nothing: only the renderer's own work is timed."""

    def __init__(self) -> None:
        self.size = 0

    def write(self, data: bytes) -> int:
        self.size += len(data)
        return len(data)


def _font_path(name: str) -> str:
    for folder in fonts.font_dirs():
        if (folder / name).exists():
            return str(folder / name)
    raise SystemExit(f"{name} is not installed: run 'make fonts'.")


def _texts(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [t for key, v in value.items() if key not in ("qr", "shapes") for t in _texts(v)]
    if isinstance(value, list):
        return [t for v in value for t in _texts(v)]
    return []


class ReportLabStatement:
    """The same statement on a ReportLab canvas: every text shaped by HarfBuzz, then drawn; bars and QR modules."""

    def __init__(self) -> None:
        # Imported here: the tests read this module's sample statements without the bench's extra packages.
        import uharfbuzz as hb

        self.hb = hb
        regular, bold = _font_path("NotoSans-Regular.ttf"), _font_path("NotoSans-Bold.ttf")
        pdfmetrics.registerFont(TTFont("NotoSans", regular))
        pdfmetrics.registerFont(TTFont("NotoSans-Bold", bold))
        self.font = hb.Font(hb.Face(hb.Blob.from_file_path(regular)))

    def draw(self, canvas: Any, item: dict[str, Any]) -> None:
        y = A4[1] - 50
        for text in _texts(item):
            hb = self.hb
            buffer = hb.Buffer()
            buffer.add_str(text)
            buffer.guess_segment_properties()
            hb.shape(self.font, buffer, {})
            canvas.setFont("NotoSans", 10)
            canvas.drawString(50, y, text)
            y = y - 12 if y > 80 else A4[1] - 50
        chart = item["chart"]
        for shape in chart["shapes"]:
            if shape["kind"] == "rect":
                canvas.rect(50 + shape["x"], 400 - shape["y"], shape["w"], shape["h"], stroke=0, fill=1)
            elif shape["kind"] == "text":
                canvas.drawString(50 + shape["x"], 400 - shape["y"], shape["text"])
        module = 88 / (len(item["qr"]) + 8)
        for row_index, row in enumerate(item["qr"]):
            for column, dark in enumerate(row):
                if dark == "1":
                    canvas.rect(56 + column * module, 150 - row_index * module, module, module, stroke=0, fill=1)

    def single(self, item: dict[str, Any]) -> bytes:
        out = io.BytesIO()
        canvas = Canvas(out, pagesize=A4, initialFontName="NotoSans", pageCompression=1)
        self.draw(canvas, item)
        canvas.showPage()
        canvas.save()
        return out.getvalue()

    def merged(self, items: list[dict[str, Any]]) -> bytes:
        out = io.BytesIO()
        canvas = Canvas(out, pagesize=A4, initialFontName="NotoSans", pageCompression=1)
        for item in items:
            self.draw(canvas, item)
            canvas.showPage()
        canvas.save()
        return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=200, help="statements")
    count = parser.parse_args().n
    data = statements(count)
    prepared = [_prepare(item, signed=True) for item in data]
    reportlab = ReportLabStatement()

    statement_unsigned(data[0], says_signed=True)  # fonts loaded, compiler warm
    reportlab.single(prepared[0])
    load = os.getloadavg()[0]
    figures = {}
    # Both engines start from the same prepared statements (the QR code and the chart's layout made once, in
    # Python, for both), so only the typesetting is timed.
    meta = Meta(title="Statement of results", author="Examdesk Assessment Board", subject="Statement of results")
    started = time.perf_counter()
    typst_single = [typeset("statement", meta, [item], words=WORDS) for item in prepared]
    figures["typst single"] = (time.perf_counter() - started) / count
    started = time.perf_counter()
    typeset("statement", meta, prepared, words=WORDS)
    figures["typst merged"] = (time.perf_counter() - started) / count
    started = time.perf_counter()
    reportlab_single = [reportlab.single(item) for item in prepared]
    figures["reportlab single"] = (time.perf_counter() - started) / count
    started = time.perf_counter()
    reportlab.merged(prepared)
    figures["reportlab merged"] = (time.perf_counter() - started) / count

    ms = {key: value * 1000 for key, value in figures.items()}
    typst_kb, reportlab_kb = len(typst_single[0]) / 1024, len(reportlab_single[0]) / 1024
    print(f"{count} statements (Latin, Greek, Cyrillic, Vietnamese names), one core; load average {load:.2f}")
    print(f"  Typst      single {ms['typst single']:6.2f} ms ({typst_kb:.0f} KB), merged {ms['typst merged']:6.2f} ms"
          " a page   (shaped, fallback, tagged PDF/UA-1)")  # fmt: skip
    print(f"  ReportLab  single {ms['reportlab single']:6.2f} ms ({reportlab_kb:.0f} KB), merged "
          f"{ms['reportlab merged']:6.2f} ms a page   (HarfBuzz shaping counted, no tags, no CJK)")  # fmt: skip
    print(f"  Typst takes {ms['typst single'] / ms['reportlab single']:.2f}x ReportLab's time for a single file, "
          f"{ms['typst merged'] / ms['reportlab merged']:.2f}x for a merged page")  # fmt: skip


if __name__ == "__main__":
    main()
