"""`podium purge`: old events' answers and contributions deleted, each event and the
total printed; --dry-run deletes nothing; without --older-than the server's own
retention setting counts, and without that nothing goes; sign-ups never confirmed
within their days are deleted too."""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TypeVar

import pytest
from sqlalchemy import select

from podium.cli import main
from podium.cli.common import format_when
from podium.runtime import Runtime
from podium.services.retention import Counts, event_data_counts
from podium.settings import Settings
from podium.store.audience_tables import Subscriber
from podium.store.tables import Series
from tests.services.test_retention import event_with_audience

T = TypeVar("T")


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, migrated_template: Path) -> Path:
    path = tmp_path / "podium.db"
    shutil.copy(migrated_template, path)
    for name in ("PODIUM_BASE_URL", "PODIUM_REDIS_URL", "PODIUM_ANSWERS_RETENTION_DAYS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PODIUM_DATABASE_URL", f"sqlite:///{path}")
    monkeypatch.setenv("PODIUM_SECRET_KEY", "test-secret-key-that-is-long-enough")
    return path


def on_db(action: Callable[[Runtime], Awaitable[T]]) -> T:
    async def run() -> T:
        rt = Runtime(Settings())
        await rt.start()
        try:
            return await action(rt)
        finally:
            await rt.stop()

    return asyncio.run(run())


def events(rt_days: dict[str, int | None]) -> dict[str, tuple[int, datetime | None]]:
    """Events with an audience (3 participants, 6 answers, 3 contributions) that
    started that many days ago; their ids and starts."""
    now = datetime.now(UTC).replace(microsecond=0)

    async def make(rt: Runtime) -> dict[str, tuple[int, datetime | None]]:
        made = {}
        for title, ago in rt_days.items():
            start = None if ago is None else now - timedelta(days=ago)
            event_id, _c, _w = await event_with_audience(rt, title, start)
            made[title] = (event_id, start)
        return made

    return on_db(make)


def counts(event_id: int) -> Counts:
    return on_db(lambda rt: event_data_counts(rt, event_id))


def test_purge_deletes_old_events_data_and_prints_it(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    made = events({"Auftakt": 400, "Zweite Runde": 40, "Neu": 5, "Ohne Datum": None})
    assert main(["purge", "--older-than", "30", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Would delete (dry run, nothing deleted): the answers and contributions")
    assert counts(made["Auftakt"][0]) == Counts(6, 3, 3)

    assert main(["purge", "--older-than", "30"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith(
        "Deleted: the answers and contributions of events that started more than 30 days ago"
    )
    first, second = made["Auftakt"], made["Zweite Runde"]
    assert lines[1].split() == ["id", "date", "title", "answers", "contributions", "participants"]
    assert lines[3].split() == [
        str(first[0]),
        *format_when(first[1]).split(),
        "Auftakt",
        "6",
        "3",
        "3",
    ]
    assert lines[4].split() == [
        str(second[0]),
        *format_when(second[1]).split(),
        "Zweite",
        "Runde",
        "6",
        "3",
        "3",
    ]
    assert lines[5] == "Total: 2 events, 12 answers, 6 contributions, 6 participants."
    assert lines[6] == "Sign-ups never confirmed within 14 days: deleted 0 sign-ups."
    assert len(lines) == 7
    assert counts(first[0]) == Counts() and counts(second[0]) == Counts()
    assert counts(made["Neu"][0]) == Counts(6, 3, 3)
    assert counts(made["Ohne Datum"][0]) == Counts(6, 3, 3)

    assert main(["purge", "--older-than", "30"]) == 0
    assert capsys.readouterr().out.startswith(
        "Answers and contributions: no event that started more than 30 days ago"
    )


def test_without_days_the_retention_setting_counts(
    db: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    made = events({"Alt": 40})
    assert main(["purge"]) == 0
    assert capsys.readouterr().out == (
        "Answers and contributions: kept (give --older-than DAYS, or set "
        "PODIUM_ANSWERS_RETENTION_DAYS).\n"
        "Sign-ups never confirmed within 14 days: deleted 0 sign-ups.\n"
    )
    assert counts(made["Alt"][0]) == Counts(6, 3, 3)
    monkeypatch.setenv("PODIUM_ANSWERS_RETENTION_DAYS", "30")
    assert main(["purge"]) == 0
    assert "Total: 1 event, 6 answers, 3 contributions, 3 participants." in capsys.readouterr().out
    assert counts(made["Alt"][0]) == Counts()


def sign_ups(ages: dict[str, tuple[str, int]]) -> None:
    """Sign-ups of one series: address -> (state, days since the request)."""
    now = datetime.now(UTC)

    async def make(rt: Runtime) -> None:
        async with rt.sessions() as session, session.begin():
            series = Series(slug="reihe", title="Reihe")
            session.add(series)
            await session.flush()
            for address, (state, ago) in ages.items():
                session.add(
                    Subscriber(
                        series_id=series.id,
                        email=address,
                        email_key=address,
                        state=state,
                        whole_series=True,
                        consent_version=1,
                        unsubscribe_key=f"key-{address}",
                        requested_at=now - timedelta(days=ago),
                        confirmed_at=now if state == "confirmed" else None,
                    )
                )

    on_db(make)


def addresses() -> set[str]:
    async def read(rt: Runtime) -> set[str]:
        async with rt.sessions() as session:
            return set(await session.scalars(select(Subscriber.email)))

    return on_db(read)


def test_purge_deletes_sign_ups_never_confirmed_in_time(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sign_ups(
        {
            "alt@example.org": ("pending", 15),
            "frisch@example.org": ("pending", 13),
            "dabei@example.org": ("confirmed", 40),
        }
    )
    assert main(["purge", "--dry-run"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == (
        "Sign-ups never confirmed within 14 days: would delete (dry run, nothing deleted) "
        "1 sign-up."
    )
    assert len(addresses()) == 3
    assert main(["purge"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == (
        "Sign-ups never confirmed within 14 days: deleted 1 sign-up."
    )
    assert addresses() == {"frisch@example.org", "dabei@example.org"}


@pytest.mark.parametrize("days", ["-1", "zwei", "1.5"])
def test_days_must_be_a_whole_number(
    db: Path, capsys: pytest.CaptureFixture[str], days: str
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["purge", "--older-than", days])
    assert exited.value.code == 2
    assert "a whole number of days (0 or more) expected" in capsys.readouterr().err
