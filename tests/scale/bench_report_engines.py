"""The measurement behind the choice of the PDF report engine (issue 15), recorded in
docs/BENCHMARKS.md ("Report engines: WeasyPrint or Typst").

Two synthetic events are made in memory, the same each run: one like the demo event
(4 questions, one with the four options of the seed article's question, a word cloud,
30 contributions) and a large one (10 questions, two word clouds of 500 words each,
2,000 contributions in German). Both engines render the same content from their own
template in tests/scale/report_engines/: WeasyPrint from HTML + CSS as PDF/UA-1 with
tags, Typst through its Python binding with pdf_standards ["ua-1"]. Charts are the
same inline SVG bar charts (colours as attributes, a <title> inside), fonts the same
DejaVu Sans files.

Each render runs in a fresh Python process, so that its peak memory (VmHWM) is its
own; the time is that of the render alone (data made, modules imported before). The
PDFs are then read with pikepdf: pages, size (as written and after a save with object
streams) and the tagged structure PDF/UA asks for.

    PYTHONPATH=src python -m tests.scale.bench_report_engines [--json FILE] [--png-dir docs/img]

Not a test: benchmarks are not timed unit tests. It needs the engines extra
(weasyprint), typst, pikepdf and, for --png-dir, pdftoppm (poppler-utils) and Pillow.
"""

from __future__ import annotations

import argparse
import io
import json
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import pikepdf

from podium.bench import report_event
from podium.bench.system import machine

HERE = Path(__file__).parent / "report_engines"
FONTS = Path("/usr/share/fonts/truetype/dejavu")
ENGINES = ("weasyprint", "typst")
DATASETS = ("demo", "large")
RUNS = 3
BAR = "#1f5fa8"  # the charts' colours are attributes: a CSS class would not reach the SVG
TRACK = "#e3e8ef"

# --- the two events -------------------------------------------------------------------

SEED_QUESTION = (
    "Was waren in den letzten Monaten Ihre TOP-Themen?",
    [
        ("Organisation von Homeoffice", 24),
        ("Führung und Zusammenarbeit auf Distanz", 22),
        ("Änderungen bei der Beratung", 28),
        ("Änderungen bei den Zugangskanälen", 26),
    ],
)
CHOICE_QUESTIONS = [
    (
        "Welcher Kontaktweg wird nach der Pandemie am wichtigsten sein?",
        ["Persönlich vor Ort", "Telefon", "Video", "E-Mail und Online-Portal", "Chat"],
    ),
    (
        "Wie gut gelingt die Zusammenarbeit in Ihrem Team auf Distanz?",
        ["Sehr gut", "Gut", "Teils, teils", "Schlecht", "Sehr schlecht"],
    ),
    (
        "Wie zufrieden sind Sie mit der digitalen Ausstattung?",
        ["Sehr zufrieden", "Zufrieden", "Weniger zufrieden", "Unzufrieden"],
    ),
    (
        "Welche Maßnahme würde Ihre Arbeit am meisten erleichtern?",
        ["Mehr Fortbildung", "Bessere Software", "Klare Regeln fürs Homeoffice", "Mehr Personal"],
    ),
    (
        "Wie oft arbeiten Sie inzwischen mobil?",
        ["Täglich", "Mehrmals pro Woche", "Einmal pro Woche", "Seltener", "Nie"],
    ),
    (
        "Was erwarten Kundinnen und Kunden künftig vor allem?",
        ["Schnelle Erreichbarkeit", "Persönliche Beratung", "Online-Anträge", "Kurze Wartezeiten"],
    ),
    (
        "Wie bewerten Sie die Führung auf Distanz in Ihrem Haus?",
        ["Gelungen", "Überwiegend gelungen", "Ausbaufähig", "Nicht gelungen"],
    ),
]
WORD_QUESTIONS = [
    "Welche Schlagworte fallen Ihnen zur Jobcenterwelt nach der Pandemie ein?",
    "Was soll aus der Zeit der Pandemie bleiben?",
]
# The words and sentences of `podium bench-reports`' event; the first 25 heads, as when
# the figures in docs/BENCHMARKS.md were measured.
HEADS = report_event.HEADS[:25]
TAILS, OPENINGS, MIDDLES, ENDINGS = (
    report_event.TAILS,
    report_event.OPENINGS,
    report_event.MIDDLES,
    report_event.ENDINGS,
)
STATUSES = ("beantwortet", "offen", "hervorgehoben", "archiviert")


