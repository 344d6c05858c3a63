from __future__ import annotations

import zipfile

import pytest
from django.core.management import CommandError, call_command

from examdesk.core.tests.factories import CentreFactory
from examdesk.people.models import Candidate
from examdesk.people.tests.factories import CandidateFactory
from examdesk.transfer.tests.oneroster.packages import package, replace, with_vocabularies

pytestmark = pytest.mark.django_db


def test_import_previews_then_commits_and_fails_loudly_on_problems(tmp_path, capsys):
    centre = CentreFactory()
    good = tmp_path / "good.csv"
    good.write_text("Unique ID,First name,Last name\n001,Ana,Pereira\n", encoding="utf-8")
    call_command("import_candidates", str(good), centre=centre.number)
    assert "1 new" in capsys.readouterr().out and not Candidate.objects.exists()
    call_command("import_candidates", str(good), centre=centre.number, commit=True)
    assert Candidate.objects.get().first_name == "Ana"

    bad = tmp_path / "bad.csv"
    bad.write_text("Unique ID,First name,Last name\n002,Ben,\n", encoding="utf-8")
    with pytest.raises(CommandError, match="1 rows have problems"):
        call_command("import_candidates", str(bad), centre=centre.number)
    assert "row 2, Last name" in capsys.readouterr().err


def test_import_warns_about_values_it_keeps_as_written_and_still_imports_the_row(tmp_path, capsys):
    centre = CentreFactory()
    roster = tmp_path / "roster.csv"
    roster.write_text("Unique ID,First name,Last name,Nationality\n1,Ana,Pereira,Brit\n2,Ben,Ng,British\n")
    call_command("import_candidates", str(roster), centre=centre.number, commit=True)
    err = capsys.readouterr().err
    assert "warning: Nationality 'Brit' on 1 row(s) matches nothing" in err and "United Kingdom" in err
    assert dict(Candidate.objects.values_list("unique_id", "nationality")) == {"1": "", "2": "GB"}


def test_import_asks_for_the_date_order_and_refuses_unreadable_files(tmp_path):
    centre = CentreFactory()
    dates = tmp_path / "dates.csv"
    dates.write_text("Unique ID,First name,Last name,DOB\n1,A,B,03/04/2012\n", encoding="utf-8")
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_candidates", str(dates), centre=centre.number, commit=True)
    call_command("import_candidates", str(dates), centre=centre.number, commit=True, date_order="dmy")
    assert str(Candidate.objects.get().date_of_birth) == "2012-04-03"
    pdf = tmp_path / "pupils.xlsx"
    pdf.write_bytes(b"%PDF-1.7\n")
    with pytest.raises(CommandError, match="PDF"):
        call_command("import_candidates", str(pdf), centre=centre.number)


def test_export_writes_the_template_format(tmp_path):
    centre = CentreFactory()
    CandidateFactory(centre=centre, unique_id="007", first_name="Zoë", last_name="Müller")
    CandidateFactory(centre=centre, unique_id="008", is_active=False)
    out = tmp_path / "out.csv"
    call_command("export_candidates", centre=centre.number, format="csv", output=str(out))
    lines = out.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].startswith("Unique ID,First name,Last name") and len(lines) == 2 and lines[1].startswith("007,Zoë")
    call_command("export_candidates", centre=centre.number, format="csv", output=str(out), all=True)
    assert len(out.read_text(encoding="utf-8-sig").splitlines()) == 3


def test_import_reads_a_oneroster_package_with_the_unique_id_chosen(tmp_path, capsys):
    centre = with_vocabularies(CentreFactory())
    roster = tmp_path / "roster.zip"
    roster.write_bytes(package())
    call_command("import_candidates", str(roster), centre=centre.number, commit=True, oneroster_unique_id="username")
    assert "4 rows: 4 new" in capsys.readouterr().out
    assert Candidate.objects.get(sourced_id="stu-001").unique_id == "ana.pereira"

    broken = tmp_path / "broken.zip"
    broken.write_bytes(package(edit=replace("users.csv", "givenName", "firstName")))
    with pytest.raises(CommandError, match="users.csv has a column 'firstName' that is not in OneRoster 1.2"):
        call_command("import_candidates", str(broken), centre=centre.number)


def test_export_writes_a_oneroster_package_of_either_version(tmp_path):
    centre = CentreFactory()
    CandidateFactory(centre=centre, unique_id="007", first_name="Zoë", last_name="Müller")
    for version in ("1.1", "1.2"):
        out = tmp_path / f"roster-{version}.zip"
        call_command(
            "export_candidates", centre=centre.number, format="oneroster", oneroster_version=version, output=str(out)
        )
        with zipfile.ZipFile(out) as archive:
            assert f"oneroster.version,{version}" in archive.read("manifest.csv").decode()
            assert ",007,,Zoë,Müller,," in archive.read("users.csv").decode()
    default = tmp_path / "default.zip"
    call_command("export_candidates", centre=centre.number, format="oneroster", output=str(default))
    with zipfile.ZipFile(default) as archive:
        assert "oneroster.version,1.2" in archive.read("manifest.csv").decode()
