"""Qualification files (JSON or YAML): parsed and checked into definitions, with messages that say where.

The schema is documented in the README ("Qualification files"); `data/demo_qualifications.yaml` is an example.
The board's qualification pages build the same data from what was typed and check it with `parse_data`, so a
file and a page obey one set of rules.

Every problem names its place (`qualifications[0] (FCE).components[1].max: ...`); problems found in a file read
with `parse_text` also start with the line (`line 12: ...`) when the line can be told.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

import yaml
from django.utils.translation import ngettext

from examdesk.core import languages

AGGREGATIONS = ("mean", "weighted_mean", "sum")
ROUNDINGS = ("half_up", "down", "up")

#: Scores are stored with 2 decimal places, up to 99999.99; weights with 3, up to 999.999.
SCORE_PLACES, SCORE_LIMIT = 2, Decimal("99999.99")
WEIGHT_PLACES, WEIGHT_LIMIT = 3, Decimal("999.999")


@dataclass(frozen=True)
class Problem:
    """One problem: `path` is the place without names (`qualifications[0].components[1].max`), for programs;
    `place` is the same place as people read it (`qualifications[0] (FCE).components[1].max`)."""

    path: str
    place: str
    text: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"line {self.line}: " if self.line else ""
        return f"{where}{self.place}: {self.text}"


def problems_found(file_name: str, count: int) -> str:
    """The error summary's line for a file that was not loaded: "board.yaml: 2 problems; nothing was loaded."."""
    return ngettext(
        "{file}: {count} problem; nothing was loaded.", "{file}: {count} problems; nothing was loaded.", count
    ).format(file=file_name, count=count)


class DefinitionError(ValueError):
    """The file cannot be loaded; `problems` lists every problem found, each with where it is.

    `details` holds the same problems as `Problem`s (for pages that point at the field concerned).
    """

    def __init__(self, problems: list[str], details: list[Problem] | None = None) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems
        self.details = details if details is not None else [Problem("", "", text) for text in problems]

    @classmethod
    def from_details(cls, details: list[Problem]) -> DefinitionError:
        return cls([str(problem) for problem in details], details)


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
    # Names in other languages, {language: {"name": …, "components": {code: name}, "labels": {label: label}}}
    # (Qualification.translations). None: leave the stored translations as they are (the edit form has none).
    translations: dict[str, dict[str, Any]] | None = None


# --- Reading text ------------------------------------------------------------------------------------------------


class _Loader(yaml.SafeLoader):
    """YAML without aliases: `*name` could make a small file expand into an enormous one."""

    what = "data"  # the kind of file, for the message

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]
            raise yaml.composer.ComposerError(
                None,
                None,
                f"aliases (*name) are not allowed in {self.what} files; write the values out",
                event.start_mark,
            )
        return super().compose_node(parent, index)


def _yaml_node(text: str, what: str) -> Any:
    loader = _Loader(text)
    loader.what = what
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


Parsed = TypeVar("Parsed")


def parse_file_text(text: str, *, file_name: str, what: str, parse: Callable[[Any], Parsed]) -> Parsed:
    """Read a board's data file, JSON (a `.json` name, or text starting with `{`) or YAML, and `parse` its data;
    DefinitionError names every problem with its line. `what` says the kind of file ("qualification")."""
    text = text.removeprefix("\ufeff")
    node: Any = None
    try:
        if file_name.lower().endswith(".json") or text.lstrip().startswith("{"):
            data = json.loads(text)
        else:
            loader = _Loader(text)
            loader.what = what
            try:
                node = loader.get_single_node()
                data = loader.construct_document(node) if node is not None else None
            finally:
                loader.dispose()
    except (json.JSONDecodeError, yaml.YAMLError) as error:
        raise DefinitionError([f"The file is not valid JSON or YAML: {error}"]) from error
    except RecursionError as error:
        raise DefinitionError([f"The file is nested too deeply to be {_a(what)} file."]) from error
    try:
        return parse(data)
    except DefinitionError as error:
        if node is None:
            try:  # JSON read again as YAML, only to learn the lines; nothing is lost when that fails
                node = _yaml_node(text, what)
            except (yaml.YAMLError, RecursionError):
                node = None
        lines = _line_map(node) if node is not None else {}
        located = [Problem(p.path, p.place, p.text, _line_of(p.path, lines)) for p in error.details]
        raise DefinitionError.from_details(sorted(located, key=lambda p: p.line or 0)) from None


def _a(what: str) -> str:
    return f"an {what}" if what[:1] in "aeiou" else f"a {what}"


