"""A colleague hands work over in chat, then corrects the list; put the open items on todo + calendar.

The instruction names the colleague by first name only. Their first chat message lists the
items with due days; a later one says one item is already done and another moved to a new
day (from level 4 a third message takes the move back, by work mail after the chat: another
channel, and the instruction then says they followed up). The agent adds a task per open item
due on its settled day and blocks an hour on that day that clashes with nothing. Conflict:
acting on the first message gives a task for the done item and the superseded due day.
Noise grows with difficulty: more items, chatter in the channel, a busier calendar.

From level 4 the colleague's leave is a long one: the handover sits 30+ (60+ at 5) days back and the
take-back mail's subject names no item; two other colleagues handed over their own work the same way
around then (their DMs, other items); and a line of a work notes page (as old, worded without "handover")
says covered work goes on the "Cover" list and the manager gets a line in chat: two more checks. An older
line with the obvious words (an expired on-call cover) sits in another note.

Since session 33, at 4-5 the colleague's take-back mail is not the last word: their handover says the manager
has the last word on dates while they are away, and the manager's DM with the person, a working day or two after
that mail (still >= 30 / 60 days back), moves one more open item, naming it only by its place in the list and
the list by the day it came ("re the list you got on 14 February: the third one is due ... now"), among their
same-shaped lines about other matters (:mod:`.kit.oblique`); a search for the colleague, the items or "after
all" finds the thread and the mail, not that word. No other colleague's handover came within two days of it, and
none shares the manager's first name (their DM is theirs alone).
"""

from __future__ import annotations

from typing import Any

from claw_gym import actions as A
from claw_gym import clock
from claw_gym.plural import count
from claw_gym.tasks import Ctx, Family, Grader, Scenario
from claw_gym.tasks import outbound as O
from claw_gym.tasks.footprint import Footprint, Own
from claw_gym.world import World

from .kit import checks, household, notation, oblique, plant, records, xchain

ITEMS = [
    "supplier scorecard",
    "Q3 budget review",
    "onboarding checklist",
    "release notes draft",
    "pricing page copy",
    "vendor contract renewal",
    "customer survey summary",
    "security questionnaire",
    "board slides appendix",
    "sprint retro notes",
]
FIRST = [
    "Hi! I'm off from tomorrow for two weeks - could you take these over? {items}. Thanks a lot!",
    "Handing over before my leave: {items}. Shout if anything is unclear.",
]
UPDATE = [
    "Update on my handover: the {done} is done already, I finished it last night. And the {moved} moved to {day}.",
    "Quick correction: skip the {done}, it's finished. The {moved} is now due {day}.",
]
REVERT_MAIL = [  # difficulty 4-5: the take-back comes by mail, in plain words
    "Hi,\n\none more thing on my handover: the client came back, so the {moved} is due {day} as first planned."
    "\n\n{first}",
    "Hello,\n\nfor the {moved}: {day} holds after all, the other date is off.\n\nThanks,\n{first}",
]
#: levels 4-5: a long leave; the take-back mail's subject names no item
LONG_FIRST = [
    "Hi! I'm off on parental leave from Monday until the summer - could you pick these up when they come due? "
    "{items}. Thanks a million!",
    "Handing over before my long leave: {items}. All in the shared folder, shout before Friday if unclear.",
]
REVERT_SUBJECT = ["one more thing", "before I go", "quick follow-up"]
#: levels 4-5 (session 33): the handover names who settles dates while they are away, and that manager's word
LAST_WORD = "While I'm out, {boss} has the last word on dates."
BOSS_SAYS = [
    "the {nth} one is due {day} now, the client moved",
    "make the {nth} one {day}, they pushed it back",
]
#: levels 4-5: the person's way of covering, one line of a work notes page (no "handover")
COVER_RULE = (
    "When I pick up someone's work while they're away: their things go on my Cover list (not the inbox) and "
    "{boss} gets a line in chat that I've taken them."
)
OLD_RULE = "Covering {name}'s on-call week in {month}: their handover items go on the on-call list, not mine."
CHATTER = [
    "anyone seen the new coffee machine manual?",
    "lunch at 12:30?",
    "reminder: all-hands on Friday",
    "the wifi on floor 3 is flaky again",
]
INSTRUCTIONS_ANY = [  # difficulty 4-5: the last word came by mail
    "{first} handed some work over to me in chat before their leave and followed up since. Put what's still open "
    "on my todo list with the right due dates, and block an hour on each due day in my calendar to work on it.",
    "Please sort out {first}'s handover (it started in chat; they sent an update after): a task per open item due "
    "when it's due, plus an hour in my calendar on that day for each (not on top of other meetings).",
]
INSTRUCTIONS = [
    "{first} handed some work over to me in chat. Put what's still open on my todo list with the right "
    "due dates, and block an hour on each due day in my calendar to work on it.",
    "Please sort out {first}'s handover from chat: a task per open item due when it's due, plus an "
    "hour in my calendar on that day for each (not on top of other meetings).",
    "Go through the chat where {first} passed me their work. Each item that still needs doing should be "
    "a todo with its due date and get a one-hour calendar block that same day.",
]


