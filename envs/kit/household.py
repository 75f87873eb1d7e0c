"""Standing rules and planted records written the way the person's own life writes them.

A rule is one line of a longer note among unrelated lines (a household or work page), never a note
titled after the task; a planted card charge looks like the background's (merchant in normal case,
"card payment", the bank app's push for larger amounts). Checkers name the note by the title
returned here, so their ``because`` follows the world.
"""

from __future__ import annotations

from claw_gym import clock
from claw_gym.tasks import Ctx

from . import plant

HOME_TITLES = ("Home admin", "House notes", "Odds and ends", "Life admin", "To remember", "Household")
WORK_TITLES = ("Work notes", "Desk notes", "Notes from 1:1s", "Work odds and ends", "Team bits")
HOME_LINES = (
    "Boiler service is due in spring; the engineer's number is on the fridge.",
    "Bins go out Tuesday night, recycling every other week.",
    "Spare keys: one with the neighbours at 14, one in the blue jar.",
    "Renew the bike insurance before it lapses (they never send a reminder).",
    "The window cleaner comes on the first Saturday of the month, cash only.",
    "Wifi password is on the router sticker, not the one in the drawer.",
    "Water the balcony plants twice a week in summer, once in winter.",
    "Library books: the card PIN is the old one, renewals online.",
    "Smoke alarm batteries last changed in March.",
    "Dentist check-ups every six months; they book the next one at the desk.",
    "Car: tyre pressure 2.3 front, 2.1 back.",
    "Mum's birthday present ideas go in the gift note, not here.",
    "Recycling centre closes at 16:00 on Sundays.",
    "Parking permit renews automatically; check the amount in January.",
)
WORK_LINES = (
    "Expense claims go in by the 5th or they slip a month.",
    "Room 2.14 has the good projector; book it early.",
    "Team lunch is the last Thursday of the month.",
    "VPN drops every 8 hours: reconnect before long calls.",
    "The quarterly review deck template is on the shared drive.",
    "Print jobs need the badge at the printer now.",
    "Ask facilities for a new monitor arm (ticket open since forever).",
    "All-hands slides are due the Monday before.",
    "Holiday requests: at least two weeks ahead in the HR portal.",
    "Keep Friday afternoons free of meetings if possible.",
    "The coffee machine on 3 is the one that works.",
    "Badge photo needs redoing before it expires.",
)


def rule_note(ctx: Ctx, rule: str, *, t: int, work: bool = False, others: int = 6, title: str = "") -> str:
    """Add a note (seeded title, ``others`` unrelated lines) holding ``rule`` as one of its lines at a
    seeded place, dated ``t``; return its title (the checks' ``because`` names it)."""
    title = title or ctx.pick(WORK_TITLES if work else HOME_TITLES)
    lines = ctx.sample(WORK_LINES if work else HOME_LINES, others)
    lines.insert(int(ctx.rng.integers(1, len(lines) + 1)), rule)
    plant.note(ctx, t, title, f"{title}\n" + "\n".join(f"- {s}" for s in lines))
    return title


def decoy_notes(
    ctx: Ctx, lines: list[str], *, around: int, work: bool = False, spread_days: int = 20, avoid: str = ""
) -> list[str]:
    """One note per line of ``lines``, each shaped as :func:`rule_note`'s (another title, unrelated lines),
    dated within ``spread_days`` of ``around`` (never in the last day): the same-keyword rules that do not
    apply (another person's, another machine's, an expired one), so a keyword search turns up several
    same-shaped candidates to read. Returns their titles."""
    used: list[str] = [avoid]
    for line in lines:
        pool = [x for x in (WORK_TITLES if work else HOME_TITLES) if x not in used] or list(HOME_TITLES)
        t = around + int(ctx.rng.integers(-spread_days, spread_days + 1)) * clock.DAY
        used.append(
            rule_note(
                ctx,
                line,
                t=minute_jitter(ctx, min(t, ctx.now - clock.DAY)),
                work=work,
                others=int(ctx.rng.integers(3, 6)),
                title=ctx.pick(pool),
            )
        )
    return used[1:]


def minute_jitter(ctx: Ctx, t: int, spread: int = 23) -> int:
    """``t`` moved by a seeded few minutes either way, so a planted time is not always on the hour."""
    return t + int(ctx.rng.integers(-spread, spread + 1)) * clock.MINUTE + int(ctx.rng.integers(0, 60))


def file_time(ctx: Ctx, t: int) -> int:
    """``t`` moved off the round minute, as the background saves its files (life.variety: any minute, any
    second), by :func:`.plant.jitter` (deterministic, and it leaves ``ctx.rng`` alone)."""
    return plant.jitter(ctx, t)


def card_charge(ctx: Ctx, amount: float, merchant: str, t: int, reference: str = "card payment") -> str:
    """A posted card payment shaped like the background's (see life.routines.card_payments): merchant in
    its normal case, the bank app's push when the amount is over 25 EUR and the world has a device log."""
    rec = ctx.svc("bank").post(-round(abs(amount), 2), merchant, reference, time=t)
    if abs(amount) > 25 and "device" in ctx.world.services:
        ctx.svc("device").log_line("notification", "Bank", f"You paid {abs(amount):.2f} EUR at {merchant}", time=t + 5)
    return str(rec["id"])


def days_back(ctx: Ctx, *, at4: int = 30, at5: int = 60, base: tuple[int, int] = (3, 25)) -> int:
    """How many days back a deciding record sits: ``base`` range below difficulty 4, at least ``at4``
    days at 4 and ``at5`` at 5 (issue 21's depth rule), seeded."""
    if ctx.difficulty >= 5:
        return at5 + 1 + int(ctx.rng.integers(0, 20))
    if ctx.difficulty == 4:
        return at4 + 1 + int(ctx.rng.integers(0, 20))
    return int(ctx.rng.integers(*base))


def text_in(ctx: Ctx, number: str, body: str, t: int, who: str = "") -> str:
    """An incoming text shaped like the background's (see life.records.sms): read unless it is recent
    (then read one time in three), and the phone's Messages notification half the time, naming the
    contact when the address book knows them."""
    read = t < ctx.now - 2 * clock.DAY or bool(ctx.rng.random() < 0.35)
    rec = ctx.svc("sms").receive(number, body, time=t, read=read)
    if ctx.rng.random() < 0.5 and "device" in ctx.world.services:
        ctx.svc("device").log_line("notification", "Messages", f"{who or number}: {body[:50]}", time=t + 2)
    return str(rec["id"])
