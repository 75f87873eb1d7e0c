"""Set an alarm on the phone for a wake-up time that only a text message mentions.

The instruction names the sender by first name, not the time: the agent finds who
that is in the address book, reads their SMS thread (Messages app or ``sms.list``),
then uses the Clock app (alarms live on the device, so only the phone can set one).
Conflict at every level: a later message moves the time, so the first one is stale; from
level 2 a friend's text names an unrelated time. From level 4 one message comes through
another channel with no word naming the topic (:func:`_deep` builds these levels): the
person's text gives no clock time, only "up N minutes before the booking" (a taxi, a plumber, a
garage slot); the booking's time is in the firm's confirmation mail, weeks back (>= 30 days at 4,
>= 60 at 5) among several live bookings of the same firm; the ask names who booked it ("if the time
moves you'll hear it from them"), and that booker's later text moves it, naming the booking only by the
day it is for ("re the one for the 9th: ..."), among their same-shaped texts about other household matters
(session 33: it was the firm's text naming the reference; the firm still moves another booking by one);
at 5 the person also lengthens the lead in an aside of an unrelated mail thread. The alarm is the moved time
minus the lead. The instruction then says
"messaging", not "texted".
"""

from __future__ import annotations

from typing import Any

from claw_gym import actions as A
from claw_gym import clock
from claw_gym.devices.phone import script as S
from claw_gym.tasks import Ctx, Family, Grader, Scenario
from claw_gym.tasks.footprint import Footprint
from claw_gym.world import World

from .kit import household, oblique, plant, views

REASONS = [
    ("Airport taxi", "The airport taxi is booked for {later}."),
    ("Plumber", "The plumber comes at {later} and someone has to let him in."),
    ("Hike", "We meet the others at the trailhead at {later} for the early hike."),
    ("Car service", "The garage opens at {later} and we need to drop the car first thing."),
]
ASKS = [
    "Can you make sure you're up by {hhmm} tomorrow? {reason}",
    "Please set an alarm, you need to be up at {hhmm} tomorrow. {reason}",
    "Reminder for tomorrow: up at {hhmm}! {reason}",
]
CHANGES = [
    "Change of plan - better be up at {hhmm} instead, they moved it.",
    "Update: make that {hhmm}, it got moved earlier. Sorry!",
]
REVERTS = [
    "Scratch that, they couldn't move it after all - {hhmm} as first planned.",
    "Sorry, false alarm: it stays at {hhmm} like I said before.",
]
INSTRUCTIONS_ANY = [  # difficulty 4-5: one message came by mail
    "{first} has been messaging me about getting up early tomorrow. Set an alarm on my phone for it.",
    "Put an alarm on my phone for the wake-up time {first} and I settled on for tomorrow.",
    "Check what {first} sent me about tomorrow morning and set the alarm on my phone.",
]
INSTRUCTIONS = [
    "{first} texted me about getting up early tomorrow. Set an alarm on my phone for it.",
    "Put an alarm on my phone for the wake-up time {first} sent me by text.",
    "Check {first}'s texts about tomorrow morning and set the alarm on my phone.",
]


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _mail(ctx: Ctx, sender: str, text: str, t: int, first: str) -> None:
    """The same person writing by mail (another channel), in the words they text in."""
    ctx.svc("mail").deliver(sender, "tomorrow morning", f"Hi,\n\n{text}\n\n{first}", time=t, read=False)


