"""The PDF of an event: title page, participation, every chosen question with its
chart, its numbers as a table and (for word clouds) the ranked words, the open texts
and the approved contributions when included, and how it was all counted.

What the pages say is decided here, in the report's language, and handed to the
Typst template (templates/report/event.typ) as JSON: the template lays it out and
never reads a participant's text as markup.
"""

from __future__ import annotations

from typing import Any

from podium import i18n
from podium.domain.questions import Kind, PercentBase
from podium.domain.tally import ChoiceResult, ScaleResult, TextResult, WordsResult
from podium.reports.file_charts import (
    Chart,
    choice_chart,
    scale_chart,
    timeline_chart,
)
from podium.reports.pdf_blocks import (
    Block,
    chart_block,
    list_block,
    number,
    para_block,
    percent,
    section,
    table_block,
    when,
)
from podium.reports.typst_pdf import render_pdf
from podium.reports.word_cloud import word_cloud_svg
from podium.services.read_models import Item
from podium.services.report_data import ReportData, ReportQuestion

_ = i18n.gettext


def event_pdf(data: ReportData) -> bytes:
    """The report as PDF bytes, in the chosen language or else the event's. Blocking
    (about a second for a large event): callers on the event loop run it in a worker."""
    lang = data.options.lang or data.event.language
    token = i18n.current_lang.set(lang if lang in i18n.LANGUAGES else i18n.LANGUAGES[0])
    try:
        return render_pdf("event.typ", event_content(data), data.generated_at)
    finally:
        i18n.current_lang.reset(token)


def event_content(data: ReportData) -> dict[str, Any]:
    """Everything the pages show, as the template reads it, in the current language."""
    event = data.event
    sections = [_participation(data), *(_question(q) for q in data.questions)]
    if not data.questions:
        sections.append(section(_("Questions"), [para_block(_("No questions were chosen."))]))
    if data.options.include_contributions:
        sections.append(_contributions(data.published_contributions))
    sections.append(_method(data))
    return {
        "lang": i18n.current_lang.get(),
        "title": _("Results: %(event)s", event=event.title),
        "author": event.organiser,
        "cover": _cover(data),
        "sections": sections,
        "footer": f"{event.title} · {_('Results')}",
    }


def _cover(data: ReportData) -> dict[str, Any]:
    event = data.event
    facts = []
    if event.series_title:
        facts.append([_("Series"), event.series_title])
    if event.starts_at is not None:
        facts.append([_("Date"), when(event.starts_at)])
    if event.format:
        facts.append([_("Format"), event.format])
    if event.organiser:
        facts.append([_("Organiser"), event.organiser])
    facts.append([_("Report made"), when(data.generated_at)])
    return {
        "kicker": _("Results report"),
        "series": event.series_title or "",
        "event": event.title,
        "description": event.description,
        "facts": facts,
        "snapshot": (
            _(
                "Snapshot taken at %(time)s while voting was open: the results may still change.",
                time=when(data.generated_at),
            )
            if data.running
            else ""
        ),
        "logo": event.logo_svg,
        "logo-alt": event.organiser or _("Logo"),
        "note-heading": _("Note from the organiser"),
        "note": data.options.cover_note,
    }


def _participation(data: ReportData) -> dict[str, Any]:
    p = data.participation
    blocks: list[Block] = [
        table_block(
            [_("Figure"), _("Number")],
            [
                [_("People who took part"), str(p.joined)],
                [_("Answers given (changed ones included)"), str(p.answers)],
            ],
            "lr",
            ["1fr", "auto"],
        )
    ]
    if p.buckets:
        blocks.append(
            para_block(_("Answers over time (times in Berlin time, Europe/Berlin)"), "caption")
        )
        blocks.append(chart_block(timeline_chart(p)))
    if data.questions:
        blocks.append(para_block(_("Respondents per question"), "caption"))
        blocks.append(
            table_block(
                [_("No."), _("Question"), _("Respondents")],
                [[str(q.number), q.title, str(q.result.respondents)] for q in data.questions],
                "rlr",
                ["auto", "1fr", "auto"],
            )
        )
    return section(_("Participation"), blocks)


def _question(q: ReportQuestion) -> dict[str, Any]:
    result = q.result
    heading = f"{q.number}. {q.title}"
    if not result.respondents:
        return section(heading, [para_block(_("No answers."))])
    if isinstance(result, ChoiceResult):
        blocks = _choice(q, result)
    elif isinstance(result, ScaleResult):
        blocks = _scale(result)
    elif isinstance(result, WordsResult):
        blocks = _words(q, result)
    else:
        blocks = _texts(result)
    return section(heading, blocks)


def _respondents(n: int) -> str:
    return i18n.ngettext("%(num)s respondent", "%(num)s respondents", n)


