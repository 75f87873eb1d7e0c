"""Proactive (phone): a missed call, then texts asking for a call back at a time; set an alarm, text back.

Nobody asks. Mid-episode someone from the address book calls and is missed; a text follows
("call me back at 15:30?"), and minutes later another moves the time. The agent sets an
alarm in the Clock app at the settled time, labelled for the call, and texts the person the
time. Conflict: the first time is stale; from level 4 a third text takes the move back, so
the moved time is the stale one. Noise: a missed call from an unknown number (level 2+), a
friend's text naming another time (level 3+).
"""

from __future__ import annotations

from typing import Any

from claw_gym import actions as A
from claw_gym import clock
from claw_gym.devices.phone import script as S
from claw_gym.tasks import Ctx, Family, Grader, Scenario
from claw_gym.tasks.footprint import Footprint
from claw_gym.world import World

from . import _apikit as AK
from . import _kit as K

ASKS = ["Tried to call you - can you call me back at {hhmm}? Stuck in a meeting till then.",
        "Missed you! Call me back at {hhmm}, it's about the weekend.",
        "Rang you just now. Can you phone me at {hhmm}? Need to ask you something."]
MOVES = ["Actually make it {hhmm}, the meeting runs over.", "Sorry, {hhmm} instead - something came up."]
REVERTS = ["Forget that, {hhmm} works after all like I first said."]


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def generate(ctx: Ctx) -> Scenario:
    who = ctx.person(ctx.pick(["partner", "mother", "father", "sister", "brother", "friend"]))
    trigger = K.trigger_time(ctx)
    base = (clock.to_datetime(trigger).hour + 2) * 60 + int(ctx.rng.integers(0, 4)) * 15
    first = min(base, 21 * 60)
    moved = first + int(ctx.rng.integers(1, 5)) * 15
    AK.arrive_missed_call(ctx, trigger, who.phone)
    K.arrive_sms(ctx, trigger + clock.MINUTE, who.phone, ctx.pick(ASKS).format(hhmm=_hhmm(first)))
    t_move = trigger + int(ctx.rng.integers(8, 20)) * clock.MINUTE
    K.arrive_sms(ctx, t_move, who.phone, ctx.pick(MOVES).format(hhmm=_hhmm(moved)))
    final, stale, settled = moved, first, t_move
    if ctx.difficulty >= 4:
        settled = t_move + int(ctx.rng.integers(5, 15)) * clock.MINUTE
        K.arrive_sms(ctx, settled, who.phone, ctx.pick(REVERTS).format(hhmm=_hhmm(first)))
        final, stale = first, moved
    if ctx.difficulty >= 2:
        AK.arrive_missed_call(ctx, trigger - int(ctx.rng.integers(10, 30)) * clock.MINUTE,
                              f"+1 555 0{int(ctx.rng.integers(10, 99))} {int(ctx.rng.integers(1000, 9999))}")
    if ctx.difficulty >= 3:
        friend = ctx.person("friend")
        if friend.phone != who.phone:
            K.arrive_sms(ctx, trigger + 3 * clock.MINUTE, friend.phone,
                         f"Dinner at {_hhmm(19 * 60 + 30)} tomorrow still on?")
    return Scenario(None, {"number": who.phone, "name": who.name, "first": who.first, "time": _hhmm(final),
                           "stale": _hhmm(stale), "trigger_at": trigger, "settled_at": settled},
                    deadline=K.deadline_after(ctx, settled),
                    trigger=f"missed call from {who.name} at {clock.fmt(trigger)}, call-back time {_hhmm(final)}")


def check(world: World, f: dict[str, Any], g: Grader) -> None:
    on = [a for a in world.services["phone"].alarms() if a["enabled"]]
    g.expect("an alarm is on at the settled call-back time", any(a["time"] == f["time"] for a in on),
             f"alarms on: {[a['time'] for a in on]}")
    g.expect("no alarm at the superseded time", not any(a["time"] == f["stale"] for a in on))
    texts = [m for m in world.services["sms"].table("messages").values() if m["direction"] == "out"
             and K.norm_phone(m["number"]) == K.norm_phone(f["number"]) and m["time"] >= f["trigger_at"]]
    named = set().union(*(K.times_in(m["body"]) for m in texts)) if texts else set()
    g.expect(f"{f['name']} was texted the settled time (and not the old one)",
             f["time"] in named and f["stale"] not in named, f"times texted: {sorted(named)}")


def _act(world: World, f: dict[str, Any], hhmm: str) -> list[str]:
    return [A.wait(f["settled_at"] - world.clock.now + 60), *S.open_app("Phone"), S.tap("id/tab_recents"),
            *S.open_app("Contacts"), *S.fill("search", f["first"]), S.tap(f"text={f['name']}"), S.tap("id/message"),
            *S.fill("compose_text", f"Sorry I missed you - I'll call you at {hhmm}."), S.tap("id/send"),
            *S.open_app("Clock"), S.tap("id/add_alarm"), *S.fill("time", hhmm),
            *S.fill("label", f"Call {f['first']}"), S.tap("id/save"), A.wait(6 * clock.HOUR)]


def oracle(world: World, f: dict[str, Any]) -> list[str]:
    return _act(world, f, f["time"])


def stale_oracle(world: World, f: dict[str, Any]) -> list[str]:
    """Answers the first text's time, missing the later change."""
    return _act(world, f, f["stale"])


FAMILY = Family(
    name="phone-missed-call",
    kind="proactive",
    services=("phone", "sms", "contacts", "calendar", "notes"),
    devices=("phone",),
    summary="After the missed call and texts: an enabled alarm at the call-back time the texts settle on, none at the "
            "superseded time, and the caller got a text naming the settled time (not the old one).",
    generate=generate, check=check, oracle=oracle,
    variants=("callback",), tasks_per_variant=25, max_steps=40, tags=("phone", "proactive", "conflict"),
    extra={"stale_oracle": stale_oracle},
    footprint=Footprint(parties=("number",)),
)