def _day_phrase(t: int) -> str:
    return notation.day_text(t)


def generate(ctx: Ctx) -> Scenario:
    cal = ctx.svc("calendar")
    who = ctx.person("colleague")
    channel = "dm-" + who.first.lower()
    n = 3 + (ctx.difficulty >= 3) + (ctx.difficulty >= 5)
    items = ctx.sample(ITEMS, n)
    days = sorted(ctx.sample(list(range(1, 13)), n))
    dues = {}
    for item, d in zip(items, days):
        t = ctx.at(d, 17)
        while clock.weekday(t) >= 5:
            t += clock.DAY
        dues[item] = t
    deep = ctx.difficulty >= 4
    t0 = ctx.now - int(ctx.rng.integers(14, 20)) * clock.HOUR - int(ctx.rng.integers(0, 3600))
    if deep:  # a long leave: the handover weeks back
        t0 = plant.jitter(ctx, ctx.now - household.days_back(ctx, at4=36, at5=66) * clock.DAY)
    listing = "; ".join(f"the {i} by {_day_phrase(dues[i])}" for i in items)
    first_text = ctx.pick(LONG_FIRST if deep else FIRST).format(items=listing)
    boss = ctx.persona.by_relation("manager")[0]
    if deep:  # who settles dates while they are away (session 33): the manager, whose later word names no item
        first_text += " " + LAST_WORD.format(boss=boss.first)
    listed_at = _post(ctx, deep, channel, who.name, first_text, t0)
    done, moved = items[0], items[1 + int(ctx.rng.integers(n - 1))]
    new_day = dues[moved] + int(ctx.rng.integers(1, 4)) * clock.DAY
    while clock.weekday(new_day) >= 5:
        new_day += clock.DAY
    _post(
        ctx,
        deep,
        channel,
        who.name,
        ctx.pick(UPDATE).format(done=done, moved=moved, day=_day_phrase(new_day)),
        t0 + 3 * clock.HOUR - int(ctx.rng.integers(0, 1800)),
    )
    final = {i: dues[i] for i in items if i != done}
    stale_due = dict(dues)
    final[moved] = new_day
    facts: dict[str, Any] = {"boss": [], "boss_channel": ""}
    if deep:  # the move is taken back, by work mail days later: another channel, a subject naming nothing
        revert_at = plant.jitter(ctx, t0 + int(ctx.rng.integers(1, 3)) * clock.DAY + 2 * clock.HOUR)
        plant.mail_in(
            ctx,
            "workmail",
            revert_at,
            who.email,
            ctx.pick(REVERT_SUBJECT),
            ctx.pick(REVERT_MAIL).format(moved=moved, day=_day_phrase(dues[moved]), first=who.first),
        )
        final[moved], stale_due[moved] = dues[moved], new_day
        facts = _deep(ctx, who, items, t0) | {"mail_final": dict(final), "reverted_at": revert_at}
        facts |= _boss_word(ctx, boss, items, [i for i in items[1:] if i != moved], listed_at, revert_at, dues, new_day)
        final[facts["boss_item"]] = facts["boss_day"]
    for k in range(ctx.difficulty - 1):
        _post(
            ctx,
            deep,
            channel,
            ctx.person("colleague").name if k % 2 else who.name,
            ctx.pick(CHATTER),
            t0 + (k + 1) * 50 * clock.MINUTE + int(ctx.rng.integers(1, 600)),
        )
    for due in final.values():  # busy due days: meetings on the mornings
        for h in range(9, 9 + ctx.difficulty):
            if ctx.rng.random() < 0.6:
                s = clock.day_start(due) + h * clock.HOUR
                title = ctx.pick(["Team sync", "1:1", "Customer call", "Planning"])
                cal.add(  # shaped like the background's meetings: a place and the people in it
                    title,
                    s,
                    s + clock.HOUR,
                    location="Room 2.14" if title == "1:1" else "Video call",
                    attendees=[ctx.person("colleague").email],
                )
    todo = ctx.svc("todo")
    return Scenario(
        ctx.pick(INSTRUCTIONS_ANY if ctx.difficulty >= 4 else INSTRUCTIONS).format(first=who.first),
        {
            "channel": channel,
            "final": dict(final),
            "done": done,
            "stale": {i: stale_due[i] for i in items},
            "todo_next": records.next_id(todo, "items"),
            "cal_next": records.next_id(cal, "entries"),
            "todos_before": sorted(todo.table("items")),
            "cal_before": sorted(cal.table("entries")),
            "start": ctx.now,
            **facts,
        },
    )


