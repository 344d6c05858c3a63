"""How many password checks a second this machine can do: the ceiling on results-day logins.

Measures, in one run and on all cores, the password verification that a login costs with
Examdesk's Argon2id parameters (OWASP minimum: m = 19 MiB, t = 2, p = 1) against Django's default
Argon2 parameters and Django's default PBKDF2, and prints the ratios.

    .venv/bin/python bench/argon2_login.py [--seconds 5]
"""

from __future__ import annotations

import argparse
import os
import time
from concurrent.futures import ProcessPoolExecutor

import django
from django.conf import settings

HASHERS = {
    "Examdesk Argon2id (m=19 MiB, t=2, p=1)": "examdesk.accounts.hashers.Argon2idHasher",
    "Django default Argon2 (m=100 MiB, t=2, p=8)": "django.contrib.auth.hashers.Argon2PasswordHasher",
    "Django default PBKDF2-SHA256": "django.contrib.auth.hashers.PBKDF2PasswordHasher",
}
PASSWORD = "correct horse battery staple"


def _setup() -> None:
    if not settings.configured:
        settings.configure(PASSWORD_HASHERS=list(HASHERS.values()))
        django.setup()


def _verify_for(hasher_path: str, seconds: float) -> int:
    _setup()
    from django.utils.module_loading import import_string

    hasher = import_string(hasher_path)()
    encoded = hasher.encode(PASSWORD, hasher.salt())
    count = 0
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        assert hasher.verify(PASSWORD, encoded)
        count += 1
    return count


def measure(hasher_path: str, seconds: float, workers: int) -> float:
    with ProcessPoolExecutor(max_workers=workers) as pool:
        counts = list(pool.map(_verify_for, [hasher_path] * workers, [seconds] * workers))
    return sum(counts) / seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    print(f"Password verifications per second on {args.workers} cores ({args.seconds:.0f} s each):")
    rates = {name: measure(path, args.seconds, args.workers) for name, path in HASHERS.items()}
    baseline = rates["Django default Argon2 (m=100 MiB, t=2, p=8)"]
    for name, rate in rates.items():
        per_core_ms = 1000 * args.workers / rate
        print(f"  {name:<46} {rate:8.1f}/s   {per_core_ms:7.1f} ms each   x{rate / baseline:5.2f} vs Django Argon2")


if __name__ == "__main__":
    main()
