"""The demo catalogue: the demo qualifications, two series and their release times, and the demo assessments.
Running it again changes nothing (no writes, no audit events) once the catalogue is as described."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from examdesk.catalogue.definitions import QualificationDefinition, parse_data, parse_text
from examdesk.catalogue.models import Product, Qualification, Release, Series
from examdesk.catalogue.products import assessments
from examdesk.catalogue.products.services import assessments_load
from examdesk.catalogue.selectors import qualification_data
from examdesk.catalogue.services import qualifications_load, series_releases_schedule, series_save
from examdesk.centres.models import Board

DEMO_FILE = Path(__file__).resolve().parent / "data" / "demo_qualifications.yaml"
DEMO_ASSESSMENTS_FILE = Path(__file__).resolve().parent / "data" / "demo_assessments.yaml"

#: code, name, first exam day, release time (board's wall clock): June results are out by the demo's
#: 22 November 2026; November results come in January 2027.
DEMO_SERIES = [
    ("2026-06", "June 2026", date(2026, 5, 4), (2026, 8, 13, 8, 0)),
    ("2026-11", "November 2026", date(2026, 11, 2), (2027, 1, 14, 8, 0)),
]


def _as_defined(qualification: Qualification) -> QualificationDefinition:
    return parse_data({"qualifications": [qualification_data(qualification)]})[0]


def load_demo_catalogue(board: Board) -> dict[str, Any]:
    """Load the demo qualifications, series "June 2026" and "November 2026" and their release times.

    Returns {"qualifications": {code: Qualification}, "series": {code: Series}}.
    """
    definitions = parse_text(DEMO_FILE.read_text(encoding="utf-8"), file_name=DEMO_FILE.name)
    saved = {q.code: q for q in Qualification.objects.filter(board=board, code__in=[d.code for d in definitions])}
    changed = [d for d in definitions if d.code not in saved or _as_defined(saved[d.code]) != d]
    if changed:
        qualifications_load(board=board, definitions=changed)
    qualifications = {
        q.code: q for q in Qualification.objects.filter(board=board, code__in=[d.code for d in definitions])
    }
    zone = ZoneInfo(board.time_zone)
    series: dict[str, Series] = {}
    for code, name, starts_on, release_wall_clock in DEMO_SERIES:
        found = Series.objects.filter(board=board, code=code).first()
        if found is None or found.name != name or found.starts_on != starts_on:
            found = series_save(board=board, code=code, name=name, starts_on=starts_on)
        series[code] = found
        release_at = datetime(*release_wall_clock, tzinfo=zone)
        times = dict(Release.objects.filter(series=found).values_list("qualification_id", "released_at"))
        wanted = {q: release_at for q in qualifications.values() if times.get(q.pk) != release_at}
        if wanted:
            series_releases_schedule(series=found, released_at=wanted)
    return {"qualifications": qualifications, "series": series}


def load_demo_assessments(board: Board) -> dict[str, Product]:
    """Load the demo assessments: "Reading and Listening Check, Year 7" (RL-Y7, with generated listening audio)
    and "Dictation and Spelling Assessment" (DICT, with extra measures). Returns {code: Product}.

    Running it again writes nothing (no rows, no files, no audit events) while the products are as the file says.
    """
    text = DEMO_ASSESSMENTS_FILE.read_text(encoding="utf-8")
    definitions = assessments.parse_text(text, file_name=DEMO_ASSESSMENTS_FILE.name)
    return {loaded.product.code: loaded.product for loaded in assessments_load(board=board, definitions=definitions)}
