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
words the players search for (word_in_dm's ``pool``: new-hire-setup, receipt-policy), ``HOME_OTHERS`` the
household's matters (phone-card-check), :func:`amend_memo` amends one of a manager's numbered rule mails by its
date on a :func:`quiet_day` (dual-callback-crm), :func:`came_in_on` names a matter weeks back by its minute and
date (trip-prep, xdev-phone-link), :func:`staff_apart` finds a colleague whose DM channel is theirs alone,
:func:`for_the` names a booking by its day of the month and :func:`texts_among` sends the word among texts
(phone-dnd-meeting). Session 33: :func:`texts_around` keeps every other text's reference older than the
earliest text (document-request, address-update) and :func:`texts_referring_back` refers each back from itself
(bill-pay, duplicate-charge); :func:`came_in_the` names a matter by minute and day of the month; :func:`word_in_day`
sends a word, past or arriving, among the sender's lines on earlier days and one later the same day (inbox-day,
household-day, todo-export); :func:`lines_around` and :func:`word_with_lines` place a work person's word among their
lines at weekday working hours (xdev-shared-code; supplier-invoice, xdev-ledger-code); :func:`of_the` names a
record by the day it was written (phone-setting-notification); :func:`diary_keeper` gives a colleague's diary keeper
with the last word on times, :func:`working` a weekday working-hours moment and :func:`came_in_lately` a reference by
weekday within the week, by date further back (meeting-reschedule, meeting-rules, chat-schedule).
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

#: other household matters a partner, flatmate or friend settles in the same words (a text thread), none a
#: family's matter; none says "now" or "after", so "from now on" and "after all" miss them (phone-card-check)
HOME_OTHERS = [
    ("parcel", "it's mine, leave it in the hall"),
    ("electricity bill", "I paid it this morning"),
    ("plumber's quote", "fine by me, he can come Tuesday"),
    ("school letter", "signed it, it's in the blue folder"),
    ("vet's reminder", "booked her in for Saturday"),
    ("delivery slot", "moved it to Saturday morning"),
    ("rent reminder", "sorted, I sent my half"),
]

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


def weekday_back(t: int) -> int:
    """``t``, or the Friday before at the same time of day when ``t`` falls on a weekend: a working day's."""
    while clock.to_datetime(t).weekday() >= 5:
        t -= clock.DAY
    return t


def re_line(ctx: Ctx, refer: Refer, thing: str, verdict: str, before: int, days: int = 6) -> str:
    """ "re <reference>: <verdict>", the reference (by ``refer``) to a working-hours moment of a working day one to
    ``days`` - 1 days before ``before``: one of a person's same-shaped lines about another matter."""
    seen = errands.office_hours(ctx, weekday_back(before - int(ctx.rng.integers(1, days)) * clock.DAY))
    return f"re {refer(thing, seen)}: {verdict}"


def lines_about(ctx: Ctx, refer: Refer, n: int, before: int, *, pool: Sequence[tuple[str, str]] = OTHERS) -> list[str]:
    """``n`` lines "re <reference>: <verdict>" about other matters from ``pool`` (seeded), each referring with
    ``refer`` to a working-hours moment in the six days before ``before``: the same person's same-shaped lines
    to put around a deciding one with :func:`among` through any door."""
    return [re_line(ctx, refer, thing, verdict, before) for thing, verdict in ctx.sample(list(pool), n)]


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
    under one plain ``subject`` instead (in the personal mailbox when the world has no work mail either). The
    records' ids, in order."""
    chat = "chat" in ctx.world.services
    out = []
    for t, text in lines:
        at = min(errands.office_hours(ctx, weekday_back(t)), latest)
        if chat or not mail_from:
            out.append(str(plant.chat(ctx, at, channel, sender, text)["id"]))
        else:
            body = f"Hi all,\n\n{text[:1].upper()}{text[1:]}.\n\n{sender.split()[0]}"
            box = "workmail" if "workmail" in ctx.world.services else "mail"  # a world with neither chat nor work mail
            out.append(str(plant.mail_in(ctx, box, at, mail_from, subject, body, who=sender)["id"]))
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


