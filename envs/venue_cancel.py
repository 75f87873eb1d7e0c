"""Proactive: a venue cancels a booking; take it off the calendar and tell the guests.

Nobody asks. One line of the person's household notes page (weeks old, among unrelated lines)
says what to do when a venue cancels a booking, and within how long (two hours: the task is judged
then). Mid-episode the venue mails that it must cancel one booking (date and time given).
Cross-service: the mail names the date, the calendar holds the event and its guests, the guests get
mail. Noise: another booking at the same venue on another day (its guests must not be told anything,
its event must stay), a same-day event elsewhere, a confirmation mail for the other booking; a later
trigger with difficulty. From level 4 the rule line (>= 30 / 60 days back) is worded without
"cancel", "venue" or "restaurant" and adds a goal (a reminder at 9 the next morning to find a new
date, any kind); an older
line with those words ran out months ago; the venue holds three or more live bookings with guests of
their own (another day, the same day at the other mealtime), so the mail's day and time pick one. At
level 5 a later line on another notes page moves morning reminders to another time. Session 33 (issue 21): the
cancelled booking's entry says which guest booked it ("changes go through them"); days back their text, among
their texts of the same shape about other matters, names it only by its day ("re the one I booked for the 14th:
if it falls through, don't look for another till I'm back on the 12th - nudge yourself at 7 that evening"): the
reminder moves there, over the note's next morning (and the level-5 later line). The planted notes pages never
share a title (two of them under one title stood out once notes were listed).
"""

from __future__ import annotations

from typing import Any

from claw_gym import actions as A
from claw_gym import clock
from claw_gym.tasks import Ctx, Family, Grader, Scenario
from claw_gym.tasks.footprint import Footprint, Own
from claw_gym.world import World

from .kit import arrivals, checks, deadlines, jottings, notation, oblique, plant, records, rules

VENUES = [
    ("Casa Lupa", "casalupa.example"),
    ("The Green Fig", "greenfig.example"),
    ("Osteria Nove", "osterianove.example"),
    ("Harbour Loft", "harbourloft.example"),
    ("Bistro Lumen", "bistrolumen.example"),
    ("The Glasshouse", "glasshouse.example"),
]
CANCEL = [
    "Dear guest,\n\nwe are very sorry: because of {why} we must cancel your booking for {n} on {day} at "
    "{hhmm}. Any deposit will be refunded.\n\n{venue}",
    "Hello,\n\nunfortunately your reservation ({n} people, {day}, {hhmm}) cannot go ahead due to {why}. "
    "We apologise.\n\nThe team at {venue}",
]
CONFIRM = "Hi! Just confirming your booking for {n} on {day} at {hhmm}. See you then!\n\n{venue}"
WHY = ["a burst pipe in the kitchen", "a private event", "staff illness", "a power outage"]
RULE = (
    "If a restaurant or venue cancels on me: take the booking off my calendar (delete it or mark it cancelled) "
    "and let everyone invited to it know within two hours - only that booking's people."
)
#: levels 4-5: the same rule as people word it (no "cancel", no "venue"), with a second goal
DEEP_RULE = (
    "When a place I've reserved can't have us after all: take it out of the diary and tell whoever was coming "
    "within two hours (just them, nobody from my other plans there), and remind me at {hhmm} the next morning to "
    "find a new date."
)
#: the rule's "within two hours": the task is judged then (never less than the documented floor)
WITHIN = 2 * clock.HOUR
assert WITHIN >= deadlines.MIN_DEADLINE
#: level 5: a later line on another page moves the reminder (the later word wins)
LATER = "Morning reminders at {hhmm} from now on - 9 is too late with the school run."
#: levels 4-5 (session 33): the cancelled booking's entry says who booked it and that changes go through them
BOOKED_BY = "{name} booked it - changes go through them."
#: their later text, naming the booking only by its day, among their texts of the same shape about other matters:
#: the search for another date waits until they are back (the reminder moves there)
BOOKER_WORD = [
    "re the one I booked for the {day}: if it falls through, don't look for another till I'm back on the {back} - "
    "nudge yourself at {hour} that evening and we'll choose together",
    "re the one I booked for the {day}: should anything happen to it, hold off till I'm back on the {back}; give "
    "yourself a nudge at {hour} that evening and we'll pick one together",
]
#: the evening hours their word may give (hour of day, as said)
BACK_HOURS = [(18, "6"), (19, "7"), (20, "8")]
#: an older rule with the obvious words that no longer applies: it ran out before the real one was written
EXPIRED = (
    "Until the end of {month}: if a restaurant cancels on me, let {friend} pick a new place and don't bother "
    "the others, they're all away."
)


