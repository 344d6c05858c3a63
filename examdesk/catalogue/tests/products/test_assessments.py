"""Assessment files: what they accept, every problem with its line and place, and audio judged by its bytes."""

from __future__ import annotations

import json
import struct
import zlib

import pytest

from examdesk.catalogue.definitions import DefinitionError
from examdesk.catalogue.demo import DEMO_ASSESSMENTS_FILE
from examdesk.catalogue.products import assessments
from examdesk.catalogue.products.assessments import audio_kind, parse_data, parse_text

GOOD = """\
assessments:
  - code: T-1
    name: Test assessment
    sections:
      - title: Part 1
        time_limit_minutes: 10
        items:
          - code: A
            kind: single
            prompt: Pick b.
            options: [{id: a, text: A}, {id: b, text: B}]
            key: b
          - code: B
            kind: multiple
            prompt: Pick a and c.
            options: [{id: a, text: A}, {id: b, text: B}, {id: c, text: C}]
            key: [c, a]
            marks: 2
          - {code: C, kind: short_text, prompt: "Colour?", key: [colour, color]}
          - {code: D, kind: numeric, prompt: "Pi?", key: {value: 3.14, tolerance: 0.01}, marks: 1.5}
          - {code: E, kind: short_text, prompt: One word, key: word}
"""


def problems_of(text: str, **kwargs) -> list[str]:
    with pytest.raises(DefinitionError) as caught:
        parse_text(text, **kwargs)
    return caught.value.problems


def test_a_good_file_gives_definitions_with_defaults_and_keys_in_their_stored_shape():
    (definition,) = parse_text(GOOD)
    assert (definition.code, definition.credits_per_candidate, definition.other_platform) == ("T-1", 1, False)
    assert definition.measures == ()
    (section,) = definition.sections
    assert section.time_limit_minutes == 10 and section.audio is None
    keys = {item.code: item.key for item in section.items}
    assert keys == {
        "A": "b",
        "B": ["a", "c"],  # option order, whatever the file's order
        "C": ["colour", "color"],
        "D": {"value": 3.14, "tolerance": 0.01},
        "E": ["word"],  # one accepted answer may be written without a list
    }
    assert [str(item.marks) for item in section.items] == ["1", "2", "1", "1.5", "1"]


def test_json_reads_the_same_as_yaml():
    import yaml

    data = yaml.safe_load(GOOD)
    assert parse_text(json.dumps(data), file_name="t.json") == parse_text(GOOD)


def test_the_demo_file_is_valid():
    definitions = parse_text(DEMO_ASSESSMENTS_FILE.read_text(encoding="utf-8"))
    assert [d.code for d in definitions] == ["RL-Y7", "DICT"]
    reading, listening = definitions[0].sections
    assert (reading.title, reading.time_limit_minutes, len(reading.items)) == ("Reading", 20, 6)
    assert {item.kind for item in reading.items} == {"single", "multiple", "short_text", "numeric"}
    assert (listening.time_limit_minutes, len(listening.items)) == (15, 4)
    assert listening.audio is not None and listening.audio.kind == "wav"
    assert all(item.uses_audio and item.kind == "single" for item in listening.items)
    assert [(m.label, m.kind) for m in definitions[1].measures] == [
        ("Typed dictation", "number"),
        ("Written dictation", "number"),
        ("Evidence of the written dictation", "file"),
        ("Comment", "text"),
    ]