def parse_text(text: str, *, file_name: str = "") -> list[QualificationDefinition]:
    """Read a qualification file (JSON or YAML)."""
    return parse_file_text(text, file_name=file_name, what="qualification", parse=parse_data)


def _line_map(root: Any) -> dict[str, int]:
    """The line (1-based) of every place in the file, down to a fixed depth."""
    lines: dict[str, int] = {}

    def walk(node: Any, path: str, depth: int) -> None:
        lines.setdefault(path, node.start_mark.line + 1)
        if depth <= 0:
            return
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode):
                    child = f"{path}.{key.value}" if path else str(key.value)
                    lines[child] = key.start_mark.line + 1
                    walk(value, child, depth - 1)
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                walk(item, f"{path}[{index}]", depth - 1)

    walk(root, "", 12)
    lines.pop("", None)
    return lines


def _line_of(path: str, lines: dict[str, int]) -> int | None:
    while path:
        if path in lines:
            return lines[path]
        cut = max(path.rfind("."), path.rfind("["))
        path = path[:cut] if cut > 0 else ""
    return None


# --- Checking data -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Place:
    path: str
    label: str

    def key(self, name: str) -> _Place:
        return _Place(f"{self.path}.{name}", f"{self.label}.{name}")

    def index(self, number: int) -> _Place:
        return _Place(f"{self.path}[{number}]", f"{self.label}[{number}]")

    def named(self, code: str) -> _Place:
        return _Place(self.path, f"{self.label} ({code})") if code else self


_SCALARS = (str, int, float, Decimal)


def _shown(value: Any) -> str:
    """A value inside a message, kept short whatever it is."""
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


class _Reader:
    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def problem(self, place: _Place, text: str) -> None:
        self.problems.append(Problem(place.path, place.label, text))

    def clean(self, place: _Place) -> bool:
        """No problem found so far at this place or inside it."""
        return not any(
            p.path == place.path or p.path.startswith((place.path + ".", place.path + "[")) for p in self.problems
        )

    def text(
        self, data: dict[str, Any], key: str, where: _Place, *, required: bool = True, max_length: int = 200
    ) -> str:
        value = data.get(key)
        if value is None or value == "":
            if required:
                self.problem(where.key(key), "this is required.")
            return ""
        if isinstance(value, bool) or not isinstance(value, _SCALARS):
            self.problem(where.key(key), f"expected text, not {_shown(value)}.")
            return ""
        text = str(value).strip()
        if not text and required:
            self.problem(where.key(key), "this is required.")
        if len(text) > max_length:
            self.problem(where.key(key), f"at most {max_length} characters.")
        return text

    def number(
        self,
        data: dict[str, Any],
        key: str,
        where: _Place,
        *,
        default: Decimal | None = None,
        places: int = SCORE_PLACES,
        limit: Decimal = SCORE_LIMIT,
    ) -> Decimal:
        value = data.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if default is None:
                self.problem(where.key(key), "a number is required.")
                return Decimal(0)
            return default
        if isinstance(value, bool) or not isinstance(value, _SCALARS):
            self.problem(where.key(key), f"{_shown(value)} is not a number.")
            return Decimal(0)
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation:
            self.problem(where.key(key), f"{_shown(value)} is not a number.")
            return Decimal(0)
        if not number.is_finite():
            self.problem(where.key(key), f"{_shown(value)} is not a number.")
            return Decimal(0)
        if abs(number) > limit:
            self.problem(where.key(key), f"{_shown(value)} is too large; use a number from {-limit:f} to {limit:f}.")
            return Decimal(0)
        if number != number.quantize(Decimal(1).scaleb(-places)):
            self.problem(where.key(key), f"{_shown(value)} has more than {places} decimal places.")
            return Decimal(0)
        return number

    def choice(self, data: dict[str, Any], key: str, where: _Place, choices: tuple[str, ...], default: str) -> str:
        value = data.get(key, default)
        if not isinstance(value, str) or value not in choices:
            self.problem(where.key(key), f"{_shown(value)} is not one of {', '.join(choices)}.")
            return default
        return value

    def flag(self, data: dict[str, Any], key: str, where: _Place, default: bool) -> bool:
        value = data.get(key, default)
        if not isinstance(value, bool):
            self.problem(where.key(key), "use true or false.")
            return default
        return value

    def mapping(self, value: Any, where: _Place) -> dict[str, Any]:
        if not isinstance(value, dict):
            self.problem(where, "expected a mapping of names to values.")
            return {}
        return value

    def sequence(self, value: Any, where: _Place) -> list[Any]:
        if not isinstance(value, list) or not value:
            self.problem(where, "expected a list with at least one item.")
            return []
        return value