def de_percent(count: int, total: int) -> str:
    return f"{100 * count / total:.1f} %".replace(".", ",") if total else "–"


def shares(rng: random.Random, options: list[str]) -> list[tuple[str, int]]:
    weights = [rng.randint(5, 40) for _ in options]
    return [(o, round(100 * w / sum(weights))) for o, w in zip(options, weights, strict=True)]


def word_list(rng: random.Random, count: int, top: int) -> list[tuple[str, int]]:
    """`count` distinct German compounds with Zipf-like counts (`top` for the first)."""
    words = [h + t for h in HEADS for t in TAILS]
    rng.shuffle(words)
    return [(w, max(1, round(top / (rank + 1) ** 0.9))) for rank, w in enumerate(words[:count])]


def bar_chart(title: str, rows: list[tuple[str, int]], total: int, unit: str) -> str:
    """A horizontal bar chart as SVG: label, bar on its track, count and share."""
    width, label_w, row_h, bar_w = 700, 290, 26, 250
    height = row_h * len(rows) + 12
    top = max((n for _, n in rows), default=1) or 1
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" font-family="DejaVu Sans" font-size="12">',
        f"<title>{escape(title)}</title>",
    ]
    for i, (label, n) in enumerate(rows):
        y = 6 + i * row_h
        shown = label if len(label) <= 42 else label[:41] + "…"
        parts += [
            f'<text x="0" y="{y + 16}" fill="#222222">{escape(shown)}</text>',
            f'<rect x="{label_w}" y="{y + 4}" width="{bar_w}" height="16" fill="{TRACK}"/>',
            f'<rect x="{label_w}" y="{y + 4}" width="{bar_w * n / top:.1f}" height="16" '
            f'fill="{BAR}"/>',
            f'<text x="{label_w + bar_w + 8}" y="{y + 16}" fill="#222222">'
            f"{n} {unit} ({de_percent(n, total)})</text>",
        ]
    parts.append("</svg>")
    return "\n".join(parts)


def question(number: int, title: str, rows: list[tuple[str, int]], words: bool) -> dict[str, Any]:
    if words:
        total = sum(n for _, n in rows)
        charted, unit, header = rows[:15], "×", "Wort"
        respondents = round(total / 2.6)
    else:
        total = respondents = sum(n for _, n in rows)
        charted, unit, header = rows, "Stimmen", "Antwort"
    most = ", ".join(f"{label} {de_percent(n, total)}" for label, n in charted[:5])
    what = "Die häufigsten Wörter" if words else "Balkendiagramm der Antworten"
    return {
        "number": number,
        "title": title,
        "kind": "words" if words else "choice",
        "respondents": str(respondents),
        "label_header": header,
        "rows": [
            {"label": label, "count": str(n), "percent": de_percent(n, total)} for label, n in rows
        ],
        "svg": bar_chart(f"{number}. {title}", charted, total, unit),
        "chart": f"chart-{number}.svg",
        "alt": f"{what} zu Frage {number}: {most}.",
    }


def contributions(rng: random.Random, count: int) -> list[dict[str, str]]:
    out = []
    for i in range(count):
        text = f"{rng.choice(OPENINGS)} {rng.choice(MIDDLES)}. {rng.choice(ENDINGS)}".strip()
        minute = 10 * 60 + i * 150 // max(count, 1)
        out.append(
            {
                "time": f"{minute // 60:02d}:{minute % 60:02d}",
                "text": text,
                "likes": str(rng.randint(0, 40)),
                "status": rng.choice(STATUSES),
            }
        )
    return out


