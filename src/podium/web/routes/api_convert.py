"""The API's response bodies made from the domain's and services' objects."""

from __future__ import annotations

from typing import Any

from podium.domain.questions import Kind, QuestionSpec
from podium.domain.tally import ChoiceResult, Result, ScaleResult, TextResult, WordsResult
from podium.services.catalog_common import as_utc
from podium.services.live_cache import LiveEvent, LiveQuestion
from podium.services.results import LiveState, QuestionFlags
from podium.services.specs import spec_of
from podium.store.tables import Event, Question, Series, User
from podium.web.api_models import (
    ChoiceResultOut,
    EventOut,
    EventSummary,
    JoinEventOut,
    LiveStateOut,
    OptionOut,
    OptionResultOut,
    ParticipantQuestionOut,
    QuestionFlagsOut,
    QuestionOut,
    QuestionResultOut,
    QuestionSettings,
    ScaleResultOut,
    ScaleStepOut,
    SeriesRef,
    TextResultOut,
    UserOut,
    WordCountOut,
    WordsResultOut,
)


def settings_out(spec: QuestionSpec) -> QuestionSettings:
    if spec.kind is Kind.MULTIPLE:
        return QuestionSettings(max_choices=spec.max_choices, percent_base=spec.percent_base)
    if spec.kind is Kind.SCALE:
        return QuestionSettings(
            scale_min=spec.scale_min,
            scale_max=spec.scale_max,
            min_label=spec.min_label,
            max_label=spec.max_label,
        )
    if spec.kind is Kind.WORDS:
        return QuestionSettings(max_words=spec.max_words)
    if spec.kind is Kind.TEXT:
        return QuestionSettings(max_length=spec.max_length)
    return QuestionSettings()


def options_out(spec: QuestionSpec) -> list[OptionOut]:
    return [OptionOut(id=o.id, label=o.label) for o in spec.options]


def series_ref(series: Series | None) -> SeriesRef | None:
    if series is None:
        return None
    return SeriesRef(id=series.id, slug=series.slug, title=series.title)


def event_summary(event: Event) -> EventSummary:
    return EventSummary(**_event_fields(event))


def _event_fields(event: Event) -> dict[str, Any]:
    return {
        "id": event.id,
        "slug": event.slug,
        "title": event.title,
        "series": series_ref(event.series),
        "format": event.format,
        "starts_at": as_utc(event.starts_at),
        "language": event.language,
        "join_code": event.join_code,
    }


def question_out(question: Question) -> QuestionOut:
    spec = spec_of(question)
    return QuestionOut(
        id=question.id,
        position=question.position,
        kind=spec.kind,
        title=question.title,
        options=options_out(spec),
        settings=settings_out(spec),
        allow_change=question.allow_change,
        voting_open=question.voting_open,
        results_on_screen=question.results_on_screen,
        results_on_devices=question.results_on_devices,
    )


def event_out(event: Event, base_url: str) -> EventOut:
    return EventOut(
        **_event_fields(event),
        join_url=f"{base_url.rstrip('/')}/p/{event.join_code}",
        current_question_id=event.current_question_id,
        questions=[question_out(q) for q in event.questions],
    )


def result_out(result: Result) -> ChoiceResultOut | ScaleResultOut | WordsResultOut | TextResultOut:
    if isinstance(result, ChoiceResult):
        return ChoiceResultOut(
            kind=result.kind.value,
            respondents=result.respondents,
            answers=result.answers,
            percent_base=result.percent_base,
            options=[
                OptionResultOut(
                    id=o.option_id,
                    label=o.label,
                    count=o.count,
                    percent=o.percent,
                    whole_percent=o.whole_percent,
                )
                for o in result.options
            ],
        )
    if isinstance(result, ScaleResult):
        return ScaleResultOut(
            kind="scale",
            respondents=result.respondents,
            mean=result.mean,
            min_label=result.min_label,
            max_label=result.max_label,
            steps=[
                ScaleStepOut(
                    value=s.value, count=s.count, percent=s.percent, whole_percent=s.whole_percent
                )
                for s in result.steps
            ],
        )
    if isinstance(result, WordsResult):
        return WordsResultOut(
            kind="words",
            respondents=result.respondents,
            words=[
                WordCountOut(word=w.word, count=w.count, spellings=list(w.spellings))
                for w in result.words
            ],
        )
    assert isinstance(result, TextResult)
    return TextResultOut(kind="text", respondents=result.respondents, texts=list(result.texts))


def question_result_out(question: LiveQuestion, result: Result) -> QuestionResultOut:
    return QuestionResultOut(
        id=question.id,
        position=question.position,
        kind=question.spec.kind,
        title=question.title,
        options=options_out(question.spec),
        settings=settings_out(question.spec),
        allow_change=question.allow_change,
        voting_open=question.voting_open,
        results_on_screen=question.results_on_screen,
        results_on_devices=question.results_on_devices,
        result=result_out(result),
    )


def flags_out(flags: QuestionFlags) -> QuestionFlagsOut:
    return QuestionFlagsOut(
        question_id=flags.question_id,
        voting_open=flags.voting_open,
        results_on_screen=flags.results_on_screen,
        results_on_devices=flags.results_on_devices,
    )


def live_state_out(state: LiveState) -> LiveStateOut:
    current = state.current
    return LiveStateOut(
        event_id=state.event_id,
        current_question_id=state.current_question_id,
        current=None if current is None else flags_out(current),
        questions=[flags_out(q) for q in state.questions],
    )


def user_out(user: User) -> UserOut:
    role = "moderator" if user.role == "moderator" else "organiser"
    return UserOut(id=user.id, email=user.email, name=user.name, role=role)


def join_event_out(event: LiveEvent) -> JoinEventOut:
    return JoinEventOut(
        title=event.title,
        format=event.format,
        starts_at=as_utc(event.starts_at),
        language=event.language,
        join_code=event.join_code,
    )


def participant_question_out(
    question: LiveQuestion, result: Result | None
) -> ParticipantQuestionOut:
    return ParticipantQuestionOut(
        id=question.id,
        kind=question.spec.kind,
        title=question.title,
        options=options_out(question.spec),
        settings=settings_out(question.spec),
        allow_change=question.allow_change,
        voting_open=question.voting_open,
        results_on_devices=question.results_on_devices,
        results=None if result is None else result_out(result),
    )