def parse_data(data: Any) -> list[QualificationDefinition]:
    """Check data shaped like a qualification file; raise DefinitionError with every problem found."""
    reader = _Reader()
    root = reader.mapping(data, _Place("", "file"))
    if reader.problems:
        raise DefinitionError.from_details(reader.problems)
    where = _Place("qualifications", "qualifications")
    items = reader.sequence(root.get("qualifications"), where)
    definitions = [_qualification(reader, item, where.index(index)) for index, item in enumerate(items)]
    first: dict[str, int] = {}
    for index, definition in enumerate(definitions):
        if not definition.code:
            continue
        if definition.code in first:
            reader.problem(
                where.index(index).named(definition.code).key("code"),
                f"the code {definition.code!r} is used more than once (also qualifications[{first[definition.code]}]).",
            )
        else:
            first[definition.code] = index
    if reader.problems:
        raise DefinitionError.from_details(reader.problems)
    return definitions


def _qualification(reader: _Reader, item: Any, where: _Place) -> QualificationDefinition:
    data = reader.mapping(item, where)
    code = reader.text(data, "code", where, max_length=20)
    where = where.named(code)
    overall_place = where.key("overall")
    overall = reader.mapping(data.get("overall", {}), overall_place)
    decimals = overall.get("decimals", 0)
    if not isinstance(decimals, int) or isinstance(decimals, bool) or not 0 <= decimals <= 2:
        reader.problem(overall_place.key("decimals"), "use 0, 1 or 2.")
        decimals = 0
    components_place = where.key("components")
    components = tuple(
        _component(reader, component, components_place.index(index))
        for index, component in enumerate(reader.sequence(data.get("components"), components_place))
    )
    bands_place = where.key("bands")
    bands = tuple(
        _band(reader, band, bands_place.index(index))
        for index, band in enumerate(reader.sequence(data.get("bands"), bands_place))
    )
    definition = QualificationDefinition(
        code=code,
        name=reader.text(data, "name", where),
        family=reader.text(data, "family", where, required=False, max_length=100),
        results_online=reader.flag(data, "results_online", where, True),
        aggregation=reader.choice(overall, "aggregation", overall_place, AGGREGATIONS, "mean"),
        rounding=reader.choice(overall, "rounding", overall_place, ROUNDINGS, "half_up"),
        decimals=decimals,
        overall_min=reader.number(overall, "min", overall_place),
        overall_max=reader.number(overall, "max", overall_place),
        components=components,
        bands=bands,
        translations=_translations(reader, data, where, components, bands),
    )
    _check_consistency(reader, definition, where)
    return definition


def _translations(
    reader: _Reader,
    data: dict[str, Any],
    where: _Place,
    components: tuple[ComponentDefinition, ...],
    bands: tuple[BandDefinition, ...],
) -> dict[str, dict[str, Any]]:
    """The optional `translations` key: per language code, a name, component names by code, results by label."""
    place = where.key("translations")
    if data.get("translations") is None:
        return {}
    found: dict[str, dict[str, Any]] = {}
    codes = {component.code for component in components}
    labels = {band.label for band in bands}
    for language, entry in reader.mapping(data["translations"], place).items():
        language_place = place.key(str(language))
        if language not in languages.CODES or language == languages.ENGLISH:
            offered = ", ".join(sorted(languages.CODES - {languages.ENGLISH}))
            reader.problem(language_place, f"not a language Examdesk translates into: use one of {offered}.")
            continue
        entry = reader.mapping(entry, language_place)
        unknown = sorted(set(entry) - {"name", "components", "labels"})
        if unknown:
            reader.problem(language_place, f"unknown key {unknown[0]!r}: use name, components or labels.")
        translated: dict[str, Any] = {}
        if entry.get("name") is not None:
            translated["name"] = reader.text(entry, "name", language_place)
        for key, known, max_length in (("components", codes, 100), ("labels", labels, 100)):
            if entry.get(key) is None:
                continue
            key_place = language_place.key(key)
            names: dict[str, str] = {}
            for original in reader.mapping(entry[key], key_place):
                if str(original) not in known:
                    what = "component code" if key == "components" else "band label"
                    reader.problem(key_place.key(str(original)), f"not a {what} of this qualification.")
                    continue
                text = reader.text(entry[key], original, key_place, max_length=max_length)
                if text:
                    names[str(original)] = text
            translated[key] = names
        found[str(language)] = translated
    return found


