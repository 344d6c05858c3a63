"""The results app's job kinds, found by the jobs app's autodiscovery (examdesk/jobs/apps.py)."""

from examdesk.results import exports, jobs_letters, statement_emails  # noqa: F401
