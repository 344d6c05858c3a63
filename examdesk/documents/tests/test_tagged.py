"""The PDFs are tagged for screen readers (PDF/UA-1): title shown, language, headings, tables, the chart's text."""

from __future__ import annotations

import io

import pikepdf

from examdesk.documents.letters import render_letter
from examdesk.documents.statements import render_statement
from examdesk.documents.tests import pdfcheck
from examdesk.documents.tests.samples import letter, statement


def _catalogue(data: bytes) -> dict[str, object]:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        root = pdf.Root
        return {
            "lang": str(root.Lang),
            "marked": bool(root.MarkInfo.Marked),
            "display_title": bool(root.ViewerPreferences.DisplayDocTitle),
            "title": str(pdf.docinfo.get("/Title", "")) or str(pdf.open_metadata().get("dc:title", "")),
            "ua": "pdfuaid" in str(pdf.open_metadata()),
        }


def test_a_statement_is_tagged_with_title_language_headings_table_and_chart_text():
    data = render_statement(statement("محمد", "العلي"))

    catalogue = _catalogue(data)
    assert catalogue["lang"] == "en-GB"
    assert catalogue["marked"] and catalogue["display_title"] and catalogue["ua"]
    assert catalogue["title"] == "Statement of results: محمد العلي, B2 First, June 2026"
    tags = pdfcheck.structure(data)
    names = [tag for tag, _ in tags]
    # Reading order: the heading, the candidate, the chart, then the scores as a table with a header row.
    assert names.index("H1") < names.index("H2") < names.index("Figure") < names.index("Table")
    table = names[names.index("Table") :]
    assert table[:4] == ["Table", "THead", "TR", "TH"]
    assert "TBody" in table and table.count("TD") >= 2 * 6  # five components and the overall score, two cells each
    (alt,) = [alt for tag, alt in tags if tag == "Figure"]
    assert alt.startswith("Graphical profile: B2 First, June 2026. Bar chart of the scores")
    assert "Reading: 185." in alt and "Speaking: Absent." in alt


def test_the_headings_say_what_the_page_is_and_whose_it_is():
    data = render_statement(statement("Анна", "Иванова"))

    with pikepdf.open(io.BytesIO(data)) as pdf:
        headings = []

        def walk(node):
            if isinstance(node, pikepdf.Array):
                for kid in node:
                    walk(kid)
            elif isinstance(node, pikepdf.Dictionary) and "/S" in node:
                if str(node.S) in ("/H1", "/H2"):
                    headings.append(str(node.S))
                if "/K" in node:
                    walk(node.K)

        walk(pdf.Root.StructTreeRoot.K)
    assert headings[:2] == ["/H1", "/H2"]
    assert headings.count("/H2") == 3  # the candidate, "Graphical profile", "Scores"


def test_a_letter_is_tagged_with_its_steps_as_a_list_and_releases_as_a_table():
    data = render_letter(letter())

    catalogue = _catalogue(data)
    assert catalogue["lang"] == "en-GB" and catalogue["marked"]
    names = [tag for tag, _ in pdfcheck.structure(data)]
    assert names.index("H1") < names.index("L") < names.index("Table")
    assert names.count("LI") == 4
    assert ["Table", "THead", "TR", "TH", "TH", "TH"] == [n for n in names[names.index("Table") :] if n][:6]