def generate(ctx: Ctx) -> Scenario:
    cal, mail = ctx.svc("calendar"), ctx.svc("mail")
    venue, domain = ctx.pick(VENUES)
    rel = "friend" if ctx.variant == "dinner" else "colleague"
    pool = ctx.persona.by_relation(rel)
    people = ctx.sample(pool, min(len(pool), 4))
    guests, others = [p.email for p in people[: 2 + (ctx.difficulty >= 3)]], [p.email for p in people[3:]]
    label = "Dinner" if ctx.variant == "dinner" else "Team lunch"
    hour = 19 if ctx.variant == "dinner" else 12
    day = int(ctx.rng.integers(2, 9))
    start = ctx.at(day, hour, ctx.pick([0, 30]))
    booker = next(p for p in people if p.email in guests) if ctx.difficulty >= 4 else None
    notes = BOOKED_BY.format(name=booker.name) if booker else ""
    ev = cal.add(f"{label} at {venue}", start, start + 2 * clock.HOUR, attendees=guests, location=venue, notes=notes)
    keep = []
    if ctx.difficulty >= 2:  # another booking at the same venue, another day, other guests
        other_day = day + ctx.pick([-1, 1, 7]) if day > 2 else day + ctx.pick([1, 7])
        s2 = ctx.at(other_day, hour, 0)
        e2 = cal.add(
            f"{ctx.pick(['Birthday drinks', 'Dinner'])} at {venue}",
            s2,
            s2 + 2 * clock.HOUR,
            attendees=others or [ctx.person("partner").email],
            location=venue,
        )
        keep.append(e2["id"])
        if ctx.difficulty >= 4:
            mail.deliver(
                f"bookings@{domain}",
                "Booking confirmation",
                CONFIRM.format(
                    n=len(e2["attendees"]) + 1, day=notation.day_text(s2), hhmm=notation.hhmm(s2), venue=venue
                ),
                time=ctx.now - clock.DAY,
            )
    if ctx.difficulty >= 3:  # same day, elsewhere
        s3 = clock.day_start(start) + (hour - 3) * clock.HOUR
        keep.append(cal.add("Coffee with a friend", s3, s3 + clock.HOUR, location="Cafe Kiosk")["id"])
    if ctx.difficulty >= 4:  # more live bookings at the same venue, each with its own guests
        keep += _more_bookings(ctx, venue, label, hour, day, guests)
    trigger = plant.arrival(ctx, deadlines.trigger_time(ctx))
    arrivals.arrive_mail(
        ctx,
        "mail",
        trigger,
        f"bookings@{domain}",
        f"Your booking at {venue} - cancelled",
        ctx.pick(CANCEL).format(
            why=ctx.pick(WHY), n=len(guests) + 1, day=notation.day_text(start), hhmm=notation.hhmm(start), venue=venue
        ),
    )
    cal_rows = ctx.svc("calendar").table("entries").values()
    not_told = sorted(({a for r in cal_rows if r["id"] in keep for a in r["attendees"]} | set(others)) - set(guests))
    written = jottings.rule_time(ctx)
    facts: dict[str, Any] = {}
    if ctx.difficulty < 4:
        _, note = jottings.plant(ctx, RULE, "home", written)
    else:
        note, facts = _deep_rule(ctx, written, trigger)
        facts |= _booker_word(ctx, booker, start, trigger)
    return Scenario(
        None,
        {
            "event": ev["id"],
            "guests": guests,
            "guest_numbers": [p.phone for p in ctx.persona.people if p.email in guests],  # a text counts too
            "keep": keep,
            "not_told": not_told,
            "trigger_at": trigger,
            "date": clock.fmt_date(start),
            "note": note,
            **facts,
        },
        deadline=trigger + WITHIN + deadlines.GRACE,
        trigger=f"{venue} cancels the {clock.fmt(start)} booking at {clock.fmt(trigger)}",
    )


