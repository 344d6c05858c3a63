"""Django's CSRF failure view is ours: a page in the product's style, status 403, with a way forward."""

from __future__ import annotations

import pytest
from django.test import Client

from examdesk.core.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_stale_form_gets_our_page_with_a_way_to_reload_it():
    response = Client(enforce_csrf_checks=True).post("/account/password-reset/", {"email": "ana@example.org"})
    text = response.content.decode()
    assert response.status_code == 403
    assert "This form has expired" in text and 'href="/account/password-reset/"' in text
    assert "CSRF verification failed" not in text and "Examdesk" in text


def test_when_someone_is_signed_in_it_offers_to_sign_them_out_and_continue():
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(UserFactory(full_name="Tom Teacher"))
    text = browser.post("/code/", {"code": "AAAA-AAAA-AA"}).content.decode()
    assert "Someone signed in on this browser" in text
    assert 'action="/account/logout/"' in text and 'name="next" value="/code/"' in text
    assert "Open the form again as" in text
