"""The server's chores: sign-ups left unconfirmed are deleted one interval ahead, so
that none outlives its days; the retention step runs only when the setting asks."""

from __future__ import annotations

from datetime import timedelta

from podium.housekeeping import UNCONFIRMED_INTERVAL, housekeeping, purge_unconfirmed_ahead
from podium.runtime import Runtime
from podium.services import consent_texts
from podium.services.subscriber_admin import audience
from podium.services.subscriptions import sign_up
from tests.services.subscription_helpers import Signable, compose, signable_series


async def ask(rt: Runtime, series: Signable, email: str, ago: timedelta) -> None:
    version = (await consent_texts.current_consent(rt, series.series_id)).version
    await sign_up(
        rt,
        series.slug,
        email=email,
        lang="de",
        whole_series=True,
        event_ids=[],
        consent_version=version,
        consent_given=True,
        ip=None,
        compose=compose,
        now=series.now - ago,
    )


async def test_the_purge_deletes_what_would_be_overdue_before_its_next_run(
    runtime: Runtime,
) -> None:
    series = await signable_series(runtime)
    days = timedelta(days=runtime.settings.unconfirmed_days)
    await ask(runtime, series, "bald@example.org", days - timedelta(seconds=60))
    await ask(runtime, series, "frisch@example.org", days - timedelta(days=1))
    step = purge_unconfirmed_ahead(runtime, UNCONFIRMED_INTERVAL)
    assert await step() == 1
    left = (await audience(runtime, series.series_id)).subscribers
    assert [s.email for s in left] == ["frisch@example.org"]


async def test_retention_runs_only_when_the_setting_asks(runtime: Runtime) -> None:
    names = [task.name for task in housekeeping(runtime)]
    assert names == ["podium-reminders", "podium-unconfirmed-sign-ups"]
    kept = Runtime(runtime.settings.model_copy(update={"answers_retention_days": 30}))
    try:
        assert [task.name for task in housekeeping(kept)] == [*names, "podium-retention"]
    finally:
        await kept.engine.dispose()
