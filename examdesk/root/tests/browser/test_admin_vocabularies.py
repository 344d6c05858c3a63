"""Board staff edit a vocabulary in the Django admin, as the README says, signed in through Examdesk's sign-in."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from examdesk.centres.services import board_staff_add
from examdesk.core.tests.factories import PASSWORD, BoardFactory, UserFactory
from examdesk.people.models import VocabularyTerm

pytestmark = pytest.mark.browser


def test_board_staff_change_a_vocabulary_term(live_server, page, transactional_db):
    board = BoardFactory()
    user = UserFactory(email="board@example.org")
    board_staff_add(board=board, user=user)
    term = VocabularyTerm.objects.create(board=board, vocabulary="sen", code="E", label="EHC plan", position=3)

    page.goto(f"{live_server.url}/admin/")
    page.get_by_label("E-mail address").fill(user.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Site administration")).to_be_visible()
    expect(page.get_by_text("You don’t have permission to view or edit anything")).to_have_count(0)
    page.get_by_role("link", name="Vocabulary terms").click()
    expect(page.get_by_role("heading", name="Select vocabulary term to change")).to_be_visible()
    page.locator("#result_list").get_by_role("link", name="SEN status", exact=True).click()
    page.get_by_label("Label:").fill("Education, health and care plan")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("was changed successfully")).to_be_visible()
    term.refresh_from_db()
    assert term.label == "Education, health and care plan"
