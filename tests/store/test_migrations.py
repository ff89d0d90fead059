"""Alembic on both backends: the migrations build the schema from nothing, the app
refuses a database they have not brought up to date, and the migrated schema is
exactly the models' (a model change without its migration fails here)."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Column, Connection, Integer, MetaData, inspect, text

import podium.store.audience_tables  # noqa: F401  (registers its tables)
from podium.runtime import Runtime
from podium.settings import Settings
from podium.store.engine import make_engine
from podium.store.migrate import (
    NotMigrated,
    alembic_config,
    current_revision,
    head_revision,
    upgrade_in_thread,
)
from podium.store.tables import Base


async def schema_differences(url: str, metadata: MetaData = Base.metadata) -> list[Any]:
    """What `alembic revision --autogenerate` would write: empty when models and
    migrated schema agree (types included)."""

    def compare(conn: Connection) -> list[Any]:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return list(compare_metadata(context, metadata))

    engine = make_engine(url)
    try:
        async with engine.connect() as conn:
            return await conn.run_sync(compare)
    finally:
        await engine.dispose()


async def table_names(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        async with engine.connect() as conn:
            return set(await conn.run_sync(lambda c: inspect(c).get_table_names()))
    finally:
        await engine.dispose()


async def revision_of(url: str) -> str | None:
    engine = make_engine(url)
    try:
        return await current_revision(engine, url)
    finally:
        await engine.dispose()


def runtime_of(url: str) -> Runtime:
    return Runtime(Settings(database_url=url, secret_key="test-secret-key-that-is-long-enough"))


async def test_upgrade_builds_the_schema_from_an_empty_database(empty_database_url: str) -> None:
    url = empty_database_url
    assert await table_names(url) == set()
    upgrade_in_thread(url)
    assert await revision_of(url) == head_revision(url)
    assert await table_names(url) == set(Base.metadata.tables) | {"alembic_version"}
    rt = runtime_of(url)
    await rt.start()  # the app accepts it
    await rt.stop()


async def test_downgrade_to_nothing_and_up_again(empty_database_url: str) -> None:
    url = empty_database_url
    upgrade_in_thread(url)
    await asyncio.to_thread(command.downgrade, alembic_config(url), "base")  # its own loop
    assert await table_names(url) == {"alembic_version"}
    assert await revision_of(url) is None
    upgrade_in_thread(url)
    assert await schema_differences(url) == []


async def test_the_app_refuses_an_unmigrated_database(empty_database_url: str) -> None:
    rt = runtime_of(empty_database_url)
    with pytest.raises(NotMigrated) as caught:
        await rt.start()
    await rt.stop()
    message = str(caught.value)
    assert "not up to date (at nothing, needs" in message
    assert message.endswith("Run: podium db upgrade")


async def test_the_app_refuses_a_database_of_a_newer_podium(empty_database_url: str) -> None:
    url = empty_database_url
    upgrade_in_thread(url)
    engine = make_engine(url)
    try:
        async with engine.begin() as conn:
            await conn.execute(text("UPDATE alembic_version SET version_num = 'f00dfeed'"))
    finally:
        await engine.dispose()
    rt = runtime_of(url)
    with pytest.raises(NotMigrated, match="revision f00dfeed, which this version of podium"):
        await rt.start()
    await rt.stop()


async def test_the_migrated_schema_is_the_models(database_url: str) -> None:
    assert await schema_differences(database_url) == []


async def test_a_model_change_without_a_migration_is_found(database_url: str) -> None:
    """The comparison above is not blind: a column the models have and the
    migrations do not is reported."""
    changed = MetaData(naming_convention=Base.metadata.naming_convention)
    for table in Base.metadata.sorted_tables:
        table.to_metadata(changed)
    changed.tables["answers"].append_column(Column("weight", Integer, nullable=True))
    differences = await schema_differences(database_url, changed)
    assert [(d[0], d[2], d[3].name) for d in differences] == [("add_column", "answers", "weight")]


def condition(where: Any) -> str | None:
    """An index's WHERE as comparable text: "(superseded = false)" -> "superseded=false"."""
    if where is None:
        return None
    return "".join(str(where).replace("(", "").replace(")", "").split()).lower()


