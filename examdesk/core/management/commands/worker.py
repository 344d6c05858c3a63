from __future__ import annotations

import os
import sys
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Run a Celery worker for background jobs and e-mail (with the scheduler unless --no-beat)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--concurrency", type=int, default=os.cpu_count() or 1)
        parser.add_argument(
            "--no-beat",
            action="store_true",
            help="Do not run the scheduler here (run it on exactly one machine).",
        )
        parser.add_argument("--loglevel", default="INFO")

    def handle(self, *args: Any, **options: Any) -> None:
        command = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--loglevel",
            options["loglevel"],
            "--concurrency",
            str(options["concurrency"]),
        ]
        if not options["no_beat"]:
            command += ["--beat", "--schedule", settings.CELERY_BEAT_SCHEDULE_FILENAME]
        if settings.CELERY_BROKER_URL.startswith("filesystem://"):
            # The folder broker has no broadcast: start-up chatter between workers is skipped.
            command += ["--without-gossip", "--without-mingle", "--without-heartbeat"]
        sys.stdout.flush()
        os.execv(sys.executable, command)  # noqa: S606 - replace this process: signals reach Celery directly
