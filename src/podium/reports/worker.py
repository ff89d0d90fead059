"""Reports are made in a separate process, so that a live event on the same server
keeps its latency while a large report renders: typesetting a hundred pages and
writing a hundred thousand spreadsheet rows are CPU work that would otherwise hold
the interpreter (and its event loop) for seconds.

The server reads what the report shows (`ReportData`: the live results) and hands
it over; the worker streams the answers itself, over its own database connection,
and gives back the finished file. One worker at a time: a second report waits for
the first rather than taking the second core from the live event.
"""

from __future__ import annotations

import asyncio
import io
import multiprocessing
import queue
import threading
from collections.abc import Callable, Generator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from sqlalchemy.engine import make_url

from podium import i18n
from podium.domain.report import Format
from podium.reports.event_pdf import event_pdf
from podium.reports.event_tables import write_csv_zip, write_xlsx
from podium.services.report_data import AnswerRow, ReportData, answer_rows, sqlite_answer_rows
from podium.store.engine import async_url, is_sqlite, make_engine, make_sessionmaker

BATCH = 2000  # answers handed from the reading thread to the writer at a time
AHEAD = 4  # batches read ahead at most: the export holds a few thousand rows, never all
_DONE = object()


Progress = Callable[[int], object]  # told how many more answers were written


def render(
    database_url: str, data: ReportData, fmt: str, progress: Progress | None = None
) -> bytes:
    """The report as a file, in the report's language. Runs in the worker process
    (and where a caller has no live event to protect, such as `podium export`)."""
    token = i18n.current_lang.set(data.options.lang or data.event.language)
    try:
        if fmt == Format.PDF:
            return event_pdf(data)
        out = io.BytesIO()
        questions = tuple(q.id for q in data.questions)
        rows = _answers(database_url, data.event.id, questions, progress)
        try:
            (write_xlsx if fmt == Format.XLSX else write_csv_zip)(data, rows, out)
        finally:
            rows.close()
        return out.getvalue()
    finally:
        i18n.current_lang.reset(token)


def _answers(
    database_url: str,
    event_id: int,
    question_ids: tuple[int, ...],
    progress: Progress | None = None,
) -> Generator[AnswerRow, None, None]:
    """The answers as a plain iterator for the (synchronous) writers. SQLite is read
    right here; otherwise a thread reads them with the async store and passes them on
    in batches through a bounded queue."""
    if is_sqlite(database_url):
        path = make_url(async_url(database_url)).database or ""
        count = 0
        for row in sqlite_answer_rows(path, event_id, question_ids):
            yield row
            count += 1
            if progress is not None and count == BATCH:
                progress(count)
                count = 0
        if progress is not None and count:
            progress(count)
        return
    batches: queue.Queue[Any] = queue.Queue(maxsize=AHEAD)
    stop = threading.Event()

    async def read() -> None:
        engine = make_engine(database_url)
        try:
            batch: list[AnswerRow] = []
            async for row in answer_rows(make_sessionmaker(engine), event_id, question_ids):
                batch.append(row)
                if len(batch) >= BATCH:
                    await asyncio.to_thread(_put, batches, batch, stop)
                    batch = []
                if stop.is_set():
                    return
            if batch:
                await asyncio.to_thread(_put, batches, batch, stop)
        finally:
            await engine.dispose()

    def run() -> None:
        try:
            asyncio.run(read())
            _put(batches, _DONE, stop)
        except BaseException as exc:  # handed to the consumer, which raises it
            _put(batches, exc, stop)

    reader = threading.Thread(target=run, name="report-answers", daemon=True)
    reader.start()
    try:
        while True:
            item = batches.get()
            if item is _DONE:
                return
            if isinstance(item, BaseException):
                raise item
            yield from item
            if progress is not None:
                progress(len(item))
    finally:
        stop.set()
        reader.join()


def _put(batches: queue.Queue[Any], item: Any, stop: threading.Event) -> None:
    while not stop.is_set():
        try:
            batches.put(item, timeout=0.1)
            return
        except queue.Full:
            continue


class ReportWorker:
    """The process that makes reports, started on the first report."""

    def __init__(self, database_url: str) -> None:
        self._database_url = database_url
        self._pool: ProcessPoolExecutor | None = None
        self._lock = asyncio.Lock()

    async def render(self, data: ReportData, fmt: str) -> bytes:
        return await self.call(render, self._database_url, data, fmt)

    async def call(self, function: Callable[..., bytes], *args: Any) -> bytes:
        """`function(*args)` in the worker process: a module-level function whose
        arguments can be pickled (such as reports.series_pdf.series_pdf)."""
        async with self._lock:
            if self._pool is None:
                # spawn: a fork of a server with threads and open sockets is not safe
                context = multiprocessing.get_context("spawn")
                self._pool = ProcessPoolExecutor(max_workers=1, mp_context=context)
            loop = asyncio.get_running_loop()
            try:
                return await loop.run_in_executor(self._pool, function, *args)
            except BrokenProcessPool:
                self._pool = None  # the worker died (killed, out of memory): a new one next time
                raise

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None
