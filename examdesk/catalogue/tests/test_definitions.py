"""Qualification files: good YAML and JSON read alike; every kind of problem is reported with its place."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
import yaml

from examdesk.catalogue.definitions import DefinitionError, parse_data, parse_text
from examdesk.catalogue.tests.factories import DEMO_FILE

GOOD_YAML = """\
qualifications:
  - code: PET
    name: B1 Preliminary
    family: Cambridge English
    overall: {aggregation: mean, rounding: half_up, decimals: 0, min: 102, max: 170}
    components:
      - {code: RD, name: Reading, min: 102, max: 170}
      - {code: WR, name: Writing, min: 102, max: 170}
    bands:
      - {min: 160, grade: A, label: Pass with Distinction, cefr: B2}
      - {min: 140, grade: C, label: Pass, cefr: B1}
      - {min: 102, label: No certificate, certificate: false}
"""


def good() -> dict:
    return yaml.safe_load(GOOD_YAML)


def problems_of(data: object) -> list[str]:
    with pytest.raises(DefinitionError) as caught:
        parse_data(data)
    return caught.value.problems


def problems_in(text: str, file_name: str = "q.yaml") -> list[str]:
    with pytest.raises(DefinitionError) as caught:
        parse_text(text, file_name=file_name)
    return caught.value.problems


def test_yaml_and_json_give_the_same_definitions_with_defaults_filled_in():
    from_yaml = parse_text(GOOD_YAML, file_name="pet.yaml")
    from_json = parse_text(json.dumps(good()), file_name="pet.json")
    assert from_yaml == from_json
    (pet,) = from_yaml
    assert pet.code == "PET" and pet.results_online is True
    assert pet.overall_min == Decimal(102) and pet.decimals == 0
    assert [c.weight for c in pet.components] == [Decimal(1), Decimal(1)]
    assert [b.awards_certificate for b in pet.bands] == [True, True, False]
    assert pet.bands[2].grade == "" and pet.bands[2].cefr_level == ""


def test_the_defaults_of_the_overall_rule():
    data = good()
    data["qualifications"][0]["overall"] = {"min": 102, "max": 170}
    (pet,) = parse_data(data)
    assert (pet.aggregation, pet.rounding, pet.decimals) == ("mean", "half_up", 0)


def test_json_is_recognised_by_its_first_character_too():
    assert parse_text(json.dumps(good()))[0].code == "PET"


def test_a_byte_order_mark_is_ignored():
    assert parse_text("\ufeff" + GOOD_YAML)[0].code == "PET"


def test_the_demo_file_loads():
    codes = [d.code for d in parse_text(DEMO_FILE.read_text(encoding="utf-8"), file_name=DEMO_FILE.name)]
    assert codes == ["FCE", "KET", "0580", "YLE-MOV"]


def test_every_problem_is_reported_at_once_with_its_line_and_place():
    text = GOOD_YAML.replace("max: 170}\n      - {code: WR", "max: 100}\n      - {code: RD").replace(
        "min: 140, grade: C", "min: 140, grade: TOOLONGGRADE"
    )
    assert problems_in(text) == [
        "line 7: qualifications[0] (PET).components[0] (RD).max: must be greater than the min score (102).",
        "line 8: qualifications[0] (PET).components[1] (RD).code: the code 'RD' is used more than once "
        "(also components[0]).",
        "line 11: qualifications[0] (PET).bands[1].grade: at most 10 characters.",
    ]


def test_places_in_json_files_have_lines_too():
    text = json.dumps(good(), indent=2).replace('"max": 170', '"max": "many"', 1)
    (problem,) = problems_in(text, "q.json")
    assert problem.startswith("line ")
    assert problem.endswith("qualifications[0] (PET).overall.max: 'many' is not a number.")


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda q: q.pop("name"), "qualifications[0] (PET).name: this is required."),
        (lambda q: q.update(name="   "), "qualifications[0] (PET).name: this is required."),
        (lambda q: q.update(code="X" * 21), "qualifications[0].code: at most 20 characters."),
        (lambda q: q.update(family=["a"]), "qualifications[0] (PET).family: expected text, not a list."),
        (lambda q: q.update(results_online="yes"), "qualifications[0] (PET).results_online: use true or false."),
        (lambda q: q["overall"].update(aggregation="median"),
         "qualifications[0] (PET).overall.aggregation: 'median' is not one of mean, weighted_mean, sum."),
        (lambda q: q["overall"].update(rounding="bankers"),
         "qualifications[0] (PET).overall.rounding: 'bankers' is not one of half_up, down, up."),
        (lambda q: q["overall"].update(decimals=3), "qualifications[0] (PET).overall.decimals: use 0, 1 or 2."),
        (lambda q: q["overall"].update(decimals="1"), "qualifications[0] (PET).overall.decimals: use 0, 1 or 2."),
        (lambda q: q["overall"].pop("min"), "qualifications[0] (PET).overall.min: a number is required."),
        (lambda q: q["overall"].update(max=True), "qualifications[0] (PET).overall.max: True is not a number."),
        (lambda q: q["overall"].update(max=100),
         "qualifications[0] (PET).overall.max: must be greater than overall.min (102)."),
        (lambda q: q.update(overall=[1]), "qualifications[0] (PET).overall: expected a mapping of names to values."),
        (lambda q: q.update(components=[]),
         "qualifications[0] (PET).components: expected a list with at least one item."),
        (lambda q: q.update(components=["RD"]),
         "qualifications[0] (PET).components[0]: expected a mapping of names to values."),
        (lambda q: q["components"][1].update(max=102),
         "qualifications[0] (PET).components[1] (WR).max: must be greater than the min score (102)."),
        (lambda q: q["components"][1].update(max="170.123"),
         "qualifications[0] (PET).components[1] (WR).max: '170.123' has more than 2 decimal places."),
        (lambda q: q["components"][1].update(max=1000000),
         "qualifications[0] (PET).components[1] (WR).max: 1000000 is too large; use a number from -99999.99 to "
         "99999.99."),
        (lambda q: q["components"][1].update(weight=-1),
         "qualifications[0] (PET).components[1] (WR).weight: must not be negative."),
        (lambda q: q["components"][1].update(max=float("nan")),
         "qualifications[0] (PET).components[1] (WR).max: nan is not a number."),
        (lambda q: q["bands"][2].update(min=103),
         "qualifications[0] (PET).bands[2].min: the lowest band starts at 103, above the lowest overall score 102; "
         "add a band (e.g. 'No certificate') from 102."),
        (lambda q: q["bands"][1].update(min=160), "qualifications[0] (PET).bands[1].min: two bands start at 160 "
         "(also bands[0])."),
        (lambda q: q["bands"][0].update(min=171),
         "qualifications[0] (PET).bands[0].min: 171 is outside the overall scale 102 to 170."),
        (lambda q: q["bands"][0].pop("label"), "qualifications[0] (PET).bands[0].label: this is required."),
        (lambda q: q["bands"][2].update(certificate="no"),
         "qualifications[0] (PET).bands[2].certificate: use true or false."),
        (lambda q: q["components"][0].update(min=0),
         "qualifications[0] (PET).overall: the components give overall scores from 51 to 170, outside the "
         "overall scale 102 to 170."),
        (lambda q: (q["overall"].update(aggregation="weighted_mean"), [c.update(weight=0) for c in q["components"]]),
         "qualifications[0] (PET).components: a weighted mean needs at least one component with a weight above 0."),
    ],
)  # fmt: skip
def test_each_kind_of_problem_names_its_place(change, problem):
    data = good()
    change(data["qualifications"][0])
    assert problem in problems_of(data)


def test_duplicate_qualification_codes_are_refused():
    data = good()
    data["qualifications"].append(good()["qualifications"][0])
    assert problems_of(data) == [
        "qualifications[1] (PET).code: the code 'PET' is used more than once (also qualifications[0])."
    ]


def test_bands_must_reach_the_bottom_of_the_scale():
    data = good()
    data["qualifications"][0]["bands"].pop()
    assert problems_of(data) == [
        "qualifications[0] (PET).bands[1].min: the lowest band starts at 140, above the lowest overall score 102; "
        "add a band (e.g. 'No certificate') from 102."
    ]


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        ([], "file: expected a mapping of names to values."),
        ({}, "qualifications: expected a list with at least one item."),
        ({"qualifications": {"code": "X"}}, "qualifications: expected a list with at least one item."),
        (None, "file: expected a mapping of names to values."),
    ],
)
def test_the_shape_of_the_file(data, problem):
    assert problems_of(data) == [problem]


def test_text_that_is_not_json_or_yaml_is_refused_with_its_position():
    (problem,) = problems_in("qualifications:\n  - code: [unclosed\n")
    assert problem.startswith("The file is not valid JSON or YAML:")
    assert "line 3" in problem
    (problem,) = problems_in('{"qualifications": [}', "q.json")
    assert "line 1 column 21" in problem


def test_yaml_aliases_are_refused():
    text = "base: &scale {min: 0, max: 100}\nqualifications:\n  - overall: *scale\n"
    (problem,) = problems_in(text)
    assert "aliases (*name) are not allowed" in problem


def test_a_deeply_nested_file_is_refused_without_crashing():
    (problem,) = problems_in("[" * 100_000 + "]" * 100_000, "q.json")
    assert problem in ("The file is nested too deeply to be a qualification file.",) or problem.startswith(
        "The file is not valid JSON or YAML"
    )


def test_messages_stay_short_whatever_the_value():
    data = good()
    data["qualifications"][0]["components"][0]["max"] = "9" * 500
    (problem,) = [p for p in problems_of(data) if "components[0]" in p]
    assert len(problem) < 200
