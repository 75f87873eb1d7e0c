"""Set an alarm on the phone for a wake-up time that only a text message mentions.

The instruction names the sender, not the time: the agent reads the SMS thread
(Messages app or ``sms.list``), then uses the Clock app (alarms live on the device,
so only the phone can set one). Conflict at higher levels: a later text moves the
time, and an unrelated text from a friend mentions another time.
"""

from __future__ import annotations

from typing import Any

from claw_gym import actions as A
from claw_gym import clock
from claw_gym.devices.phone import script as S
from claw_gym.tasks import Ctx, Family, Grader, Scenario
from claw_gym.world import World

REASONS = [("Airport taxi", "The airport taxi is booked for {later}."),
           ("Plumber", "The plumber comes at {later} and someone has to let him in."),
           ("Hike", "We meet the others at the trailhead at {later} for the early hike."),
           ("Car service", "The garage opens at {later} and we need to drop the car first thing.")]
ASKS = ["Can you make sure you're up by {hhmm} tomorrow? {reason}",
        "Please set an alarm, you need to be up at {hhmm} tomorrow. {reason}",
        "Reminder for tomorrow: up at {hhmm}! {reason}"]
CHANGES = ["Change of plan - better be up at {hhmm} instead, they moved it.",
           "Update: make that {hhmm}, it got moved earlier. Sorry!"]
INSTRUCTIONS = ["{first} texted me about getting up early tomorrow. Set an alarm on my phone for it.",
                "Put an alarm on my phone for the wake-up time {first} sent me by text.",
                "Check {first}'s texts about tomorrow morning and set the alarm on my phone."]


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def generate(ctx: Ctx) -> Scenario:
    sms = ctx.svc("sms")
    who = ctx.person(ctx.pick(["partner", "mother", "father", "sister", "brother"]))
    label, reason = ctx.pick(REASONS)
    first = int(ctx.rng.integers(5 * 4, 7 * 4)) * 15  # 05:00 .. 06:45
    final = first
    t = ctx.now - int(ctx.rng.integers(2, 10)) * clock.HOUR
    sms.receive(who.phone, ctx.pick(ASKS).format(hhmm=_hhmm(first), reason=reason.format(
        later=_hhmm(first + 30))), time=t)
    stale = None
    if ctx.difficulty >= 3:
        final = first - int(ctx.rng.integers(1, 4)) * 15
        stale = first
        sms.receive(who.phone, ctx.pick(CHANGES).format(hhmm=_hhmm(final)), time=t + 40 * clock.MINUTE)
    if ctx.difficulty >= 2:
        friend = ctx.person("friend")
        sms.receive(friend.phone, f"Gym class at {_hhmm(18 * 60 + 30)} tomorrow, you in?", time=t + 5 * clock.MINUTE)
    instruction = ctx.pick(INSTRUCTIONS).format(first=who.first)
    return Scenario(instruction, {"time": _hhmm(final), "stale": _hhmm(stale) if stale is not None else None,
                                  "label": label, "sender": who.phone})


def check(world: World, f: dict[str, Any], g: Grader) -> None:
    alarms = world.services["phone"].alarms()
    on = [a for a in alarms if a["enabled"]]
    g.expect("an alarm is on at the requested time", any(a["time"] == f["time"] for a in on),
             f"alarms on: {[a['time'] for a in on]}, wanted {f['time']}")
    if f["stale"]:
        g.expect("no alarm at the superseded time", not any(a["time"] == f["stale"] for a in on),
                 f"an alarm is still on at {f['stale']}, which was changed to {f['time']}")
    g.expect("at most two alarms were added", len(alarms) <= 2, f"{len(alarms)} alarms")


def oracle(world: World, f: dict[str, Any]) -> list[str]:
    return [*S.open_app("Clock"), S.tap("id/add_alarm"), *S.fill("time", f["time"]), *S.fill("label", f["label"]),
            S.tap("id/save"), A.finish(f"Alarm set for {f['time']}.")]


FAMILY = Family(
    name="phone-alarm-from-message",
    kind="reactive",
    services=("phone", "sms", "contacts", "calendar", "mail", "notes"),
    devices=("phone",),
    summary="An enabled alarm exists on the phone at the wake-up time of the latest text from the named person "
            "(not a superseded time, not a friend's unrelated time); no more than two alarms were added.",
    generate=generate, check=check, oracle=oracle,
    variants=("text",), tasks_per_variant=20, max_steps=30, tags=("phone", "conflict"),
)
