"""Writes of the board's products (online assessments): loading assessment files (all or nothing, content fixed
once a sitting exists, audio kept in private storage), switching products on and off. Each one audited."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import transaction

from examdesk.audit.models import AuditEvent
from examdesk.audit.services import audit_record
from examdesk.catalogue.definitions import DefinitionError
from examdesk.catalogue.models import Item, MeasureDefinition, Product, Section
from examdesk.catalogue.products import selectors
from examdesk.catalogue.products.assessments import AssessmentDefinition
from examdesk.centres.models import Board


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
                section.read_aloud,
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
                section.read_aloud,
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
                read_aloud=section.read_aloud,
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
