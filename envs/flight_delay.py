"""Proactive: the airline delays a flight, then revises the delay; fix the calendar, warn the meeting.

Nobody asks; one line of the person's notes page (weeks old, among unrelated lines; 30+ days
at difficulty 4, 60+ at 5) says what to do when a flight changes, and within how many hours of the
airline's latest notice (the span the task is judged at): keep its calendar entry at the airline's latest
times, and tell the attendees of a meeting it makes them late for the new arrival time. At difficulty 4-5
(personal) the partner's later text amends it ("text me the new landing time too"), and the checker
follows. Mid-episode the airline mails a delay; later mails of the same shape change it again with no word
of correction (the last one counts, as the note says: acting on the first one only is the stale choice and
fails). The flight's calendar entry must carry the latest times, and the attendees of the meeting the delay now
collides with must be told the new arrival time. Cross-service: airline mail -> calendar
flight and meeting -> attendees' addresses. More revisions, later revisions and a second
meeting that does not collide come with difficulty.

From level 4 the rule line (30+ / 60+ days back) names neither flights nor airlines nor delays and adds a
goal: the ride from the airport moves to a set time after the new landing (a sum); an older line with the
obvious words, about someone else's trips, sits in another note. The calendar holds three or more live
flight entries (the trip's return, another trip), and the airline's older notices about other flights sit
weeks back in the same shape: the notice's flight number picks one. The ride's entry says who booked it
("changes go through them"); days later that person's text, among their texts of the same shape about other
matters, names the ride only by its day ("re the one I booked for the 12th: make it 45 minutes after you touch
down, not 20") and moves the margin the rule gives (their word wins; issue 21, session 33). At level 5 the entry also
asks to let the booker know the new time if it moves (a checked goal, any door).
"""

from __future__ import annotations

from typing import Any

from claw_gym import actions as A
from claw_gym import clock
from claw_gym.plural import count
from claw_gym.tasks import Ctx, Family, Grader, Scenario, values
from claw_gym.tasks import outbound as O
from claw_gym.tasks.footprint import Footprint, Own
from claw_gym.world import World

from .kit import arrivals, checks, deadlines, errands, footers, household, notation, oblique, plant, records

AIRLINES = [
    ("Skyline Air", "SK", "skylineair.example"),
    ("Boreal Jet", "BJ", "borealjet.example"),
    ("Atlantica", "AT", "atlantica.example"),
    ("Meridian Wings", "MW", "meridianwings.example"),
]
ROUTES = [
    ("Lisbon", "Berlin", 210),
    ("Berlin", "Oslo", 120),
    ("Dublin", "Lyon", 125),
    ("Toronto", "Austin", 240),
    ("Oslo", "Dublin", 150),
    ("Lyon", "Lisbon", 135),
]
DELAY = [
    "Dear passenger,\n\nflight {flight} to {to} on {date} is delayed. New departure {dep}, expected arrival "
    "{arr} (local times).\n\nWe apologise for the inconvenience.\n{airline}",
    "Flight {flight} ({frm} - {to}) update: departure moved to {dep}, arrival now {arr}.\n\n{airline} operations",
]
RULE = (
    "Flights: when an airline changes one of mine, keep the calendar entry at the latest times they give (they "
    "change delays more than once; the latest notice counts) and, if it makes me late for a meeting, mail the "
    "attendees my new arrival time. Have it sorted within {span} of their latest notice."
)


def _why(f: dict[str, Any]) -> str:
    return f"a line of the person's note '{f['rule_note']}' says"


