"""Writes to the catalogue: qualification definitions, series and release times, each one audited. Products
(online assessments) are written by catalogue/products/services.py."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from django.db import transaction

from examdesk.audit.models import AuditEvent
from examdesk.audit.services import audit_record
from examdesk.catalogue.definitions import DefinitionError, QualificationDefinition
from examdesk.catalogue.models import Component, GradeBand, Qualification, Release, Series
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
    if definition.translations is not None:
        qualification.translations = definition.translations
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
