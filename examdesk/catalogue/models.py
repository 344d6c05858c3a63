"""Qualifications (components, grading scheme as data), series and the release of each qualification in each series."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.models import Value


class Qualification(models.Model):
    """What a candidate is entered for: its components, how the overall score is formed and graded."""

    class Aggregation(models.TextChoices):
        MEAN = "mean", "Mean of the component scores"
        WEIGHTED_MEAN = "weighted_mean", "Weighted mean of the component scores"
        SUM = "sum", "Sum of the component scores"

    class Rounding(models.TextChoices):
        HALF_UP = "half_up", "Round half up (180.5 → 181)"
        DOWN = "down", "Round down (180.9 → 180)"
        UP = "up", "Round up (180.1 → 181)"

    board = models.ForeignKey("centres.Board", on_delete=models.PROTECT, related_name="qualifications")
    code = models.CharField(max_length=20, help_text="The board's code, e.g. FCE or 0580.")
    name = models.CharField(max_length=200)
    family = models.CharField(max_length=100, blank=True, help_text="e.g. Cambridge English, IGCSE.")
    aggregation = models.CharField(max_length=20, choices=Aggregation.choices, default=Aggregation.MEAN)
    rounding = models.CharField(max_length=10, choices=Rounding.choices, default=Rounding.HALF_UP)
    decimals = models.PositiveSmallIntegerField(default=0, help_text="Decimal places kept in the overall score.")
    overall_min = models.DecimalField(max_digits=7, decimal_places=2, default=Decimal(0))
    overall_max = models.DecimalField(max_digits=7, decimal_places=2, default=Decimal(100))
    results_online = models.BooleanField(
        default=True, help_text="When off, candidates and centres are told to ask the centre for these results."
    )
    is_active = models.BooleanField(default=True)
    # The board's names in other languages, from the qualification file's `translations` key:
    # {"pt-pt": {"name": "…", "components": {"RD": "Leitura"}, "labels": {"Pass at Grade A": "…"}}}.
    # Candidates' pages and documents show them in the candidate's language (examdesk/catalogue/names.py).
    translations = models.JSONField(default=dict, db_default=Value({}, output_field=models.JSONField()), blank=True)

    class Meta:
        ordering = ["family", "name"]
        constraints = [models.UniqueConstraint(fields=["board", "code"], name="catalogue_qualification_unique_code")]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class Component(models.Model):
    """A skill or paper, scored on its own scale."""

    qualification = models.ForeignKey(Qualification, on_delete=models.CASCADE, related_name="components")
    code = models.CharField(max_length=20)
    name = models.CharField(max_length=100)
    position = models.PositiveSmallIntegerField(default=0)
    min_score = models.DecimalField(max_digits=7, decimal_places=2, default=Decimal(0))
    max_score = models.DecimalField(max_digits=7, decimal_places=2)
    weight = models.DecimalField(
        max_digits=6, decimal_places=3, default=Decimal(1), help_text="Only used by the weighted mean."
    )

    class Meta:
        ordering = ["qualification", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["qualification", "code"], name="catalogue_component_unique_code"),
            models.CheckConstraint(condition=models.Q(max_score__gt=models.F("min_score")), name="catalogue_scale"),
        ]

    def __str__(self) -> str:
        return self.name


class GradeBand(models.Model):
    """From `min_score` (inclusive) up to the next band: a grade, a result label and a CEFR level."""

    qualification = models.ForeignKey(Qualification, on_delete=models.CASCADE, related_name="bands")
    min_score = models.DecimalField(max_digits=7, decimal_places=2)
    grade = models.CharField(max_length=10, blank=True, help_text="e.g. A, B, C*; empty for no grade.")
    label = models.CharField(max_length=100, help_text="The result as printed, e.g. 'Pass at Grade A'.")
    cefr_level = models.CharField("CEFR level", max_length=5, blank=True)
    awards_certificate = models.BooleanField(default=True)

    class Meta:
        ordering = ["qualification", "-min_score"]
        constraints = [
            models.UniqueConstraint(fields=["qualification", "min_score"], name="catalogue_band_unique_min_score")
        ]

    def __str__(self) -> str:
        return f"{self.min_score}+ {self.label}"


class Series(models.Model):
    """An exam session, e.g. June 2026."""

    board = models.ForeignKey("centres.Board", on_delete=models.PROTECT, related_name="series")
    code = models.CharField(max_length=20, help_text="Short code used in results files, e.g. 2026-06.")
    name = models.CharField(max_length=100, help_text="e.g. June 2026.")
    starts_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-starts_on", "-code"]
        verbose_name_plural = "series"
        constraints = [models.UniqueConstraint(fields=["board", "code"], name="catalogue_series_unique_code")]

    def __str__(self) -> str:
        return self.name


class Release(models.Model):
    """When the results of one qualification in one series become visible. No time set: not visible."""

    qualification = models.ForeignKey(Qualification, on_delete=models.PROTECT, related_name="releases")
    series = models.ForeignKey(Series, on_delete=models.PROTECT, related_name="releases")
    released_at = models.DateTimeField(null=True, blank=True, help_text="Entered in the board's time zone.")

    class Meta:
        ordering = ["released_at", "qualification__name"]
        constraints = [
            models.UniqueConstraint(fields=["qualification", "series"], name="catalogue_release_unique_per_series")
        ]
        indexes = [models.Index(fields=["released_at"], name="catalogue_release_at_idx")]

    def __str__(self) -> str:
        return f"{self.qualification.name}, {self.series.name}"


class Product(models.Model):
    """An online assessment a centre can buy: its sections and items, credits per candidate, extra measures."""

    board = models.ForeignKey("centres.Board", on_delete=models.PROTECT, related_name="products")
    code = models.CharField(max_length=30, help_text="The board's code, e.g. READ-7.")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    credits_per_candidate = models.PositiveSmallIntegerField(default=1)
    other_platform = models.BooleanField(
        default=False, help_text="Still delivered on another platform: codes for it are refused with that reason."
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["board", "code"], name="catalogue_product_unique_code")]

    def __str__(self) -> str:
        return self.name


class Section(models.Model):
    """A part of an assessment taken in one go: its items, an optional time limit and optional audio."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(max_length=200)
    instructions = models.TextField(blank=True)
    time_limit_minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    audio_path = models.CharField(
        max_length=300, blank=True, help_text="Audio file in private storage, played by the section's audio items."
    )
    read_aloud = models.BooleanField(
        default=True, help_text="Whether a candidate's reader may read this section aloud (not in a test of reading)."
    )

    class Meta:
        ordering = ["product", "position", "id"]

    def __str__(self) -> str:
        return f"{self.product.code} {self.position + 1}. {self.title}"


