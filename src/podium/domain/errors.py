"""Rule violations, named by a code that the web layer turns into a message in the
user's language. Parameters fill the message's placeholders."""

from __future__ import annotations

from typing import Any


class RuleViolation(Exception):
    """A request breaks a rule of the domain; nothing must be stored."""

    status = 422

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


class InvalidAnswer(RuleViolation):
    status = 422


class NotAllowed(RuleViolation):
    """The request is well formed but the current state forbids it."""

    status = 409


class NotFound(RuleViolation):
    status = 404


class TooLarge(RuleViolation):
    """The request is larger than anything valid could be; it was not read to its end."""

    status = 413


class Overloaded(RuleViolation):
    """Refused at once because more is waiting than the server can take now; nothing
    was stored, and the same request may be sent again after `retry_after` seconds."""

    status = 503

    def __init__(self, code: str, retry_after: int = 1, **params: Any) -> None:
        super().__init__(code, **params)
        self.retry_after = retry_after
