"""The PDF of a series' comparison: a title page, the events, and every compared
question with its small multiples (the chart of the series' results page) and its
figures as a table, then how they were compared. Laid out by the event report's
Typst template (templates/report/event.typ) and blocks, so that both reports follow
the same rules: PDF/UA-1, the document's language and title, headings as outline,
tables with header cells, every chart with its text alternative, shipped fonts.

A module-level function of picklable arguments: the report worker runs it in its
process (ReportWorker.call)."""

from __future__ import annotations

from typing import Any

from podium import i18n
from podium.domain.series_compare import Comparison
from podium.reports.pdf_blocks import (
    Block,
    chart_block,
    number,
    para_block,
    percent,
    section,
    table_block,
    when,
)
from podium.reports.series_charts import event_label, row_label, short_date, small_multiples
from podium.reports.typst_pdf import render_pdf
from podium.services.series_results import SeriesResults

_ = i18n.gettext


def series_pdf(data: SeriesResults, lang: str | None = None) -> bytes:
    """The comparison as PDF bytes, in `lang` or else the series' first event's."""
    chosen = lang or data.language
    token = i18n.current_lang.set(chosen if chosen in i18n.LANGUAGES else i18n.LANGUAGES[0])
    try:
        return render_pdf("event.typ", series_content(data), data.generated_at)
    finally:
        i18n.current_lang.reset(token)


def series_content(data: SeriesResults) -> dict[str, Any]:
    sections = [_events(data)]
    if data.comparisons:
        sections.extend(_comparison(c) for c in data.comparisons)
    else:
        sections.append(
            section(
                _("Compared questions"),
                [
                    para_block(
                        _(
                            "No question has a comparison key at two events or more of this "
                            "series yet."
                        )
                    )
                ],
            )
        )
    sections.append(_method())
    return {
        "lang": i18n.current_lang.get(),
        "title": _("Series comparison: %(series)s", series=data.title),
        "author": data.organiser,
        "cover": _cover(data),
        "sections": sections,
        "footer": f"{data.title} · {_('Series comparison')}",
    }


def _cover(data: SeriesResults) -> dict[str, Any]:
    facts = [[_("Events"), str(len(data.events))]]
    facts.append([_("Compared questions"), str(len(data.comparisons))])
    if data.organiser:
        facts.append([_("Organiser"), data.organiser])
    facts.append([_("Report made"), when(data.generated_at)])
    return {
        "kicker": _("Series comparison"),
        "series": "",
        "event": data.title,
        "description": data.description,
        "facts": facts,
        "snapshot": "",
        "note-heading": "",
        "note": "",
    }


def _events(data: SeriesResults) -> dict[str, Any]:
    rows = [[e.title, short_date(e.starts_at) or _("no date")] for e in data.events]
    return section(
        _("Events of the series"),
        [table_block([_("Event"), _("Date")], rows, "ll", ["1fr", "auto"])],
    )


def _comparison(c: Comparison) -> dict[str, Any]:
    events = [event_label(e) for e in c.events]
    rows: list[list[str]] = [[_("Respondents (n)"), *(str(e.respondents) for e in c.events)]]
    for n, row in enumerate(c.rows):
        cells = []
        for e in c.events:
            share = e.shares[n]
            cells.append(
                _("not asked") if share is None else f"{percent(share.percent)} ({share.count})"
            )
        rows.append([row_label(c, row), *cells])
    if str(c.kind) == "scale":
        rows.append([_("Mean"), *(number(e.mean) if e.mean is not None else "–" for e in c.events)])
    asked = "; ".join(f"{event_label(e)}: {e.title}" for e in c.events if e.title != c.title)
    blocks: list[Block] = [
        para_block(
            _("Comparison key: %(key)s · percent of respondents per event", key=c.key), "note"
        ),
        chart_block(small_multiples(c)),
        table_block(
            [_("Option"), *events],
            rows,
            "l" + "r" * len(events),
            ["1fr", *("auto" for _e in events)],
        ),
    ]
    if asked:
        blocks.append(para_block(_("Asked as: %(titles)s", titles=asked), "note"))
    return section(c.title, blocks)


def _method() -> dict[str, Any]:
    return section(
        _("Method"),
        [
            para_block(
                _(
                    "Questions are compared when the organiser gave them the same comparison "
                    "key at two events or more of the series. Options are matched by their "
                    "label (upper and lower case and spaces aside); an option an event did not "
                    "offer is marked “not asked”, not counted as 0 %."
                )
            ),
            para_block(
                _(
                    "Percentages are of each event's respondents to the question, rounded half "
                    "up, also for questions that counted shares of all answers: so events of "
                    "different sizes compare. The figures are those of the events' results "
                    "pages at the time the report was made."
                )
            ),
        ],
    )
