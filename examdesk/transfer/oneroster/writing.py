"""Write a centre's register as a OneRoster 1.1 or 1.2 CSV package (a zip), in bulk mode.

The centre is the school (orgs.csv), each group a class (classes.csv, with a course of the same name and the
current school year as its term), each candidate a student (users.csv; roles.csv in 1.2) with their
enrollments and demographics. Nationality, ethnicity, SEN status and UPN travel as extension columns
(metadata.*), which the importer reads back, so export → import changes nothing (a value an import could not
read is written as it was written, as in the spreadsheet export). A candidate who never came from
a OneRoster package gets a sourcedId made from the centre and the record, the same on every export.

Values are written as they are (no apostrophe before text that looks like a formula): a package is read by
rostering systems, not opened as a spreadsheet, and a prefix would change people's names there.
"""

from __future__ import annotations

import csv
import datetime
import io
import zipfile
from collections.abc import Callable, Iterable
from typing import IO, Any

from django.utils import timezone

from examdesk.centres.models import Centre
from examdesk.people.models import Candidate, Group
from examdesk.transfer.oneroster import binding

SYSTEM_NAME = "Examdesk"
USER_METADATA = {
    "nationality": "metadata.nationality",
    "ethnicity": "metadata.ethnicity",
    "sen_status": "metadata.senStatus",
    "upn": "metadata.upn",
}


def _sourced_id(centre: Centre, kind: str, pk: int) -> str:
    return f"examdesk-{centre.number}-{kind}-{pk}"


def _school_year(today: datetime.date) -> tuple[str, datetime.date, datetime.date]:
    """The school year today is in (September to August), as OneRoster names it: by the year it ends."""
    start_year = today.year if today.month >= 9 else today.year - 1
    return str(start_year + 1), datetime.date(start_year, 9, 1), datetime.date(start_year + 1, 8, 31)


