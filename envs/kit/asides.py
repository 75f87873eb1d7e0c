"""A word in a direct message: someone whose say is written in the world settles one matter of the task in
their DM with the person, referring to it only by when it came in (or by its date), among same-shaped lines
about other matters (issue 21, session 31).

Searching the requester's name or any identifier of the matter (its id, amount, company, supplier) finds
none of these lines, and "after all" or "re the" finds them all: the deciding one is found by reading that
person's messages since the matter came up, and resolves to exactly one matter once read. Shared by
sales-day, support-shift and xdev-figure-text at difficulty 4-5.
"""

from __future__ import annotations

from collections.abc import Callable

from claw_gym import clock
from claw_gym.tasks import Ctx

from . import day, plant

#: other matters the same person settles in the same words (none is a family's matter)
OTHERS = [
    ("expense claim", "fine to pay, I checked it"),
    ("courier booking", "move it to Friday, nobody is in on Thursday"),
    ("supplier invoice", "hold it until the order is signed off"),
    ("room booking", "cancel it, we'll use the small room"),
    ("travel request", "approved, book the earlier train"),
    ("timesheet", "approved, thanks"),
    ("quote", "go with it after all, the cheaper one left out delivery"),
]

Refer = Callable[[str, int], str]


def came_in(now: int) -> Refer:
    """ "the {thing} that came in at 10:42" (today), "... at 14:07 on Tuesday" (another day)."""

    def refer(thing: str, t: int) -> str:
        when = clock.fmt(t)[-5:]
        if clock.day_start(t) != clock.day_start(now):
            when += f" on {clock.to_datetime(t):%A}"
        return f"the {thing} that came in at {when}"

    return refer


def dated(thing: str, t: int) -> str:
    """ "the {thing} dated Thu 03 Dec"."""
    return f"the {thing} dated {clock.to_datetime(t):%a %d %b}"


def channel(first: str) -> str:
    """The DM channel with a person (the background's name for it)."""
    return "dm-" + first.lower()


def word_in_dm(
    ctx: Ctx,
    sender: str,
    first: str,
    t: int,
    line: str,
    refer: Refer,
    *,
    n_others: int = 3,
) -> str:
    """``sender`` writes ``line`` ("re <reference>: <verdict>", built with ``refer``) in their DM with the person
    at ``t`` (a mid-episode arrival when ``t`` is after now), among ``n_others`` lines of the same shape about
    other matters: on earlier days, and one later the same day. Returns the deciding line's id."""
    dm = channel(first)
    others = ctx.sample(OTHERS, n_others)
    for k, (thing, verdict) in enumerate(others):
        if k == n_others - 1:  # one after the deciding line, the same day
            at = t + int(ctx.rng.integers(20, 50)) * clock.MINUTE + int(ctx.rng.integers(0, 60))
            seen = at - int(ctx.rng.integers(30, 120)) * clock.MINUTE
        else:
            at = day.past(ctx, int(ctx.rng.integers(2 + 3 * k, 5 + 3 * k)))
            seen = at - int(ctx.rng.integers(1, 5)) * clock.HOUR
        text = f"re {refer(thing, seen)}: {verdict}"
        if at > ctx.now:
            day.arrive_chat(ctx, at, dm, sender, text)
        else:
            plant.chat(ctx, at, dm, sender, text)
    if t > ctx.now:
        return day.arrive_chat(ctx, t, dm, sender, line)
    return str(plant.chat(ctx, t, dm, sender, line)["id"])
