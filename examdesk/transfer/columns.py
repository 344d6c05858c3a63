"""The columns of the candidate file: the current template, the legacy one, and the names we accept.

Headers are matched in any order, ignoring case, spacing and punctuation (examdesk.transfer.headers),
against the current header, the legacy header and the aliases below.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    field: str
    header: str  # in the current template
    legacy_header: str | None  # in the legacy template (None: not in it)
    aliases: tuple[str, ...]
    required: bool
    format: str  # for the Guidance sheet
    allowed: str  # for the Guidance sheet
    choices: str | None = None  # which drop-down list the XLSX template offers


NOT_ON_LIST = (
    "A value that matches nothing is imported empty and kept as written, never leaving the candidate out; "
    "the preview shows it, and you can say once what it means."
)
# The Guidance sheet and the import page say this in the same words.
NATIONALITY_FORMAT = (
    "A country as people write it: its English name (Portugal, United States), the nationality (Portuguese, "
    "British, Filipino), a common name (USA, UK, England, Holland, Ivory Coast, South Korea, Turkey, Czech "
    "Republic), its name in another language (Alemania, Allemagne, Deutschland), or its ISO code (PT or PRT), "
    f"in any case, with or without accents. {NOT_ON_LIST}"
)

COLUMNS: tuple[Column, ...] = (
    Column("unique_id", "Unique ID", "Student ID",
           ("ID", "Candidate ID", "Pupil ID", "Learner ID", "Unique identifier", "Student number"), True,
           "Text, up to 100 characters. Leading zeros and capitals are kept.",
           "Any text that is unique in your centre. To change a candidate's ID, use their page, not the file."),
    Column("first_name", "First name", "Forename", ("Given name", "Forenames", "First names"), True,
           "Text, up to 100 characters, any alphabet.", "Any"),
    Column("last_name", "Last name", "Surname", ("Family name", "Last names"), True,
           "Text, up to 100 characters, any alphabet.", "Any"),
    Column("date_of_birth", "Date of birth", "DOB", ("Birth date", "Birthdate", "Date of birth (dd/mm/yyyy)"), False,
           "A date cell, or text such as 2012-04-03 or 03/04/2012. Every date in the column is read the same way.",
           "A real date"),
    Column("gender", "Gender", "Sex", (), False, "One letter or word.", "F (Female), M (Male), X (Other or not stated)",
           choices="gender"),
    Column("nationality", "Nationality", None, ("Country of nationality", "Citizenship"), False,
           NATIONALITY_FORMAT, "e.g. Portugal, Portuguese, PT or PRT (the Lists sheet has every country)",
           choices="nationality"),
    Column("ethnicity", "Ethnicity", "Ethnicity", ("Ethnic group", "Ethnic origin"), False,
           f"A code or a name from the board's list, in any case. {NOT_ON_LIST}", "See the Lists sheet",
           choices="ethnicity"),
    Column("sen_status", "SEN status", "SEN", ("Special educational needs", "SEN code", "SEN provision"), False,
           f"A code or a name from the board's list, in any case. {NOT_ON_LIST}", "See the Lists sheet",
           choices="sen"),
    Column("upn", "UPN", "UPN", ("Unique pupil number",), False,
           "13 characters: a check letter, 12 digits (the last may be a letter).", "A valid UPN, or empty"),
    Column("email", "E-mail address", None, ("Email", "E-mail", "Email address"), False,
           "An e-mail address.", "name@example.org, or empty"),
    Column("groups", "Groups", "Class", ("Group", "Classes", "Sets", "Set", "Form", "Tutor group"), False,
           "Group names separated by commas: the candidate's groups become exactly these (an empty cell "
           "takes them out of every group). New names create groups. Without this column, groups stay as they are.",
           "Any"),
    Column("is_active", "Active", None, ("Status", "Is active"), False,
           "Yes or No. Leave empty to keep the candidate as they are.", "Yes, No", choices="active"),
)  # fmt: skip

BY_FIELD = {column.field: column for column in COLUMNS}
REQUIRED = {column.field for column in COLUMNS if column.required}
LEGACY_ORDER = ("unique_id", "first_name", "last_name", "date_of_birth", "gender", "groups", "ethnicity",
                "sen_status", "upn")  # fmt: skip


def aliases() -> dict[str, list[str]]:
    """Every name each field is known by, for header matching."""
    return {
        column.field: [column.header, *([column.legacy_header] if column.legacy_header else []), *column.aliases]
        for column in COLUMNS
    }


def template_columns(*, legacy: bool) -> list[Column]:
    if legacy:
        return [BY_FIELD[name] for name in LEGACY_ORDER]
    return list(COLUMNS)


def header_of(column: Column, *, legacy: bool) -> str:
    return (column.legacy_header or column.header) if legacy else column.header
