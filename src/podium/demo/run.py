"""What `podium demo` does around the server: print where to go, and let a simulated
audience vote once the server answers."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from podium.demo.follow_up import answer_follow_up
from podium.demo.seed import DemoInfo, open_polls, seed_data
from podium.demo.simulate import polls_of, simulate
from podium.domain.codes import format_join_code
from podium.domain.tally import ChoiceResult
from podium.runtime import Runtime
from podium.services.catalog import get_event

OnStarted = Callable[[Runtime, str], Awaitable[None]]


def print_demo(base_url: str, info: DemoInfo, mails: str) -> None:
    """`mails`: where the demo's mails go (an SMTP server, or the outbox folder)."""
    base = base_url.rstrip("/")
    password = info.organiser_password
    if not info.organiser_created:
        password += "  (unless changed with: podium user password EMAIL)"
    print(
        "\n".join(
            [
                f"podium demo: „{seed_data()['series']['title']}“",
                "",
                f"  Organiser login:  {base}/login",
                f"    e-mail:         {info.organiser_email}",
                f"    password:       {password}",
                f"  Participants:     {base}/p/{info.join_code}",
                f"    or at {base}/ with code {format_join_code(info.join_code)}",
                f"  Presenter screen: {base}/present/{info.presenter_token}",
                f"  Moderator:        {base}/moderate/{info.event_id}",
                f"  Series page:      {base}/s/{info.series_slug}",
                f"  Mails:            {mails}",
                "",
            ]
        ),
        flush=True,
    )


def simulation(event_id: int, join_code: str, n: int) -> OnStarted:
    async def run(rt: Runtime, url: str) -> None:
        await open_polls(rt, event_id)
        polls = polls_of(await get_event(rt, event_id))
        print(f"Simulating {n} participants ...", flush=True)
        report = await simulate(url, join_code, n, polls)
        print(
            f"Simulation: {report.acknowledged} of {report.sent} answers acknowledged, "
            f"{report.errors} errors, {report.retries} retries, {report.seconds:.1f} s.",
            flush=True,
        )
        for sample in report.error_samples:
            print(f"  error: {sample}", flush=True)
        for title, shares in (await live_percentages(rt, event_id)).items():
            print(f"  {title}", flush=True)
            for label, share in shares.items():
                print(f"    {share:3d} %  {label}", flush=True)
        # the series' results page compares the opening with the event that asks again
        if await answer_follow_up(rt, event_id, n) is not None:
            print(f"The series' next event has {n} answers to compare with.", flush=True)

    return run


async def live_percentages(rt: Runtime, event_id: int) -> dict[str, dict[str, int]]:
    """The choice polls' results as the server shows them: title -> label -> whole percent."""
    live = await rt.live.get(event_id)
    result: dict[str, dict[str, int]] = {}
    if live is None:
        return result
    for question in live.ordered():
        tally = live.tallies[question.id].result()
        if isinstance(tally, ChoiceResult):
            result[question.title] = {o.label: o.whole_percent for o in tally.options}
    return result