def test_every_problem_is_listed_with_its_line_and_place():
    text = """\
assessments:
  - code: X 1
    name: ""
    credits_per_candidate: 0
    secs: []
    sections:
      - title: Part
        time_limit_minutes: 0
        items:
          - {code: I1, kind: single, prompt: p, options: [{id: a, text: A}, {id: b, text: B}], key: c}
          - {code: I2, kind: single, prompt: p, options: [{id: a, text: A}]}
          - {code: I3, kind: essay, prompt: p, key: a}
          - {code: I4, kind: numeric, prompt: p, key: {value: 1}, marks: 0, uses_audio: true}
    measures:
      - {code: M1, label: Typed, kind: number, min: 40, max: 0}
      - {code: M2, label: Comment, kind: text, max: 3}
      - {code: M3, kind: colour}
"""
    found = problems_of(text)
    expected = [
        "line 2: assessments[0].code: use letters, digits, dots, dashes and underscores only, e.g. READ-Y7.",
        "line 3: assessments[0] (X 1).name: this is required.",
        "line 4: assessments[0] (X 1).credits_per_candidate: 0 is not a whole number from 1 to 100.",
        "line 5: assessments[0] (X 1).secs: unknown key 'secs'; the keys here are code, name, description, "
        "credits_per_candidate, other_platform, sections, measures.",
        "line 8: assessments[0] (X 1).sections[0].time_limit_minutes: 0 is not a whole number from 1 to 600.",
        "line 10: assessments[0] (X 1).sections[0].items[0] (I1).key: 'c' is not one of the option ids (a, b).",
        "line 11: assessments[0] (X 1).sections[0].items[1] (I2).options: a choice item needs at least two options.",
        "line 11: assessments[0] (X 1).sections[0].items[1] (I2).key: the key (the right answer) is required.",
        "line 12: assessments[0] (X 1).sections[0].items[2] (I3).kind: 'essay' is not one of single, multiple, "
        "short_text, numeric.",
        "line 13: assessments[0] (X 1).sections[0].items[3] (I4).marks: must be greater than 0.",
        "line 13: assessments[0] (X 1).sections[0].items[3] (I4).uses_audio: this item uses audio, but its section "
        "has none: add `audio` to the section.",
        "line 15: assessments[0] (X 1).measures[0] (M1).max: must be greater than min (40).",
        "line 16: assessments[0] (X 1).measures[1] (M2).max: only number measures have a max; this one is text.",
        "line 17: assessments[0] (X 1).measures[2] (M3).label: this is required.",
        "line 17: assessments[0] (X 1).measures[2] (M3).kind: 'colour' is not one of number, file, text.",
    ]
    assert sorted(found) == sorted(expected)


def test_item_codes_are_unique_across_the_sections_of_an_assessment():
    text = (
        GOOD
        + """\
      - title: Part 2
        items:
          - {code: C, kind: short_text, prompt: Again, key: [x]}
"""
    )
    assert problems_of(text) == [
        "line 24: assessments[0] (T-1).sections[1].items[0] (C).code: the item code 'C' is used more than once in "
        "this assessment (also sections[0].items[2])."
    ]


def item_problems(item: dict) -> list[str]:
    data = {"assessments": [{"code": "T", "name": "T", "sections": [{"title": "S", "items": [item]}]}]}
    with pytest.raises(DefinitionError) as caught:
        parse_data(data)
    return [problem.split(": ", 1)[1] for problem in caught.value.problems]


CHOICES = [{"id": "a", "text": "A"}, {"id": "b", "text": "B"}, {"id": "c", "text": "C"}]


@pytest.mark.parametrize(
    ("item", "message"),
    [
        ({"kind": "single", "options": CHOICES, "key": ["a"]}, "a single choice key is one option id, not a list."),
        ({"kind": "single", "options": CHOICES, "key": "z"}, "'z' is not one of the option ids (a, b, c)."),
        ({"kind": "multiple", "options": CHOICES, "key": []}, "the key (the right answer) is required."),
        ({"kind": "multiple", "options": CHOICES, "key": "a"}, "a multiple choice key is a list of option ids, e.g. "
         "[a, c], not 'a'."),
        ({"kind": "multiple", "options": CHOICES, "key": ["a", "z"]}, "'z': not among the option ids (a, b, c)."),
        ({"kind": "multiple", "options": CHOICES, "key": ["a", "a"]}, "an option id appears more than once in the "
         "key."),
        ({"kind": "short_text", "key": []}, "the key (the right answer) is required."),
        ({"kind": "short_text", "key": ["ok", " "]}, "each accepted answer is a piece of text, not ' '."),
        ({"kind": "numeric", "key": 3}, "a numeric key is {value: ..., tolerance: ...}, not 3."),
        ({"kind": "numeric", "key": {"value": 3, "tolerance": -0.5}}, "must be 0 or more."),
        ({"kind": "numeric", "key": {"tolerance": 1}}, "a number is required."),
        ({"kind": "numeric", "key": {"value": 3, "tolerence": 1}}, "unknown key 'tolerence'; the keys here are "
         "value, tolerance."),
        ({"kind": "short_text", "key": ["x"], "options": CHOICES}, "only single and multiple choice items have "
         "options, not short_text items."),
        ({"kind": "single", "options": [{"id": "a", "text": "A"}, {"id": "a", "text": "B"}], "key": "a"},
         "the id 'a' is used more than once (also options[0])."),
        ({"kind": "single", "key": "a"}, "expected a list with at least one item."),
        ({"kind": "short_text", "key": ["x"], "marks": -1}, "must be greater than 0."),
    ],
)  # fmt: skip
def test_bad_keys_and_options_per_kind(item, message):
    assert message in item_problems({"code": "I", "prompt": "p", **item})


