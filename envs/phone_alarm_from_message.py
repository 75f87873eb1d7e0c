"""Set an alarm on the phone for a wake-up time that only a text message mentions.

The instruction names the sender by first name, not the time: the agent finds who
that is in the address book, reads their SMS thread (Messages app or ``sms.list``),
then uses the Clock app (alarms live on the device, so only the phone can set one).
Conflict at every level: a later message moves the time, so the first one is stale; from
level 2 a friend's text names an unrelated time. From level 4 one message comes through
another channel, a mail from the same person, with no word that it corrects anything: at 4
the move itself comes by mail; at 5 the person takes the move back ("scratch that") by mail,
so the moved time is the stale one. The instruction then says "messaging", not "texted".
"""

from __future__ import annotations

from typing import Any

from claw_gym import actions as A
from claw_gym import clock
from claw_gym.devices.phone import script as S
from claw_gym.tasks import Ctx, Family, Grader, Scenario
from claw_gym.tasks.footprint import Footprint
from claw_gym.world import World

from .kit import household, views

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


def check(world: World, f: dict[str, Any], g: Grader) -> None:
    alarms = views.phone(world).alarms()
    on = sorted(a["time"] for a in alarms if a["enabled"])
    seen = f"alarms on: {', '.join(on) or 'none'}"
    g.expect(
        "an alarm is on at the requested time",
        f["time"] in on,
        f"{seen}; the texts settle on {f['time']}",
        because="the instruction asks for an alarm on the phone at the time the person's messages settle on",
    )
    g.expect(
        "no alarm at the superseded time",
        f["stale"] not in on,
        f"{seen}; the texts replaced {f['stale']}",
        because="the person's later message (a text, or at difficulty 4-5 a mail) replaces the earlier time",
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
    "(texts, and at 4-5 a mail) "
    "(not the superseded time); no alarm was added at any other time.",
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