AMEND = (
    "btw next time one of your flights is late, text me the new landing time too - I'd rather not wait at "
    "arrivals for an hour again"
)
MEETINGS = ["Client workshop", "Site visit", "Partner kickoff", "Contract review", "Board prep"]
#: levels 4-5: the rule as people word it (no "flight", "airline" or "delay"), with the ride as a second goal
DEEP_RULE = (
    "If I'm going to land later than planned: keep the diary entry at the newest times they send (they revise "
    "more than once; the last word counts), mail whoever I'm meeting my new landing time if I'll be late, and "
    "move my ride from the airport to {margin} minutes after the new landing. All within {span} of their last "
    "notice."
)
#: an older line with the obvious words, about another person's trips
OTHER_RULE = "Flight delays on {name}'s trips: forward the airline's mail to the travel desk, they rebook."
#: levels 4-5: the ride's entry says who booked it and that their word goes (the pointer an agent opening it
#: finds), and at level 5 that they are to be told when it moves (the added goal)
BOOKED_BY = "{name} booked it - changes go through them."
TELL_BOOKER = " Let them know the new time if it moves."
#: levels 4-5: the booker's later text about the ride, naming it only by the day it is for, among their texts of
#: the same shape about other matters: the margin it gives wins over the rule's
BOOKER_WORD = [
    "re {ref}: make it {margin} minutes after you touch down, not {old} - they won't wait longer than that",
    "re {ref}: {margin} min after touchdown rather than {old}, the drivers there don't hang about",
]
PICKUP = "Cab from {to} airport"


def generate(ctx: Ctx) -> Scenario:
    cal = ctx.svc("calendar")
    deep = ctx.difficulty >= 4
    rule_at = household.minute_jitter(ctx, ctx.now - household.days_back(ctx, at5=75, base=(25, 50)) * clock.DAY)
    margin = ctx.pick([20, 30]) if deep else 0
    span = deadlines.span_words(ctx)
    line = DEEP_RULE.format(margin=margin, span=span) if deep else RULE.format(span=span)
    note = household.rule_note(ctx, line, t=rule_at, work=ctx.variant == "work")
    airline, code, domain = ctx.pick(AIRLINES)
    frm, to, minutes = ctx.pick(ROUTES)
    flight = f"{code}{int(ctx.rng.integers(100, 999))}"
    dep = ctx.at(int(ctx.rng.integers(1, 4)), ctx.pick([7, 8, 9]), ctx.pick([0, 15, 30, 45]))
    arr = dep + minutes * 60
    fl = cal.add(
        f"Flight {flight} {frm} - {to}", dep, arr, location=f"{frm} airport", notes=f"Booking ref {ctx.code(6)}"
    )
    meet_start = arr - arr % (30 * clock.MINUTE) + ctx.pick([3, 4, 5]) * 30 * clock.MINUTE
    who = (
        [ctx.person("colleague"), ctx.person("manager")]
        if ctx.variant == "work"
        else [ctx.person("friend"), ctx.person("friend")]
    )
    attendees = sorted({p.email for p in who})
    title = ctx.pick(MEETINGS) if ctx.variant == "work" else ctx.pick(["Lunch with friends", "Apartment viewing"])
    also = None
    if ctx.variant == "personal" and ctx.difficulty >= 4:  # the rule amended later, by a text: tell the partner too
        partner = ctx.person("partner")
        t_amend = household.minute_jitter(ctx, rule_at + int(ctx.rng.integers(5, 15)) * clock.DAY)
        household.text_in(ctx, partner.phone, AMEND, t_amend, partner.name)
        also = {"name": partner.name, "phone": partner.phone, "email": partner.email}
    meet = cal.add(f"{title} in {to}", meet_start, meet_start + 90 * 60, attendees=attendees, location=to)
    if ctx.difficulty >= 3:  # a later meeting that the delay does not touch
        late = clock.day_start(arr) + 20 * clock.HOUR
        cal.add(f"Dinner in {to}", late, late + 2 * clock.HOUR, attendees=[ctx.person("friend").email])
    # delays: every notice lands the arrival after the meeting start; the last one counts
    n = 2 + (ctx.difficulty >= 4)
    delays = sorted(ctx.sample(list(range(5, 11)), n))
    if ctx.rng.random() < 0.5:
        delays = delays[::-1]  # revisions go either way
    trigger = deadlines.trigger_time(ctx)
    t = last = trigger
    mails: list[tuple[int, int, int]] = []
    notices: list[str] = []
    for d in delays:
        nd, na = dep + d * 30 * clock.MINUTE + 2 * clock.HOUR, arr + d * 30 * clock.MINUTE + 2 * clock.HOUR
        body = ctx.pick(DELAY).format(
            flight=flight,
            to=to,
            frm=frm,
            date=clock.fmt_date(dep),
            dep=clock.fmt_long(nd),
            arr=clock.fmt_long(na),
            airline=airline,
        )
        subj = ctx.pick([f"Flight {flight} delayed", f"Flight {flight}: schedule change"])
        body += footers.footer(ctx, airline, "alert")
        notices.append(arrivals.arrive_mail(ctx, "mail", t, f"alerts@{domain}", subj, body))
        mails.append((t, nd, na))
        last = t
        t += (10 + 10 * ctx.difficulty + int(ctx.rng.integers(0, 20))) * clock.MINUTE
    facts: dict[str, Any] = {"others": [], "ride": None, "booker_parties": []}
    if deep:
        trip = (flight, frm, to, airline, domain, dep, arr)
        facts = _deep(ctx, trip, mails, margin, rule_at, note, [*attendees, *([also["email"]] if also else [])])
    return Scenario(
        None,
        {
            "flight": fl["id"],
            "meeting": meet["id"],
            "attendees": attendees,
            "dep": mails[-1][1],
            "arr": mails[-1][2],
            "stale_dep": mails[0][1],
            "stale_arr": mails[0][2],
            "trigger_at": trigger,
            "stale_hhmm": sorted({notation.hhmm(m[2]) for m in mails[:-1]} - {notation.hhmm(mails[-1][2])}),
            "last_notice_at": last,
            "send_from": "workmail" if ctx.variant == "work" else "mail",
            "rule_note": note,
            "also": also,
            "also_parties": [also["phone"], also["email"]] if also else [],
            "deciding_at": rule_at,
            "candidates": notices + facts.pop("old_notices", []),
            **facts,
        },
        deadline=deadlines.deadline_after(ctx, last) + deadlines.GRACE,  # the rule's span after the last notice
        trigger=f"delay notice for {flight} at {clock.fmt(trigger)}, revised later",
    )


