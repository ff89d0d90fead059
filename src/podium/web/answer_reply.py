"""The reply to an answer, the same whichever path took it: the hot path (JSON from
participant.js and API clients), the participant route (JSON, or a page without
JavaScript) and the API's documented route."""

from __future__ import annotations

from typing import Any

from podium.domain.errors import Overloaded, RuleViolation
from podium.domain.join_limits import Throttled
from podium.i18n import gettext as _
from podium.services.participation import Submitted
from podium.web.messages import message


def received(submitted: Submitted) -> dict[str, Any]:
    """The answer is durable: what was stored, and how (AnswerOut in the API)."""
    return {
        "status": "received",
        "outcome": str(submitted.result.outcome),
        "question_id": submitted.question_id,
        "value": submitted.value,
        "message": _("Answer received. Thank you!"),
    }


def refused(exc: RuleViolation) -> dict[str, str]:
    """Nothing was stored: the error contract's body (web/errors.py)."""
    return {"error": exc.code, "message": message(exc.code, exc.params)}


def refused_headers(exc: RuleViolation) -> dict[str, str]:
    """An overloaded server refuses at once; the script sends the same answer again
    (with the same answer id, so it is never counted twice) after Retry-After. A
    throttled address (429) is told when it may try again."""
    if isinstance(exc, Overloaded | Throttled):
        return {"Retry-After": str(exc.retry_after)}
    return {}
