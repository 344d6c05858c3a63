"""Test data for the results portal: an exam centre with two linked preparation centres and a small cohort,
and readers for what the page and the export files say."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import lxml.html
from openpyxl import load_workbook

from examdesk.catalogue.tests.factories import qualification, series
from examdesk.centres.models import Centre, Role
from examdesk.core.tests.factories import CentreFactory, member
from examdesk.people.tests.factories import CandidateFactory
from examdesk.results.models import Entry
from examdesk.results.tests.factories import entry_with_result

RELEASE = datetime(2026, 8, 13, 7, 0, tzinfo=UTC)  # 08:00 in London (BST)
BEFORE, AT = RELEASE - timedelta(seconds=1), RELEASE

COHORT = [  # number, first name, last name, FCE scores (RD, UE, WR, LI, SP), prep centre (1, 2 or None)
    ("0001", "Zoë", "Łukasiewicz", (200, 205, 201, 199, 204), 1),
    ("0002", "Chloé", "Müller", (185, 190, 178, 201, 196), 1),
    ("0003", "Kwame", "Mensah", (170, 172, 168, 171, 169), 2),
    ("0004", "Ana", "Peréz", (150, 151, 149, 150, 150), None),
    ("0005", '=HYPERLINK("x")', "@Evil", (195, 194, 193, 192, 196), 1),
]


@dataclass
class Portal:
    centre: Centre
    prep: Centre
    other_prep: Centre
    entries: dict[str, Entry]

    def officer(self):
        return member(self.centre, Role.EXAMS_OFFICER)

    def prep_viewer(self):
        return member(self.prep, Role.VIEWER)


def portal(*, released_at: datetime | None = RELEASE) -> Portal:
    centre = CentreFactory(time_zone="Europe/London", name="Harbour School")
    prep = CentreFactory(kind=Centre.Kind.PREPARATION, board=centre.board, name="Lingua Prep")
    other_prep = CentreFactory(kind=Centre.Kind.PREPARATION, board=centre.board, name="Other Prep")
    prep.exam_centres.add(centre)
    other_prep.exam_centres.add(centre)
    june = series(centre.board)
    entries = {}
    for number, first, last, scores, linked in COHORT:
        entry = entry_with_result(
            candidate=CandidateFactory(centre=centre, first_name=first, last_name=last),
            series=june,
            released_at=released_at,
            candidate_number=number,
            scores=dict(zip(("RD", "UE", "WR", "LI", "SP"), scores, strict=True)),
        )
        entry.preparation_centre = {1: prep, 2: other_prep, None: None}[linked]
        entry.save()
        entries[number] = entry
    qualification(centre.board, "KET")
    return Portal(centre, prep, other_prep, entries)


def table_rows(html: str) -> list[dict[str, str]]:
    """The results table as {header: cell text}, one dict a row."""
    tree = lxml.html.fromstring(html)
    tables = tree.xpath("//table[.//th[starts-with(normalize-space(), 'Candidate number')]]")
    if not tables:
        return []
    table = tables[0]
    headers = [
        " ".join(th.text_content().replace("▲", "").replace("▼", "").split()) for th in table.xpath(".//thead//th")
    ]
    rows = []
    for tr in table.xpath(".//tbody/tr"):
        cells = [" ".join(td.text_content().split()) for td in tr.xpath("./td")]
        rows.append(dict(zip(headers, cells, strict=True)))
    return rows


def csv_rows(content: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


def xlsx_rows(content: bytes) -> list[dict[str, object]]:
    sheet = load_workbook(io.BytesIO(content)).active
    values = list(sheet.iter_rows(values_only=True))
    header = [str(h) for h in values[0]]
    return [dict(zip(header, row, strict=True)) for row in values[1:]]


def download(client, job) -> bytes:
    job.refresh_from_db()
    response = client.get(f"/jobs/{job.pk}/download/")
    assert response.status_code == 200, job.error if hasattr(job, "error") else response.status_code
    return b"".join(response.streaming_content)
