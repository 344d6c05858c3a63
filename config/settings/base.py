"""Settings for every deployment. Differences come from the environment, read in config/env.py."""

from __future__ import annotations

from typing import Any

import django_stubs_ext
import environ
from csp.constants import NONE, SELF

from config import env as E
from examdesk.core import languages

# Lets classes such as ModelAdmin[Centre] be subscripted at run time, as the type checker sees them.
django_stubs_ext.monkeypatch()

BASE_DIR = E.BASE_DIR
VAR_DIR = E.VAR_DIR
SECRET_KEY = E.SECRET_KEY
SECRET_KEY_FALLBACKS = E.SECRET_KEY_FALLBACKS
DEBUG = E.DEBUG
ALLOWED_HOSTS = E.ALLOWED_HOSTS
EXAMDESK_SITE_URL = E.SITE_URL
EXAMDESK_PRODUCTION = E.PRODUCTION

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "examdesk.root.admin_site.BoardAdminConfig",
    "django_htmx",
    "django_countries",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "examdesk.core",
    "examdesk.accounts",
    "examdesk.centres",
    "examdesk.audit",
    "examdesk.jobs",
    "examdesk.people",
    "examdesk.transfer",
    "examdesk.catalogue",
    "examdesk.results",
    "examdesk.documents",
    "examdesk.access",
    "examdesk.sittings",
    "examdesk.player",
    "examdesk.marking",
    "examdesk.reports",
    "examdesk.api",
    "examdesk.root",
    "ninja",  # its Swagger UI files, served from our own static files (no CDN)
]

