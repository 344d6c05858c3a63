"""examdesk load_qualifications: loads a file, says what it did, and on problems lists them all and writes nothing."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from examdesk.audit.models import AuditEvent
from examdesk.catalogue.models import Qualification
from examdesk.catalogue.tests.factories import DEMO_FILE
from examdesk.core.tests.factories import BoardFactory

pytestmark = pytest.mark.django_db


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("load_qualifications", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_loading_the_demo_file_creates_then_updates():
    board = BoardFactory()
    out, _ = run(str(DEMO_FILE))
    assert "created  FCE  B2 First" in out
    assert "created  YLE-MOV  A1 Movers" in out
    assert "4 qualifications loaded for Test Board." in out
    assert set(Qualification.objects.filter(board=board).values_list("code", flat=True)) == {
        "FCE",
        "KET",
        "0580",
        "YLE-MOV",
    }
    out, _ = run(str(DEMO_FILE))
    assert "updated  FCE  B2 First" in out
    assert Qualification.objects.count() == 4


def test_a_json_file_loads_too(tmp_path):
    BoardFactory()
    data = {
        "qualifications": [
            {
                "code": "T1",
                "name": "Test",
                "overall": {"min": 0, "max": 10},
                "components": [{"code": "A", "name": "A", "max": 10}],
                "bands": [{"min": 0, "label": "Result"}],
            }
        ]
    }
    path = tmp_path / "one.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    out, _ = run(str(path))
    assert "created  T1  Test" in out


def test_a_file_with_problems_lists_each_with_its_place_fails_and_writes_nothing(tmp_path):
    BoardFactory()
    text = DEMO_FILE.read_text(encoding="utf-8")
    text = text.replace("{code: RD, name: Reading, min: 122, max: 190}", "{code: RD, name: Reading, min: 122, max: 99}")
    text = text.replace("aggregation: sum, rounding: down", "aggregation: total, rounding: down")
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    out = StringIO()
    err = StringIO()
    with pytest.raises(CommandError, match=r"2 problems in .*bad.yaml; nothing was loaded.") as caught:
        call_command("load_qualifications", str(path), stdout=out, stderr=err)
    assert caught.value.returncode == 1  # `examdesk load_qualifications` exits with status 1
    lines = err.getvalue().splitlines()
    assert lines[0].startswith("bad.yaml: line 12: qualifications[0] (FCE).components[0] (RD).max: must be greater")
    assert "qualifications[2] (0580).overall.aggregation: 'total' is not one of mean, weighted_mean, sum." in lines[1]
    assert not Qualification.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.CATALOGUE_CHANGED).exists()


def test_the_board_must_be_named_when_there_are_several():
    BoardFactory(name="First Board")
    second = BoardFactory(name="Second Board")
    with pytest.raises(CommandError, match="There are several boards: name one with --board."):
        run(str(DEMO_FILE))
    with pytest.raises(CommandError, match="No board is named 'Third Board'. Boards: First Board, Second Board."):
        run(str(DEMO_FILE), "--board", "Third Board")
    run(str(DEMO_FILE), "--board", "Second Board")
    assert set(Qualification.objects.values_list("board", flat=True)) == {second.pk}


def test_without_a_board_or_a_file(tmp_path):
    with pytest.raises(CommandError, match="There is no board yet"):
        run(str(DEMO_FILE))
    BoardFactory()
    with pytest.raises(CommandError, match="no such file"):
        run(str(tmp_path / "missing.yaml"))


def test_files_that_are_not_utf8_or_too_large_are_refused(tmp_path):
    BoardFactory()
    latin = tmp_path / "latin.yaml"
    latin.write_bytes("qualifications: é".encode("latin-1"))
    with pytest.raises(CommandError, match="not UTF-8"):
        run(str(latin))
    big = tmp_path / "big.yaml"
    big.write_bytes(b"#" * (1024 * 1024 + 1))
    with pytest.raises(CommandError, match="larger than 1 MB"):
        run(str(big))
