"""Sign-up, confirmation and unsubscription as stored: one transaction with the
queued mail, the same outcome for the visitor whatever was known, one mail an hour,
single-use links that expire and belong to their series, the consent log, the IP
only when set, and the purge of what was never confirmed."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from podium.domain.errors import RuleViolation
from podium.runtime import Runtime
from podium.services import catalog, consent_texts
from podium.services.subscriber_admin import audience, consent_log, delete_subscriber
from podium.services.subscription_ends import purge_unconfirmed, unsubscribe
from podium.services.subscriptions import Outcome, confirm, sign_up
from podium.settings import Settings
from podium.store.audience_tables import ConsentLogEntry, Subscriber
from tests.services.catalog_helpers import snapshot
from tests.services.subscription_helpers import Signable, compose, mails, signable_series, token_of


@pytest.fixture
async def series(runtime: Runtime) -> Signable:
    return await signable_series(runtime)


async def signed(
    rt: Runtime, s: Signable, email: str = "max@example.org", **changes: Any
) -> Outcome:
    version = (await consent_texts.current_consent(rt, s.series_id)).version
    args: dict[str, Any] = {
        "email": email,
        "lang": "de",
        "whole_series": True,
        "event_ids": [],
        "consent_version": version,
        "consent_given": True,
        "ip": "203.0.113.7",
        "compose": compose,
        "now": s.now,
    }
    args.update(changes)
    return await sign_up(rt, s.slug, **args)


async def subscriber(rt: Runtime, ident: int) -> Subscriber:
    async with rt.sessions() as session:
        row = await session.get(Subscriber, ident)
        assert row is not None
        return row


async def log_of(
    rt: Runtime, ident: int
) -> list[tuple[str, int | None, dict[str, Any], str | None]]:
    async with rt.sessions() as session:
        rows = await session.scalars(
            select(ConsentLogEntry)
            .where(ConsentLogEntry.subscriber_id == ident)
            .order_by(ConsentLogEntry.id)
        )
        return [(r.action, r.consent_version, r.scope, r.ip) for r in rows]


async def test_sign_up_queues_one_mail_and_confirming_subscribes(
    runtime: Runtime, series: Signable
) -> None:
    done = await signed(
        runtime, series, "Max.Muster@Example.org", event_ids=[series.first], whole_series=False
    )
    assert done.mailed and done.subscriber_id is not None
    row = await subscriber(runtime, done.subscriber_id)
    assert (row.state, row.email, row.email_key) == (
        "pending",
        "Max.Muster@Example.org",
        "max.muster@example.org",
    )
    [mail] = await mails(runtime)
    assert mail.kind == "confirm" and mail.recipient == "Max.Muster@Example.org"
    token = token_of(mail)
    assert token not in repr(await snapshot(runtime)).replace(mail.text, "")  # only its hash
    assert mail.ref == f"confirm:{row.id}:{row.token_hash[:16]}"
    result = await confirm(runtime, series.slug, token, now=series.now + timedelta(hours=47))
    assert result.events == ("Beratung",) and not result.whole_series
    row = await subscriber(runtime, row.id)
    assert row.state == "confirmed" and row.confirmed_at is not None
    scope = {
        "series": "Digitale Reihe",
        "whole_series": False,
        "events": [
            {
                "id": series.first,
                "title": "Beratung",
                "starts_at": (series.now + timedelta(days=10)).isoformat(),
            }
        ],
        "lang": "de",
    }
    assert await log_of(runtime, row.id) == [
        ("requested", 1, scope, None),
        ("confirmed", 1, scope, None),
    ]


async def test_a_link_is_used_once(runtime: Runtime, series: Signable) -> None:
    await signed(runtime, series)
    token = token_of((await mails(runtime))[0])
    await confirm(runtime, series.slug, token)
    before = await snapshot(runtime)
    with pytest.raises(RuleViolation) as used:
        await confirm(runtime, series.slug, token)
    assert used.value.code == "confirm_link_used"
    assert await snapshot(runtime) == before


async def test_expired_forged_and_foreign_links_confirm_nothing(
    runtime: Runtime, series: Signable
) -> None:
    other = await signable_series(runtime, "Andere Reihe")
    await signed(runtime, series)
    token = token_of((await mails(runtime))[0])
    before = await snapshot(runtime)
    for slug, secret, now, code in (
        (series.slug, token, series.now + timedelta(hours=48), "confirm_link_expired"),
        (other.slug, token, series.now, "confirm_link_other_series"),
        (series.slug, "A" * 43, series.now, "confirm_link_unknown"),
        (series.slug, "../etc", series.now, "confirm_link_unknown"),
        ("no-such-series", token, series.now, "not_found"),
    ):
        with pytest.raises(RuleViolation) as refused:
            await confirm(runtime, slug, secret, now=now)
        assert refused.value.code == code
        assert refused.value.status in (404, 410)
    assert await snapshot(runtime) == before


async def test_one_mail_an_hour_and_the_same_outcome_for_the_visitor(
    runtime: Runtime, series: Signable
) -> None:
    first = await signed(runtime, series)
    before = await snapshot(runtime)
    again = await signed(runtime, series, "MAX@example.org", now=series.now + timedelta(minutes=59))
    assert not again.mailed and await snapshot(runtime) == before
    later = await signed(runtime, series, now=series.now + timedelta(minutes=61))
    assert later.mailed and later.subscriber_id == first.subscriber_id
    old, new = await mails(runtime)
    assert token_of(old) != token_of(new)
    with pytest.raises(RuleViolation) as replaced:
        await confirm(runtime, series.slug, token_of(old), now=series.now + timedelta(hours=2))
    assert replaced.value.code == "confirm_link_unknown"
    await confirm(runtime, series.slug, token_of(new), now=series.now + timedelta(hours=2))


async def test_a_confirmed_address_confirms_its_extension(
    runtime: Runtime, series: Signable
) -> None:
    done = await signed(runtime, series, whole_series=False, event_ids=[series.first])
    assert done.subscriber_id is not None
    await confirm(runtime, series.slug, token_of((await mails(runtime))[0]))
    later = series.now + timedelta(hours=3)
    more = await signed(runtime, series, whole_series=False, event_ids=[series.second], now=later)
    assert more.mailed
    shown = (await audience(runtime, series.series_id)).subscribers[0]
    assert shown.state == "confirmed" and shown.events == ("Beratung",)  # not yet
    await confirm(runtime, series.slug, token_of((await mails(runtime))[1]), now=later)
    shown = (await audience(runtime, series.series_id)).subscribers[0]
    assert shown.events == ("Beratung", "Führung")
    actions = [a for a, *_ in await log_of(runtime, done.subscriber_id)]
    assert actions == ["requested", "confirmed", "requested", "confirmed"]


async def test_unsubscribing_takes_effect_and_twice_says_so(
    runtime: Runtime, series: Signable
) -> None:
    done = await signed(runtime, series)
    assert done.subscriber_id is not None
    await confirm(runtime, series.slug, token_of((await mails(runtime))[0]))
    key = (await subscriber(runtime, done.subscriber_id)).unsubscribe_key
    first = await unsubscribe(runtime, series.slug, key)
    assert not first.already and first.series_title == "Digitale Reihe"
    row = await subscriber(runtime, done.subscriber_id)
    assert row.state == "withdrawn" and row.withdrawn_at is not None
    before = await snapshot(runtime)
    second = await unsubscribe(runtime, series.slug, key)
    assert second.already and await snapshot(runtime) == before
    assert [a for a, *_ in await log_of(runtime, row.id)] == ["requested", "confirmed", "withdrawn"]
    for slug, secret in ((series.slug, "B" * 43), ("other", key), (series.slug, "x")):
        with pytest.raises(RuleViolation):
            await unsubscribe(runtime, slug, secret)
    # signing up again starts over: pending until confirmed
    again = await signed(runtime, series, now=series.now + timedelta(hours=2))
    assert again.mailed and (await subscriber(runtime, row.id)).state == "pending"


async def test_the_ip_is_stored_only_when_set(settings: Settings) -> None:
    rt = Runtime(settings.model_copy(update={"signup_store_ip": True}))
    await rt.start()
    try:
        s = await signable_series(rt)
        done = await signed(rt, s)
        assert done.subscriber_id is not None
        await confirm(rt, s.slug, token_of((await mails(rt))[0]), ip="198.51.100.2")
        assert [(a, ip) for a, _, _, ip in await log_of(rt, done.subscriber_id)] == [
            ("requested", "203.0.113.7"),
            ("confirmed", "198.51.100.2"),
        ]
        text = (await consent_texts.current_consent(rt, s.series_id)).text_de
        assert "IP-Adresse" in text
    finally:
        await rt.stop()


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"email": "Max <max@example.org>"}, "bad_email"),
        ({"email": "max@example.org\r\nBcc: eve@example.org"}, "bad_email"),
        ({"email": "x" * 250 + "@example.org"}, "email_too_long"),
        ({"consent_given": False}, "consent_missing"),
        ({"consent_version": 0}, "consent_text_changed"),
        ({"consent_version": None}, "consent_text_changed"),
        ({"whole_series": False, "event_ids": []}, "no_events_chosen"),
        ({"whole_series": False, "event_ids": ["private"]}, "unknown_signup_event"),
        ({"whole_series": False, "event_ids": ["past"]}, "unknown_signup_event"),
        ({"lang": "fr"}, "unknown_language"),
    ],
)
async def test_bad_input_stores_nothing(
    runtime: Runtime, series: Signable, changes: dict[str, Any], code: str
) -> None:
    await consent_texts.current_consent(runtime, series.series_id)
    changes = dict(changes)  # the parameters are shared by both backends' runs
    if "event_ids" in changes:
        changes["event_ids"] = [getattr(series, name) for name in changes["event_ids"]]
    before = await snapshot(runtime)
    with pytest.raises(RuleViolation) as refused:
        await signed(runtime, series, **changes)
    assert refused.value.code == code and 400 <= refused.value.status < 500
    assert await snapshot(runtime) == before


async def test_a_private_series_or_one_without_upcoming_events_takes_none(
    runtime: Runtime,
) -> None:
    s = await signable_series(runtime)
    await catalog.update_series(runtime, s.series_id, "Digitale Reihe", "", public=False)
    with pytest.raises(RuleViolation) as hidden:
        await signed(runtime, s)
    assert hidden.value.code == "not_found"
    empty = await catalog.create_series(runtime, "Leer", public=True)
    with pytest.raises(RuleViolation) as closed:
        await sign_up(
            runtime,
            empty.slug,
            email="a@example.org",
            lang="de",
            whole_series=True,
            event_ids=[],
            consent_version=1,
            consent_given=True,
            ip=None,
            compose=compose,
        )
    assert closed.value.code == "signup_closed"


async def test_purge_deletes_what_was_never_confirmed_with_its_log(
    runtime: Runtime, series: Signable
) -> None:
    old = await signed(runtime, series, "old@example.org")
    kept = await signed(runtime, series, "kept@example.org")
    await confirm(runtime, series.slug, token_of((await mails(runtime))[1]))
    gone = await signed(runtime, series, "gone@example.org")  # unsubscribed, never confirmed
    assert gone.subscriber_id is not None
    key = (await subscriber(runtime, gone.subscriber_id)).unsubscribe_key
    await unsubscribe(runtime, series.slug, key, now=series.now + timedelta(hours=1))
    recent = await signed(runtime, series, "new@example.org", now=series.now + timedelta(days=10))
    assert await purge_unconfirmed(runtime, now=series.now + timedelta(days=13)) == 0
    assert await purge_unconfirmed(runtime, now=series.now + timedelta(days=14, seconds=1)) == 2
    left = {s.email for s in (await audience(runtime, series.series_id)).subscribers}
    assert left == {"kept@example.org", "new@example.org"}
    assert old.subscriber_id is not None and await log_of(runtime, old.subscriber_id) == []
    assert kept.mailed and recent.mailed


async def test_consent_texts_are_versioned_and_never_changed(
    runtime: Runtime, series: Signable
) -> None:
    first = await consent_texts.current_consent(runtime, series.series_id)
    assert first.version == 1 and "„Digitale Reihe“" in first.text_de
    assert (await consent_texts.current_consent(runtime, series.series_id)).version == 1
    second = await consent_texts.save_consent(runtime, series.series_id, "Neu", "New")
    assert second.version == 2 and second.text("en") == "New"
    same = await consent_texts.save_consent(runtime, series.series_id, " Neu ", "New")
    assert same.version == 2
    versions = await consent_texts.consent_versions(runtime, series.series_id)
    assert [(v.version, v.text_de == first.text_de) for v in versions] == [(2, False), (1, True)]
    with pytest.raises(RuleViolation) as empty:
        await consent_texts.save_consent(runtime, series.series_id, " ", "x")
    assert empty.value.code == "consent_text_empty"


async def test_the_organiser_sees_counts_and_deletes_with_the_log(
    runtime: Runtime, series: Signable
) -> None:
    a = await signed(runtime, series, "a@example.org")
    await signed(runtime, series, "b@example.org")
    await confirm(runtime, series.slug, token_of((await mails(runtime))[0]))
    seen = await audience(runtime, series.series_id)
    assert seen.counts == {"pending": 1, "confirmed": 1, "withdrawn": 0}
    assert [(s.email, s.state) for s in seen.subscribers] == [
        ("a@example.org", "confirmed"),
        ("b@example.org", "pending"),
    ]
    assert [(e.email, e.action) for e in await consent_log(runtime, series.series_id)] == [
        ("a@example.org", "requested"),
        ("b@example.org", "requested"),
        ("a@example.org", "confirmed"),
    ]
    assert a.subscriber_id is not None
    await delete_subscriber(runtime, series.series_id, a.subscriber_id)
    assert [e.email for e in await consent_log(runtime, series.series_id)] == ["b@example.org"]
    with pytest.raises(RuleViolation) as gone:
        await delete_subscriber(runtime, series.series_id, a.subscriber_id)
    assert gone.value.code == "unknown_subscriber"
