"""Qualification files (JSON or YAML): parsed and checked into definitions, with messages that point at the line.

The schema is documented in the README ("Qualification files"); `data/demo_qualifications.yaml` is an example.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

import yaml

AGGREGATIONS = ("mean", "weighted_mean", "sum")
ROUNDINGS = ("half_up", "down", "up")


class DefinitionError(ValueError):
    """The file cannot be loaded; `problems` lists every problem found, each with where it is."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class ComponentDefinition:
    code: str
    name: str
    min_score: Decimal
    max_score: Decimal
    weight: Decimal


@dataclass(frozen=True)
class BandDefinition:
    min_score: Decimal
    grade: str
    label: str
    cefr_level: str
    awards_certificate: bool


@dataclass(frozen=True)
class QualificationDefinition:
    code: str
    name: str
    family: str
    results_online: bool
    aggregation: str
    rounding: str
    decimals: int
    overall_min: Decimal
    overall_max: Decimal
    components: tuple[ComponentDefinition, ...]
    bands: tuple[BandDefinition, ...]


def parse_text(text: str, *, file_name: str = "") -> list[QualificationDefinition]:
    """Read JSON (a `.json` name, or text starting with `{`) or YAML."""
    try:
        if file_name.lower().endswith(".json") or text.lstrip().startswith("{"):
            data = json.loads(text)
        else:
            data = yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as error:
        raise DefinitionError([f"The file is not valid JSON or YAML: {error}"]) from error
    return parse_data(data)