MIDDLEWARE = [
    # First: a request beyond what this process can work on gets a quick 503 before any other work.
    "examdesk.core.overload.InFlightLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # After sessions, before CommonMiddleware (Django's rule): the language cookie, then Accept-Language.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # A signed-in person's saved language wins over the cookie and the browser (examdesk/accounts/language.py).
    "examdesk.accounts.language.AccountLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Two-step sign-in: django-otp says whether the session passed the second step; ours asks for it until it has.
    "django_otp.middleware.OTPMiddleware",
    "examdesk.accounts.second_factor.middleware.SecondFactorMiddleware",
    # The REST API's body limit (413), Idempotency-Key replays and the audit of writes (examdesk.api).
    "examdesk.api.idempotency.ApiRequestMiddleware",
    "examdesk.access.middleware.CandidateLoginMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "examdesk.centres.context_processors.centre_switcher",
                "examdesk.core.context_processors.examdesk",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------------
_db = environ.Env.db_url_config(E.DATABASE_URL)
if _db["ENGINE"] == "django.db.backends.sqlite3":
    # Embedded default: web and worker processes share one file. WAL lets readers run beside a writer,
    # IMMEDIATE transactions take the write lock up front (no deadlock on upgrade), and the timeout
    # makes a second writer wait instead of failing with "database is locked".
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    _db["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
else:
    _db["CONN_MAX_AGE"] = E.DATABASE_CONN_MAX_AGE
    _db["CONN_HEALTH_CHECKS"] = True
    if "postgresql" in _db["ENGINE"]:
        # Parameters bound by the server let psycopg prepare a statement the second time a connection runs it:
        # PostgreSQL then plans it once per connection instead of on every request. Planning a page's joined
        # query costs about 1-2 ms of database CPU, running it 0.05 ms (docs/scaling.md).
        _db["OPTIONS"] = {**_db.get("OPTIONS", {}), "server_side_binding": True, "prepare_threshold": 2}
DATABASES: dict[str, dict[str, Any]] = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache (rate limits and anything shared between processes: never per-process memory) ---------
if E.CACHE_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": E.CACHE_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "examdesk_cache"}}
if E.SESSION_CACHE_URL:
    # Sessions as Redis keys that expire with the session: signing in and every signed-in page skip the
    # database for the session (results day: docs/scaling.md).
    CACHES["sessions"] = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": E.SESSION_CACHE_URL}
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"
    SESSION_CACHE_ALIAS = "sessions"

# --- Identity -----------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "examdesk.accounts.backends.EmailBackend",
]
# Why a signed-in account may not use Results Online now ("" when it may): a function(user) -> str, loaded by
# results/online/services.py so that results need not know the app that decides (access: a generated login whose
# centre has withdrawn access).
EXAMDESK_LOGIN_REFUSAL = "examdesk.access.selectors.refusal_for"
PASSWORD_HASHERS = [
    # Argon2id at OWASP's recommended minimum; bench/argon2_login.py measures it against Django's default.
    "examdesk.accounts.hashers.Argon2idHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": E.PASSWORD_MIN_LENGTH},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = E.PASSWORD_RESET_SECONDS
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# NIST 800-63B: at most 100 consecutive failures; from then on unknown clients wait a day per try.
EXAMDESK_ACCOUNT_FAILURE_CEILING = E.ACCOUNT_FAILURE_CEILING
# Two-step sign-in (examdesk/accounts/second_factor): required for these roles ("board_staff" and the centre roles:
# "centre_admin", "exams_officer", "teacher", "viewer"), optional for everyone else. EXAMDESK_SIGN_IN_ROLES is the
# hand-over that tells accounts which roles a person holds (a function(user) -> set of role names, in centres).
EXAMDESK_MFA_REQUIRED_ROLES = E.MFA_REQUIRED_ROLES
EXAMDESK_SIGN_IN_ROLES = "examdesk.centres.permissions.sign_in_roles"
OTP_TOTP_ISSUER = "Examdesk"
EXAMDESK_PASSWORD_MIN_LENGTH = E.PASSWORD_MIN_LENGTH
EXAMDESK_INVITATION_DAYS = E.INVITATION_DAYS
EXAMDESK_BOARD_TIME_ZONE = E.BOARD_TIME_ZONE
EXAMDESK_MAX_IN_FLIGHT = E.MAX_IN_FLIGHT
EXAMDESK_RETRY_AFTER_SECONDS = E.RETRY_AFTER_SECONDS

# Sign-in throttles (examdesk.accounts.lockout): known devices by their device cookie, unknown clients per account
# and network address with growing pauses, and an account-wide run of failures that slows unknown clients down.
EXAMDESK_LOCKOUT_FAILURES = E.LOCKOUT_FAILURES
EXAMDESK_LOCKOUT_MINUTES = E.LOCKOUT_MINUTES
EXAMDESK_DEVICE_FAILURES = E.DEVICE_FAILURES
EXAMDESK_ACCOUNT_FAILURE_SLOWDOWN = E.ACCOUNT_FAILURE_SLOWDOWN
# Reset and reminder e-mails an account, and a network address, may be sent in an hour.
EXAMDESK_RESET_EMAILS_PER_ACCOUNT = E.RESET_EMAILS_PER_ACCOUNT
EXAMDESK_RESET_EMAILS_PER_ADDRESS = E.RESET_EMAILS_PER_ADDRESS
# django-axes no longer counts sign-ins (AXES_ENABLED off); it stays for how it reads the client's address behind
# the deployment's proxies (examdesk.core.http), and its old tables.
AXES_ENABLED = False
AXES_ENABLE_ADMIN = False  # nothing of it to see in the admin any more
SILENCED_SYSTEM_CHECKS = ["axes.W002", "axes.W003"]  # its middleware and backend are left out on purpose
AXES_IPWARE_PROXY_COUNT = E.PROXY_COUNT or None
AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR") if E.PROXY_COUNT else ("REMOTE_ADDR",)

# --- Sessions and security ----------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 12
CSRF_COOKIE_HTTPONLY = True
# Our page, not Django's bare one: what happened and a way forward (examdesk.core.views.csrf_failure).
CSRF_FAILURE_VIEW = "examdesk.core.views.csrf_failure"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if E.PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = E.env.bool("EXAMDESK_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = E.env.int("EXAMDESK_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = E.env.bool("EXAMDESK_HSTS_PRELOAD", default=True)
    CSRF_TRUSTED_ORIGINS = [E.SITE_URL]
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

# --- Internationalisation and time --------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
# Candidates' pages, documents and e-mails (examdesk/core/languages.py); staff pages are translatable, English shipped.
LANGUAGES = list(languages.CHOICES)
LOCALE_PATHS = [E.LOCALE_DIR]
LANGUAGE_COOKIE_NAME = "examdesk_language"
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SECURE = E.PRODUCTION
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static and private files -------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
_private: dict[str, Any]
if E.S3_BUCKET:
    _private = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": E.S3_BUCKET,
            "endpoint_url": E.S3_ENDPOINT_URL or None,
            "region_name": E.S3_REGION or None,
            "access_key": E.S3_ACCESS_KEY or None,
            "secret_key": E.S3_SECRET_KEY or None,
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    _private = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(VAR_DIR / "private"), "base_url": None},
    }
