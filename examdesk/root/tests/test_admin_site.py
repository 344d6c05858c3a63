from __future__ import annotations

import pytest

from examdesk.core.tests.factories import BoardMembershipFactory, CentreFactory, member

pytestmark = pytest.mark.django_db


def test_the_admin_is_for_board_staff_only_and_signs_in_through_examdesk(client):
    assert client.get("/admin/login/?next=/admin/")["Location"].startswith("/account/")
    client.force_login(member(CentreFactory(), is_staff=True))  # Django staff, but not the board's
    assert client.get("/admin/").status_code == 302
    client.force_login(BoardMembershipFactory().user)
    assert client.get("/admin/").status_code == 200


def test_board_staff_change_a_vocabulary_term_in_the_admin(client):
    from django.contrib.auth.models import Group

    from examdesk.centres.permissions import BOARD_STAFF_GROUP
    from examdesk.centres.services import board_staff_add
    from examdesk.core.tests.factories import BoardFactory, UserFactory
    from examdesk.people.models import VocabularyTerm

    board = BoardFactory()
    user = UserFactory()
    board_staff_add(board=board, user=user)
    group = Group.objects.get(name=BOARD_STAFF_GROUP)
    assert {p.codename for p in group.permissions.all()} == {
        "add_vocabularyterm",
        "change_vocabularyterm",
        "delete_vocabularyterm",
        "view_vocabularyterm",
    }  # exactly the models the README says board staff edit in /admin/: the vocabularies
    term = VocabularyTerm.objects.create(board=board, vocabulary="sen", code="K", label="SEN support", position=2)
    from examdesk.core.tests.factories import PASSWORD

    signed_in = client.post(
        "/account/login/?next=/admin/", {"email": user.email, "password": PASSWORD, "next": "/admin/"}
    )
    assert signed_in.status_code == 302 and signed_in["Location"] == "/admin/"
    index = client.get("/admin/")
    assert index.status_code == 200
    assert b"permission to view or edit anything" not in index.content
    assert b"Vocabulary terms" in index.content
    url = f"/admin/people/vocabularyterm/{term.pk}/change/"
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "board": board.pk,
            "vocabulary": "sen",
            "code": "K",
            "label": "SEN support (K)",
            "position": 2,
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content[:3000]
    term.refresh_from_db()
    assert term.label == "SEN support (K)"
    # Nothing else: the centres, the people's records and the accounts stay out of their reach.
    assert client.get("/admin/centres/centre/").status_code == 403
    assert client.get("/admin/accounts/user/").status_code == 403
