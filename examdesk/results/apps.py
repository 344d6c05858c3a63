from django.apps import AppConfig


class ResultsConfig(AppConfig):
    name = "examdesk.results"
    label = "results"
    verbose_name = "Results"

    def ready(self) -> None:
        # The results file's jobs live in jobs_import.py, which the jobs app's discovery of jobs.py does not find.
        from examdesk.results import jobs_import  # noqa: F401