def _component(reader: _Reader, item: Any, where: _Place) -> ComponentDefinition:
    data = reader.mapping(item, where)
    code = reader.text(data, "code", where, max_length=20)
    place = where.named(code)
    component = ComponentDefinition(
        code=code,
        name=reader.text(data, "name", place, max_length=100),
        min_score=reader.number(data, "min", place, default=Decimal(0)),
        max_score=reader.number(data, "max", place),
        weight=reader.number(data, "weight", place, default=Decimal(1), places=WEIGHT_PLACES, limit=WEIGHT_LIMIT),
    )
    if reader.clean(place.key("min")) and reader.clean(place.key("max")) and component.max_score <= component.min_score:
        reader.problem(place.key("max"), f"must be greater than the min score ({component.min_score:f}).")
    if component.weight < 0:
        reader.problem(place.key("weight"), "must not be negative.")
    return component


def _band(reader: _Reader, item: Any, where: _Place) -> BandDefinition:
    data = reader.mapping(item, where)
    return BandDefinition(
        min_score=reader.number(data, "min", where),
        grade=reader.text(data, "grade", where, required=False, max_length=10),
        label=reader.text(data, "label", where, max_length=100),
        cefr_level=reader.text(data, "cefr", where, required=False, max_length=5),
        awards_certificate=reader.flag(data, "certificate", where, True),
    )


def _aggregate(definition: QualificationDefinition, scores: list[Decimal]) -> Decimal:
    if definition.aggregation == "sum":
        return sum(scores, Decimal(0))
    if definition.aggregation == "weighted_mean":
        weights = sum((c.weight for c in definition.components), Decimal(0))
        if not weights:
            return scores[0]
        return sum((c.weight * s for c, s in zip(definition.components, scores, strict=True)), Decimal(0)) / weights
    return sum(scores, Decimal(0)) / len(scores)


def _check_consistency(reader: _Reader, definition: QualificationDefinition, where: _Place) -> None:
    overall = where.key("overall")
    scale_ok = reader.clean(overall.key("min")) and reader.clean(overall.key("max"))
    if scale_ok and definition.overall_max <= definition.overall_min:
        reader.problem(overall.key("max"), f"must be greater than overall.min ({definition.overall_min:f}).")
        scale_ok = False
    components = where.key("components")
    seen: dict[str, int] = {}
    for index, component in enumerate(definition.components):
        if not component.code:
            continue
        if component.code in seen:
            reader.problem(
                components.index(index).named(component.code).key("code"),
                f"the code {component.code!r} is used more than once (also components[{seen[component.code]}]).",
            )
        else:
            seen[component.code] = index
    if definition.aggregation == "weighted_mean" and definition.components:
        if not sum((c.weight for c in definition.components), Decimal(0)):
            reader.problem(components, "a weighted mean needs at least one component with a weight above 0.")
    bands = where.key("bands")
    starts: dict[Decimal, int] = {}
    for index, band in enumerate(definition.bands):
        place = bands.index(index)
        if not (reader.clean(place.key("min")) and all(p.path != place.path for p in reader.problems)):
            continue
        if band.min_score in starts:
            reader.problem(
                bands.index(index).key("min"),
                f"two bands start at {band.min_score:f} (also bands[{starts[band.min_score]}]).",
            )
        else:
            starts[band.min_score] = index
        if scale_ok and not definition.overall_min <= band.min_score <= definition.overall_max:
            reader.problem(
                bands.index(index).key("min"),
                f"{band.min_score:f} is outside the overall scale "
                f"{definition.overall_min:f} to {definition.overall_max:f}.",
            )
    if scale_ok and starts:
        lowest = min(starts)
        if lowest > definition.overall_min:
            reader.problem(
                bands.index(starts[lowest]).key("min"),
                f"the lowest band starts at {lowest:f}, above the lowest overall score {definition.overall_min:f}; "
                f"add a band (e.g. 'No certificate') from {definition.overall_min:f}.",
            )
    if scale_ok and definition.components and reader.clean(components):
        bottom = _aggregate(definition, [c.min_score for c in definition.components])
        top = _aggregate(definition, [c.max_score for c in definition.components])
        if bottom < definition.overall_min or top > definition.overall_max:
            reader.problem(
                overall,
                f"the components give overall scores from {_plain(bottom)} to {_plain(top)}, outside the overall "
                f"scale {definition.overall_min:f} to {definition.overall_max:f}.",
            )


def _plain(value: Decimal) -> str:
    text = format(value.quantize(Decimal("0.01")), "f")
    return re.sub(r"\.?0+$", "", text) if "." in text else text
