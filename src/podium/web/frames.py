"""The live frames' content: rendered once per event, audience and language by
the fan-out, then written as the same bytes to every subscriber."""

from __future__ import annotations

import json
from collections import OrderedDict
from collections.abc import Callable

from jinja2 import Environment

from podium import i18n
from podium.domain.cloud_layout import CloudLayout, Placed
from podium.domain.contributions import ranks, screen_shows_contributions
from podium.domain.questions import Kind
from podium.domain.tally import WordsResult
from podium.domain.visibility import results_visible
from podium.live.fanout import DEVICE, FULL_LIST, MODERATOR, SCREEN
from podium.live.watch import Watcher, WatchKind
from podium.runtime import Runtime
from podium.services.contribution_board import highlighted, public
from podium.services.live_cache import LiveEvent, LiveQuestion
from podium.services.read_models import Item
from podium.web.contribution_frames import DEVICE_LIST_MAX, DeviceLists, QueueLists

Notify = Watcher  # the fan-out's notify


class Frames:
    def __init__(
        self, rt: Runtime, env: Environment, participants: Callable[[int], int] | None = None
    ) -> None:
        self._rt = rt
        self._participants = participants  # connected, over every process (live/presence.py)
        self._env = env
        self._lists = DeviceLists(env)
        self._queues = QueueLists(env)
        self._shown_settings: dict[int, tuple[object, ...]] = {}
        self._shown_counts: dict[int, bool] = {}  # the screen's setting its frames last had

    def follow_settings(self, notify: Notify) -> Notify:
        """A live-cache watcher: when an event's state was reloaded and the settings its
        contributions frames last showed changed (open or closed, moderation, what the screen
        shows), those frames are made again. The board alone would not: its items did
        not change. Likewise the participants frames when the screen's count was turned
        on or off: the count itself may not have changed. Every process reloads on the
        hub's message, so every process follows."""

        def watcher(what: WatchKind, event_id: int, question_id: int | None) -> None:
            if what != WatchKind.STATE:
                return
            event = self._rt.live.loaded(event_id)
            if event is None:
                self._shown_settings.pop(event_id, None)
                self._shown_counts.pop(event_id, None)
                return
            shown = self._shown_settings.get(event_id)
            if shown is not None and shown != contribution_settings(event):
                notify(WatchKind.CONTRIBUTIONS, event_id, None)
            counted = self._shown_counts.get(event_id)
            if counted is not None and counted != event.screen_shows_participants:
                notify(WatchKind.PARTICIPANTS, event_id, None)

        return watcher

    def render(self, kind: str, event_id: int, audience: str, lang: str) -> str | None:
        event = self._rt.live.loaded(event_id)
        if event is None:
            return None
        token = i18n.current_lang.set(lang)
        try:
            if kind == "state":
                return json.dumps(self.state(event, audience), separators=(",", ":"))
            if kind == "participants":
                return self.participants(event, audience)
            if kind in ("contributions", "votes", FULL_LIST):
                items = self._rt.board.loaded(event_id)
                if items is None:
                    return None
                self._shown_settings[event_id] = contribution_settings(event)
                if kind == "votes":
                    return votes_frame(items, audience)
                full = kind == FULL_LIST
                if audience == DEVICE:
                    data = self._lists.frame(event, items, lang, full)
                elif audience == MODERATOR:
                    data = self._queues.frame(event, items, lang, full)
                else:
                    data = contributions_frame(self._env, event, items)
                return json.dumps(data, separators=(",", ":"))
            html = self.results_html(event, audience)
            if html is None:
                return None
            payload = {"question_id": event.current_question_id, "html": html}
            return json.dumps(payload, separators=(",", ":"))
        finally:
            i18n.current_lang.reset(token)

    def participants(self, event: LiveEvent, audience: str) -> str | None:
        """How many are connected: always for the console, for the screen only while
        the organiser shows it there (devices never)."""
        if audience == SCREEN:
            self._shown_counts[event.id] = event.screen_shows_participants
            if not event.screen_shows_participants:
                return None
        elif audience != MODERATOR:
            return None
        if self._participants is None:
            return None
        n = self._participants(event.id)
        if audience == SCREEN:
            label = screen_participants_label(n)
        else:
            label = i18n.ngettext(
                "%(num)s participant connected", "%(num)s participants connected", n
            )
        return json.dumps({"count": n, "label": label}, separators=(",", ":"))

    def forget(self, event_id: int) -> None:
        """Drop what the event's frames were built on (the fan-out forgets the event)."""
        self._lists.forget(event_id)
        self._queues.forget(event_id)
        event = self._rt.live.loaded(event_id)
        for question_id in event.questions if event else ():
            _CLOUDS.pop(question_id, None)

    def held(self) -> int:
        return self._lists.held() + self._queues.held()

    def results_interval(self, event_id: int) -> float:
        """A word cloud is redrawn at most once a second: every redraw may move words."""
        event = self._rt.live.loaded(event_id)
        question = event.current if event else None
        return CLOUD_INTERVAL if question and question.spec.kind is Kind.WORDS else 0.0

    def state(self, event: LiveEvent, audience: str) -> dict[str, object]:
        question = event.current
        data: dict[str, object] = {
            "question_id": question.id if question else None,
            "voting_open": bool(question and question.voting_open),
            "results_visible": results_visible(question, audience),
        }
        if audience == DEVICE:
            data["allow_change"] = bool(question and question.allow_change)
            data["html"] = self._env.get_template("partials/device_panel.html").render(
                event=event, question=question, answer=None, sent=False, error=None
            )
        elif audience == SCREEN:
            data["html"] = self._env.get_template("partials/screen_panel.html").render(
                event=event, question=question
            )
            # off: presenter.js hides the count at once (no more participants frames come)
            data["participants_shown"] = event.screen_shows_participants
        return data

    def results_html(self, event: LiveEvent, audience: str) -> str | None:
        question = event.current
        if question is None or not results_visible(question, audience):
            return None
        return render_results(self._env, event, question, big=audience == SCREEN)


