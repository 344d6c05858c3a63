"""The grading scheme as code over data: overall score from component scores, then grade and CEFR level.

Rules (the README repeats them for centres):
- An *absent* component counts as the lowest score of its scale: the candidate was entered and did not sit it.
- An *exempt* component is left out: the mean (or weighted mean) is taken over the other components, and a sum is
  scaled up in proportion to the maximum marks left out, so an exemption neither helps nor harms.
- The overall score is rounded by the qualification's rule to its number of decimals, then looked up in the bands:
  the band with the highest lower bound at or below the score.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal
from typing import Protocol


class ComponentState(enum.StrEnum):
    SCORED = "scored"
    ABSENT = "absent"
    EXEMPT = "exempt"


@dataclass(frozen=True)
class ComponentScore:
    state: ComponentState
    score: Decimal | None = None

    def as_json(self) -> dict[str, str | None]:
        # Normalised, so "185", "185.0" and "185.00" in different files are the same stored score.
        score = None if self.score is None else format(self.score.normalize(), "f")
        return {"state": self.state.value, "score": score}

    @classmethod
    def from_json(cls, value: Mapping[str, str | None]) -> ComponentScore:
        score = value.get("score")
        return cls(state=ComponentState(str(value["state"])), score=None if score is None else Decimal(score))


class ComponentRule(Protocol):
    code: str
    min_score: Decimal
    max_score: Decimal
    weight: Decimal


class BandRule(Protocol):
    min_score: Decimal
    grade: str
    label: str
    cefr_level: str
    awards_certificate: bool


class GradingError(ValueError):
    """A score set that the qualification's rules cannot grade; the message is for the person who sent it."""


@dataclass(frozen=True)
class Graded:
    overall_score: Decimal
    grade: str
    label: str
    cefr_level: str
    awards_certificate: bool


_ROUNDING = {"half_up": ROUND_HALF_UP, "down": ROUND_FLOOR, "up": ROUND_CEILING}


def round_score(value: Decimal, *, rounding: str, decimals: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-decimals), rounding=_ROUNDING[rounding])


def check_component_score(component: ComponentRule, value: ComponentScore) -> None:
    if value.state is ComponentState.SCORED:
        if value.score is None:
            raise GradingError(f"{component.code}: a score is needed.")
        if not component.min_score <= value.score <= component.max_score:
            raise GradingError(
                f"{component.code}: {value.score} is outside the scale {component.min_score:g}–{component.max_score:g}."
            )


def overall_score(
    *,
    aggregation: str,
    rounding: str,
    decimals: int,
    components: Sequence[ComponentRule],
    scores: Mapping[str, ComponentScore],
) -> Decimal:
    """The rounded overall score. Every component must have an entry in `scores`."""
    counted: list[tuple[ComponentRule, Decimal]] = []
    exempt_max = Decimal(0)
    for component in components:
        value = scores.get(component.code)
        if value is None:
            raise GradingError(f"{component.code}: no score, 'absent' or 'exempt' given.")
        check_component_score(component, value)
        if value.state is ComponentState.EXEMPT:
            exempt_max += component.max_score
        elif value.state is ComponentState.ABSENT:
            counted.append((component, component.min_score))
        else:
            assert value.score is not None
            counted.append((component, value.score))
    if not counted:
        raise GradingError("Every component is exempt: there is nothing to grade.")
    if aggregation == "sum":
        total = sum((score for _, score in counted), Decimal(0))
        if exempt_max:
            counted_max = sum((c.max_score for c, _ in counted), Decimal(0))
            total = total * (counted_max + exempt_max) / counted_max
        raw = total
    elif aggregation == "weighted_mean":
        weights = sum((c.weight for c, _ in counted), Decimal(0))
        if not weights:
            raise GradingError("The components that count all have weight 0.")
        raw = sum((c.weight * score for c, score in counted), Decimal(0)) / weights
    else:
        raw = sum((score for _, score in counted), Decimal(0)) / len(counted)
    return round_score(raw, rounding=rounding, decimals=decimals)


def band_for(score: Decimal, bands: Sequence[BandRule]) -> BandRule:
    ordered = sorted(bands, key=lambda band: band.min_score, reverse=True)
    for band in ordered:
        if score >= band.min_score:
            return band
    raise GradingError(f"The overall score {score} is below every band of the grading scheme.")


def grade(
    *,
    aggregation: str,
    rounding: str,
    decimals: int,
    components: Sequence[ComponentRule],
    bands: Sequence[BandRule],
    scores: Mapping[str, ComponentScore],
) -> Graded:
    score = overall_score(
        aggregation=aggregation, rounding=rounding, decimals=decimals, components=components, scores=scores
    )
    band = band_for(score, bands)
    return Graded(
        overall_score=score,
        grade=band.grade,
        label=band.label,
        cefr_level=band.cefr_level,
        awards_certificate=band.awards_certificate,
    )