def test_nothing_but_a_mapping_with_a_list_of_assessments_is_a_file():
    assert problems_of("- a\n- b\n") == ["file: expected a mapping of names to values."]
    assert problems_of("assessments: []\n") == ["line 1: assessments: expected a list with at least one item."]
    assert problems_of("assessments: [\n")[0].startswith("The file is not valid JSON or YAML")
    assert "aliases" in problems_of("a: &x [1]\nassessments: *x\n")[0]


# --- Audio ----------------------------------------------------------------------------------------------------------


def png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0\0")) + chunk(b"IEND", b"")


def test_audio_is_told_by_its_bytes():
    assert audio_kind(assessments.tone_440()) == "wav"
    assert audio_kind(assessments.listening_beeps()) == "wav"
    assert audio_kind(b"ID3\x04\x00" + b"\0" * 20) == "mp3"
    assert audio_kind(bytes([0xFF, 0xFB, 0x90, 0x64]) + b"\0" * 20) == "mp3"  # MPEG-1 layer III frame
    assert audio_kind(b"OggS\x00\x02" + b"\0" * 20) == "ogg"
    assert audio_kind(b"Hello, this is a text file renamed to .mp3\n") is None
    assert audio_kind(png()) is None
    assert audio_kind(b"RIFF\x00\x00\x00\x00AVI LIST") is None  # RIFF, but a video
    assert audio_kind(bytes([0xFF, 0xF1, 0x50, 0x80])) is None  # AAC (layer bits 00), not MP3
    assert audio_kind(b"") is None


def test_the_generated_wav_is_a_real_recording():
    import io
    import wave

    with wave.open(io.BytesIO(assessments.tone_440())) as recording:
        assert recording.getnchannels() == 1 and recording.getframerate() == 8000
        assert recording.getnframes() / recording.getframerate() == 3.0
    assert assessments.listening_beeps() == assessments.listening_beeps()  # the same bytes every time


def audio_file(audio: str) -> str:
    return f"""\
assessments:
  - code: AUD
    name: Audio test
    sections:
      - title: Listening
        audio: {audio}
        items:
          - {{code: L1, kind: short_text, prompt: p, key: [x], uses_audio: true}}
"""


def test_audio_next_to_the_file_is_read_and_checked(tmp_path):
    (tmp_path / "good.wav").write_bytes(assessments.tone_440())
    (tmp_path / "text.mp3").write_text("not audio at all")
    (tmp_path / "picture.ogg").write_bytes(png())
    (tmp_path / "empty.mp3").write_bytes(b"")
    (definition,) = parse_text(audio_file("good.wav"), base_dir=tmp_path)
    audio = definition.sections[0].audio
    assert audio is not None and audio.kind == "wav" and audio.data == assessments.tone_440()
    assert audio.storage_name("AUD", 1) == f"assessments/AUD/1-{audio.sha256[:12]}.wav"
    for name, message in [
        ("text.mp3", "'text.mp3' is not WAV, MP3 or Ogg audio (judged by its content, not its name); convert it "
         "to MP3."),
        ("picture.ogg", "'picture.ogg' is not WAV, MP3 or Ogg audio"),
        ("empty.mp3", "'empty.mp3' is empty."),
        ("missing.mp3", "there is no audio file 'missing.mp3' next to the assessment file."),
        ("/etc/passwd", "'/etc/passwd': give the audio's path relative to the assessment file."),
        ("bundled:nothing", "there is no bundled audio 'nothing'; use one of bundled:tone-440, "
         "bundled:listening-beeps."),
    ]:  # fmt: skip
        (problem,) = problems_of(audio_file(name), base_dir=tmp_path)
        assert problem.startswith("line 6: assessments[0] (AUD).sections[0].audio: " + message)


def test_audio_larger_than_20_mb_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(assessments, "MAX_AUDIO_BYTES", 1000)
    (tmp_path / "long.wav").write_bytes(assessments.tone_440())
    (problem,) = problems_of(audio_file("long.wav"), base_dir=tmp_path)
    assert "'long.wav' is larger than 20 MB" in problem


def test_an_upload_may_name_bundled_audio_only():
    (definition,) = parse_text(audio_file("bundled:listening-beeps"))
    audio = definition.sections[0].audio
    assert audio is not None and audio.bundled_name == "listening-beeps"
    assert audio.storage_name("AUD", 2).startswith("assessments/AUD/2-bundled-listening-beeps-")
    (problem,) = problems_of(audio_file("listening.mp3"))
    assert "an upload in the browser cannot carry audio files" in problem
    assert "examdesk load_assessment FILE" in problem
