"""The graphical profile include in a real browser: drawn under a strict CSP, and accessible (axe, WCAG 2.2 AA)."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string
from playwright.sync_api import expect

from examdesk.core.tests.browser_support import assert_accessible
from examdesk.documents.tests.samples import fce_profile

pytestmark = pytest.mark.browser

# The site's policy for what matters here: no inline style, no inline script, nothing from elsewhere.
CSP = "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; font-src 'self'"


def test_profile_renders_under_a_strict_csp_and_is_accessible(page):
    include = render_to_string("documents/_profile.html", {"profile": fce_profile(), "element_id": "profile"})
    messages = []
    page.on("console", lambda message: messages.append(message.text))
    page.set_content(
        f'<!doctype html><html lang="en-GB"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}"><title>Your result</title></head>'
        f"<body><main><h1>Your result</h1>{include}</main></body></html>"
    )

    chart = page.get_by_role("img", name="Graphical profile: B2 First, June 2026")
    expect(chart).to_be_visible()
    expect(chart).to_have_accessible_description(
        "Bar chart of the scores on the scale from 140 to 210. Reading: 185. Use of English: 190. Writing: 178. "
        "Listening: 201. Speaking: Absent. Overall score: 188. Band boundaries: Grade A · C1 from 200; "
        "Grade B · B2 from 193; Grade C · B2 from 180; Level B1 from 160."
    )
    box = chart.bounding_box()
    assert box["width"] > 300 and box["height"] > 100
    table = page.get_by_role("table", name="Graphical profile: B2 First, June 2026: the figures in the chart")
    expect(table.get_by_role("row", name="Speaking Absent")).to_be_visible()
    expect(page.get_by_role("table", name="Band boundaries in the chart")).to_be_visible()
    assert [text for text in messages if "Content Security Policy" in text] == []
    assert_accessible(page)
