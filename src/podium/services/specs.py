"""From stored rows to the domain's question specs, and back to settings."""

from __future__ import annotations

from typing import Any

from podium.domain.questions import Kind, Option, PercentBase, QuestionSpec
from podium.store.tables import Question

SETTING_KEYS = (
    "max_choices",
    "percent_base",
    "scale_min",
    "scale_max",
    "min_label",
    "max_label",
    "max_words",
    "max_length",
)


def spec_of(question: Question, language: str = "de") -> QuestionSpec:
    """The domain's view of a stored question (its options must be loaded), in its
    event's language."""
    return spec_from(
        question.kind,
        [(o.id, o.label) for o in question.options],
        question.settings or {},
        language,
    )


def spec_from(
    kind: str, options: list[tuple[int, str]], settings: dict[str, Any], language: str = "de"
) -> QuestionSpec:
    values: dict[str, Any] = {k: settings[k] for k in SETTING_KEYS if k in settings}
    if "percent_base" in values:
        values["percent_base"] = PercentBase(values["percent_base"])
    return QuestionSpec(
        kind=Kind(kind),
        options=tuple(Option(i, label) for i, label in options),
        language=language,
        **values,
    )


def settings_of(spec: QuestionSpec) -> dict[str, Any]:
    """The settings that matter for the spec's kind, JSON-ready, for storing."""
    if spec.kind is Kind.SINGLE:
        return {}
    if spec.kind is Kind.MULTIPLE:
        return {"max_choices": spec.max_choices, "percent_base": str(spec.percent_base)}
    if spec.kind is Kind.SCALE:
        return {
            "scale_min": spec.scale_min,
            "scale_max": spec.scale_max,
            "min_label": spec.min_label,
            "max_label": spec.max_label,
        }
    if spec.kind is Kind.WORDS:
        return {"max_words": spec.max_words}
    return {"max_length": spec.max_length}