def _more_bookings(ctx: Ctx, venue: str, label: str, hour: int, day: int, guests: list[str]) -> list[str]:
    """Two more bookings at the venue (another day at the same hour, the same day at another hour), each
    with guests of its own: the mail's day and time pick one out of three or more."""
    pool = [p.email for p in ctx.persona.people if p.relation not in ("self",) and p.email not in guests]
    out = []
    for days, h in ((day + ctx.pick([2, 3, 14]), hour), (day, 12 if hour == 19 else 19)):
        start = ctx.at(days, h, ctx.pick([0, 30]))
        row = plant.calendar(
            ctx,
            plant.jitter(ctx, ctx.now - int(ctx.rng.integers(3, 20)) * clock.DAY),
            f"{ctx.pick([label, 'Dinner', 'Lunch', 'Catch-up'])} at {venue}",
            start,
            start + 2 * clock.HOUR,
            location=venue,
            attendees=ctx.sample(pool, 2),
        )
        out.append(row["id"])
    return out


def _deep_rule(ctx: Ctx, written: int, trigger: int) -> tuple[str, dict[str, Any]]:
    """Levels 4-5: the rule worded without the obvious words, an expired same-keyword rule further back, and
    at level 5 a later line moving the reminder; (note title for `because`, facts)."""
    remind = "09:00"
    _, note = jottings.plant(ctx, DEEP_RULE.format(hhmm="9"), "home", written)
    old = written - int(ctx.rng.integers(40, 70)) * clock.DAY
    ended = clock.to_datetime(old + 20 * clock.DAY).strftime("%B")
    _, gone = jottings.plant(
        ctx, EXPIRED.format(month=ended, friend=ctx.person("friend").first), "home", old, avoid=[note]
    )
    why = f"a line in the note '{note}' says to remind them at 9 the next morning"
    if ctx.difficulty >= 5:  # the person's own later line (the booker's word below wins over it for this booking)
        remind = ctx.pick(["08:30", "08:15", "08:45"])
        later = written + int(ctx.rng.integers(5, 12)) * clock.DAY
        _, title = jottings.plant(ctx, LATER.format(hhmm=remind.lstrip("0")), "home", later, avoid=[note, gone])
        why += f"; a later line in '{title}' moves morning reminders to {remind}"
    day = clock.day_start(trigger) + clock.DAY
    at = day + int(remind[:2]) * clock.HOUR + int(remind[3:]) * clock.MINUTE
    before = records.ids_now(ctx, ("calendar", "entries"), ("todo", "items"))
    return note, {"remind_at": at, "rule_remind_at": at, "remind_why": why, "before": before}


