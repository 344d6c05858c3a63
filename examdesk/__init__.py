"""Examdesk: one platform for exam centres, preparation centres and candidates."""
