"""Reactive, compositional: "get me ready for Thursday's trip" -- four goals, each checked.

The booking confirmation of the trip sits among other bookings from the same airline (past trips
and one later trip, same subject shape and price range); only its departure day says which is the
one. The person asks for: both legs in the calendar at their times, a reminder to check in online
when check-in opens (the booking mail says how many hours before departure), the host told the time
they will arrive (landing plus the transfer time the host wrote in an earlier message: a sum), and
the airport transfer already paid for (one of several same-merchant charges) filed in expenses.
From difficulty 3 the airline moves the outbound flight by text message (another channel, no
"corrected" marker, naming the flight number and day but not the airline or the booking; at 4-5 three
to five days back): the calendar, the check-in time and the arrival time all follow the text.
At difficulty 4 the booking is >= 30 days old, at 5 >= 60, among >= 3 same-shaped bookings; there the
host's later text (naming no trip or time) lengthens the way in: the arrival adds both terms.

Since session 32 (issue 21), at 4-5 every booking mail says it was booked by the company's travel desk (a named
colleague) and that changes to it go through them; that colleague later moves the trip's flight home in their
chat DM, naming the booking only by the time and date its mail came in ("re the booking that came in at 10:42 on
14 October: moved your flight home to ..."), among their same-shaped lines about the other bookings (one moves
another trip's flight home) and another matter (:func:`.kit.oblique.among`): the return goes in the calendar at
the new time. At 5 the travel desk asks to be told once it is in the calendar.

Variants: ``apartment`` (a private host by mail, the airport train) and ``colleague`` (a colleague
who wrote in the team chat, a pre-booked taxi): different people, services and transfers.
"""

from __future__ import annotations

from typing import Any

from claw_gym import actions as A
from claw_gym import clock
from claw_gym.plural import count
from claw_gym.tasks import Ctx, Family, Grader, Scenario
from claw_gym.tasks.footprint import Footprint, Own
from claw_gym.world import World

from .kit import checks, errands, footers, notation, oblique, plant, records, rules

AIRLINE, AIRLINE_MAIL, AIRLINE_SMS = "SkyJet Airways", "bookings@skyjet.example", "+1 555 010 7700"
DESTS = ["Porto", "Vienna", "Copenhagen", "Edinburgh", "Barcelona", "Prague", "Krakow", "Bologna"]
HOSTS = ["Marta Kowalczyk", "Luca Bernardi", "Sanne de Vries", "Jakub Novak", "Ines Moreau", "Pieter Janssen"]
TRANSFER = {
    "apartment": ("Airport Express", "tickets@airportexpress.example", (14.0, 26.0)),
    "colleague": ("CityCab", "rides@citycab.example", (32.0, 58.0)),
}
CHECKIN_HOURS = (24, 30, 36, 48)
INSTRUCTIONS = [
    "Get me ready for {day}'s trip: put both flights in my calendar, add a to-do to check in online for the "
    "flight out when check-in opens, let {host} know what time I'll get to theirs, and file the {what} I "
    "already paid for in expenses.",
    "Can you sort out {day}'s trip? Flights in the calendar (both ways), a to-do for online check-in on the "
    "way out for when it opens, tell {host} when I'll be at theirs, and put the {what} in expenses.",
]


#: levels 4-5: the travel desk's line in each booking mail (whose say a change is)
DESK = "Booked for you by {desk}, {company} travel desk. Changes to this booking go through {first}."
#: the travel desk's same-shaped lines about the other bookings (no time changes)
DESK_OTHER = [
    "added a checked bag, the times stay as they are",
    "seat moved to an aisle, nothing else changes",
    "the invoice for it is with finance now",
]
#: the travel desk moves a flight home ("{when}": "later" / "earlier")
DESK_MOVE = "moved your flight home to the {when} one that day: off at {dep}, in at {land}"
#: level 5: the travel desk asks to hear back
DESK_TELL = " - let me know once it's in your calendar"


def _when(t: int) -> str:
    return f"{clock.to_datetime(t):%a %d %b %Y, %H:%M}"


def _flight_no(ctx: Ctx) -> str:
    return f"SJ {int(ctx.rng.integers(200, 990))}"


