"""Our own PDF files split into single pages and joined into one, by copying bytes: nothing is drawn again.

The files come from documents.pdf.StreamingCanvas: PDF 1.3, each object "N 0 obj ... endobj" one after another,
one classic cross-reference table, a single page tree whose pages share one font resource dictionary. Reading only
that shape is what makes this fast; any other PDF is refused (ValueError).

Why not a library: pikepdf (qpdf) joins the same pages, but 7 to 23 times slower, holding every part open until
it writes (memory grows with the print file), and without giving each part's font subsets tags of their own.
Measured on the 2-core machine (shared, so the times vary), joining one-page statements drawn by
documents.statements in the job's chunks of 500, read one by one from disk (bench/statements_bulk.py prints both
joiners on the same pages):

    pages     this module            pikepdf 10.18
    2,000     0.08 s, +4 MB          1.13 s, +36 MB
    10,000    0.30 s, +8 MB          6.99 s, +150 MB

So the bulk statements job (results/statements/bulk.py) keeps this joiner, and the splitter beside it, which reads
the same shape.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence

_HEADER = b"%PDF-1.3\n%\xe2\xe3\xcf\xd3\n"
_REF = re.compile(rb"(\d+) 0 R\b")
_OBJ_HEAD = re.compile(rb"(\d+) 0 obj\b")
_STREAM = re.compile(rb">>\s*stream\r?\n")
_SUBSET_TAG = re.compile(rb"/([A-Z]{6})\+")


def _pdf_text(text: str) -> bytes:
    """A PDF text string of any script: UTF-16BE with its byte order mark, written in hex."""
    return b"<FEFF" + text.encode("utf-16-be").hex().upper().encode("ascii") + b">"


def _info(title: str, author: str, subject: str = "Statement of results") -> bytes:
    return (
        b"<< /Title " + _pdf_text(title) + b" /Author " + _pdf_text(author) + b" /Subject "
        + _pdf_text(subject) + b" /Creator (Examdesk) /Producer (Examdesk) >>"
    )  # fmt: skip


def _xref(offsets: dict[int, int], start: int) -> bytes:
    """A cross-reference table for the objects in `offsets`, in subsections of consecutive numbers."""
    numbers = sorted(offsets)
    lines = [b"xref\n"]
    runs: list[list[int]] = [[0]]
    for number in numbers:
        if number == runs[-1][-1] + 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    for run in runs:
        lines.append(b"%d %d\n" % (run[0], len(run)))
        for number in run:
            lines.append(b"0000000000 65535 f \n" if number == 0 else b"%010d 00000 n \n" % offsets[number])
    return b"".join(lines)


def _trailer(*, size: int, root: int, info: int, xref_at: int) -> bytes:
    return b"trailer\n<< /Info %d 0 R /Root %d 0 R /Size %d >>\nstartxref\n%d\n%%%%EOF\n" % (info, root, size, xref_at)


class OwnPdf:
    """A PDF written by StreamingCanvas, read as its objects: pages in order, each page's content stream, and the
    objects the pages share (fonts). ValueError for a file of another shape."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        at = data.rfind(b"startxref")
        if at < 0:
            raise ValueError("Not a PDF: no cross-reference table.")
        xref_at = int(data[at + 9 :].split(None, 1)[0])
        if data[xref_at : xref_at + 4] != b"xref":
            raise ValueError("Only a classic cross-reference table is read here.")
        head_end = data.index(b"\n", xref_at + 5)
        first, count = (int(v) for v in data[xref_at + 5 : head_end].split())
        table = head_end + 1
        if first != 0 or data[table + 20 * count : table + 20 * count + 7] != b"trailer":
            raise ValueError("Only one cross-reference section is read here.")
        offsets: dict[int, int] = {}
        for number in range(1, count):
            entry = data[table + 20 * number : table + 20 * number + 20]
            if entry[17:18] == b"n":
                offsets[number] = int(entry[:10])
        ordered = sorted(offsets.items(), key=lambda item: item[1])
        self.spans: dict[int, tuple[int, int]] = {}
        for index, (number, start) in enumerate(ordered):
            end = ordered[index + 1][1] if index + 1 < len(ordered) else xref_at
            if not _OBJ_HEAD.match(data, start) or int(_OBJ_HEAD.match(data, start)[1]) != number:  # type: ignore[index]
                raise ValueError(f"Object {number} is not where the table says.")
            self.spans[number] = (start, end)
        trailer = data[table + 20 * count : at]
        self.root = self._ref_in(trailer, b"/Root")
        self.info = self._ref_in(trailer, b"/Info")
        self.tree = self._ref_in(self.object(self.root), b"/Pages")
        tree = self.object(self.tree)
        kids = tree[tree.index(b"/Kids") :]
        self.pages = [int(n) for n in _REF.findall(kids[: kids.index(b"]")])]
        if any(b"/Type /Pages" in self.object(page) for page in self.pages):
            raise ValueError("Only a flat page tree is read here.")
        self.contents = [self._ref_in(self.object(page), b"/Contents") for page in self.pages]
        own = {self.root, self.info, self.tree, *self.pages, *self.contents}
        self.shared = [number for number in sorted(self.spans) if number not in own]

    @staticmethod
    def _ref_in(text: bytes, key: bytes) -> int:
        found = re.search(re.escape(key) + rb"\s+(\d+) 0 R", text)
        if found is None:
            raise ValueError(f"No {key.decode()} reference.")
        return int(found[1])

    def object(self, number: int) -> bytes:
        start, end = self.spans[number]
        return self.data[start:end]


