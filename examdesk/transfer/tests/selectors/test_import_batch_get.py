from __future__ import annotations

import pytest
from django.http import Http404

from examdesk.centres.models import Role
from examdesk.core.tests.factories import CentreFactory, member
from examdesk.transfer.models import ImportBatch
from examdesk.transfer.selectors import import_batch_get, import_batch_list_recent, import_report_job

pytestmark = pytest.mark.django_db


def _batch(centre, owner):
    return ImportBatch.objects.create(centre=centre, owner=owner, file_path="imports/x.csv", file_name="x.csv")


def test_an_import_of_another_centre_answers_404():
    mine, theirs = CentreFactory(), CentreFactory()
    own = _batch(mine, member(mine, Role.EXAMS_OFFICER))
    foreign = _batch(theirs, member(theirs, Role.EXAMS_OFFICER))
    assert import_batch_get(centre=mine, batch_id=own.pk) == own
    with pytest.raises(Http404):
        import_batch_get(centre=mine, batch_id=foreign.pk)


def test_recent_imports_come_with_their_owner_in_one_query(django_assert_num_queries):
    centre = CentreFactory()
    officer = member(centre, Role.EXAMS_OFFICER)
    for _ in range(12):
        _batch(centre, officer)
    _batch(CentreFactory(), officer)
    with django_assert_num_queries(1):
        owners = [batch.owner.email for batch in import_batch_list_recent(centre=centre)]
    assert owners == [officer.email] * 10


def test_no_report_before_the_commit_has_run():
    centre = CentreFactory()
    assert import_report_job(batch=_batch(centre, member(centre))) is None