class _Reader:
    def __init__(self) -> None:
        self.problems: list[str] = []

    def text(self, data: dict[str, Any], key: str, where: str, *, required: bool = True, max_length: int = 200) -> str:
        value = data.get(key)
        if value is None or value == "":
            if required:
                self.problems.append(f"{where}.{key}: this is required.")
            return ""
        value = str(value).strip()
        if len(value) > max_length:
            self.problems.append(f"{where}.{key}: at most {max_length} characters.")
        return value

    def number(self, data: dict[str, Any], key: str, where: str, *, default: Decimal | None = None) -> Decimal:
        value = data.get(key)
        if value is None:
            if default is None:
                self.problems.append(f"{where}.{key}: a number is required.")
                return Decimal(0)
            return default
        if isinstance(value, bool):
            self.problems.append(f"{where}.{key}: {value!r} is not a number.")
            return Decimal(0)
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            self.problems.append(f"{where}.{key}: {value!r} is not a number.")
            return Decimal(0)
        if not number.is_finite():
            self.problems.append(f"{where}.{key}: {value!r} is not a number.")
            return Decimal(0)
        return number

    def choice(self, data: dict[str, Any], key: str, where: str, choices: tuple[str, ...], default: str) -> str:
        value = str(data.get(key, default))
        if value not in choices:
            self.problems.append(f"{where}.{key}: {value!r} is not one of {', '.join(choices)}.")
        return value

    def flag(self, data: dict[str, Any], key: str, where: str, default: bool) -> bool:
        value = data.get(key, default)
        if not isinstance(value, bool):
            self.problems.append(f"{where}.{key}: use true or false.")
            return default
        return value

    def mapping(self, value: Any, where: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            self.problems.append(f"{where}: expected a mapping of names to values.")
            return {}
        return value

    def sequence(self, value: Any, where: str) -> list[Any]:
        if not isinstance(value, list) or not value:
            self.problems.append(f"{where}: expected a list with at least one item.")
            return []
        return value


def parse_data(data: Any) -> list[QualificationDefinition]:
    reader = _Reader()
    root = reader.mapping(data, "file")
    items = reader.sequence(root.get("qualifications"), "qualifications")
    definitions = [_qualification(reader, item, f"qualifications[{index}]") for index, item in enumerate(items)]
    codes = [definition.code for definition in definitions]
    for code in sorted({code for code in codes if codes.count(code) > 1}):
        reader.problems.append(f"qualifications: the code {code!r} is used more than once.")
    if reader.problems:
        raise DefinitionError(reader.problems)
    return definitions


def _qualification(reader: _Reader, item: Any, where: str) -> QualificationDefinition:
    data = reader.mapping(item, where)
    code = reader.text(data, "code", where, max_length=20)
    where = f"{where} ({code})" if code else where
    overall = reader.mapping(data.get("overall", {}), f"{where}.overall")
    decimals = overall.get("decimals", 0)
    if not isinstance(decimals, int) or isinstance(decimals, bool) or not 0 <= decimals <= 2:
        reader.problems.append(f"{where}.overall.decimals: use 0, 1 or 2.")
        decimals = 0
    components = tuple(
        _component(reader, component, f"{where}.components[{index}]")
        for index, component in enumerate(reader.sequence(data.get("components"), f"{where}.components"))
    )
    bands = tuple(
        _band(reader, band, f"{where}.bands[{index}]")
        for index, band in enumerate(reader.sequence(data.get("bands"), f"{where}.bands"))
    )
    definition = QualificationDefinition(
        code=code,
        name=reader.text(data, "name", where),
        family=reader.text(data, "family", where, required=False, max_length=100),
        results_online=reader.flag(data, "results_online", where, True),
        aggregation=reader.choice(overall, "aggregation", f"{where}.overall", AGGREGATIONS, "mean"),
        rounding=reader.choice(overall, "rounding", f"{where}.overall", ROUNDINGS, "half_up"),
        decimals=decimals,
        overall_min=reader.number(overall, "min", f"{where}.overall"),
        overall_max=reader.number(overall, "max", f"{where}.overall"),
        components=components,
        bands=bands,
    )
    _check_consistency(reader, definition, where)
    return definition


def _component(reader: _Reader, item: Any, where: str) -> ComponentDefinition:
    data = reader.mapping(item, where)
    component = ComponentDefinition(
        code=reader.text(data, "code", where, max_length=20),
        name=reader.text(data, "name", where, max_length=100),
        min_score=reader.number(data, "min", where, default=Decimal(0)),
        max_score=reader.number(data, "max", where),
        weight=reader.number(data, "weight", where, default=Decimal(1)),
    )
    if component.max_score <= component.min_score:
        reader.problems.append(f"{where}: max must be greater than min.")
    if component.weight < 0:
        reader.problems.append(f"{where}.weight: must not be negative.")
    return component


def _band(reader: _Reader, item: Any, where: str) -> BandDefinition:
    data = reader.mapping(item, where)
    return BandDefinition(
        min_score=reader.number(data, "min", where),
        grade=reader.text(data, "grade", where, required=False, max_length=10),
        label=reader.text(data, "label", where, max_length=100),
        cefr_level=reader.text(data, "cefr", where, required=False, max_length=5),
        awards_certificate=reader.flag(data, "certificate", where, True),
    )


def _check_consistency(reader: _Reader, definition: QualificationDefinition, where: str) -> None:
    if definition.overall_max <= definition.overall_min:
        reader.problems.append(f"{where}.overall: max must be greater than min.")
    codes = [component.code for component in definition.components]
    for code in sorted({code for code in codes if codes.count(code) > 1}):
        reader.problems.append(f"{where}.components: the code {code!r} is used more than once.")
    minimums = [band.min_score for band in definition.bands]
    if len(set(minimums)) != len(minimums):
        reader.problems.append(f"{where}.bands: two bands start at the same score.")
    if minimums and min(minimums) > definition.overall_min:
        reader.problems.append(
            f"{where}.bands: the lowest band starts at {min(minimums):g}, above the lowest overall score "
            f"{definition.overall_min:g}; add a band (e.g. 'No certificate') from {definition.overall_min:g}."
        )
    for band in definition.bands:
        if not definition.overall_min <= band.min_score <= definition.overall_max:
            reader.problems.append(f"{where}.bands: {band.min_score:g} is outside the overall scale.")
