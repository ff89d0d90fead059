"""The JSON API's request and response bodies (pydantic). Everything here shows
up in the OpenAPI document at /api/v1/openapi.json; routes/api_convert.py makes
them from the domain's and services' objects."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, StrictStr

from podium.domain.questions import Kind, PercentBase

# An answer as sent: option ids for choices (one id or a list), an int for a
# scale, a list of words, a text. The stored, canonical value has the same shape.
AnswerValue = StrictInt | StrictStr | list[StrictInt | StrictStr]


class ErrorOut(BaseModel):
    """Every error: a stable code for programs, a message in the request's language."""

    error: str = Field(examples=["voting_closed"])
    message: str = Field(examples=["Voting on this question is closed."])


# -- session -------------------------------------------------------------------------


class UserOut(BaseModel):
    id: int
    email: str
    name: str
    role: Literal["organiser", "moderator"]


class SessionOut(BaseModel):
    user: UserOut | None = Field(description="the signed-in account; null when anonymous")
    csrf_token: str = Field(
        description="send as the X-CSRF-Token header with every cookie-authenticated POST"
    )


# -- events and questions ---------------------------------------------------------------


class SeriesRef(BaseModel):
    id: int
    slug: str
    title: str


class EventSummary(BaseModel):
    id: int
    slug: str
    title: str
    series: SeriesRef | None
    format: str = Field(description='e.g. "Online-Podium"; may be empty')
    starts_at: datetime | None = Field(description="UTC; null when not scheduled")
    language: str = Field(examples=["de"])
    join_code: str = Field(description="8 digits that participants type", examples=["12345678"])


class OptionOut(BaseModel):
    id: int
    label: str


class QuestionSettings(BaseModel):
    """The settings of the question's kind; those of other kinds are null."""

    max_choices: int | None = Field(None, description="multiple: at most this many options")
    percent_base: PercentBase | None = Field(
        None, description="multiple: percentages of respondents or of all choices made"
    )
    scale_min: int | None = Field(None, description="scale: lowest value")
    scale_max: int | None = Field(None, description="scale: highest value")
    min_label: str | None = Field(None, description="scale: label of the lowest value")
    max_label: str | None = Field(None, description="scale: label of the highest value")
    max_words: int | None = Field(None, description="words: at most this many words")
    max_length: int | None = Field(None, description="text: at most this many characters")


class QuestionOut(BaseModel):
    id: int
    position: int
    kind: Kind
    title: str
    options: list[OptionOut] = Field(description="single and multiple only; empty otherwise")
    settings: QuestionSettings
    allow_change: bool = Field(description="participants may change their answer")
    voting_open: bool
    results_on_screen: bool
    results_on_devices: bool


class EventOut(EventSummary):
    join_url: str
    current_question_id: int | None
    questions: list[QuestionOut]


# -- results -----------------------------------------------------------------------------


class OptionResultOut(BaseModel):
    id: int
    label: str
    count: int
    percent: float = Field(description="share of percent_base, unrounded")
    whole_percent: int = Field(description="percent rounded half up, as shown on charts")


class ChoiceResultOut(BaseModel):
    kind: Literal["single", "multiple"]
    respondents: int = Field(description="participants who answered")
    answers: int = Field(description="choices made in all")
    percent_base: PercentBase
    options: list[OptionResultOut]


class ScaleStepOut(BaseModel):
    value: int
    count: int
    percent: float = Field(description="share of respondents, unrounded")
    whole_percent: int


class ScaleResultOut(BaseModel):
    kind: Literal["scale"]
    respondents: int
    mean: float | None = Field(description="null while nobody answered")
    min_label: str
    max_label: str
    steps: list[ScaleStepOut]


class WordCountOut(BaseModel):
    word: str = Field(description="the spelling most participants used")
    count: int
    spellings: list[str] = Field(description="every spelling counted as this word")


class WordsResultOut(BaseModel):
    kind: Literal["words"]
    respondents: int
    words: list[WordCountOut] = Field(description="most frequent first")


class TextResultOut(BaseModel):
    kind: Literal["text"]
    respondents: int
    texts: list[str] = Field(description="newest first")


ResultOut = Annotated[
    ChoiceResultOut | ScaleResultOut | WordsResultOut | TextResultOut,
    Field(discriminator="kind"),
]


