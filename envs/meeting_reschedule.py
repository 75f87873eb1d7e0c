"""Move a meeting as a colleague asked in a mail thread where the request changed twice.

Conflict: the first mail asks for one slot, a later mail in the same thread changes it.
Acting on the stale request fails. At difficulty 4-5 the requester's own last change comes through another
channel, a chat DM from the same colleague ("re my mail: ..."), and the thread ends 3-5 days back; since session
33 that is not the last word either: the requester's signature says who keeps their diary and has the last word on
times, and that diary keeper, a working day later, settles the slot in their DM with the person naming the
request only by the time it came in ("re the request that came in at 10:42 on Tuesday: make it ..."), among
their same-shaped lines about other matters, one of them settling the other colleague's reschedule request the
same way (:mod:`.kit.oblique`). A search for the requester, the title or "after all" finds the thread and the
requester's DM, not the keeper's word. At 5 the signature also asks to copy the keeper on any change (checked:
a mail or a DM naming the new time). The instruction then names no channel, and a reply by mail or in that DM
counts. Cross-service: the request is in work mail, the event in the calendar, the requester's address in
contacts; the agent confirms by mail. At 4-5 the meeting is in a bookable room and a line of a work note
(>= 30 / 60 days back, beside a same-keyword line about video calls) adds a party the instruction points to ("my
usual room admin"): the room desk gets a mail naming the room and the new time, and not the stale one. At 4-5 the
office's numbered mail (a day or two after the note) plans to move the note's desk inbox to another "some time
next month" and says only the office changes these addresses and posts it in #general; a week or so later (still
>= 30 / 60 days back) the office manager's #general line settles it by the mail's date and point only ("re my
mail of 14 October: the second point: make that ..."), among their lines amending their other mails, so a search
for the desk's address finds the plan and not the word. That search also finds other moves of it: lines retiring
other inboxes, a colleague's later guess in a DM, and a venue's own front desk moving to another address (another
organisation's); and another colleague's reschedule thread and DM change of the same shape sit in the same days.
"""

from __future__ import annotations

from typing import Any

from claw_gym import actions as A
from claw_gym import clock
from claw_gym.plural import count
from claw_gym.tasks import Ctx, Family, Grader, Scenario, values
from claw_gym.tasks.footprint import Footprint, Own
from claw_gym.tasks.outbound import outbound
from claw_gym.world import World

from .kit import checks, errands, household, notation, oblique, plant, senders

