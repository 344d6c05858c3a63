"""Migration 0005 moves the three `*_as_written` columns into `values_as_written`, and back."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("people", "0004_candidate_sourced_id")]
AFTER = [("people", "0005_values_as_written_in_one_field")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_the_values_move_into_one_field_and_back():
    try:
        apps = _migrate(BEFORE)
        Centre = apps.get_model("centres", "Centre")
        Candidate = apps.get_model("people", "Candidate")
        centre = Centre.objects.create(
            number="70999", name="Old", board=apps.get_model("centres", "Board").objects.create(name="B")
        )
        Candidate.objects.create(centre=centre, unique_id="1", first_name="A", last_name="B")
        Candidate.objects.create(
            centre=centre, unique_id="2", first_name="C", last_name="D",
            nationality_as_written="Brit", sen_status_as_written="Q",
        )  # fmt: skip

        apps = _migrate(AFTER)
        stored = dict(apps.get_model("people", "Candidate").objects.values_list("unique_id", "values_as_written"))
        assert stored == {"1": {}, "2": {"nationality": "Brit", "sen_status": "Q"}}

        apps = _migrate(BEFORE)
        back = apps.get_model("people", "Candidate").objects.values_list(
            "unique_id", "nationality_as_written", "ethnicity_as_written", "sen_status_as_written"
        )
        assert sorted(back) == [("1", "", "", ""), ("2", "Brit", "", "Q")]
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
