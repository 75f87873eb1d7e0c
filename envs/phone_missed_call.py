"""Proactive (phone): a missed call, then texts asking for a call back at a time; set a reminder, text back.

Nobody asks. One line of the person's household notes page (weeks old) says: when they ask me
to ring back at a time, text them to confirm the time and set myself a reminder for it. Mid-episode someone
from the address book calls and is missed; a text follows ("call me back at 15:30?"), and
minutes later another moves the time. The agent sets a reminder at the settled time (an alarm
in the Clock app, a calendar entry or a to-do: any kind counts; so does the call itself, made
then) and texts the person that one time. Conflict: the first time is stale; from level 4 a third
text (from the caller's stand-in) takes the move back, so the moved time is the stale one. Noise: a missed call
from an unknown number (level 2+), a friend's text naming another time (level 3+).

Levels 4-5 (issue 21): the habit is a line of a running note >= 30 / 60 days back, in words without
"missed" or "call", among same-shaped notes with other ringing matters (a work-phone rule that does not
apply); the first text also asks for a contact's number (a second goal: any text or mail to the caller
carrying it). At level 5 a later exchange with a friend, as deep, on the phone's Messages thread ("did
you ever ring X back?" - "from now on those go in my calendar too") adds a calendar entry at the settled
time: an alarm alone no longer does.

Session 31: at levels 4-5 the third text comes from someone else. The caller's first text says who texts for them
if their battery dies (someone in the address book); that person's text takes the move back ("the earlier one
works after all, not the later one"), naming no time and no one, among their same-shaped texts about other plans
(days back, and one just after). A search by the caller's name or by the times finds only the move.
"""

from __future__ import annotations

import re
from typing import Any

from claw_gym import actions as A
from claw_gym import clock
from claw_gym.devices.phone import script as S
from claw_gym.tasks import Ctx, Family, Grader, Scenario, values
from claw_gym.tasks.footprint import Footprint
from claw_gym.world import World

from .kit import arrivals, checks, deadlines, jottings, notation, oblique, phone_flows, plant, records, rules

ASKS = [
    "Tried to call you - can you call me back at {hhmm}? Stuck in a meeting till then.",
    "Missed you! Call me back at {hhmm}, it's about the weekend.",
    "Rang you just now. Can you phone me at {hhmm}? Need to ask you something.",
]
MOVES = ["Actually make it {hhmm}, the meeting runs over.", "Sorry, {hhmm} instead - something came up."]
REVERTS = ["Forget that, {hhmm} works after all like I first said."]
#: levels 4-5 (session 31): the caller names who texts for them if their battery dies; that person takes the
#: move back, naming no time and no one
BATTERY = " If my battery dies, {who} texts you for me."
STAND_IN = [
    "Their phone died, so it's me: the earlier one works after all, not the later one.",
    "Battery's gone on theirs - they say the earlier one works after all, not the later one.",
]
#: the stand-in's same-shaped texts about other matters, before and after
STAND_IN_ASIDES = [
    "re Saturday's train: the earlier one works after all, not the later one",
    "the later table works after all, not the earlier one - see you there",
    "re the dentist: the later one works after all, not the earlier one",
    "for Sunday: the earlier plan works after all, lunch at ours",
]
#: levels 4-5: the same habit as a line of a running note, in the person's words (no "missed", no "call back")
RUNNING_LINE = (
    "if someone rings while I'm out and wants me to phone them at a set hour: text them that hour back "
    "and put a reminder on my phone for it"
)
#: lines of other running notes with the same words (ring, phone, hour), about other matters
NEAR = (
    "work phone: if a client rings after 18:00 they get me the next morning, not the same evening",
    "ring the council about the parking permit, they pick up after 10",
    "phone the garage at a set hour on Mondays, they only answer then",
    "grandma likes a ring on Sundays around five",
)
#: level 5: a friend asks, the person answers: promised call-backs go in the calendar from now on
ASKED_BACK = "did you ever ring {who} back in the end?"
FROM_NOW_ON = "no, forgot again! from now on those go in my calendar too, the alarm alone doesn't cut it"
#: levels 4-5: the first text also asks for a contact's number
ALSO = " And can you text me {name}'s number?"
HABIT_LINE = (
    "Missed a call and they ask me to ring back at a time? Text them to confirm the time and set myself a "
    "reminder for it (alarm, calendar, whatever) - one reminder, at the time we settle on."
)


CALL_SLACK = 30 * clock.MINUTE  # the episode runs on this long past the settled call-back time