def _booker(ctx: Ctx, avoid: list[str]) -> Any:
    """Who booked the ride: a colleague (work) or a friend (personal) who is not one of ``avoid`` (the meeting's
    attendees, the partner), whose texts are theirs alone."""
    rel = "colleague" if ctx.variant == "work" else "friend"
    pool = [p for p in ctx.persona.people if p.relation == rel and p.email not in avoid]
    return ctx.pick(pool or [p for p in ctx.persona.people if p.relation != "self" and p.email not in avoid])


def _deep(
    ctx: Ctx, trip: tuple, mails: list[tuple[int, int, int]], margin: int, rule_at: int, note: str, avoid: list[str]
) -> dict[str, Any]:
    """Levels 4-5: the ride from the airport, two more live flights in the calendar, the airline's older notices
    about other flights, another person's same-keyword line, and at level 5 the cab firm's reply moving the
    margin; the facts these add."""
    flight, frm, to, airline, domain, dep, arr = trip
    code = flight[:2]
    out: dict[str, Any] = {}
    # the ride was booked days ago by someone whose word on it goes (the entry says so); their later text,
    # among their texts about other matters, names it by its day only and moves the margin the rule gives
    booker = _booker(ctx, avoid)
    booked = plant.jitter(ctx, ctx.now - int(ctx.rng.integers(6, 12)) * clock.DAY)
    old, margin = margin, margin + ctx.pick([15, 25])
    ride = plant.calendar(
        ctx,
        booked,
        PICKUP.format(to=to),
        arr + old * clock.MINUTE,
        arr + (old + 45) * clock.MINUTE,
        location=f"{to} airport",
        notes=BOOKED_BY.format(name=booker.name) + (TELL_BOOKER if ctx.difficulty >= 5 else ""),
    )
    said = booked + int(ctx.rng.integers(1, 4)) * clock.DAY
    while clock.to_datetime(said).weekday() >= 5:  # a weekday's working hours, as people text about bookings
        said += clock.DAY
    said = errands.office_hours(ctx, said)
    line = ctx.pick(BOOKER_WORD).format(ref=oblique.for_the("one I booked", arr), margin=margin, old=old)
    pool = oblique.PLAIN if ctx.variant == "work" else oblique.HOME_OTHERS
    word = oblique.texts_among(ctx, booker.phone, said, line, 3, oblique.for_the, pool=pool)
    out |= {
        "stale_margin": old,
        "ride_was": arr + old * clock.MINUTE,
        "booker": {"name": booker.name, "phone": booker.phone, "email": booker.email},
        "booker_parties": [booker.phone, booker.email],
        "word": {"sms": word, "line": line, "at": said, "booked": booked, "tell": ctx.difficulty >= 5},
    }
    others = []
    back = dep + int(ctx.rng.integers(2, 5)) * clock.DAY + int(ctx.rng.integers(-3, 8)) * clock.HOUR
    later = dep + int(ctx.rng.integers(8, 20)) * clock.DAY + int(ctx.rng.integers(-2, 6)) * clock.HOUR
    for start, a, b in ((back, to, frm), (later, frm, ctx.pick(["Madrid", "Prague", "Vienna", "Milan"]))):
        num = f"{code}{int(ctx.rng.integers(100, 999))}"
        if num == flight:
            num = f"{code}{int(flight[2:]) % 899 + 101}"
        row = plant.calendar(
            ctx,
            plant.jitter(ctx, booked - int(ctx.rng.integers(1, 20)) * clock.DAY),
            f"Flight {num} {a} - {b}",
            start - start % (5 * clock.MINUTE),
            start - start % (5 * clock.MINUTE) + 150 * clock.MINUTE,
            location=f"{a} airport",
            notes=f"Booking ref {ctx.code(6)}",
        )
        others.append(row)
    old_notices = []
    for k in range(2):  # the airline's notices about earlier flights, weeks back, in the same shape
        t = plant.jitter(ctx, ctx.now - int(ctx.rng.integers(35 + 25 * k, 55 + 25 * k)) * clock.DAY)
        num = f"{code}{int(ctx.rng.integers(100, 999))}"
        nd = t + int(ctx.rng.integers(3, 9)) * clock.HOUR
        body = ctx.pick(DELAY).format(
            flight=num,
            to=ctx.pick(["Madrid", "Prague", to]),
            frm=frm,
            date=clock.fmt_date(nd),
            dep=clock.fmt_long(nd),
            arr=clock.fmt_long(nd + 2 * clock.HOUR),
            airline=airline,
        )
        subj = ctx.pick([f"Flight {num} delayed", f"Flight {num}: schedule change"])
        body += footers.footer(ctx, airline, "alert")
        old_notices.append(plant.mail_in(ctx, "mail", t, f"alerts@{domain}", subj, body, read=True)["id"])
    colleague = ctx.pick([p for p in ctx.persona.by_relation("colleague") if p.email != booker.email])
    household.decoy_notes(
        ctx,
        [OTHER_RULE.format(name=colleague.first)],
        around=rule_at - 25 * clock.DAY,
        work=ctx.variant == "work",
        avoid=note,
    )
    return out | {
        "ride": ride["id"],
        "ride_at": mails[-1][2] + margin * clock.MINUTE,
        "margin": margin,
        "stale_rides": sorted(
            {m[2] + margin * clock.MINUTE for m in mails[:-1]}
            | {arr + margin * clock.MINUTE}
            | {mails[-1][2] + out["stale_margin"] * clock.MINUTE}
        ),
        "others": [r["id"] for r in others],
        "others_before": [dict(r) for r in others],
        "old_notices": old_notices,
        "before": records.ids_now(ctx, ("calendar", "entries")),
    }