#: other rule mails ("memos") a manager sends the team, three numbered points each, and the line that later
#: amends one of them by the mail's date (:func:`amend_memo`); none is a family's matter
MEMOS = [
    (
        "Expense claims",
        (
            "Claims in by the 5th of the month.",
            "Receipts scanned, not photographed.",
            "Anything over EUR 200 needs my OK first.",
        ),
        "the third point is EUR 300, not 200",
    ),
    (
        "Leave requests",
        ("Ask two weeks ahead.", "Put it in the team calendar too.", "No more than two of us off at once."),
        "the first point is one week, not two",
    ),
    (
        "Travel bookings",
        ("Book through the portal.", "Economy on flights under four hours.", "Hotels under EUR 150 a night."),
        "drop the second point, book what fits",
    ),
    (
        "Team meetings",
        ("Agenda by Monday noon.", "Notes go in the shared folder.", "Cameras on for the first ten minutes."),
        "the third point no longer applies",
    ),
]


def quiet_day(ctx: Ctx, service: str, addr: str, t: int, avoid: Sequence[int] = ()) -> int:
    """``t`` moved back a day at a time until ``addr`` sent no mail in ``service`` that day and the day is not one
    of ``avoid`` (day starts): "my mail of <that day>" then means one mail."""
    sent = {clock.day_start(m["time"]) for m in ctx.svc(service).table("messages").values() if m["from"] == addr}
    while clock.day_start(t) in sent or clock.day_start(t) in avoid:
        t -= clock.DAY
    return t


def memo(ctx: Ctx, service: str, t: int, addr: str, name: str, subject: str, points: Sequence[str]) -> dict:
    """``name``'s rule mail to the team at ``t``: numbered points under a plain subject. Its record."""
    body = "Hi all,\n\nA few things, so we all do it the same way:\n"
    body += "".join(f"{k}. {p}\n" for k, p in enumerate(points, 1)) + f"\n{name.split()[0]}"
    return plant.mail_in(ctx, service, t, addr, subject, body, who=name)


def amend_memo(
    ctx: Ctx,
    service: str,
    addr: str,
    name: str,
    memo_at: int,
    change: str,
    at: int,
    *,
    channel: str,
    latest: int,
    n_others: int = 2,
) -> str:
    """``name`` amends their rule mail of ``memo_at`` ("re my mail of 14 October: <change>") at ``at`` (a chat line
    in ``channel``, or a short work mail in a world without chat, see :func:`post_lines`), among ``n_others`` lines
    of the same shape amending their other memos (:data:`MEMOS`, planted here on quiet days before ``memo_at``;
    the lines 2-7 days either side of ``at``, which should be a week or more after ``memo_at``). The deciding
    line's id."""
    picked = ctx.sample(MEMOS, n_others)
    lines = [(at, f"re my mail of {day_month(memo_at)}: {change}")]
    t = memo_at
    offsets = ctx.sample([-6, -4, -3, -2, 2, 3, 5, 7], n_others)
    for (subject, points, amend), off in zip(picked, offsets, strict=True):
        t = quiet_day(ctx, service, addr, t - int(ctx.rng.integers(3, 10)) * clock.DAY)
        memo(ctx, service, t, addr, name, subject, points)
        lines.append((at + int(off) * clock.DAY, f"re my mail of {day_month(t)}: {amend}"))
    order = sorted(range(len(lines)), key=lambda k: lines[k][0])
    ids = post_lines(ctx, channel, name, [lines[k] for k in order], latest=latest, mail_from=addr)
    return ids[order.index(0)]


def came_in_on(thing: str, t: int) -> str:
    """ "the {thing} that came in at 10:42 on 14 October": a :data:`Refer` for matters weeks back, where a weekday
    alone would fit several."""
    return f"the {thing} that came in at {clock.fmt(t)[-5:]} on {day_month(t)}"


def staff_apart(ctx: Ctx, roles: Sequence[str], avoid: Sequence[str] = ()) -> tuple[str, str]:
    """(name, address) of a colleague who writes for the first of ``roles`` whose first name nobody in the person's
    circle (nor any of ``avoid``, full or first names) shares: their DM channel (:func:`dm_channel`) is theirs alone."""
    from . import senders

    taken = {n.split()[0] for n in avoid} | {p.first for p in ctx.persona.people} | {ctx.persona.me.first}
    for role in [*roles, *(f"{roles[0]} {k}" for k in range(2, 64))]:  # then the first role's next hires
        name, address = senders.staff(ctx, role)
        if name.split()[0] not in taken:
            return name, address
    raise ValueError(f"oblique.staff_apart: every one of {list(roles)} shares a first name")


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