def dataset(name: str) -> dict[str, Any]:
    """The report's content; the same for both engines and every run."""
    rng = random.Random(f"podium-report-engines-{name}")
    scale = 1 if name == "demo" else 6
    seed_rows = [(label, share * 2 * scale) for label, share in SEED_QUESTION[1]]
    qs = [question(1, SEED_QUESTION[0], seed_rows, words=False)]
    if name == "demo":
        qs.append(question(2, CHOICE_QUESTIONS[0][0], shares(rng, CHOICE_QUESTIONS[0][1]), False))
        qs.append(question(3, CHOICE_QUESTIONS[1][0], shares(rng, CHOICE_QUESTIONS[1][1]), False))
        qs.append(question(4, WORD_QUESTIONS[0], word_list(rng, 40, 60), words=True))
        posts = contributions(rng, 30)
    else:
        for title, options in CHOICE_QUESTIONS:
            rows = [(o, n * scale) for o, n in shares(rng, options)]
            qs.append(question(len(qs) + 1, title, rows, words=False))
        for title in WORD_QUESTIONS:
            qs.append(question(len(qs) + 1, title, word_list(rng, 500, 900), words=True))
        posts = contributions(rng, 2000)
    event = "Qualitätsarbeit im SGB II – Chancen im Wandel nutzen"
    return {
        "title": f"Ergebnisbericht: {event}",
        "event": event,
        "date": "3. Dezember 2026",
        "summary": [
            {"label": "Teilnehmende", "value": str(200 * scale)},
            {"label": "Fragen", "value": str(len(qs))},
            {"label": "Wortmeldungen", "value": str(len(posts))},
        ],
        "questions": qs,
        "contributions": posts,
    }


# --- rendering (in the child process) -------------------------------------------------


def lay_out(data: dict[str, Any], folder: Path) -> None:
    """The charts as files beside the template, as both engines read them."""
    for q in data["questions"]:
        (folder / q["chart"]).write_text(q["svg"], encoding="utf-8")


def render_weasyprint(data: dict[str, Any], folder: Path, out: Path) -> None:
    import jinja2
    from weasyprint import HTML  # type: ignore[import-untyped]

    shutil.copy(HERE / "report.css", folder / "report.css")
    lay_out(data, folder)
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(HERE), autoescape=True)
    html = env.get_template("report.html").render(**data)
    HTML(string=html, base_url=str(folder) + "/").write_pdf(
        out, pdf_variant="pdf/ua-1", pdf_tags=True
    )


def render_typst(data: dict[str, Any], folder: Path, out: Path) -> None:
    import typst

    shutil.copy(HERE / "report.typ", folder / "report.typ")
    lay_out(data, folder)
    # The SVG text is in the chart files already; JSON parsing it again would be waste.
    questions = [{k: v for k, v in q.items() if k != "svg"} for q in data["questions"]]
    slim = {**data, "questions": questions}
    (folder / "data.json").write_text(json.dumps(slim, ensure_ascii=False), encoding="utf-8")
    typst.compile(
        str(folder / "report.typ"),
        output=str(out),
        root=str(folder),
        font_paths=[str(FONTS)],
        ignore_system_fonts=True,
        pdf_standards=["ua-1"],
    )


RENDERERS = {"weasyprint": render_weasyprint, "typst": render_typst}


def vmhwm_kib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise RuntimeError("no VmHWM in /proc/self/status")


def child(engine: str, name: str, out: Path) -> None:
    """One render in this fresh process; prints seconds and peak memory as JSON."""
    data = dataset(name)
    if engine == "weasyprint":
        import weasyprint  # noqa: F401  (imported before the clock starts, like typst)
    else:
        import typst  # noqa: F401
    before = vmhwm_kib()
    with tempfile.TemporaryDirectory(prefix="podium-engine-") as tmp:
        started = time.perf_counter()
        RENDERERS[engine](data, Path(tmp), out)
        seconds = time.perf_counter() - started
    print(json.dumps({"seconds": seconds, "vmhwm_kib": vmhwm_kib(), "vmhwm_before_kib": before}))


# --- reading the PDFs (in the parent) -------------------------------------------------


def struct_elements(node: Any) -> Iterator[pikepdf.Dictionary]:
    """Every structure element below `node` (marked-content references left out)."""
    kids = node.get("/K") if isinstance(node, pikepdf.Dictionary) else None
    if kids is None:
        return
    for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
        if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            yield kid
            yield from struct_elements(kid)


def has_scope(th: pikepdf.Dictionary) -> bool:
    attributes = th.get("/A")
    if attributes is None:
        return False
    for a in attributes if isinstance(attributes, pikepdf.Array) else [attributes]:
        if isinstance(a, pikepdf.Dictionary) and a.get("/O") == "/Table" and "/Scope" in a:
            return True
    return False


