from examdesk.sittings.tests.fixtures import _ledger_flushable_on_sqlite  # noqa: F401
