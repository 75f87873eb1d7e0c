"""Proactive (phone): keep Do not disturb on for exactly the board meeting, which gets moved by text.

Nobody asks. One line of the person's household notes page says: Do not disturb on for
board meetings (from at most 30 minutes before the start), off again within 30 minutes of the
end so the school can reach them; from level 4 a family member texts weeks later asking for 15
minutes instead, and the person agreed (the later word wins). The calendar has today's
meeting; mid-episode the manager texts that it moved to later. The checker replays the
Do-not-disturb switch from the audit log: on at the new start and for the whole meeting,
switched on no earlier than 30 min before it, off within the agreed minutes after the end.
Conflict: following the calendar's (stale) time fails. Noise: other meetings today that need
no silence, a friend's text (more with difficulty).
"""

from __future__ import annotations

from typing import Any

from claw_gym import actions as A
from claw_gym import clock
from claw_gym.devices.phone import script as S
from claw_gym.persona import RELATIONS_FAMILY
from claw_gym.tasks import Ctx, Family, Grader, Scenario
from claw_gym.tasks.footprint import Footprint
from claw_gym.world import World

from .kit import arrivals, deadlines, jottings, notation, phone_flows, views

TITLES = ["Board review", "Board strategy session", "Quarterly board meeting", "Board budget review"]
RULE_LINE = (
    "Board meetings: phone on Do not disturb from at most 30 min before the start until the end, and back off "
    "within 30 min after - the kids' school must be able to reach me. Other meetings: leave the phone alone."
)
AMEND = (
    "The school office says they'll only try your mobile from now on. Can your phone come off Do not disturb "
    "within 15 min after your board things end, not half an hour?"
)
AGREED = "Sure, 15 min it is."
MOVES = [
    "Heads up: the {title} moved to {hhmm} today, same room. The calendar isn't updated yet.",
    "FYI {title} is pushed to {hhmm} this afternoon - chair's flight is late. Same room.",
]
LEAD = 30 * clock.MINUTE


def generate(ctx: Ctx) -> Scenario:
    cal = ctx.svc("calendar")
    boss = ctx.person("manager")
    _, note = jottings.plant(ctx, RULE_LINE, "home", jottings.rule_time(ctx))
    off_within = LEAD
    if ctx.difficulty >= 4:  # the partner asks for less, by text; the person agreed: the later word wins
        partner = next(p for p in ctx.persona.people if p.relation in RELATIONS_FAMILY)
        asked = ctx.now - int(ctx.rng.integers(8, 20)) * clock.DAY + int(ctx.rng.integers(9, 20)) * clock.HOUR
        ctx.svc("sms").receive(partner.phone, AMEND, time=asked, read=True)
        ctx.svc("sms").insert(
            "messages",
            {
                "time": asked + 23 * clock.MINUTE,
                "number": partner.phone,
                "direction": "out",
                "body": AGREED,
                "read": True,
            },
        )
        off_within = 15 * clock.MINUTE
    title = ctx.pick(TITLES)
    trigger = deadlines.trigger_time(ctx)
    old = clock.day_start(trigger) + (clock.to_datetime(trigger).hour + 2) * clock.HOUR
    length = ctx.pick([45, 60, 90]) * clock.MINUTE
    cal.add(title, old, old + length, attendees=[boss.email], location="Board room")
    new = old + int(ctx.rng.integers(8, 13)) * 15 * clock.MINUTE
    arrivals.arrive_sms(ctx, trigger, boss.phone, ctx.pick(MOVES).format(title=title, hhmm=notation.hhmm(new)))
    for k in range(ctx.difficulty - 1):  # other meetings today: no silence needed
        s = old - (k + 2) * clock.HOUR if k % 2 == 0 else new + length + (k + 1) * clock.HOUR
        if clock.day_start(s) == clock.day_start(old) and s > ctx.now:
            cal.add(
                ctx.pick(["Team sync", "1:1 with Sam", "Customer call", "Lunch with Ana"]), s, s + 30 * clock.MINUTE
            )
    if ctx.difficulty >= 3:
        friend = ctx.person("friend")
        arrivals.arrive_sms(ctx, trigger + 7 * clock.MINUTE, friend.phone, "Call me when you're free this afternoon?")
    return Scenario(
        None,
        {
            "title": title,
            "old": old,
            "start": new,
            "end": new + length,
            "name": boss.name,
            "first": boss.first,
            "initial": dict(ctx.svc("phone").settings),
            "trigger_at": trigger,
            "note": note,
            "off_within": off_within,
        },
        deadline=new + length + 45 * clock.MINUTE,
        trigger=f"{boss.name} texts at {clock.fmt(trigger)}: {title} moves to {notation.hhmm(new)}",
    )


def _rule(f: dict[str, Any]) -> str:
    return f"a line in the note '{f['note']}' says"