def _booking(ctx: Ctx, home: str, dest: str, depart: int, back: int, hours: int) -> dict[str, Any]:
    """One round trip: its legs (depart, land) and the confirmation mail's text."""
    ref = f"{chr(65 + int(ctx.rng.integers(26)))}{chr(65 + int(ctx.rng.integers(26)))}{ctx.code(4)}"
    fly = int(ctx.rng.integers(95, 200)) * clock.MINUTE
    out: dict[str, Any] = {"no": _flight_no(ctx), "depart": depart, "land": depart + fly}
    ret: dict[str, Any] = {"no": _flight_no(ctx), "depart": back, "land": back + fly}
    amount = ctx.money(120, 420)
    body = (
        f"Booking confirmed - {ref}\n\nDear {ctx.persona.me.name},\n\nthank you for booking with {AIRLINE}.\n\n"
        f"  Booking reference: {ref}\n  Flight {home} - {dest}, return\n"
        f"  Outbound {out['no']}: {home} {_when(depart)} -> {dest} {notation.hhmm(out['land'])}\n"
        f"  Return {ret['no']}: {dest} {_when(back)} -> {home} {notation.hhmm(ret['land'])}\n"
        f"  Total charged: {amount:.2f} EUR\n\nOnline check-in opens {hours} hours before each departure and "
        f"closes 2 hours before it.\n\n{AIRLINE} customer care"
    )
    return {"ref": ref, "out": out, "ret": ret, "amount": amount, "body": body, "dest": dest, "hours": hours}


def _eticket(ctx: Ctx, bk: dict[str, Any]) -> str:
    seat = f"{int(ctx.rng.integers(1, 31))}{ctx.pick(list('ABCDF'))}"
    return (
        f"{AIRLINE.upper()} - E-TICKET\nPassenger: {ctx.persona.me.name}\nBooking: {bk['ref']}\n"
        f"Flight {bk['out']['no']} / {bk['ret']['no']}, return\nDeparture: {clock.fmt(bk['out']['depart'])}\n"
        f"Seat: {seat}\nBarcode: {ctx.code(12)}\n"
    )


