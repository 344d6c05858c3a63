"""Assessment files (JSON or YAML): products with their sections, items, keys, audio and extra measures.

The schema is documented in the README ("Assessment files"); `catalogue/data/demo_assessments.yaml` is an example.
The rules and the messages follow qualification files (`catalogue/definitions.py`): every problem names its place
(`assessments[0] (READ-Y7).sections[1].items[2] (L3).key: ...`), and problems found in a file read with
`parse_text` also start with the line (`line 12: ...`).

Audio is read while the file is checked, so a missing, oversized or wrong-typed file is one more problem with its
line: `audio: listening.mp3` is a path relative to the assessment file (only when the file is read from disk, i.e.
by `examdesk load_assessment`); `audio: bundled:listening-beeps` names audio the application generates itself
(`BUNDLED_AUDIO`), which is what an upload in the browser can use.
"""

from __future__ import annotations

import hashlib
import io
import math
import re
import struct
import wave
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from examdesk.catalogue.definitions import DefinitionError, _Place, _Reader, _shown, parse_file_text

ITEM_KINDS = ("single", "multiple", "short_text", "numeric")
CHOICE_KINDS = ("single", "multiple")
MEASURE_KINDS = ("number", "file", "text")

MAX_AUDIO_BYTES = 20 * 1024 * 1024
BUNDLED_PREFIX = "bundled:"
AUDIO_CONTENT_TYPES = {"wav": "audio/wav", "mp3": "audio/mpeg", "ogg": "audio/ogg"}

#: Marks are stored with 2 decimal places, up to 999.99; numeric keys with up to 6.
MARKS_LIMIT = Decimal("999.99")
KEY_PLACES, KEY_LIMIT = 6, Decimal("999999999")
MEASURE_LIMIT = Decimal("99999.99")
MAX_CREDITS = 100
MAX_MINUTES = 600

ASSESSMENT_KEYS = (
    "code",
    "name",
    "description",
    "credits_per_candidate",
    "other_platform",
    "sections",
    "measures",
)
SECTION_KEYS = ("title", "instructions", "time_limit_minutes", "audio", "read_aloud", "items")
ITEM_KEYS = ("code", "kind", "prompt", "options", "uses_audio", "key", "marks")
OPTION_KEYS = ("id", "text")
NUMERIC_KEY_KEYS = ("value", "tolerance")
MEASURE_KEYS = ("code", "label", "kind", "min", "max")


# --- Audio -------------------------------------------------------------------------------------------------------


def audio_kind(data: bytes) -> str | None:
    """ "wav", "mp3" or "ogg" from the first bytes (never from the file's name); None for anything else."""
    if len(data) >= 12 and data[:4] == b"RIFF" and data[8:12] == b"WAVE":
        return "wav"
    if data[:4] == b"OggS":
        return "ogg"
    if data[:3] == b"ID3":
        return "mp3"
    if len(data) >= 3 and data[0] == 0xFF and data[1] & 0xE0 == 0xE0:
        version, layer, bitrate = (data[1] >> 3) & 0x03, (data[1] >> 1) & 0x03, data[2] >> 4
        if version != 0x01 and layer != 0x00 and bitrate not in (0x00, 0x0F):
            return "mp3"
    return None


def _wav(samples: list[float], rate: int = 8000) -> bytes:
    """16-bit mono PCM WAV of samples between -1 and 1."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(b"".join(struct.pack("<h", round(max(-1.0, min(1.0, s)) * 32000)) for s in samples))
    return buffer.getvalue()


def _tone(frequency: float, seconds: float, rate: int = 8000, volume: float = 0.5) -> list[float]:
    count = int(seconds * rate)
    fade = min(int(0.02 * rate), count // 2) or 1
    return [
        volume * min(1.0, n / fade, (count - n) / fade) * math.sin(2 * math.pi * frequency * n / rate)
        for n in range(count)
    ]


def _silence(seconds: float, rate: int = 8000) -> list[float]:
    return [0.0] * int(seconds * rate)


def tone_440() -> bytes:
    """A 3-second 440 Hz tone: the device check's sound."""
    return _wav(_tone(440, 3.0))


