"""What ``obs["events"]`` carries: the history at reset (digest / full / none) and the
arrivals of each step, always within the field's limit, with a marker and the exact
``events.search`` call that pages through what did not fit.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import TYPE_CHECKING

from .. import clock
from ..events import Event
from ..spaces import printable

if TYPE_CHECKING:
    from ..world import World

DIGEST_DAYS = 3
LINE_MAX = 300  # a single event line never takes more than this
RESERVE = 240  # room kept for the marker lines


def _call(**args: object) -> str:
    return "events.search " + json.dumps(args, separators=(", ", ": "))


def _fit(lines: list[str], budget: int) -> list[str]:
    """The newest lines (end of ``lines``) whose total length fits ``budget``, in order."""
    kept: list[str] = []
    size = 0
    for line in reversed(lines):
        line = printable(line)[:LINE_MAX]
        if size + len(line) + 1 > budget:
            break
        kept.append(line)
        size += len(line) + 1
    return kept[::-1]


def _span(world: World) -> str:
    h = world.timeline.history
    if not h:
        return "[history: empty]"
    days = (h[-1].time - h[0].time) // clock.DAY
    return (
        f"[history: {len(h):,} events over {days} days, {clock.fmt_date(h[0].time)} to "
        f"{clock.fmt_date(h[-1].time)}; search it: events.search (text, service, person, start, end, cursor), "
        f"read one: events.get]"
    )


def digest(world: World, latest: int, limit: int) -> list[str]:
    """Counts per service over the last days, then the latest few lines."""
    h = world.timeline.history
    since = world.clock.now - DIGEST_DAYS * clock.DAY
    recent = [e for e in h[-2000:] if e.time >= since]
    counts = Counter(e.service for e in recent)
    head = [
        _span(world),
        f"[last {DIGEST_DAYS} days: "
        + (", ".join(f"{s} {n}" for s, n in sorted(counts.items(), key=lambda x: (-x[1], x[0]))) or "nothing")
        + "]",
        f"[latest {min(latest, len(h))}:]",
    ]
    budget = limit - sum(len(x) + 1 for x in head) - RESERVE
    return head + _fit([e.line() for e in h[-latest:]], budget)


def full(world: World, limit: int) -> list[str]:
    """Page 1 of the whole history: the newest lines that fit, and how to get the next page."""
    h = world.timeline.history
    tail = [e.line() for e in h[-200:]]
    kept = _fit(tail, limit - 2 * RESERVE - len(_span(world)))
    marker = (
        f"[page 1: the newest {len(kept)} of {len(h):,} events, oldest first below; next page: "
        f"{_call(limit=50, cursor=len(kept))}]"
    )
    return [_span(world), marker] + kept


def initial(world: World, mode: str, latest: int, limit: int) -> list[str]:
    if mode == "none":
        return []
    return full(world, limit) if mode == "full" else digest(world, latest, limit)


def arrivals(events: list[Event], limit: int) -> list[str]:
    """Lines for the events a step delivered; if they do not all fit, a marker and a cursor."""
    lines = [e.line() for e in events]
    kept = _fit(lines, limit - RESERVE)
    if len(kept) == len(lines):
        return lines
    start = clock.fmt(events[0].time)
    return [
        f"[{len(lines)} events arrived; {len(lines) - len(kept)} earlier ones not shown: "
        f"{_call(start=start, cursor=len(kept))}]"
    ] + kept