def generate(ctx: Ctx) -> Scenario:
    exp = ctx.svc("expenses")
    home, d = ctx.persona.city, ctx.difficulty
    dests = ctx.sample([x for x in DESTS if x != home], 6)
    hours = ctx.pick(CHECKIN_HOURS)
    # the trip: 2-6 days ahead, at a realistic minute; its booking deeper in the past with difficulty
    k = int(ctx.rng.integers(2, 7))
    depart = ctx.at(k, int(ctx.rng.integers(6, 15)), int(ctx.pick([5, 10, 20, 25, 35, 40, 50, 55])))
    back = ctx.at(k + int(ctx.rng.integers(2, 5)), int(ctx.rng.integers(12, 20)), int(ctx.pick([5, 15, 25, 45])))
    trip = _booking(ctx, home, dests[0], depart, back, hours)
    lo_days = {4: 31, 5: 61}.get(d, 3)
    booked = ctx.now - (lo_days + int(ctx.rng.integers(0, 14))) * clock.DAY - int(ctx.rng.integers(1, 600)) * 60
    # other bookings from the same airline, same shape: past trips and one later trip on another weekday
    others: list[dict[str, Any]] = []
    n_other = 1 + (d + 1) // 2
    for j in range(n_other):
        if j == 0:  # a later trip, never on the same weekday
            kk = next(x for x in range(k + 5, k + 14) if clock.weekday(ctx.at(x, 0)) != clock.weekday(depart))
        else:
            kk = -int(ctx.rng.integers(8, 50))
        dep = ctx.at(kk, int(ctx.rng.integers(6, 15)), int(ctx.pick([5, 15, 25, 35, 45, 55])))
        bk = _booking(
            ctx, home, dests[1 + j], dep, dep + int(ctx.rng.integers(2, 5)) * clock.DAY + 5 * clock.HOUR, hours
        )
        bk["booked"] = min(dep, booked) - int(ctx.rng.integers(-6, 12)) * clock.DAY - int(ctx.rng.integers(1, 600)) * 60
        bk["booked"] = min(bk["booked"], ctx.now - clock.DAY, dep - clock.DAY)
        others.append(bk)
    desk = oblique.staff_apart(ctx, ("travel", "travel desk", "travel office"), HOSTS) if d >= 4 else None
    mails = []
    for bk, t in [(trip, booked)] + [(o, o["booked"]) for o in others]:
        ticket = f"Downloads/ticket-{bk['ref']}.txt"  # the e-ticket, as every booking mail carries one
        plant.file(ctx, plant.jitter(ctx, t, 2), ticket, _eticket(ctx, bk))
        mails.append(
            plant.mail_in(
                ctx,
                "mail",
                t,
                AIRLINE_MAIL,
                f"Booking confirmed - {bk['ref']}",
                bk["body"]
                + (
                    "\n\n" + DESK.format(desk=desk[0], company=ctx.persona.employer, first=desk[0].split()[0])
                    if desk
                    else ""
                )
                + footers.footer(ctx, AIRLINE, "booking"),
                read=True,
                attachments=[ticket],
            )["id"]
        )
        plant.tx(ctx, t + int(ctx.rng.integers(60, 300)), -bk["amount"], AIRLINE, f"Booking {bk['ref']}")
    # the outbound flight moves, by text (another channel, no marker): the booking mail is stale
    stale_out = dict(trip["out"])
    shift = int(ctx.pick([-55, -40, 35, 50, 65, 80])) * clock.MINUTE
    trip["out"] = {**trip["out"], "depart": depart + shift, "land": trip["out"]["land"] + shift}
    dd = clock.to_datetime(depart)
    # at 4-5 three to five days back (out of the opening digest); its words give the flight number and day, not
    # the airline or the booking: a search on those finds the booking mails, the flight number finds this
    hours_back = (74, 120) if d >= 4 else (3, 30)
    moved = ctx.now - int(ctx.rng.integers(*hours_back)) * clock.HOUR - int(ctx.rng.integers(0, 60)) * clock.MINUTE
    moved_sms = plant.sms(
        ctx,
        plant.jitter(ctx, moved, 4),
        AIRLINE_SMS,
        f"Schedule change: flight {trip['out']['no']} on {dd:%d %b} now departs "
        f"{notation.hhmm(trip['out']['depart'])} and lands {notation.hhmm(trip['out']['land'])}. "
        "No action needed.",
    )
    # the host and the transfer time they wrote down
    host = _host(ctx, trip, dests[0])
    # the transfer already paid for, among the same merchant's earlier charges: booked before the airline
    # moved the flight, so its pick-up follows the landing time known then (the booking mail's)
    merchant, sender, (lo, hi) = TRANSFER[ctx.variant]
    paid = min(booked + 3 * clock.DAY, moved - 2 * clock.HOUR)
    transfer = _transfer(ctx, merchant, sender, stale_out["land"], ctx.money(lo, hi), paid)
    decoys = [
        _transfer(ctx, merchant, sender, o["out"]["land"], ctx.money(lo, hi), o["booked"] + clock.DAY)
        for o in others
        if o["out"]["depart"] < ctx.now
    ]
    if not decoys:  # never a lone charge from that merchant
        old = ctx.now - int(ctx.rng.integers(20, 80)) * clock.DAY
        decoys.append(_transfer(ctx, merchant, sender, old, ctx.money(lo, hi), old - 2 * clock.DAY))
    exp.add(plant.jitter(ctx, ctx.now - 20 * clock.DAY), AIRLINE, others[-1]["amount"], "travel", status="approved")
    lunch = plant.jitter(ctx, ctx.now - int(ctx.rng.integers(2, 6)) * clock.DAY)
    exp.add(lunch, "Team lunch", ctx.money(40, 90), "meals")
    said = host["minutes"]
    if d >= 4:  # the host's later text changes the way in (another channel, naming no trip or time)
        host["minutes"] = _detour(ctx, host)
    arrive = trip["out"]["land"] + host["minutes"] * clock.MINUTE
    stale_arrive = stale_out["land"] + host["minutes"] * clock.MINUTE
    wrong_times = {notation.hhmm(o["out"]["land"] + host["minutes"] * 60) for o in others}
    wrong_times |= {notation.hhmm(stale_arrive), notation.hhmm(stale_out["depart"])}
    wrong_times |= {notation.hhmm(trip["out"]["land"] + said * clock.MINUTE)}
    stale_ret = dict(trip["ret"])
    moves: dict[str, Any] = {"desk": None, "desk_email": None, "desk_channel": None, "desk_word": None, "tell": False}
    if desk:  # the travel desk moves the flight home, naming the booking by when its mail came in
        moves = _desk(ctx, desk, trip, others, mails)
    before = records.ids_now(ctx, ("calendar", "entries"), ("todo", "items"), ("expenses", "claims"))
    what = "airport train ticket" if ctx.variant == "apartment" else "airport taxi"
    instruction = ctx.pick(INSTRUCTIONS).format(day=f"{clock.to_datetime(depart):%A}", host=host["name"], what=what)
    return Scenario(
        instruction,
        {
            "start": ctx.now,
            "mails": mails,
            "ref": trip["ref"],
            "out": trip["out"],
            "ret": trip["ret"],
            "stale_out": stale_out,
            "stale_ret": stale_ret,
            **moves,
            "moved_sms": moved_sms["id"],
            "checkin": trip["out"]["depart"] - hours * clock.HOUR,
            "stale_checkin": stale_out["depart"] - hours * clock.HOUR,
            "hours": hours,
            "host": host,
            "said_minutes": said,
            "arrive": arrive,
            "stale_arrive": stale_arrive,
            # the true times of this trip are never a wrong candidate, even when one equals an old one
            "wrong_times": sorted(
                wrong_times - {notation.hhmm(t) for t in (arrive, trip["out"]["land"], trip["out"]["depart"])}
            ),
            "transfer": transfer,
            "merchant": merchant,
            "decoys": decoys,
            "other_refs": [o["ref"] for o in others],
            "other_legs": [x for o in others for x in (o["out"]["depart"], o["ret"]["depart"])]
            + [o["old_ret"] for o in others if "old_ret" in o],
            "before": before,
        },
    )