def listening_beeps() -> bytes:
    """The demo listening recording: four tones rising in pitch (C, E, G, high C), the third one long, and a
    longer pause before the last. The demo's listening items ask about exactly this."""
    samples = _silence(0.5)
    for frequency, seconds, pause in ((523.25, 0.4, 0.5), (659.25, 0.4, 0.5), (783.99, 1.2, 1.5), (1046.5, 0.4, 0.5)):
        samples += _tone(frequency, seconds) + _silence(pause)
    return _wav(samples)


BUNDLED_AUDIO: dict[str, Callable[[], bytes]] = {"tone-440": tone_440, "listening-beeps": listening_beeps}


def bundled_audio(name: str) -> bytes:
    return BUNDLED_AUDIO[name]()


# --- Definitions -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AudioSource:
    """A section's audio as checked: `reference` as written in the file, its kind and the bytes' SHA-256."""

    reference: str
    kind: str
    sha256: str
    data: bytes = field(repr=False, compare=False)

    @property
    def bundled_name(self) -> str:
        return self.reference.removeprefix(BUNDLED_PREFIX) if self.reference.startswith(BUNDLED_PREFIX) else ""

    def storage_name(self, product_code: str, section_number: int) -> str:
        """Where the audio is kept in private storage: the content's hash in the name, so loading the same audio
        again finds it and a changed recording never overwrites one in use."""
        bundled = f"-bundled-{self.bundled_name}" if self.bundled_name else ""
        return f"assessments/{safe_code(product_code)}/{section_number}{bundled}-{self.sha256[:12]}.{self.kind}"


@dataclass(frozen=True)
class OptionDefinition:
    id: str
    text: str


@dataclass(frozen=True)
class ItemDefinition:
    code: str
    kind: str
    prompt: str
    options: tuple[OptionDefinition, ...]
    uses_audio: bool
    #: As stored: single "b"; multiple ["a", "c"] (in option order); short_text ["colour", "color"];
    #: numeric {"value": 3.5, "tolerance": 0.05}.
    key: Any
    marks: Decimal


@dataclass(frozen=True)
class SectionDefinition:
    title: str
    instructions: str
    time_limit_minutes: int | None
    audio: AudioSource | None
    items: tuple[ItemDefinition, ...]
    #: Whether a candidate's reader may read the section aloud (false in a test of reading itself).
    read_aloud: bool = True


@dataclass(frozen=True)
class MeasureDefinitionData:
    code: str
    label: str
    kind: str
    min_value: Decimal | None
    max_value: Decimal | None


@dataclass(frozen=True)
class AssessmentDefinition:
    code: str
    name: str
    description: str
    credits_per_candidate: int
    other_platform: bool
    sections: tuple[SectionDefinition, ...]
    measures: tuple[MeasureDefinitionData, ...]


def safe_code(code: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in code) or "_"


