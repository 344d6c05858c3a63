"""The fonts come from the configured folders; without them, a clear error names what to install."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from examdesk.documents import fonts, pdf
from examdesk.documents.statements import render_statement
from examdesk.documents.tests.samples import statement


@pytest.fixture
def fresh_fonts():
    """Fonts and compilers are loaded once per process: forget them before and after the test."""
    caches = [pdf._fonts, pdf._compiler, fonts._measuring_font, fonts._metrics, fonts.width]
    for cache in caches:
        cache.cache_clear()
    yield
    for cache in caches:
        cache.cache_clear()


def test_without_the_fonts_the_error_says_what_to_install(settings, tmp_path, fresh_fonts):
    settings.EXAMDESK_FONT_DIRS = [str(tmp_path)]

    with pytest.raises(fonts.FontsMissing) as raised:
        render_statement(statement())

    message = str(raised.value)
    assert "Noto Sans" in message and str(tmp_path) in message
    assert "fonts-noto-core" in message and "make fonts" in message


def test_every_missing_family_is_named_with_its_package(settings, tmp_path):
    settings.EXAMDESK_FONT_DIRS = [str(tmp_path)]

    with pytest.raises(fonts.FontsMissing) as raised:
        fonts.check(["Noto Sans"])

    message = str(raised.value)
    assert message.startswith("The fonts Noto Sans Arabic, Noto Sans Hebrew,") and "Noto Sans CJK SC" in message
    assert "Install Debian's fonts-noto-cjk and fonts-noto-core" in message


def test_the_chain_covers_every_family_from_the_configured_folders(fresh_fonts):
    found = set(pdf._fonts().families())

    assert set(fonts.FAMILIES) <= found


def test_chart_labels_are_measured_with_the_fonts_widths():
    assert fonts.width("Reading", False, 10) < fonts.width("Reading", True, 10) < 50
    assert fonts.width("王小明", False, 10) == 30  # a character Noto Sans lacks counts as one em


def test_widths_measured_from_many_threads_at_once_are_all_right():
    """A web process's threads measure chart labels at once on a cold cache: fontTools reads a font's tables on
    first use, which two threads must not do together (results day answered 500 for a few first pages)."""
    expected = fonts.width("Reading 185", False, 9.0)
    for cache in (fonts._measuring_font, fonts._metrics, fonts.width):
        cache.cache_clear()
    barrier = threading.Barrier(16)

    def measure(_: int) -> float:
        barrier.wait()
        return fonts.width("Reading 185", False, 9.0)

    with ThreadPoolExecutor(max_workers=16) as pool:
        widths = list(pool.map(measure, range(16)))
    assert widths == [expected] * 16