def _stand_in(ctx: Ctx, who: Any, wanted: Any, friend: str) -> Any:
    """Levels 4-5: who texts for the caller if their battery dies: someone in the address book, neither the caller,
    the contact they ask for, one sharing the caller's first name, nor a friend (the level-5 friend's thread, the
    level-3 dinner text); family first."""
    pool = [
        p
        for p in ctx.persona.people
        if p.phone not in (who.phone, wanted.phone)
        and p.first != who.first  # the caller's first name, searched, must not find the stand-in's texts
        and p.name != friend
        and p.relation != "friend"
    ]
    family = [p for p in pool if p.relation in ("partner", "mother", "father", "sister", "brother")]
    return ctx.pick(family or pool)


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _deep_rule(ctx: Ctx, who_first: str) -> dict[str, Any]:
    """Levels 4-5: the habit as a line of a running note >= 30 / 60 days back among same-shaped notes; at level 5
    a later exchange with a friend (as deep, naming no topic) adds a calendar entry. Returns facts."""
    deeper = 8 * clock.DAY if ctx.difficulty >= 5 else 0  # room for the later exchange, itself >= 60 days back
    noted = rules.minute(ctx, ctx.now - rules.age(ctx, 5, 20) - deeper)
    note_id = rules.running_note(ctx, noted, [RUNNING_LINE])
    rules.decoy_notes(ctx, noted, rules.candidates(ctx), spread_days=12, near=NEAR)
    out: dict[str, Any] = {"noted": noted, "note_id": note_id, "calendar": False, "amended": 0}
    if ctx.difficulty >= 5:
        said = plant.jitter(ctx, noted + int(ctx.rng.integers(2, 7)) * clock.DAY, 60)
        sms = ctx.svc("sms").table("messages").values()
        # the friend whose thread has the fewest texts since: the phone's Messages shows a thread's newest 30
        friend = min(
            ctx.persona.by_relation("friend"),
            key=lambda p: (sum(m["number"] == p.phone and m["time"] > said for m in sms), p.name),
        )
        other = ctx.pick([p.first for p in ctx.persona.people if p.first != who_first and p.phone != friend.phone])
        plant.sms(ctx, said - int(ctx.rng.integers(3, 40)) * clock.MINUTE, friend.phone, ASKED_BACK.format(who=other))
        plant.sms(ctx, said, friend.phone, FROM_NOW_ON, incoming=False)
        out.update(calendar=True, amended=said, friend=friend.name)
    return out