def structure(pdf: pikepdf.Pdf) -> dict[str, Any]:
    root = pdf.Root
    meta = pdf.open_metadata()
    info_title = str(pdf.docinfo.get("/Title", "")) if "/Info" in pdf.trailer else ""
    tree = root.get("/StructTreeRoot")
    elements = list(struct_elements(tree)) if tree is not None else []
    figures = [e for e in elements if e.S == "/Figure"]
    ths = [e for e in elements if e.S == "/TH"]
    mark = root.get("/MarkInfo")
    return {
        "marked": bool(mark is not None and mark.get("/Marked") is True),
        "lang": str(root.get("/Lang", "")),
        "title": str(meta.get("dc:title", "")) or info_title,
        "pdfuaid_part": str(meta.get("pdfuaid:part", "")),
        "struct_tree": tree is not None,
        "figures": len(figures),
        "figures_with_alt": sum("/Alt" in f for f in figures),
        "tables": sum(e.S == "/Table" for e in elements),
        "th": len(ths),
        "th_with_scope": sum(has_scope(t) for t in ths),
    }


def read_pdf(path: Path) -> dict[str, Any]:
    with pikepdf.open(path) as pdf:
        buffer = io.BytesIO()
        pdf.save(buffer, object_stream_mode=pikepdf.ObjectStreamMode.generate)
        return {
            "pages": len(pdf.pages),
            "bytes": path.stat().st_size,
            "bytes_object_streams": buffer.getbuffer().nbytes,
            "structure": structure(pdf),
        }


def refuses(engine: str, missing: str) -> bool | str:
    """Does the engine refuse a PDF/UA-1 document whose image has no alt text
    (`missing` "alt") or that has no title ("title")? True, or what it did instead."""
    svg = bar_chart("Diagramm", [("a", 1)], 1, "×")
    alt = "" if missing == "alt" else "Ein Balken"
    with tempfile.TemporaryDirectory(prefix="podium-engine-") as tmp:
        folder = Path(tmp)
        (folder / "c.svg").write_text(svg, encoding="utf-8")
        out = folder / "out.pdf"
        try:
            if engine == "typst":
                import typst

                title = "" if missing == "title" else '#set document(title: "Bericht")\n'
                image = f'#image("c.svg", alt: "{alt}")' if alt else '#image("c.svg")'
                source = f'{title}#set text(lang: "de")\n= Bericht\n{image}\n'
                (folder / "r.typ").write_text(source, encoding="utf-8")
                typst.compile(
                    str(folder / "r.typ"),
                    output=str(out),
                    font_paths=[str(FONTS)],
                    ignore_system_fonts=True,
                    pdf_standards=["ua-1"],
                )
            else:
                from weasyprint import HTML

                title = "" if missing == "title" else "<title>Bericht</title>"
                html = (
                    f'<html lang="de">{title}<h1>Bericht</h1><img src="c.svg" alt="{alt}"></html>'
                )
                HTML(string=html, base_url=str(folder) + "/").write_pdf(
                    out, pdf_variant="pdf/ua-1", pdf_tags=True
                )
        except Exception as error:
            print(f"{engine} without {missing}: {error}", file=sys.stderr)
            return True
        return f"wrote a PDF without {missing}"


def render(engine: str, name: str, out: Path) -> dict[str, Any]:
    command = [sys.executable, "-m", "tests.scale.bench_report_engines"]
    command += ["--child", engine, name, str(out)]
    done = subprocess.run(command, check=True, capture_output=True, text=True)
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def pictures(pdf: Path, target: Path) -> None:
    """Page 1 and a page of the contributions table side by side, at 60 dpi."""
    from PIL import Image

    with pikepdf.open(pdf) as document:
        table_page = round(len(document.pages) * 0.75)
    with tempfile.TemporaryDirectory(prefix="podium-engine-") as tmp:
        shots = []
        for page in (1, table_page):
            stem = Path(tmp) / f"p{page}"
            pages = ["-f", str(page), "-l", str(page), "-singlefile"]
            subprocess.run(
                ["pdftoppm", "-png", "-r", "60", *pages, str(pdf), str(stem)], check=True
            )
            shots.append(Image.open(f"{stem}.png").convert("RGB"))
        gap = 12
        sheet = Image.new(
            "RGB",
            (sum(s.width for s in shots) + gap * 3, max(s.height for s in shots) + gap * 2),
            "#9aa3ad",
        )
        x = gap
        for shot in shots:
            sheet.paste(shot, (x, gap))
            x += shot.width + gap
        sheet.save(target, optimize=True)


