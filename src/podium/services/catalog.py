"""The organiser's catalog: series, events and questions. One import for callers;
the actions live in catalog_series, catalog_events and catalog_questions."""

from __future__ import annotations

from podium.services.catalog_events import (
    create_event,
    delete_event,
    get_event,
    list_events,
    move_event,
    new_presenter_token,
    update_event,
)
from podium.services.catalog_questions import (
    QuestionInput,
    add_question,
    delete_question,
    get_question,
    move_question,
    update_question,
)
from podium.services.catalog_series import (
    create_series,
    delete_series,
    get_series,
    list_series,
    move_series,
    update_series,
)

__all__ = [
    "QuestionInput",
    "add_question",
    "create_event",
    "create_series",
    "delete_event",
    "delete_question",
    "delete_series",
    "get_event",
    "get_question",
    "get_series",
    "list_events",
    "list_series",
    "move_event",
    "move_question",
    "move_series",
    "new_presenter_token",
    "update_event",
    "update_question",
    "update_series",
]