# --- session 33, s33-amendD ---
def texts_around(
    ctx: Ctx,
    number: str,
    at: int,
    word: str,
    n_others: int,
    refer: Refer,
    *,
    pool: Sequence[tuple[str, str]] = PLAIN,
    spread: int = 3 * clock.DAY,
) -> str:
    """:func:`texts_among` with every other text's reference older than the earliest text (``spread`` before
    ``at``): no line speaks of something that came in after it was sent (document-request, address-update).
    The word's id."""

    def send(t: int, text: str) -> str:
        return str(plant.sms(ctx, t, number, text)["id"])

    others = lines_about(ctx, refer, n_others, at - spread, pool=pool)
    return str(word_among(ctx, send, at, word, others, spread=spread))


def came_in_the(thing: str, t: int) -> str:
    """ "the {thing} that came in at 10:42 on the 12th": a :data:`Refer` by minute and day of the month, for
    matters within a few weeks where a month's name could be one of the matter's words (a payslip's month)."""
    return f"the {thing} that came in at {clock.fmt(t)[-5:]} on the {day_ordinal(t)}"


# --- session 33, s33-amendE ---
def word_in_day(
    ctx: Ctx,
    send: Callable[[int, str], Any],
    at: int,
    word: str,
    refer: Refer,
    *,
    n_others: int = 3,
    later: int = 1,
    pool: Sequence[tuple[str, str]] = PLAIN,
    weekdays: bool = True,
) -> Any:
    """``word`` sent at ``at`` (after now: ``send`` makes it an arrival) among ``n_others`` of the same sender's
    lines "re <reference>: <verdict>" about other matters from ``pool``, each referring with ``refer`` to a moment
    earlier the same day as it is sent: the last ``later`` of them later the same day as the word (20-90 minutes
    apart), the rest one each on earlier days (1-5 days back, at 11:00-17:59, on weekdays when ``weekdays``: a
    colleague's hours), so the word is neither alone nor the last of its day. What ``send`` returned for ``word``."""
    picked = ctx.sample(list(pool), n_others)
    n_early = n_others - later
    days = sorted(ctx.sample(list(range(1, 6)), n_early), reverse=True)
    times = []
    for d in days:
        t = weekday_back(at - d * clock.DAY) if weekdays else at - d * clock.DAY
        times.append(clock.day_start(t) + int(ctx.rng.integers(11 * 60, 18 * 60)) * clock.MINUTE)
    t = at
    for _ in range(later):
        t += int(ctx.rng.integers(20, 90)) * clock.MINUTE
        times.append(t)
    out = None
    for k, ((thing, verdict), t) in enumerate(zip(picked, times, strict=True)):
        if k == n_early:
            out = send(at, word)
        seen = t - int(ctx.rng.integers(30, 120)) * clock.MINUTE
        send(t + int(ctx.rng.integers(1, 59)), f"re {refer(thing, seen)}: {verdict}")
    return send(at, word) if out is None else out


# --- session 33, s33-amendF ---
def lines_around(
    ctx: Ctx,
    at: int,
    line: str,
    n: int,
    refer: Refer,
    *,
    pool: Sequence[tuple[str, str]] = PLAIN,
    days: Sequence[int] = (-9, -6, -4, -2, 2, 3, 5, 8),
) -> list[tuple[int, str]]:
    """``line`` at ``at`` and ``n`` of the same person's lines "re <reference>: <verdict>" about other matters from
    ``pool`` (distinct), each some of ``days`` away from ``at`` and referring with ``refer`` to a working-hours moment
    one to five working days before it: (time, text) pairs in time order, for :func:`post_lines` (which keeps them
    at working hours of working days, never after its ``latest``)."""
    out = [(at, line)]
    for (thing, verdict), off in zip(ctx.sample(list(pool), n), ctx.sample(list(days), n), strict=True):
        t = weekday_back(at + int(off) * clock.DAY)  # a working day's, as post_lines will keep it
        out.append((t, re_line(ctx, refer, thing, verdict, t)))
    return sorted(out)


def of_the(thing: str, t: int) -> str:
    """ "the {thing} of 14 March": a record named only by the day it was written or came in (a :data:`Refer`)."""
    return f"the {thing} of {day_month(t)}"


# --- session 33, s33-amendA ---