def _desk(
    ctx: Ctx, desk: tuple[str, str], trip: dict[str, Any], others: list[dict[str, Any]], mails: list[str]
) -> dict[str, Any]:
    """Levels 4-5: the travel desk's lines in their DM with the person, each "re the booking that came in at
    HH:MM on D Month: ..." (the booking mail's own arrival): the trip's flight home moved (the deciding line),
    the later trip's flight home moved too, the past ones' benign changes, and a line about another matter.
    Moves ``trip["ret"]`` and the later trip's return; the facts."""
    name, email = desk
    dm = oblique.dm_channel(name)
    came = [int(ctx.svc("mail").table("messages")[m]["time"]) for m in mails]

    def move(ret: dict[str, Any]) -> tuple[dict[str, Any], str]:
        hour = clock.to_datetime(ret["depart"]).hour
        later = hour < 16
        shift = int(ctx.rng.integers(2 * 12, 5 * 12)) * 5 * clock.MINUTE * (1 if later else -1)
        new = {**ret, "depart": ret["depart"] + shift, "land": ret["land"] + shift}
        when = "later" if later else "earlier"
        return new, DESK_MOVE.format(when=when, dep=notation.hhmm(new["depart"]), land=notation.hhmm(new["land"]))

    trip["ret"], verdict = move(trip["ret"])
    line = f"re {oblique.came_in_on('booking', came[0])}: {verdict}" + (DESK_TELL if ctx.difficulty >= 5 else "")
    lines = []
    for k, (o, t) in enumerate(zip(others, came[1:], strict=True)):
        if k == 0:  # the later trip: its flight home moves too (a look-alike)
            o["old_ret"] = o["ret"]["depart"]
            o["ret"], v = move(o["ret"])
        else:
            v = DESK_OTHER[(k - 1) % len(DESK_OTHER)]
        lines.append(f"re {oblique.came_in_on('booking', t)}: {v}")
    start = max(came) + 2 * clock.HOUR
    lines += oblique.lines_about(ctx, oblique.came_in_on, 1, start, pool=oblique.PLAIN)
    rec = oblique.among(
        ctx, lambda t, text: plant.chat(ctx, t, dm, name, text), line, lines, start, ctx.now - 2 * clock.HOUR
    )
    return {
        "desk": name,
        "desk_email": email,
        "desk_channel": dm,
        "desk_word": str(rec["id"]),
        "tell": ctx.difficulty >= 5,
    }


