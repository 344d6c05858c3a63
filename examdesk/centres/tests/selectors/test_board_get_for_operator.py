"""The command line names boards and centres by name and number (it runs as the installation's operator)."""

from __future__ import annotations

import pytest

from examdesk.centres.models import Centre
from examdesk.centres.selectors import (
    NO_BOARD_YET,
    SEVERAL_BOARDS,
    board_first_for_operator,
    board_get_for_operator,
    centre_get_for_operator,
)
from examdesk.core.errors import ApplicationError
from examdesk.core.tests.factories import BoardFactory, CentreFactory

pytestmark = pytest.mark.django_db


def test_no_board_yet():
    assert board_first_for_operator() is None
    with pytest.raises(ApplicationError) as raised:
        board_get_for_operator(name=None)
    assert raised.value.message == NO_BOARD_YET


def test_the_only_board_or_the_one_named():
    only = BoardFactory(name="Cambridge")
    assert board_get_for_operator(name=None) == only
    other = BoardFactory(name="Alpha")
    with pytest.raises(ApplicationError) as raised:
        board_get_for_operator(name=None)
    assert raised.value.message == SEVERAL_BOARDS
    assert board_get_for_operator(name="Alpha") == other
    assert board_first_for_operator() == only
    with pytest.raises(ApplicationError) as raised:
        board_get_for_operator(name="Nobody")
    assert raised.value.message == "No board is named 'Nobody'. Boards: Alpha, Cambridge."


def test_a_centre_by_number_in_any_case_and_kind():
    centre = CentreFactory(number="AB123")
    assert centre_get_for_operator(number="ab123") == centre
    assert centre_get_for_operator(number="AB123", kind=Centre.Kind.PREPARATION) is None
    assert centre_get_for_operator(number="ZZ999") is None