class QuestionResultOut(QuestionOut):
    result: ResultOut


class EventResultsOut(BaseModel):
    event_id: int
    slug: str
    title: str
    questions: list[QuestionResultOut]


# -- live state ---------------------------------------------------------------------------


class QuestionFlagsOut(BaseModel):
    question_id: int
    voting_open: bool
    results_on_screen: bool
    results_on_devices: bool


class LiveStateOut(BaseModel):
    event_id: int
    current_question_id: int | None = Field(description="null: the welcome screen")
    current: QuestionFlagsOut | None = Field(description="the current question's flags")
    questions: list[QuestionFlagsOut] = Field(description="every question, in order")


class LiveUpdateIn(BaseModel):
    """What to change; fields left out stay as they are. The flags apply to
    `question_id`, else to `current_question_id` of this body, else to the
    question that is current."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"current_question_id": 3},
                {"question_id": 3, "voting_open": True, "results_on_screen": True},
                {"current_question_id": None},
            ]
        },
    )

    current_question_id: StrictInt | None = Field(
        None, description="show this question; null shows the welcome screen"
    )
    question_id: StrictInt | None = Field(None, description="the question whose flags to set")
    voting_open: StrictBool | None = None
    results_on_screen: StrictBool | None = None
    results_on_devices: StrictBool | None = None

    def flags(self) -> dict[str, bool]:
        values = {
            "voting_open": self.voting_open,
            "results_on_screen": self.results_on_screen,
            "results_on_devices": self.results_on_devices,
        }
        return {name: value for name, value in values.items() if value is not None}


class PublicationIn(BaseModel):
    """What to publish; open texts and contributions only when asked for."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"questions": [3, 5], "include_contributions": True}]},
    )

    questions: list[StrictInt] | None = Field(
        None, description="question ids; null: every question, later ones included"
    )
    include_texts: StrictBool = Field(False, description="the answers to open-text questions")
    include_contributions: StrictBool = Field(False, description="approved contributions only")


class PublicationOut(BaseModel):
    published: bool
    url: str | None = Field(description="the secret public link; null when not published")
    questions: list[int] | None = Field(None, description="null: every question")
    include_texts: bool = False
    include_contributions: bool = False


# -- participants ------------------------------------------------------------------------


class JoinEventOut(BaseModel):
    title: str
    format: str
    starts_at: datetime | None
    language: str
    join_code: str


class ParticipantQuestionOut(BaseModel):
    id: int
    kind: Kind
    title: str
    options: list[OptionOut]
    settings: QuestionSettings
    allow_change: bool
    voting_open: bool
    results_on_devices: bool = Field(description="results are shown to participants")
    results: ResultOut | None = Field(description="null unless results_on_devices")


class JoinOut(BaseModel):
    event: JoinEventOut
    question: ParticipantQuestionOut | None = Field(
        description="the current question; null while the welcome screen is shown"
    )
    your_answer: AnswerValue | None = Field(
        description="this participant's current answer to the question, if any"
    )


class AnswerIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "question_id": 3,
                    "answer_id": "5b0c2a4e-8a39-4d5c-9d1f-2f0b7d1f4e11",
                    "value": [11, 13],
                }
            ]
        },
    )

    question_id: StrictInt
    # The rule of domain/codes.is_answer_id, in the schema too (clients and
    # Schemathesis read it there); web/errors.py words its refusal as the domain's.
    answer_id: StrictStr = Field(
        description="made by the client, 8-64 characters of A-Z a-z 0-9 _ - (a UUID); "
        "sending it again with the same answer is a harmless retry",
        min_length=8,
        max_length=64,
        pattern=r"^[A-Za-z0-9_-]+$",
    )
    value: AnswerValue = Field(
        description="single/multiple: option id or list of ids; scale: an integer; "
        "words: list of words; text: a string"
    )


class AnswerOut(BaseModel):
    status: Literal["received"]
    outcome: Literal["created", "changed", "repeated"] = Field(
        description="created: first answer; changed: replaced the earlier one; "
        "repeated: this answer id was already stored with this answer"
    )
    question_id: int
    value: AnswerValue = Field(description="the answer as stored (canonical form)")
    message: str
