from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django_countries.fields import CountryField

from examdesk.core.text import fold

UNIQUE_ID_MAX = 100
AS_WRITTEN_MAX = 200


def folded_names(first_name: str, last_name: str) -> tuple[str, str]:
    """The names as search compares them (examdesk.core.text.fold); kept beside the names, also by bulk writes."""
    return fold(first_name)[:100], fold(last_name)[:100]


class VocabularyTerm(models.Model):
    """A value of a controlled list the board configures (ethnicity, SEN status)."""

    class Vocabulary(models.TextChoices):
        ETHNICITY = "ethnicity", "Ethnicity"
        SEN = "sen", "SEN status"

    board = models.ForeignKey("centres.Board", on_delete=models.CASCADE, related_name="vocabulary_terms")
    vocabulary = models.CharField(max_length=20, choices=Vocabulary.choices)
    code = models.CharField(max_length=10)
    label = models.CharField(max_length=200)
    position = models.PositiveIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["vocabulary", "position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["board", "vocabulary", "code"], name="people_vocabulary_unique_code")
        ]

    def __str__(self) -> str:
        return f"{self.code} – {self.label}"


class Group(models.Model):
    """A free tag on candidates (a class, a set), created where it is first typed."""

    centre = models.ForeignKey("centres.Centre", on_delete=models.CASCADE, related_name="candidate_groups")
    name = models.CharField(max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)  # an information system syncs with updated_since

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint("centre", Lower("name"), name="people_group_unique_name")]

    def __str__(self) -> str:
        return self.name


