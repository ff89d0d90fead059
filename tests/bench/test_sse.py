"""Reading frames and the counts of a presenter's results chart."""

from __future__ import annotations

import json

from podium.bench.sse import FrameParser, label_matches, parse_results

CHART = (
    '<div class="results kind-multiple big" data-question="3"><svg class="chart bars">'
    '<g class="bar"><text x="0" y="24" class="label">Homeoffice &amp; Führung</text>'
    '<text x="735" y="60" class="value">50 %<tspan class="count" dx="12">(12)</tspan></text></g>'
    '<g class="bar"><text x="0" y="104" class="label">Beratung</text>'
    '<text x="735" y="140" class="value">8 %<tspan class="count" dx="12">(2)</tspan></text></g>'
    '</svg><p class="n">\n  24 Teilnehmende\n</p></div>'
)


def test_frames_split_across_chunks() -> None:
    parser = FrameParser()
    assert parser.feed(b"retry: 2000\n\nid: 1\nevent: state\nda") == []
    assert parser.feed(b'ta: {"a":1}\n\n: keep-alive\n\nevent: results\ndata: x\n\n') == [
        ("state", '{"a":1}'),
        ("results", "x"),
    ]


def test_results_frame_counts_labels_and_respondents() -> None:
    frame = parse_results(json.dumps({"question_id": 3, "html": CHART}))
    assert frame.question_id == 3
    assert frame.counts == (12, 2)
    assert frame.labels == ("Homeoffice & Führung", "Beratung")
    assert frame.respondents == 24


def test_labels_cut_on_the_screen_still_match() -> None:
    label = "Gesundheit und Belastung der Mitarbeitenden in Zeiten des Homeoffice und danach"
    assert label_matches(label[:59] + "…", label)
    assert label_matches("Beratung", "Beratung")
    assert not label_matches("Beratung", "Zugang")
