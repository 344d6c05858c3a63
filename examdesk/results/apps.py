from django.apps import AppConfig


class ResultsConfig(AppConfig):
    name = "examdesk.results"
    label = "results"
    verbose_name = "Results"

    def ready(self) -> None:
        # The results file's jobs live in jobs_import.py and bulk statements in statements_bulk.py, which the jobs
        # app's discovery of jobs.py does not find.
        from examdesk.results import jobs_import, statements_bulk  # noqa: F401
