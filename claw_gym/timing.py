"""How virtual time passes in a step, and what the agent is told about it.

An arrival is any event of the timeline (a mail, a text, a notification, background
noise too): whatever lands shows in ``obs["events"]``, so it is what wakes the agent,
as a notification wakes a phone. ``wait`` wakes at the first one unless told not to;
a proactive task's ``finish`` sleeps until the next one or the deadline.
"""

from __future__ import annotations

from collections.abc import Collection

from . import clock
from .events import Event
from .plural import count
from .world import World


def pass_time(world: World, seconds: int, *, wake: bool | Collection[str]) -> list[Event]:
    """Advance up to ``seconds``; with ``wake``, stop in the clock minute of the first pending arrival
    (of one of the services ``wake`` names, when it is a collection of names).

    Everything due in that minute is delivered at once (the clock stops at the last of them): a
    text and the phone's notification of it, seconds apart, are one wake-up, not two, as the
    observation shows time to the minute. Returns the delivered events.
    """
    seconds = max(0, int(seconds))
    if wake:
        now = world.clock.now
        if wake is True:
            nxt = world.timeline.next_time()
        else:  # the first arrival of a named service (the others are delivered on the way)
            nxt = next((e.time for e in world.timeline.pending if e.service in wake), None)
        if nxt is not None and nxt <= now + seconds:
            bound = min(nxt - nxt % clock.MINUTE + clock.MINUTE - 1, now + seconds)  # the minute's last second
            last = nxt
            for e in world.timeline.pending:  # in time order
                if e.time > bound:
                    break
                if e.time >= nxt:
                    last = max(last, e.time)
            seconds = max(0, last - now)
    return world.advance(seconds)


def _when(start: int, now: int) -> str:
    """HH:MM on the day the wait began, else the full date and time."""
    return clock.fmt(now)[11:] if clock.day_start(now) == clock.day_start(start) else clock.fmt(now)


def wait_result(start: int, now: int, asked: int, arrived: list[Event], wake: bool | Collection[str]) -> str:
    """``woke at 10:28: 1 new event``, ``waited 600 s, nothing arrived`` or ``waited 600 s``; a wait
    for some services only: ``waited 600 s: 2 new events, none from helpdesk``."""
    names = None if isinstance(wake, bool) else wake
    woke = any(e.service in names for e in arrived) if names is not None else bool(wake and arrived)
    if woke:
        return f"woke at {_when(start, now)}: {count(len(arrived), 'new event')}"
    waited = f"waited {now - start} s"
    cut = "" if now - start == asked else " (the deadline came first)"
    if names is not None:
        got = f": {count(len(arrived), 'new event')}" if arrived else ""
        return f"{waited}{got}, none from {' or '.join(sorted(names))}{cut}"
    if not wake:
        return waited + (f": {count(len(arrived), 'new event')}" if arrived else "")
    return waited + ", nothing arrived" + cut


def finish_result(start: int, now: int, arrived: list[Event]) -> str:
    """A proactive task's finish before its deadline: woken by an arrival, or run to the deadline."""
    if arrived:
        return f"finished for now; woke at {_when(start, now)}: {count(len(arrived), 'new event')}"
    return "finished for now; nothing arrived before the deadline"


__all__ = ["pass_time", "wait_result", "finish_result"]
