"""Writes to the catalogue: qualification definitions, series, release times and products (online assessments).
Each one audited."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import transaction

from examdesk.audit.models import AuditEvent
from examdesk.audit.services import audit_record
from examdesk.catalogue import selectors
from examdesk.catalogue.assessments import AssessmentDefinition
from examdesk.catalogue.definitions import DefinitionError, QualificationDefinition
from examdesk.catalogue.models import (
    Component,
    GradeBand,
    Item,
    MeasureDefinition,
    Product,
    Qualification,
    Release,
    Section,
    Series,
)
from examdesk.centres.models import Board


@transaction.atomic
def qualification_define(*, board: Board, definition: QualificationDefinition, actor: Any = None) -> Qualification:
    """Create the qualification, or bring an existing one (same code) to this definition.

    Components and bands are replaced. A qualification that already has entries keeps its component codes:
    results are stored by component code, so renaming one would orphan them.
    """
    qualification, created = Qualification.objects.select_for_update().get_or_create(
        board=board,
        code=definition.code,
        defaults={"name": definition.name},
    )
    if not created and qualification.entries.exists():
        existing = set(qualification.components.values_list("code", flat=True))
        wanted = {component.code for component in definition.components}
        if existing != wanted:
            raise DefinitionError(
                [
                    f"{definition.code}: results exist for this qualification, so its components must stay "
                    f"{', '.join(sorted(existing))}."
                ]
            )
    qualification.name = definition.name
    qualification.family = definition.family
    qualification.results_online = definition.results_online
    qualification.aggregation = definition.aggregation
    qualification.rounding = definition.rounding
    qualification.decimals = definition.decimals
    qualification.overall_min = definition.overall_min
    qualification.overall_max = definition.overall_max
    qualification.full_clean(exclude=["board"])
    qualification.save()
    qualification.components.all().delete()
    Component.objects.bulk_create(
        Component(
            qualification=qualification,
            code=component.code,
            name=component.name,
            position=position,
            min_score=component.min_score,
            max_score=component.max_score,
            weight=component.weight,
        )
        for position, component in enumerate(definition.components)
    )
    qualification.bands.all().delete()
    GradeBand.objects.bulk_create(
        GradeBand(
            qualification=qualification,
            min_score=band.min_score,
            grade=band.grade,
            label=band.label,
            cefr_level=band.cefr_level,
            awards_certificate=band.awards_certificate,
        )
        for band in definition.bands
    )
    audit_record(
        action=AuditEvent.Action.CATALOGUE_CHANGED,
        actor=actor,
        summary=f"Qualification {definition.code} {'created' if created else 'updated'}",
        data={"qualification": definition.code, "components": len(definition.components)},
    )
    return qualification


@transaction.atomic
def qualifications_load(
    *, board: Board, definitions: Iterable[QualificationDefinition], actor: Any = None
) -> list[Qualification]:
    """Load a whole file: every definition or none."""
    return [qualification_define(board=board, definition=definition, actor=actor) for definition in definitions]


@transaction.atomic
def series_save(*, board: Board, code: str, name: str, actor: Any = None, **fields: Any) -> Series:
    series, created = Series.objects.update_or_create(board=board, code=code, defaults={"name": name, **fields})
    audit_record(
        action=AuditEvent.Action.CATALOGUE_CHANGED,
        actor=actor,
        summary=f"Series {code} {'created' if created else 'updated'}",
        data={"series": code, "name": name},
    )
    return series


def release_for(*, qualification: Qualification, series: Series) -> Release:
    """The release row of a qualification in a series, created without a time (not visible) when missing."""
    release, _ = Release.objects.get_or_create(qualification=qualification, series=series)
    return release


@transaction.atomic
def release_schedule(
    *, qualification: Qualification, series: Series, released_at: datetime | None, actor: Any = None
) -> Release:
    """Set (or clear) the release time. The gate reads it directly: the change takes effect at once."""
    release = Release.objects.select_for_update().filter(qualification=qualification, series=series).first()
    if release is None:
        release = Release(qualification=qualification, series=series)
    previous = release.released_at
    release.released_at = released_at
    release.save()
    audit_record(
        action=AuditEvent.Action.CATALOGUE_CHANGED,
        actor=actor,
        summary=f"Release of {qualification.code} in {series.code} set",
        data={
            "qualification": qualification.code,
            "series": series.code,
            "from": previous.isoformat() if previous else None,
            "to": released_at.isoformat() if released_at else None,
        },
    )
    return release


@transaction.atomic
def series_releases_schedule(
    *, series: Series, released_at: Mapping[Qualification, datetime | None], actor: Any = None
) -> list[Qualification]:
    """Set the release times of several qualifications in one series at once: all of them or none.

    Only the times that change are written (and audited); the qualifications changed are returned.
    """
    current = dict(Release.objects.filter(series=series).values_list("qualification_id", "released_at"))
    changed = []
    for qualification, moment in released_at.items():
        if qualification.board_id != series.board_id:
            raise ValueError(f"{qualification.code} is not a qualification of the board of {series.code}.")
        if current.get(qualification.pk) == moment:
            continue
        release_schedule(qualification=qualification, series=series, released_at=moment, actor=actor)
        changed.append(qualification)
    return changed


# --- Products (online assessments) -------------------------------------------------------------------------------


@dataclass(frozen=True)
class AssessmentLoaded:
    """What loading one assessment did: "created", "updated" or "unchanged" (nothing written)."""

    product: Product
    outcome: str


def _content(definition: AssessmentDefinition) -> Any:
    """What candidates' answers depend on: sections, items, keys, marks, audio and measures (not names or prices)."""
    return (
        [
            (
                section.title,
                section.instructions,
                section.time_limit_minutes,
                section.audio.storage_name(definition.code, number) if section.audio else "",
                [
                    (
                        item.code,
                        item.kind,
                        item.prompt,
                        [(option.id, option.text) for option in item.options],
                        item.uses_audio,
                        json.dumps(item.key, sort_keys=True),
                        item.marks,
                    )
                    for item in section.items
                ],
            )
            for number, section in enumerate(definition.sections, start=1)
        ],
        [(m.code, m.label, m.kind, m.min_value, m.max_value) for m in definition.measures],
    )


