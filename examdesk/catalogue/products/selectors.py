"""Reads of the board's products (online assessments): their sections, items with keys and marks (for board staff
and marking only), the player's view of them without keys, audio, and the product as an assessment file again."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.core.files.storage import storages
from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404

from examdesk.catalogue.models import Item, MeasureDefinition, Product, Section
from examdesk.catalogue.products.assessments import AUDIO_CONTENT_TYPES, BUNDLED_PREFIX, safe_code
from examdesk.catalogue.selectors import plain_number
from examdesk.centres.models import Board


def product_list(*, board: Board) -> QuerySet[Product]:
    """All the board's products, active or not, with counts of sections, items and measures (for the board)."""
    return Product.objects.filter(board=board).annotate(
        section_count=Count("sections", distinct=True),
        item_count=Count("sections__items", distinct=True),
        measure_count=Count("measures", distinct=True),
    )


def products_for_board(*, board: Board, active_only: bool = True) -> QuerySet[Product]:
    """The products a board offers to its centres (active ones unless told otherwise), by name."""
    products = Product.objects.filter(board=board)
    return products.filter(is_active=True) if active_only else products


def product_get(*, board: Board, pk: int) -> Product:
    product = Product.objects.filter(board=board, pk=pk).first()
    if product is None:
        raise Http404("No such product.")
    return product


def product_by_code(*, board: Board, code: str) -> Product | None:
    return Product.objects.filter(board=board, code=code).first()


def product_sections(*, product: Product) -> QuerySet[Section]:
    """Sections in order with their items (keys and marks included: for board staff and marking only)."""
    return product.sections.prefetch_related("items")


def product_section_get(*, product: Product, pk: int) -> Section:
    section = product.sections.filter(pk=pk).first()
    if section is None:
        raise Http404("No such section.")
    return section


def product_totals(*, sections: list[Section]) -> tuple[int, Decimal]:
    """Items and marks of sections read with `product_sections` (their items already fetched)."""
    items = [item for section in sections for item in section.items.all()]
    return len(items), sum((item.marks for item in items), Decimal(0))


def product_measures(*, product: Product) -> QuerySet[MeasureDefinition]:
    """The extra measures staff record per candidate, in order."""
    return product.measures.all()


def product_has_sittings(product: Product) -> bool:
    """Whether any sitting was created for the product (its content is then fixed). False while the sittings app
    is not installed."""
    if product.pk is None or not apps.is_installed("examdesk.sittings"):
        return False
    try:
        sitting = apps.get_model("sittings", "Sitting")
    except LookupError:
        return False
    for model_field in sitting._meta.get_fields():
        if getattr(model_field, "related_model", None) is Product and getattr(model_field, "many_to_one", False):
            return bool(sitting.objects.filter(**{model_field.name: product}).exists())
    for model_field in sitting._meta.get_fields():
        target = getattr(model_field, "related_model", None)
        if not getattr(model_field, "many_to_one", False) or target is None:
            continue
        for inner in target._meta.get_fields():
            if getattr(inner, "related_model", None) is Product and getattr(inner, "many_to_one", False):
                return bool(sitting.objects.filter(**{f"{model_field.name}__{inner.name}": product}).exists())
    return False


@dataclass(frozen=True)
class PlayerItem:
    """An item as a candidate may see it: never its key or marks."""

    id: int
    code: str
    kind: str
    prompt: str
    options: tuple[tuple[str, str], ...]
    uses_audio: bool


@dataclass(frozen=True)
class PlayerSection:
    id: int
    position: int
    title: str
    instructions: str
    time_limit_minutes: int | None
    has_audio: bool
    items: tuple[PlayerItem, ...]
    read_aloud: bool = True


def player_sections(*, product: Product) -> list[PlayerSection]:
    """The product's sections and items for the candidate's player: prompts and options only, no keys or marks.
    Two queries."""
    sections = product.sections.prefetch_related(
        Prefetch(
            "items",
            queryset=Item.objects.only(
                "id", "section_id", "position", "code", "kind", "prompt", "options", "uses_audio"
            ),
        )
    )
    return [
        PlayerSection(
            id=section.pk,
            position=section.position,
            title=section.title,
            instructions=section.instructions,
            time_limit_minutes=section.time_limit_minutes,
            has_audio=bool(section.audio_path),
            read_aloud=section.read_aloud,
            items=tuple(
                PlayerItem(
                    id=item.pk,
                    code=item.code,
                    kind=item.kind,
                    prompt=item.prompt,
                    options=tuple((str(option["id"]), str(option["text"])) for option in item.options),
                    uses_audio=item.uses_audio,
                )
                for item in section.items.all()
            ),
        )
        for section in sections
    ]


def section_audio(*, section: Section) -> tuple[Any, str]:
    """(open binary file, content type) of a section's audio from private storage; Http404 when it has none.
    The caller decides who may hear it and closes the file (a FileResponse does)."""
    if not section.audio_path:
        raise Http404("This section has no audio.")
    storage = storages["private"]
    if not storage.exists(section.audio_path):
        raise Http404("The audio file is missing.")
    kind = section.audio_path.rsplit(".", 1)[-1]
    return storage.open(section.audio_path, "rb"), AUDIO_CONTENT_TYPES.get(kind, "application/octet-stream")


_BUNDLED_NAME = re.compile(r"/\d+-bundled-(?P<name>.+)-[0-9a-f]{12}\.\w+$")


def audio_reference(*, section: Section) -> str:
    """How a downloaded assessment file names a section's audio: bundled:<name> for generated audio, else the
    file name the section's audio is downloaded under (to keep next to the file)."""
    if not section.audio_path:
        return ""
    match = _BUNDLED_NAME.search(section.audio_path)
    if match:
        return BUNDLED_PREFIX + match.group("name")
    return audio_file_name(section=section)


def audio_file_name(*, section: Section) -> str:
    kind = section.audio_path.rsplit(".", 1)[-1]
    return f"{safe_code(section.product.code)}-section-{section.position + 1}.{kind}"


def assessment_data(product: Product) -> dict[str, Any]:
    """The product as one entry of an assessment file (what `assessments.parse_data` reads back unchanged)."""
    sections = []
    for section in product_sections(product=product):
        entry: dict[str, Any] = {"title": section.title}
        if section.instructions:
            entry["instructions"] = section.instructions
        if section.time_limit_minutes is not None:
            entry["time_limit_minutes"] = section.time_limit_minutes
        if section.audio_path:
            entry["audio"] = audio_reference(section=section)
        if not section.read_aloud:
            entry["read_aloud"] = False
        items = []
        for item in section.items.all():
            row: dict[str, Any] = {"code": item.code, "kind": item.kind, "prompt": item.prompt}
            if item.options:
                row["options"] = [{"id": option["id"], "text": option["text"]} for option in item.options]
            if item.uses_audio:
                row["uses_audio"] = True
            row["key"] = item.key
            row["marks"] = plain_number(item.marks)
            items.append(row)
        entry["items"] = items
        sections.append(entry)
    data: dict[str, Any] = {
        "code": product.code,
        "name": product.name,
        "description": product.description,
        "credits_per_candidate": product.credits_per_candidate,
        "other_platform": product.other_platform,
        "sections": sections,
    }
    measures = []
    for measure in product_measures(product=product):
        row = {"code": measure.code, "label": measure.label, "kind": measure.kind}
        if measure.kind == MeasureDefinition.Kind.NUMBER:
            row["min"] = plain_number(measure.min_value or Decimal(0))
            row["max"] = plain_number(measure.max_value or Decimal(0))
        measures.append(row)
    if measures:
        data["measures"] = measures
    return data