def split_pages(pdf: bytes, titles: Sequence[str], *, author: str) -> Iterator[bytes]:
    """Each page of `pdf` (written by StreamingCanvas) as a PDF file of its own, titled from `titles`.

    Each file gets the page, its content stream and the objects the pages share (the font subsets, embedded once
    in `pdf`), byte for byte: nothing is drawn or compressed again.
    """
    source = OwnPdf(pdf)
    if len(titles) != len(source.pages):
        raise ValueError(f"{len(titles)} titles for {len(source.pages)} pages.")
    shared = bytearray(_HEADER)
    shared_at: dict[int, int] = {}
    for number in source.shared:
        shared_at[number] = len(shared)
        shared += source.object(number)
    catalogue = source.object(source.root)
    tree = b"%d 0 obj\n<< /Count 1 /Kids [ %%d 0 R ] /Type /Pages >>\nendobj\n" % source.tree
    size = max(source.spans) + 1
    for page, contents, title in zip(source.pages, source.contents, titles, strict=True):
        out = bytearray(shared)
        offsets = dict(shared_at)
        for number, body in (
            (page, source.object(page)),
            (contents, source.object(contents)),
            (source.tree, tree % page),
            (source.root, catalogue),
            (source.info, b"%d 0 obj\n%s\nendobj\n" % (source.info, _info(title, author))),
        ):
            offsets[number] = len(out)
            out += body
        xref_at = len(out)
        out += _xref(offsets, xref_at)
        out += _trailer(size=size, root=source.root, info=source.info, xref_at=xref_at)
        yield bytes(out)


def join_pdfs(parts: Iterable[bytes], *, title: str, author: str) -> Iterator[bytes]:
    """One PDF with the pages of every part (each written by StreamingCanvas), in order, as a stream of bytes.

    Each part's objects are renumbered and copied; its page tree becomes a branch of the joined file's tree;
    its font subsets get tags of their own (two parts' "AAAAAA+" subsets hold different glyphs, and a printer
    that caches fonts by name must not mix them up). Memory holds one part and the table of object offsets.
    """
    root_tree, catalogue, info = 1, 2, 3
    offsets: dict[int, int] = {}
    position = len(_HEADER)
    yield _HEADER
    next_number = 4
    branches: list[int] = []
    pages = 0
    for index, data in enumerate(parts):
        source = OwnPdf(data)
        kept = [n for n in sorted(source.spans) if n not in (source.root, source.info)]
        numbers = {old: next_number + i for i, old in enumerate(kept)}
        next_number += len(kept)

        def renumber(match: re.Match[bytes], numbers: dict[int, int] = numbers) -> bytes:
            return b"%d 0 R" % numbers[int(match[1])]

        def retag(match: re.Match[bytes], index: int = index) -> bytes:
            return b"/" + _tag(index, match[1]) + b"+"

        for old in kept:
            new = numbers[old]
            if old == source.tree:
                kids = b" ".join(b"%d 0 R" % numbers[page] for page in source.pages)
                body = b"%d 0 obj\n<< /Count %d /Kids [ %s ] /Parent %d 0 R /Type /Pages >>\nendobj\n" % (
                    new, len(source.pages), kids, root_tree
                )  # fmt: skip
                branches.append(new)
            else:
                text = source.object(old)
                head = _OBJ_HEAD.match(text)
                assert head is not None
                stream = _STREAM.search(text, head.end())
                split = stream.start() + 2 if stream else len(text)
                dictionary = _SUBSET_TAG.sub(retag, _REF.sub(renumber, text[head.end() : split]))
                body = b"%d 0 obj" % new + dictionary + text[split:]
            offsets[new] = position
            position += len(body)
            yield body
        pages += len(source.pages)
    if not branches:
        raise ValueError("There are no pages to join.")
    kids = b" ".join(b"%d 0 R" % branch for branch in branches)
    for number, body in (
        (root_tree, b"<< /Count %d /Kids [ %s ] /Type /Pages >>" % (pages, kids)),
        (catalogue, b"<< /Lang (en-GB) /PageMode /UseNone /Pages %d 0 R /Type /Catalog >>" % root_tree),
        (info, _info(title, author, "Statements of results")),
    ):
        offsets[number] = position
        written = b"%d 0 obj\n%s\nendobj\n" % (number, body)
        position += len(written)
        yield written
    yield _xref(offsets, position)
    yield _trailer(size=next_number, root=catalogue, info=info, xref_at=position)


def _tag(index: int, tag: bytes) -> bytes:
    """A subset tag of six capital letters, different for each (part, original tag)."""
    value = index * 26**3 + sum((c - 65) * 26**i for i, c in enumerate(reversed(tag[-3:])))
    letters = []
    for _ in range(6):
        value, rest = divmod(value, 26)
        letters.append(65 + rest)
    return bytes(reversed(letters))