def _stored_content(product: Product) -> Any:
    sections = product.sections.prefetch_related("items")
    return (
        [
            (
                section.title,
                section.instructions,
                section.time_limit_minutes,
                section.audio_path,
                [
                    (
                        item.code,
                        item.kind,
                        item.prompt,
                        [(option["id"], option["text"]) for option in item.options],
                        item.uses_audio,
                        json.dumps(item.key, sort_keys=True),
                        item.marks,
                    )
                    for item in section.items.all()
                ],
            )
            for section in sections
        ],
        [(m.code, m.label, m.kind, m.min_value, m.max_value) for m in product.measures.all()],
    )


def _keep_audio(definition: AssessmentDefinition) -> None:
    storage = storages["private"]
    for number, section in enumerate(definition.sections, start=1):
        if section.audio is None:
            continue
        name = section.audio.storage_name(definition.code, number)
        if not storage.exists(name):
            saved = storage.save(name, ContentFile(section.audio.data))
            if saved != name:  # written at the same moment by another load: keep one copy
                storage.delete(saved)


def _drop_unused_audio(paths: set[str]) -> None:
    used = set(Section.objects.filter(audio_path__in=paths).values_list("audio_path", flat=True))
    storage = storages["private"]
    for path in paths - used:
        storage.delete(path)


