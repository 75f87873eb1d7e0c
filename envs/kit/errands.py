"""Compositional requests: rules buried in people's own notes, and readers for "did each goal happen".

A compositional task asks for 3-5 things at once. Its standing rules are written the way people
write them (a line among unrelated lines of a longer note, never a note titled after the task), and
its checks read what left by any door (:mod:`claw_gym.tasks.outbound`) and the records the agent made.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from claw_gym import clock
from claw_gym.tasks import Ctx, values
from claw_gym.tasks import outbound as O
from claw_gym.world import World

from .records import agent_rows

#: lines of a person's running notes that have nothing to do with any task
ASIDES = [
    "- renew the passport before the summer (photo booth at the station takes cards now)",
    "- dentist wants a check-up every 6 months, last one was in spring",
    "- bins: paper on Tuesdays, glass the first Friday of the month",
    "- the good plumber is the one from the neighbours, not the one on the fridge magnet",
    "- car insurance renews in October, compare before it auto-renews",
    "- gym locker code is on the back of the membership card",
    "- mum's birthday: order flowers a week ahead, the shop is slow",
    "- wifi router admin sticker is under the box, not on it",
    "- library books back by the 20th or they charge per day",
    "- try the Thai place on the corner, everyone keeps recommending it",
    "- keep the warranty for the washing machine until next year",
    "- school photos order form: due end of the month",
    "- spare house key is with the neighbours on the 2nd floor",
    "- tax documents go in the blue folder, not the drawer",
]


def bury(ctx: Ctx, rules: Iterable[str], n_asides: int = 5) -> str:
    """A note body: the rule lines shuffled in among unrelated lines, as a person's running list reads."""
    lines = list(ctx.sample(ASIDES, n_asides)) + [f"- {r}" for r in rules]
    order = ctx.rng.permutation(len(lines))
    return "\n".join(lines[int(i)] for i in order) + "\n"


def office_hours(ctx: Ctx, t: int) -> int:
    """The day of ``t`` at a seeded working-hours moment (09:00-17:59, any second): when colleagues post and
    mail (never on the whole minute, which the background's records never are)."""
    return clock.day_start(t) + int(ctx.rng.integers(9 * 60, 18 * 60)) * clock.MINUTE + int(ctx.rng.integers(1, 60))


def past_sms(ctx: Ctx, t: int, number: str, body: str, who: str = "") -> str:
    """A text received at ``t`` (read), with the phone's Messages notification about as often as the
    background's texts have one: planted records look like the life around them."""
    rid = str(ctx.svc("sms").receive(number, body, time=t, read=True)["id"])
    if "device" in ctx.world.services and ctx.rng.random() < 0.5:
        ctx.svc("device").log_line("notification", "Messages", f"{who or number}: {body[:50]}", time=t + 2)
    return rid


def said_to(world: World, people: Iterable[str], since: int, channels: Iterable[str] = ()) -> list[O.Message]:
    """Everything sent at or after ``since`` to any of ``people`` (addresses or numbers) by any door,
    or posted to one of ``channels`` (chat names without '#')."""
    want = {O.party(p) for p in people if p} | {"#" + c.lstrip("#") for c in channels}
    return [m for m in O.outbound(world, since) if any(O.party(r) in want for r in m.to)]


def asked_times(text: str) -> set[str]:
    """The clock times ('HH:MM') a message asks for, leaving out those it only mentions ("not 13:00")."""
    return values.asked_values(text, values.times_in(text))


def asked_amounts(text: str) -> set[Decimal]:
    """The amounts a message names as its own (read as the person writes them, EUR by default)."""
    return values.asked_values(text, values.amounts_in(text, "EUR"))


def new_rows(world: World, service: str, table: str, before: Iterable[str]) -> list[dict]:
    """Records the agent made in a table (see :func:`.records.agent_rows`), oldest id first."""
    return sorted(agent_rows(world, service, table, before), key=lambda r: r["id"])
