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

Levels 4-5 (issue 21): the rule is a line of a running note in the person's words (no "board meeting",
no "Do not disturb") among same-shaped notes with the same words on other matters, and the 15 minutes
come from a friend's exchange >= 30 / 60 days back on the phone's Messages thread ("can you make it 15
min after instead of half an hour?" - agreed), whose own lines name neither. Board meetings sit on other
days too (the text's "today" picks one). The manager's text also asks to move the entry in the
calendar (checked: at the new time and not left at the old); at level 5 also to tell the colleague who
presents first (any door).

Session 32 (issue 21): the board meetings' entries say who books them for the chair and has the last word on
how long they run (not "timings go through them", which a player read as "don't move it yourself"); that
colleague texted 1-3 days back, among their same-shaped texts about other bookings, "re the sitting for the 8th:
... it runs 30 min longer", naming no board, title or time. Do not disturb stays on to the longer end (and off
within 15 min of it); the moved calendar entry may end at either time. The manager and the booker may hear from
the agent about it (footprint).
"""

from __future__ import annotations

from typing import Any

from claw_gym import actions as A
from claw_gym import clock
from claw_gym.devices.phone import script as S
from claw_gym.tasks import Ctx, Family, Grader, Scenario
from claw_gym.tasks.footprint import Footprint, Own
from claw_gym.world import World

from .kit import (
    arrivals,
    checks,
    deadlines,
    errands,
    jottings,
    notation,
    oblique,
    phone_flows,
    plant,
    records,
    rules,
    views,
)

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
#: levels 4-5: the same rule as a running-note line in the person's words (no "board meeting", no "disturb")
RUNNING_LINE = (
    "when the board sits, the phone goes quiet (the moon) from at most half an hour before until they're done, "
    "and comes back within half an hour after - the kids' school must be able to reach me; other meetings: "
    "leave the phone alone"
)
#: lines of other running notes with the same words (board, quiet, school), about other matters
NEAR = (
    "ask the school board about the new bus times",
    "quiet hours in the building are 22:00-07:00, tell the guests",
    "the ironing board's cover needs replacing",
    "school photos: order by the end of the month",
)
#: levels 4-5: a friend who fetches the kids asks for less, weeks later, in a thread whose context tells what;
#: the person agrees (the later word wins)
ASK_CONTEXT = "is your mobile still off for ages after your big meetings? the school tried you twice"
ASK_LESS = (
    "office says they only ring your mobile now, not mine - can you make it 15 min after instead of half an hour?"
)
#: levels 4-5: the manager's text also asks for the calendar; level 5 for word to the colleague who presents
MOVE_CAL = " I can't edit the invite from here - can you move it in your calendar?"
TELL = " And let {first} know, they're presenting first."
#: levels 4-5 (session 32): the board meetings' entries name who books them for the chair, whose say on the length
#: is written there; that colleague's text days before ("re the sitting for the 8th: ...", among their lines
#: about other bookings) makes today's run longer, naming neither the board, the title nor a time
BOOKED = "Booked by {name} for the chair - {first} has the last word on how long it runs."
LONGER = [
    "re {ref}: two items were added, it runs {mins} min longer - I'll fix the invite later",
    "re {ref}: the auditors join at the end, so add {mins} min to it - invite to follow",
]


def _deep_rules(ctx: Ctx) -> tuple[str, str, int]:
    """Levels 4-5: the rule as a running-note line among same-shaped notes, and a later exchange with a friend
    (on the phone's Messages thread, >= 30 / 60 days back) that shortens the way back; (note id, title, time of
    the agreement)."""
    said = plant.jitter(ctx, rules.minute(ctx, ctx.now - rules.age(ctx, 5, 20)), 2)
    noted = rules.minute(ctx, said - int(ctx.rng.integers(6, 14)) * clock.DAY)
    note_id = rules.running_note(ctx, noted, [RUNNING_LINE])
    rules.decoy_notes(ctx, noted, rules.candidates(ctx), spread_days=12, near=NEAR)
    sms = ctx.svc("sms").table("messages").values()
    # the friend whose thread has the fewest texts since: the phone's Messages shows a thread's newest 30
    friend = min(
        ctx.persona.by_relation("friend"),
        key=lambda p: (sum(m["number"] == p.phone and m["time"] > said for m in sms), p.name),
    )
    plant.sms(ctx, said - int(ctx.rng.integers(25, 90)) * clock.MINUTE, friend.phone, ASK_CONTEXT)
    plant.sms(
        ctx, said - int(ctx.rng.integers(3, 20)) * clock.MINUTE, friend.phone, "Half an hour max, why?", incoming=False
    )
    plant.sms(ctx, said, friend.phone, ASK_LESS)
    plant.sms(ctx, said + int(ctx.rng.integers(4, 30)) * clock.MINUTE, friend.phone, AGREED, incoming=False)
    return note_id, str(ctx.svc("notes").table("notes")[note_id]["title"]), said


def generate(ctx: Ctx) -> Scenario:
    boss, level = ctx.person("manager"), ctx.difficulty
    off_within, said = LEAD, 0
    if level >= 4:
        _, note, said = _deep_rules(ctx)
        off_within = 15 * clock.MINUTE
    else:
        _, note = jottings.plant(ctx, RULE_LINE, "home", jottings.rule_time(ctx))
    title = ctx.pick(TITLES)
    trigger = plant.jitter(ctx, deadlines.trigger_time(ctx), 2)
    old = clock.day_start(trigger) + (clock.to_datetime(trigger).hour + 2) * clock.HOUR
    length = ctx.pick([45, 60, 90]) * clock.MINUTE
    booked = plant.jitter(ctx, ctx.now - int(ctx.rng.integers(5, 20)) * clock.DAY, 120)
    booker, notes = None, ""
    if level >= 4:
        booker = ctx.pick([p for p in ctx.persona.by_relation("colleague") if p.phone != boss.phone])
        notes = BOOKED.format(name=booker.name, first=booker.first)
    entry = plant.calendar(
        ctx, booked, title, old, old + length, attendees=[boss.email], location="Board room", notes=notes
    )
    new = old + int(ctx.rng.integers(8, 13)) * 15 * clock.MINUTE
    longer = 0
    if booker is not None:  # the booker's word, 1-3 days back, among their texts about other bookings
        longer = ctx.pick([30, 45]) * clock.MINUTE
        line = ctx.pick(LONGER).format(ref=oblique.for_the("sitting", old), mins=longer // clock.MINUTE)
        said = errands.office_hours(ctx, ctx.now - int(ctx.rng.integers(1, 4)) * clock.DAY)
        oblique.texts_among(ctx, booker.phone, min(said, ctx.now - 2 * clock.HOUR), line, 3, oblique.for_the)
    presenter = None
    text = ctx.pick(MOVES).format(title=title, hhmm=notation.hhmm(new))
    if level >= 4:
        text += MOVE_CAL
    if level >= 5:
        presenter = ctx.pick([p for p in ctx.persona.by_relation("colleague") if booker is None or p != booker])
        text += TELL.format(first=presenter.first)
    arrivals.arrive_sms(ctx, trigger, boss.phone, text)
    for k in range(level - 1):  # other meetings today: no silence needed
        s = old - (k + 2) * clock.HOUR if k % 2 == 0 else new + length + (k + 1) * clock.HOUR
        if clock.day_start(s) == clock.day_start(old) and s > ctx.now:
            made = plant.jitter(ctx, ctx.now - int(ctx.rng.integers(1, 10)) * clock.DAY, 120)
            name = ctx.pick(["Team sync", "1:1 with Sam", "Customer call", "Lunch with Ana"])
            plant.calendar(ctx, made, name, s, s + 30 * clock.MINUTE)
    if level >= 4:  # board meetings on other days of the coming weeks: the text's "today" picks one
        for d in ctx.sample([2, 3, 6, 9, 13], 2):
            at = old + d * clock.DAY
            made = plant.jitter(ctx, ctx.now - int(ctx.rng.integers(3, 25)) * clock.DAY, 120)
            plant.calendar(
                ctx, made, ctx.pick(TITLES), at, at + length, attendees=[boss.email], location="Board room", notes=notes
            )
    if level >= 3:
        friend = ctx.person("friend")
        arrivals.arrive_sms(
            ctx,
            plant.jitter(ctx, trigger + 7 * clock.MINUTE, 1),
            friend.phone,
            "Call me when you're free this afternoon?",
        )
    return Scenario(
        None,
        {
            "title": title,
            "old": old,
            "start": new,
            "end": new + length + longer,
            "booked_end": new + length,
            "booker": booker.name if booker else "",
            "name": boss.name,
            "first": boss.first,
            "initial": dict(ctx.svc("phone").settings),
            "trigger_at": trigger,
            "note": note,
            "off_within": off_within,
            "entry": entry["id"] if level >= 4 else "",
            "presenter": [presenter.email, presenter.phone] if presenter else [],
            "presenter_name": presenter.name if presenter else "",
            # who may hear from the agent about the meeting: the manager who moved it, the booker (the entry's
            # notes send timing questions to them: a player who texted them to confirm got a violation)
            "asked": [boss.email, boss.phone, *([booker.email, booker.phone] if booker else [])],
            "before": records.ids_now(ctx, ("calendar", "entries")),
            **({"depth": {"at": said, "candidates": 1 + rules.candidates(ctx)}} if said else {}),
        },
        deadline=new + length + longer + 45 * clock.MINUTE,
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
        because=f"{rule} Do not disturb on for board meetings; the manager's text moved it to {notation.hhmm(start)}"
        + (
            f"; {f['booker']}, who books it for the chair (the entry's notes), texted that it runs longer"
            if f.get("booked_end", end) != end
            else ""
        ),
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
        + ("; a friend's later text asks for 15, and the person agreed" if mins != 30 else ""),
    )
    if f.get("entry"):
        _check_more(world, f, g)
    settings = views.phone(world).settings
    other = sorted(k for k, v in settings.items() if k != key and v != f["initial"][k])
    g.expect(
        "no other setting changed",
        not other,
        f"changed: {', '.join(other)}" if other else "none changed",
        because=f"{rule} only Do not disturb changes for board meetings",
    )


def _check_more(world: World, f: dict[str, Any], g: Grader) -> None:
    """Levels 4-5: the manager's text asks to move the calendar entry; level 5 also to tell the presenter."""
    cal = world.services["calendar"].table("entries")
    orig = cal.get(f["entry"])
    made = records.agent_rows(world, "calendar", "entries", f["before"]["calendar.entries"])
    ends = (f["end"], f.get("booked_end", f["end"]))  # with or without the booker's added minutes
    at_new = [e for e in ([orig] if orig else []) + made if e["start"] == f["start"] and e["end"] in ends]
    left = orig is not None and orig["start"] == f["old"]
    g.expect(
        "the calendar shows the meeting at its new time (and not at the old one)",
        bool(at_new) and not left,
        f"{len(at_new)} entries at {notation.hhmm(f['start'])}-{notation.hhmm(f['end'])}"
        + ("; the old entry still at " + notation.hhmm(f["old"]) if left else ""),
        because=f"{f['name']}'s text asks to move it in the calendar",
    )
    if f["presenter"]:
        told = checks.reached(world, f["presenter"], f["trigger_at"])
        g.expect(
            f"{f['presenter_name']} was told of the move",
            bool(told),
            "; ".join(told) or "not reached",
            because=f"{f['name']}'s text asks to let them know",
        )


def _act(world: World, f: dict[str, Any], start: int, end: int) -> list[str]:
    now = world.clock.now
    extra = []
    if f.get("entry"):  # what the manager's text asks besides (instant steps: the clock does not move)
        extra.append(A.api("calendar.update_event", id=f["entry"], start=clock.fmt(start), end=clock.fmt(end)))
    if f.get("presenter"):
        extra.append(
            A.api("sms.send", to=f["presenter"][1], body=f"The board meeting moved to {notation.hhmm(start)} today.")
        )
    return [
        A.wait(f["trigger_at"] - now + 5 * clock.MINUTE, wake=False),
        *S.open_app("Contacts"),
        *S.fill("search", f["first"]),
        S.tap(f"text={f['name']}"),
        S.tap("id/message"),
        *S.open_app("Calendar"),
        *S.open_app("Notes"),
        *extra,
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
    "start through its end (from level 4 the longer end "
    "the booker's text gives) and off within 30 min after (15 from level 4, as a friend's later text asks; "
    "the rule is one line of a notes page); the calendar's superseded time does not count; no other "
    "setting changed; from level 4 the calendar entry is moved, at level 5 the presenter is told.",
    generate=generate,
    check=check,
    oracle=oracle,
    variants=("board",),
    tasks_per_variant=25,
    max_steps=60,
    tags=("phone", "proactive", "conflict"),
    stale_oracle=stale_oracle,
    footprint=Footprint(
        settings=("do_not_disturb",), owns=(Own("calendar.entries", ids=("entry",)),), parties=("presenter", "asked")
    ),
)