def _choice(q: ReportQuestion, result: ChoiceResult) -> list[Block]:
    blocks = [chart_block(choice_chart(result))]
    facts = [_respondents(result.respondents)]
    if result.kind is Kind.MULTIPLE:
        limit = q.spec.max_choices or len(q.spec.options)
        facts.append(
            i18n.ngettext(
                "up to %(num)s choice per person",
                "up to %(num)s choices per person",
                limit,
            )
        )
        if result.percent_base is PercentBase.RESPONDENTS:
            facts.append(
                _(
                    "percent of respondents (%(answers)s answers by %(respondents)s people; "
                    "together they can exceed 100 %%)",
                    answers=result.answers,
                    respondents=result.respondents,
                )
            )
        else:
            facts.append(_("percent of all %(answers)s answers given", answers=result.answers))
    blocks.append(para_block(" · ".join(facts), "note"))
    blocks.append(
        table_block(
            [_("Option"), _("Count"), _("Percent")],
            [[o.label, str(o.count), percent(o.whole_percent)] for o in result.options],
            "lrr",
            ["1fr", "auto", "auto"],
        )
    )
    return blocks


def _scale(result: ScaleResult) -> list[Block]:
    last = len(result.steps) - 1
    rows = []
    for n, s in enumerate(result.steps):
        label = result.min_label if n == 0 else result.max_label if n == last else ""
        rows.append([str(s.value), label, str(s.count), percent(s.whole_percent)])
    facts = [_respondents(result.respondents)]
    if result.mean is not None:
        facts.insert(0, _("Mean: %(mean)s", mean=number(result.mean)))
    return [
        chart_block(scale_chart(result)),
        para_block(" · ".join(facts), "note"),
        table_block(
            [_("Step"), _("Label"), _("Count"), _("Percent")],
            rows,
            "rlrr",
            ["auto", "1fr", "auto", "auto"],
        ),
    ]


def _words(q: ReportQuestion, result: WordsResult) -> list[Block]:
    cloud = word_cloud_svg(q.title, result)
    alt = _("Word cloud") + ": " + "; ".join(f"{w.word}: {w.count}" for w in result.words[:60])
    rows = [
        [str(rank), w.word, str(w.count), ", ".join(s for s in w.spellings if s != w.word)]
        for rank, w in enumerate(result.words, start=1)
    ]
    return [
        chart_block(Chart(cloud, alt)),
        para_block(
            _("each word counted once per person; the moderators' merges and hidden words applied"),
            "note",
        ),
        table_block(
            [_("Rank"), _("Word"), _("Count"), _("Other spellings")],
            rows,
            "rlrl",
            ["auto", "1fr", "auto", "1fr"],
        ),
    ]


def _texts(result: TextResult) -> list[Block]:
    return [
        para_block(
            i18n.ngettext(
                "%(num)s answer, newest first", "%(num)s answers, newest first", len(result.texts)
            ),
            "note",
        ),
        list_block(list(result.texts)),
    ]


def _contribution_meta(item: Item) -> str:
    parts = [i18n.ngettext("%(num)s upvote", "%(num)s upvotes", item.votes)]
    if item.status.highlighted:
        parts.append(_("highlighted"))
    if item.status.answered:
        parts.append(_("answered"))
    if item.panelist:
        parts.append(_("to %(panelist)s", panelist=item.panelist))
    if item.name:
        parts.append(_("from %(name)s", name=item.name))
    return " · ".join(parts)


def _contributions(items: list[Item]) -> dict[str, Any]:
    if not items:
        return section(_("Contributions"), [para_block(_("No approved contributions."))])
    entries = [{"text": i.text, "meta": _contribution_meta(i)} for i in items]
    return section(
        _("Contributions"),
        [
            para_block(
                i18n.ngettext(
                    "%(num)s approved contribution, in the order of the event",
                    "%(num)s approved contributions, in the order of the event",
                    len(items),
                ),
                "note",
            ),
            {"type": "entries", "items": entries},
        ],
    )


def _method(data: ReportData) -> dict[str, Any]:
    paragraphs = [
        _(
            "Each participant has one current answer per question. Whoever changed an "
            "answer while voting was open is counted with the latest one only; replaced "
            "answers are kept but not counted. The figures are those of the results "
            "page and the API at the time the report was made."
        ),
        _(
            "Percentages are rounded half up to whole numbers, so together they may differ "
            "from 100 % by a little. Their base is the number of respondents of the question; "
            "for questions with several choices it is named with the question (respondents "
            "or all answers given)."
        ),
        _(
            "Word clouds count the spellings and forms of a word together, each person once "
            "per word; the moderators' merges and hidden words are applied. The list names "
            "the spelling most people used and the others."
        ),
        _(
            "Participants take part without an account and give no name: podium keeps only "
            "the hash of a random token per browser and event, no names, IP addresses or "
            "device details. A contribution names its author only where they chose to give "
            "a name; only contributions the moderators approved are listed."
        ),
        _(
            "People who took part: everyone who answered a question, sent a contribution or "
            "supported one."
        ),
    ]
    if not data.options.include_texts:
        paragraphs.append(_("Open texts are left out of this report."))
    if not data.options.include_contributions:
        paragraphs.append(_("Contributions are left out of this report."))
    return section(_("Method"), [para_block(p) for p in paragraphs])
