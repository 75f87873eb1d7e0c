"""Standing rules written the way people write them: one line in a longer page of notes.

People don't keep a note titled "Assistant rules": the rule is one line of a household or work
notes page, among lines about bins, keys and printers. A family plants its rule with `jot`,
which picks a plain title and a few unrelated lines (seeded), puts the rule among them and
returns the note's title for the checks' `because` texts.
"""

from __future__ import annotations

from typing import Literal

from claw_gym import clock
from claw_gym.tasks import Ctx

from . import notation

Kind = Literal["home", "work"]

TITLES: dict[Kind, tuple[str, ...]] = {
    "home": ("Notes to self", "House notes", "Things to remember", "Home admin", "Misc"),
    "work": ("Work notes", "Desk notes", "Work - misc", "Things to remember (work)", "Running notes"),
}
LINES: dict[Kind, tuple[str, ...]] = {
    "home": (
        "Recycling goes out Tuesday night, glass on the first Friday of the month.",
        "Spare key: with the neighbours at no. 14.",
        "Boiler service is due in spring - the number is on the fridge.",
        "Car insurance renews in October; compare before auto-renewal.",
        "Dentist recall every six months.",
        "Water the balcony plants twice a week in summer.",
        "Wifi router is in the hallway cupboard; restart it there.",
        "Library books go back on Saturdays.",
        "Bike lock code is the old flat number.",
        "Smoke alarm batteries: change in January.",
    ),
    "work": (
        "Expense claims in by the 5th of the month.",
        "Badge renewals at reception, 2nd floor.",
        "The printer on 3 jams - use the one on 4.",
        "VPN drops after 8 hours; reconnect before long calls.",
        "Room bookings over 2 hours need facilities' OK.",
        "Quarterly numbers freeze on the 3rd working day.",
        "Timesheets every Friday before 4.",
        "Parking passes are renewed in January.",
        "All-hands slides go to comms two days ahead.",
        "New joiners get a buddy for their first month.",
    ),
}


def rule_time(ctx: Ctx) -> int:
    """When the person wrote a standing rule down: the deeper the level, the older (>= 30 days back at
    level 4, >= 60 at level 5), at a daytime minute."""
    lo, hi = (60, 90) if ctx.difficulty >= 5 else (30, 55) if ctx.difficulty >= 4 else (10, 45)
    day = clock.day_start(ctx.now - int(ctx.rng.integers(lo + 1, hi + 1)) * clock.DAY)  # a whole day further back
    return day + int(ctx.rng.integers(8 * clock.HOUR, 21 * clock.HOUR))  # that day, between 08:00 and 21:00


def jot(ctx: Ctx, rule: str, kind: Kind = "home", others: int = 4) -> tuple[str, str]:
    """(title, body): the rule as one line among `others` unrelated lines of a plain notes page."""
    title = ctx.pick(list(TITLES[kind]))
    lines = [f"- {line}" for line in ctx.sample(list(LINES[kind]), others)]
    lines.insert(int(ctx.rng.integers(1, len(lines) + 1)), f"- {rule}")
    return title, "\n".join(lines) + "\n"


def plant(ctx: Ctx, rule: str, kind: Kind, time: int, others: int = 4) -> tuple[str, str]:
    """Write the notes page holding the rule (dated `time`); (note id, title)."""
    title, body = jot(ctx, rule, kind, others)
    return ctx.svc("notes").add(title, body, time=notation.jitter(ctx, time))["id"], title