@transaction.atomic
def assessment_define(*, board: Board, definition: AssessmentDefinition, actor: Any = None) -> AssessmentLoaded:
    """Create the product, or bring an existing one (same code) to this definition.

    Sections, items and measures are replaced as a whole, and only when they differ. Once the product has sittings
    they can no longer change (answers already given would change meaning, and marking would differ between
    candidates): only the name, description, credits per candidate and "other platform" may; anything else is
    refused with that reason. Loading a definition equal to what is stored writes nothing and audits nothing.
    """
    product = Product.objects.select_for_update().filter(board=board, code=definition.code).first()
    created = product is None
    if product is None:
        product = Product(board=board, code=definition.code)
    content_changes = created or _content(definition) != _stored_content(product)
    fields = {
        "name": definition.name,
        "description": definition.description,
        "credits_per_candidate": definition.credits_per_candidate,
        "other_platform": definition.other_platform,
    }
    field_changes = created or any(getattr(product, name) != value for name, value in fields.items())
    if not content_changes and not field_changes:
        return AssessmentLoaded(product, "unchanged")
    if content_changes and not created and selectors.product_has_sittings(product):
        raise DefinitionError(
            [
                f"{definition.code}: sittings exist for this assessment, so its sections, items, keys, marks, audio "
                "and measures can no longer change (answers already given would change meaning). Only its name, "
                "description, credits per candidate and other_platform can. Load the new content under a new code."
            ]
        )
    for name, value in fields.items():
        setattr(product, name, value)
    product.full_clean(exclude=["board"])
    product.save()
    if content_changes:
        old_audio = set(product.sections.exclude(audio_path="").values_list("audio_path", flat=True))
        _keep_audio(definition)
        product.sections.all().delete()
        product.measures.all().delete()
        for number, section in enumerate(definition.sections, start=1):
            row = Section.objects.create(
                product=product,
                position=number - 1,
                title=section.title,
                instructions=section.instructions,
                time_limit_minutes=section.time_limit_minutes,
                audio_path=section.audio.storage_name(definition.code, number) if section.audio else "",
            )
            Item.objects.bulk_create(
                Item(
                    section=row,
                    position=position,
                    code=item.code,
                    kind=item.kind,
                    prompt=item.prompt,
                    options=[{"id": option.id, "text": option.text} for option in item.options],
                    uses_audio=item.uses_audio,
                    key=item.key,
                    marks=item.marks,
                )
                for position, item in enumerate(section.items)
            )
        MeasureDefinition.objects.bulk_create(
            MeasureDefinition(
                product=product,
                position=position,
                code=measure.code,
                label=measure.label,
                kind=measure.kind,
                min_value=measure.min_value,
                max_value=measure.max_value,
            )
            for position, measure in enumerate(definition.measures)
        )
        if old_audio:
            transaction.on_commit(lambda: _drop_unused_audio(old_audio))
    outcome = "created" if created else "updated"
    audit_record(
        action=AuditEvent.Action.CATALOGUE_CHANGED,
        actor=actor,
        summary=f"Assessment {definition.code} {outcome}",
        data={
            "product": definition.code,
            "sections": len(definition.sections),
            "items": sum(len(section.items) for section in definition.sections),
            "measures": len(definition.measures),
            "content_changed": content_changes,
        },
    )
    return AssessmentLoaded(product, outcome)


@transaction.atomic
def assessments_load(
    *, board: Board, definitions: Iterable[AssessmentDefinition], actor: Any = None
) -> list[AssessmentLoaded]:
    """Load a whole assessment file: every definition or none."""
    return [assessment_define(board=board, definition=definition, actor=actor) for definition in definitions]


@transaction.atomic
def product_set_active(*, product: Product, active: bool, actor: Any = None) -> Product:
    """Offer the product to centres (active) or stop offering it for new sittings (inactive); audited."""
    product = Product.objects.select_for_update().get(pk=product.pk)
    if product.is_active == active:
        return product
    product.is_active = active
    product.save(update_fields=["is_active"])
    audit_record(
        action=AuditEvent.Action.CATALOGUE_CHANGED,
        actor=actor,
        summary=f"Assessment {product.code} {'activated' if active else 'deactivated'}",
        data={"product": product.code, "is_active": active},
    )
    return product
