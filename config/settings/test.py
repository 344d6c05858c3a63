"""Test settings: the same as every deployment, with fast hashing and no server needed for the cache."""

import os

from config.settings.base import *  # noqa: F403
from config.settings.base import DATABASES, STATIC_ROOT, VAR_DIR

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed; Argon2 has its own tests
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
SESSION_ENGINE = "django.contrib.sessions.backends.db"  # Redis sessions have their own component test
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(VAR_DIR / "test-private")},
    },
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(VAR_DIR / "test-private")},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# The suite signs in as centre admins everywhere; two-step sign-in's own tests require it with `settings`.
EXAMDESK_MFA_REQUIRED_ROLES = []
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise looks for it; tests serve from the finders
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not memory, so that a worker process started by a component test sees the same data.
    # One file per test run, so that two runs on one machine never share it.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-examdesk-{os.getpid()}.sqlite3")}
EXAMDESK_WEBHOOK_ALLOW_LOCAL = True  # the webhook tests' receiver listens on 127.0.0.1
# Statements are unsigned unless a test configures a key (documents/tests/conftest.py makes one), whatever
# `make demo` left in var/signing/.
# The names are the run's own, so that a key an earlier run left there is never found.
EXAMDESK_SIGNING_KEY_FILE = str(VAR_DIR / "test-signing" / f"none-{os.getpid()}.pem")
EXAMDESK_SIGNING_CERT_FILE = str(VAR_DIR / "test-signing" / f"none-{os.getpid()}-cert.pem")
