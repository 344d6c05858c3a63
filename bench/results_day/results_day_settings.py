"""The product's settings, plus one bench-only URL: /bench/ping/, a minimal Django view (the page ceiling).

Only bench/results_day puts this module on the path; a deployment never has the URL.
"""

from config.settings.base import *  # noqa: F403

ROOT_URLCONF = "results_day_urls"