def _host(ctx: Ctx, trip: dict[str, Any], dest: str) -> dict[str, Any]:
    """Who the person stays with, and the transfer time they wrote (the arrival time's other term)."""
    day = clock.to_datetime(trip["out"]["depart"])
    if ctx.variant == "apartment":
        name = ctx.pick(HOSTS)
        email = name.lower().replace(" ", ".") + "@" + ctx.pick(["posteo.net", "gmx.net", "mailbox.org"])
        phone = notation.phone_number(ctx)
        ctx.svc("contacts").add(name, email, phone, notes=f"apartment in {dest}")
        train, walk = int(ctx.rng.integers(24, 46)), int(ctx.rng.integers(5, 16))
        body = (
            f"Hi {ctx.persona.me.first},\n\nlovely, the flat is yours from {day.day} {day:%B}. Keys are in the box by "
            f"the door, I'll send the code the day before. The airport train into the centre takes {train} "
            f"minutes and from the station it's a {walk} minute walk to us, down the hill. Just tell me what time "
            f"you'll be here so I can have the heating on.\n\nBest,\n{name.split()[0]}"
        )
        t = rules.minute(ctx, ctx.now - int(ctx.rng.integers(4, 12)) * clock.DAY)
        plant.mail_in(ctx, "mail", t, email, f"Your stay in {dest}", body, read=True)
        return {"name": name, "email": email, "phone": phone, "minutes": train + walk, "channel": "", "at": t}
    p = ctx.pick(ctx.persona.by_relation("colleague"))
    cab = int(ctx.rng.integers(28, 55))
    channel = "general"
    t = errands.office_hours(
        ctx, ctx.now - int(ctx.rng.integers(*((5, 10) if ctx.difficulty >= 4 else (3, 9)))) * clock.DAY
    )
    plant.chat(ctx, t, channel, p.name, f"{ctx.persona.me.first} you're up in {dest} soon, right? stay at ours")
    plant.chat(ctx, t + 420, channel, ctx.persona.me.name, "yes please! I'll take a cab from the airport")
    plant.chat(
        ctx,
        t + 900,
        channel,
        p.name,
        f"cab from the airport to our place is about {cab} min if the ring road is ok. ping me when you know "
        "what time you'll be at ours",
    )
    return {"name": p.name, "email": p.email, "phone": p.phone, "minutes": cab, "channel": channel, "at": t + 900}


def _detour(ctx: Ctx, host: dict[str, Any]) -> int:
    """The host's later text: the way from the airport takes longer now (works on the road or the line). Its
    words name no trip, flight or arrival; the arrival time follows it. Returns the new minutes."""
    extra = int(ctx.rng.integers(3, 6)) * 5
    t = rules.minute(ctx, host["at"] + int(ctx.rng.integers(1, 3)) * clock.DAY)
    t = plant.jitter(ctx, min(t, ctx.now - 74 * clock.HOUR), 4)  # out of the opening digest
    if ctx.variant == "apartment":
        body = (
            f"Hi, {host['name'].split()[0]} here - small change to what I wrote about getting to us: our stop is "
            f"closed for works, so it's one stop further out for now, add about {extra} min on foot. Sorry!"
        )
    else:
        body = (
            f"heads up, the ring road's shut for works till the end of the month - it's the long way round to ours "
            f"now, add about {extra} min to what I said"
        )
    host["detour_sms"] = plant.sms(ctx, t, host["phone"], body)["id"]
    return int(host["minutes"]) + extra


def _transfer(ctx: Ctx, merchant: str, sender: str, land: int, amount: float, booked: int) -> dict[str, Any]:
    """A transfer paid in advance: its confirmation mail and card charge."""
    booked = min(booked, ctx.now - clock.HOUR)
    day = clock.to_datetime(land)
    what = (
        f"Airport - City Centre, single, valid {day:%d %b %Y}"
        if merchant == "Airport Express"
        else f"Pick-up at the airport arrivals hall, {day:%d %b %Y} around {day:%H:%M}"
    )
    mail = plant.mail_in(
        ctx,
        "mail",
        booked,
        sender,
        f"Your {merchant} booking",
        f"Thanks for booking with {merchant}.\n\n{what}\nPaid: EUR {amount:.2f} by card\n\nHave a good trip!"
        + footers.footer(ctx, merchant, "booking"),
        read=True,
    )
    tx = plant.charge(ctx, booked + int(ctx.rng.integers(30, 200)), amount, merchant)
    return {"tx": tx["id"], "mail": mail["id"], "amount": amount, "day": clock.fmt_date(land)}


RULE = "the instruction asks"


