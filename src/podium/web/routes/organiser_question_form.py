"""The question form: its fields to a QuestionInput, a stored question back to its
fields, and a one-line summary of a question's settings."""

from __future__ import annotations

from collections.abc import Mapping

from podium.domain.questions import Kind, PercentBase, QuestionSpec
from podium.i18n import gettext as _
from podium.i18n import ngettext
from podium.services.catalog import QuestionInput
from podium.store.tables import Question

# The settings fields of each kind. Only these are sent to the service: without
# script every fieldset is visible, and what was typed into another kind's fields
# must not make this question fail.
KIND_SETTINGS: dict[str, tuple[str, ...]] = {
    Kind.SINGLE: (),
    Kind.MULTIPLE: ("max_choices", "percent_base"),
    Kind.SCALE: ("scale_min", "scale_max", "min_label", "max_label"),
    Kind.WORDS: ("max_words",),
    Kind.TEXT: ("max_length",),
}
CHOICE_KINDS = (Kind.SINGLE, Kind.MULTIPLE)
KINDS = tuple(str(kind) for kind in Kind)

_DEFAULT = QuestionSpec(Kind.SINGLE)
# What a new question's form shows; max_choices stays empty, meaning "every option".
NEW_QUESTION: dict[str, str] = {
    "kind": str(Kind.SINGLE),
    "percent_base": str(PercentBase.RESPONDENTS),
    "scale_min": str(_DEFAULT.scale_min),
    "scale_max": str(_DEFAULT.scale_max),
    "max_words": str(_DEFAULT.max_words),
    "max_length": str(_DEFAULT.max_length),
    "allow_change": "1",
}


def option_lines(text: str) -> list[str]:
    """One option per line; blank lines are left out rather than refused."""
    return [line for line in text.splitlines() if line.strip()]


def question_input(form: Mapping[str, str]) -> QuestionInput:
    kind = form.get("kind", "").strip()
    options = option_lines(form.get("options", "")) if kind in CHOICE_KINDS else []
    settings: dict[str, str | int] = {
        name: form.get(name, "") for name in KIND_SETTINGS.get(kind, ())
    }
    if kind == Kind.MULTIPLE and not str(settings["max_choices"]).strip():
        settings["max_choices"] = len(options)
    return QuestionInput(
        kind=kind,
        title=form.get("title", ""),
        options=options,
        settings=settings,
        allow_change=form.get("allow_change") == "1",
        match_key=form.get("match_key", ""),
    )


def resubmitted(form: Mapping[str, str]) -> dict[str, str]:
    """A failed form's values to show again: what was sent, and defaults for fields
    it left out. An unticked checkbox is not sent, so allow_change gets no default."""
    defaults = {name: value for name, value in NEW_QUESTION.items() if name != "allow_change"}
    return {**defaults, **form}


def question_values(question: Question) -> dict[str, str]:
    """A stored question as the form's fields, for editing it."""
    values = dict(NEW_QUESTION)
    values.update({name: str(value) for name, value in (question.settings or {}).items()})
    values["kind"] = question.kind
    values["title"] = question.title
    values["options"] = "\n".join(option.label for option in question.options)
    values["allow_change"] = "1" if question.allow_change else ""
    values["match_key"] = question.match_key or ""
    return values


def settings_summary(question: Question) -> str:
    """What the settings mean to a participant, in a few words."""
    settings = question.settings or {}
    if question.kind == Kind.MULTIPLE:
        base = (
            _("percentages of all answers")
            if settings.get("percent_base") == PercentBase.ANSWERS
            else _("percentages of respondents")
        )
        choices = int(settings.get("max_choices", 1))
        return ngettext("up to %(num)s choice", "up to %(num)s choices", choices) + f"; {base}"
    if question.kind == Kind.SCALE:
        low, high = settings.get("scale_min", 1), settings.get("scale_max", 5)
        summary = _("from %(min)s to %(max)s", min=low, max=high)
        labels = [str(settings.get(k) or "") for k in ("min_label", "max_label")]
        return f"{summary} ({labels[0]} – {labels[1]})" if any(labels) else summary
    if question.kind == Kind.WORDS:
        return ngettext(
            "up to %(num)s word", "up to %(num)s words", int(settings.get("max_words", 3))
        )
    if question.kind == Kind.TEXT:
        return ngettext(
            "up to %(num)s character",
            "up to %(num)s characters",
            int(settings.get("max_length", 280)),
        )
    return ""
