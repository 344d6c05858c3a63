"""Exports of a search: CSV and XLSX have the page's figures, the page's criteria and order, neutralised cells."""

from __future__ import annotations

from decimal import Decimal

import pytest
import time_machine
from openpyxl import load_workbook

from examdesk.audit.models import AuditEvent
from examdesk.jobs.models import Job
from examdesk.results.tests.centre.portal import AT, BEFORE, csv_rows, download, portal, table_rows, xlsx_rows

pytestmark = pytest.mark.django_db(transaction=True)  # export jobs run on commit, as in production

FIGURES = ("Overall", "Grade", "Result", "CEFR level")


def _screen(client, url, params):
    html = client.get(url, params).content.decode()
    figures = {}
    for row in table_rows(html):
        # "Pass at Grade A (CEFR C1)" → the result label and the CEFR level, as the page shows them
        result, _, cefr = row["Result"].partition(" (CEFR ")
        figures[row["Candidate number"]] = (row["Score"], result, cefr.rstrip(")"))
    return figures


def _export(client, url, params, fmt):
    Job.objects.all().delete()
    assert client.post(url + "export/", {**params, "format": fmt}).status_code == 302
    content = download(client, Job.objects.get())
    return content, (csv_rows(content) if fmt == "csv" else xlsx_rows(content))


def _as_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, int | float):
        return format(Decimal(str(value)).normalize(), "f")
    return str(value)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_has_the_figures_criteria_and_order_of_the_screen(client, fmt):
    cohort = portal()
    client.force_login(cohort.officer())
    url = f"/centres/{cohort.centre.number}/results/"
    params = {"number_from": "0001", "number_to": "0004", "sort": "-score"}
    with time_machine.travel(AT, tick=False):
        screen = _screen(client, url, params)
        _, rows = _export(client, url, params, fmt)
    assert [str(r["Candidate number"]) for r in rows] == list(screen) == ["0001", "0002", "0003", "0004"]
    for row in rows:
        score, label, cefr = screen[str(row["Candidate number"])]
        assert (_as_text(row["Overall"]), _as_text(row["Result"]), _as_text(row["CEFR level"])) == (
            score,
            label,
            cefr,
        )
    chloe = next(r for r in rows if str(r["Candidate number"]) == "0002")
    assert _as_text(chloe["RD"]) == "185" and _as_text(chloe["Grade"]) == "C"
    assert chloe["Preparation centre"] == f"{cohort.prep.number} Lingua Prep"
    assert chloe["Status"] == "Released"
    event = AuditEvent.objects.get(action=AuditEvent.Action.EXPORT_REQUESTED)
    assert event.summary == f"Results export ({fmt.upper()}): candidate numbers 0001 to 0004"


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_before_release_has_no_figures(client, fmt):
    cohort = portal()
    client.force_login(cohort.officer())
    url = f"/centres/{cohort.centre.number}/results/"
    with time_machine.travel(BEFORE, tick=False):
        _, rows = _export(client, url, {}, fmt)
    assert len(rows) == 5
    for row in rows:
        assert row["Status"] == "Available 13 August 2026, 08:00 (Europe/London)"
        assert {_as_text(row[name]) for name in (*FIGURES, "RD", "UE", "WR", "LI", "SP")} == {""}


def test_formula_like_names_are_neutralised_in_both_files(client):
    cohort = portal()
    client.force_login(cohort.officer())
    url = f"/centres/{cohort.centre.number}/results/"
    with time_machine.travel(AT, tick=False):
        _, csv_file = _export(client, url, {"number_from": "0005"}, "csv")
        content, xlsx_file = _export(client, url, {"number_from": "0005"}, "xlsx")
    assert (csv_file[0]["First name"], csv_file[0]["Last name"]) == ('\'=HYPERLINK("x")', "'@Evil")
    assert (xlsx_file[0]["First name"], xlsx_file[0]["Last name"]) == ('=HYPERLINK("x")', "@Evil")
    import io

    sheet = load_workbook(io.BytesIO(content)).active
    header = [cell.value for cell in sheet[1]]
    first = sheet.cell(row=2, column=header.index("First name") + 1)
    assert first.data_type == "s" and first.quotePrefix
    number = sheet.cell(row=2, column=header.index("Candidate number") + 1)
    assert number.value == "0005" and number.data_type == "s"  # leading zeros kept


def test_invalid_criteria_are_not_exported(client):
    cohort = portal()
    client.force_login(cohort.officer())
    response = client.post(f"/centres/{cohort.centre.number}/results/export/", {"number_from": "12"}, follow=True)
    assert "The search could not be exported" in response.content.decode()
    assert not Job.objects.exists()