def check(world: World, f: dict[str, Any], g: Grader) -> None:
    b = f["before"]
    cal = errands.new_rows(world, "calendar", "entries", b["calendar.entries"])
    starts = {r["start"] for r in cal}
    for leg, why in (("out", "outbound"), ("ret", "return")):
        want = f[leg]["depart"]
        g.expect(
            f"the {why} flight is in the calendar at its departure",
            want in starts,
            f"{count(len(cal), 'new entry')} at {', '.join(sorted(clock.fmt(s) for s in starts)) or '-'}; "
            f"{f[leg]['no']} departs {clock.fmt(want)}",
            because=f"{RULE} for both flights in the calendar; the booking mail"
            + (" and the airline's later text give" if leg == "out" else " gives")
            + " the times"
            + (
                f"; {f['desk']} (the travel desk, through whom the booking mail says changes go) moved the flight "
                "home in their DM, naming the booking by when its mail came in"
                if leg == "ret" and f.get("desk")
                else ""
            ),
        )
    stale = {f["stale_out"]["depart"], f["stale_ret"]["depart"]} - {f["out"]["depart"], f["ret"]["depart"]}
    wrong = sorted(clock.fmt(s) for s in starts if s in set(f["other_legs"]) | stale)
    g.expect(
        "no calendar entry for another booking's flights or the old departure",
        not wrong,
        f"entries at {', '.join(wrong)}" if wrong else "none",
        because="the trip is the one departing on the day named; the other bookings are other trips",
    )
    rem = checks.reminders_at(world, f["checkin"], b)
    g.expect(
        "a check-in reminder when online check-in opens",
        bool(rem),
        f"{'; '.join(rem) or 'none'} at {clock.fmt(f['checkin'])} "
        f"({f['hours']} h before {clock.fmt(f['out']['depart'])})",
        because=f"{RULE} for a to-do when check-in opens; the booking mail says it opens {f['hours']} hours before",
    )
    host = f["host"]
    msgs = errands.said_to(
        world, [host["email"], host["phone"]], f["start"], [host["channel"]] if host["channel"] else []
    )
    if host["channel"]:
        first = host["name"].split()[0].lower()
        msgs = [m for m in msgs if not m.to[0].startswith("#") or first in m.text.lower()]
    asked = [errands.asked_times(m.text) for m in msgs]
    lo, hi = f["arrive"] - 5 * clock.MINUTE, f["arrive"] + 30 * clock.MINUTE  # "around 10:45" for 10:48 too
    ok = [a for a in asked if any(lo <= _at(f["arrive"], x) <= hi for x in a) and not a & set(f["wrong_times"])]
    g.expect(
        f"{host['name']} was told the arrival time",
        bool(ok),
        f"{count(len(msgs), 'message')} to them naming {', '.join(sorted(set().union(*asked))) or 'no time'}; "
        f"landing {notation.hhmm(f['out']['land'])} + {host['minutes']} min = {notation.hhmm(f['arrive'])}",
        because=f"{RULE} to tell {host['name']} when the person gets there; their message gives the transfer time"
        + ("; their later text adds to it" if f.get("said_minutes", host["minutes"]) != host["minutes"] else ""),
    )
    if f.get("tell"):
        told = errands.said_to(world, [f["desk_email"]], f["start"], [f["desk_channel"]])
        g.expect(
            f"{f['desk']} was told the flight home is in the calendar",
            bool(told),
            f"{count(len(told), 'message')} to them since the request",
            because=f"{f['desk']}'s line moving the flight home asks to hear once it's in the calendar",
        )
    claims = errands.new_rows(world, "expenses", "claims", b["expenses.claims"])
    t = f["transfer"]
    good = [x for x in claims if abs(x["amount"] - t["amount"]) < 0.005 and x["tx_id"] in ("", t["tx"])]
    g.expect(
        "the transfer is filed in expenses with its amount",
        bool(good),
        f"{count(len(claims), 'new claim')}: "
        + ("; ".join(f"{x['merchant']} {x['amount']:.2f} {x['category']}" for x in claims) or "none")
        + f"; the booking for {t['day']} charged {t['amount']:.2f}",
        because=f"{RULE} to file the transfer paid for; its booking mail names the day and the amount",
    )
    bad = [
        x["id"]
        for x in claims
        if any(x["tx_id"] == o["tx"] or abs(x["amount"] - o["amount"]) < 0.005 for o in f["decoys"])
    ]
    g.expect(
        "no other trip's transfer is claimed",
        not bad,
        ", ".join(bad) or "none",
        because="the earlier transfers belong to past trips",
    )


