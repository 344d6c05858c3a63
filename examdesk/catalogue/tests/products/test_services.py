"""Loading assessments: created, updated or unchanged; audio kept privately; fixed once sittings exist; the demo
is idempotent; the player's view of a product never holds keys; `examdesk load_assessment` writes all or nothing."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError

from examdesk.audit.models import AuditEvent
from examdesk.catalogue.definitions import DefinitionError
from examdesk.catalogue.demo import DEMO_ASSESSMENTS_FILE, load_demo_assessments
from examdesk.catalogue.models import Item, MeasureDefinition, Product, Section
from examdesk.catalogue.products import assessments, selectors, services
from examdesk.catalogue.products.assessments import parse_data, parse_text
from examdesk.core.tests.factories import BoardFactory, CentreFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_storage(settings, tmp_path):
    """Each test keeps its audio in a folder of its own."""
    folder = tmp_path / "private"
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(folder)}},
    }
    return folder


def catalogue_events() -> int:
    return AuditEvent.objects.filter(action=AuditEvent.Action.CATALOGUE_CHANGED).count()


def demo_definitions():
    return parse_text(DEMO_ASSESSMENTS_FILE.read_text(encoding="utf-8"))


def test_loading_creates_then_leaves_unchanged_then_updates():
    board = BoardFactory()
    loaded = services.assessments_load(board=board, definitions=demo_definitions())
    assert [(r.product.code, r.outcome) for r in loaded] == [("RL-Y7", "created"), ("DICT", "created")]
    reading = Product.objects.get(code="RL-Y7")
    assert reading.sections.count() == 2 and Item.objects.filter(section__product=reading).count() == 10
    assert MeasureDefinition.objects.filter(product__code="DICT").count() == 4
    events = catalogue_events()

    again = services.assessments_load(board=board, definitions=demo_definitions())
    assert [r.outcome for r in again] == ["unchanged", "unchanged"]
    assert catalogue_events() == events

    data = {"assessments": [selectors.assessment_data(reading)]}
    data["assessments"][0]["name"] = "Reading and Listening Check, Year 7 (2026)"
    data["assessments"][0]["sections"][0]["items"][0]["key"] = "a"
    (result,) = services.assessments_load(board=board, definitions=parse_data(data))
    assert result.outcome == "updated"
    reading.refresh_from_db()
    assert reading.name.endswith("(2026)")
    assert Item.objects.get(section__product=reading, code="R1").key == "a"
    assert catalogue_events() == events + 1


def test_audio_is_kept_in_private_storage_once_and_streams_back(private_storage):
    board = BoardFactory()
    services.assessments_load(board=board, definitions=demo_definitions())
    listening = Section.objects.get(product__code="RL-Y7", title="Listening")
    assert listening.audio_path.startswith("assessments/RL-Y7/2-bundled-listening-beeps-")
    assert (private_storage / listening.audio_path).read_bytes() == assessments.listening_beeps()
    handle, content_type = selectors.section_audio(section=listening)
    with handle:
        assert handle.read(4) == b"RIFF"
    assert content_type == "audio/wav"
    assert selectors.audio_reference(section=listening) == "bundled:listening-beeps"


def test_changed_audio_replaces_the_old_file(tmp_path, private_storage, django_capture_on_commit_callbacks):
    board = BoardFactory()
    source = tmp_path / "files"
    source.mkdir()
    text = """\
assessments:
  - code: AUD
    name: Audio
    sections:
      - title: Listening
        audio: recording.wav
        items: [{code: L1, kind: short_text, prompt: p, key: [x], uses_audio: true}]