def contribution_settings(event: LiveEvent) -> tuple[object, ...]:
    """What the contributions frames show of the event's settings (device: open; screen:
    the mode; moderators: all of them in the queue's head, which the settings form
    follows)."""
    return (
        event.contributions_open,
        event.moderation,
        event.screen_mode,
        event.screen_shows_participants,
    )


def screen_participants_label(n: int) -> str:
    """The count as the presenter screen shows it (in the current language)."""
    return i18n.ngettext("%(num)s participant", "%(num)s participants", n)


def votes_frame(items: list[Item], audience: str) -> str | None:
    """Upvote counts alone: for devices those of the list they are shown with the
    order they make, for moderators every item's with the words a screen reader says."""
    if audience == DEVICE:
        shown = public(items)[:DEVICE_LIST_MAX]
        counts = {str(i.id): i.votes for i in shown}
        return json.dumps({"votes": counts, "ranks": ranks(shown)}, separators=(",", ":"))
    if audience == MODERATOR:
        labels = {
            str(i.id): [i.votes, i18n.ngettext("%(num)s upvote", "%(num)s upvotes", i.votes)]
            for i in items
        }
        return json.dumps({"votes": labels}, separators=(",", ":"))
    return None  # the screen gets its (small) contributions frame


# One layout per word cloud in this process, kept between renders so that words stay
# where they are; the oldest are forgotten first.
_CLOUDS: OrderedDict[int, CloudLayout] = OrderedDict()
CLOUDS_KEPT = 256


def cloud_of(question_id: int, result: WordsResult) -> list[Placed]:
    layout = _CLOUDS.pop(question_id, None) or CloudLayout()
    _CLOUDS[question_id] = layout
    while len(_CLOUDS) > CLOUDS_KEPT:
        _CLOUDS.popitem(last=False)
    return layout.update((w.key, w.word, w.count) for w in result.words)


def render_results(env: Environment, event: LiveEvent, question: LiveQuestion, big: bool) -> str:
    result = event.tallies[question.id].result()
    cloud = cloud_of(question.id, result) if isinstance(result, WordsResult) else None
    return env.get_template("partials/results.html").render(
        question=question, result=result, big=big, cloud=cloud
    )


CLOUD_INTERVAL = 1.0  # seconds between redraws of a live word cloud


def contributions_frame(env: Environment, event: LiveEvent, items: list[Item]) -> dict[str, object]:
    """What the screen shows of the contributions: the highlighted one and the top
    five, approved ones only (never a pending one, whatever the moderation mode), and
    whether it shows them now instead of the poll (`shown`: presenter.js follows it).
    Devices and moderators get their lists as deltas (web/contribution_frames.py)."""
    answering = highlighted(items)
    return {
        "mode": event.screen_mode,
        "highlighted": answering.id if answering else None,
        "shown": screen_shows_contributions(event.screen_mode, answering is not None),
        "html": env.get_template("partials/contributions_screen.html").render(
            event=event, highlight=answering, top=public(items)[:5]
        ),
    }
