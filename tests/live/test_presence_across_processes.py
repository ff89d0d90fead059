"""Two processes on one database and one Redis channel: each console counts the
phones connected to either process, and follows them as they leave."""

from __future__ import annotations

import httpx

from podium.services import accounts
from podium.settings import Settings
from tests.live.test_redis_hub import REDIS_URL, channel
from tests.server import live_server
from tests.web.conftest import PASSWORD, make_event
from tests.web.test_live_follow import Stream, logged_in

__all__ = ["channel"]  # the fixture: a random Redis channel of this test


def test_consoles_count_the_phones_of_both_processes(settings: Settings, channel: str) -> None:
    shared = settings.model_copy(
        update={"redis_url": REDIS_URL, "redis_channel": channel, "heartbeat": 0.5}
    )
    streams: list[Stream] = []
    clients: list[httpx.Client] = []
    with live_server(shared) as a:
        demo = a.run(make_event, a.rt)
        a.run(accounts.create_user, a.rt, "orga@example.org", PASSWORD)
        path = f"/p/{demo.event.join_code}/stream"
        try:
            with live_server(shared) as b:
                console_a, console_b = logged_in(a), logged_in(b)
                clients += [console_a, console_b]
                on_a = Stream(console_a, f"/moderate/{demo.event.id}/stream")
                on_b = Stream(console_b, f"/moderate/{demo.event.id}/stream")
                streams += [on_a, on_b]
                phones: dict[str, list[Stream]] = {"a": [], "b": []}
                for name, srv, n in (("a", a, 1), ("b", b, 2)):
                    for _ in range(n):
                        client = httpx.Client(base_url=srv.url, timeout=10)
                        clients.append(client)
                        phones[name].append(Stream(client, path))
                streams += phones["a"] + phones["b"]
                for console in (on_a, on_b):
                    console.wait_for("participants", lambda d: d["count"] == 3, 2.0)
                # B's phones leave: both consoles count A's phone alone.
                for phone in phones["b"]:
                    phone.close()
                for client in clients[-2:]:
                    client.close()
                for console in (on_a, on_b):
                    console.wait_for("participants", lambda d: d["count"] == 1, 2.0)
                on_b.close()
        finally:
            for stream in streams:
                stream.close()
            for client in clients:
                client.close()
