from __future__ import annotations

import signal
import subprocess
import sys
import time
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from config import env as E


def gunicorn_command(*, bind: str, workers: int, threads: int, backlog: int, timeout: int) -> list[str]:
    """The web server's command line. Threads above 1 select gunicorn's threaded worker, which keeps accepting
    connections while busy, so that examdesk.core.overload can answer the excess with a quick 503."""
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "config.wsgi:application",
        "--bind",
        bind,
        "--workers",
        str(workers),
        "--backlog",
        str(backlog),
        "--timeout",
        str(timeout),
        "--graceful-timeout",
        "10",
        "--access-logfile",
        "-",
    ]
    if threads > 1:
        command += ["--worker-class", "gthread", "--threads", str(threads)]
    return command


class Command(BaseCommand):
    help = "Run the web server (gunicorn) and a Celery worker together in the foreground; Ctrl-C stops both."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bind", default="127.0.0.1:8000", help="host:port for the web server.")
        parser.add_argument("--web-workers", type=int, default=E.WEB_WORKERS, help="gunicorn processes.")
        parser.add_argument(
            "--threads", type=int, default=E.WEB_THREADS, help="Threads per web process (above 1: gthread workers)."
        )
        parser.add_argument("--backlog", type=int, default=E.WEB_BACKLOG, help="Connections waiting to be accepted.")
        parser.add_argument(
            "--timeout", type=int, default=E.WEB_TIMEOUT, help="Seconds before a stuck worker is restarted."
        )
        parser.add_argument("--no-worker", action="store_true", help="Run the web server only.")

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("collectstatic", interactive=False, verbosity=0)
        if settings.CACHES["default"]["BACKEND"].endswith("DatabaseCache"):
            call_command("createcachetable", verbosity=0)
        children: list[subprocess.Popen[bytes]] = []
        web = gunicorn_command(
            bind=options["bind"],
            workers=options["web_workers"],
            threads=options["threads"],
            backlog=options["backlog"],
            timeout=options["timeout"],
        )
        children.append(subprocess.Popen(web))  # noqa: S603 - our own interpreter and arguments
        if not options["no_worker"]:
            worker = [sys.executable, "-m", "examdesk.manage", "worker"]
            children.append(subprocess.Popen(worker))  # noqa: S603
        self.stdout.write(
            self.style.SUCCESS(f"Examdesk is running on http://{options['bind']}/ – press Ctrl-C to stop.")
        )

        stopping = False

        def stop(signum: int, frame: Any) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        while not stopping and all(child.poll() is None for child in children):
            time.sleep(0.5)
        for child in children:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 20
        for child in children:
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.kill()
        self.stdout.write("Stopped.")
        if not stopping:
            raise SystemExit("A server process stopped unexpectedly; see the messages above.")