def check(world: World, f: dict[str, Any], g: Grader) -> None:
    cal = world.services["calendar"].table("entries")
    fl = cal.get(f["flight"])
    g.forbid("deleted the flight from the calendar", fl is None)
    g.forbid("deleted the meeting", f["meeting"] not in cal)
    if fl is not None:
        g.expect(
            "flight entry has the latest departure and arrival",
            (fl["start"], fl["end"]) == (f["dep"], f["arr"]),
            f"entry {clock.fmt(fl['start'])}-{clock.fmt(fl['end'])}; the latest notice says "
            f"{clock.fmt(f['dep'])}-{clock.fmt(f['arr'])}",
            because=f"{_why(f)} to keep the flight's entry at the latest times; the airline's mails give them",
        )
    want = notation.hhmm(f["arr"])
    # besides the arrival, a mail may give the new departure and the meeting's own times ("lands 18:15, so
    # I'll miss the 15:00 start"): none of them is a flight time the airline superseded
    meeting = cal.get(f["meeting"])
    fine = {want, notation.hhmm(f["dep"])}
    if meeting is not None:
        fine |= {notation.hhmm(meeting["start"]), notation.hhmm(meeting["end"])}
    for a in f["attendees"]:
        mails = checks.sent_to(world, a, after=f["trigger_at"])
        body = mails[-1]["body"] if mails else ""
        named = values.asked_values(body, values.times_in(body))  # "lands 16:30 (not 15:00)" names 16:30 only
        ok = want in named and named <= fine and not named & set(f["stale_hhmm"])
        g.expect(
            f"{a} told the latest arrival time (and no superseded one)",
            ok,
            f"{count(len(mails), 'mail')} since the first notice; "
            f"the last names {', '.join(sorted(named)) or 'no time'}; "
            f"the latest arrival is {want}",
            because=f"{_why(f)} to mail the attendees of a meeting the flight makes them late for",
        )

    if f["ride"]:
        _check_ride(world, f, g)
    if f.get("also"):
        who = f["also"]
        parties = {O.party(who["phone"]), O.party(who["email"])}
        told = [m for m in O.outbound(world, f["trigger_at"]) if parties & {O.party(r) for r in m.to}]
        said = [values.asked_values(m.text, values.times_in(m.text)) for m in told]
        last = said[-1] if said else set()
        g.expect(
            f"{who['name']} told the latest arrival time too",
            want in last and not last & set(f["stale_hhmm"]),
            f"{count(len(told), 'message')} to them since the first notice; the last names "
            f"{', '.join(sorted(last)) or 'no time'}; the latest arrival is {want}",
            because=f"{who['name']} later asked by text to be told the new landing time when a flight is late "
            "(it amends the note's line)",
        )


