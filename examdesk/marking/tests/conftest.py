from examdesk.marking.tests.fixtures import marking_world  # noqa: F401
