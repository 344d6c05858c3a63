"""PDF files joined into one print file, by copying their pages (pikepdf, over qpdf): nothing is typeset again.

A print file is for printing: its pages keep their text, fonts and drawing, but the parts' structure trees (the
tags a screen reader follows) are not merged, so the joined file is marked untagged. The single files (one
statement, one letter) are the tagged ones, and the ones that are signed.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import TYPE_CHECKING, BinaryIO

if TYPE_CHECKING:
    from examdesk.documents.pdf import Meta


def join_pdfs(parts: Iterable[bytes], out: BinaryIO, *, meta: Meta) -> int:
    """Write one PDF with the pages of every part, in order, to `out`; returns the page count.

    ValueError when there are no pages.
    """
    import pikepdf  # here, not at import: it logs a line when loaded, and most processes never join a file

    joined = pikepdf.new()
    opened = []  # each part stays open until the joined file is written: qpdf copies its objects then
    for data in parts:
        part = pikepdf.open(io.BytesIO(data))
        opened.append(part)
        joined.pages.extend(part.pages)
    if not len(joined.pages):
        raise ValueError("There are no pages to join.")
    for page in joined.pages:  # the parts' tags are not carried over: nothing may point into them
        for key in ("/StructParents", "/Tabs"):
            if key in page.obj:
                del page.obj[key]
    joined.Root.Lang = pikepdf.String("en-GB")
    with joined.open_metadata(set_pikepdf_as_editor=False) as xmp:
        xmp["dc:title"] = meta.title
        xmp["dc:creator"] = [meta.author]
        xmp["dc:description"] = meta.subject
    joined.docinfo["/Title"] = meta.title
    joined.docinfo["/Author"] = meta.author
    joined.docinfo["/Subject"] = meta.subject
    joined.docinfo["/Creator"] = "Examdesk"
    joined.save(out, object_stream_mode=pikepdf.ObjectStreamMode.generate, compress_streams=True)
    pages = len(joined.pages)
    for part in opened:
        part.close()
    return pages