def _check_ride(world: World, f: dict[str, Any], g: Grader) -> None:
    """The ride moved to the margin after the latest landing (its entry, or a new one in its place), and the
    other flights in the calendar kept their times."""
    cal = world.services["calendar"].table("entries")
    ride = cal.get(f["ride"])
    rows = (
        [ride]
        if ride is not None
        else records.agent_rows(world, "calendar", "entries", f["before"]["calendar.entries"])
    )
    at = [r for r in rows if r["start"] == f["ride_at"]]
    why = f"{_why(f)} to move the ride to {f['margin']} minutes after the new landing"
    if "booker" in f:
        why = (
            f"{_why(f)} to move the ride; its calendar entry says {f['booker']['name']} booked it and changes go "
            f"through them, and their later text about it (the one for the {_day(f['ride_at'])}) makes it "
            f"{f['margin']} minutes after landing"
        )
    g.expect(
        "the ride from the airport is at the margin after the latest landing",
        bool(at),
        ("; ".join(f"{r['title']!r} at {clock.fmt(r['start'])}" for r in rows) or "no ride in the calendar")
        + f"; the latest landing plus {f['margin']} minutes is {clock.fmt(f['ride_at'])}",
        because=why,
    )
    if f.get("word", {}).get("tell"):
        _check_booker_told(world, f, g)
    moved = [b["title"] for b in f["others_before"] if cal.get(b["id"]) != b]
    g.expect(
        "the other flights kept their entries",
        not moved,
        f"changed or deleted: {', '.join(moved)}" if moved else f"{len(f['others_before'])} other flights as they were",
        because="the airline's notices name one flight; the calendar's other flights are other trips",
    )


def _day(t: int) -> str:
    return oblique.day_ordinal(t)