def _post(ctx: Ctx, deep: bool, channel: str, sender: str, text: str, t: int) -> int:
    """A chat message: through the background's path (its line, off the round minute) at levels 4-5. Its time."""
    if deep:
        return int(plant.chat(ctx, plant.jitter(ctx, t, 5), channel, sender, text)["time"])
    ctx.svc("chat").post_as(channel, sender, text, time=t)
    return t


def _boss_word(
    ctx: Ctx,
    boss: Any,
    items: list[str],
    open_items: list[str],
    listed_at: int,
    after: int,
    dues: dict[str, int],
    moved_to: int,
) -> dict[str, Any]:
    """Levels 4-5 (session 33): the manager (the handover names them as the one with the last word on dates while
    the colleague is away) moves one open item that nobody else moved, a working day or two after the take-back
    mail, in their DM with the person, naming it only by its place in the list and the list by the day it came
    ("re the list you got on 14 February: the third one is due ... now"), among their same-shaped lines about
    other matters (:func:`.kit.oblique.word_in_dm`). The facts."""
    item = ctx.pick(open_items)
    taken = {clock.day_start(t) for t in [*dues.values(), moved_to]}
    day = dues[item] + int(ctx.rng.integers(2, 5)) * clock.DAY
    while clock.weekday(day) >= 5 or clock.day_start(day) in taken:
        day += clock.DAY
    at = oblique.working(ctx, after + int(ctx.rng.integers(1, 3)) * clock.DAY)
    if at < after + clock.HOUR:
        at = oblique.working(ctx, after + 3 * clock.DAY)
    nth = oblique.ORDINALS[items.index(item)]
    line = f"re the list you got on {oblique.day_month(listed_at)}: " + ctx.pick(BOSS_SAYS).format(
        nth=nth, day=_day_phrase(day)
    )
    msg = oblique.word_in_dm(ctx, boss.name, boss.first, at, line, oblique.came_in(ctx.now), pool=oblique.PLAIN)
    return {"boss_item": item, "boss_day": day, "boss_line": line, "boss_msg": msg, "deciding_at": at}


