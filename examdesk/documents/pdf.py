"""A ReportLab canvas that streams: each finished page goes to the output at once, fonts are embedded at the end.

ReportLab keeps every page of a document in memory until `save()`, then builds the whole file in memory again.
For a print file of thousands of statements that grows without bound. Here each page (its dictionary and its
compressed content stream) is written to `out` as soon as the page is finished and dropped from memory; what is
left for the end is small and fixed: the font subsets (embedded once for the whole file, with their ToUnicode maps
so text can be copied and searched), the page tree, the catalogue, the document information and the
cross-reference table. Memory stays flat however many pages are written, apart from the object index (under
1 KB a page: 10,000 pages add about 7 MB).

This leans on ReportLab's PDFDocument bookkeeping (`idToObject`, `numberToId`, `format`), stable through the 4.x
series; the document tests read every file back with pypdf, so a change there shows at once.

The file uses standard PDF (version 1.3) only: no scripts, no forms, no transparency, no encryption.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, BinaryIO, TypeVar

from reportlab.lib.pagesizes import A4  # type: ignore[import-untyped]
from reportlab.pdfbase import pdfdoc  # type: ignore[import-untyped]
from reportlab.pdfgen.canvas import Canvas  # type: ignore[import-untyped]

from examdesk.documents import fonts

CREATOR = "Examdesk"


class _StreamingDocument(pdfdoc.PDFDocument):  # type: ignore[misc]
    """A PDFDocument whose pages are written to `out` as they are finished."""

    def __init__(self, out: BinaryIO, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._out = out
        self._position = 0
        self._offsets: dict[int, int] = {}
        self._header_written = False

    def _write(self, data: bytes) -> int:
        if not self._header_written:
            self._header_written = True
            self._write(f"%PDF-{self._pdfVersion[0]}.{self._pdfVersion[1]}\n".encode() + b"%\xe2\xe3\xcf\xd3\n")
        at = self._position
        self._out.write(data)
        self._position += len(data)
        return at

    def _write_object(self, name: str, *, forget: bool = False) -> None:
        number = self.idToObjectNumberAndVersion[name][0]
        data = pdfdoc.PDFIndirectObject(name, self.idToObject[name]).format(self)
        self._offsets[number] = self._write(data)
        if forget:  # nothing refers to it again by object: its number and offset are all the index needs
            del self.idToObject[name]

    def flush_page(self) -> None:
        """Write the page just finished (its dictionary, then its content stream) and let it go."""
        pages = self.Pages.pages
        page = pages[-1]
        name = page.__InternalName__
        # The content stream, deflated only: ReportLab would add ASCII85 on top, a third larger and slower.
        contents = pdfdoc.PDFStream(content=page.stream, filters=[pdfdoc.PDFZCompress])
        page.Contents = contents
        page.stream = None
        self._write_object(name, forget=True)  # formatting the page registers its content stream
        self._write_object(contents.__InternalName__, forget=True)
        pages[-1] = pdfdoc.PDFObjectReference(name)

    def format(self) -> bytes:
        """Write everything not yet written, the cross-reference table and the trailer (nothing is returned)."""
        self.encrypt.prepare(self)
        catalog = self.Reference(self.Catalog)
        info = self.Reference(self.info)
        number = 0
        while True:  # formatting an object may register new ones, so count up to the moving end
            number += 1
            if number not in self.numberToId:
                break
            if number not in self._offsets:
                self._write_object(self.numberToId[number])
        count = len(self.numberToId)
        xref = [b"xref\n", f"0 {count + 1}\n".encode(), b"0000000000 65535 f \n"]
        xref += [f"{self._offsets[n]:010d} 00000 n \n".encode() for n in range(1, count + 1)]
        start = self._write(b"".join(xref))
        trailer = pdfdoc.PDFTrailer(startxref=start, Size=count + 1, Root=catalog, Info=info, ID=self.ID())
        self._write(trailer.format(self))
        return b""


class StreamingCanvas(Canvas):  # type: ignore[misc]
    """An A4 canvas writing to a binary stream page by page. Count pages with `pages_written`."""

    def __init__(self, out: BinaryIO, *, title: str, author: str, subject: str = "") -> None:
        fonts.register()
        # A TrueType initial font keeps ReportLab from embedding Helvetica in the page preamble.
        super().__init__(
            out, pagesize=A4, pageCompression=1, invariant=0, initialFontName=fonts.REGULAR, initialFontSize=10
        )
        self._doc = _StreamingDocument(out, compression=1, invariant=0, lang="en-GB")
        self.setTitle(title)
        self.setAuthor(author)
        self.setSubject(subject)
        self.setCreator(CREATOR)
        self.setProducer(CREATOR)
        self.pages_written = 0

    def showPage(self) -> None:  # noqa: N802 (ReportLab's name)
        super().showPage()
        self._doc.flush_page()
        self.pages_written += 1


Item = TypeVar("Item")


def render_pages(
    items: Iterable[Item],
    out: BinaryIO,
    *,
    draw: Callable[[StreamingCanvas, Item], None],
    title: Callable[[Item], str],
    author: Callable[[Item], str],
    subject: str | Callable[[Item], str],
    nothing: str,
) -> int:
    """Write one PDF with a page per item to `out`, page by page (memory stays flat); returns the page count.

    The document's title, author and subject (when given as a function) come from the first item.
    ValueError(`nothing`) when there are no items (nothing is written).
    """
    canvas: StreamingCanvas | None = None
    for item in items:
        if canvas is None:
            canvas = StreamingCanvas(
                out, title=title(item), author=author(item), subject=subject(item) if callable(subject) else subject
            )
        draw(canvas, item)
        canvas.showPage()
    if canvas is None:
        raise ValueError(nothing)
    canvas.save()
    return int(canvas.pages_written)
