"""The background sender: takes due mails from the queue one at a time and hands
them to the transport, at `mail_rate` mails per second at most.

The rate holds per process: two `podium serve` processes on one database send up to
twice as many mails per second (each mail still once: the queue's claim decides who
sends it). Without due mails the sender looks again every `IDLE` seconds.

Each mail is `sending` (committed) before the SMTP transaction and `sent`, `queued`
for a later try, `failed` or `unknown` after it (services/mail_queue.py). On shutdown
the mail being sent gets `STOP_GRACE` seconds to finish; one cut off then stays
`sending`, and `recover` (at the next start, and every minute) marks it `unknown`
once its claim is older than any sender holds one: it is never sent twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

from podium.aio import cancel
from podium.domain.mail_sending import NotDeliverable, send_interval
from podium.mail.message import build_message
from podium.mail.transport import DeliveryFailed, Transport
from podium.services.context import Context
from podium.services.mail_queue import (
    Mail,
    claim_next,
    mark_retry,
    mark_sent,
    mark_unknown,
    recover,
)
from podium.services.mail_runs import finish_runs

log = logging.getLogger("podium.mail")

IDLE = 0.5  # seconds between looks at an empty queue
RECOVER_EVERY = 60.0  # seconds between looks for mails a dead process left `sending`
RUNS_EVERY = 5.0  # seconds between looks for finished invitation runs
STOP_GRACE = 5.0  # seconds a mail being sent may take to finish at shutdown


async def deliver_claimed(
    rt: Context, transport: Transport, mail: Mail, give_up: bool = False
) -> tuple[str, str]:
    """Send a mail claimed from the queue and record the outcome: the new state and
    the error ('' when sent). `give_up`: a failed try is final (a test mail)."""
    try:
        message = build_message(mail, rt.settings)
    except NotDeliverable as exc:  # an unsafe header is never queued; refused all the same
        await mark_retry(rt, mail, str(exc), permanent=True)
        return "failed", str(exc)
    try:
        await transport.deliver(mail, message)
    except DeliveryFailed as exc:
        if exc.uncertain:
            await mark_unknown(rt, mail.id, exc.reason)
            return "unknown", exc.reason
        state = await mark_retry(rt, mail, exc.reason, permanent=exc.permanent or give_up)
        return state, exc.reason
    await mark_sent(rt, mail.id)
    return "sent", ""


class MailSender:
    def __init__(
        self,
        rt: Context,
        transport: Transport,
        rate: float,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] | None = None,
    ) -> None:
        """`clock` and `sleep` pace the sending (tests pass a clock of their own)."""
        self.rt = rt
        self.transport = transport
        self.interval = send_interval(rate)
        self.clock = clock
        self._sleep = sleep or self._wait
        self._stopping = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._next_start = float("-inf")
        self._next_recover = float("-inf")
        self._next_runs = float("-inf")
        self._runs_touched = True
        # the clock at the start of the latest mails, for tests
        self.sent_at: deque[float] = deque(maxlen=1000)

    async def _wait(self, seconds: float) -> None:
        """Sleep, woken early by `stop`."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stopping.wait(), max(seconds, 0.0))

    async def start(self) -> None:
        self._stopping.clear()
        self._task = asyncio.create_task(self._run(), name="podium-mail-sender")

    async def stop(self, grace: float = STOP_GRACE) -> None:
        self._stopping.set()
        task, self._task = self._task, None
        if task is None:
            return
        try:
            await asyncio.wait_for(asyncio.shield(task), grace)
        except TimeoutError:
            await cancel(task)  # its mail stays `sending`: recover makes it `unknown`

    async def send_next(self) -> str | None:
        """Claim the next due mail and send it; its new state, None if none was due."""
        mail = await claim_next(self.rt)
        if mail is None:
            return None
        self.sent_at.append(self.clock())
        self._next_start = self.clock() + self.interval
        state, error = await deliver_claimed(self.rt, self.transport, mail)
        if state != "sent":
            log.warning("mail %s: %s (%s)", mail.id, state, error)  # no address in logs
        if mail.run_id is not None:
            self._runs_touched = True
        return state

    async def _housekeeping(self, idle: bool) -> None:
        now = self.clock()
        if now >= self._next_recover:
            self._next_recover = now + RECOVER_EVERY
            if await recover(self.rt):
                self._runs_touched = True
        # A run ends once its last mail is done; one with no recipients at all, too.
        if now >= self._next_runs or (idle and self._runs_touched):
            self._next_runs = now + RUNS_EVERY
            self._runs_touched = False
            await finish_runs(self.rt, datetime.now(UTC))

    async def _run(self) -> None:
        idle = True
        while not self._stopping.is_set():
            try:
                await self._housekeeping(idle)
                wait = self._next_start - self.clock()
                if wait > 0:
                    await self._sleep(wait)
                    continue
                idle = await self.send_next() is None
            except Exception:  # the database away for a moment: try again shortly
                log.exception("mail sender")
                idle = True
            if idle:
                await self._sleep(IDLE)