def _csv(rows: Iterable[Iterable[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _record(columns: tuple[str, ...], **values: str) -> list[str]:
    unknown = set(values) - set(columns)
    assert not unknown, unknown
    return [values.get(column, "") for column in columns]


def oneroster_export(
    *,
    centre: Centre,
    version: str,
    include_deactivated: bool,
    out: IO[bytes],
    on_progress: Callable[[int, int], None] | None = None,
) -> None:
    """Write the package to `out` (a binary file). Deactivated candidates, when included, have enabledUser false."""
    if version not in binding.VERSIONS:
        raise ValueError(f"OneRoster version must be one of {binding.VERSIONS}")
    spec = binding.COLUMNS[version]
    candidates = Candidate.objects.filter(centre=centre)
    if not include_deactivated:
        candidates = candidates.filter(is_active=True)
    total = candidates.count()
    school = _sourced_id(centre, "school", centre.pk)
    year, starts, ends = _school_year(timezone.localdate())
    session = _sourced_id(centre, "year", int(year))

    links: dict[int, list[int]] = {}
    for candidate_id, group_id in (
        Candidate.groups.through.objects.filter(candidate__in=candidates)
        .order_by("candidate_id", "group__name")
        .values_list("candidate_id", "group_id")
    ):
        links.setdefault(candidate_id, []).append(group_id)
    used = {group_id for ids in links.values() for group_id in ids}
    groups = [(pk, name) for pk, name in Group.objects.filter(centre=centre).values_list("pk", "name") if pk in used]

    files: dict[str, list[list[str]]] = {name: [list(columns)] for name, columns in spec.items()}
    files["orgs.csv"].append(
        _record(spec["orgs.csv"], sourcedId=school, name=centre.name, type="school", identifier=centre.number)
    )
    files["academicSessions.csv"].append(
        _record(
            spec["academicSessions.csv"],
            sourcedId=session,
            title=f"{int(year) - 1}–{year}",
            type="schoolYear",
            startDate=starts.isoformat(),
            endDate=ends.isoformat(),
            schoolYear=year,
        )
    )
    class_ids: dict[int, str] = {}
    for pk, name in groups:
        class_ids[pk] = _sourced_id(centre, "group", pk)
        course = _sourced_id(centre, "course", pk)
        files["courses.csv"].append(
            _record(spec["courses.csv"], sourcedId=course, title=name, orgSourcedId=school, schoolYearSourcedId=session)
        )
        files["classes.csv"].append(
            _record(
                spec["classes.csv"],
                sourcedId=class_ids[pk],
                title=name,
                courseSourcedId=course,
                classType="scheduled",
                schoolSourcedId=school,
                termSourcedIds=session,
            )
        )

    metadata = list(USER_METADATA.values())
    files["users.csv"][0].extend(metadata)
    sexes = binding.GENDER_TO_SEX if version == "1.2" else binding.GENDER_TO_SEX_1_1
    if version == "1.1":  # 1.1's sex is male or female: other genders travel in an extension column
        files["demographics.csv"][0].append(binding.SEX_EXTENSION)
    fields = ("pk", "unique_id", "sourced_id", "first_name", "last_name", "email", "is_active", "date_of_birth",
              "gender", *USER_METADATA, "values_as_written")  # fmt: skip
    rows = candidates.order_by("last_name", "first_name", "id").values(*fields)
    for done, candidate in enumerate(rows.iterator(chunk_size=2000), start=1):
        person = candidate["sourced_id"] or _sourced_id(centre, "candidate", candidate["pk"])
        user: dict[str, Any] = {
            "sourcedId": person,
            # A value an import could not read goes back as the package said it (here and in sex), so that the
            # export imports back unchanged, with the same warning.
            "enabledUser": _written(candidate, "is_active") or ("true" if candidate["is_active"] else "false"),
            "username": candidate["unique_id"],
            "identifier": candidate["unique_id"],
            "givenName": candidate["first_name"],
            "familyName": candidate["last_name"],
            "email": _extension_value(candidate, "email"),
        }
        if version == "1.1":
            user |= {"orgSourcedIds": school, "role": binding.STUDENT}
        else:
            user |= {"primaryOrgSourcedId": school}
            files["roles.csv"].append(
                _record(
                    spec["roles.csv"],
                    sourcedId=f"{person}-role",
                    userSourcedId=person,
                    roleType="primary",
                    role=binding.STUDENT,
                    orgSourcedId=school,
                )
            )
        files["users.csv"].append(
            [*_record(spec["users.csv"], **user), *(_extension_value(candidate, name) for name in USER_METADATA)]
        )
        born = candidate["date_of_birth"]
        demographic = _record(
            spec["demographics.csv"],
            sourcedId=person,
            birthDate=born.isoformat() if born else "",
            sex=sexes.get(candidate["gender"], "") or _written(candidate, "gender"),
        )
        if version == "1.1":
            demographic.append(binding.GENDER_TO_SEX[candidate["gender"]] if candidate["gender"] == "X" else "")
        files["demographics.csv"].append(demographic)
        for group_id in links.get(candidate["pk"], []):
            files["enrollments.csv"].append(
                _record(
                    spec["enrollments.csv"],
                    sourcedId=f"{person}-{class_ids[group_id]}",
                    classSourcedId=class_ids[group_id],
                    schoolSourcedId=school,
                    userSourcedId=person,
                    role=binding.STUDENT,
                )
            )
        if on_progress and (done % 2000 == 0 or done == total):
            on_progress(done, total)

    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.csv", _csv(_manifest(version, set(files))))
        for name, records in files.items():
            archive.writestr(name, _csv(records))


def _written(candidate: dict[str, Any], name: str) -> str:
    return str((candidate["values_as_written"] or {}).get(name, ""))


def _extension_value(candidate: dict[str, Any], name: str) -> str:
    """The stored value; for a value an import could not read, the value as written (nothing is lost)."""
    return str(candidate[name] or _written(candidate, name))


def _manifest(version: str, present: set[str]) -> list[list[str]]:
    rows = [list(binding.MANIFEST_COLUMNS), ["manifest.version", "1.0"], ["oneroster.version", version]]
    for key in binding.MANIFEST_FILES[version]:
        rows.append([f"file.{key}", "bulk" if f"{key}.csv" in present else "absent"])
    rows += [["source.systemName", SYSTEM_NAME], ["source.systemCode", SYSTEM_NAME.casefold()]]
    return rows