def generate(ctx: Ctx) -> Scenario:
    who = ctx.person(ctx.pick(["partner", "mother", "father", "sister", "brother"]))
    if ctx.difficulty >= 4:
        return _deep(ctx, who)
    label, reason = ctx.pick(REASONS)
    first = int(ctx.rng.integers(5 * 4, 7 * 4)) * 15  # 05:00 .. 06:45
    t = ctx.now - int(ctx.rng.integers(3, 10)) * clock.HOUR - int(ctx.rng.integers(0, 3600))
    ask = ctx.pick(ASKS).format(hhmm=_hhmm(first), reason=reason.format(later=_hhmm(first + 30)))
    household.text_in(ctx, who.phone, ask, t, who.name)
    moved = first - int(ctx.rng.integers(1, 4)) * 15
    change, t_change = ctx.pick(CHANGES).format(hhmm=_hhmm(moved)), t + int(ctx.rng.integers(25, 55)) * clock.MINUTE
    if ctx.difficulty == 4:  # the move comes by mail, not by text
        _mail(ctx, who.email, change, t_change, who.first)
    else:
        household.text_in(ctx, who.phone, change, t_change, who.name)
    final, stale = moved, first
    if ctx.difficulty >= 5:  # the move is taken back, by mail: the moved time is the stale one now
        _mail(ctx, who.email, ctx.pick(REVERTS).format(hhmm=_hhmm(first)), t + 95 * clock.MINUTE, who.first)
        final, stale = first, moved
    if ctx.difficulty >= 2:
        friend = ctx.person("friend")
        gym = f"Gym class at {_hhmm(18 * 60 + 30)} tomorrow, you in?"
        household.text_in(ctx, friend.phone, gym, t + int(ctx.rng.integers(3, 9)) * clock.MINUTE, friend.name)
    instruction = ctx.pick(INSTRUCTIONS_ANY if ctx.difficulty >= 4 else INSTRUCTIONS).format(first=who.first)
    return Scenario(
        instruction,
        {
            "time": _hhmm(final),
            "stale": _hhmm(stale),
            "label": label,
            "sender": who.phone,
            "name": who.name,
            "first": who.first,
            "start": ctx.now,
        },
    )


# ---- difficulty 4-5: the time comes from a deep booking, moved by the firm, the lead amended in an aside ----
#: (firm, its address, its texting number, what the person calls it, the confirmation's time label, alarm label)
FIRMS = [
    ("CityCab", "bookings@citycab-rides.com", "+1 555 014 2290", "taxi", "Pickup", "Airport taxi"),
    ("FlowRight Plumbing", "jobs@flowright-plumbing.com", "+1 555 014 7731", "plumber", "Arrival from", "Plumber"),
    ("Hartley Motors", "service@hartleymotors.com", "+1 555 014 5068", "garage slot", "Drop-off", "Car service"),
]
LEADS = {30: "half an hour", 45: "45 minutes", 60: "an hour", 75: "an hour and a quarter", 90: "an hour and a half"}
DEEP_ASKS = [
    "For {day}: can you be up {lead} before the {what}? I'll never get everyone out of the door otherwise.",
    "{day} morning - please be up {lead} ahead of the {what}, I can't do it all on my own.",
]
MOVED = [
    "{firm}: your booking {ref} has been rescheduled. New time: {day} {hhmm}. Reply HELP for help.",
    "{firm}: booking {ref} now {day} at {hhmm} (changed at our end). Questions? Call us.",
]
#: level 4-5: the ask names who booked it, whose word on the time counts; their word names the booking by its day
BOOKED = "{first} booked it, so if the time moves you'll hear it from them."
BOOKER_MOVED = [
    "they moved it to {hhmm}, same place",
    "it's {hhmm} instead, they rang me",
    "changed to {hhmm} at their end",
]
ASIDES = [  # a later mail in an unrelated thread, the lead lengthened in its last line
    (
        "photos from Sunday",
        "Lovely ones, thanks! The one by the lake is going on the fridge.",
        "PS for {day}: better make it {lead} before, mornings with the kids are slow.",
    ),
    (
        "Grandma's birthday",
        "I'll bring the cake, you bring the candles.",
        "Oh and {day}: {lead} beforehand, not what I said. We always run late.",
    ),
]


def _booking_body(firm: str, label: str, ref: str, t: int) -> str:
    when = f"{label}: {clock.fmt_long(t)}"
    return (
        f"Thanks for booking with {firm}.\n\nReference: {ref}\n{when}\n\nTo change it, reply to this mail or call us.\n"
    )


def _daytime(ctx: Ctx, day: int, lo: int = 8, hi: int = 21) -> int:
    """A waking moment of ``day`` (people text and firms send by day), off the round minute."""
    return clock.day_start(day) + int(ctx.rng.integers(lo * 60, hi * 60)) * clock.MINUTE + int(ctx.rng.integers(1, 59))


