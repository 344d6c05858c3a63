"""The player's hand-over to marking: through the setting, inside the submit's transaction, never an import."""

from __future__ import annotations

import ast
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import time_machine

from examdesk.player import sections as play
from examdesk.player.tests.support import demo_attempt
from examdesk.sittings.models import AttemptSection
from examdesk.sittings.services import attempt_start

pytestmark = pytest.mark.django_db
NOW = datetime(2027, 3, 2, 9, 0, tzinfo=UTC)
received: list[AttemptSection] = []


def record(*, attempt_section: AttemptSection) -> None:
    received.append(attempt_section)


def _started_section():
    with time_machine.travel(NOW, tick=False):
        attempt = attempt_start(attempt=demo_attempt(date(2027, 3, 1), date(2027, 3, 5), date(2027, 12, 31)))
        first = play.current_section(play.attempt_sections(attempt))
        assert first is not None
        play.section_start(attempt=attempt, section_id=first.section_id)
    return attempt, first


def test_a_submitted_section_goes_to_the_receiver_the_setting_names(settings):
    settings.EXAMDESK_SECTION_SUBMITTED = f"{__name__}.record"
    received.clear()
    attempt, first = _started_section()
    with time_machine.travel(NOW, tick=False):
        done = play.section_submit(attempt=attempt, section_id=first.section_id, answers=[])
        again = play.section_submit(attempt=attempt, section_id=first.section_id, answers=[])
    assert [row.pk for row in received] == [done.attempt_section.pk]  # once: a second submit changes nothing
    assert again.already


def test_the_receiver_runs_inside_the_submit_so_its_failure_undoes_the_submit(settings):
    settings.EXAMDESK_SECTION_SUBMITTED = f"{__name__}.refuse"
    attempt, first = _started_section()
    with time_machine.travel(NOW, tick=False), pytest.raises(RuntimeError):
        play.section_submit(attempt=attempt, section_id=first.section_id, answers=[])
    assert AttemptSection.objects.get(pk=first.pk).state == AttemptSection.State.IN_PROGRESS


def refuse(*, attempt_section: AttemptSection) -> None:
    raise RuntimeError("marking is down")


def test_the_product_hands_sections_to_marking():
    from django.conf import settings

    assert settings.EXAMDESK_SECTION_SUBMITTED == "examdesk.marking.services.section_submitted"


def test_the_player_imports_nothing_of_marking():
    package = Path(play.__file__).parent
    for path in package.rglob("*.py"):
        if "tests" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            assert not any(name.startswith("examdesk.marking") for name in names), path
