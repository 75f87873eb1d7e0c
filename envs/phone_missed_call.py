"""Proactive (phone): a missed call, then texts asking for a call back at a time; set a reminder, text back.

Nobody asks. One line of the person's household notes page (weeks old) says: when they ask me
to ring back at a time, text them to confirm the time and set myself a reminder for it. Mid-episode someone
from the address book calls and is missed; a text follows ("call me back at 15:30?"), and
minutes later another moves the time. The agent sets a reminder at the settled time (an alarm
in the Clock app, a calendar entry or a to-do: any kind counts; so does the call itself, made
then) and texts the person that one time. Conflict: the first time is stale; from level 4 a third
text takes the move back, so the moved time is the stale one. Noise: a missed call from an unknown number (level 2+), a
friend's text naming another time (level 3+).
"""

from __future__ import annotations

from typing import Any

from claw_gym import actions as A
from claw_gym import clock
from claw_gym.devices.phone import script as S
from claw_gym.tasks import Ctx, Family, Grader, Scenario, values
from claw_gym.tasks.footprint import Footprint
from claw_gym.world import World

from .kit import arrivals, checks, deadlines, jottings, notation, records

ASKS = [
    "Tried to call you - can you call me back at {hhmm}? Stuck in a meeting till then.",
    "Missed you! Call me back at {hhmm}, it's about the weekend.",
    "Rang you just now. Can you phone me at {hhmm}? Need to ask you something.",
]
MOVES = ["Actually make it {hhmm}, the meeting runs over.", "Sorry, {hhmm} instead - something came up."]
REVERTS = ["Forget that, {hhmm} works after all like I first said."]
HABIT_LINE = (
    "Missed a call and they ask me to ring back at a time? Text them to confirm the time and set myself a "
    "reminder for it (alarm, calendar, whatever) - one reminder, at the time we settle on."
)


CALL_SLACK = 30 * clock.MINUTE  # the episode runs on this long past the settled call-back time


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def generate(ctx: Ctx) -> Scenario:
    who = ctx.person(ctx.pick(["partner", "mother", "father", "sister", "brother", "friend"]))
    _, note = jottings.plant(ctx, HABIT_LINE, "home", jottings.rule_time(ctx))
    ids_before = records.ids_now(ctx, ("calendar", "entries"), ("todo", "items"))
    trigger = deadlines.trigger_time(ctx)
    base = (clock.to_datetime(trigger).hour + 2) * 60 + int(ctx.rng.integers(0, 4)) * 15
    first = min(base, 21 * 60)
    moved = first + int(ctx.rng.integers(1, 5)) * 15
    arrivals.arrive_missed_call(ctx, trigger, who.phone)
    arrivals.arrive_sms(ctx, trigger + clock.MINUTE, who.phone, ctx.pick(ASKS).format(hhmm=_hhmm(first)))
    t_move = trigger + int(ctx.rng.integers(8, 20)) * clock.MINUTE
    arrivals.arrive_sms(ctx, t_move, who.phone, ctx.pick(MOVES).format(hhmm=_hhmm(moved)))
    final, stale, settled = moved, first, t_move
    if ctx.difficulty >= 4:
        settled = t_move + int(ctx.rng.integers(5, 15)) * clock.MINUTE
        arrivals.arrive_sms(ctx, settled, who.phone, ctx.pick(REVERTS).format(hhmm=_hhmm(first)))
        final, stale = first, moved
    if ctx.difficulty >= 2:
        arrivals.arrive_missed_call(
            ctx,
            trigger - int(ctx.rng.integers(10, 30)) * clock.MINUTE,
            f"+1 555 {int(ctx.rng.integers(100, 999))} {int(ctx.rng.integers(1000, 9999))}",
        )
    if ctx.difficulty >= 3:
        friend = ctx.person("friend")
        if friend.phone != who.phone:
            arrivals.arrive_sms(
                ctx, trigger + 3 * clock.MINUTE, friend.phone, f"Dinner at {_hhmm(19 * 60 + 30)} tomorrow still on?"
            )
    return Scenario(
        None,
        {
            "number": who.phone,
            "name": who.name,
            "first": who.first,
            "time": _hhmm(final),
            "stale": _hhmm(stale),
            "trigger_at": trigger,
            "settled_at": settled,
            "ids_before": ids_before,
            "note": note,
        },
        # the call-back time itself has passed, with slack to call
        deadline=deadlines.deadline_after(
            ctx, settled, content=clock.day_start(trigger) + final * clock.MINUTE + CALL_SLACK
        ),
        trigger=f"missed call from {who.name} at {clock.fmt(trigger)}, call-back time {_hhmm(final)}",
    )


