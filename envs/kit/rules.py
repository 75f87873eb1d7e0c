"""Standing rules written the way people write them: a line among unrelated lines, weeks back.

The standing-rules families (meeting-rules, bank-cc-rule, receipt-policy, crm-followup-rule) plant
the person's rule inside an ordinary running note, next to same-shaped notes that hold no rule, so
that finding it takes a search and a read, not one keyword. ``age`` places the deciding record as
deep in the history as the difficulty asks (issue 21: >= 30 days back at 4, >= 60 at 5).
"""

from __future__ import annotations

from claw_gym import clock
from claw_gym.tasks import Ctx

from . import plant

#: lines of a personal running note that decide nothing (errands, reminders, small facts)
FILLER = (
    "renew the passport before June",
    "ask about the ladder for the balcony",
    "guest wifi password is on the fridge",
    "water the fern on Sundays, the orchid every second week",
    "winter tyres off after Easter",
    "dentist check-up is due in spring",
    "the good hardware shop closes at 13:00 on Saturdays",
    "book the car service before the long weekend",
    "return the library books (two of them are overdue)",
    "pick up the dry cleaning, ticket is in the blue folder",
    "look into a second-hand bike for the commute",
    "the spare key is with the neighbours on the 2nd floor",
    "birthday present for mum: something for the garden",
    "cancel the magazine trial before it renews",
    "check whether the warranty on the kettle is still valid",
    "try the new bakery on the corner",
    "send the photos from the wedding to the family group",
    "move the old boxes from the hallway to the cellar",
    "change the smoke alarm batteries",
    "find a plumber for the dripping tap in the bathroom",
)
#: titles of the person's running notes: the background's own (life/threads.NOTE_TITLES), never named after a task
TITLES = (
    "Ideas for the weekend",
    "Books to read",
    "Gift ideas",
    "Recipes to try",
    "Packing list",
    "Flat maintenance",
    "Running plan",
    "Podcast recommendations",
)


def age(ctx: Ctx, lo: int, hi: int) -> int:
    """Seconds back in the history for the record that decides the task: ``lo``..``hi`` days at levels
    1-3, 31-50 days at level 4, 61-75 days at level 5 (issue 21's depth: >= 30 / >= 60 days, with room for
    :func:`minute` and for an older original before it inside the 92 days of history)."""
    if ctx.difficulty >= 5:
        lo, hi = 61, 75
    elif ctx.difficulty >= 4:
        lo, hi = 31, 50
    return int(ctx.rng.integers(lo, hi + 1)) * clock.DAY + int(ctx.rng.integers(0, 8 * 60)) * clock.MINUTE


#: the least age :func:`age` gives the deciding record at each level (tests hold families to it)
DEPTH = {1: 0, 2: 0, 3: 0, 4: 30 * clock.DAY, 5: 60 * clock.DAY}


def minute(ctx: Ctx, t: int) -> int:
    """``t``'s day at a waking hour (08-21) and a realistic minute: people don't write at 04:00 or at :00 sharp."""
    hour = int(ctx.rng.integers(8, 22))
    return (
        clock.day_start(t)
        + hour * clock.HOUR
        + int(ctx.rng.integers(1, 59)) * clock.MINUTE
        + int(ctx.rng.integers(0, 60))
    )


def _line(text: str) -> str:
    """A note line as the background writes them: a capital first letter, a full stop."""
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."


def running_note(ctx: Ctx, t: int, rule_lines: list[str], *, folder: str | None = None) -> str:
    """A running note written at ``t``, shaped as the background's (a title line, then "- " lines): the rule
    lines shuffled among 4-6 unrelated ones, unfiled as the background's running notes are (a "Gift ideas"
    under "work" gave a rule away to a player) unless ``folder`` says otherwise. Returns its id."""
    lines = ctx.sample(list(FILLER), int(ctx.rng.integers(4, 7))) + list(rule_lines)
    order = ctx.rng.permutation(len(lines))
    title = ctx.pick(TITLES)
    body = title + "\n" + "\n".join(f"- {_line(lines[int(i)])}" for i in order)
    return str(plant.note(ctx, t, title, body, folder="" if folder is None else folder)["id"])


def decoy_notes(
    ctx: Ctx, around: int, n: int, *, spread_days: int = 25, near: tuple[str, ...] = (), avoid: tuple[int, ...] = ()
) -> list[str]:
    """``n`` running notes of the same shape near ``around`` that hold no rule (the same-shaped candidates a
    search turns up); each carries one line from ``near`` (same words as the rule, another matter). None falls on
    a day of ``avoid`` (day starts: a line naming a note by its date then means one note)."""
    ids = []
    for k in range(n):
        t = minute(ctx, around + int(ctx.rng.integers(-spread_days, spread_days + 1)) * clock.DAY)
        while clock.day_start(min(t, ctx.now - clock.DAY)) in avoid:
            t = minute(ctx, around + int(ctx.rng.integers(-spread_days, spread_days + 1)) * clock.DAY)
        lines = [near[k % len(near)]] if near else []
        ids.append(running_note(ctx, min(t, ctx.now - clock.DAY), lines))
    return ids


def candidates(ctx: Ctx) -> int:
    """How many same-shaped decoys a level plants: 3 or more at the deep levels."""
    return (0, 0, 1, 2, 3, 4)[ctx.difficulty]