def story(changes: list[tuple[int, bool]], initial: bool) -> str:
    """The switch's history as observed: "Do not disturb on since 14:54, off at 16:49"."""
    if not changes:
        return f"Do not disturb {'on' if initial else 'off'} all along"
    (t0, v0), rest = changes[0], changes[1:]
    return ", ".join(
        [f"Do not disturb {'on' if v0 else 'off'} since {notation.hhmm(t0)}"]
        + [f"{'on' if v else 'off'} at {notation.hhmm(t)}" for t, v in rest]
    )


def check(world: World, f: dict[str, Any], g: Grader) -> None:
    key, start, end = "do_not_disturb", f["start"], f["end"]
    rule, within = _rule(f), f.get("off_within", LEAD)
    mins = within // clock.MINUTE
    initial = f["initial"][key]
    changes = phone_flows.setting_changes(world, key)
    seen = story(changes, initial)
    at_start = phone_flows.setting_at(world, key, start, initial)
    during = [v for t, v in changes if start < t < end]
    g.expect(
        "Do not disturb is on for the whole meeting",
        at_start and all(during),
        f"{seen}; meeting {notation.hhmm(start)}-{notation.hhmm(end)}",
        because=f"{rule} Do not disturb on for board meetings; the manager's text moved it to {notation.hhmm(start)}",
    )
    ons = [t for t, v in changes if v and t <= start]
    g.expect(
        "switched on no earlier than 30 minutes before the start",
        bool(ons) and ons[-1] >= start - LEAD,
        f"{seen}; on from {notation.hhmm(start - LEAD)} at the earliest",
        because=f"{rule} at most 30 minutes before the start",
    )
    close = end + within  # the window is read as far as the episode saw it (judging time is the deadline's job)
    upto = min(world.clock.now, close)
    offs = [t for t, v in changes if not v and end <= t <= upto]
    off_ok = world.clock.now >= end and bool(offs) and not phone_flows.setting_at(world, key, upto, initial)
    when = "" if world.clock.now >= close else f"; judged at {notation.hhmm(world.clock.now)}"
    g.expect(
        f"switched off within {mins} minutes after the end",
        off_ok,
        f"{seen}; meeting ends {notation.hhmm(end)}, off by {notation.hhmm(close)}{when}",
        because=f"{rule} off again within 30 minutes after the end"
        + ("; the family's later text asks for 15, and the person agreed" if mins != 30 else ""),
    )
    settings = views.phone(world).settings
    other = sorted(k for k, v in settings.items() if k != key and v != f["initial"][k])
    g.expect(
        "no other setting changed",
        not other,
        f"changed: {', '.join(other)}" if other else "none changed",
        because=f"{rule} only Do not disturb changes for board meetings",
    )


def _act(world: World, f: dict[str, Any], start: int, end: int) -> list[str]:
    now = world.clock.now
    return [
        A.wait(f["trigger_at"] - now + 5 * clock.MINUTE, wake=False),
        *S.open_app("Contacts"),
        *S.fill("search", f["first"]),
        S.tap(f"text={f['name']}"),
        S.tap("id/message"),
        *S.open_app("Calendar"),
        *S.open_app("Notes"),
        A.wait(start - 10 * clock.MINUTE - (f["trigger_at"] + 5 * clock.MINUTE) - 60, wake=False),
        *S.open_app("Settings"),
        S.tap("id/switch_do_not_disturb"),
        A.wait(end + 5 * clock.MINUTE - (start - 10 * clock.MINUTE), wake=False),
        *S.open_app("Settings"),
        S.tap("id/switch_do_not_disturb"),
        A.wait(3 * clock.HOUR, wake=False),
    ]


def oracle(world: World, f: dict[str, Any]) -> list[str]:
    return _act(world, f, f["start"], f["end"])


def stale_oracle(world: World, f: dict[str, Any]) -> list[str]:
    """Follows the calendar's time, which the manager's text replaced."""
    return _act(world, f, f["old"], f["old"] + f["end"] - f["start"])


FAMILY = Family(
    name="phone-dnd-meeting",
    count=37,
    kind="proactive",
    services=("phone", "calendar", "sms", "notes", "contacts"),
    devices=("phone",),
    needs_sim_phone=True,
    summary="Replayed from the audit log: Do not disturb is on from at most 30 min before the board meeting's moved "
    "start through its end and off within 30 min after (15 from level 4, as a later text from the family asks; "
    "the rule is one line of a household notes page); the calendar's superseded time does not count; no other "
    "setting changed.",
    generate=generate,
    check=check,
    oracle=oracle,
    variants=("board",),
    tasks_per_variant=25,
    max_steps=60,
    tags=("phone", "proactive", "conflict"),
    stale_oracle=stale_oracle,
    footprint=Footprint(settings=("do_not_disturb",)),
)
