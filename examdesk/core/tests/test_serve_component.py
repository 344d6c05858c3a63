"""`examdesk serve` runs web and worker together, serves a sent job end to end, and Ctrl-C stops both."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.component

ROOT = Path(__file__).resolve().parents[3]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _children_of(pid: int) -> list[int]:
    result = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True)
    return [int(line) for line in result.stdout.split()]


SEND_JOB = """
from examdesk.accounts.models import User
from examdesk.centres.services import board_get_or_create, centre_create
from examdesk.jobs.services import job_create
from django.db import transaction
board = board_get_or_create(name="Board")
centre = centre_create(board=board, number="10001", name="Centre", country="GB", time_zone="Europe/London")
with transaction.atomic():
    job_create(owner=User.objects.create_user("a@example.org"), centre=centre, kind="audit.export", title="Export")
"""


def _shell(env: dict[str, str], code: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "examdesk.manage", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ""


def test_serve_runs_web_and_worker_and_ctrl_c_stops_both(tmp_path):
    port = _free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "EXAMDESK_VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'examdesk.sqlite3'}",
        "EXAMDESK_BROKER_URL": "filesystem://localhost/",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    subprocess.run([sys.executable, "-m", "examdesk.manage", "migrate", "-v", "0"], cwd=ROOT, env=env, check=True)
    log = open(tmp_path / "serve.log", "wb")  # noqa: SIM115 - closed below
    server = subprocess.Popen(
        [sys.executable, "-m", "examdesk.manage", "serve", "--bind", f"127.0.0.1:{port}", "--web-workers", "1"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # so that a failed test can stop everything it started
    )
    try:
        health = None
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and health is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as response:  # noqa: S310
                    health = json.load(response)
            except OSError:
                time.sleep(0.5)
        assert health is not None, (tmp_path / "serve.log").read_text()
        assert health["status"] == "ok"
        children = _children_of(server.pid)
        assert len(children) == 2, "gunicorn and the worker"

        # A job sent through the embedded (folder) broker is run by the worker that serve started.
        _shell(env, SEND_JOB)
        deadline = time.monotonic() + 60
        status = ""
        while time.monotonic() < deadline and status != "succeeded":
            status = _shell(env, "from examdesk.jobs.models import Job; print(Job.objects.get().status)")
            time.sleep(0.5)
        assert status == "succeeded", (tmp_path / "serve.log").read_text()
        # The broker's exchange tables are under var/, not in the working directory (the repository).
        assert (tmp_path / "broker" / "control" / "celery.exchange").exists()

        server.send_signal(signal.SIGINT)  # what Ctrl-C sends
        assert server.wait(timeout=60) == 0
        for child in children:
            assert not Path(f"/proc/{child}").exists() or "zombie" in Path(f"/proc/{child}/status").read_text()
    finally:
        with contextlib.suppress(ProcessLookupError):  # anything of the group still running
            os.killpg(server.pid, signal.SIGKILL)
        log.close()
    assert "Stopped." in (tmp_path / "serve.log").read_text()
