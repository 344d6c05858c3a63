"""The centres app's kinds of job. The jobs app imports `<app>.jobs` at start-up, which registers them."""

from examdesk.centres.audit_log import jobs as audit_log_jobs  # noqa: F401  (registers "audit.export")
