"""Standing rules written the way people write them: one line in a longer page of notes.

People don't keep a note titled "Assistant rules": the rule is one line of a household or work
notes page, among lines about bins, keys and printers. A family plants its rule with `jot`,
which picks a plain title and a few unrelated lines (seeded), puts the rule among them and
returns the note's title for the checks' `because` texts.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from claw_gym import clock
from claw_gym.life.corpus import JOT_LINES, JOT_TITLES
from claw_gym.tasks import Ctx

from . import notation

Kind = Literal["home", "work"]

#: plain titles and unrelated lines of a notes page: the background's own pages use the same
#: (``claw_gym.life.corpus``), so a page of this shape is no sign of a task
TITLES: dict[Kind, tuple[str, ...]] = {"home": JOT_TITLES["home"], "work": JOT_TITLES["work"]}
LINES: dict[Kind, tuple[str, ...]] = {"home": JOT_LINES["home"], "work": JOT_LINES["work"]}


def rule_time(ctx: Ctx) -> int:
    """When the person wrote a standing rule down: the deeper the level, the older (>= 30 days back at
    level 4, >= 60 at level 5), at a daytime minute."""
    lo, hi = (60, 90) if ctx.difficulty >= 5 else (30, 55) if ctx.difficulty >= 4 else (10, 45)
    day = clock.day_start(ctx.now - int(ctx.rng.integers(lo + 1, hi + 1)) * clock.DAY)  # a whole day further back
    return day + int(ctx.rng.integers(8 * clock.HOUR, 21 * clock.HOUR))  # that day, between 08:00 and 21:00


def jot(ctx: Ctx, rule: str, kind: Kind = "home", others: int = 4, avoid: Sequence[str] = ()) -> tuple[str, str]:
    """(title, body): the rule as one line among `others` unrelated lines of a plain notes page, under a title
    none of `avoid` has (a family's other planted pages: two of its pages under one title would stand out)."""
    title = ctx.pick([t for t in TITLES[kind] if t not in avoid] or list(TITLES[kind]))
    lines = [f"- {line}" for line in ctx.sample(list(LINES[kind]), others)]
    lines.insert(int(ctx.rng.integers(1, len(lines) + 1)), f"- {rule}")
    return title, "\n".join(lines) + "\n"


def plant(ctx: Ctx, rule: str, kind: Kind, time: int, others: int = 4, avoid: Sequence[str] = ()) -> tuple[str, str]:
    """Write the notes page holding the rule (dated `time`, titled unlike `avoid`); (note id, title)."""
    title, body = jot(ctx, rule, kind, others, avoid)
    return ctx.svc("notes").add(title, body, time=notation.jitter(ctx, time))["id"], title
