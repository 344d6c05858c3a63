"""The sign-in form's inputs are rendered once while empty (results day opens the page hundreds of times a
second), and exactly as Django renders them: an input with a value, or with an error, is its own rendering."""

from __future__ import annotations

import pytest
from django import forms
from django.forms.renderers import get_default_renderer
from django.test import Client

from examdesk.accounts.sign_in_page import RenderedOnce, SignInPasswordInput, SignInTextInput
from examdesk.results.online.forms import SignInForm


class CountingRenderer:
    def __init__(self) -> None:
        self.calls = 0
        self.real = get_default_renderer()

    def render(self, template_name, context, request=None):
        self.calls += 1
        return self.real.render(template_name, context, request)


@pytest.fixture(autouse=True)
def _fresh():
    RenderedOnce._rendered.clear()
    yield
    RenderedOnce._rendered.clear()


def test_an_empty_input_is_rendered_once_and_the_same_as_djangos():
    attrs = {"autocomplete": "username", "spellcheck": "false"}
    renderer = CountingRenderer()
    widget = SignInTextInput(attrs=attrs)
    first = widget.render("identifier", None, {"id": "id_identifier"}, renderer)
    again = widget.render("identifier", None, {"id": "id_identifier"}, renderer)
    assert first == again == forms.TextInput(attrs=attrs).render("identifier", None, {"id": "id_identifier"})
    assert renderer.calls == 1


def test_an_input_with_a_value_or_an_error_is_rendered_for_itself():
    renderer = CountingRenderer()
    widget = SignInTextInput()
    typed = widget.render("identifier", '<b>"ana"', {"id": "id_identifier"}, renderer)
    assert 'value="&lt;b&gt;&quot;ana&quot;"' in typed  # escaped, as Django does
    empty = widget.render("identifier", None, {"id": "id_identifier"}, renderer)
    invalid = widget.render("identifier", None, {"id": "id_identifier", "aria-invalid": "true"}, renderer)
    assert "value=" not in empty and 'aria-invalid="true"' not in empty
    assert 'aria-invalid="true"' in invalid
    assert renderer.calls == 3


def test_a_password_is_never_shown_back():
    html = SignInPasswordInput().render("password", "secret words", {"id": "id_password"})
    assert "secret" not in html


@pytest.mark.django_db
def test_the_sign_in_page_shows_the_same_form_every_time_and_a_refused_one_with_what_was_typed():
    browser = Client()
    first = browser.get("/results/sign-in/").content.decode()
    assert browser.get("/results/sign-in/").content.decode().count('name="identifier"') == 1
    assert isinstance(SignInForm().fields["identifier"].widget, RenderedOnce)
    refused = browser.post("/results/sign-in/", {"identifier": "ana@example.org", "password": "not it"})
    page = refused.content.decode()
    assert 'value="ana@example.org"' in page and "not it" not in page
    assert 'value="ana@example.org"' not in first
    blank = browser.post("/results/sign-in/", {"identifier": "", "password": ""}).content.decode()
    assert blank.count('aria-invalid="true"') == 2
