"""Domain errors that interfaces turn into clear messages for people."""

from __future__ import annotations


class ApplicationError(Exception):
    """A rule was broken; `message` is written for the person who triggered it."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
