"""The graphical profile: an accessible, well-formed inline SVG that a strict CSP allows, its table, its PDF twin."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import replace
from decimal import Decimal

import pytest
from django.template import Context, Template

from examdesk.documents import profile as profiles
from examdesk.documents import vector
from examdesk.documents.profile import Profile, ProfileBar, ProfileBoundary, profile_figure, profile_svg
from examdesk.documents.tests.samples import fce_profile

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 (our own output)


def texts(root: ET.Element) -> list[str]:
    return [element.text or "" for element in root.iter(f"{SVG}text")]


def test_svg_is_well_formed_with_role_img_title_and_desc():
    root = parse(profile_svg(fce_profile(), element_id="profile-1"))

    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    title = root.find(f"{SVG}title")
    desc = root.find(f"{SVG}desc")
    assert title is not None and title.text == "Graphical profile: B2 First, June 2026"
    assert root.get("aria-labelledby") == title.get("id") == "profile-1-title"
    assert root.get("aria-describedby") == desc.get("id") == "profile-1-desc"
    assert "Reading: 185." in desc.text
    assert "Speaking: Absent." in desc.text
    assert "Overall score: 188." in desc.text
    assert "Grade A · C1 from 200" in desc.text


def test_svg_draws_every_bar_value_and_boundary():
    root = parse(profile_svg(fce_profile(), element_id="p"))

    drawn = texts(root)
    for expected in ["Reading", "185", "Speaking", "Absent", "Overall score", "188", "Grade A · C1", "Level B1"]:
        assert expected in drawn
    for tick in ["140", "210", "160", "180", "200"]:
        assert tick in drawn
    dashed = [line for line in root.iter(f"{SVG}line") if line.get("stroke-dasharray")]
    assert len(dashed) == 4
    # The overall bar is drawn in its own, darker colour and bold.
    fills = {rect.get("fill") for rect in root.iter(f"{SVG}rect")}
    assert {profiles.BAR, profiles.OVERALL} <= fills
    bold = [t.text for t in root.iter(f"{SVG}text") if t.get("font-weight")]
    assert bold == ["Overall score", "188"]


def test_svg_needs_nothing_a_strict_csp_blocks():
    svg = str(profile_svg(fce_profile(), element_id="p"))
    root = parse(svg)

    tags = {element.tag.removeprefix(SVG) for element in root.iter()}
    assert tags <= {"svg", "title", "desc", "rect", "line", "text"}
    attributes = {name for element in root.iter() for name in element.attrib}
    assert not attributes & {"style", "href", "{http://www.w3.org/1999/xlink}href", "onload", "onclick"}
    assert "<script" not in svg and "url(" not in svg and "<style" not in svg


def test_svg_escapes_text():
    hostile = replace(
        fce_profile(),
        title='Profile <script>alert("x")</script> & more',
        bars=(ProfileBar("Reading & <b>Writing</b>", Decimal(150), "150"),),
    )
    svg = str(profile_svg(hostile, element_id="p"))
    root = parse(svg)

    assert "<script>" not in svg and "<b>" not in svg
    assert root.find(f"{SVG}title").text == 'Profile <script>alert("x")</script> & more'
    assert "Reading & <b>Writing</b>" in texts(root)


def test_element_id_must_be_a_plain_name():
    with pytest.raises(ValueError, match="element_id"):
        profile_svg(fce_profile(), element_id='x" onload="alert(1)')


def _luminance(colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_colours_meet_wcag_contrast():
    for background in ("#ffffff", profiles.TRACK):
        assert contrast(profiles.BAR, background) >= 3  # non-text contrast of the bars
        assert contrast(profiles.OVERALL, background) >= 3
    assert contrast(profiles.MUTED, "#ffffff") >= 4.5  # boundary labels and ticks are text
    assert contrast(profiles.TEXT, "#ffffff") >= 4.5


def test_close_boundaries_do_not_overlap_their_labels():
    """IGCSE-like bands 20 marks apart on a 0–200 scale: labels are spread over rows, none touching."""
    crowded = Profile(
        title="Graphical profile: IGCSE Mathematics, June 2026",
        scale_min=Decimal(0),
        scale_max=Decimal(200),
        bars=(ProfileBar("Paper 2 (Extended)", Decimal(52), "52"), ProfileBar("Paper 4 (Extended)", None, "Exempt")),
        boundaries=tuple(
            ProfileBoundary(Decimal(score), f"Grade {grade}")
            for score, grade in [(170, "A*"), (150, "A"), (130, "B"), (110, "C"), (90, "D"), (70, "E"), (0, "U")]
        ),
        overall=ProfileBar("Overall score", Decimal(104), "104"),
    )
    layout = profiles._layout(crowded, width=720, size=15, measure=profiles._svg_measure)

    labels = [s for s in layout.shapes if isinstance(s, vector.Text) and s.text.startswith("Grade")]
    assert len(labels) == 6  # a boundary at the bottom of the scale is not drawn
    boxes = []
    for label in labels:
        width = profiles._svg_measure(label.text, False, label.size)
        start = label.x - width if label.anchor == "end" else label.x
        boxes.append((label.y, start, start + width))
    for i, (y, start, end) in enumerate(boxes):
        for other_y, other_start, other_end in boxes[i + 1 :]:
            assert y != other_y or end <= other_start or other_end <= start
    assert len({y for y, *_ in boxes}) <= 3


def test_template_include_renders_chart_and_table():
    html = Template('{% include "documents/_profile.html" %}').render(
        Context({"profile": fce_profile(), "element_id": "result-profile"})
    )

    assert 'role="img"' in html and 'id="result-profile"' in html
    assert (
        "<caption>Graphical profile: B2 First, June 2026: the figures in the chart (scale 140 to 210)</caption>" in html
    )
    assert '<th scope="row">Reading</th><td>185</td>' in html
    assert '<th scope="row">Speaking</th><td>Absent</td>' in html
    assert "<strong>188</strong>" in html
    assert '<th scope="row">Grade A · C1</th><td>200</td>' in html
    assert 'th scope="col"' in html


def test_the_pdf_figure_holds_every_label_and_a_text_alternative():
    figure = profile_figure(fce_profile(), width=495, height=150)

    assert 0 < figure["height"] <= 150
    texts = [shape["text"] for shape in figure["shapes"] if shape["kind"] == "text"]
    for expected in ["Reading", "185", "Absent", "Overall score", "188", "Grade A · C1", "Level B1", "140", "210"]:
        assert expected in texts
    assert figure["alt"].startswith("Graphical profile: B2 First, June 2026. Bar chart of the scores")
    assert "Speaking: Absent." in figure["alt"]


def test_the_pdf_figure_shrinks_to_fit_a_small_box():
    assert profile_figure(fce_profile(), width=300, height=60)["height"] <= 60.5


def test_profile_needs_a_scale():
    with pytest.raises(ValueError):
        replace(fce_profile(), scale_max=Decimal(140))
