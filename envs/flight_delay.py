"""Proactive: the airline delays a flight, then revises the delay; fix the calendar, warn the meeting.

Nobody asks; one line of the person's notes page (weeks old, among unrelated lines; 30+ days
at difficulty 4, 60+ at 5) says what to do when a flight changes: keep its calendar entry at
the airline's latest times, and tell the attendees of a meeting it makes them late for the new
arrival time. At difficulty 4-5 (personal) the partner's later text amends it ("text me the new
landing time too"), and the checker follows. Mid-episode the airline mails a delay; later
mails of the same shape change it again with no word of correction (the last one counts, as
the note says: acting on the first one only is the stale choice and fails). The flight's
calendar entry must carry the latest times, and the attendees of the meeting the delay now
collides with must be told the new arrival time. Cross-service: airline mail -> calendar
flight and meeting -> attendees' addresses. More revisions, later revisions and a second
meeting that does not collide come with difficulty.
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

from .kit import arrivals, checks, deadlines, household, notation

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
    "attendees my new arrival time."
)


def _why(f: dict[str, Any]) -> str:
    return f"a line of the person's note '{f['rule_note']}' says"


AMEND = (
    "btw next time one of your flights is late, text me the new landing time too - I'd rather not wait at "
    "arrivals for an hour again"
)
MEETINGS = ["Client workshop", "Site visit", "Partner kickoff", "Contract review", "Board prep"]


def generate(ctx: Ctx) -> Scenario:
    cal = ctx.svc("calendar")
    rule_at = household.minute_jitter(ctx, ctx.now - household.days_back(ctx, base=(25, 50)) * clock.DAY)
    note = household.rule_note(ctx, RULE, t=rule_at, work=ctx.variant == "work")
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
        notices.append(arrivals.arrive_mail(ctx, "mail", t, f"alerts@{domain}", subj, body))
        mails.append((t, nd, na))
        last = t
        t += (10 + 10 * ctx.difficulty + int(ctx.rng.integers(0, 20))) * clock.MINUTE
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
            "candidates": notices,
        },
        deadline=deadlines.deadline_after(ctx, last),
        trigger=f"delay notice for {flight} at {clock.fmt(trigger)}, revised later",
    )


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
    for a in f["attendees"]:
        mails = checks.sent_to(world, a, after=f["trigger_at"])
        body = mails[-1]["body"] if mails else ""
        named = values.asked_values(body, values.times_in(body))  # "lands 16:30 (not 15:00)" names 16:30 only
        ok = want in named and named <= {want, notation.hhmm(f["dep"])} and not named & set(f["stale_hhmm"])
        g.expect(
            f"{a} told the latest arrival time (and no superseded one)",
            ok,
            f"{count(len(mails), 'mail')} since the first notice; "
            f"the last names {', '.join(sorted(named)) or 'no time'}; "
            f"the latest arrival is {want}",
            because=f"{_why(f)} to mail the attendees of a meeting the flight makes them late for",
        )

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
        A.wait(6 * clock.HOUR, wake=False),
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
    summary="The flight's calendar entry carries the times of the latest airline notice and every attendee of the "
    "colliding meeting got a mail naming the latest arrival time (either mailbox), as a line of the "
    "person's notes page asks; nothing deleted.",
    generate=generate,
    check=check,
    oracle=oracle,
    variants=("work", "personal"),
    tasks_per_variant=15,
    max_steps=40,
    tags=("conflict",),
    stale_oracle=stale_oracle,
    footprint=Footprint(
        owns=(Own("calendar.entries", ids=("flight", "meeting")),), parties=("attendees", "also_parties")
    ),
)
