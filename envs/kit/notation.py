"""Values as people write them: phone numbers, clock times, days, templates.

Checkers compare numbers digit by digit and times as ``HH:MM``; the parsing of amounts, dates and
times in free text lives in :mod:`claw_gym.tasks.values`.
"""

from __future__ import annotations

import re

from claw_gym import clock
from claw_gym.tasks import Ctx, values


def phone_number(ctx: Ctx, area: str = "555") -> str:
    """A fresh phone number in the persona's format (seeded)."""
    return f"+1 {area} {int(ctx.rng.integers(200, 999))} {int(ctx.rng.integers(1000, 9999))}"


def stranger_number(ctx: Ctx) -> str:
    """A number shaped like the address book's (+1 555 ...) that is nobody's in it: an unknown sender
    who does not stand out by the number's format."""
    known = {norm_phone(p.phone) for p in ctx.persona.people}
    while True:
        number = f"+1 555 {int(ctx.rng.integers(100, 999))} {int(ctx.rng.integers(1000, 9999))}"
        if norm_phone(number) not in known:
            return number


STREETS = ("Linden Allee", "Harbour Road", "Maple Crescent", "Station Street", "Mill Lane", "Park Row")


def home_address(ctx: Ctx) -> str:
    """A home address shaped like the address book's ("12 Mill Lane, Lyon"): planted contacts carry one too."""
    return f"{int(ctx.rng.integers(1, 220))} {ctx.pick(STREETS)}, {ctx.persona.city}"


def jitter(ctx: Ctx, t: int, minutes: int = 0) -> int:
    """``t`` moved by a few seconds (and up to ``minutes`` minutes either way): people and logs don't act
    on the exact minute, and the background's times never sit on :00 seconds."""
    spread = int(ctx.rng.integers(-minutes, minutes + 1)) * 60 if minutes else 0
    return t + spread + int(ctx.rng.integers(1, 60))


def norm_phone(number: str) -> str:
    """A phone number as its digits: "+1 (555) 201-3344" and "15552013344" compare equal."""
    return re.sub(r"\D", "", number)


def squash(text: str) -> str:
    """Lower-case letters and digits only: a name or a street compared regardless of spacing and punctuation."""
    return re.sub(r"[^a-z0-9]", "", text.lower())


def times_in(text: str) -> set[str]:
    """Clock times named in a text (``16:30``, ``4:30 PM``, ``16h30``), as ``HH:MM``."""
    return values.time_values(text)


def hhmm(t: int) -> str:
    """A virtual time's clock time, ``HH:MM``."""
    return clock.to_datetime(t).strftime("%H:%M")


def day_text(t: int) -> str:
    """A virtual time's day as a person says it: "Tuesday Mar 4"."""
    d = clock.to_datetime(t)
    return f"{d:%A} {d:%b} {d.day}"


def fill_template(text: str, **fields: str) -> str:
    """Replace ``{{key}}`` placeholders (what a person does with a notes template)."""
    for k, v in fields.items():
        text = text.replace("{{" + k + "}}", v)
    return text
