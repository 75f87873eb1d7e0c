"""How virtual time passes in a step, and what the agent is told about it.

An arrival is any event of the timeline (a mail, a text, a notification, background
noise too): whatever lands shows in ``obs["events"]``, so it is what wakes the agent,
as a notification wakes a phone. ``wait`` wakes at the first one unless told not to;
a proactive task's ``finish`` sleeps until the next one or the deadline.
"""

from __future__ import annotations

from . import clock
from .events import Event
from .plural import count
from .world import World


def pass_time(world: World, seconds: int, *, wake: bool) -> list[Event]:
    """Advance up to ``seconds``; with ``wake``, stop in the clock minute of the first pending arrival.

    Everything due in that minute is delivered at once (the clock stops at the last of them): a
    text and the phone's notification of it, seconds apart, are one wake-up, not two, as the
    observation shows time to the minute. Returns the delivered events.
    """
    seconds = max(0, int(seconds))
    if wake:
        now = world.clock.now
        nxt = world.timeline.next_time()
        if nxt is not None and nxt <= now + seconds:
            bound = min(nxt - nxt % clock.MINUTE + clock.MINUTE - 1, now + seconds)  # the minute's last second
            last = nxt
            for e in world.timeline.pending:  # in time order
                if e.time > bound:
                    break
                last = max(last, e.time)
            seconds = max(0, last - now)
    return world.advance(seconds)


def _when(start: int, now: int) -> str:
    """HH:MM on the day the wait began, else the full date and time."""
    return clock.fmt(now)[11:] if clock.day_start(now) == clock.day_start(start) else clock.fmt(now)


def wait_result(start: int, now: int, asked: int, arrived: list[Event], wake: bool) -> str:
    """``woke at 10:28: 1 new event``, ``waited 600 s, nothing arrived`` or ``waited 600 s``."""
    if wake and arrived:
        return f"woke at {_when(start, now)}: {count(len(arrived), 'new event')}"
    waited = f"waited {now - start} s"
    if not wake:
        return waited + (f": {count(len(arrived), 'new event')}" if arrived else "")
    return waited + ", nothing arrived" + ("" if now - start == asked else " (the deadline came first)")


def finish_result(start: int, now: int, arrived: list[Event]) -> str:
    """A proactive task's finish before its deadline: woken by an arrival, or run to the deadline."""
    if arrived:
        return f"finished for now; woke at {_when(start, now)}: {count(len(arrived), 'new event')}"
    return "finished for now; nothing arrived before the deadline"


__all__ = ["pass_time", "wait_result", "finish_result"]
