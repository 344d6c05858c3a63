"""Shared fixtures for the Playwright browser tests (a pytest plugin, registered in examdesk/conftest.py).

Browser tests drive Debian's Chromium against pytest-django's live server, check every page they visit
with axe-core (WCAG 2.2 AA), and read e-mails from the `.eml` files the embedded default writes.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from email import message_from_bytes, policy
from pathlib import Path
from typing import Any

import pytest

# Playwright's sync API runs an event loop in the test's thread, and the tests use the ORM in between.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
# The live server listens on the loopback address only; tests send no traffic anywhere else.
os.environ.setdefault("DJANGO_LIVE_TEST_SERVER_ADDRESS", "127.0.0.1")

CHROMIUM = "/usr/bin/chromium"

#: axe-core rule tags for WCAG 2.2 level AA (each level includes the ones below it).
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@pytest.fixture(scope="session")
def browser_type_launch_args() -> dict[str, Any]:
    """Debian's Chromium, headless, with nothing that phones home."""
    return {
        "executable_path": CHROMIUM,
        "headless": True,
        "args": [
            "--no-sandbox",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-gpu",
            "--no-first-run",
        ],
    }


# --- Accessibility -----------------------------------------------------------------------------


def _axe_report(violations: list[dict[str, Any]]) -> str:
    lines = [f"{len(violations)} accessibility violation(s) (WCAG 2.2 AA):"]
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation.get('impact')}): {violation['help']}")
        lines.append(f"  {violation.get('helpUrl', '')}")
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node["target"])
            lines.append(f"    at {target}")
            summary = node.get("failureSummary")
            if summary:
                lines.extend(f"      {line}" for line in summary.splitlines())
    return "\n".join(lines)


def assert_accessible(page: Any) -> None:
    """Run axe-core on the page as it is now; fail with a readable list of every violation."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_22_AA}})
    violations = results.response["violations"]
    if violations:
        raise AssertionError(f"{page.url}\n{_axe_report(violations)}")


@pytest.fixture
def axe() -> Callable[[Any], None]:
    """`axe(page)` checks the page against WCAG 2.2 AA."""
    return assert_accessible


# --- E-mail ---------------------------------------------------------------------------------------


class Mailbox:
    """The `.eml` files the EmlFileBackend wrote during one test."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def files(self) -> list[Path]:
        if not self.folder.exists():
            return []
        return sorted(self.folder.glob("*.eml"))

    def count(self) -> int:
        return len(self.files())

    def messages(self) -> list[Any]:
        return [message_from_bytes(path.read_bytes(), policy=policy.default) for path in self.files()]

    def newest(self) -> Any:
        found = self.messages()
        assert found, f"No e-mail was written to {self.folder}"
        return found[-1]

    def newest_to(self, address: str) -> Any:
        found = [m for m in self.messages() if address.lower() in str(m["To"]).lower()]
        assert found, f"No e-mail to {address} in {self.folder}"
        return found[-1]

    @staticmethod
    def body(message: Any) -> str:
        return str(message.get_body(preferencelist=("plain",)).get_content())

    def newest_body(self) -> str:
        return self.body(self.newest())

    def link_in_newest(self, address: str | None = None, *, containing: str = "") -> str:
        """The first link in the newest message (to `address`, when given) whose text contains `containing`."""
        message = self.newest_to(address) if address else self.newest()
        body = self.body(message)
        for link in re.findall(r"https?://\S+", body):
            if containing in link:
                return str(link)
        raise AssertionError(f"No link containing {containing!r} in the e-mail:\n{body}")


@pytest.fixture
def mailbox(request: pytest.FixtureRequest, settings: Any, tmp_path: Path) -> Iterator[Mailbox]:
    """E-mail goes to `.eml` files in a folder of this test, as the embedded default writes them.

    Links in e-mails are built from EXAMDESK_SITE_URL; in a test with the live server they point at it.
    """
    folder = tmp_path / "mail"
    settings.EMAIL_BACKEND = "examdesk.core.mail.EmlFileBackend"
    settings.EMAIL_FILE_PATH = str(folder)
    if "live_server" in request.fixturenames:
        settings.EXAMDESK_SITE_URL = request.getfixturevalue("live_server").url
    yield Mailbox(folder)


# --- Signing in -------------------------------------------------------------------------------------


def sign_in(page: Any, live_server: Any, email: str, password: str) -> None:
    """Open the sign-in page and sign in as a person would. Does not check the outcome."""
    page.goto(f"{live_server.url}/account/login/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()


# --- The design system's date input -------------------------------------------------------------------


def fill_date(scope: Any, legend: str, when: Any, *, time: str | None = None) -> None:
    """Type a date into the day / month / year boxes of the group named `legend` (and a 24-hour time)."""
    group = scope.get_by_role("group", name=legend, exact=True)
    group.get_by_label("Day").fill(str(when.day))
    group.get_by_label("Month").fill(str(when.month))
    group.get_by_label("Year").fill(str(when.year))
    if time is not None:
        group.get_by_label("Time (24-hour)").fill(time)