async def test_partial_indexes_keep_their_condition(database_url: str, backend: str) -> None:
    """Autogenerate compares an index's columns, not its WHERE: the one partial index
    (one current answer per participant and question) is checked here."""
    dialect = backend  # the backends are named as SQLAlchemy's dialects
    modelled = {
        index.name: condition(index.dialect_options[dialect]["where"])
        for table in Base.metadata.sorted_tables
        for index in table.indexes
        if index.dialect_options[dialect]["where"] is not None
    }
    assert modelled == {
        "uq_answers_current": "superseded=0" if dialect == "sqlite" else "superseded=false"
    }

    def reflect(conn: Connection) -> dict[str, str | None]:
        found = {}
        for name in Base.metadata.tables:
            for index in inspect(conn).get_indexes(name):
                where = index.get("dialect_options", {}).get(f"{dialect}_where")
                if where is not None:
                    found[index["name"]] = condition(where)
        return found

    engine = make_engine(database_url)
    try:
        async with engine.connect() as conn:
            assert await conn.run_sync(reflect) == modelled
    finally:
        await engine.dispose()


async def test_existing_events_keep_the_participant_count_off_the_screen(
    empty_database_url: str, backend: str
) -> None:
    """Migration 0005: an event made before it does not start showing the count, nor
    does one stored without saying; down again, SQLite's events keep AUTOINCREMENT."""
    url = empty_database_url
    await asyncio.to_thread(command.upgrade, alembic_config(url), "0004")
    row = (
        "INSERT INTO events (slug, title, description, format, language, position,"
        " join_code, presenter_token, participant_salt, created_at)"
        " VALUES ('{0}', 'T', '', '', 'de', 0, '{0}', '{0}', 'salt', '2026-12-03 10:00:00')"
    )
    engine = make_engine(url)
    try:
        async with engine.begin() as conn:
            await conn.execute(text(row.format("before")))
        upgrade_in_thread(url)
        async with engine.begin() as conn:
            await conn.execute(text(row.format("after")))
            shown = await conn.execute(
                text("SELECT slug, screen_shows_participants FROM events ORDER BY slug")
            )
            assert [(slug, bool(on)) for slug, on in shown] == [
                ("after", False),
                ("before", False),
            ]
        await engine.dispose()
        await asyncio.to_thread(command.downgrade, alembic_config(url), "0004")
        async with engine.connect() as conn:
            columns = await conn.run_sync(lambda c: inspect(c).get_columns("events"))
            assert "screen_shows_participants" not in {c["name"] for c in columns}
            if backend == "sqlite":
                sql = await conn.scalar(
                    text("SELECT sql FROM sqlite_master WHERE type='table' AND name='events'")
                )
                assert "AUTOINCREMENT" in sql
    finally:
        await engine.dispose()


async def test_existing_rows_go_into_one_organisation(empty_database_url: str) -> None:
    """Migration 0010: an empty database gets no organisation; one with accounts,
    series and events gets "Standard", and all of them belong to it."""
    url = empty_database_url
    await asyncio.to_thread(command.upgrade, alembic_config(url), "0009")
    engine = make_engine(url)
    try:
        async with engine.begin() as conn:
            await conn.execute(
                text(
                    "INSERT INTO users (email, name, password_hash, role, active, created_at)"
                    " VALUES ('o@example.org', '', 'x', 'organiser', true, '2026-12-03 10:00:00')"
                )
            )
            await conn.execute(
                text(
                    "INSERT INTO series (slug, title, description, position, public, created_at)"
                    " VALUES ('s', 'S', '', 0, false, '2026-12-03 10:00:00')"
                )
            )
        upgrade_in_thread(url)
        async with engine.begin() as conn:
            orgs = list(await conn.execute(text("SELECT id, name FROM organisations")))
            assert [name for _, name in orgs] == ["Standard"]
            for table in ("users", "series"):
                owners = await conn.scalars(text(f"SELECT organisation_id FROM {table}"))
                assert list(owners) == [orgs[0][0]]
    finally:
        await engine.dispose()


async def test_an_empty_database_gets_no_organisation(empty_database_url: str) -> None:
    upgrade_in_thread(empty_database_url)
    engine = make_engine(empty_database_url)
    try:
        async with engine.connect() as conn:
            assert await conn.scalar(text("SELECT COUNT(*) FROM organisations")) == 0
    finally:
        await engine.dispose()