def _deep(ctx: Ctx, who: Any, items: list[str], t0: int) -> dict[str, Any]:
    """Levels 4-5: two other colleagues' handovers of their own items around then, the covering rule on a work
    notes page (an expired same-keyword line elsewhere); the facts these add."""
    rest = [i for i in ITEMS if i not in items]
    boss = ctx.persona.by_relation("manager")[0]
    # none shares the manager's first name: the manager's DM (where their word on dates sits) is theirs alone
    others = [p for p in ctx.persona.by_relation("colleague") if p.name != who.name and p.first != boss.first]
    for k, other in enumerate(ctx.sample(others, 2)):
        theirs = ctx.sample(rest, 2 + k)
        rest = [i for i in rest if i not in theirs]
        days = sorted(ctx.sample(list(range(2, 20)), len(theirs)))
        listing = "; ".join(f"the {i} by {_day_phrase(ctx.at(d, 17))}" for i, d in zip(theirs, days, strict=True))
        t = plant.jitter(ctx, t0 + int(ctx.rng.integers(-12, 12)) * clock.DAY)
        if abs(clock.day_start(t) - clock.day_start(t0)) < 2 * clock.DAY:  # "the list of <day>" means one list
            t -= 2 * clock.DAY
        plant.chat(
            ctx,
            min(t, ctx.now - clock.DAY),
            "dm-" + other.first.lower(),
            other.name,
            ctx.pick(LONG_FIRST).format(items=listing),
        )
    xchain.chatter(ctx, f"dm-{boss.first.lower()}", [boss.name, ctx.persona.me.name], xchain.DM_LINES, 3, (3, 40))
    rule_t = plant.jitter(ctx, ctx.now - household.days_back(ctx) * clock.DAY)
    note = household.rule_note(ctx, COVER_RULE.format(boss=boss.first), t=rule_t, work=True)
    month = clock.to_datetime(rule_t - 30 * clock.DAY).strftime("%B")
    household.decoy_notes(
        ctx,
        [OLD_RULE.format(name=ctx.pick(others).first, month=month)],
        around=rule_t - 40 * clock.DAY,
        work=True,
        avoid=note,
    )
    return {
        "boss": [boss.email],
        "boss_name": boss.first,
        "boss_channel": f"dm-{boss.first.lower()}",
        "rule_note": note,
    }


def _day(t: int | None) -> int | None:
    return None if t is None else clock.day_start(t)


def _days(rows: list[dict], key: str) -> list[str]:
    return sorted({clock.fmt_date(r[key]) if r[key] is not None else "no due date" for r in rows})


def _span(b: dict) -> str:
    return f"{clock.fmt(b['start'])}-{notation.hhmm(b['end'])}"


def check(world: World, f: dict[str, Any], g: Grader) -> None:
    asked = (
        "the instruction asks for a to-do per open item with its due date; the colleague's latest message "
        "settles it (chat, and at difficulty 4-5 their follow-up mail)"
    )
    if f.get("boss_line"):
        asked += (
            f"; at 4-5 the handover says {f['boss_name']} has the last word on dates while they are away, and "
            f"{f['boss_name']}'s later DM ('{f['boss_line']}') moves the {f['boss_item']}"
        )
    todos = records.agent_rows(world, "todo", "items", f["todos_before"])
    for item, due in f["final"].items():
        mine = [r for r in todos if item.lower() in r["title"].lower() and not r["done"]]
        right = [r for r in mine if _day(r["due"]) == _day(due)]
        g.expect(
            f"a task for the {item} due {clock.fmt_date(due)}",
            bool(right) and len(right) == len(mine),
            f"open tasks for it due {', '.join(_days(mine, 'due')) or '-'}",
            because=asked,
        )
    gone = [r for r in todos if f["done"].lower() in r["title"].lower() and not r["done"]]
    g.expect(
        f"no task for the {f['done']} (already done)",
        not gone,
        f"{count(len(gone), 'open task')} for it",
        because="the colleague wrote in chat that it is already done",
    )
    blocks = records.agent_rows(world, "calendar", "entries", f["cal_before"])
    own = {b["id"] for b in blocks}
    others = [r for r in checks.calendar_rows(world, with_pending=True) if r["id"] not in own]
    for item, due in f["final"].items():
        mine = [b for b in blocks if item.lower() in b["title"].lower()]
        right = [b for b in mine if _day(b["start"]) == _day(due)]
        hour = [b for b in right if b["end"] - b["start"] >= 50 * clock.MINUTE]
        g.expect(
            f"an hour blocked for the {item} on its due day",
            bool(hour) and len(right) == len(mine),
            f"blocks for it: {', '.join(_span(b) for b in mine) or '-'}",
            because="the instruction asks for a one-hour block on each due day",
        )
    clash = [b["title"] for b in blocks if checks.overlapping(others, b["start"], b["end"])]
    g.expect(
        "the blocks clash with no other calendar entry",
        not clash,
        f"{count(len(blocks), 'new block')}; overlapping others: {', '.join(clash) or 'none'}",
        because="the instruction asks for time to work on it; a block on top of a meeting is no such time "
        "(one wording says so)",
    )
    if f["boss"]:
        _check_cover(world, f, g, todos)