#: a colleague's signature line naming who keeps their diary, with the last word on times (:func:`diary_keeper`)
KEEPS = "My diary is kept by {name} ({mail}); on times, {first} has the last word."


def diary_keeper(ctx: Ctx, avoid: Sequence[str] = ()) -> dict[str, str]:
    """A team assistant who keeps a colleague's diary, whose DM channel is theirs alone (:func:`staff_apart`), in
    the person's contacts as their other colleagues are: ``keeper`` (name), ``keeper_mail``, ``keeper_dm`` and
    ``signature`` (the :data:`KEEPS` line for the colleague's mail, written before the keeper's word)
    (meeting-reschedule, chat-schedule, meeting-rules)."""
    name, address = staff_apart(ctx, ["team assistant"], avoid=avoid)
    if "contacts" in ctx.world.services:  # a colleague the person works with: in their address book, as the others
        book = ctx.svc("contacts")
        company = next((p["company"] for p in book.table("people").values() if p["relation"] == "colleague"), "")
        from . import notation

        book.add(name, address, notation.phone_number(ctx), relation="colleague", company=company)
    sign = KEEPS.format(name=name, mail=address, first=name.split()[0])
    return {"keeper": name, "keeper_mail": address, "keeper_dm": dm_channel(name), "signature": sign}


def working(ctx: Ctx, t: int) -> int:
    """``t``'s day (the Friday before, for a weekend day) at a working-hours moment: when a colleague writes."""
    return errands.office_hours(ctx, weekday_back(t))


def came_in_lately(now: int) -> Refer:
    """:func:`came_in` ("... at 10:42 on Tuesday") for a matter within six days of ``now``, :func:`came_in_on`
    ("... at 10:42 on 14 October") further back, where a weekday alone would fit two."""
    lately = came_in(now)

    def refer(thing: str, t: int) -> str:
        return lately(thing, t) if now - t < 6 * clock.DAY else came_in_on(thing, t)

    return refer


# --- session 33, s33-amendC ---
def texts_referring_back(
    ctx: Ctx,
    number: str,
    at: int,
    word: str,
    n_others: int,
    refer: Refer,
    *,
    pool: Sequence[tuple[str, str]] = PLAIN,
    spread: int = 3 * clock.DAY,
) -> str:
    """:func:`texts_among` with every other line referring to a moment one to four days before that line itself was
    sent (never after it): ``word`` texted from ``number`` at ``at`` (in the past), among ``n_others`` of the same
    sender's texts "re <reference>: <verdict>" about other matters from ``pool`` within ``spread`` either side of it
    (bill-pay, duplicate-charge). The word's id."""
    picked = {f"{k}": item for k, item in enumerate(ctx.sample(list(pool), n_others))}

    def send(t: int, key: str) -> str:
        if key not in picked:
            return str(plant.sms(ctx, t, number, key)["id"])
        thing, verdict = picked[key]
        seen = errands.office_hours(ctx, t - int(ctx.rng.integers(1, 5)) * clock.DAY)
        return str(plant.sms(ctx, t, number, f"re {refer(thing, seen)}: {verdict}")["id"])

    return str(word_among(ctx, send, at, word, list(picked), spread=spread))


def word_with_lines(
    ctx: Ctx,
    channel: str,
    sender: str,
    at: int,
    word: str,
    others: Sequence[tuple[str, str]],
    offsets: Sequence[int],
    *,
    latest: int,
    extra: Sequence[tuple[int, str]] = (),
) -> str:
    """``word`` at ``at`` and, ``offsets`` days from it, each of ``others`` as "re the {thing} that came in at 10:42 on
    14 October: {verdict}" (a working-day moment one to three days before its own line), with ``extra`` (time, text)
    lines already built, all through :func:`post_lines` in ``channel`` by ``sender`` (weekday working hours, never after
    ``latest``): a work person's deciding line among their same-shaped lines (supplier-invoice, xdev-ledger-code).
    The word's id."""
    lines = [(at, word), *extra]
    for (thing, verdict), off in zip(others, offsets, strict=True):
        t = weekday_back(at + int(off) * clock.DAY)  # the day post_lines puts it on
        lines.append((t, re_line(ctx, came_in_on, thing, verdict, t, days=4)))
    order = sorted(range(len(lines)), key=lambda k: lines[k][0])
    ids = post_lines(ctx, channel, sender, [lines[k] for k in order], latest=latest)
    return ids[order.index(0)]
