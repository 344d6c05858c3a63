from examdesk.marking.tests.fixtures import _ledger_flushable_on_sqlite, marking_world  # noqa: F401
