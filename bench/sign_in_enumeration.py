"""Does a failed sign-in take the same time for an account that exists, one that does not and one that is paused?

Issue 16's rule against enumeration: the answer, its status and its time must not tell who has an account. The
tests show that every path does the same work (one Argon2id check and the same statements); this measures the
time, on a throwaway test database with the production hasher: the median of N failed sign-ins per case,
interleaved in a shuffled order so that other load falls on all alike, and the spread between the fastest and the
slowest median against the 10 % target.

    .venv/bin/python bench/sign_in_enumeration.py [--tries 41]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.sessions.middleware import SessionMiddleware  # noqa: E402
from django.test import RequestFactory  # noqa: E402
from django.test.utils import setup_databases, setup_test_environment, teardown_databases  # noqa: E402

TARGET = 0.10
PASSWORD = "the owner's own password"  # noqa: S105


def _request(ip: str):  # type: ignore[no-untyped-def]
    request = RequestFactory().post("/account/login/", REMOTE_ADDR=ip, HTTP_USER_AGENT="Prober")
    SessionMiddleware(lambda r: None).process_request(request)  # type: ignore[arg-type]
    return request


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tries", type=int, default=41)
    args = parser.parse_args()
    settings.PASSWORD_HASHERS = ["examdesk.accounts.hashers.Argon2idHasher"]
    settings.EXAMDESK_ACCOUNT_FAILURE_SLOWDOWN = 100_000  # measure the pause of one client, not the account's
    settings.EXAMDESK_ACCOUNT_FAILURE_CEILING = 200_000
    setup_test_environment()
    databases = setup_databases(verbosity=0, interactive=False)
    try:
        from examdesk.accounts import services
        from examdesk.accounts.models import User

        User.objects.create_user(email="known@example.org", password=PASSWORD)
        User.objects.create_user(email="paused@example.org", password=PASSWORD)
        for _ in range(3):
            services.login_attempt(request=_request("203.0.113.66"), email="paused@example.org", password="wrong")
        cases = {
            "known account": ("known@example.org", ""),
            "unknown account": ("nobody@example.org", ""),
            "paused account": ("paused@example.org", "203.0.113.66"),
        }
        times: dict[str, list[float]] = {name: [] for name in cases}
        order = list(cases)
        for attempt in range(args.tries + 3):
            random.shuffle(order)
            for name in order:
                email, ip = cases[name]
                address = ip or f"198.51.{attempt // 200}.{attempt % 200}"  # a fresh address: never paused
                start = time.perf_counter()
                services.login_attempt(request=_request(address), email=email, password="not the password")
                if attempt >= 3:  # the first tries warm up the dummy hash and the queries
                    times[name].append(time.perf_counter() - start)
    finally:
        teardown_databases(databases, verbosity=0)
    medians = {name: statistics.median(values) for name, values in times.items()}
    print(f"Failed sign-ins, median of {args.tries} each (Argon2id as deployed, load {os.getloadavg()[0]:.1f}):")
    for name, value in medians.items():
        print(f"  {name:<16} {value * 1000:6.1f} ms")
    fastest, slowest = min(medians.values()), max(medians.values())
    spread = slowest / fastest - 1
    verdict = "met" if spread <= TARGET else "NOT MET"
    print(f"  spread {spread * 100:.1f} % between the fastest and the slowest (target within {TARGET:.0%}): {verdict}")


if __name__ == "__main__":
    main()