def _deep(ctx: Ctx, who: Any) -> Scenario:
    """Levels 4-5: see the module's docstring. Every clock time derives from the booking, the move and the lead."""
    firm, addr, number, what, label, alarm_label = ctx.pick(FIRMS)
    tomorrow = clock.day_start(ctx.now) + clock.DAY
    days = ctx.sample([2, 3, 5, 6, 9, 12, 16], 3)  # the firm's other live bookings, each on its own later day
    slot = int(ctx.rng.integers(24, 31)) * 15  # 06:00 .. 07:30
    refs = [f"{ctx.pick(['BK', 'R', 'J'])}{int(ctx.rng.integers(10000, 99999))}" for _ in range(4)]
    refs = list(dict.fromkeys(refs)) + [f"X{n}" for n in range(4)]
    deep = household.days_back(ctx)
    booked = [tomorrow - deep * clock.DAY] + [
        tomorrow - household.days_back(ctx, base=(10, 40)) * clock.DAY - n * clock.DAY for n in range(3)
    ]
    bookings = [(refs[0], tomorrow + slot * clock.MINUTE)] + [
        (refs[i + 1], tomorrow + d * clock.DAY + int(ctx.rng.integers(24, 31)) * 15 * clock.MINUTE)
        for i, d in enumerate(days)
    ]
    mails = []
    for (ref, at), t in zip(bookings, booked):
        t = t + int(ctx.rng.integers(9 * 60, 20 * 60)) * clock.MINUTE
        mails.append(
            plant.mail_in(
                ctx,
                "mail",
                plant.jitter(ctx, t),
                addr,
                f"Booking confirmed - {ref}",
                _booking_body(firm, label, ref, at),
                who=firm,
            )
        )
    lead = int(ctx.pick([30, 45, 60]))
    t_ask = _daytime(ctx, ctx.now - int(ctx.rng.integers(4, 6)) * clock.DAY)
    weekday = clock.to_datetime(tomorrow).strftime("%A")  # the ask is 4-5 days back: its weekday is tomorrow
    booker = next(
        p for p in ctx.sample(ctx.persona.people, len(ctx.persona.people)) if p.phone and p.first != who.first
    )
    ask = ctx.pick(DEEP_ASKS).format(day=weekday, lead=LEADS[lead], what=what)
    plant.sms(ctx, plant.jitter(ctx, t_ask), who.phone, f"{ask} {BOOKED.format(first=booker.first)}")
    moved = slot - int(ctx.rng.integers(1, 4)) * 15
    t_moved = _daytime(ctx, ctx.now - 3 * clock.DAY, 9, 17)  # office hours, older than the opening's lines
    # the booker's word (session 33): the booking named only by its day, among their texts about other matters
    word = f"re {oblique.for_the('one', tomorrow)}: {ctx.pick(BOOKER_MOVED).format(hhmm=_hhmm(moved))}"
    word_id = oblique.texts_among(
        ctx, booker.phone, plant.jitter(ctx, t_moved), word, 3, oblique.for_the, pool=oblique.HOME_OTHERS
    )
    other = bookings[1]  # the same firm moves another booking too: same shape, another reference
    plant.sms(
        ctx,
        plant.jitter(ctx, t_moved - int(ctx.rng.integers(3, 9)) * clock.DAY),
        number,
        ctx.pick(MOVED).format(
            firm=firm, ref=other[0], day=clock.fmt_date(other[1]), hhmm=_hhmm((other[1] % clock.DAY) // 60 + 30)
        ),
        who=number,
    )
    final_lead, stale = lead, slot - lead  # the move missed: the booking's own time minus the lead
    if ctx.difficulty >= 5:
        final_lead = lead + int(ctx.pick([15, 30]))
        subject, opener, ps = ctx.pick(ASIDES)
        t_old = ctx.now - int(ctx.rng.integers(8, 14)) * clock.DAY
        plant.mail_out(ctx, "mail", plant.jitter(ctx, t_old), who.email, subject, "Any thoughts?")
        plant.mail_in(
            ctx,
            "mail",
            plant.jitter(ctx, _daytime(ctx, t_ask + clock.DAY)),
            who.email,
            f"Re: {subject}",
            f"{opener}\n\n{ps.format(day=weekday, lead=LEADS[final_lead])}\n\n{who.first}",
        )
        stale = moved - lead  # the aside missed: the moved time minus the first lead
    if ctx.difficulty >= 2:
        friend = ctx.person("friend")
        gym = f"Gym class at {_hhmm(18 * 60 + 30)} tomorrow, you in?"
        plant.sms(ctx, plant.jitter(ctx, _daytime(ctx, ctx.now - clock.DAY, 17, 21)), friend.phone, gym)
    return Scenario(
        ctx.pick(INSTRUCTIONS_ANY).format(first=who.first),
        {
            "time": _hhmm(moved - final_lead),
            "stale": _hhmm(stale),
            "label": alarm_label,
            "sender": who.phone,
            "name": who.name,
            "first": who.first,
            "start": ctx.now,
            "ref": refs[0],
            "booking": mails[0]["id"],
            "depth": {"at": mails[0]["time"], "candidates": len(mails)},
            "booker": {"name": booker.name, "phone": booker.phone, "msg": word_id, "line": word},
        },
    )


def check(world: World, f: dict[str, Any], g: Grader) -> None:
    alarms = views.phone(world).alarms()
    on = sorted(a["time"] for a in alarms if a["enabled"])
    seen = f"alarms on: {', '.join(on) or 'none'}"
    g.expect(
        "an alarm is on at the requested time",
        f["time"] in on,
        f"{seen}; the texts settle on {f['time']}",
        because="the instruction asks for an alarm on the phone at the time the person's messages settle on "
        "(at 4-5: their lead before the booking, from the firm's confirmation as the booker's later text moved it)",
    )
    g.expect(
        "no alarm at the superseded time",
        f["stale"] not in on,
        f"{seen}; the texts replaced {f['stale']}",
        because="the person's later message (a text, or a mail) or the booker's later text replaces the earlier time",
    )
    added = sorted({a["time"] for a in alarms if a["enabled"] and a.get("created", 0) >= f["start"]} - {f["time"]})
    g.expect(
        "no alarm added at another time",
        not added,
        f"alarms added at other times: {', '.join(added)}" if added else "no alarm added at another time",
        because="the instruction asks for one wake-up time: alarms at several times are a hedge",
    )


def _act(f: dict[str, Any], hhmm: str) -> list[str]:
    """Find the person in Contacts, read their texts, set the alarm in Clock."""
    return [
        *S.open_app("Contacts"),
        *S.fill("search", f["first"]),
        S.tap(f"text={f['name']}"),
        S.tap("id/message"),
        *S.open_app("Clock"),
        S.tap("id/add_alarm"),
        *S.fill("time", hhmm),
        *S.fill("label", f["label"]),
        S.tap("id/save"),
        A.finish(f"Alarm set for {hhmm}."),
    ]


def oracle(world: World, f: dict[str, Any]) -> list[str]:
    return _act(f, f["time"])


def stale_oracle(world: World, f: dict[str, Any]) -> list[str]:
    """Sets the alarm for the time that a later text replaced."""
    return _act(f, f["stale"])


FAMILY = Family(
    name="phone-alarm-from-message",
    count=37,
    kind="reactive",
    services=("phone", "sms", "contacts", "calendar", "mail", "notes"),
    devices=("phone",),
    needs_sim_phone=True,
    summary="An enabled alarm exists on the phone at the wake-up time the named person's messages settle on "
    "(at 4-5: their lead before a booking whose time is in the firm's confirmation mail, as the booker's later "
    "text moved it) (not the superseded time); no alarm was added at any other time.",
    generate=generate,
    check=check,
    oracle=oracle,
    variants=("text",),
    tasks_per_variant=20,
    max_steps=30,
    tags=("phone", "conflict"),
    stale_oracle=stale_oracle,
    footprint=Footprint(parties=("sender",)),
)