def _check_cover(world: World, f: dict[str, Any], g: Grader, todos: list[dict]) -> None:
    """Levels 4-5: the covering rule's two parts: the open items' tasks on the Cover list, the manager told."""
    mine = [r for r in todos if any(i.lower() in r["title"].lower() for i in f["final"]) and not r["done"]]
    off = sorted({r["list"] for r in mine if r["list"].strip().lower() != "cover"})
    g.expect(
        "the tasks are on the Cover list",
        bool(mine) and not off,
        f"{count(len(mine), 'task')} for the items" + (f"; on {', '.join(off)}" if off else ""),
        because=f"a line in the note '{f['rule_note']}' says work picked up from someone away goes on the Cover list",
    )
    want = {O.party(p) for p in f["boss"]} | {"#" + f["boss_channel"]}
    told = [m for m in O.outbound(world, f["start"]) if any(O.party(r) in want or r in want for r in m.to)]
    g.expect(
        f"{f['boss_name']} was told",
        bool(told),
        f"{count(len(told), 'message')} to them",
        because=f"a line in the note '{f['rule_note']}' says {f['boss_name']} gets a line that I've taken them",
    )


def _free_hour(world: World, day: int) -> int:
    rows = checks.calendar_rows(world, with_pending=True)
    for h in range(9, 18):
        s = day + h * clock.HOUR
        if not checks.overlapping(rows, s, s + clock.HOUR):
            return s
    return day + 19 * clock.HOUR


def _act(world: World, f: dict[str, Any], dues: dict[str, int]) -> list[str]:
    out = [A.api("contacts.search", query=f["channel"][3:]), A.api("chat.history", channel=f["channel"])]
    cover = {"list_name": "Cover"} if f["boss"] else {}
    if f["boss"]:
        out += [
            A.api("chat.history", channel=f["channel"], offset=20),
            A.api("workmail.list", unread_only=True),
            A.api("workmail.search", query=f["channel"][3:]),
            A.api("notes.list", query="away"),
            A.api("notes.list", query="cover"),
            A.api("todo.list", list_name="Cover"),
        ]
    for item, due in sorted(dues.items(), key=lambda kv: (kv[1], kv[0])):
        day = clock.day_start(due)
        out.append(A.api("todo.add_task", title=f"Finish the {item} (handover)", due=clock.fmt_date(due), **cover))
        s = _free_hour(world, day)
        out.append(
            A.api(
                "calendar.create_event", title=f"Work on the {item}", start=clock.fmt(s), end=clock.fmt(s + clock.HOUR)
            )
        )
    if f["boss"]:
        out.append(A.api("chat.post", channel=f["boss_channel"], text=f"FYI I've picked up {f['channel'][3:]}'s items"))
    return out + [A.finish("Handover items are on your list and in the calendar.")]


def oracle(world: World, f: dict[str, Any]) -> list[str]:
    return _act(world, f, f["final"])


def stale_oracle(world: World, f: dict[str, Any]) -> list[str]:
    """Acts on the first message: every item, the original due days."""
    return _act(world, f, f["stale"])


FAMILY = Family(
    name="chat-handover",
    count=37,
    kind="reactive",
    services=("chat", "todo", "calendar", "contacts", "notes", "workmail"),
    summary="Each handover item still open after the colleague's corrections (at 4-5 and the manager's later word) "
    "has a new task due on its settled day "
    "and a one-hour calendar block that day clashing with nothing; the item reported done has no open task. From "
    "level 4 (handover weeks back, a long leave) the tasks are on the Cover list and the manager was told, as a "
    "line of a work notes page says.",
    generate=generate,
    check=check,
    oracle=oracle,
    variants=("leave",),
    tasks_per_variant=25,
    max_steps=40,
    tags=("conflict", "noise"),
    stale_oracle=stale_oracle,
    footprint=Footprint(
        owns=(Own("todo.items", ids=("todo_next",)), Own("calendar.entries", ids=("cal_next",))),
        channels=("channel", "boss_channel"),
        parties=("boss",),
    ),
)