TITLES = ["Design review", "Quarterly planning", "Vendor sync", "Roadmap check-in", "Budget review", "Hiring debrief"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
ASKS = [
    "Hi, could we push our {title} to {day} at {hh}:{mm}? Something came up.",
    "Would {day} {hh}:{mm} work instead for the {title}? Sorry for the shuffle.",
    "Can we move the {title} to {day} {hh}:{mm}?",
]
CHANGES = [
    "Scratch that - {day} at {hh}:{mm} is better for me after all. Same length.",
    "Update: {day} {hh}:{mm} would be even better, if you can.",
    "Sorry, one more change: let's do {day} at {hh}:{mm} instead.",
]
#: difficulty 4-5: the last change, by chat after the mail thread; it names no meeting (the thread
#: it follows says which), so a search on the title finds the mails and not this
CHAT_CHANGES = [
    "re my mail: {day} at {hh}:{mm} suits me better after all, same length. ok to move it there?",
    "sorry, one more change to what I mailed - could we do {day} {hh}:{mm}? works better on my side",
    "saw my mail? make that {day} {hh}:{mm} instead if you can, the other slot clashes now",
]
#: difficulty 4-5 (session 33): the requester's signature names their diary keeper (:func:`.kit.oblique.diary_keeper`)
#: and at 5 asks to copy them
COPY = "Please copy {first} on any change to it."
#: difficulty 4-5: the diary keeper's word on a request, by the time it came in (:func:`_keeper_word`)
KEEPER_SAYS = [
    "make it {day} at {hh}:{mm}, same length - that's the one that holds",
    "{day} {hh}:{mm} it is, same length; the other slots clash on our side",
    "please put it on {day} at {hh}:{mm} instead, same length",
]
ROOM_RULE = "If I move a meeting held in a room: mail {desk} the room and the new time so they can swap the booking."
ROOM_DECOY = "Video calls need no room admin, just update the invite."
#: difficulty 4-5: the office manager's chat lines retiring shared inboxes (weeks after the note, still deep); the
#: one about the room desk's address names neither rooms nor bookings, the others are about other inboxes
RETIRE = [
    "from Monday {old} goes to {new} instead",
    "heads-up: {old} is retired, use {new} please",
]
OTHER_INBOXES = [("it-help", "servicedesk"), ("receipts", "expenses"), ("post", "mailroom"), ("travel", "trips")]
#: the inboxes the desk's mail may go to: the one that holds, the office's own earlier plan, a colleague's guess
DESKS = ["workplace", "facilities", "officeteam", "workspace", "reception"]
#: difficulty 4-5: the office's mail (days before its chat line, the older plan it supersedes): it says who changes
#: these addresses and where that is announced
OFFICE_POINTS = [
    "The kitchen fridge is emptied on Fridays now.",
    "{old} will go to {new} some time next month.",
    "Lost property stays at the second-floor desk.",
    "Only the office team changes shared addresses; when one moves, we post it in #general.",
]
#: difficulty 4-5 (session 33): the office's word in #general on its mail's second point, by the mail's date only
MOVED = [
    "the second point happens Monday, and it's {new}, not what I wrote",
    "the second point: make that {new}, from Monday",
]
#: difficulty 4-5: a colleague's later guess in a DM (no authority, never confirmed)
HEARSAY = [
    "btw if you still send stuff to {old} - someone said that's {new} now? not 100% sure",
    "random q, do you know if {old} is {new} these days? that's what I heard at lunch",
]
#: difficulty 4-5: a venue's own front desk moving (another organisation's inbox, another matter)
VENUES = [
    ("harbourview-events.com", "Harbourview Events"),
    ("thegranary.co", "The Granary"),
    ("lakesidehall.com", "Lakeside Hall"),
]
VENUE_MOVE = (
    "Hello,\n\nplease note that our {old} address is being retired; for bookings and room changes write to "
    "{new} from now on.\n\nKind regards,\n{name}\n{venue}"
)
INSTRUCTIONS_ANY = [
    "{name} wants to move our {title}. Can you sort it out and let them know?",
    "Please handle {first}'s request about moving the {title} - update my calendar and let them know.",
]
INSTRUCTIONS = [
    "{name} wants to move our {title}. Can you sort it out and let them know?",
    "Please handle {first}'s request about the {title} - update my calendar and reply to them.",
    "There's a thread from {first} about rescheduling the {title}. Take care of it and let them know, thanks.",
]


def _slot_text(t: int) -> dict[str, str]:
    d = clock.to_datetime(t)
    return {"day": f"{DAYS[d.weekday()]} {d:%b} {d.day}", "hh": f"{d.hour:02d}", "mm": f"{d.minute:02d}"}


def generate(ctx: Ctx) -> Scenario:
    who = ctx.person("colleague")
    title = ctx.pick(TITLES)
    minutes = ctx.pick([30, 45, 60])
    start = ctx.next_weekday(int(ctx.rng.integers(0, 5)), ctx.pick([11, 14, 15]), ctx.pick([0, 30]))
    deep = ctx.difficulty >= 4
    event = plant.calendar(
        ctx,
        plant.jitter(ctx, ctx.now - int(ctx.rng.integers(8, 20)) * clock.DAY),
        title,
        start,
        start + minutes * 60,
        attendees=[who.email, ctx.svc("workmail").address()],
        location=ctx.pick(["Room Atlas", "Room Birch"] if deep else ["Room Atlas", "Room Birch", "Video call"]),
    )
    # first request and the later change land on different days of the next week
    d1, d2 = ctx.sample([0, 1, 2, 3, 4], 2)
    first = ctx.next_weekday(d1, ctx.pick([9, 10, 13]), 0) + 7 * clock.DAY
    # at 4-5 the keeper's slot shares its time of day with no other slot the task names (a search on it finds none)
    final = ctx.next_weekday(d2, ctx.pick([12, 16, 17] if deep else [10, 11, 16]), ctx.pick([0, 30])) + 7 * clock.DAY
    # at 4-5 the thread ends three to five days back: out of the opening digest, still before the ask
    t0 = ctx.now - int(ctx.rng.integers(*((74, 120) if deep else (2, 6)))) * clock.HOUR
    subject = f"{title} - reschedule?"
    keeper: dict[str, Any] = {"keeper_mail": None, "keeper_dm": None}  # the footprint's keys at every level
    sign = f"\n\n{who.first}"
    if deep:  # the requester's signature: who keeps their diary (and at 5, who is copied on changes)
        keeper = {**oblique.diary_keeper(ctx, avoid=[who.name])}
        sign += "\n--\n" + keeper.pop("signature")
        if ctx.difficulty >= 5:
            sign += " " + COPY.format(first=keeper["keeper"].split()[0])
            keeper["copy_keeper"] = True
    asked = plant.mail_in(
        ctx,
        "workmail",
        oblique.working(ctx, t0 - clock.DAY) if deep else plant.jitter(ctx, t0 - clock.DAY),
        who.email,
        subject,
        ctx.pick(ASKS).format(title=title, **_slot_text(first)) + sign,
    )
    changes = 1 + (ctx.difficulty >= 4)
    latest: dict[str, Any] = {}
    amendment = ""
    thread_slot = first
    dm = "dm-" + who.first.lower()
    for k in range(changes):
        slot = final if k == changes - 1 else ctx.next_weekday(d1, 15, 0) + 7 * clock.DAY
        t = t0 + k * 600 + int(ctx.rng.integers(0, 600))
        if k == changes - 1 and ctx.difficulty >= 4:  # the requester's own change comes by chat, not in the thread
            # (since session 33 the diary keeper's later word overrules it, see _keeper_word)
            d3 = ctx.pick([d for d in range(5) if d not in (d1, d2)])
            slot = ctx.next_weekday(d3, ctx.pick([9, 14]), ctx.pick([0, 30])) + 7 * clock.DAY
            keeper["dm_slot"] = slot
            said = ctx.pick(CHAT_CHANGES).format(**_slot_text(slot))
            said_at = plant.jitter(ctx, t + 3600)
            amendment = plant.chat(ctx, said_at, dm, who.name, said)["id"]
            keeper["dm_at"] = said_at
            continue
        thread_slot = slot
        latest = plant.mail_in(
            ctx,
            "workmail",
            plant.jitter(ctx, t, 4),
            who.email,
            f"Re: {subject}",
            ctx.pick(CHANGES).format(**_slot_text(slot)) + f"\n\n{who.first}",
        )
    # distractor: a same-titled request from someone else about a different meeting (harder levels)
    if ctx.difficulty >= 3:
        other = ctx.person("friend")
        plant.mail_in(
            ctx,
            "workmail",
            plant.jitter(ctx, t0 - 3600),
            other.email,
            "Re: weekend plans",
            f"Could we move dinner to {DAYS[d1]}?",
        )
    pool = INSTRUCTIONS_ANY if ctx.difficulty >= 4 else INSTRUCTIONS
    instruction = ctx.pick(pool).format(name=who.name, first=who.first, title=title)
    room: dict[str, Any] = {"desk": "", "old_desk": None}
    if deep:
        domain = who.email.split("@")[1]
        old_desk = f"frontdesk@{domain}"
        rule_at = household.minute_jitter(ctx, ctx.now - (household.days_back(ctx) + 12) * clock.DAY)
        note = household.rule_note(ctx, ROOM_RULE.format(desk=old_desk), t=rule_at, work=True)
        household.decoy_notes(ctx, [ROOM_DECOY], around=ctx.now - 40 * clock.DAY, work=True, avoid=note)
        room = {"room": event["location"], "room_note": note, "rule_at": rule_at, "old_desk": old_desk}
        room |= _retired_inbox(ctx, rule_at, old_desk, domain, who.first)
        room["other_dm"], other_ask = _other_thread(ctx, who.email, t0)
        room |= _keeper_word(ctx, keeper, asked["time"], final, other_ask)
        instruction += " And do my usual room admin."
    return Scenario(
        instruction,
        {
            **room,
            "event": event["id"],
            "start": event["start"],
            "minutes": minutes,
            "final": final,
            "stale": first,
            "requester": who.email,
            "thread_latest": latest["id"],
            "dm": dm,
            "thread_slot": thread_slot,
            **({"amendment": amendment} if amendment else {}),
            "begin": ctx.now,
            **keeper,
        },
    )


def _retired_inbox(ctx: Ctx, rule_at: int, old: str, domain: str, requester: str) -> dict[str, Any]:
    """Difficulty 4-5: the office's mail (a day or two after the note) plans to send the room desk's inbox to
    another one "some time next month" and says only the office changes these addresses and posts it in #general;
    a week or so later (>= 30 / 60 days back) the office manager's #general line settles it by the mail's date and
    point only ("re my mail of 14 October: the second point: make that X") among the same lines amending their
    other mails (session 33, :func:`.kit.oblique.amend_memo`), so a search for the old address finds the plan and
    not the word. Same-shaped candidates besides: lines retiring other inboxes, a colleague's later guess in a DM,
    and a venue's own front desk moving (another organisation's). The facts."""
    new, planned, guessed = (f"{d}@{domain}" for d in ctx.sample(DESKS, 3))
    office, office_mail = senders.staff(ctx, "office")
    planned_at = rule_at + int(ctx.rng.integers(1, 3)) * clock.DAY
    planned_at = errands.office_hours(ctx, oblique.quiet_day(ctx, "workmail", office_mail, planned_at))
    points = [p.format(old=old, new=planned) for p in OFFICE_POINTS]
    oblique.memo(ctx, "workmail", planned_at, office_mail, office, "Office bits", points)
    # the office's word in #general, by the date of its mail only, among its lines amending its other mails
    moved_at = planned_at + int(ctx.rng.integers(7, 10)) * clock.DAY  # still >= 30 / 60 days back
    change = ctx.pick(MOVED).format(new=new)
    said = oblique.amend_memo(
        ctx,
        "workmail",
        office_mail,
        office,
        planned_at,
        change,
        moved_at,
        channel="general",
        latest=ctx.now - clock.DAY,
    )
    moved_at = ctx.svc("chat").table("messages")[said]["time"]
    for was, now in ctx.sample(OTHER_INBOXES, 2):
        t = plant.jitter(ctx, ctx.now - int(ctx.rng.integers(20, 110)) * clock.DAY)
        line = ctx.pick(RETIRE).format(old=f"{was}@{domain}", new=f"{now}@{domain}")
        plant.chat(ctx, t, "general", office, line)
    pool = [p for p in ctx.persona.people if p.relation == "colleague" and p.first != requester]
    friend = ctx.pick(pool or [p for p in ctx.persona.people if p.first != requester])
    heard_at = plant.jitter(ctx, ctx.now - int(ctx.rng.integers(8, 25)) * clock.DAY)
    line = ctx.pick(HEARSAY).format(old=old, new=guessed)
    plant.chat(ctx, heard_at, "dm-" + friend.first.lower(), friend.name, line)
    site, venue = ctx.pick(VENUES)
    host, host_mail = senders.staff(ctx, "venue", site)
    moved = VENUE_MOVE.format(old=f"frontdesk@{site}", new=f"events@{site}", name=host, venue=venue)
    venue_at = plant.jitter(ctx, ctx.now - int(ctx.rng.integers(15, 80)) * clock.DAY)
    plant.mail_in(ctx, "workmail", venue_at, host_mail, "Change of address", moved, who=host)
    return {
        "desk": new,
        "desk_moved": said,
        "planned_at": planned_at,
        "desk_moved_at": moved_at,
        "office": office,
        "planned_desk": planned,
        "guessed_desk": guessed,
        "guessed_by": friend.name,
    }


def _other_thread(ctx: Ctx, requester: str, t0: int) -> tuple[str, dict]:
    """Difficulty 4-5: another colleague's reschedule thread and DM change of the same shape, the same days:
    which DM settles the task is told by who wrote it. Returns the DM's id and the thread's ask ("", {} with no
    other colleague)."""
    first = next((p.first for p in ctx.persona.people if p.email == requester), "")
    pool = [p for p in ctx.persona.people if p.relation == "colleague" and p.first != first]  # a DM of their own
    if not pool:
        return "", {}
    other = ctx.pick(pool)
    title = ctx.pick(TITLES)
    d1, d2 = ctx.sample([0, 1, 2, 3, 4], 2)
    asked = ctx.next_weekday(d1, ctx.pick([9, 10, 13]), 0) + 7 * clock.DAY
    later = ctx.next_weekday(d2, ctx.pick([10, 11, 16]), ctx.pick([0, 30])) + 7 * clock.DAY
    t = t0 - int(ctx.rng.integers(3, 30)) * clock.HOUR
    body = ctx.pick(ASKS).format(title=title, **_slot_text(asked)) + f"\n\n{other.first}"
    ask = plant.mail_in(ctx, "workmail", oblique.working(ctx, t), other.email, f"{title} - new time?", body)
    said = ctx.pick(CHAT_CHANGES).format(**_slot_text(later))
    at = plant.jitter(ctx, t + int(ctx.rng.integers(2, 20)) * clock.HOUR)
    return str(plant.chat(ctx, at, "dm-" + other.first.lower(), other.name, said)["id"]), ask


def _keeper_word(ctx: Ctx, keeper: dict[str, Any], asked_at: int, final: int, other_ask: dict) -> dict[str, Any]:
    """Difficulty 4-5 (session 33): the diary keeper the requester's signature names settles the slot in their
    DM with the person, a working day after the requester's own chat change, naming the request only by the time
    it came in ("re the request that came in at 10:42 on Tuesday: make it ..."), among their same-shaped lines
    about other matters, one of them settling the other colleague's request the same way. The facts."""
    dm_at = keeper["dm_at"]
    at = dm_at + int(ctx.rng.integers(60, 180)) * clock.MINUTE
    for ahead in (1, 2, 3, 4, 0):  # the next working day (or the same), at working hours, well in the past
        t = errands.office_hours(ctx, dm_at + ahead * clock.DAY)
        if clock.to_datetime(t).weekday() < 5 and dm_at + clock.HOUR < t < ctx.now - 6 * clock.HOUR:
            at = t
            break
    refer = oblique.came_in(ctx.now)
    line = f"re {oblique.came_in_lately(ctx.now)('request', asked_at)}: " + ctx.pick(KEEPER_SAYS).format(
        **_slot_text(final)
    )
    msg = oblique.word_in_dm(ctx, keeper["keeper"], keeper["keeper"], at, line, refer, pool=oblique.PLAIN)
    out: dict[str, Any] = {"keeper_line": line, "keeper_msg": msg, "keeper_at": at}
    if other_ask:  # the look-alike: the keeper moves the other colleague's meeting the same way
        d = clock.to_datetime(final).weekday()
        slot = ctx.next_weekday(ctx.pick([k for k in range(5) if k != d]), ctx.pick([10, 15]), 0) + 7 * clock.DAY
        said = f"re {oblique.came_in_lately(ctx.now)('request', other_ask['time'])}: " + ctx.pick(KEEPER_SAYS).format(
            **_slot_text(slot)
        )
        t = errands.office_hours(ctx, other_ask["time"] + clock.DAY)
        if clock.to_datetime(t).weekday() >= 5 or t > ctx.now - 6 * clock.HOUR:
            t = other_ask["time"] + int(ctx.rng.integers(60, 180)) * clock.MINUTE
        out["keeper_other"] = plant.chat(ctx, t, keeper["keeper_dm"], keeper["keeper"], said)["id"]
    return out


def check(world: World, f: dict[str, Any], g: Grader) -> None:
    ev = world.services["calendar"].table("entries").get(f["event"])
    g.forbid("deleted the meeting", ev is None)
    if ev is None:
        return
    g.expect(
        "meeting starts at the latest requested time",
        ev["start"] == f["final"],
        f"starts {clock.fmt(ev['start'])}; the thread's latest request is {clock.fmt(f['final'])}",
        because="the instruction asks to move the meeting as the requester asked; their last message settles it "
        "(at difficulty 4-5 the diary keeper their signature gives the last word on times settles it in a DM with "
        "you, after the requester's own chat change, naming the request by the time it came in)",
    )
    length = (ev["end"] - ev["start"]) // 60
    g.expect(
        "meeting keeps its length",
        length == f["minutes"],
        f"{length} minutes, was {f['minutes']}",
        because="the thread asks to move the meeting, not to change its length",
    )
    hhmm, end = notation.hhmm(f["final"]), notation.hhmm(f["final"] + f["minutes"] * 60)
    replies = [m["body"] for m in checks.sent_to(world, f["requester"])]  # a reply or a new mail, either mailbox
    if "dm" in f:  # or a post in their chat DM
        replies += [m.text for m in outbound(world, f["begin"]) if m.door == "chat.post" and m.to == (f"#{f['dm']}",)]
    named = [values.asked_values(b, values.times_in(b)) for b in replies]
    told = any(hhmm in n and n <= {hhmm, end} for n in named)  # the new start (and end), no other candidate
    g.expect(
        "requester was told the new time",
        told,
        f"{count(len(replies), 'message')} to the requester, naming "
        f"{'; '.join(', '.join(sorted(n)) or 'no time' for n in named) or 'nothing'}; the new start is {hhmm}",
        because="the instruction asks to let them know (a mail or a post in their chat DM)",
    )
    if f.get("desk"):
        _check_room(world, f, g)
    if f.get("copy_keeper"):
        _check_keeper(world, f, g, hhmm, end)


def _check_keeper(world: World, f: dict[str, Any], g: Grader, hhmm: str, end: str) -> None:
    """Difficulty 5: the diary keeper (the requester's signature asks to copy them) got the new time too."""
    sent = [m.text for m in outbound(world, f["begin"]) if f["keeper_mail"] in [r.lower() for r in m.to]]
    sent += [m.text for m in outbound(world, f["begin"]) if m.door == "chat.post" and m.to == (f"#{f['keeper_dm']}",)]
    named = [values.asked_values(b, values.times_in(b)) for b in sent]
    g.expect(
        "the diary keeper was told the new time",
        any(hhmm in n and n <= {hhmm, end} for n in named),
        f"{count(len(sent), 'message')} to {f['keeper']}, naming "
        f"{'; '.join(', '.join(sorted(n)) or 'no time' for n in named) or 'nothing'}; the new start is {hhmm}",
        because=f"the requester's signature asks to copy {f['keeper']} on any change to their diary",
    )


def _check_room(world: World, f: dict[str, Any], g: Grader) -> None:
    """The room desk got a message naming the room and the new start, and not the stale requested time."""
    msgs = [m for m in outbound(world, f["begin"]) if f["desk"] in [r.lower() for r in m.to]]
    new, stale = notation.hhmm(f["final"]), notation.hhmm(f["stale"])

    def times(text: str) -> set[str]:
        return {r.value for r in values.times_in(text) if r.value}

    good = [m for m in msgs if f["room"].lower() in m.text.lower() and new in times(m.text)]
    hedged = [m for m in good if stale not in (new, notation.hhmm(f["start"])) and stale in times(m.text)]
    g.expect(
        "the room desk was told the room and the new time",
        bool(good) and not hedged,
        f"{count(len(msgs), 'message')} to {f['desk']}; {len(good)} naming {f['room']} and {new}"
        + (f", {len(hedged)} also naming {stale}" if hedged else ""),
        because=f"a line of the note '{f['room_note']}' says a moved meeting held in a room goes to "
        f"{f.get('old_desk', f['desk'])} with the room and the new time"
        + (
            f"; the office's mail of {clock.fmt_date(f.get('planned_at', f['desk_moved_at']))} planned the move, and "
            f"the office manager's #general line of {clock.fmt_date(f['desk_moved_at'])} on that mail sends it to "
            f"{f['desk']}"
            + (
                f" (the office's earlier mail only planned {f['planned_desk']}, and {f['guessed_by']}'s guess of "
                f"{f['guessed_desk']} is not the office's word)"
                if f.get("planned_desk")
                else ""
            )
            if f.get("desk_moved")
            else ""
        )
        + "; the instruction asks for the usual room admin",
    )


def oracle(world: World, f: dict[str, Any]) -> list[str]:
    return _move(f, f["final"])


def stale_oracle(world: World, f: dict[str, Any]) -> list[str]:
    """Moves the meeting to the first (stale) request of the thread."""
    return _move(f, f["stale"])


def _move(f: dict[str, Any], slot: int) -> list[str]:
    new_start = clock.fmt(slot)
    new_end = clock.fmt(slot + f["minutes"] * 60)
    return [
        A.api("workmail.search", query="reschedule"),
        A.api("workmail.get", id=f["thread_latest"]),
        A.api("contacts.search", query=f["requester"]),
        A.api("calendar.update_event", id=f["event"], start=new_start, end=new_end),
        A.api("workmail.reply", id=f["thread_latest"], body=f"Done - moved to {clock.fmt_long(slot)}. See you then."),
        *(
            [
                A.api(
                    "workmail.send",
                    to=[f["desk"]],
                    subject=f"{f['room']}: booking moved",
                    body=f"Please move my {f['room']} booking to {clock.fmt_long(slot)}.",
                )
            ]
            if f.get("desk")
            else []
        ),
        *(
            [A.api("chat.post", channel=f["keeper_dm"], text=f"FYI: moved it to {clock.fmt_long(slot)}.")]
            if f.get("copy_keeper")
            else []
        ),
        A.finish(f"Moved the meeting to {new_start} and confirmed by mail."),
    ]


FAMILY = Family(
    name="meeting-reschedule",
    count=37,
    kind="reactive",
    services=("calendar", "workmail", "mail", "contacts", "chat", "todo", "notes"),
    summary="The meeting starts at the time of the colleague's latest request (the mail thread, and at 4-5 the "
    "diary keeper's word in a DM after the requester's own chat change; not the stale one), keeps its length, is "
    "not deleted, and the requester got a mail (either mailbox) or a DM naming the new time and no other "
    "candidate; at 4-5 the room desk the person's note names, or the inbox the office's later #general line sends "
    "its mail to, got the room and the new time; at 5 the diary keeper got the new time too.",
    generate=generate,
    check=check,
    oracle=oracle,
    variants=("thread",),
    tasks_per_variant=20,
    max_steps=20,
    tags=("conflict",),
    stale_oracle=stale_oracle,
    footprint=Footprint(
        owns=(Own("calendar.entries", ids=("event",)), Own("workmail.messages", ids=("thread_latest",))),
        parties=("requester", "desk", "old_desk", "keeper_mail"),  # the note's retired inbox: stale, not a stranger
        channels=("dm", "keeper_dm"),
    ),
)