"""
    (source / "recording.wav").write_bytes(assessments.tone_440())
    with django_capture_on_commit_callbacks(execute=True):
        services.assessments_load(board=board, definitions=parse_text(text, base_dir=source))
    first = Section.objects.get(product__code="AUD").audio_path
    (source / "recording.wav").write_bytes(assessments.listening_beeps())
    with django_capture_on_commit_callbacks(execute=True):
        (result,) = services.assessments_load(board=board, definitions=parse_text(text, base_dir=source))
    second = Section.objects.get(product__code="AUD").audio_path
    assert result.outcome == "updated" and first != second
    assert not (private_storage / first).exists()
    assert (private_storage / second).read_bytes() == assessments.listening_beeps()
    assert selectors.audio_file_name(section=Section.objects.get(product__code="AUD")) == "AUD-section-1.wav"


def test_once_sittings_exist_only_the_name_and_terms_can_change(monkeypatch):
    board = BoardFactory()
    services.assessments_load(board=board, definitions=demo_definitions())
    reading = Product.objects.get(code="RL-Y7")
    monkeypatch.setattr(selectors, "product_has_sittings", lambda product: True)
    data = {"assessments": [selectors.assessment_data(reading)]}
    data["assessments"][0]["credits_per_candidate"] = 2
    (result,) = services.assessments_load(board=board, definitions=parse_data(data))
    assert result.outcome == "updated"
    reading.refresh_from_db()
    assert reading.credits_per_candidate == 2

    items_before = list(Item.objects.filter(section__product=reading).values_list("pk", "key", "marks"))
    data["assessments"][0]["sections"][0]["items"][0]["marks"] = 3
    with pytest.raises(DefinitionError) as caught:
        services.assessments_load(board=board, definitions=parse_data(data))
    assert caught.value.problems == [
        "RL-Y7: sittings exist for this assessment, so its sections, items, keys, marks, audio and measures can no "
        "longer change (answers already given would change meaning). Only its name, description, credits per "
        "candidate and other_platform can. Load the new content under a new code."
    ]
    assert list(Item.objects.filter(section__product=reading).values_list("pk", "key", "marks")) == items_before


def test_sittings_are_looked_up_through_the_sittings_app_when_it_is_installed():
    from django.apps import apps
    from django.utils import timezone

    board = BoardFactory()
    (loaded, _) = services.assessments_load(board=board, definitions=demo_definitions())
    assert selectors.product_has_sittings(loaded.product) is False
    sitting = apps.get_model("sittings", "Sitting")
    moment = timezone.now()
    sitting.objects.create(
        centre=CentreFactory(board=board), product=loaded.product, name="7B", opens_at=moment, closes_at=moment
    )
    assert selectors.product_has_sittings(loaded.product) is True
    data = {"assessments": [selectors.assessment_data(loaded.product)]}
    data["assessments"][0]["sections"][0]["items"][0]["key"] = "a"
    with pytest.raises(DefinitionError, match="sittings exist for this assessment"):
        services.assessments_load(board=board, definitions=parse_data(data))


def test_the_downloaded_file_reads_back_as_the_same_definition():
    board = BoardFactory()
    services.assessments_load(board=board, definitions=demo_definitions())
    for product in Product.objects.all():
        text = yaml.safe_dump({"assessments": [selectors.assessment_data(product)]}, sort_keys=False)
        assert parse_text(text) == [d for d in demo_definitions() if d.code == product.code]


def test_the_player_sees_prompts_and_options_but_never_keys_or_marks():
    board = BoardFactory()
    services.assessments_load(board=board, definitions=demo_definitions())
    sections = selectors.player_sections(product=Product.objects.get(code="RL-Y7"))
    assert [(s.title, s.time_limit_minutes, s.has_audio, len(s.items)) for s in sections] == [
        ("Reading", 20, False, 6),
        ("Listening", 15, True, 4),
    ]
    first = sections[0].items[0]
    assert first.options == (("a", "In the school car park"), ("b", "In a corner of the playground"),
                             ("c", "Behind the sports hall"))  # fmt: skip
    assert not hasattr(first, "key") and not hasattr(first, "marks")


def test_products_offered_and_switched_off():
    board = BoardFactory()
    services.assessments_load(board=board, definitions=demo_definitions())
    dictation = Product.objects.get(code="DICT")
    assert [p.code for p in selectors.products_for_board(board=board)] == ["DICT", "RL-Y7"]
    services.product_set_active(product=dictation, active=False)
    assert [p.code for p in selectors.products_for_board(board=board)] == ["RL-Y7"]
    assert selectors.products_for_board(board=board, active_only=False).count() == 2
    assert AuditEvent.objects.filter(summary="Assessment DICT deactivated").count() == 1
    services.product_set_active(product=dictation, active=False)  # already off: nothing to record
    assert AuditEvent.objects.filter(summary="Assessment DICT deactivated").count() == 1


def row_ids() -> tuple[list[int], list[int], list[int]]:
    return (
        list(Section.objects.values_list("pk", flat=True)),
        list(Item.objects.values_list("pk", flat=True)),
        list(MeasureDefinition.objects.values_list("pk", flat=True)),
    )


def test_the_demo_load_is_idempotent(private_storage):
    board = BoardFactory()
    products = load_demo_assessments(board)
    assert {code: p.name for code, p in products.items()} == {
        "RL-Y7": "Reading and Listening Check, Year 7",
        "DICT": "Dictation and Spelling Assessment",
    }
    rows = (
        list(Item.objects.values_list("pk", flat=True)),
        list(MeasureDefinition.objects.values_list("pk", flat=True)),
    )
    events, files = catalogue_events(), sorted(p.name for p in private_storage.rglob("*") if p.is_file())
    assert load_demo_assessments(board) == products
    assert (
        list(Item.objects.values_list("pk", flat=True)),
        list(MeasureDefinition.objects.values_list("pk", flat=True)),
    ) == rows
    assert catalogue_events() == events
    assert sorted(p.name for p in private_storage.rglob("*") if p.is_file()) == files


# --- examdesk load_assessment ---------------------------------------------------------------------------------------


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("load_assessment", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_the_command_loads_a_file_with_its_audio_next_to_it(tmp_path, private_storage):
    BoardFactory()
    (tmp_path / "check.yaml").write_text(
        DEMO_ASSESSMENTS_FILE.read_text(encoding="utf-8").replace("bundled:listening-beeps", "audio/listening.wav")
    )
    (tmp_path / "audio").mkdir()
    (tmp_path / "audio" / "listening.wav").write_bytes(assessments.tone_440())
    out, _ = run(str(tmp_path / "check.yaml"))
    assert "created   RL-Y7  Reading and Listening Check, Year 7" in out
    assert "created   DICT  Dictation and Spelling Assessment" in out
    assert "2 assessments loaded for Test Board." in out
    listening = Section.objects.get(product__code="RL-Y7", title="Listening")
    assert (private_storage / listening.audio_path).read_bytes() == assessments.tone_440()
    out, _ = run(str(tmp_path / "check.yaml"))
    assert "unchanged RL-Y7" in out


def test_the_command_lists_every_problem_exits_1_and_writes_nothing(tmp_path, private_storage):
    BoardFactory()
    good = DEMO_ASSESSMENTS_FILE.read_text(encoding="utf-8")
    bad = good.replace("bundled:listening-beeps", "listening.mp3").replace("key: [a, c, d]", "key: [a, z]")
    (tmp_path / "listening.mp3").write_text("This is a text file with an .mp3 name.")
    (tmp_path / "bad.yaml").write_text(bad)
    events = AuditEvent.objects.count()
    with pytest.raises(CommandError, match=r"2 problems in .*bad.yaml; nothing was loaded.") as caught:
        run(str(tmp_path / "bad.yaml"))
    assert caught.value.returncode == 1
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError):
        call_command("load_assessment", str(tmp_path / "bad.yaml"), stdout=out, stderr=err)
    lines = err.getvalue().splitlines()
    assert lines[0].startswith("bad.yaml: line 53: assessments[0] (RL-Y7).sections[0].items[2] (R3).key: 'z'")
    assert lines[1].startswith("bad.yaml: line 72: assessments[0] (RL-Y7).sections[1].audio: 'listening.mp3' is not")
    assert Product.objects.count() == 0 and AuditEvent.objects.count() == events
    assert not private_storage.exists() or not any(private_storage.rglob("*.*"))


def test_the_command_names_missing_files_and_boards(tmp_path):
    with pytest.raises(CommandError, match="There is no board yet"):
        run(str(tmp_path / "x.yaml"))
    BoardFactory(name="First Board")
    BoardFactory(name="Second Board")
    with pytest.raises(CommandError, match="There are several boards: name one with --board."):
        run(str(DEMO_ASSESSMENTS_FILE))
    with pytest.raises(CommandError, match="no such file"):
        run(str(tmp_path / "x.yaml"), "--board", "First Board")
    out, _ = run(str(DEMO_ASSESSMENTS_FILE), "--board", "Second Board")
    assert "2 assessments loaded for Second Board." in out
    assert Path(DEMO_ASSESSMENTS_FILE).is_file()
