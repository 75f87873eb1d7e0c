"""When a proactive trigger arrives, and when its task is judged (DESIGN.md, "Time")."""

from __future__ import annotations

from claw_gym import clock
from claw_gym.tasks import Ctx

from .day import clock_time

#: The least time an agent has after a trigger whose content names no deadline (the documented floor).
MIN_DEADLINE = 2 * clock.HOUR


def trigger_time(ctx: Ctx, earliest_min: int = 20, spread_min: int = 40) -> int:
    """When a proactive trigger arrives: later with difficulty, seeded within a window."""
    base = earliest_min + 15 * (ctx.difficulty - 1)
    return ctx.now + (base + int(ctx.rng.integers(0, spread_min))) * clock.MINUTE


def _default_span(ctx: Ctx) -> int:
    return max(MIN_DEADLINE, (6 - ctx.difficulty) * clock.HOUR)


def deadline_after(ctx: Ctx, trigger: int, *, content: int | None = None) -> int:
    """When a proactive task is judged: the default is ``trigger`` + (6 - difficulty) hours, never
    less than 2 hours (level 1: 5 h ... level 4 and 5: 2 h). ``content`` is a time the content itself
    sets (a meeting's start, a call-back time, a window's end): the deadline is never before it."""
    default = trigger + _default_span(ctx)
    return default if content is None else max(default, content)


#: How long after a limit the content states ("by 14:30") the task is judged: an agent acting in the
#: limit's last minute still passes.
GRACE = clock.MINUTE


def stated_limit(ctx: Ctx, trigger: int, *, content: int | None = None) -> int:
    """A limit for the trigger's content to state ("by 14:30", phrase it with ``notation.hhmm``): the
    default judging time rounded up to the next quarter hour, as people set limits. Judge the task at
    ``stated_limit(...) + GRACE`` so that what the agent reads and when it is judged agree (issue 21)."""
    return clock_time(deadline_after(ctx, trigger, content=content), after_min=0)


_HOURS = {2: "two", 3: "three", 4: "four", 5: "five"}


def span_words(ctx: Ctx) -> str:
    """The default judging span in words ("three hours"), for a standing rule to state: "within three hours
    of it landing" is judged at ``deadline_after(ctx, arrival) + GRACE``."""
    return f"{_HOURS[_default_span(ctx) // clock.HOUR]} hours"
