"""Board staff load an assessment file with problems, then the demo file, and open a product: its items with keys,
and a listening section whose audio really plays. Axe on every page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from examdesk.catalogue.demo import DEMO_ASSESSMENTS_FILE
from examdesk.catalogue.models import Product
from examdesk.core.tests.browser_support import assert_accessible, sign_in
from examdesk.core.tests.factories import PASSWORD, BoardFactory, BoardMembershipFactory

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def private_storage(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }


def upload(page, name: str, content: bytes) -> None:
    page.get_by_label("Assessment file").set_input_files(
        files=[{"name": name, "mimeType": "application/yaml", "buffer": content}]
    )
    page.get_by_role("button", name="Load the file").click()


def test_board_staff_load_a_bad_file_then_the_demo_file_and_hear_the_listening_section(live_server, page):
    board = BoardFactory(time_zone="Europe/London")
    BoardMembershipFactory(board=board, user__email="board@example.org", user__full_name="Bea Board")
    sign_in(page, live_server, "board@example.org", PASSWORD)
    page.get_by_role("navigation", name="Board").get_by_role("link", name="Products (board)").click()
    expect(page.get_by_role("heading", name="Products", level=1)).to_be_visible()
    expect(page.get_by_text("No products yet", exact=True)).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Load an assessment file").click()
    expect(page.get_by_role("heading", name="Load an assessment file", level=1)).to_be_visible()
    expect(page.get_by_text("A single upload cannot carry audio files")).to_be_visible()
    assert_accessible(page)

    demo = DEMO_ASSESSMENTS_FILE.read_bytes()
    bad = demo.replace(b"key: [a, c, d]", b"key: [a, z]").replace(
        b"marks: 2\n      - title", b"marks: 0\n      - title"
    )
    upload(page, "check.yaml", bad)
    expect(page.get_by_role("alert")).to_contain_text("check.yaml: 2 problems; nothing was loaded.")
    problems = page.get_by_role("list", name="Problems in the file")
    expect(problems).to_contain_text(
        "line 53: assessments[0] (RL-Y7).sections[0].items[2] (R3).key: 'z': not among the option ids (a, b, c, d)."
    )
    expect(problems).to_contain_text("line 69: assessments[0] (RL-Y7).sections[0].items[5] (R6).marks: must be greater")
    assert_accessible(page)
    assert not Product.objects.exists()

    upload(page, "demo_assessments.yaml", demo)
    expect(page.get_by_role("status")).to_have_text("demo_assessments.yaml is loaded: created RL-Y7; created DICT.")
    table = page.get_by_role("table", name="Products of the board")
    expect(table.get_by_role("row").filter(has_text="RL-Y7")).to_contain_text("Reading and Listening Check, Year 7")
    expect(table.get_by_role("row").filter(has_text="DICT")).to_contain_text("Dictation and Spelling Assessment")
    assert_accessible(page)

    table.get_by_role("link", name="RL-Y7").click()
    expect(page.get_by_role("heading", name="Reading and Listening Check, Year 7 (RL-Y7)", level=1)).to_be_visible()
    reading = page.get_by_role("table", name="Items of section 1, Reading")
    expect(reading.get_by_role("row").filter(has_text="R3")).to_contain_text("a, c, d")
    audio = page.get_by_label("Audio of section 2, Listening")
    expect(audio).to_be_visible()
    page.wait_for_function("document.querySelector('audio').readyState >= 1", timeout=30_000)
    duration = audio.evaluate("element => element.duration")
    assert 5 < duration < 7  # the generated four tones and their pauses
    assert audio.evaluate("element => element.error") is None
    assert_accessible(page)

    page.get_by_role("button", name="Deactivate RL-Y7").click()
    expect(page.get_by_role("status")).to_contain_text("is inactive: no new sittings can be created for it.")
    expect(page.get_by_role("button", name="Activate RL-Y7")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="All products").click()
    page.get_by_role("link", name="DICT").click()
    measures = page.get_by_role("table", name="Extra measures of Dictation and Spelling Assessment")
    expect(measures.get_by_role("row").filter(has_text="TYPED")).to_contain_text("0 to 40")
    assert_accessible(page)