STORAGES: dict[str, dict[str, Any]] = {
    "default": _private,
    "private": _private,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# --- E-mail: always sent from a Celery task after commit (examdesk.core.mail) -------------------
DEFAULT_FROM_EMAIL = E.MAIL_FROM
SERVER_EMAIL = E.MAIL_FROM
if E.SMTP_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = E.SMTP_HOST
    EMAIL_PORT = E.SMTP_PORT
    EMAIL_HOST_USER = E.SMTP_USER
    EMAIL_HOST_PASSWORD = E.SMTP_PASSWORD
    EMAIL_USE_TLS = E.SMTP_STARTTLS
    EMAIL_TIMEOUT = 20
else:
    EMAIL_BACKEND = "examdesk.core.mail.EmlFileBackend"
    EMAIL_FILE_PATH = str(VAR_DIR / "mail")

# --- Celery ---------------------------------------------------------------------------------------
CELERY_BROKER_URL = E.BROKER_URL
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_BEAT_SCHEDULE = {
    "jobs-recover": {"task": "examdesk.jobs.tasks.jobs_recover_task", "schedule": E.JOB_RECOVER_SECONDS},
    "access-letters-delete": {"task": "examdesk.access.tasks.letters_expired_delete_task", "schedule": 3600.0},
    "sittings-expire": {"task": "examdesk.sittings.tasks.sittings_expire_task", "schedule": 900.0},
    "marking-sweep": {"task": "examdesk.marking.tasks.marking_sweep_task", "schedule": 300.0},
    "webhooks-scan": {"task": "examdesk.api.tasks.webhooks_scan_task", "schedule": 60.0},
    "api-idempotency-expire": {"task": "examdesk.api.tasks.idempotency_records_expire_task", "schedule": 3600.0},
    "audit-outbox-drain": {
        "task": "examdesk.accounts.tasks.audit_outbox_drain_task",
        "schedule": E.AUDIT_DRAIN_SECONDS,
    },
    "lockout-attempts-expired-delete": {
        "task": "examdesk.accounts.tasks.lockout_attempts_expired_delete_task",
        "schedule": 3600.0,
    },
}
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
if E.BROKER_URL.startswith("filesystem://"):
    _broker_dir = VAR_DIR / "broker"
    for _sub in ("queue", "processed", "control"):
        (_broker_dir / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, Any] = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "store_processed": False,
        # The exchange tables: kombu's default is "control" in the working directory, inside the repository.
        "control_folder": str(_broker_dir / "control"),
    }
else:
    # A job's message may be redelivered after this many seconds without an ack; the job's own claim
    # (examdesk.jobs.services.job_claim) makes a redelivery of a running or finished job a no-op.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}

EXAMDESK_JOB_STALE_SECONDS = E.JOB_STALE_SECONDS
EXAMDESK_JOB_HEARTBEAT_SECONDS = E.JOB_HEARTBEAT_SECONDS
EXAMDESK_JOB_CHUNK_ROWS = E.JOB_CHUNK_ROWS
EXAMDESK_JOB_RESULT_DAYS = E.JOB_RESULT_DAYS
# Who at a job's centre, besides its owner, may see it: centres decides, so that jobs (below centres) need not
# import it. A dotted path to `(user, centre, *, shared_with: str) -> bool`, read by examdesk.jobs.selectors.
EXAMDESK_JOB_CENTRE_RULE = "examdesk.centres.permissions.can_see_centre_job"
EXAMDESK_LETTER_RETENTION_DAYS = E.LETTER_RETENTION_DAYS

# --- Documents (examdesk.documents): fonts and the board's signing key ------------------------------
# Folders with the Noto fonts (Debian's fonts-noto-core and fonts-noto-cjk; `make fonts` installs them).
EXAMDESK_FONT_DIRS = E.env.list(
    "EXAMDESK_FONT_DIRS", default=["/usr/share/fonts/truetype/noto", "/usr/share/fonts/opentype/noto"]
)
# The key and certificate statements are signed with (PEM): the text itself, or else files (by default under
# var/signing/, where `examdesk demo` makes a self-signed pair). Without a key, statements are issued unsigned.
EXAMDESK_SIGNING_KEY = E.env.str("EXAMDESK_SIGNING_KEY", default="")
EXAMDESK_SIGNING_CERT = E.env.str("EXAMDESK_SIGNING_CERT", default="")
EXAMDESK_SIGNING_KEY_FILE = E.env.str("EXAMDESK_SIGNING_KEY_FILE", default=str(VAR_DIR / "signing" / "board-key.pem"))
EXAMDESK_SIGNING_CERT_FILE = E.env.str(
    "EXAMDESK_SIGNING_CERT_FILE", default=str(VAR_DIR / "signing" / "board-cert.pem")
)
EXAMDESK_SIGNING_KEY_PASSWORD = E.env.str("EXAMDESK_SIGNING_KEY_PASSWORD", default="")

# --- REST API (examdesk.api) ------------------------------------------------------------------------
EXAMDESK_API_RATE_PER_MINUTE = E.API_RATE_PER_MINUTE  # requests per key and minute
EXAMDESK_API_MAX_BODY_BYTES = E.API_MAX_BODY_BYTES  # a larger request body answers 413
EXAMDESK_API_MAX_UPLOAD_BYTES = E.API_MAX_UPLOAD_BYTES  # the same for a file upload (multipart)
# Webhook endpoints must be HTTPS; http://127.0.0.1 only where this says so (the tests' local receiver).
EXAMDESK_WEBHOOK_ALLOW_LOCAL = E.WEBHOOK_ALLOW_LOCAL

# --- Test player -> marking -----------------------------------------------------------------------
# What the player calls, inside its transaction, when a section is submitted. Marking sits above the player and
# imports it; the player names marking only here, so it never imports marking (no cycle). The callable takes
# `attempt_section=` and must be idempotent (marking's records the section and enqueues on commit).
EXAMDESK_SECTION_SUBMITTED = "examdesk.marking.services.section_submitted"

# --- Logging --------------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": E.LOG_LEVEL},
    "loggers": {"axes": {"level": "WARNING"}},
}
