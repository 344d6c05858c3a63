"""The only module that reads the environment.

Every setting that differs between the embedded default (one machine, SQLite, no servers) and a
production deployment (PostgreSQL, Redis, SMTP, object storage) is read here, once, with its default.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

#: Folder for everything the embedded default keeps on disk (database, files, mail, broker, secret key).
VAR_DIR = Path(env.str("EXAMDESK_VAR_DIR", default=str(BASE_DIR / "var"))).resolve()

#: The translations (examdesk/locale/<language>/LC_MESSAGES/django.po); the catalogue test points it at a copy.
LOCALE_DIR = Path(env.str("EXAMDESK_LOCALE_DIR", default=str(BASE_DIR / "examdesk" / "locale"))).resolve()

#: "embedded" (default: one machine, nothing to install) or "production" (secrets must come from the env).
MODE = env.str("EXAMDESK_MODE", default="embedded")
PRODUCTION = MODE == "production"
DEBUG = env.bool("EXAMDESK_DEBUG", default=False)


def _secret_key() -> str:
    if "EXAMDESK_SECRET_KEY" in os.environ:
        return str(env.str("EXAMDESK_SECRET_KEY"))
    if PRODUCTION:
        raise environ.ImproperlyConfigured("EXAMDESK_SECRET_KEY must be set when EXAMDESK_MODE=production.")
    # Embedded default: generate once and keep it in var/, so every process of this machine shares it.
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(50))
    return path.read_text().strip()


SECRET_KEY = _secret_key()
SECRET_KEY_FALLBACKS = env.list("EXAMDESK_SECRET_KEY_FALLBACKS", default=[])

SITE_URL = env.str("EXAMDESK_SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
ALLOWED_HOSTS = env.list("EXAMDESK_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

DATABASE_URL = env.str("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'examdesk.sqlite3'}")
DATABASE_CONN_MAX_AGE = env.int("EXAMDESK_DB_CONN_MAX_AGE", default=60)

#: Celery broker. The embedded default is a folder on disk: no server to install.
BROKER_URL = env.str("EXAMDESK_BROKER_URL", default="filesystem://localhost/")
CACHE_URL = env.str("EXAMDESK_CACHE_URL", default="")
#: Sessions in Redis (a database of their own, say redis://host:6379/2) instead of the database: no session
#: write or read reaches PostgreSQL. Give it a Redis that keeps its data (appendonly) and never evicts
#: (maxmemory-policy noeviction): a lost session only means signing in again, but on results day that costs
#: an Argon2id hash each. Empty (the default): sessions in the database.
SESSION_CACHE_URL = env.str("EXAMDESK_SESSION_CACHE_URL", default="")

#: E-mail: without EXAMDESK_SMTP_HOST each message is written as a .eml file in var/mail/.
SMTP_HOST = env.str("EXAMDESK_SMTP_HOST", default="")
SMTP_PORT = env.int("EXAMDESK_SMTP_PORT", default=587)
SMTP_USER = env.str("EXAMDESK_SMTP_USER", default="")
SMTP_PASSWORD = env.str("EXAMDESK_SMTP_PASSWORD", default="")
SMTP_STARTTLS = env.bool("EXAMDESK_SMTP_STARTTLS", default=True)
MAIL_FROM = env.str("EXAMDESK_MAIL_FROM", default="Examdesk <no-reply@examdesk.invalid>")

#: Private files (job results, later letters and statements). Without a bucket: a folder in var/.
S3_BUCKET = env.str("EXAMDESK_S3_BUCKET", default="")
S3_ENDPOINT_URL = env.str("EXAMDESK_S3_ENDPOINT_URL", default="")
S3_REGION = env.str("EXAMDESK_S3_REGION", default="")
S3_ACCESS_KEY = env.str("EXAMDESK_S3_ACCESS_KEY", default="")
S3_SECRET_KEY = env.str("EXAMDESK_S3_SECRET_KEY", default="")

#: Identity and lockout.
PASSWORD_MIN_LENGTH = env.int("EXAMDESK_PASSWORD_MIN_LENGTH", default=12)
PASSWORD_RESET_SECONDS = env.int("EXAMDESK_PASSWORD_RESET_SECONDS", default=3600)
LOCKOUT_FAILURES = env.int("EXAMDESK_LOCKOUT_FAILURES", default=3)
LOCKOUT_MINUTES = env.int("EXAMDESK_LOCKOUT_MINUTES", default=30)
ACCOUNT_FAILURE_CEILING = env.int("EXAMDESK_ACCOUNT_FAILURE_CEILING", default=100)
ACCOUNT_FAILURE_SLOWDOWN = env.int("EXAMDESK_ACCOUNT_FAILURE_SLOWDOWN", default=10)
DEVICE_FAILURES = env.int("EXAMDESK_DEVICE_FAILURES", default=5)
RESET_EMAILS_PER_ACCOUNT = env.int("EXAMDESK_RESET_EMAILS_PER_ACCOUNT", default=3)
RESET_EMAILS_PER_ADDRESS = env.int("EXAMDESK_RESET_EMAILS_PER_ADDRESS", default=20)
# Who must use two-step sign-in: role names, comma-separated ("none" or empty for nobody).
MFA_REQUIRED_ROLES = [
    role.strip()
    for role in env.str("EXAMDESK_MFA_REQUIRED_ROLES", default="board_staff,centre_admin").split(",")
    if role.strip() and role.strip().lower() != "none"
]
INVITATION_DAYS = env.int("EXAMDESK_INVITATION_DAYS", default=7)
API_RATE_PER_MINUTE = env.int("EXAMDESK_API_RATE_PER_MINUTE", default=600)
API_MAX_BODY_BYTES = env.int("EXAMDESK_API_MAX_BODY_BYTES", default=2 * 1024 * 1024)
API_MAX_UPLOAD_BYTES = env.int("EXAMDESK_API_MAX_UPLOAD_BYTES", default=25 * 1024 * 1024)
WEBHOOK_ALLOW_LOCAL = env.bool("EXAMDESK_WEBHOOK_ALLOW_LOCAL", default=False)
PROXY_COUNT = env.int("EXAMDESK_PROXY_COUNT", default=0)

#: Jobs: a running job whose heartbeat is older than this is taken to have lost its worker.
JOB_STALE_SECONDS = env.int("EXAMDESK_JOB_STALE_SECONDS", default=60)
JOB_HEARTBEAT_SECONDS = env.float("EXAMDESK_JOB_HEARTBEAT_SECONDS", default=5.0)
JOB_RECOVER_SECONDS = env.float("EXAMDESK_JOB_RECOVER_SECONDS", default=30.0)
# How often the audit outbox (sign-ins, statement downloads) is moved into the audit log.
AUDIT_DRAIN_SECONDS = env.float("EXAMDESK_AUDIT_DRAIN_SECONDS", default=2.0)
JOB_CHUNK_ROWS = env.int("EXAMDESK_JOB_CHUNK_ROWS", default=2000)
JOB_RESULT_DAYS = env.int("EXAMDESK_JOB_RESULT_DAYS", default=7)
#: Candidates' login letters (they hold passwords) are deleted this many days after they are made.
LETTER_RETENTION_DAYS = env.int("EXAMDESK_LETTER_RETENTION_DAYS", default=30)

#: Web server (`examdesk serve`): gunicorn processes, threads per process (more than 1: threaded workers),
#: queued connections, and seconds before a stuck worker is restarted. See docs/scaling.md for the figures.
WEB_WORKERS = env.int("EXAMDESK_WEB_WORKERS", default=max(2, (os.cpu_count() or 1) + 1))
WEB_THREADS = env.int("EXAMDESK_WEB_THREADS", default=1)
WEB_BACKLOG = env.int("EXAMDESK_WEB_BACKLOG", default=2048)
WEB_TIMEOUT = env.int("EXAMDESK_WEB_TIMEOUT", default=30)
#: Load shedding (examdesk.core.overload): requests running at once per web process before the next ones get a
#: quick 503 with Retry-After. 0: no limit (requests queue). Useful with EXAMDESK_WEB_THREADS above it.
MAX_IN_FLIGHT = env.int("EXAMDESK_MAX_IN_FLIGHT", default=0)
RETRY_AFTER_SECONDS = env.int("EXAMDESK_RETRY_AFTER_SECONDS", default=5)

BOARD_TIME_ZONE = env.str("EXAMDESK_BOARD_TIME_ZONE", default="Europe/London")
LOG_LEVEL = env.str("EXAMDESK_LOG_LEVEL", default="INFO")
