"""Grading proof: every band boundary of every demo qualification, rounding at the .5 edges, absent and exempt
components, and properties over random score sets (the overall stays on the scale; more marks never lower a grade).
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from examdesk.catalogue.definitions import BandDefinition, ComponentDefinition, QualificationDefinition, parse_text
from examdesk.catalogue.grading import (
    ComponentScore,
    ComponentState,
    GradingError,
    band_for,
    grade,
    overall_score,
    round_score,
)
from examdesk.catalogue.models import Qualification
from examdesk.catalogue.tests.factories import DEMO_FILE, demo_qualifications
from examdesk.core.tests.factories import BoardFactory

DEMO = {d.code: d for d in parse_text(DEMO_FILE.read_text(encoding="utf-8"), file_name=DEMO_FILE.name)}

SCORED, ABSENT, EXEMPT = ComponentState.SCORED, ComponentState.ABSENT, ComponentState.EXEMPT

# For each demo qualification, each boundary score (a band's lowest score, one step below it, the top of the
# scale) with the grade, result label and CEFR level the published bands give it. Written out by hand from the
# bands, not computed, so a mistake in the grading code cannot hide in the expectation.
BOUNDARIES: dict[str, list[tuple[int, str, str, str]]] = {
    "FCE": [
        (190, "A", "Pass at Grade A", "C1"),
        (180, "A", "Pass at Grade A", "C1"),
        (179, "B", "Pass at Grade B", "B2"),
        (173, "B", "Pass at Grade B", "B2"),
        (172, "C", "Pass at Grade C", "B2"),
        (160, "C", "Pass at Grade C", "B2"),
        (159, "", "Level B1", "B1"),
        (140, "", "Level B1", "B1"),
        (139, "", "No certificate", ""),
        (122, "", "No certificate", ""),
    ],
    "KET": [
        (150, "A", "Pass with Distinction", "B1"),
        (140, "A", "Pass with Distinction", "B1"),
        (139, "B", "Pass with Merit", "A2"),
        (133, "B", "Pass with Merit", "A2"),
        (132, "C", "Pass", "A2"),
        (120, "C", "Pass", "A2"),
        (119, "", "Level A1", "A1"),
        (100, "", "Level A1", "A1"),
    ],
    "0580": [
        (200, "A*", "Grade A*", ""),
        (170, "A*", "Grade A*", ""),
        (169, "A", "Grade A", ""),
        (150, "A", "Grade A", ""),
        (149, "B", "Grade B", ""),
        (130, "B", "Grade B", ""),
        (129, "C", "Grade C", ""),
        (110, "C", "Grade C", ""),
        (109, "D", "Grade D", ""),
        (90, "D", "Grade D", ""),
        (89, "E", "Grade E", ""),
        (70, "E", "Grade E", ""),
        (69, "U", "Ungraded", ""),
        (0, "U", "Ungraded", ""),
    ],
    "YLE-MOV": [
        (15, "", "Shields awarded", "A1"),
        (3, "", "Shields awarded", "A1"),
    ],
}
NO_CERTIFICATE = {("FCE", "No certificate"), ("KET", "Level A1"), ("0580", "Ungraded")}


def scores_for(definition: QualificationDefinition, target: Decimal) -> dict[str, ComponentScore]:
    """Component scores whose overall score is exactly `target`."""
    if definition.aggregation in ("mean", "weighted_mean"):
        return {c.code: ComponentScore(SCORED, target) for c in definition.components}
    remaining = target - sum(c.min_score for c in definition.components)
    scores = {}
    for component in definition.components:
        extra = min(remaining, component.max_score - component.min_score)
        scores[component.code] = ComponentScore(SCORED, component.min_score + extra)
        remaining -= extra
    assert remaining == 0
    return scores


def grade_of(definition: QualificationDefinition, scores: dict[str, ComponentScore]):
    return grade(
        aggregation=definition.aggregation,
        rounding=definition.rounding,
        decimals=definition.decimals,
        components=definition.components,
        bands=definition.bands,
        scores=scores,
    )


def test_the_boundary_table_covers_every_band_of_every_demo_qualification():
    assert set(BOUNDARIES) == set(DEMO)
    for code, definition in DEMO.items():
        step = Decimal(1).scaleb(-definition.decimals)
        wanted = {definition.overall_max}
        for band in definition.bands:
            wanted.add(band.min_score)
            if band.min_score - step >= definition.overall_min:
                wanted.add(band.min_score - step)
        assert {Decimal(score) for score, *_ in BOUNDARIES[code]} == wanted, code


@pytest.mark.parametrize(
    ("code", "score", "grade_", "label", "cefr"),
    [(code, *row) for code, rows in BOUNDARIES.items() for row in rows],
)
def test_every_band_boundary_of_the_demo_qualifications(code, score, grade_, label, cefr):
    definition = DEMO[code]
    graded = grade_of(definition, scores_for(definition, Decimal(score)))
    assert graded.overall_score == score
    assert (graded.grade, graded.label, graded.cefr_level) == (grade_, label, cefr)
    assert graded.awards_certificate is ((code, label) not in NO_CERTIFICATE)


@pytest.mark.django_db
def test_the_saved_qualifications_grade_as_the_file_says():
    """The rules read back from the database (as results are graded) give the same boundaries."""
    saved = demo_qualifications(BoardFactory(), DEMO_FILE)
    for code, rows in BOUNDARIES.items():
        qualification: Qualification = saved[code]
        components, bands = list(qualification.components.all()), list(qualification.bands.all())
        for score, grade_, label, cefr in rows:
            graded = grade(
                aggregation=qualification.aggregation,
                rounding=qualification.rounding,
                decimals=qualification.decimals,
                components=components,
                bands=bands,
                scores=scores_for(DEMO[code], Decimal(score)),
            )
            assert (graded.overall_score, graded.grade, graded.label, graded.cefr_level) == (score, grade_, label, cefr)


def test_a_mean_between_components_is_rounded_by_the_qualifications_rule():
    fce = DEMO["FCE"]
    scores = {"RD": 165, "UE": 170, "WR": 158, "LI": 181, "SP": 176}  # mean 170
    graded = grade_of(fce, {k: ComponentScore(SCORED, Decimal(v)) for k, v in scores.items()})
    assert (graded.overall_score, graded.grade) == (170, "C")
    scores = {"RD": 172, "UE": 173, "WR": 173, "LI": 173, "SP": 173}  # mean 172.8 → 173: grade B
    graded = grade_of(fce, {k: ComponentScore(SCORED, Decimal(v)) for k, v in scores.items()})
    assert (graded.overall_score, graded.grade) == (173, "B")


def test_ket_weights_reading_and_writing_twice():
    ket = DEMO["KET"]
    scores = {"RW": ComponentScore(SCORED, Decimal(150)), "LI": ComponentScore(SCORED, Decimal(110))}
    scores["SP"] = ComponentScore(SCORED, Decimal(110))
    assert grade_of(ket, scores).overall_score == 130  # (2·150 + 110 + 110) / 4


# --- Rounding ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "rounding", "decimals", "expected"),
    [
        ("180.5", "half_up", 0, "181"),
        ("180.49", "half_up", 0, "180"),
        ("180.5", "down", 0, "180"),
        ("180.99", "down", 0, "180"),
        ("180.5", "up", 0, "181"),
        ("180.01", "up", 0, "181"),
        ("180", "up", 0, "180"),
        ("180", "down", 0, "180"),
        ("180.45", "half_up", 1, "180.5"),
        ("180.44", "half_up", 1, "180.4"),
        ("180.45", "down", 1, "180.4"),
        ("180.41", "up", 1, "180.5"),
        ("180.4", "up", 1, "180.4"),
        ("180.445", "half_up", 2, "180.45"),
    ],
)
def test_round_score(value, rounding, decimals, expected):
    result = round_score(Decimal(value), rounding=rounding, decimals=decimals)
    assert result == Decimal(expected)
    assert result.as_tuple().exponent == -decimals


def _two_papers(rounding: str, decimals: int) -> dict:
    components = tuple(ComponentDefinition(code, code, Decimal(0), Decimal(100), Decimal(1)) for code in ("P1", "P2"))
    return {"aggregation": "mean", "rounding": rounding, "decimals": decimals, "components": components}


@pytest.mark.parametrize(
    ("p1", "p2", "rounding", "decimals", "expected"),
    [
        ("50", "51", "half_up", 0, "51"),  # 50.5
        ("50", "51", "down", 0, "50"),
        ("50", "51", "up", 0, "51"),
        ("50", "50.98", "half_up", 0, "50"),  # 50.49
        ("50", "50.98", "up", 0, "51"),
        ("50", "50.10", "half_up", 1, "50.1"),  # 50.05
        ("50", "50.10", "down", 1, "50.0"),
        ("50", "50.10", "up", 1, "50.1"),
        ("50", "50.08", "half_up", 1, "50.0"),  # 50.04
        ("50", "50.08", "up", 1, "50.1"),
    ],
)
def test_overall_score_rounds_at_the_half(p1, p2, rounding, decimals, expected):
    scores = {"P1": ComponentScore(SCORED, Decimal(p1)), "P2": ComponentScore(SCORED, Decimal(p2))}
    assert overall_score(**_two_papers(rounding, decimals), scores=scores) == Decimal(expected)


# --- Absent and exempt ------------------------------------------------------------------------------------------


def test_an_absent_component_counts_as_the_lowest_score_of_its_scale():
    fce = DEMO["FCE"]
    scores = {code: ComponentScore(SCORED, Decimal(180)) for code in ("RD", "UE", "WR", "LI")}
    scores["SP"] = ComponentScore(ABSENT)
    graded = grade_of(fce, scores)
    assert graded.overall_score == 168  # (4·180 + 122) / 5 = 168.4
    assert graded.grade == "C"
    mathematics = DEMO["0580"]
    graded = grade_of(mathematics, {"P2": ComponentScore(ABSENT), "P4": ComponentScore(SCORED, Decimal(120))})
    assert (graded.overall_score, graded.grade) == (120, "C")


def test_an_exempt_component_is_left_out_of_a_mean():
    fce = DEMO["FCE"]
    scores = {code: ComponentScore(SCORED, Decimal(180)) for code in ("RD", "UE", "WR", "LI")}
    scores["SP"] = ComponentScore(EXEMPT)
    assert grade_of(fce, scores).overall_score == 180
    ket = DEMO["KET"]
    scores = {"RW": ComponentScore(EXEMPT), "LI": ComponentScore(SCORED, Decimal(140))}
    scores["SP"] = ComponentScore(SCORED, Decimal(120))
    assert grade_of(ket, scores).overall_score == 130  # weights of the others only


def test_an_exempt_component_scales_a_sum_pro_rata():
    mathematics = DEMO["0580"]
    graded = grade_of(mathematics, {"P2": ComponentScore(EXEMPT), "P4": ComponentScore(SCORED, Decimal(104))})
    assert graded.overall_score == 160  # 104 of 130 is 160 of 200
    graded = grade_of(mathematics, {"P2": ComponentScore(EXEMPT), "P4": ComponentScore(SCORED, Decimal(100))})
    assert graded.overall_score == 153  # 153.85, rounded down as 0580 rounds
    movers = DEMO["YLE-MOV"]
    scores = {"LI": ComponentScore(SCORED, Decimal(5)), "RW": ComponentScore(SCORED, Decimal(4))}
    scores["SP"] = ComponentScore(EXEMPT)
    assert grade_of(movers, scores).overall_score == 14  # 9 of 10 → 13.5 of 15, half up


def test_every_component_exempt_cannot_be_graded():
    with pytest.raises(GradingError, match="Every component is exempt"):
        grade_of(DEMO["FCE"], {c.code: ComponentScore(EXEMPT) for c in DEMO["FCE"].components})


@pytest.mark.parametrize("score", ["121", "190.01", "-1"])
def test_a_score_outside_the_component_scale_is_refused(score):
    scores = {c.code: ComponentScore(SCORED, Decimal(170)) for c in DEMO["FCE"].components}
    scores["WR"] = ComponentScore(SCORED, Decimal(score))
    with pytest.raises(GradingError, match=r"WR: .* is outside the scale 122–190"):
        grade_of(DEMO["FCE"], scores)


def test_a_missing_component_or_a_missing_score_is_refused():
    scores = {c.code: ComponentScore(SCORED, Decimal(180)) for c in DEMO["FCE"].components}
    del scores["LI"]
    with pytest.raises(GradingError, match="LI: no score"):
        grade_of(DEMO["FCE"], scores)
    scores["LI"] = ComponentScore(SCORED, None)
    with pytest.raises(GradingError, match="LI: a score is needed"):
        grade_of(DEMO["FCE"], scores)


def test_a_score_below_every_band_is_refused():
    bands = (BandDefinition(Decimal(50), "P", "Pass", "", True),)
    with pytest.raises(GradingError, match="below every band"):
        band_for(Decimal(49), bands)


def test_component_scores_round_trip_through_json():
    value = ComponentScore(SCORED, Decimal("185.50"))
    assert value.as_json() == {"state": "scored", "score": "185.5"}
    assert ComponentScore.from_json(value.as_json()) == ComponentScore(SCORED, Decimal("185.5"))
    assert ComponentScore.from_json(ComponentScore(ABSENT).as_json()) == ComponentScore(ABSENT)


# --- Properties -------------------------------------------------------------------------------------------------


@st.composite
def score_sets(draw: st.DrawFn, definition: QualificationDefinition) -> dict[str, ComponentScore]:
    """Any mix of scored (on the scale, in hundredths), absent and exempt, with at least one not exempt."""
    scores = {}
    for component in definition.components:
        state = draw(st.sampled_from([SCORED, SCORED, SCORED, ABSENT, EXEMPT]))
        if state is SCORED:
            low, high = int(component.min_score * 100), int(component.max_score * 100)
            scores[component.code] = ComponentScore(SCORED, Decimal(draw(st.integers(low, high))) / 100)
        else:
            scores[component.code] = ComponentScore(state)
    if all(value.state is EXEMPT for value in scores.values()):
        first = definition.components[0]
        scores[first.code] = ComponentScore(ABSENT)
    return scores


def _rank(definition: QualificationDefinition, score: Decimal) -> Decimal:
    return band_for(score, definition.bands).min_score


@pytest.mark.parametrize("code", sorted(DEMO))
@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_the_overall_score_is_always_on_the_scale_and_gets_a_band(code, data):
    definition = DEMO[code]
    scores = data.draw(score_sets(definition))
    graded = grade_of(definition, scores)
    assert definition.overall_min <= graded.overall_score <= definition.overall_max
    assert graded.overall_score.as_tuple().exponent == -definition.decimals
    assert graded.label in {band.label for band in definition.bands}


@pytest.mark.parametrize("code", sorted(DEMO))
@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_more_marks_never_lower_the_overall_score_or_the_grade(code, data):
    definition = DEMO[code]
    scores = data.draw(score_sets(definition))
    component = data.draw(st.sampled_from(definition.components))
    before = scores[component.code]
    if before.state is EXEMPT:
        return
    low = component.min_score if before.state is ABSENT else before.score
    assert low is not None
    higher = Decimal(data.draw(st.integers(int(low * 100), int(component.max_score * 100)))) / 100
    raised = {**scores, component.code: ComponentScore(SCORED, higher)}
    first, second = grade_of(definition, scores), grade_of(definition, raised)
    assert second.overall_score >= first.overall_score
    assert _rank(definition, second.overall_score) >= _rank(definition, first.overall_score)


@settings(max_examples=200, deadline=None)
@given(
    value=st.decimals(min_value=-1000, max_value=1000, places=4, allow_nan=False, allow_infinity=False),
    decimals=st.integers(0, 2),
)
def test_rounding_rules_bracket_the_value(value, decimals):
    down = round_score(value, rounding="down", decimals=decimals)
    up = round_score(value, rounding="up", decimals=decimals)
    half = round_score(value, rounding="half_up", decimals=decimals)
    step = Decimal(1).scaleb(-decimals)
    assert down <= value <= up
    assert up - down in (0, step)
    assert half in (down, up)
    assert abs(half - value) <= step / 2