class Candidate(models.Model):
    """A learner at a centre (the school platform's "student"). Never deleted: deactivated instead."""

    class Gender(models.TextChoices):
        FEMALE = "F", "Female"
        MALE = "M", "Male"
        OTHER = "X", "Other or not stated"

    centre = models.ForeignKey("centres.Centre", on_delete=models.PROTECT, related_name="candidates")
    unique_id = models.CharField(
        "unique ID", max_length=UNIQUE_ID_MAX, help_text="Chosen by the centre; text, unique in the centre."
    )
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    date_of_birth = models.DateField(null=True, blank=True)
    gender = models.CharField(max_length=1, choices=Gender.choices, blank=True)
    nationality = CountryField(blank=True)
    ethnicity = models.CharField(max_length=10, blank=True, help_text="A code of the board's ethnicity list.")
    sen_status = models.CharField("SEN status", max_length=10, blank=True)
    upn = models.CharField("UPN", max_length=13, blank=True)
    email = models.EmailField("e-mail address", blank=True)
    # What an import's file said for a field it could not read (the field is then empty), as field → value
    # ({"nationality": "Brit", "upn": "A12"}): kept so that nothing a centre sent is lost, and shown until someone
    # fixes it. One JSON field rather than a column per field: any field but the identity ones can have a note.
    values_as_written = models.JSONField(default=dict, blank=True)
    groups = models.ManyToManyField(Group, blank=True, related_name="candidates")
    is_active = models.BooleanField(default=True)
    # The person's sourcedId in the school's information system (a OneRoster import): later imports find the
    # candidate by it even when the unique ID changed there. Empty for candidates that came another way.
    sourced_id = models.CharField("OneRoster sourcedId", max_length=255, blank=True)
    first_name_folded = models.CharField(max_length=100, blank=True, editable=False)
    last_name_folded = models.CharField(max_length=100, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["last_name", "first_name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["centre", "unique_id"], name="people_candidate_unique_id_in_centre"),
            models.UniqueConstraint(
                fields=["centre", "sourced_id"],
                condition=~models.Q(sourced_id=""),
                name="people_candidate_unique_sourced_id_in_centre",
            ),
        ]
        indexes = [
            models.Index(fields=["centre", "is_active", "last_name", "first_name", "id"], name="people_cand_list_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.unique_id})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.first_name_folded, self.last_name_folded = folded_names(self.first_name, self.last_name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"first_name", "last_name"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "first_name_folded", "last_name_folded"}
        super().save(*args, **kwargs)

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class ValueMapping(models.Model):
    """What a centre's files mean by a value that no list knows ("Brit" is GB), said once from an import's
    preview and used by every later import of the centre. Keyed by the value folded (validation.value_key)."""

    class Field(models.TextChoices):
        NATIONALITY = "nationality", "Nationality"
        ETHNICITY = "ethnicity", "Ethnicity"
        SEN_STATUS = "sen_status", "SEN status"
        GENDER = "gender", "Gender"

    centre = models.ForeignKey("centres.Centre", on_delete=models.CASCADE, related_name="value_mappings")
    field = models.CharField(max_length=20, choices=Field.choices)
    value_key = models.CharField(max_length=AS_WRITTEN_MAX)
    value = models.CharField(max_length=AS_WRITTEN_MAX, help_text="As first written in a file.")
    code = models.CharField(max_length=10, help_text="The country code or the code of the board's list.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["field", "value_key"]
        constraints = [
            models.UniqueConstraint(fields=["centre", "field", "value_key"], name="people_value_mapping_unique")
        ]

    def __str__(self) -> str:
        return f"{self.get_field_display()}: {self.value} → {self.code}"


class Arrangements(models.Model):
    """Access arrangements a candidate has for online assessments, as centre staff set them. Abstract: kept for the
    candidate (CandidateArrangements, every sitting) and, when one sitting differs, for that sitting's entry
    (sittings.AttemptArrangements, which then wins)."""

    class ExtraTime(models.IntegerChoices):
        NONE = 0, "None"
        QUARTER = 25, "25 %"
        HALF = 50, "50 %"
        DOUBLE = 100, "100 %"

    class TextSize(models.IntegerChoices):
        NORMAL = 100, "Normal"
        LARGER = 150, "150 %"
        DOUBLE = 200, "200 %"
        TRIPLE = 300, "300 %"
        QUADRUPLE = 400, "400 %"

    class Overlay(models.TextChoices):
        NONE = "none", "No overlay"
        CREAM = "cream", "Cream"
        YELLOW = "yellow", "Yellow"
        BLUE = "blue", "Blue"
        GREEN = "green", "Green"
        PINK = "pink", "Pink"

    class Contrast(models.TextChoices):
        STANDARD = "standard", "Standard"
        DARK = "dark", "White on black"
        YELLOW = "yellow", "Yellow on black"

    extra_time_percent = models.PositiveSmallIntegerField(choices=ExtraTime.choices, default=ExtraTime.NONE)
    extra_time_minutes = models.PositiveSmallIntegerField(
        default=0, help_text="Minutes added to every timed section, besides the percentage."
    )
    rest_breaks = models.BooleanField(default=False, help_text="Supervised rest breaks that stop the clock.")
    reader = models.BooleanField(default=False, help_text="The player reads questions aloud where allowed.")
    text_size = models.PositiveSmallIntegerField(choices=TextSize.choices, default=TextSize.NORMAL)
    overlay = models.CharField(max_length=10, choices=Overlay.choices, default=Overlay.NONE)
    contrast = models.CharField(max_length=10, choices=Contrast.choices, default=Contrast.STANDARD)
    line_reader = models.BooleanField(default=False)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    FIELDS: ClassVar[tuple[str, ...]] = (
        "extra_time_percent",
        "extra_time_minutes",
        "rest_breaks",
        "reader",
        "text_size",
        "overlay",
        "contrast",
        "line_reader",
    )

    class Meta:
        abstract = True

    def values(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.FIELDS}

    def any(self) -> bool:
        """Whether anything differs from no arrangement at all."""
        return self.values() != type(self)().values()


class CandidateArrangements(Arrangements):
    candidate = models.OneToOneField(Candidate, on_delete=models.CASCADE, related_name="arrangements")

    def __str__(self) -> str:
        return f"Arrangements of {self.candidate_id}"
