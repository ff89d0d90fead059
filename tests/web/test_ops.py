from tests.web.conftest import Harness


def test_health_check_and_noop(harness: Harness) -> None:
    assert harness.client.get("/healthz").json() == {"status": "ok"}
    assert harness.client.post("/healthz/noop").status_code == 204
