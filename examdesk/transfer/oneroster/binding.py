"""The parts of the 1EdTech OneRoster 1.1 and 1.2 CSV binding that a candidate register reads and writes.

For each file: its columns in the specification's order, and the ones that must be there. Any other column
is refused unless it is an extension column, named `metadata.<name>` (both versions allow those anywhere).
"""

from __future__ import annotations

VERSIONS = ("1.1", "1.2")
MANIFEST = "manifest.csv"
MANIFEST_COLUMNS = ("propertyName", "value")
METADATA_PREFIX = "metadata."

_ORGS = ("sourcedId", "status", "dateLastModified", "name", "type", "identifier", "parentSourcedId")
_ACADEMIC_SESSIONS = (
    "sourcedId", "status", "dateLastModified", "title", "type", "startDate", "endDate", "parentSourcedId", "schoolYear",
)  # fmt: skip
_CLASSES = (
    "sourcedId", "status", "dateLastModified", "title", "grades", "courseSourcedId", "classCode", "classType",
    "location", "schoolSourcedId", "termSourcedIds", "subjects", "subjectCodes", "periods",
)  # fmt: skip
_COURSES = (
    "sourcedId", "status", "dateLastModified", "schoolYearSourcedId", "title", "courseCode", "grades", "orgSourcedId",
    "subjects", "subjectCodes",
)  # fmt: skip
_ENROLLMENTS = (
    "sourcedId", "status", "dateLastModified", "classSourcedId", "schoolSourcedId", "userSourcedId", "role", "primary",
    "beginDate", "endDate",
)  # fmt: skip
_DEMOGRAPHICS = (
    "sourcedId", "status", "dateLastModified", "birthDate", "sex", "americanIndianOrAlaskaNative", "asian",
    "blackOrAfricanAmerican", "nativeHawaiianOrOtherPacificIslander", "white", "demographicRaceTwoOrMoreRaces",
    "hispanicOrLatinoEthnicity", "countryOfBirthCode", "stateOfBirthAbbreviation", "cityOfBirth",
    "publicSchoolResidenceStatus",
)  # fmt: skip
_USERS_1_1 = (
    "sourcedId", "status", "dateLastModified", "enabledUser", "orgSourcedIds", "role", "username", "userIds",
    "givenName", "familyName", "middleName", "identifier", "email", "sms", "phone", "agentSourcedIds", "grades",
    "password",
)  # fmt: skip
_USERS_1_2 = (
    "sourcedId", "status", "dateLastModified", "enabledUser", "username", "userIds", "givenName", "familyName",
    "middleName", "identifier", "email", "sms", "phone", "agentSourcedIds", "grades", "password",
    "userMasterIdentifier", "preferredGivenName", "preferredMiddleName", "preferredFamilyName", "primaryOrgSourcedId",
    "pronouns",
)  # fmt: skip
_ROLES = (
    "sourcedId", "status", "dateLastModified", "userSourcedId", "roleType", "role", "beginDate", "endDate",
    "orgSourcedId", "userProfileSourcedId",
)  # fmt: skip

# file name → its columns, per version. Only the files this register reads or writes.
COLUMNS: dict[str, dict[str, tuple[str, ...]]] = {
    "1.1": {
        "orgs.csv": _ORGS,
        "academicSessions.csv": _ACADEMIC_SESSIONS,
        "courses.csv": _COURSES,
        "classes.csv": _CLASSES,
        "users.csv": _USERS_1_1,
        "enrollments.csv": _ENROLLMENTS,
        "demographics.csv": _DEMOGRAPHICS,
    },
    "1.2": {
        "orgs.csv": _ORGS,
        "academicSessions.csv": _ACADEMIC_SESSIONS,
        "courses.csv": _COURSES,
        "classes.csv": _CLASSES,
        "users.csv": _USERS_1_2,
        "roles.csv": _ROLES,
        "enrollments.csv": _ENROLLMENTS,
        "demographics.csv": _DEMOGRAPHICS,
    },
}

# The columns that must be present, of the files the import reads (the specification's required fields
# that the import uses, and the identifiers it links by).
REQUIRED: dict[str, tuple[str, ...]] = {
    "users.csv": ("sourcedId", "enabledUser", "username", "givenName", "familyName"),
    "classes.csv": ("sourcedId", "title"),
    "enrollments.csv": ("sourcedId", "classSourcedId", "userSourcedId", "role"),
    "demographics.csv": ("sourcedId",),
    "roles.csv": ("sourcedId", "userSourcedId", "role"),
    "orgs.csv": ("sourcedId", "name", "type"),
    "academicSessions.csv": ("sourcedId", "title", "type", "startDate", "endDate", "schoolYear"),
}
REQUIRED_1_1_USERS = ("role",)

# Every file a manifest may list, per version, in the specification's order (manifest property file.<name>).
MANIFEST_FILES: dict[str, tuple[str, ...]] = {
    "1.1": (
        "academicSessions", "categories", "classes", "classResources", "courses", "courseResources", "demographics",
        "enrollments", "lineItems", "orgs", "resources", "results", "users",
    ),
    "1.2": (
        "academicSessions", "categories", "classes", "classResources", "courses", "courseResources", "demographics",
        "enrollments", "lineItemLearningObjectiveIds", "lineItems", "lineItemScoreScales", "orgs", "resources",
        "resultLearningObjectiveIds", "results", "resultScoreScales", "roles", "scoreScales", "userProfiles",
        "userResources", "users",
    ),
}  # fmt: skip
MODES = ("bulk", "delta", "absent")

# Values of the vocabularies this register uses.
STUDENT = "student"
GONE = frozenset({"tobedeleted", "inactive"})  # "inactive" is not 1.1 or 1.2, but systems write it
SEX_TO_GENDER = {"female": "F", "male": "M", "other": "X", "unspecified": "X"}
GENDER_TO_SEX = {"F": "female", "M": "male", "X": "other"}
GENDER_TO_SEX_1_1 = {"F": "female", "M": "male", "X": ""}  # 1.1 knows male and female only
SEX_EXTENSION = "metadata.sex"  # demographics.csv: a sex 1.1 has no word for (other, unspecified)