def generate(ctx: Ctx) -> Scenario:
    who = ctx.person(ctx.pick(["partner", "mother", "father", "sister", "brother", "friend"]))
    level = ctx.difficulty
    deep: dict[str, Any] = {}
    if level >= 4:
        deep = _deep_rule(ctx, who.first)
        note = str(ctx.svc("notes").table("notes")[deep["note_id"]]["title"])
    else:
        _, note = jottings.plant(ctx, HABIT_LINE, "home", jottings.rule_time(ctx))
    ids_before = records.ids_now(ctx, ("calendar", "entries"), ("todo", "items"))
    trigger = plant.jitter(ctx, deadlines.trigger_time(ctx), 2)
    base = (clock.to_datetime(trigger).hour + 2) * 60 + int(ctx.rng.integers(0, 4)) * 15
    first = min(base, 21 * 60)
    moved = first + int(ctx.rng.integers(1, 5)) * 15
    wanted = None
    if level >= 4:  # the first text also asks for someone's number from the address book
        pool = [p for p in ctx.persona.people if p.phone != who.phone and p.relation in ("friend", "colleague")]
        wanted = ctx.pick(pool)
    stand_in = _stand_in(ctx, who, wanted, deep.get("friend", "")) if wanted else None
    arrivals.arrive_missed_call(ctx, trigger, who.phone)
    ask = ctx.pick(ASKS).format(hhmm=_hhmm(first)) + (ALSO.format(name=wanted.name) if wanted else "")
    ask += BATTERY.format(who=ctx.persona.called(stand_in)) if stand_in else ""
    arrivals.arrive_sms(ctx, plant.jitter(ctx, trigger + clock.MINUTE, 0), who.phone, ask)
    t_move = plant.jitter(ctx, trigger + int(ctx.rng.integers(8, 20)) * clock.MINUTE, 1)
    arrivals.arrive_sms(ctx, t_move, who.phone, ctx.pick(MOVES).format(hhmm=_hhmm(moved)))
    final, stale, settled = moved, first, t_move
    if stand_in is not None:  # the stand-in takes the move back: "the earlier one", no time, no name
        theirs = [m["body"] for m in ctx.svc("sms").table("messages").values() if m["number"] == stand_in.phone]
        lower = sum(b[:1].islower() for b in theirs) * 2 > len(theirs)  # write as their thread does

        def _say(t: int, text: str) -> str:
            text = (text[:1].lower() if lower else text[:1].upper()) + text[1:]
            if t > ctx.now:
                return arrivals.arrive_sms(ctx, t, stand_in.phone, text)
            return str(plant.sms(ctx, t, stand_in.phone, text)["id"])

        settled = plant.jitter(ctx, t_move + int(ctx.rng.integers(5, 15)) * clock.MINUTE, 1)
        others = ctx.sample(STAND_IN_ASIDES, 3)  # two before (days back), one after it: other plans, same shape
        latest = settled + int(ctx.rng.integers(25, 45)) * clock.MINUTE
        word = ctx.pick(STAND_IN)
        oblique.word_among(ctx, _say, settled, word, others, spread=3 * clock.DAY, latest=latest, gap=8 * clock.MINUTE)
        final, stale = first, moved
    if level >= 2:
        arrivals.arrive_missed_call(
            ctx,
            plant.jitter(ctx, trigger - int(ctx.rng.integers(10, 30)) * clock.MINUTE, 1),
            f"+1 555 {int(ctx.rng.integers(100, 999))} {int(ctx.rng.integers(1000, 9999))}",
        )
    if level >= 3:
        friend = ctx.person("friend")
        if friend.phone != who.phone:
            arrivals.arrive_sms(
                ctx,
                plant.jitter(ctx, trigger + 3 * clock.MINUTE, 1),
                friend.phone,
                f"Dinner at {_hhmm(19 * 60 + 30)} tomorrow still on?",
            )
    return Scenario(
        None,
        {
            "number": who.phone,
            "name": who.name,
            "first": who.first,
            "email": who.email,
            "time": _hhmm(final),
            "stale": _hhmm(stale),
            "trigger_at": trigger,
            "settled_at": settled,
            "ids_before": ids_before,
            "note": note,
            "wanted": {"name": wanted.name, "phone": wanted.phone} if wanted else {},
            "calendar": bool(deep.get("calendar")),
            **({"stand_in": stand_in.name, "stand_in_phone": stand_in.phone} if stand_in else {}),
            **(
                {"depth": {"at": deep["amended"] or deep["noted"], "candidates": 1 + rules.candidates(ctx)}}
                if deep
                else {}
            ),
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
    if f.get("wanted"):
        _check_deep(world, f, g)


def _check_deep(world: World, f: dict[str, Any], g: Grader) -> None:
    """Levels 4-5: the number the first text asks for; level 5: the calendar entry a later text of theirs adds."""
    want = f["wanted"]
    digits = re.sub(r"\D", "", want["phone"])[-10:]
    sent = [m["body"] for m in phone_flows.texts_out(world, to=f["number"], after=f["trigger_at"])]
    sent += [m["body"] for m in checks.sent_to(world, f["email"], after=f["trigger_at"])]
    ok = [b for b in sent if digits in re.sub(r"\D", "", b)]
    g.expect(
        f"{f['first']} got {want['name']}'s number",
        bool(ok),
        f"{len(sent)} texts or mails to them, {len(ok)} with {want['phone']}",
        because=f"{f['first']}'s first text asks for {want['name']}'s number",
    )
    if f["calendar"]:
        at = _at(f, f["time"])
        cal = [r for r in checks.reminders_at(world, at, f["ids_before"]) if r.startswith("calendar")]
        g.expect(
            "a calendar entry at the settled call-back time",
            bool(cal),
            ", ".join(cal) or f"no calendar entry made at {f['time']}",
            because=f"{_habit(f)}; a later text of the person's to a friend puts promised call-backs in the calendar "
            "too",
        )


def _act(world: World, f: dict[str, Any], hhmm: str) -> list[str]:
    want = f.get("wanted") or {}
    also = f" {want['name']}'s number is {want['phone']}." if want else ""
    cal = []
    if f.get("calendar"):
        day = clock.fmt_date(f["trigger_at"])
        end = _at(f, hhmm) + 15 * clock.MINUTE
        cal = [A.api("calendar.create_event", title=f"Call {f['first']}", start=f"{day} {hhmm}", end=clock.fmt(end))]
    return [
        A.wait(f["settled_at"] - world.clock.now + 60, wake=False),
        *S.open_app("Phone"),
        S.tap("id/tab_recents"),
        *S.open_app("Contacts"),
        *S.fill("search", f["first"]),
        S.tap(f"text={f['name']}"),
        S.tap("id/message"),
        *S.fill("compose_text", f"Sorry I missed you - I'll call you at {hhmm}.{also}"),
        S.tap("id/send"),
        *S.open_app("Clock"),
        S.tap("id/add_alarm"),
        *S.fill("time", hhmm),
        *S.fill("label", f"Call {f['first']}"),
        S.tap("id/save"),
        *cal,
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
    "superseded time, and the caller's last text from the person asks for the settled time and no other; from "
    "level 4 the caller also gets the contact number they asked for, at level 5 the call-back is in the "
    "calendar too (a later text of the person's says so).",
    generate=generate,
    check=check,
    oracle=oracle,
    variants=("callback",),
    tasks_per_variant=25,
    max_steps=60,
    tags=("phone", "proactive", "conflict"),
    stale_oracle=stale_oracle,
    footprint=Footprint(parties=("number", "email")),
)
