from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class JobsConfig(AppConfig):
    name = "examdesk.jobs"
    label = "jobs"
    verbose_name = "Background jobs"

    def ready(self) -> None:
        # Each app declares its kinds of job in its own jobs.py with @job_handler.
        autodiscover_modules("jobs")
        from examdesk.jobs import signals  # noqa: F401  (worker start-up hook)
