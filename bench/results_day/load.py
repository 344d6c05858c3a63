"""Run inside the bench's environment: 50,000 candidates with released results and one Argon2id password hash.

python bench/results_day/load.py COUNT OUT.json
"""

from __future__ import annotations

import json
import os
import sys
import time
from datetime import timedelta

import django

PASSWORD = "results day 2026 correct horse"


def main() -> None:
    count, out = int(sys.argv[1]), sys.argv[2]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "results_day_settings")
    django.setup()
    from django.contrib.auth.hashers import identify_hasher, make_password

    from examdesk.core.time import now
    from examdesk.results.tests.results_day.bulk import email, released_candidates

    started = time.perf_counter()
    encoded = make_password(PASSWORD)  # the configured hasher (Argon2id), once: valid on every row
    loaded = released_candidates(count=count, released_at=now() - timedelta(seconds=1), password_hash=encoded)
    seconds = time.perf_counter() - started
    users = [{"email": email(i), "entry": entry} for i, entry in enumerate(loaded.entries)]
    with open(out, "w") as handle:
        json.dump({"password": PASSWORD, "hasher": identify_hasher(encoded).algorithm, "users": users}, handle)
    print(json.dumps({"seconds": seconds, "count": count}))


if __name__ == "__main__":
    main()