def _check_booker_told(world: World, f: dict[str, Any], g: Grader) -> None:
    """Level 5: the ride's entry asks to let its booker know the new time when it moves (any door; naming a
    superseded pickup time too is a hedge)."""
    who = f["booker"]
    parties = {O.party(who["phone"]), O.party(who["email"])}
    told = [m for m in O.outbound(world, f["trigger_at"]) if parties & {O.party(r) for r in m.to}]
    said = [values.asked_values(m.text, values.times_in(m.text)) for m in told]
    last = said[-1] if said else set()
    want = notation.hhmm(f["ride_at"])
    stale = {notation.hhmm(t) for t in [*f["stale_rides"], f["ride_was"]]} - {want}
    g.expect(
        f"{who['name']} told the ride's new time",
        want in last and not last & stale,
        f"{count(len(told), 'message')} to them since the first notice; the last names "
        f"{', '.join(sorted(last)) or 'no time'}; the ride's new time is {want}",
        because=f"the ride's calendar entry says {who['name']} booked it and to let them know the new time if it moves",
    )


def _act(world: World, f: dict[str, Any], dep: int, arr: int, wait_to: int) -> list[str]:
    return [
        A.wait(wait_to - world.clock.now, wake=False),
        A.api("mail.list", unread_only=True),
        A.api("notes.list", query="flights airline"),
        A.api("calendar.update_event", id=f["flight"], start=clock.fmt(dep), end=clock.fmt(arr)),
        A.api("calendar.get", id=f["meeting"]),
        A.api("contacts.search", query=f["attendees"][0]),
        A.api(
            f"{f['send_from']}.send",
            to=f["attendees"],
            subject="Running late - flight delayed",
            body=f"Hi all, my flight is delayed and now lands at {notation.hhmm(arr)} on {clock.fmt_date(arr)}, "
            "so I will miss the start of our meeting. Sorry - I will join as soon as I can.",
        ),
        *(
            [A.api("sms.send", to=f["also"]["phone"], body=f"Flight delayed - now landing {notation.hhmm(arr)}.")]
            if f.get("also")
            else []
        ),
        *(_ride_steps(f, arr) if f["ride"] else []),
        A.wait(6 * clock.HOUR, wake=False),
    ]


def _ride_steps(f: dict[str, Any], arr: int) -> list[str]:
    """The hard end's look-ups and the ride moved to the margin after ``arr``."""
    day = clock.fmt_date(arr)
    at = arr + f["margin"] * clock.MINUTE
    return [
        A.api("notes.list", query="land"),
        A.api("sms.threads"),
        *([A.api("sms.list", number=f["booker"]["phone"])] if "booker" in f else []),
        A.api("mail.search", query="schedule change"),
        A.api("calendar.list_events", start=day, end=clock.fmt_date(arr + clock.DAY)),
        A.api("calendar.get", id=f["ride"]),
        A.api("calendar.update_event", id=f["ride"], start=clock.fmt(at), end=clock.fmt(at + 45 * clock.MINUTE)),
        *(
            [
                A.api(
                    "sms.send",
                    to=f["booker"]["phone"],
                    body=f"Landing later - I moved the ride to {notation.hhmm(at)}.",
                )
            ]
            if f.get("word", {}).get("tell")
            else []
        ),
    ]


def oracle(world: World, f: dict[str, Any]) -> list[str]:
    return _act(world, f, f["dep"], f["arr"], f["last_notice_at"])


def stale_oracle(world: World, f: dict[str, Any]) -> list[str]:
    """Acts on the first delay notice and never looks again."""
    return _act(world, f, f["stale_dep"], f["stale_arr"], f["trigger_at"])


FAMILY = Family(
    name="flight-delay",
    count=52,
    kind="proactive",
    services=("mail", "calendar", "contacts", "workmail", "sms", "notes"),
    summary="Within the hours the person's rule gives after the latest airline notice, the flight's calendar entry "
    "carries that notice's times and every attendee of the colliding meeting got a mail naming the latest arrival "
    "time (either mailbox), as a line of the person's notes page asks; from level 4 the ride is at the margin "
    "its booker (named on its entry) later texted, and at 5 the booker was told its new time; nothing deleted.",
    generate=generate,
    check=check,
    oracle=oracle,
    variants=("work", "personal"),
    tasks_per_variant=15,
    max_steps=40,
    tags=("conflict",),
    stale_oracle=stale_oracle,
    footprint=Footprint(
        owns=(Own("calendar.entries", ids=("flight", "meeting", "ride")),),
        parties=("attendees", "also_parties", "booker_parties"),
    ),
)
