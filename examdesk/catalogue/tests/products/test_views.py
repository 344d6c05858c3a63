"""The board's product pages: only board staff reach them (404 for everyone else), keys and marks are shown there,
files are loaded all or nothing, audio streams from private storage, products switch on and off."""

from __future__ import annotations

import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile

from examdesk.audit.models import AuditEvent
from examdesk.catalogue.demo import DEMO_ASSESSMENTS_FILE, load_demo_assessments
from examdesk.catalogue.models import Product
from examdesk.catalogue.products.assessments import parse_text
from examdesk.core.tests.factories import BoardFactory, BoardMembershipFactory, CentreFactory, member

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_storage(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }


@pytest.fixture
def board():
    return BoardFactory(time_zone="Europe/London")


@pytest.fixture
def staff_client(client, board):
    client.force_login(BoardMembershipFactory(board=board).user)
    return client


@pytest.fixture
def products(board):
    return load_demo_assessments(board)


def pages(products) -> list[str]:
    reading = products["RL-Y7"]
    listening = reading.sections.get(title="Listening")
    return [
        "/catalogue/products/",
        "/catalogue/products/upload/",
        f"/catalogue/products/{reading.pk}/",
        f"/catalogue/products/{reading.pk}/file/",
        f"/catalogue/products/{reading.pk}/sections/{listening.pk}/audio/",
    ]


def test_people_who_are_not_board_staff_get_404(client, board, products):
    centre = CentreFactory(board=board)
    client.force_login(member(centre))
    for url in pages(products):
        assert client.get(url).status_code == 404, url
    reading = products["RL-Y7"]
    assert client.post(f"/catalogue/products/{reading.pk}/active/", {"active": "0"}).status_code == 404
    reading.refresh_from_db()
    assert reading.is_active


def test_signed_out_visitors_are_asked_to_sign_in(client, products):
    for url in pages(products):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/account/login/"), url


def test_staff_of_another_board_get_404(client, products):
    client.force_login(BoardMembershipFactory(board=BoardFactory(name="Another Board")).user)
    for url in pages(products)[2:]:
        assert client.get(url).status_code == 404, url
    assert "RL-Y7" not in client.get("/catalogue/products/").content.decode()


def test_the_list_shows_counts_credits_measures_and_status(staff_client, products):
    page = staff_client.get("/catalogue/products/").content.decode()
    for text in ("RL-Y7", "Reading and Listening Check, Year 7", "DICT", "Dictation and Spelling Assessment"):
        assert text in page
    assert "<td>2</td>\n      <td>10</td>\n      <td>1</td>\n      <td>None</td>" in page  # RL-Y7
    assert "<td>1</td>\n      <td>8</td>\n      <td>1</td>\n      <td>4</td>" in page  # DICT
    assert "Products (board)" in page


def test_the_product_page_shows_sections_items_keys_marks_audio_and_measures(staff_client, products):
    reading, dictation = products["RL-Y7"], products["DICT"]
    page = staff_client.get(f"/catalogue/products/{reading.pk}/").content.decode()
    listening = reading.sections.get(title="Listening")
    for text in (
        "1. Reading",
        "20 minutes",
        "Where did Class 7B make their garden?",
        "b. In a corner of the playground",
        "<td>a, c, d</td>",  # multiple choice key
        "<td>sunflowers or sunflower</td>",  # accepted answers
        "<td>18</td>",  # numeric key
        "2. Listening",
        "15 minutes",
        f'<audio controls preload="metadata" src="/catalogue/products/{reading.pk}/sections/{listening.pk}/audio/"',
        "10 items, 12 marks",
    ):
        assert text in page, text
    page = staff_client.get(f"/catalogue/products/{dictation.pk}/").content.decode()
    for text in ("Typed dictation", "0 to 40", "Written dictation", "Evidence file", "Comment", "<td>library</td>"):
        assert text in page, text


