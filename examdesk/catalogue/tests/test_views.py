"""The board's catalogue pages: who may use them, and what each form saves or refuses."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from examdesk.audit.models import AuditEvent
from examdesk.catalogue.definitions import parse_text
from examdesk.catalogue.models import Qualification, Release, Series
from examdesk.catalogue.tests import factories
from examdesk.core.tests.factories import BoardFactory, BoardMembershipFactory, CentreFactory, member

pytestmark = pytest.mark.django_db

BOARD_PAGES = [
    "/catalogue/",
    "/catalogue/qualifications/new/",
    "/catalogue/qualifications/upload/",
    "/catalogue/series/",
    "/catalogue/series/new/",
]


@pytest.fixture
def board_staff():
    return BoardMembershipFactory(board=BoardFactory(time_zone="Europe/London")).user


@pytest.fixture
def staff_client(client, board_staff):
    client.force_login(board_staff)
    return client


def qualification_post(basics=None, components=None, bands=None):
    """The form as a browser sends it: the basics, then component and band rows with their management forms."""
    data = {
        "code": "TST",
        "name": "Test Certificate",
        "family": "Tests",
        "results_online": "on",
        "aggregation": "mean",
        "rounding": "half_up",
        "decimals": "0",
        "overall_min": "0",
        "overall_max": "100",
    }
    data.update(basics or {})
    components = components if components is not None else [
        {"code": "RD", "name": "Reading", "min_score": "0", "max_score": "100"},
        {"code": "WR", "name": "Writing", "min_score": "0", "max_score": "100"},
    ]  # fmt: skip
    bands = bands if bands is not None else [
        {"min_score": "60", "grade": "P", "label": "Pass", "cefr_level": "B1", "awards_certificate": "on"},
        {"min_score": "0", "grade": "", "label": "Fail"},
    ]  # fmt: skip
    for prefix, rows in (("components", components), ("bands", bands)):
        data[f"{prefix}-TOTAL_FORMS"] = str(len(rows) + 1)  # and one empty row, as the page has
        data[f"{prefix}-INITIAL_FORMS"] = "0"
        for index, row in enumerate(rows):
            for key, value in row.items():
                data[f"{prefix}-{index}-{key}"] = value
    return data


def test_people_who_are_not_board_staff_get_404(client):
    centre = CentreFactory()
    factories.series(centre.board)
    qualification = factories.qualification(centre.board)
    client.force_login(member(centre))
    pages = [*BOARD_PAGES, f"/catalogue/qualifications/{qualification.pk}/", "/catalogue/series/1/releases/"]
    for url in pages:
        assert client.get(url).status_code == 404, url
    assert client.post("/catalogue/qualifications/new/", qualification_post()).status_code == 404
    assert not Qualification.objects.filter(code="TST").exists()


def test_signed_out_visitors_are_asked_to_sign_in(client):
    response = client.get("/catalogue/")
    assert response.status_code == 302
    assert response["Location"].startswith("/account/login/")


def test_board_staff_see_only_their_own_boards_qualifications(staff_client):
    other = BoardFactory(name="Another Board")
    foreign = factories.qualification(other, "FCE")
    foreign_series = factories.series(other)
    assert staff_client.get(f"/catalogue/qualifications/{foreign.pk}/").status_code == 404
    assert staff_client.get(f"/catalogue/qualifications/{foreign.pk}/edit/").status_code == 404
    assert staff_client.get(f"/catalogue/series/{foreign_series.pk}/releases/").status_code == 404
    assert "B2 First" not in staff_client.get("/catalogue/").content.decode()


def test_list_and_detail_show_components_the_overall_rule_and_the_bands(staff_client, board_staff):
    board = board_staff.board_memberships.get().board
    factories.demo_qualifications(board, factories.DEMO_FILE)
    listing = staff_client.get("/catalogue/").content.decode()
    for text in ("FCE", "B2 First", "Cambridge English", "YLE-MOV", "Not online"):
        assert text in listing
    fce = Qualification.objects.get(board=board, code="FCE")
    page = staff_client.get(f"/catalogue/qualifications/{fce.pk}/").content.decode()
    for text in (
        "Reading",
        "122 to 190",
        "Mean of the component scores",
        "Round half up",
        "a whole number",
        "180 to 190",
        "173 to 179",
        "160 to 172",
        "140 to 159",
        "122 to 139",
        "Pass at Grade A",
        "C1",
    ):
        assert text in page, text


def test_creating_a_qualification_in_the_page(staff_client, board_staff):
    response = staff_client.post("/catalogue/qualifications/new/", qualification_post(), follow=True)
    assert response.status_code == 200
    assert "Qualification TST Test Certificate has been created." in response.content.decode()
    qualification = Qualification.objects.get(code="TST")
    assert qualification.board == board_staff.board_memberships.get().board
    assert list(qualification.components.values_list("code", "position")) == [("RD", 0), ("WR", 1)]
    assert list(qualification.bands.values_list("label", "awards_certificate")) == [("Pass", True), ("Fail", False)]
    assert AuditEvent.objects.filter(action=AuditEvent.Action.CATALOGUE_CHANGED, actor_id=board_staff.pk).exists()


def test_a_page_with_problems_lists_every_one_keeps_what_was_typed_and_saves_nothing(staff_client):
    data = qualification_post(
        basics={"name": ""},
        components=[
            {"code": "RD", "name": "Reading", "min_score": "50", "max_score": "40"},
            {"code": "RD", "name": "Writing", "min_score": "0", "max_score": "abc"},
        ],
        bands=[{"min_score": "60", "label": "Pass"}],
    )
    response = staff_client.post("/catalogue/qualifications/new/", data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "Name: this is required." in page
    assert "Component 1, max score: must be greater than the min score (50)." in page
    assert "Component 2, max score: &#x27;abc&#x27; is not a number." in page
    assert "Component 2, code: the code &#x27;RD&#x27; is used more than once" in page
    assert "Band 1, from overall score: the lowest band starts at 60" in page
    assert 'href="#id_components-0-max_score"' in page
    assert 'value="40"' in page and 'value="Reading"' in page and 'value="abc"' in page
    assert not Qualification.objects.exists()


def test_a_taken_code_is_refused_when_adding(staff_client, board_staff):
    factories.qualification(board_staff.board_memberships.get().board, "FCE")
    page = staff_client.post("/catalogue/qualifications/new/", qualification_post({"code": "FCE"})).content.decode()
    assert "a qualification with the code FCE already exists; edit it instead." in page
    assert Qualification.objects.get(code="FCE").name == "B2 First"


def test_editing_shows_the_saved_definition_and_saves_changes(staff_client, board_staff):
    fce = factories.qualification(board_staff.board_memberships.get().board, "FCE")
    page = staff_client.get(f"/catalogue/qualifications/{fce.pk}/edit/").content.decode()
    assert 'value="Use of English"' in page and 'value="Pass at Grade A"' in page and 'value="200"' in page
    data = qualification_post(
        basics={"code": "CHANGED", "name": "B2 First for Schools", "overall_min": "140", "overall_max": "210"},
        components=[{"code": "RD", "name": "Reading", "min_score": "140", "max_score": "210"}],
        bands=[{"min_score": "140", "label": "No certificate"}, {"min_score": "180", "label": "Pass", "grade": "C"}],
    )
    response = staff_client.post(f"/catalogue/qualifications/{fce.pk}/edit/", data, follow=True)
    assert "Qualification FCE B2 First for Schools has been saved." in response.content.decode()
    fce.refresh_from_db()
    assert fce.code == "FCE"  # the code cannot be changed
    assert list(fce.components.values_list("code", flat=True)) == ["RD"]
    assert list(fce.bands.values_list("min_score", flat=True)) == [180, 140]


def test_removed_and_empty_rows_are_left_out(staff_client):
    data = qualification_post(
        components=[
            {"code": "RD", "name": "Reading", "max_score": "100"},
            {"code": "XX", "name": "Gone", "max_score": "100", "DELETE": "on"},
            {"code": "", "name": "", "max_score": "", "weight": ""},
        ]
    )
    staff_client.post("/catalogue/qualifications/new/", data)
    assert list(Qualification.objects.get(code="TST").components.values_list("code", flat=True)) == ["RD"]


def test_download_gives_a_file_that_loads_back_to_the_same_definition(staff_client, board_staff):
    board = board_staff.board_memberships.get().board
    qualifications = factories.demo_qualifications(board, factories.DEMO_FILE)
    for code, qualification in qualifications.items():
        response = staff_client.get(f"/catalogue/qualifications/{qualification.pk}/file/")
        assert response["Content-Type"].startswith("application/yaml")
        (definition,) = parse_text(response.content.decode(), file_name="q.yaml")
        original = [d for d in parse_text(factories.DEMO_FILE.read_text()) if d.code == code]
        assert [definition] == original


# --- Uploads ----------------------------------------------------------------------------------------------------


def upload(client, content: bytes, name: str = "qualifications.yaml"):
    return client.post("/catalogue/qualifications/upload/", {"file": SimpleUploadedFile(name, content)}, follow=True)


def test_uploading_the_demo_file_creates_then_reports_it_unchanged_then_updated(staff_client):
    response = upload(staff_client, factories.DEMO_FILE.read_bytes(), "demo.yaml")
    assert "demo.yaml is loaded: created FCE, KET, 0580, YLE-MOV." in response.content.decode()
    assert Qualification.objects.count() == 4
    # The same file again changes nothing, and says so (it used to say "updated").
    response = upload(staff_client, factories.DEMO_FILE.read_bytes(), "demo.yaml")
    assert "demo.yaml is loaded: unchanged FCE, KET, 0580, YLE-MOV." in response.content.decode()
    renamed = factories.DEMO_FILE.read_text().replace("name: B2 First", "name: B2 First for Schools", 1)
    response = upload(staff_client, renamed.encode(), "demo.yaml")
    assert "demo.yaml is loaded: updated FCE; unchanged KET, 0580, YLE-MOV." in response.content.decode()


def test_a_file_with_problems_shows_every_one_and_loads_nothing(staff_client):
    text = factories.DEMO_FILE.read_text().replace("max: 70}", "max: -5}")
    text = text.replace("min: 180, grade: A", "min: 300, grade: A")
    response = upload(staff_client, text.encode())
    page = response.content.decode()
    assert "2 problems; nothing was loaded." in page
    assert "qualifications[0] (FCE).bands[0].min: 300 is outside the overall scale 122 to 190." in page
    assert "qualifications[2] (0580).components[0] (P2).max: must be greater than the min score (0)." in page
    assert not Qualification.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("q.txt", b"qualifications: []", "The file must be a .json, .yaml or .yml file."),
        ("q.yaml", b"x" * (1024 * 1024 + 1), "The file is larger than 1 MB."),
        ("q.yaml", "qualifications: é".encode("latin-1"), "The file is not UTF-8 text."),
        ("q.yaml", b"", "The file is empty"),
        ("q.json", b"{not json", "The file is not valid JSON or YAML"),
    ],
)
def test_unusable_files_are_refused_with_a_reason(staff_client, name, content, message):
    page = upload(staff_client, content, name).content.decode()
    assert message in page
    assert not Qualification.objects.exists()


# --- Series and release times -----------------------------------------------------------------------------------


def test_series_are_added_and_edited_and_codes_stay_unique(staff_client, board_staff):
    response = staff_client.post(
        "/catalogue/series/new/", {"code": "2026-06", "name": "June 2026", "starts_on": "2026-05-04"}, follow=True
    )
    assert "Series June 2026 (2026-06) has been created." in response.content.decode()
    series = Series.objects.get(code="2026-06")
    assert str(series.starts_on) == "2026-05-04"
    page = staff_client.post("/catalogue/series/new/", {"code": "2026-06", "name": "Again"}).content.decode()
    assert "A series with the code 2026-06 already exists." in page
    page = staff_client.post("/catalogue/series/new/", {"code": "June 2026", "name": "x"}).content.decode()
    assert "Use letters, digits, dots, dashes and underscores only" in page
    staff_client.post(f"/catalogue/series/{series.pk}/edit/", {"code": "ignored", "name": "June 2026 (main)"})
    series.refresh_from_db()
    assert (series.code, series.name, series.starts_on) == ("2026-06", "June 2026 (main)", None)
    assert Series.objects.count() == 1


def test_release_times_are_entered_in_the_boards_zone(staff_client, board_staff):
    board = board_staff.board_memberships.get().board
    qualifications = factories.demo_qualifications(board)
    series = factories.series(board)
    fce, ket = qualifications["FCE"], qualifications["KET"]
    page = staff_client.get(f"/catalogue/series/{series.pk}/releases/").content.decode()
    assert "Europe/London" in page and "A1 Movers (YLE-MOV)" in page and "Not set" in page

    response = staff_client.post(
        f"/catalogue/series/{series.pk}/releases/", {f"q{fce.pk}": "2026-08-13T08:00", f"q{ket.pk}": ""}, follow=True
    )
    assert "Release times saved for FCE." in response.content.decode()
    release = Release.objects.get(qualification=fce, series=series)
    assert release.released_at == datetime(2026, 8, 13, 7, 0, tzinfo=UTC)  # 08:00 British Summer Time
    assert not Release.objects.filter(qualification=ket).exists()
    assert "13 August 2026, 08:00 (Europe/London)" in response.content.decode()

    # Saving again unchanged writes nothing; clearing hides the results again.
    events = AuditEvent.objects.count()
    response = staff_client.post(
        f"/catalogue/series/{series.pk}/releases/", {f"q{fce.pk}": "2026-08-13T08:00"}, follow=True
    )
    assert "Nothing changed" in response.content.decode()
    assert AuditEvent.objects.count() == events
    staff_client.post(f"/catalogue/series/{series.pk}/releases/", {f"q{fce.pk}": ""})
    release.refresh_from_db()
    assert release.released_at is None


def test_past_and_upcoming_releases_are_told_apart(staff_client, board_staff):
    board = board_staff.board_memberships.get().board
    fce = factories.qualification(board, "FCE")
    ket = Qualification.objects.get(board=board, code="KET")
    series = factories.series(board)
    factories.release(fce, series, datetime(2020, 1, 1, tzinfo=UTC))
    factories.release(ket, series, datetime(2099, 1, 1, tzinfo=UTC))
    page = staff_client.get(f"/catalogue/series/{series.pk}/releases/").content.decode()
    assert "Released</span> 1 January 2020, 00:00 (Europe/London)" in page
    assert "Upcoming</span> 1 January 2099, 00:00 (Europe/London)" in page


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("2026-03-29T01:30", "01:30 on 29 March 2026 does not exist in Europe/London: the clocks go forward then."),
        ("2026-10-25T01:30", "01:30 on 25 October 2026 happens twice in Europe/London: the clocks go back then."),
        ("tomorrow", "Enter a date and time, for example 13 8 2026 and 08:00."),
    ],
)
def test_times_that_are_not_one_moment_are_refused(staff_client, board_staff, typed, message):
    board = board_staff.board_memberships.get().board
    fce = factories.qualification(board, "FCE")
    ket = Qualification.objects.get(board=board, code="KET")
    series = factories.series(board)
    page = staff_client.post(
        f"/catalogue/series/{series.pk}/releases/", {f"q{fce.pk}": typed, f"q{ket.pk}": "2026-08-13T08:00"}
    ).content.decode()
    assert message in page
    assert f'href="#id_q{fce.pk}_0"' in page
    assert 'value="08:00"' in page and 'value="2026"' in page  # the other field's boxes keep what was typed
    assert not Release.objects.exists()  # all or nothing


def test_another_zone_board_enters_times_in_its_own_zone(client):
    membership = BoardMembershipFactory(board=BoardFactory(name="Pacific Board", time_zone="Asia/Tokyo"))
    client.force_login(membership.user)
    fce = factories.qualification(membership.board, "FCE")
    series = factories.series(membership.board)
    client.post(f"/catalogue/series/{series.pk}/releases/", {f"q{fce.pk}": "2026-08-13T08:00"})
    assert Release.objects.get().released_at == datetime(2026, 8, 13, 8, 0, tzinfo=ZoneInfo("Asia/Tokyo"))


# --- Public release dates ---------------------------------------------------------------------------------------


def test_the_public_home_page_lists_release_dates_in_the_boards_zone(client):
    board = BoardFactory()
    qualifications = factories.demo_qualifications(board)
    series = factories.series(board)
    factories.release(qualifications["FCE"], series, datetime(2099, 8, 13, 7, 0, tzinfo=UTC))
    factories.release(qualifications["YLE-MOV"], series, datetime(2099, 8, 14, 7, 0, tzinfo=UTC))
    factories.release(qualifications["KET"], series, None)
    page = client.get("/").content.decode()
    assert "Results release dates" in page
    assert "B2 First (FCE)" in page and "13 August 2099, 08:00 (Europe/London)" in page
    assert "Not available online; contact your centre" in page
    assert "A2 Key" not in page  # no time set: nothing to announce


def test_signed_in_staff_see_release_dates_in_their_centres_zone_too(client):
    board = BoardFactory()
    centre = CentreFactory(board=board, time_zone="Asia/Tokyo")
    fce = factories.qualification(board, "FCE")
    factories.release(fce, factories.series(board), datetime(2099, 8, 13, 7, 0, tzinfo=UTC))
    client.force_login(member(centre))
    page = client.get("/catalogue/release-dates/").content.decode()
    assert "13 August 2099, 08:00 (Europe/London)" in page
    assert "In your centre's time zone (Asia/Tokyo)" in page
    assert "13 August 2099, 16:00 (Asia/Tokyo)" in page
