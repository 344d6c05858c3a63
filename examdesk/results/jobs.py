"""The results app's job kinds, found by the jobs app's autodiscovery (examdesk/jobs/apps.py): importing the
modules registers their handlers under their kind names ("results.export", "results.file_preview", …)."""

from examdesk.results.centre import exports  # noqa: F401
from examdesk.results.files import jobs  # noqa: F401
from examdesk.results.registrations import jobs as registration_jobs  # noqa: F401
from examdesk.results.statements import bulk, emails  # noqa: F401