def test_the_audio_streams_to_board_staff(staff_client, products):
    reading = products["RL-Y7"]
    listening = reading.sections.get(title="Listening")
    response = staff_client.get(f"/catalogue/products/{reading.pk}/sections/{listening.pk}/audio/")
    assert response.status_code == 200 and response["Content-Type"] == "audio/wav"
    assert b"".join(response.streaming_content)[:4] == b"RIFF"
    assert "attachment" not in response.get("Content-Disposition", "")
    reading_section = reading.sections.get(title="Reading")
    assert staff_client.get(f"/catalogue/products/{reading.pk}/sections/{reading_section.pk}/audio/").status_code == 404
    download = staff_client.get(f"/catalogue/products/{reading.pk}/sections/{listening.pk}/audio/?download=1")
    assert 'attachment; filename="RL-Y7-section-2.wav"' == download["Content-Disposition"]


def test_the_downloaded_file_loads_back_unchanged(staff_client, products):
    reading = products["RL-Y7"]
    response = staff_client.get(f"/catalogue/products/{reading.pk}/file/")
    assert response["Content-Disposition"] == 'attachment; filename="assessment-RL-Y7.yaml"'
    text = response.content.decode()
    assert "audio: bundled:listening-beeps" in text
    assert parse_text(text) == [parse_text(DEMO_ASSESSMENTS_FILE.read_text(encoding="utf-8"))[0]]
    assert yaml.safe_load(text)["assessments"][0]["sections"][0]["items"][2]["key"] == ["a", "c", "d"]


def upload(client, content: bytes, name: str = "assessment.yaml"):
    return client.post("/catalogue/products/upload/", {"file": SimpleUploadedFile(name, content)})


def test_a_bad_upload_lists_every_problem_and_loads_nothing(staff_client):
    bad = (
        DEMO_ASSESSMENTS_FILE.read_bytes()
        .replace(b"key: [a, c, d]", b"key: [a, z]")
        .replace(b"bundled:listening-beeps", b"listening.mp3")
    )
    response = upload(staff_client, bad)
    page = response.content.decode()
    assert response.status_code == 200
    assert "assessment.yaml: 2 problems; nothing was loaded." in page
    assert "line 53: assessments[0] (RL-Y7).sections[0].items[2] (R3).key: &#x27;z&#x27;: not among" in page
    assert "an upload in the browser cannot carry audio files" in page
    assert not Product.objects.exists()
    assert "larger than 1 MB" in upload(staff_client, b"#" * (1024 * 1024 + 1)).content.decode()
    assert "must be a .json, .yaml or .yml file" in upload(staff_client, b"x", "a.mp3").content.decode()


def test_a_good_upload_creates_then_updates(staff_client):
    response = upload(staff_client, DEMO_ASSESSMENTS_FILE.read_bytes(), "demo.yaml")
    assert response.status_code == 302 and response["Location"] == "/catalogue/products/"
    assert (
        staff_client.get("/catalogue/products/")
        .content.decode()
        .count("demo.yaml is loaded: created RL-Y7; created DICT.")
        == 1
    )
    assert Product.objects.count() == 2
    one = b"assessments:\n  - code: ONE\n    name: One\n    sections:\n      - title: S\n        items:\n" \
          b"          - {code: A, kind: numeric, prompt: '2+2?', key: {value: 4}}\n"  # fmt: skip
    response = upload(staff_client, one, "one.yaml")
    product = Product.objects.get(code="ONE")
    assert response["Location"] == f"/catalogue/products/{product.pk}/"
    response = upload(staff_client, one.replace(b"name: One", b"name: One again"), "one.yaml")
    assert "one.yaml is loaded: updated ONE." in staff_client.get(response["Location"]).content.decode()


def test_products_are_deactivated_and_activated_with_an_audit_event(staff_client, products):
    dictation = products["DICT"]
    response = staff_client.post(f"/catalogue/products/{dictation.pk}/active/", {"active": "0"})
    assert response.status_code == 302
    page = staff_client.get(response["Location"]).content.decode()
    assert "Dictation and Spelling Assessment is inactive: no new sittings can be created for it." in page
    dictation.refresh_from_db()
    assert not dictation.is_active
    assert "Activate" in page
    staff_client.post(f"/catalogue/products/{dictation.pk}/active/", {"active": "1"})
    dictation.refresh_from_db()
    assert dictation.is_active
    summaries = list(AuditEvent.objects.filter(summary__startswith="Assessment DICT").values_list("summary", flat=True))
    assert "Assessment DICT deactivated" in summaries and "Assessment DICT activated" in summaries
    assert staff_client.get(f"/catalogue/products/{dictation.pk}/active/").status_code == 405