def _at(ref: int, hm: str) -> int:
    """The time ``hm`` on the day of ``ref``."""
    h, m = map(int, hm.split(":"))
    return clock.day_start(ref) + h * clock.HOUR + m * clock.MINUTE


def _solve(world: World, f: dict[str, Any], out: dict[str, Any], checkin: int, arrive: int) -> list[str]:
    host, t = f["host"], f["transfer"]
    reads = [A.api("mail.search", query="Booking confirmed")]
    reads += [A.api("mail.get", id=m) for m in f["mails"]]
    reads += [A.api("sms.list"), A.api("bank.transactions", query="card payment", limit=50)]
    if host["channel"]:
        reads.append(A.api("chat.history", channel=host["channel"], limit=40))
        tell = A.api(
            "sms.send",
            to=host["phone"],
            body=f"Landing {notation.hhmm(out['land'])}, I should be at yours around {notation.hhmm(arrive)}!",
        )
    else:
        reads.append(A.api("mail.search", query=host["name"].split()[0]))
        tell = A.api(
            "mail.send",
            to=[host["email"]],
            subject="Arrival time",
            body=f"Hi {host['name'].split()[0]}, I'll be at yours at about {notation.hhmm(arrive)}. See you then!",
        )
    reads += [A.api("contacts.search", query=host["name"].split()[0]), A.api("mail.search", query=f["merchant"])]
    if f.get("desk_channel"):  # the travel desk's DM: their word on the booking
        reads.append(A.api("chat.history", channel=f["desk_channel"], limit=40))
    told = (
        [A.api("chat.post", channel=f["desk_channel"], text="Thanks - the flight home is in my calendar now.")]
        if f.get("tell")
        else []
    )
    reads += [
        A.api("mail.search", query="booking"),
        A.api("expenses.list"),
        A.api(
            "calendar.list_events",
            start=clock.fmt_date(world.clock.now),
            end=clock.fmt_date(f["ret"]["depart"] + clock.DAY),
        ),
    ]
    return reads + [
        A.api(
            "calendar.create_event",
            title=f"Flight {out['no']}",
            start=clock.fmt(out["depart"]),
            end=clock.fmt(out["land"]),
        ),
        A.api(
            "calendar.create_event",
            title=f"Flight {f['ret']['no']}",
            start=clock.fmt(f["ret"]["depart"]),
            end=clock.fmt(f["ret"]["land"]),
        ),
        A.api("todo.add_task", title=f"Online check-in {out['no']}", due=clock.fmt(checkin)),
        tell,
        *told,
        A.api(
            "expenses.create",
            date=t["day"],
            merchant="Airport transfer",
            amount=t["amount"],
            category="travel",
            tx_id=t["tx"],
        ),
        A.api("todo.list"),
        A.api("expenses.list", status="draft"),
        A.finish(f"Flights in the calendar, check-in to-do set, {host['name'].split()[0]} told, transfer filed."),
    ]


def oracle(world: World, f: dict[str, Any]) -> list[str]:
    return _solve(world, f, f["out"], f["checkin"], f["arrive"])


def stale_oracle(world: World, f: dict[str, Any]) -> list[str]:
    """Believes the booking mail and ignores the airline's text."""
    return _solve(world, f, f["stale_out"], f["stale_checkin"], f["stale_arrive"])


FAMILY = Family(
    name="trip-prep",
    kind="reactive",
    services=("mail", "calendar", "todo", "expenses", "bank", "sms", "contacts", "chat", "files"),
    summary="For the trip departing on the named day (one booking among same-shaped ones): both flights in the "
    "calendar at their (latest) departure times (at 4-5 the flight home as the travel desk moved it), a reminder "
    "when online check-in opens (hours from the booking mail), the host told the arrival time (landing + their "
    "transfer minutes) by any door, and that trip's pre-paid transfer filed in expenses (right amount, any "
    "category); at 5 the travel desk told; nothing for other trips.",
    generate=generate,
    check=check,
    oracle=oracle,
    variants=("apartment", "colleague"),
    tasks_per_variant=15,
    count=30,
    max_steps=60,
    tags=("conflict", "noise"),
    stale_oracle=stale_oracle,
    footprint=Footprint(
        owns=(Own("expenses.claims", new=True),),
        parties=("host.email", "host.phone", "desk_email"),
        channels=("host.channel", "desk_channel"),
    ),
)