def _at(f: dict[str, Any], hhmm: str) -> int:
    """The call-back day's virtual time of an 'HH:MM' (the texts name a time the same day)."""
    h, m = map(int, hhmm.split(":"))
    return clock.day_start(f["trigger_at"]) + h * clock.HOUR + m * clock.MINUTE


def _habit(f: dict[str, Any]) -> str:
    return f"a line in the note '{f['note']}' says to set a reminder for a promised call-back"


def check(world: World, f: dict[str, Any], g: Grader) -> None:
    at, stale = _at(f, f["time"]), _at(f, f["stale"])
    calls = [
        c
        for c in world.services["phone"].table("calls").values()
        if c["direction"] == "out"
        and notation.norm_phone(c["number"]) == notation.norm_phone(f["number"])
        and c["time"] >= at
    ]
    kept = checks.reminders_at(world, at, f["ids_before"]) + [f"called at {notation.hhmm(c['time'])}" for c in calls]
    g.expect(
        "a reminder is set at the settled call-back time (or the call was made then)",
        bool(kept),
        f"at {f['time']}: {', '.join(kept) or 'no alarm, calendar entry, to-do or call'}",
        because=f"{_habit(f)}; the texts settle on {f['time']}",
    )
    old = checks.reminders_at(world, stale, f["ids_before"])
    g.expect(
        "no reminder at the superseded time",
        not old,
        f"at {f['stale']}: {', '.join(old) or 'none'}",
        because="a later text moved the call-back time",
    )
    texts = sorted(
        (
            m
            for m in world.services["sms"].table("messages").values()
            if m["direction"] == "out"
            and notation.norm_phone(m["number"]) == notation.norm_phone(f["number"])
            and m["time"] >= f["trigger_at"]
            and values.times_in(m["body"])
        ),
        key=lambda m: (m["time"], m["id"]),
    )
    last = texts[-1]["body"] if texts else ""
    asked = values.asked_values(last, values.times_in(last))
    g.expect(
        f"{f['name']} was texted the settled time (and no other)",
        asked == {f["time"]},
        f"last text naming a time asks for {', '.join(sorted(asked)) or 'no time'}"
        if texts
        else "no text naming a time after the call",
        because=f"a line in the note '{f['note']}' says to text them to confirm the time",
    )


def _act(world: World, f: dict[str, Any], hhmm: str) -> list[str]:
    return [
        A.wait(f["settled_at"] - world.clock.now + 60, wake=False),
        *S.open_app("Phone"),
        S.tap("id/tab_recents"),
        *S.open_app("Contacts"),
        *S.fill("search", f["first"]),
        S.tap(f"text={f['name']}"),
        S.tap("id/message"),
        *S.fill("compose_text", f"Sorry I missed you - I'll call you at {hhmm}."),
        S.tap("id/send"),
        *S.open_app("Clock"),
        S.tap("id/add_alarm"),
        *S.fill("time", hhmm),
        *S.fill("label", f"Call {f['first']}"),
        S.tap("id/save"),
        A.wait(6 * clock.HOUR, wake=False),
    ]


def oracle(world: World, f: dict[str, Any]) -> list[str]:
    return _act(world, f, f["time"])


def stale_oracle(world: World, f: dict[str, Any]) -> list[str]:
    """Answers the first text's time, missing the later change."""
    return _act(world, f, f["stale"])


FAMILY = Family(
    name="phone-missed-call",
    count=37,
    kind="proactive",
    services=("phone", "sms", "contacts", "calendar", "notes"),
    devices=("phone",),
    needs_sim_phone=True,
    summary="After the missed call and texts, as a line of the person's notes page says: a reminder at the "
    "call-back time the texts settle on (alarm, calendar entry or to-do, or the call made then), none at the "
    "superseded time, and the caller's last text from the person asks for the settled time and no other.",
    generate=generate,
    check=check,
    oracle=oracle,
    variants=("callback",),
    tasks_per_variant=25,
    max_steps=60,
    tags=("phone", "proactive", "conflict"),
    stale_oracle=stale_oracle,
    footprint=Footprint(parties=("number",)),
)
