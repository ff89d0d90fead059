"""The mail queue: one row per (kind, ref), `sending` committed before a mail is
handed out, retries at exact back-off times, given up after the last try or a
permanent refusal, and mails cut off by a crash marked `unknown`, never resent."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from podium.domain.errors import RuleViolation
from podium.domain.mail_retry import MAX_ATTEMPTS, STALE_CLAIM
from podium.runtime import Runtime
from podium.services.mail_queue import (
    Draft,
    claim_next,
    enqueue,
    get_mail,
    mark_retry,
    mark_sent,
    problems,
    recover,
    status,
)

NOW = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)


def draft(ref: str = "sub-1", recipient: str = "max@example.org") -> Draft:
    return Draft(
        kind="test",
        ref=ref,
        recipient=recipient,
        lang="de",
        subject="Einladung zur Veranstaltung über Bürgerbeteiligung",
        text="Hallo",
        headers={"List-Unsubscribe": "<https://podium.example.org/u/x>"},
    )


async def test_queueing_the_same_mail_twice_keeps_one(runtime: Runtime) -> None:
    first = await enqueue(runtime, draft(), now=NOW)
    again = await enqueue(runtime, draft(), now=NOW)
    other = await enqueue(runtime, draft(ref="sub-2"), now=NOW)
    assert first == again != other
    assert (await status(runtime))["queued"] == 2
    mail = await get_mail(runtime, first)
    assert mail is not None
    assert mail.message_id.startswith("<") and mail.message_id.endswith("@127.0.0.1>")
    assert mail.headers == {"List-Unsubscribe": "<https://podium.example.org/u/x>"}
    assert mail.run_id is None


async def test_a_mail_of_an_invitation_run_keeps_its_run(runtime: Runtime) -> None:
    mail_id = await enqueue(runtime, Draft(**{**draft().__dict__, "run_id": 7}), now=NOW)
    mail = await get_mail(runtime, mail_id)
    assert mail is not None and mail.run_id == 7


@pytest.mark.parametrize(
    "bad",
    [
        Draft("test", "a", "a@b.de\r\nBcc: x@y.z", "de", "s", "t"),
        Draft("test", "a", "a@b.de", "de", "Betreff\r\nBcc: x@y.z", "t"),
        Draft("test", "a", "a@b.de", "fr", "s", "t"),
    ],
)
async def test_bad_mails_are_refused_and_nothing_is_queued(runtime: Runtime, bad: Draft) -> None:
    with pytest.raises(RuleViolation):
        await enqueue(runtime, bad)
    assert sum((await status(runtime)).values()) == 0


async def test_a_claimed_mail_is_sending_before_it_is_handed_out(runtime: Runtime) -> None:
    mail_id = await enqueue(runtime, draft(), now=NOW)
    assert await claim_next(runtime, NOW - timedelta(seconds=1)) is None  # not due yet
    claimed = await claim_next(runtime, NOW)
    assert claimed is not None and claimed.id == mail_id
    assert claimed.state == "sending" and claimed.attempts == 1
    stored = await get_mail(runtime, mail_id)  # read anew: committed
    assert stored is not None and stored.state == "sending"
    assert await claim_next(runtime, NOW) is None  # nobody else gets it
    assert await mark_sent(runtime, mail_id, NOW + timedelta(seconds=2))
    sent = await get_mail(runtime, mail_id)
    assert sent is not None and sent.state == "sent"
    assert sent.sent_at == NOW + timedelta(seconds=2)


async def test_retries_wait_thirty_seconds_doubling(runtime: Runtime) -> None:
    mail_id = await enqueue(runtime, draft(), now=NOW)
    moment = NOW
    for attempt, wait in ((1, 30), (2, 60), (3, 120)):
        claimed = await claim_next(runtime, moment)
        assert claimed is not None and claimed.attempts == attempt
        assert await mark_retry(runtime, claimed, "connection refused", moment) == "queued"
        mail = await get_mail(runtime, mail_id)
        assert mail is not None and mail.state == "queued"
        assert mail.next_attempt_at == moment + timedelta(seconds=wait)
        assert mail.last_error == "connection refused"
        assert await claim_next(runtime, moment + timedelta(seconds=wait - 1)) is None
        moment += timedelta(seconds=wait)


async def test_a_mail_fails_after_the_last_try_or_a_permanent_refusal(runtime: Runtime) -> None:
    mail_id = await enqueue(runtime, draft(), now=NOW)
    moment = NOW
    for _ in range(MAX_ATTEMPTS):
        claimed = await claim_next(runtime, moment)
        assert claimed is not None
        state = await mark_retry(runtime, claimed, "421 try later", moment)
        moment += timedelta(hours=2)
    assert state == "failed"
    refused = await enqueue(runtime, draft(ref="sub-2"), now=NOW)
    claimed = await claim_next(runtime, moment)
    assert claimed is not None and claimed.id == refused
    outcome = await mark_retry(runtime, claimed, "550 no such user", moment, permanent=True)
    assert outcome == "failed"
    assert [m.id for m in await problems(runtime)] == [mail_id, refused]
    assert (await status(runtime))["failed"] == 2


async def test_a_mail_cut_off_by_a_crash_becomes_unknown_and_is_not_resent(
    runtime: Runtime,
) -> None:
    mail_id = await enqueue(runtime, draft(), now=NOW)
    assert await claim_next(runtime, NOW) is not None
    # A process starting beside the one sending leaves its fresh claim alone.
    assert await recover(runtime, NOW + STALE_CLAIM - timedelta(seconds=1)) == 0
    assert await recover(runtime, NOW + STALE_CLAIM) == 1
    mail = await get_mail(runtime, mail_id)
    assert mail is not None and mail.state == "unknown"
    assert await claim_next(runtime, NOW + timedelta(days=1)) is None
    assert not await mark_sent(runtime, mail_id)  # a late answer does not overwrite it
    assert [m.id for m in await problems(runtime)] == [mail_id]
    assert (await status(runtime))["unknown"] == 1
