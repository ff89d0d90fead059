"""The PostgreSQL half of the privacy scan: the tables as tests/conftest.py reads them
just before a test database is dropped show a stored IP."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import make_url

from podium.runtime import Runtime
from podium.settings import Settings
from tests.conftest import PgAdmin
from tests.privacy_scan import scan_tables
from tests.services.subscription_helpers import signable_series
from tests.services.test_subscriptions import signed

pytestmark = pytest.mark.postgresql_only


async def test_an_ip_stored_with_signup_store_ip_on_is_found(
    settings: Settings, pg_admin: PgAdmin
) -> None:
    rt = Runtime(settings.model_copy(update={"signup_store_ip": True}))
    await rt.start()
    try:
        await signed(rt, await signable_series(rt))
    finally:
        await rt.stop()
    name = make_url(settings.database_url).database
    assert name
    tables = pg_admin.tables(name)
    findings = scan_tables(tables, "here")
    assert [(f.kind, f.value) for f in findings] == [("ip", "203.0.113.7")]
    assert "consent_log" in findings[0].where