def _booker_word(ctx: Ctx, booker: Any, start: int, trigger: int) -> dict[str, Any]:
    """Levels 4-5: the booker's text, days back, naming the booking by its day only ("the one I booked for the
    14th"), among their same-shaped texts about other matters: the search for a new date waits until they are
    back (a day after the notice, at an evening hour), so the reminder moves there. The facts it sets."""
    # back after the notice and before the booking's day (they were to come): at least the day after the notice
    days = max(1, (clock.day_start(start) - clock.day_start(trigger)) // clock.DAY - 1)
    back = clock.day_start(trigger) + int(ctx.rng.integers(1, min(days, 4) + 1)) * clock.DAY
    hour, said = ctx.pick(BACK_HOURS)
    line = ctx.pick(BOOKER_WORD).format(day=oblique.day_ordinal(start), back=oblique.day_ordinal(back), hour=said)
    at = rules.minute(ctx, ctx.now - int(ctx.rng.integers(1, 6)) * clock.DAY)
    pool = oblique.HOME_OTHERS if ctx.variant == "dinner" else oblique.PLAIN
    sms = oblique.texts_among(ctx, booker.phone, at, line, 3, oblique.for_the, pool=pool)
    return {
        "remind_at": back + hour * clock.HOUR,
        "remind_why": f"the booking's calendar entry says {booker.name} booked it and changes go through them, and "
        f"their later text about the one for the {oblique.day_ordinal(start)} says to hold off till they are back "
        f"on the {oblique.day_ordinal(back)} and to be nudged at {said} that evening",
        "booker": booker.name,
        "word": {"sms": sms, "line": line, "at": at},
    }


def _ways(world: World, email: str, since: int) -> list[str]:
    """How a guest was reached after ``since``: their address, or their number (a text or a call)."""
    people = world.persona.people if world.persona else []
    person = next((p for p in people if p.email.lower() == email.lower()), None)
    return checks.reached(world, [email] + ([person.phone] if person is not None else []), since)


def check(world: World, f: dict[str, Any], g: Grader) -> None:
    cal = world.services["calendar"].table("entries")
    ev = cal.get(f["event"])
    rule = f"a line in the note '{f['note']}' says to take a cancelled booking off the calendar and tell its guests"
    g.expect(
        "the cancelled booking is off the calendar (deleted or marked cancelled)",
        ev is None or "cancel" in ev["title"].lower(),
        "the event is deleted" if ev is None else f"the event is titled {ev['title']!r}",
        because=f"the venue's mail names the booking's day and time; {rule}",
    )
    gone = [i for i in f["keep"] if i not in cal or "cancel" in cal[i]["title"].lower()]
    g.expect(
        "other bookings untouched",
        not gone,
        f"deleted or marked cancelled: {', '.join(gone)}" if gone else f"{len(f['keep'])} other bookings as they were",
        because=f"the venue's mail cancels one booking; the note '{f['note']}' says only that booking's",
    )
    for a in f["guests"]:
        ways = _ways(world, a, f["trigger_at"])
        g.expect(
            f"guest {a} was told",
            bool(ways),
            "; ".join(ways) if ways else "nothing reached them after the venue's notice",
            because=rule,
        )
    if "remind_at" in f:
        got = checks.reminders_at(world, f["remind_at"], f["before"])
        g.expect(
            "a reminder to find a new date the next morning" if "booker" not in f else "a reminder to find a new date",
            bool(got),
            "; ".join(got) if got else f"no alarm, calendar entry or to-do at {clock.fmt(f['remind_at'])}",
            because=f["remind_why"],
        )
    wrong = [w for a in f["not_told"] for w in _ways(world, a, f["trigger_at"])]
    g.expect(
        "guests of the other booking were not told anything",
        not wrong,
        "; ".join(wrong) if wrong else f"none of {len(f['not_told'])} other guests reached",
        because=f"the note '{f['note']}' says to tell only the cancelled booking's people",
    )


def oracle(world: World, f: dict[str, Any]) -> list[str]:
    return [
        A.api("notes.list", query="cancels"),
        A.wait(f["trigger_at"] - world.clock.now, wake=False),
        A.api("mail.list", unread_only=True),
        A.api("calendar.list_events", start=f["date"], end=clock.fmt_date(clock.parse_time(f["date"]) + clock.DAY)),
        A.api("contacts.search", query=f["guests"][0]),
        A.api("calendar.delete_event", id=f["event"]),
        A.api(
            "mail.send",
            to=f["guests"],
            subject=f"Cancelled: our plans on {f['date']}",
            body=f"Hi all, the venue just cancelled our booking on {f['date']}. I'll suggest a new date soon - sorry!",
        ),
        *(
            [A.api("todo.add_task", title="Find a new date for the cancelled booking", due=clock.fmt(f["remind_at"]))]
            if "remind_at" in f
            else []
        ),
        A.wait(6 * clock.HOUR, wake=False),
    ]


FAMILY = Family(
    name="venue-cancel",
    count=52,
    kind="proactive",
    services=("mail", "calendar", "contacts", "sms", "notes", "workmail", "todo"),
    summary="As a line of the person's notes page says, within the two hours it gives (judged then): the cancelled "
    "booking is deleted or marked cancelled, "
    "every guest was told after the notice (mail from either mailbox, a text or a call), other bookings (same "
    "venue other day, same day elsewhere) stay and their guests are not contacted; from level 4 a reminder at the "
    "time the booking's booker (named on its entry) later texted, over the rule's next morning and the later "
    "line at 5, as an alarm, calendar entry or to-do.",
    generate=generate,
    check=check,
    oracle=oracle,
    variants=("dinner", "lunch"),
    tasks_per_variant=15,
    max_steps=40,
    tags=("noise",),
    footprint=Footprint(owns=(Own("calendar.entries", ids=("event",)),), parties=("guests", "guest_numbers")),
)
