"""Shared fixtures: every test gets its own migrated SQLite database."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher, profiles

from podium.services.runtime import Runtime
from podium.settings import Settings
from podium.store.migrate import upgrade


@pytest.fixture(autouse=True)
def cheap_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """argon2id with the lowest costs: the same algorithm, without 64 MiB per login."""
    from podium.services import accounts

    monkeypatch.setattr(accounts, "_hasher", PasswordHasher.from_parameters(profiles.CHEAPEST))
    accounts._dummy_hash_sync.cache_clear()


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One database migrated once per test run; each test copies it (fast, isolated)."""
    path = tmp_path_factory.mktemp("template") / "podium.db"
    upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture
def settings(tmp_path: Path, migrated_template: Path) -> Settings:
    db = tmp_path / "podium.db"
    shutil.copy(migrated_template, db)
    return Settings(
        database_url=f"sqlite:///{db}",
        secret_key="test-secret-key-that-is-long-enough",
        screen_tick=0.05,
        device_tick=0.2,
    )


@pytest.fixture
async def runtime(settings: Settings) -> AsyncIterator[Runtime]:
    rt = Runtime(settings)
    await rt.start()
    try:
        yield rt
    finally:
        await rt.stop()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Browser tests last: Playwright's sync API keeps an event loop running in the
    main thread for the rest of the session, which async tests cannot share."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)
