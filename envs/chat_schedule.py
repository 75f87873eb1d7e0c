"""Book the meeting a colleague asked for in chat, in the window of their latest message.

Cross-service: the request is in chat, the free time in the calendar, the colleague's
address in contacts; the answer goes back to chat. Conflict: the colleague changes the
window (twice at the top level, where the last change comes by work mail after the chat:
another channel, and the instruction says they followed up); booking in the first window fails. Noise: busy blocks
in the window (more with difficulty), chatter from others in the channel. At 4-5 the person's own
rule, one line of a work note >= 30 / 60 days back (an expired same-keyword rule in another note),
keeps the first hour of each half-day free (nothing before 10:00 or between 13:00 and 14:00): the
booking must start an hour into the window, and the instruction points to "my own meeting rules".
Since session 33, at 4-5 the follow-up mail is not the last word: its signature says a team assistant keeps the
colleague's diary and has the last word on times, and that keeper moves the window once more in their DM with the
person, naming the mail only by the time it came in ("re the mail that came in at 14:07 on Tuesday: make it
Thursday afternoon ..."), among their same-shaped lines about other matters (:mod:`.kit.oblique`); a search for
the colleague or the topic finds the chat and the mail, not that word. The thread sits on a working day. At 5 the
signature also asks to copy the keeper on the invite (checked: on the invite, or told the start by mail or DM).
"""

from __future__ import annotations

from typing import Any

from claw_gym import actions as A
from claw_gym import clock
from claw_gym.plural import count
from claw_gym.tasks import Ctx, Family, Grader, Scenario
from claw_gym.tasks.footprint import Footprint
from claw_gym.tasks.outbound import outbound
from claw_gym.world import World

from .kit import checks, errands, household, notation, oblique, records, views

TOPICS = [
    "the migration plan",
    "my promotion case",
    "the Q3 numbers",
    "the vendor shortlist",
    "onboarding docs",
    "the incident review",
]
WINDOWS = {"morning": (9, 12), "afternoon": (13, 17)}
ASK = [
    "Hey! Could we grab {n} minutes {when} to go over {topic}?",
    "Do you have {n} min {when}? Want to talk through {topic}.",
    "Can we find {n} minutes {when} for {topic}? Send me an invite.",
]
CHANGE = [
    "Actually, {when} would suit me better, if you have anything then.",
    "Sorry - change of plans on my side, could we do {when} instead?",
    "Update: {when} is better for me. Same length.",
]
#: difficulty 4-5: the person's rule (the first hour of each window stays free) and an expired decoy
FIRST_HOUR = "My mornings start with email: nothing booked before 10:00, and nothing in the hour after lunch (13-14)."
EXPIRED = "While the school run was mine (until the summer), nothing booked after 16:00. Done now."
#: difficulty 4-5 (session 33): the follow-up mail's signature at 5 asks to copy the diary keeper
COPY = "Please copy {first} on the invite."
#: difficulty 4-5: the diary keeper's word on the request, by the time the mail came in
KEEPER_SAYS = [
    "could it be {when} instead? the other one clashes on our side",
    "make it {when}, please - the other slot is gone",
    "{when} works better, same length",
]
BLOCKS = ["Focus time", "Dentist", "1:1 with manager", "Interview", "Budget sync", "Lunch"]
INSTRUCTIONS_ANY = [  # difficulty 4-5: the last change came by mail
    "{first} pinged me on chat about finding time and followed up since. Book something that works and let them "
    "know in the chat.",
    "{first} wants a slot with me (asked in chat, then sent an update) - find a free time, send the invite and "
    "answer in the channel.",
]
INSTRUCTIONS = [
    "{first} pinged me on chat about finding time. Book something that works and let them know.",
    "Can you sort out the meeting {first} asked for in chat? Put it in my calendar and reply to them there.",
    "{first} wants a slot with me - check the chat, find a free time, send the invite and answer in the channel.",
]


def _when(t: int, part: str) -> str:
    lo, hi = WINDOWS[part]
    return f"{clock.to_datetime(t):%A} {part} (between {lo}:00 and {hi}:00)"


def free_slots(rows: list[dict], start: int, end: int, minutes: int) -> list[int]:
    """Starts (on the half hour) of free slots of ``minutes`` in [start, end) among calendar rows."""
    out, t = [], start
    while t + minutes * 60 <= end:
        if not checks.overlapping(rows, t, t + minutes * 60):
            out.append(t)
        t += 30 * clock.MINUTE
    return out


