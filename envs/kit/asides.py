"""A stand-in's word among their asides (issue 21, session 31): the change that decides a level-4-5 task comes
from someone other than the person who asked, someone whose say is written in the world (a signature, a mail,
the asker's own text), and it points at the matter indirectly (a date, an ordinal, "the earlier one"), never by
a name, an id, a time or a key word of the matter. The same writer sends a few same-shaped lines about other
matters around it, so the shape alone ("... after all") finds several and only reading finds the one.

Families pass ``send``, which plants one line at a time through the family's channel (a chat DM, a text).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from claw_gym import clock
from claw_gym.tasks import Ctx


def word_among(
    ctx: Ctx,
    send: Callable[[int, str], Any],
    at: int,
    word: str,
    others: Sequence[str],
    *,
    spread: int = 4 * clock.DAY,
    earliest: int | None = None,
    latest: int | None = None,
    gap: int = clock.HOUR,
) -> Any:
    """``word`` sent at ``at``, and each of ``others`` at a time within ``spread`` either side of it, at least
    ``gap`` away (the first half before, the rest after), kept in [``earliest``, ``latest``] (``latest`` defaults to
    an hour before now; the lines before it are always in the past, an hour or more before now).
    Returns what ``send`` returned for ``word``."""
    lo = at - spread if earliest is None else max(earliest, at - spread)
    hi = min(at + spread, ctx.now - clock.HOUR if latest is None else latest)
    before = (lo, min(at - gap, ctx.now - clock.HOUR))
    after = (at + gap, hi)
    half = (len(others) + 1) // 2
    for k, line in enumerate(others):
        a, b = before if k < half else after
        if b <= a:  # no room on that side: the other side
            a, b = after if k < half else before
        t = a + int(ctx.rng.integers(0, max(1, b - a)))
        for _ in range(6):  # in a day's hours (09-18) when the window has any
            day = clock.day_start(t) + int(ctx.rng.integers(9 * 60, 18 * 60)) * clock.MINUTE
            if a <= day <= b:
                t = day
                break
            t = a + int(ctx.rng.integers(0, max(1, b - a)))
        send(t + int(ctx.rng.integers(1, 59)), line)
    return send(at, word)
