"""A proactive day: several arrivals spread over one virtual day, each with its own deadline in its text.

Shared by the "day" families (inbox-day, support-shift, household-day, sales-day, supplier-invoice):
when things arrive (at minutes a person would see, not on the hour), how far back the deciding fact
sits at each difficulty, a standing rule written as one line among a note's unrelated lines, a chat
message or a CRM lead arriving the way the background's records do (texts and mail arrive through
:mod:`.arrivals`), and the audit-log readers that tell whether something was done inside its window.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from claw_gym import clock
from claw_gym.audit import AuditEntry
from claw_gym.events import Event
from claw_gym.tasks import Ctx
from claw_gym.tasks import outbound as O
from claw_gym.world import World

from . import plant
from .records import reserve

#: Lines people keep in a running note next to the one rule a family needs (never titled after the task).
NOTE_LINES = [
    "- dentist recall is every 6 months, last one in November",
    "- bike lock code: the old one, ask Sam if forgotten",
    "- book the car service before the long weekend",
    "- quarterly tax estimate goes out mid-month",
    "- parcel locker at the pharmacy closes at 20:00",
    "- recycling is collected on alternate Thursdays",
    "- renew the museum pass in spring",
    "- printer toner: the XL cartridge lasts longer",
    "- library books back within three weeks",
    "- water the balcony plants twice a week in summer",
    "- expense receipts are due by the 5th of the month",
    "- gym locker: bring the padlock",
]
NOTE_TITLES = ["Misc", "Things to remember", "Running list", "Odds and ends", "Notes to self", "Reminders"]


def slots(ctx: Ctx, n: int, *, first_min: int = 25, gap_min: tuple[int, int] = (30, 80)) -> list[int]:
    """``n`` arrival times over the day, increasing, never on a round minute (people's messages aren't)."""
    out, t = [], ctx.now + (first_min + 5 * (ctx.difficulty - 1)) * clock.MINUTE
    for _ in range(n):
        t += int(ctx.rng.integers(*gap_min)) * clock.MINUTE + int(ctx.rng.integers(5, 55))
        if clock.to_datetime(t).minute % 15 == 0:
            t += 7 * clock.MINUTE
        out.append(t)
        t += 2 * clock.MINUTE
    return out


def clock_time(t: int, *, after_min: int) -> int:
    """A deadline ``after_min`` minutes after ``t``, rounded up to the next quarter hour (how people set them)."""
    q = 15 * clock.MINUTE
    return -(-(t + after_min * clock.MINUTE) // q) * q


def days_back(ctx: Ctx) -> int:
    """How many days back the deciding fact sits: >= 60 at difficulty 5, >= 30 at 4, recent below."""
    if ctx.difficulty >= 5:
        return int(ctx.rng.integers(61, 80))
    if ctx.difficulty == 4:
        return int(ctx.rng.integers(31, 50))
    return int(ctx.rng.integers(3, 20))


def past(ctx: Ctx, days: int) -> int:
    """A time ``days`` back, during the day, at an ordinary minute and second (as the background's records)."""
    return ctx.at(-days, int(ctx.rng.integers(8, 19)), int(ctx.rng.integers(1, 59))) + int(ctx.rng.integers(0, 60))


def note_with_line(ctx: Ctx, rule: str, t: int, *, extra: int = 4) -> str:
    """A running note (a plain title) holding ``rule`` among ``extra`` unrelated lines; returns its id."""
    lines = ctx.sample(NOTE_LINES, extra)
    at = int(ctx.rng.integers(1, len(lines)))
    body = "\n".join(lines[:at] + [f"- {rule}"] + lines[at:]) + "\n"
    return str(plant.note(ctx, t, ctx.pick(NOTE_TITLES), body)["id"])


def arrive_chat(ctx: Ctx, t: int, channel: str, sender: str, text: str) -> str:
    """A chat message that lands in ``channel`` at ``t`` (the background's chat line shape)."""
    rid = reserve(ctx.svc("chat"), "messages")
    rec = {"id": rid, "time": t, "channel": channel, "sender": sender, "text": text}
    line = f"#{channel} {sender}: {text[:60]}"
    ctx.world.schedule(Event(t, "chat", "chat.message", line, "messages", rec, person=sender))
    return rid


def done_between(
    world: World, call: str, since: int, until: int, match: Callable[[dict[str, Any]], bool] = lambda a: True
) -> list[AuditEntry]:
    """Successful ``call``s in [since, until] (every door goes through the audit log) whose args match."""
    return [e for e in world.audit.calls(call) if since <= e.time <= until and match(e.args)]


def arg_is(key: str, value: object) -> Callable[[dict[str, Any]], bool]:
    """A ``done_between`` matcher: the call's ``key`` argument is ``value``."""
    return lambda args: args.get(key) == value


def arg_has(key: str, value: object) -> Callable[[dict[str, Any]], bool]:
    """A ``done_between`` matcher: the call's ``key`` argument (a list) holds ``value``."""
    return lambda args: value in (args.get(key) or [])


def reached_between(world: World, parties: Iterable[str], since: int, until: int) -> list[str]:
    """How ``parties`` were reached by any door in [since, until]: mail from either mailbox, a text, a chat
    message, an invite (:mod:`claw_gym.tasks.outbound`) or a call; "door to party at HH:MM" lines."""
    want = {O.party(p): p for p in parties}
    out = [
        f"{m.door} to {want[O.party(r)]} at {clock.fmt(m.time)}"
        for m in O.outbound(world, since)
        if m.time <= until
        for r in m.to
        if O.party(r) in want
    ]
    out += [
        f"a call to {want[O.party(str(e.args.get('number', '')))]} at {clock.fmt(e.time)}"
        for e in done_between(world, "phone.place_call", since, until)
        if O.party(str(e.args.get("number", ""))) in want
    ]
    return out


def arrive_deal(ctx: Ctx, t: int, account: str, title: str, contact: str, close: int) -> str:
    """A CRM deal at 'lead' stage that lands at ``t`` (a web form or a referral creating it)."""
    rid = reserve(ctx.svc("crm"), "deals")
    rec = {
        "id": rid,
        "account": account,
        "title": title,
        "stage": "lead",
        "amount": 0.0,
        "contact": contact,
        "close": close,
        "next_step": "",
    }
    ctx.world.schedule(Event(t, "crm", "crm.deal", f"new lead: {account}", "deals", rec))
    return rid
