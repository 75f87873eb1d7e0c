"""Oblique words: someone whose say is written in the world settles a matter without naming it.

"re the 12th: ...", "about the second point of the March mail: ...", "what you were asked to send out on
Tuesday: ...": the deciding line names no key word, id, amount or name of the matter, and it sits among the
same person's same-shaped lines about other matters on the same channel, so neither a search on the
matter's names nor "after all" alone lands on it. Reading that person's messages since the matter came up
finds it, and its reference resolves to exactly one matter (the family checks that).

Four placements: :func:`among` posts a line among others through any door (report-handoff, secret-request,
xdev-otp-enrol); :func:`word_in_dm` puts "re <when it came in or its date>: <verdict>" in the person's DM
with someone whose say is written, among lines about other matters (sales-day, support-shift,
xdev-figure-text); :func:`post_lines` posts "re my mail of 14 October: ..." lines at working hours, as
work mails in a world without chat (invoice-expense, statement-reconcile, trip-expenses); :func:`word_among`
sends a stand-in's word through the family's own door with lines spread either side of it (dual-invite-dnd,
xdev-shift-alarms, phone-missed-call). Issue 21, session 31. Session 32: :func:`lines_about` builds the other
lines for :func:`among` through any door (customer-escalation: a customer's assistant's texts), :func:`sent_out`
refers to the person's own sent record by its time (new-hire-setup), and ``PLAIN`` is ``OTHERS`` without the
words the players search for (word_in_dm's ``pool``: new-hire-setup, receipt-policy).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from claw_gym import clock
from claw_gym.persona import Person
from claw_gym.tasks import Ctx

from . import day, errands, plant

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

#: the same, without the words the players' searches try ("after all", "from now on")
PLAIN = [(thing, verdict) for thing, verdict in OTHERS if "after all" not in verdict and "from now on" not in verdict]

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


def lines_about(ctx: Ctx, refer: Refer, n: int, before: int, *, pool: Sequence[tuple[str, str]] = OTHERS) -> list[str]:
    """``n`` lines "re <reference>: <verdict>" about other matters from ``pool`` (seeded), each referring with
    ``refer`` to a working-hours moment in the six days before ``before``: the same person's same-shaped lines
    to put around a deciding one with :func:`among` through any door."""
    out = []
    for thing, verdict in ctx.sample(list(pool), n):
        seen = before - int(ctx.rng.integers(1, 6)) * clock.DAY
        while clock.to_datetime(seen).weekday() >= 5:  # a working day's
            seen -= clock.DAY
        seen = errands.office_hours(ctx, seen)
        out.append(f"re {refer(thing, seen)}: {verdict}")
    return out


def sent_out(thing: str, t: int) -> str:
    """ "what you sent out at 10:42 on 14 October": the person's own outgoing record by its time (``thing``
    unnamed: the words a search would try stay out of the line)."""
    return f"what you sent out at {clock.fmt(t)[-5:]} on {day_month(t)}"


def word_in_dm(
    ctx: Ctx,
    sender: str,
    first: str,
    t: int,
    line: str,
    refer: Refer,
    *,
    n_others: int = 3,
    pool: Sequence[tuple[str, str]] = OTHERS,
) -> str:
    """``sender`` writes ``line`` ("re <reference>: <verdict>", built with ``refer``) in their DM with the person
    at ``t`` (a mid-episode arrival when ``t`` is after now), among ``n_others`` lines of the same shape about
    other matters (from ``pool``): on earlier days, and one later the same day. Returns the deciding line's id."""
    dm = dm_channel(first)
    others = ctx.sample(list(pool), n_others)
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


def boss_takes(ctx: Ctx, boss: Person, thing: str, came_at: int, at: int, verdicts: Sequence[str]) -> dict[str, str]:
    """The manager settles one item in their DM at ``at`` ("re the <thing> that came in at HH:MM: <verdict>"),
    among their lines about other matters: the DM channel, the line and its message id."""
    refer = came_in(ctx.now)
    line = f"re {refer(thing, came_at)}: {ctx.pick(list(verdicts))}"
    msg = word_in_dm(ctx, boss.name, boss.first, at, line, refer)
    return {"dm": dm_channel(boss.first), "line": line, "msg": msg}


def day_month(t: int) -> str:
    """The date as people write it in a line: "14 October" (no weekday, no year, no time)."""
    d = clock.to_datetime(t)
    return f"{d.day} {d:%B}"


def post_lines(
    ctx: Ctx,
    channel: str,
    sender: str,
    lines: list[tuple[int, str]],
    *,
    latest: int,
    mail_from: str = "",
    subject: str = "Quick one",
) -> list[str]:
    """Each (day, text) of ``lines`` as a chat line by ``sender`` in ``channel`` at a working-hours moment of
    that day (a weekend day moves to the Friday before, so a line is never younger than asked), never after
    ``latest``. In a world without chat, given ``mail_from``, each is a short work mail from that address
    under one plain ``subject`` instead. The records' ids, in order."""
    chat = "chat" in ctx.world.services
    out = []
    for t, text in lines:
        while clock.to_datetime(t).weekday() >= 5:
            t -= clock.DAY
        at = min(errands.office_hours(ctx, t), latest)
        if chat or not mail_from:
            out.append(str(plant.chat(ctx, at, channel, sender, text)["id"]))
        else:
            body = f"Hi all,\n\n{text[:1].upper()}{text[1:]}.\n\n{sender.split()[0]}"
            out.append(str(plant.mail_in(ctx, "workmail", at, mail_from, subject, body, who=sender)["id"]))
    return out


def dm_channel(name: str) -> str:
    """The DM channel the background names after a colleague (``dm-<first name>``), from a full or first name."""
    return f"dm-{name.split()[0].lower()}"


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


def for_the(thing: str, t: int) -> str:
    """ "the {thing} for the 12th": a booking named only by the day of the month it is for (session 32)."""
    return f"the {thing} for the {day_ordinal(t)}"


def texts_among(
    ctx: Ctx, number: str, at: int, word: str, n_others: int, refer: Refer, *, pool: Sequence[tuple[str, str]] = PLAIN
) -> str:
    """``word`` texted from ``number`` at ``at`` (in the past), among ``n_others`` of the same sender's texts
    "re <reference>: <verdict>" about other matters from ``pool``, spread over the days either side of it
    (never after an hour before now): :func:`word_among` through the phone's Messages. The word's id."""

    def send(t: int, text: str) -> str:
        return str(plant.sms(ctx, t, number, text)["id"])

    others = lines_about(ctx, refer, n_others, at, pool=pool)
    return str(word_among(ctx, send, at, word, others, spread=3 * clock.DAY))
