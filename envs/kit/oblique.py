"""Oblique words: someone whose say is written in the world settles a matter without naming it.

"re the 12th: ...", "about the second point of the March mail: ...", "what you were asked to send out on
Tuesday: ...": the deciding line names no key word, id, amount or name of the matter, and it sits among the
same person's same-shaped lines about other matters on the same channel, so neither a search on the
matter's names nor "after all" alone lands on it. Reading that person's messages since the matter came up
finds it, and its reference resolves to exactly one matter (the family checks that).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from claw_gym import clock
from claw_gym.tasks import Ctx

from . import plant

#: the ordinal words a deciding line may use for "the second point", "the third one"
ORDINALS = ["first", "second", "third", "fourth", "fifth"]


def day_ordinal(t: int) -> str:
    """ "the 12th": the day of the month of ``t``, as people say it."""
    d = clock.to_datetime(t).day
    suffix = "th" if 10 <= d % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(d % 10, "th")
    return f"{d}{suffix}"


def me(ctx: Ctx) -> str:
    """How colleagues @-address the person: the first name, the full name when one of their people shares it."""
    m = ctx.persona.me
    return m.name if any(p.first == m.first for p in ctx.persona.people) else m.first


def among(
    ctx: Ctx,
    post: Callable[[int, str], dict],
    line: str,
    others: Sequence[str],
    start: int,
    end: int,
) -> dict:
    """Post ``line`` and ``others`` (the same person's same-shaped lines about other matters) through
    ``post(time, text)`` at seeded moments in [``start``, ``end``), in a seeded order, so the deciding line
    is neither alone nor always the last word. The deciding line's record."""
    texts = [line, *others]
    if end - start < len(texts) * 10 * clock.MINUTE:
        raise ValueError("oblique.among: the window is too short for the lines")
    picks = sorted(start + int(ctx.rng.integers(0, end - start - 5 * clock.MINUTE)) for _ in texts)
    if end - start > clock.HOUR:  # each at a waking hour of its day, when that stays in the window
        awake = [clock.day_start(t) + int(ctx.rng.integers(9 * 60, 21 * 60)) * clock.MINUTE for t in picks]
        picks = sorted(a if start <= a < end - 5 * clock.MINUTE else t for a, t in zip(awake, picks, strict=True))
    order = [int(i) for i in ctx.rng.permutation(len(texts))]
    out: dict = {}
    for k, t in zip(order, picks, strict=True):
        rec = post(plant.jitter(ctx, max(t, start + 4 * clock.MINUTE), 3), texts[k])
        if k == 0:
            out = rec
    return out