class Item(models.Model):
    """One question. The key and marks never leave the server (player receives `prompt` and `options` only)."""

    class Kind(models.TextChoices):
        SINGLE = "single", "Single choice"
        MULTIPLE = "multiple", "Multiple choice"
        SHORT_TEXT = "short_text", "Short text"
        NUMERIC = "numeric", "Numeric"

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(default=0)
    code = models.CharField(max_length=30, help_text="Unique within the product, e.g. R1-03.")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    prompt = models.TextField()
    options = models.JSONField(default=list, blank=True, help_text="For choice items: [{'id': 'a', 'text': '…'}].")
    uses_audio = models.BooleanField(default=False)
    key = models.JSONField(
        help_text="single: 'a'; multiple: ['a', 'c']; short_text: ['colour', 'color']; numeric: {'value': 3.5, "
        "'tolerance': 0.01}"
    )
    marks = models.DecimalField(max_digits=5, decimal_places=2, default=1)

    class Meta:
        ordering = ["section", "position", "id"]

    def __str__(self) -> str:
        return self.code


class MeasureDefinition(models.Model):
    """An extra measure staff record by hand per candidate (e.g. "Typed dictation 0–40", evidence, comment)."""

    class Kind(models.TextChoices):
        NUMBER = "number", "Number in a range"
        FILE = "file", "Evidence file"
        TEXT = "text", "Comment"

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="measures")
    position = models.PositiveSmallIntegerField(default=0)
    code = models.CharField(max_length=30)
    label = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    min_value = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    max_value = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["product", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["product", "code"], name="catalogue_measure_unique_code")]

    def __str__(self) -> str:
        return self.label