def run(args: argparse.Namespace) -> dict[str, Any]:
    conditions = machine()
    folder = Path(tempfile.mkdtemp(prefix="podium-engines-"))
    results: dict[str, Any] = {}
    for name in DATASETS:
        data = dataset(name)
        for engine in ENGINES:
            out = folder / f"{name}-{engine}.pdf"
            runs = [render(engine, name, out) for _ in range(args.runs)]
            seconds = [r["seconds"] for r in runs]
            results[f"{name}/{engine}"] = {
                "dataset": name,
                "engine": engine,
                "questions": len(data["questions"]),
                "contributions": len(data["contributions"]),
                "seconds_best": round(min(seconds), 3),
                "seconds_median": round(statistics.median(seconds), 3),
                "seconds": [round(s, 3) for s in seconds],
                "peak_rss_kib": max(r["vmhwm_kib"] for r in runs),
                "rss_before_render_kib": max(r["vmhwm_before_kib"] for r in runs),
                **read_pdf(out),
                "pdf": str(out),
            }
            print(f"{name:5} {engine:10} {min(seconds):7.2f} s", file=sys.stderr)
            if args.png_dir and name == "large":
                args.png_dir.mkdir(parents=True, exist_ok=True)
                pictures(out, args.png_dir / f"report-engine-{engine}.png")
    return {
        "command": " ".join(["python -m tests.scale.bench_report_engines", *sys.argv[1:]]),
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": conditions,
        "versions": versions(),
        "results": results,
        "refuses_pdf_ua_without": {
            e: {m: refuses(e, m) for m in ("alt", "title")} for e in ENGINES
        },
    }


def versions() -> dict[str, str]:
    from importlib.metadata import version

    return {p: version(p) for p in ("weasyprint", "typst", "pikepdf")}


def table(figures: dict[str, Any]) -> str:
    lines = [
        "| event | engine | pages | best s | median s | peak RSS MiB | PDF KiB | "
        "object streams KiB | Figure /Alt | TH /Scope | /Table elements |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in figures["results"].values():
        s = r["structure"]
        lines.append(
            f"| {r['dataset']} | {r['engine']} | {r['pages']} | {r['seconds_best']:.2f} | "
            f"{r['seconds_median']:.2f} | {r['peak_rss_kib'] / 1024:.0f} | "
            f"{r['bytes'] / 1024:,.0f} | {r['bytes_object_streams'] / 1024:,.0f} | "
            f"{s['figures_with_alt']}/{s['figures']} | {s['th_with_scope']}/{s['th']} | "
            f"{s['tables']} |"
        )
    lines.append("")
    lines.append("| event | engine | Marked | Lang | Title | pdfuaid:part | StructTreeRoot |")
    lines.append("| --- | --- | --- | --- | --- | --- | --- |")
    for r in figures["results"].values():
        s = r["structure"]
        lines.append(
            f"| {r['dataset']} | {r['engine']} | {s['marked']} | {s['lang'] or '–'} | "
            f"{'yes' if s['title'] else 'no'} | {s['pdfuaid_part'] or '–'} | {s['struct_tree']} |"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.scale.bench_report_engines")
    parser.add_argument("--json", type=Path, help="write every figure to this file")
    parser.add_argument("--png-dir", type=Path, help="page pictures of the large report")
    parser.add_argument("--runs", type=int, default=RUNS, help="renders per engine and event")
    parser.add_argument(
        "--child", nargs=3, metavar=("ENGINE", "EVENT", "OUT"), help=argparse.SUPPRESS
    )
    args = parser.parse_args()
    if args.child:
        engine, name, out = args.child
        child(engine, name, Path(out))
        return 0
    figures = run(args)
    print(table(figures))
    print("refuses PDF/UA-1 without alt text or title:", figures["refuses_pdf_ua_without"])
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