def plain(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


# --- Reading text ------------------------------------------------------------------------------------------------


def parse_text(text: str, *, file_name: str = "", base_dir: Path | None = None) -> list[AssessmentDefinition]:
    """Read an assessment file (JSON or YAML); audio paths are read from `base_dir` (None: only bundled audio
    may be named, as in a browser upload)."""
    return parse_file_text(
        text, file_name=file_name, what="assessment", parse=lambda data: parse_data(data, base_dir=base_dir)
    )


# --- Checking data -----------------------------------------------------------------------------------------------


class _AssessmentReader(_Reader):
    def __init__(self, base_dir: Path | None) -> None:
        super().__init__()
        self.base_dir = base_dir

    def known_keys(self, data: dict[str, Any], where: _Place, known: tuple[str, ...]) -> None:
        for key in data:
            if key not in known:
                self.problem(where.key(str(key)), f"unknown key {_shown(key)}; the keys here are {', '.join(known)}.")

    def whole(self, data: dict[str, Any], key: str, where: _Place, *, low: int, high: int, default: int | None) -> Any:
        value = data.get(key)
        if value is None:
            if default is None:
                return None
            return default
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.problem(where.key(key), f"{_shown(value)} is not a whole number from {low} to {high}.")
            return default
        return value

    def audio(self, value: Any, where: _Place) -> AudioSource | None:
        if value is None or value == "":
            return None
        if not isinstance(value, str):
            self.problem(where, f"expected a file name or bundled:<name>, not {_shown(value)}.")
            return None
        reference = value.strip()
        if reference.startswith(BUNDLED_PREFIX):
            name = reference.removeprefix(BUNDLED_PREFIX)
            if name not in BUNDLED_AUDIO:
                self.problem(where, f"there is no bundled audio {name!r}; use one of {_bundled_list()}.")
                return None
            data = bundled_audio(name)
        elif self.base_dir is None:
            self.problem(
                where,
                f"{reference!r} is a file, and an upload in the browser cannot carry audio files: use bundled audio "
                f"({_bundled_list()}) or load the file with `examdesk load_assessment FILE`, with the audio next to "
                "it.",
            )
            return None
        else:
            path = Path(reference)
            if path.is_absolute():
                self.problem(where, f"{reference!r}: give the audio's path relative to the assessment file.")
                return None
            full = self.base_dir / path
            if not full.is_file():
                self.problem(where, f"there is no audio file {reference!r} next to the assessment file.")
                return None
            if full.stat().st_size > MAX_AUDIO_BYTES:
                self.problem(where, f"{reference!r} is larger than 20 MB; use a shorter or more compressed recording.")
                return None
            data = full.read_bytes()
        problem = audio_problem(data, reference)
        if problem:
            self.problem(where, problem)
            return None
        kind = audio_kind(data) or ""
        return AudioSource(reference=reference, kind=kind, sha256=hashlib.sha256(data).hexdigest(), data=data)


def _bundled_list() -> str:
    return ", ".join(BUNDLED_PREFIX + name for name in BUNDLED_AUDIO)


def audio_problem(data: bytes, name: str) -> str:
    """Why these bytes cannot be a section's audio, or "" when they can."""
    if not data:
        return f"{name!r} is empty."
    if len(data) > MAX_AUDIO_BYTES:
        return f"{name!r} is larger than 20 MB; use a shorter or more compressed recording."
    if audio_kind(data) is None:
        return f"{name!r} is not WAV, MP3 or Ogg audio (judged by its content, not its name); convert it to MP3."
    return ""


def parse_data(data: Any, *, base_dir: Path | None = None) -> list[AssessmentDefinition]:
    """Check data shaped like an assessment file; raise DefinitionError with every problem found."""
    reader = _AssessmentReader(base_dir)
    root = reader.mapping(data, _Place("", "file"))
    if reader.problems:
        raise DefinitionError.from_details(reader.problems)
    reader.known_keys(root, _Place("", "file"), ("assessments",))
    where = _Place("assessments", "assessments")
    entries = reader.sequence(root.get("assessments"), where)
    definitions = [_assessment(reader, entry, where.index(index)) for index, entry in enumerate(entries)]
    _unique(
        reader, [d.code for d in definitions], lambda i, code: where.index(i).named(code).key("code"), "assessments"
    )
    if reader.problems:
        raise DefinitionError.from_details(reader.problems)
    return definitions


def _unique(reader: _Reader, codes: list[str], place: Callable[[int, str], _Place], noun: str) -> None:
    first: dict[str, int] = {}
    for index, code in enumerate(codes):
        if not code:
            continue
        if code in first:
            reader.problem(
                place(index, code), f"the code {code!r} is used more than once (also {noun}[{first[code]}])."
            )
        else:
            first[code] = index


def _assessment(reader: _AssessmentReader, entry: Any, where: _Place) -> AssessmentDefinition:
    data = reader.mapping(entry, where)
    code = reader.text(data, "code", where, max_length=30)
    if code and not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", code):
        reader.problem(where.key("code"), "use letters, digits, dots, dashes and underscores only, e.g. READ-Y7.")
    where = where.named(code)
    reader.known_keys(data, where, ASSESSMENT_KEYS)
    name = reader.text(data, "name", where)
    description = reader.text(data, "description", where, required=False, max_length=5000)
    credits = reader.whole(data, "credits_per_candidate", where, low=1, high=MAX_CREDITS, default=1)
    other_platform = reader.flag(data, "other_platform", where, False)
    sections_place = where.key("sections")
    sections = tuple(
        _section(reader, section, sections_place.index(index))
        for index, section in enumerate(reader.sequence(data.get("sections"), sections_place))
    )
    item_codes: dict[str, str] = {}
    for s_index, section in enumerate(sections):
        for i_index, item in enumerate(section.items):
            if not item.code:
                continue
            label = f"sections[{s_index}].items[{i_index}]"
            if item.code in item_codes:
                reader.problem(
                    sections_place.index(s_index).key("items").index(i_index).named(item.code).key("code"),
                    f"the item code {item.code!r} is used more than once in this assessment (also "
                    f"{item_codes[item.code]}).",
                )
            else:
                item_codes[item.code] = label
    measures: tuple[MeasureDefinitionData, ...] = ()
    if data.get("measures") not in (None, []):
        measures_place = where.key("measures")
        measures = tuple(
            _measure(reader, measure, measures_place.index(index))
            for index, measure in enumerate(reader.sequence(data.get("measures"), measures_place))
        )
        _unique(
            reader,
            [m.code for m in measures],
            lambda i, c: measures_place.index(i).named(c).key("code"),
            "measures",
        )
    return AssessmentDefinition(
        code=code,
        name=name,
        description=description,
        credits_per_candidate=credits,
        other_platform=other_platform,
        sections=sections,
        measures=measures,
    )


def _section(reader: _AssessmentReader, entry: Any, where: _Place) -> SectionDefinition:
    data = reader.mapping(entry, where)
    reader.known_keys(data, where, SECTION_KEYS)
    title = reader.text(data, "title", where)
    minutes = reader.whole(data, "time_limit_minutes", where, low=1, high=MAX_MINUTES, default=None)
    audio = reader.audio(data.get("audio"), where.key("audio"))
    items_place = where.key("items")
    items = tuple(
        _item(reader, item, items_place.index(index))
        for index, item in enumerate(reader.sequence(data.get("items"), items_place))
    )
    if audio is None and reader.clean(where.key("audio")):
        for index, item in enumerate(items):
            if item.uses_audio:
                reader.problem(
                    items_place.index(index).named(item.code).key("uses_audio"),
                    "this item uses audio, but its section has none: add `audio` to the section.",
                )
    return SectionDefinition(
        title=title,
        instructions=reader.text(data, "instructions", where, required=False, max_length=5000),
        time_limit_minutes=minutes,
        audio=audio,
        items=items,
        read_aloud=reader.flag(data, "read_aloud", where, True),
    )


def _option_id(value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        return None
    text = str(value).strip()
    return text or None


def _item(reader: _AssessmentReader, entry: Any, where: _Place) -> ItemDefinition:
    data = reader.mapping(entry, where)
    code = reader.text(data, "code", where, max_length=30)
    where = where.named(code)
    reader.known_keys(data, where, ITEM_KEYS)
    kind = ""
    if data.get("kind") in (None, ""):
        reader.problem(where.key("kind"), f"this is required: one of {', '.join(ITEM_KINDS)}.")
    else:
        kind = reader.choice(data, "kind", where, ITEM_KINDS, "")
    prompt = reader.text(data, "prompt", where, max_length=5000)
    options = _options(reader, data, where, kind)
    marks = reader.number(data, "marks", where, default=Decimal(1), limit=MARKS_LIMIT)
    if reader.clean(where.key("marks")) and marks <= 0:
        reader.problem(where.key("marks"), "must be greater than 0.")
    key = _key(reader, data, where, kind, options)
    return ItemDefinition(
        code=code,
        kind=kind,
        prompt=prompt,
        options=options,
        uses_audio=reader.flag(data, "uses_audio", where, False),
        key=key,
        marks=marks,
    )


def _options(reader: _AssessmentReader, data: dict[str, Any], where: _Place, kind: str) -> tuple[OptionDefinition, ...]:
    place = where.key("options")
    raw = data.get("options")
    if kind not in CHOICE_KINDS:
        if raw not in (None, []) and kind:
            reader.problem(place, f"only single and multiple choice items have options, not {kind} items.")
        return ()
    entries = reader.sequence(raw, place)
    if entries and len(entries) < 2:
        reader.problem(place, "a choice item needs at least two options.")
    options = []
    seen: dict[str, int] = {}
    for index, entry in enumerate(entries):
        option_place = place.index(index)
        if not isinstance(entry, dict):
            reader.problem(option_place, "give the option's id and text, e.g. {id: a, text: ...}.")
            continue
        option = entry
        reader.known_keys(option, option_place, OPTION_KEYS)
        option_id = _option_id(option.get("id"))
        if option_id is None:
            reader.problem(option_place.key("id"), "an id (e.g. a, b, c) is required.")
        elif len(option_id) > 10:
            reader.problem(option_place.key("id"), "at most 10 characters.")
        elif option_id in seen:
            reader.problem(
                option_place.key("id"),
                f"the id {option_id!r} is used more than once (also options[{seen[option_id]}]).",
            )
        else:
            seen[option_id] = index
        text = reader.text(option, "text", option_place, max_length=1000)
        if option_id is not None:
            options.append(OptionDefinition(id=option_id, text=text))
    return tuple(options)


def _key(
    reader: _AssessmentReader, data: dict[str, Any], where: _Place, kind: str, options: tuple[OptionDefinition, ...]
) -> Any:
    place = where.key("key")
    value = data.get("key")
    ids = [option.id for option in options]
    if not kind:
        return None
    if value is None or value == "" or value == []:
        reader.problem(place, "the key (the right answer) is required.")
        return None
    if kind == "single":
        answer = _option_id(value)
        if answer is None:
            reader.problem(place, f"a single choice key is one option id, not {_shown(value)}.")
            return None
        if ids and answer not in ids:
            reader.problem(place, f"{answer!r} is not one of the option ids ({', '.join(ids)}).")
            return None
        return answer
    if kind == "multiple":
        if not isinstance(value, list):
            reader.problem(place, f"a multiple choice key is a list of option ids, e.g. [a, c], not {_shown(value)}.")
            return None
        answers = [_option_id(v) for v in value]
        if any(a is None for a in answers):
            reader.problem(place, "every entry of the key must be an option id.")
            return None
        unknown = [a for a in answers if a not in ids]
        if ids and unknown:
            reader.problem(
                place, f"{', '.join(repr(a) for a in unknown)}: not among the option ids ({', '.join(ids)})."
            )
            return None
        if len(set(answers)) != len(answers):
            reader.problem(place, "an option id appears more than once in the key.")
            return None
        return [i for i in ids if i in answers] if ids else answers
    if kind == "short_text":
        accepted = value if isinstance(value, list) else [value]
        texts = []
        for answer in accepted:
            if isinstance(answer, bool) or not isinstance(answer, (str, int, float)) or not str(answer).strip():
                reader.problem(place, f"each accepted answer is a piece of text, not {_shown(answer)}.")
                return None
            if len(str(answer).strip()) > 200:
                reader.problem(place, "each accepted answer has at most 200 characters.")
                return None
            texts.append(str(answer).strip())
        return texts
    # numeric
    if not isinstance(value, dict):
        reader.problem(place, f"a numeric key is {{value: ..., tolerance: ...}}, not {_shown(value)}.")
        return None
    reader.known_keys(value, place, NUMERIC_KEY_KEYS)
    number = reader.number(value, "value", place, places=KEY_PLACES, limit=KEY_LIMIT)
    tolerance = reader.number(value, "tolerance", place, default=Decimal(0), places=KEY_PLACES, limit=KEY_LIMIT)
    if reader.clean(place.key("tolerance")) and tolerance < 0:
        reader.problem(place.key("tolerance"), "must be 0 or more.")
    if not reader.clean(place):
        return None
    return {"value": plain(number), "tolerance": plain(tolerance)}


def _measure(reader: _AssessmentReader, entry: Any, where: _Place) -> MeasureDefinitionData:
    data = reader.mapping(entry, where)
    code = reader.text(data, "code", where, max_length=30)
    where = where.named(code)
    reader.known_keys(data, where, MEASURE_KEYS)
    label = reader.text(data, "label", where)
    kind = reader.choice(data, "kind", where, MEASURE_KINDS, "number")
    low: Decimal | None = None
    high: Decimal | None = None
    if not reader.clean(where.key("kind")):
        pass  # the range rules depend on the kind
    elif kind == "number":
        low = reader.number(data, "min", where, limit=MEASURE_LIMIT)
        high = reader.number(data, "max", where, limit=MEASURE_LIMIT)
        if reader.clean(where.key("min")) and reader.clean(where.key("max")) and high <= low:
            reader.problem(where.key("max"), f"must be greater than min ({low:f}).")
    else:
        for key in ("min", "max"):
            if data.get(key) is not None:
                reader.problem(where.key(key), f"only number measures have a {key}; this one is {kind}.")
    return MeasureDefinitionData(code=code, label=label, kind=kind, min_value=low, max_value=high)
