"""Who may read /metrics: this host, the addresses of settings.metrics_allow, or a
client with the bearer token; nobody through a proxy by address alone."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from podium.app import create_app
from podium.settings import Settings

ALLOW = "10.0.0.5, 10.1.0.0/16, fd00::/8"
# Access is the same whatever the store: SQLite only.
pytestmark = pytest.mark.sqlite_only


def client_from(settings: Settings, host: str, allow: str = ALLOW) -> TestClient:
    app = create_app(settings.model_copy(update={"metrics_allow": allow}))
    return TestClient(app, base_url="http://podium.example", client=(host, 4711))


@pytest.fixture(autouse=True)
def no_token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PODIUM_METRICS_TOKEN", raising=False)


@pytest.mark.parametrize("host", ["10.0.0.5", "10.1.7.9", "fd00::1", "::ffff:10.1.0.1"])
def test_listed_addresses_read_the_metrics_without_a_token(settings: Settings, host: str) -> None:
    with client_from(settings, host) as client:
        response = client.get("/metrics")
        assert response.status_code == 200
        assert "# TYPE podium_" in response.text
        assert response.headers["cache-control"] == "no-store"
        assert response.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize("host", ["10.0.0.6", "10.2.0.1", "203.0.113.9", "2001:db8::1"])
def test_other_addresses_do_not(settings: Settings, host: str) -> None:
    with client_from(settings, host) as client:
        assert client.get("/metrics").status_code == 404


def test_a_listed_proxy_does_not_open_the_metrics_to_its_clients(settings: Settings) -> None:
    with client_from(settings, "10.0.0.5") as client:
        for header in ("X-Forwarded-For", "X-Real-IP", "Forwarded"):
            assert client.get("/metrics", headers={header: "203.0.113.9"}).status_code == 404


def test_with_a_token_other_addresses_need_it_and_listed_ones_do_not(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PODIUM_METRICS_TOKEN", "s3cret-scrape-token")
    with client_from(settings, "203.0.113.9") as client:
        assert client.get("/metrics").status_code == 401
        bearer = {"Authorization": "Bearer s3cret-scrape-token"}
        assert client.get("/metrics", headers=bearer).status_code == 200
    with client_from(settings, "10.1.0.9") as client:
        assert client.get("/metrics").status_code == 200


def test_a_mistyped_entry_is_logged_and_lets_nobody_in(
    settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    with client_from(settings, "10.0.0.5", allow="prometheus.local, 10.0.0.5") as client:
        assert client.get("/metrics").status_code == 200
    assert "metrics_allow: not an address or network, ignored: prometheus.local" in caplog.text
    with client_from(settings, "10.9.9.9", allow="prometheus.local") as client:
        assert client.get("/metrics").status_code == 404


def test_this_host_still_reads_them_with_an_empty_list(settings: Settings) -> None:
    with client_from(settings, "127.0.0.1", allow="") as client:
        assert client.get("/metrics").status_code == 200
    with client_from(settings, "10.0.0.5", allow="") as client:
        assert client.get("/metrics").status_code == 404
