"""The interactive API docs work under the strict CSP, from Examdesk's own static files."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_swagger_ui_renders_every_operation_without_a_csp_violation(live_server, page):
    problems: list[str] = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(f"{live_server.url}/api/v1/docs")
    expect(page.get_by_text("Examdesk API").first).to_be_visible()
    expect(page.locator(".opblock").first).to_be_visible()
    assert page.locator(".opblock").count() >= 25
    assert all(url.startswith(live_server.url) or url.startswith("data:") for url in requested), requested
    assert not [text for text in problems if "Content Security Policy" in text], problems
