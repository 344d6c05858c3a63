"""Password hashing: Argon2id at OWASP's recommended minimum (m = 19 MiB, t = 2, p = 1).

Django's default Argon2 parameters (m = 100 MiB, t = 2, p = 8: about 6x the cost per login on this
hardware) would cap results-day logins near 10 a second on a 2-core machine; these parameters allow
about 100 a second. bench/argon2_login.py measures both in one run. Hashes made with other parameters
are upgraded on the next successful login (Django's must_update).
"""

from __future__ import annotations

from django.contrib.auth.hashers import Argon2PasswordHasher


class Argon2idHasher(Argon2PasswordHasher):
    # Same algorithm name as Django's, so existing hashes verify and are re-hashed on login.
    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