def _open_window(ctx: Ctx, wins: list[tuple[int, int, str]], minutes: int, skip: int = 0) -> tuple[int, int, str]:
    """The final window, or (when the person's calendar leaves no free slot in it) the first window with one:
    the other half of that day, then the same halves on the following weekdays. No random draws, so tasks
    whose window was open keep their content."""
    ws, _, part = wins[-1]
    day = clock.day_start(ws)
    taken = {(clock.day_start(s), p) for s, _, p in wins[:-1]}
    rows = checks.calendar_rows(ctx.world, with_pending=True)
    for k in range(7):
        d = day + k * clock.DAY
        if clock.weekday(d) >= 5:
            continue
        for p in (part, *sorted(set(WINDOWS) - {part})):
            lo, hi = WINDOWS[p]
            if (d, p) not in taken and free_slots(rows, d + lo * clock.HOUR + skip, d + hi * clock.HOUR, minutes):
                return d + lo * clock.HOUR, d + hi * clock.HOUR, p
    return wins[-1]


def generate(ctx: Ctx) -> Scenario:
    chat, cal = ctx.svc("chat"), ctx.svc("calendar")
    who = ctx.person("colleague")
    channel = f"dm-{who.first.lower()}" if ctx.variant == "dm" else "team"
    minutes = ctx.pick([30, 45, 60])
    topic = ctx.pick(TOPICS)
    n_win = 2 + 2 * (ctx.difficulty >= 4)  # at 4-5: the ask, a chat change, the mail's, the diary keeper's
    days = ctx.sample([0, 1, 2, 3, 4], n_win)
    parts = [ctx.pick(sorted(WINDOWS)) for _ in days]
    wins = []
    for d, part in zip(days, parts):
        day = clock.day_start(ctx.next_weekday(d, 0))
        lo, hi = WINDOWS[part]
        wins.append((day + lo * clock.HOUR, day + hi * clock.HOUR, part))
    deep = ctx.difficulty >= 4
    skip = clock.HOUR if deep else 0  # the person's rule keeps the first hour of each window free
    wins[-1] = _open_window(ctx, wins, minutes, skip)
    ws, we, _ = wins[-1]
    # busy blocks in the final window, keeping at least one free slot
    for _ in range(ctx.difficulty + 1):
        s = ws + int(ctx.rng.integers(0, (we - ws) // (30 * clock.MINUTE))) * 30 * clock.MINUTE
        e = s + ctx.pick([30, 60, 90]) * clock.MINUTE
        if len(free_slots(checks.calendar_rows(ctx.world, True), ws + skip, we, minutes)) > 1 and not cal.overlapping(
            s, e
        ):
            title = ctx.pick(BLOCKS)
            meeting = title in ("1:1 with manager", "Interview", "Budget sync")
            cal.add(  # shaped like the background's entries: a place, and the people when it is a meeting
                title,
                s,
                e,
                location={"Dentist": "Dental practice", "Lunch": "Canteen", "Focus time": ""}.get(title, "Video call"),
                attendees=[ctx.person("colleague").email] if meeting else [],
            )
            if not free_slots(checks.calendar_rows(ctx.world, True), ws + skip, we, minutes):
                cal.remove("entries", max(cal.table("entries")))
    t = clock.day_start(ctx.now) - int(ctx.rng.integers(1, 3)) * clock.DAY + int(ctx.rng.integers(9 * 3600, 15 * 3600))
    while deep and clock.to_datetime(t).weekday() >= 5:  # at 4-5 a working day's (a work mail and its keeper follow)
        t -= clock.DAY
    if ctx.variant == "team" or ctx.difficulty >= 3:
        other = ctx.person("colleague")
        if other.name != who.name:
            chat.post_as(
                channel, other.name, ctx.pick(["lunch anyone?", "deploy is green", "PR is up for review"]), time=t - 600
            )
    chat.post_as(
        channel, who.name, ctx.pick(ASK).format(n=minutes, when=_when(wins[0][0], wins[0][2]), topic=topic), time=t
    )
    keeper: dict[str, Any] = {"keeper_mail": None, "keeper_dm": None}  # the footprint's keys at every level
    mailed: dict[str, Any] = {}  # the follow-up mail (4-5)
    for k, (s, _, part) in enumerate(wins[1:], start=2):
        if deep and k == len(wins):  # the diary keeper's word, in their DM with the person (session 33)
            keeper |= _keeper_word(ctx, keeper, mailed, _when(s, part))
            continue
        t += int(ctx.rng.integers(10 * 60, 60 * 60))
        change = ctx.pick(CHANGE).format(when=_when(s, part))
        if k == len(wins) - deep and ctx.difficulty >= 4:  # the requester's last word, by work mail after the chat
            body = f"Hi,\n\nabout {topic}: {change[0].lower()}{change[1:]}\n\n{who.first}"
            if deep:  # their signature names who keeps their diary, with the last word on times
                keeper |= oblique.diary_keeper(ctx, avoid=[who.name])
                body += "\n--\n" + keeper.pop("signature")
                if ctx.difficulty >= 5:
                    body += " " + COPY.format(first=keeper["keeper"].split()[0])
                    keeper["copy_keeper"] = True
            mailed = ctx.svc("workmail").deliver(who.email, f"Re: {topic}", body, time=t + 3600, read=False)
        else:
            chat.post_as(channel, who.name, change, time=t)
    instruction = ctx.pick(INSTRUCTIONS_ANY if ctx.difficulty >= 4 else INSTRUCTIONS).format(first=who.first)
    extra: dict[str, Any] = {}
    if deep:
        rule_at = household.minute_jitter(ctx, ctx.now - household.days_back(ctx) * clock.DAY)
        note = household.rule_note(ctx, FIRST_HOUR, t=rule_at, work=True)
        household.decoy_notes(ctx, [EXPIRED], around=ctx.now - 40 * clock.DAY, work=True, avoid=note)
        extra = {"skip": skip, "rule_note": note, "rule_at": rule_at}
        instruction += " Mind my own meeting rules."
    return Scenario(
        instruction,
        {
            **extra,
            "channel": channel,
            "email": who.email,
            "minutes": minutes,
            "win": [ws, we],
            "stale_win": [wins[0][0], wins[0][1]],
            "chat_win": [wins[1][0], wins[1][1]] if ctx.difficulty >= 4 else [ws, we],
            **({"mail_win": [wins[-2][0], wins[-2][1]]} if deep else {}),
            **keeper,
            "topic": topic,
            "before": sorted(cal.table("entries")),
        },
    )


def _keeper_word(ctx: Ctx, keeper: dict[str, Any], mailed: dict, when: str) -> dict[str, Any]:
    """Difficulty 4-5 (session 33): the diary keeper the requester's follow-up mail names moves the window in
    their DM with the person, naming the mail only by the time it came in ("re the mail that came in at 14:07 on
    Tuesday: could it be ..."), among their same-shaped lines about other matters, at a working-hours moment
    after the mail (same day or the next working day) before now. The facts."""
    at = mailed["time"] + int(ctx.rng.integers(40, 150)) * clock.MINUTE
    for ahead in (0, 1):
        t = errands.office_hours(ctx, mailed["time"] + ahead * clock.DAY)
        if clock.to_datetime(t).weekday() < 5 and mailed["time"] + 30 * clock.MINUTE < t < ctx.now - 30 * clock.MINUTE:
            at = t
            break
    refer = oblique.came_in_lately(ctx.now)
    line = f"re {refer('mail', mailed['time'])}: " + ctx.pick(KEEPER_SAYS).format(when=when)
    msg = oblique.word_in_dm(ctx, keeper["keeper"], keeper["keeper"], at, line, refer, pool=oblique.PLAIN)
    return {"keeper_line": line, "keeper_msg": msg, "keeper_at": at, "mailed": mailed["id"], "begin": ctx.now}


def check(world: World, f: dict[str, Any], g: Grader) -> None:
    cal = views.calendar(world)
    asked = "the instruction asks to book the meeting the colleague asked for in chat"
    new = [e for e in records.agent_rows(world, "calendar", "entries", f["before"]) if f["email"] in e["attendees"]]
    g.expect(
        "one new meeting with the colleague",
        len(new) == 1,
        f"{count(len(new), 'new event')} inviting {f['email']}" + "".join(f"; {_span(e)}" for e in new),
        because=asked,
    )
    if not new:
        return
    e = new[0]
    ws, we = f["win"]
    g.expect(
        "meeting lies in the latest requested window",
        ws <= e["start"] and e["end"] <= we,
        f"booked {_span(e)}; latest window {clock.fmt(ws)}-{notation.hhmm(we)}",
        because="the colleague's latest message gives the window (chat, and at difficulty 4-5 their follow-up mail, "
        "whose signature gives the last word on times to the diary keeper whose later DM moves it)",
    )
    if f.get("skip"):
        g.expect(
            "meeting keeps the first hour of the window free",
            e["start"] >= ws + f["skip"],
            f"starts {notation.hhmm(e['start'])}; the window opens {notation.hhmm(ws)}",
            because=f"a line of the note '{f['rule_note']}' keeps nothing booked before 10:00 or between 13:00 and "
            "14:00; the instruction asks to mind the person's meeting rules",
        )
    if f.get("copy_keeper"):
        _check_keeper(world, f, g, e)
    g.expect(
        "meeting has the requested length",
        e["end"] - e["start"] == f["minutes"] * 60,
        f"{(e['end'] - e['start']) // 60} min; asked {f['minutes']} min",
        because="the colleague's chat message asks for that many minutes",
    )
    clash = cal.overlapping(e["start"], e["end"], exclude=e["id"])
    g.expect(
        "meeting clashes with nothing",
        not clash,
        f"overlapping: {', '.join(x['title'] for x in clash) or 'none'}",
        because="the instruction asks for a time that works (free in the calendar)",
    )
    me = world.persona.me.name if world.persona else "me"
    replies = [
        m
        for m in world.services["chat"].table("messages").values()
        if m["channel"] == f["channel"] and m["sender"] == me
    ]
    want, end = notation.hhmm(e["start"]), notation.hhmm(e["end"])
    named = notation.times_in(max(replies, key=lambda m: (m["time"], m["id"]))["text"]) if replies else set()
    g.expect(
        "colleague told the booked time in chat (and no other)",
        want in named and named <= {want, end},
        f"{count(len(replies), 'reply')} in #{f['channel']}; "
        f"the last names {', '.join(sorted(named)) or 'no time'}; "
        f"booked {want}",
        because="the instruction asks to let them know (they asked in chat)",
    )


def _check_keeper(world: World, f: dict[str, Any], g: Grader, e: dict) -> None:
    """Difficulty 5: the diary keeper was copied: on the invite, or told the start by mail or in their DM."""
    invited = f["keeper_mail"] in [a.lower() for a in e["attendees"]]
    sent = [m.text for m in outbound(world, f["begin"]) if f["keeper_mail"] in [r.lower() for r in m.to]]
    sent += [m.text for m in outbound(world, f["begin"]) if m.door == "chat.post" and m.to == (f"#{f['keeper_dm']}",)]
    told = [t for t in sent if notation.hhmm(e["start"]) in notation.times_in(t)]
    g.expect(
        "the diary keeper was copied",
        invited or bool(told),
        f"{'on' if invited else 'not on'} the invite; {count(len(sent), 'message')} to them, "
        f"{len(told)} naming {notation.hhmm(e['start'])}",
        because=f"the colleague's follow-up mail asks to copy {f['keeper']} on the invite",
    )


def _span(e: dict) -> str:
    return f"{clock.fmt(e['start'])}-{notation.hhmm(e['end'])}"


def _book(world: World, f: dict[str, Any], win: list[int]) -> list[str]:
    skip = f.get("skip", 0)
    slots = free_slots(checks.calendar_rows(world, with_pending=True), win[0] + skip, win[1], f["minutes"])
    start = slots[0] if slots else win[0]
    end = start + f["minutes"] * 60
    return [
        A.api("chat.history", channel=f["channel"]),
        A.api("calendar.list_events", start=clock.fmt_date(win[0]), end=clock.fmt_date(win[0] + clock.DAY)),
        A.api("contacts.search", query=f["email"]),
        A.api(
            "calendar.create_event",
            title=f"Chat about {f['topic']}",
            start=clock.fmt(start),
            end=clock.fmt(end),
            attendees=[f["email"], *([f["keeper_mail"]] if f.get("copy_keeper") else [])],
        ),
        A.api(
            "chat.post",
            channel=f["channel"],
            text=f"Booked {clock.fmt_long(start)} for {f['minutes']} min - invite sent!",
        ),
        A.finish("Booked it and replied in chat."),
    ]


def oracle(world: World, f: dict[str, Any]) -> list[str]:
    return _book(world, f, f["win"])


def stale_oracle(world: World, f: dict[str, Any]) -> list[str]:
    """Books in the window of the first message."""
    return _book(world, f, f["stale_win"])


FAMILY = Family(
    name="chat-schedule",
    count=52,
    kind="reactive",
    services=("chat", "calendar", "contacts", "workmail", "todo", "notes"),
    summary="One new event inviting the colleague, of the asked length, inside the window of their latest chat "
    "message (at 4-5 the window their diary keeper moves it to after their follow-up mail, not in its first hour, "
    "by the person's note), clashing with nothing; a chat reply in the channel names its start time; at 5 the "
    "keeper is copied.",
    generate=generate,
    check=check,
    oracle=oracle,
    variants=("dm", "team"),
    tasks_per_variant=15,
    max_steps=25,
    tags=("conflict",),
    stale_oracle=stale_oracle,
    footprint=Footprint(parties=("email", "keeper_mail"), channels=("channel", "keeper_dm")),
)
