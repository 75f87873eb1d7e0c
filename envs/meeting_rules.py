"""Reactive: book the meetings people asked for by mail, within the person's own scheduling rules.

The rules are lines in a running note written weeks ago, among errands: not before a start time, a gap
between meetings, nothing after lunch on Fridays, done by the end of the afternoon. One was amended
later through another channel: the start moved later (variant "start": a chat line of the person's own)
or the gap grew (variant "gap": an aside in a sent mail). Two to four mails ask for a meeting of a
given length on a given day; each gets a calendar entry inviting the requester on that day, of that
length, inside the rules in force and clear of every other entry by the gap. The first request's day is
crowded so that the earliest slot under the old rule breaks the new one. At levels 4-5 the amendment sits
>= 30 / 60 days back among same-shaped running notes; level 4 replies to each requester with the time,
level 5 also logs the customer's meeting on their CRM deal and adds a preparation to-do the day before.
Since session 33, at 4-5 the person's own "from now on" change is not the last word: a line of the rules note
says a team assistant keeps the diary and has the last word on these rules, and that keeper's word days later,
in their DM with the person, sets a stricter rule naming the note only by its date ("re your list of 14
February: the earliest is 11:00 now"), among their same-shaped lines about other matters (:mod:`.kit.oblique`);
no other running list was written that day. At 5 the note also says the keeper wants the time of every meeting
the person books (checked: a mail or a DM naming each booked start).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from claw_gym import actions as A
from claw_gym import clock
from claw_gym.persona import Person
from claw_gym.tasks import Ctx, Family, Grader, Scenario
from claw_gym.tasks.footprint import Footprint, Own, field_in
from claw_gym.tasks.outbound import outbound
from claw_gym.world import World

from .kit import checks, notation, oblique, plant, records, rules

#: lines of other notes with the rule's words (meetings, times, Fridays): what a keyword search also finds
NEAR = (
    "book a room for the offsite planning meetings, Friday mornings are easiest",
    "the gym's Tuesday class starts at 18:30 now, no more meetings after 18:00 that day",
    "ask whether the parents' evening at school can be before 10:00",
    "dentist: they only do Friday mornings, first slot 9:15",
)
TOPICS = ("the roadmap", "the Q3 budget", "the hiring plan", "the vendor shortlist", "the launch checklist")
CUSTOMERS = (("Orchard Dental", "Mireille Dubois"), ("Helix Logistics", "Oskar Nyberg"), ("Quarry Media", "Noor Aziz"))
SUBJECTS = ("Time on {day}?", "Catch-up {day}?", "Quick meeting {day}", "{day} - do you have a slot?")
ASK = (
    "Hi {me},\n\ncould we find {mins} minutes on {day} to go through {topic}? Whatever time suits you.\n\n{who}",
    "Hi {me},\n\nI'd like {mins} minutes with you on {day} about {topic}. Send me an invite for any time that "
    "works.\n\nThanks,\n{who}",
)


@dataclass(frozen=True)
class Rules:
    """The person's scheduling rules, in minutes from midnight (``gap`` in minutes)."""

    start: int
    gap: int
    friday_end: int = 12 * 60 + 30
    end: int = 17 * 60 + 30

    def lines(self) -> list[str]:
        return [
            f"no meetings before {_hm(self.start)}, mornings are for the school run",
            f"keep {self.gap} minutes between meetings",
            f"nothing after lunch on Fridays (done by {_hm(self.friday_end)})",
            f"meetings done by {_hm(self.end)}",
        ]

    def window(self, day: int) -> tuple[int, int]:
        last = self.friday_end if clock.weekday(day) == 4 else self.end
        return day + self.start * clock.MINUTE, day + last * clock.MINUTE

    def legal(self, s: int, e: int, busy: list[dict]) -> list[str]:
        """Why [s, e) breaks the rules against ``busy`` entries (empty: it keeps them)."""
        lo, hi = self.window(clock.day_start(s))
        why = [] if lo <= s and e <= hi else [f"outside {notation.hhmm(lo)}-{notation.hhmm(hi)}"]
        g = self.gap * clock.MINUTE
        why += [f"within {self.gap} min of {b['title']!r}" for b in busy if b["start"] < e + g and b["end"] + g > s]
        return why


def _hm(minutes: int) -> str:
    return f"{minutes // 60}:{minutes % 60:02d}"


def first_slot(r: Rules, day: int, mins: int, busy: list[dict]) -> int | None:
    """The earliest start (5-minute steps) on ``day`` that keeps the rules, or None."""
    lo, hi = r.window(day)
    t = lo
    while t + mins * clock.MINUTE <= hi:
        if not r.legal(t, t + mins * clock.MINUTE, busy):
            return t
        t += 5 * clock.MINUTE
    return None


def _rules(ctx: Ctx) -> tuple[Rules, Rules]:
    if ctx.variant == "start":
        return Rules(start=9 * 60 + 30, gap=15), Rules(start=10 * 60 + 30, gap=15)
    return Rules(start=10 * 60, gap=10), Rules(start=10 * 60, gap=30)


def _kept(ctx: Ctx) -> Rules:
    """Difficulty 4-5 (session 33): the diary keeper's later word, stricter than the person's own change."""
    if ctx.variant == "start":
        return Rules(start=11 * 60, gap=15)
    return Rules(start=10 * 60, gap=45)


#: difficulty 4-5: the rules note's line naming who keeps the diary (at 5 with what they want to hear)
KEEPS = "{name} keeps my diary and has the last word on my meeting rules"
TELL = ", and wants the time of every meeting I book"
#: difficulty 4-5: the keeper's word on the person's list, by its date only (no rule's words)
KEPT = {
    "start": "the earliest is {start} now, the car-share moved",
    "gap": "make it {gap} clear either side, half an hour isn't enough",
}


def _decoy(ctx: Ctx, new: Rules) -> Rules:
    """Another person's rule with the same words, looser than the person's own: applying it breaks theirs."""
    return Rules(start=10 * 60, gap=new.gap) if ctx.variant == "start" else Rules(start=new.start, gap=15)


def _plant_rules(
    ctx: Ctx, old: Rules, new: Rules, other: Person | None, keeper: dict[str, Any], kept: Rules
) -> tuple[int, int]:
    """The rules note (among same-shaped running notes), the later amendment through another channel and, at
    levels 4-5, ``other``'s own rule in the same words a few days after it; at 4-5 (session 33) the note also names
    the diary ``keeper``, whose word some days after the person's own change sets ``kept`` (see
    :func:`_keeper_word`). Returns the person's own amendment's time and the deciding record's."""
    amend_back = rules.age(ctx, 5, 20)
    rule_t = rules.minute(ctx, ctx.now - amend_back - int(ctx.rng.integers(8, 12)) * clock.DAY)
    amend_t = plant.jitter(ctx, rules.minute(ctx, ctx.now - amend_back), 2)
    lines, kept_t = old.lines(), amend_t
    avoid: tuple[int, ...] = ()
    if keeper:  # the keeper's word is the deep one; the person's own change comes days before it
        kept_t = amend_t
        amend_t = plant.jitter(ctx, rules.minute(ctx, kept_t - int(ctx.rng.integers(3, 7)) * clock.DAY), 2)
        rule_t = _list_day(ctx, rule_t)
        lines = [*lines, KEEPS.format(name=keeper["keeper"]) + (TELL if ctx.difficulty >= 5 else "")]
        avoid = (clock.day_start(rule_t),)
    keeper_note = rules.running_note(ctx, rule_t, lines)
    rules.decoy_notes(ctx, rule_t, rules.candidates(ctx), spread_days=10, near=NEAR, avoid=avoid)
    if keeper:
        keeper["rule_note"] = keeper_note
        keeper["keeper_msg"] = _keeper_word(ctx, keeper, rule_t, kept_t, kept)
        keeper["keeper_at"] = ctx.svc("chat").table("messages")[keeper["keeper_msg"]]["time"]
    me = ctx.persona.me
    later = plant.jitter(ctx, amend_t + int(ctx.rng.integers(3, 9)) * clock.DAY, 20)
    if ctx.variant == "start":
        p = ctx.person("colleague")
        asked = plant.jitter(ctx, amend_t - 9 * clock.MINUTE, 2)
        plant.chat(ctx, asked, "general", p.name, f"{me.first}, does 9:45 still work for the weekly check-in?")
        plant.chat(
            ctx,
            amend_t,
            "general",
            me.name,
            f"from now on nothing before {_hm(new.start)} for me, the school run changed - can we do 11?",
        )
        if other is not None:
            plant.chat(
                ctx,
                later,
                "general",
                other.name,
                f"heads-up: from now on nothing before {_hm(_decoy(ctx, new).start)} for me, new train times",
            )
    else:
        boss = ctx.persona.by_relation("manager")[0]
        plant.mail_out(
            ctx,
            "workmail",
            amend_t,
            boss.email,
            "Re: team offsite",
            f"Hi {boss.first},\n\nthe offsite dates work for me. Unrelated: back-to-backs are killing me, so from "
            f"now on I leave {new.gap} minutes free before and after anything in my diary.\n\n{me.first}",
        )
        if other is not None:
            plant.mail_in(
                ctx,
                "workmail",
                later,
                other.email,
                "Re: team offsite",
                f"Hi {me.first},\n\nsounds good. Same here, by the way: from now on I leave "
                f"{_decoy(ctx, new).gap} minutes free before and after anything in my diary, it helps.\n\n"
                f"{other.first}",
            )
    return amend_t, (keeper["keeper_at"] if keeper else amend_t)


def _list_day(ctx: Ctx, t: int) -> int:
    """``t`` moved back a day at a time until no running list (a note of "- " lines) was written that day: "your
    list of 14 February" then means one note."""
    days = {clock.day_start(n["updated"]) for n in ctx.svc("notes").table("notes").values() if "\n- " in n["body"]}
    while clock.day_start(t) in days:
        t -= clock.DAY
    return t


def _keeper_word(ctx: Ctx, keeper: dict[str, Any], rule_t: int, t: int, kept: Rules) -> str:
    """The diary keeper's word in their DM with the person, at a working-hours moment of ``t``'s working day: "re
    your list of 14 February: <the stricter rule>", naming neither meetings nor the rule's words, among their
    same-shaped lines about other matters (:func:`.kit.oblique.word_in_dm`). The line's id."""
    t = oblique.working(ctx, t)
    said = KEPT[ctx.variant].format(start=_hm(kept.start), gap=kept.gap)
    line = f"re your list of {oblique.day_month(rule_t)}: {said}"
    keeper["keeper_line"] = line
    refer = oblique.came_in(ctx.now)
    return oblique.word_in_dm(ctx, keeper["keeper"], keeper["keeper"], t, line, refer, pool=oblique.PLAIN)


def _crowd(ctx: Ctx, day: int, old: Rules, new: Rules, mins: int) -> list[dict]:
    """Meetings (not yet planted) on the first request's day that make the old rule's earliest slot break
    the new one."""
    team = [p.email for p in ctx.persona.by_relation("colleague")[:3]]
    if ctx.variant == "start":
        t = day + new.start * clock.MINUTE + (mins + 45) * clock.MINUTE
        return [dict(title="Design review", start=t, end=t + 50 * clock.MINUTE, location="Room 3.01", attendees=team)]
    t = day + old.start * clock.MINUTE
    t2 = t + (40 + old.gap + mins + old.gap) * clock.MINUTE
    return [
        dict(title="Vendor call", start=t, end=t + 40 * clock.MINUTE, location="Video call", attendees=team[:1]),
        dict(title="Budget check-in", start=t2, end=t2 + 45 * clock.MINUTE, location="Room 2.14", attendees=team[1:]),
    ]


def _pick_day(
    ctx: Ctx, k: int, mins: int, wrong: list[Rules], new: Rules, used: set[int], *, friday: bool
) -> int | None:
    """A weekday 2-13 days out with a legal slot (a Friday if ``friday``). The first request's day is crowded
    so that the earliest slot under every ``wrong`` rule (the old one, another person's) breaks the new one."""
    for off in ctx.rng.permutation(12).tolist():
        day = ctx.at(2 + int(off), 0)
        if clock.weekday(day) >= 5 or day in used or friday != (clock.weekday(day) == 4):
            continue
        if k > 0:
            if first_slot(new, day, mins, checks.calendar_rows(ctx.world, with_pending=True)) is not None:
                return day
            continue
        crowd = _crowd(ctx, day, wrong[0], new, mins)
        busy = checks.calendar_rows(ctx.world, with_pending=True) + crowd
        if first_slot(new, day, mins, busy) is None:
            continue
        slots = [first_slot(w, day, mins, busy) for w in wrong]
        if all(s is not None and new.legal(s, s + mins * clock.MINUTE, busy) for s in slots):
            for c in crowd:
                booked = plant.jitter(ctx, ctx.now - int(ctx.rng.integers(2, 9)) * clock.DAY, 120)
                plant.calendar(
                    ctx, booked, c["title"], c["start"], c["end"], location=c["location"], attendees=c["attendees"]
                )
            return day
    return None


def generate(ctx: Ctx) -> Scenario:
    old, new = _rules(ctx)
    persona, level = ctx.persona, ctx.difficulty
    n = 2 + (level >= 3) + (level >= 5)
    colleagues = ctx.sample(persona.by_relation("colleague"), n + 1)
    people, other = colleagues[:n], (colleagues[n] if level >= 4 else None)
    keeper: dict[str, Any] = {"keeper_mail": None, "keeper_dm": None}  # the footprint's keys at every level
    own = new
    if level >= 4:  # the diary keeper's word sets the rules in force; the person's own change is older
        keeper |= oblique.diary_keeper(ctx, avoid=[p.name for p in colleagues])
        keeper.pop("signature")  # the rules note names them instead (KEEPS)
        new = _kept(ctx)
    amend_t, deciding_t = _plant_rules(ctx, old, own, other, keeper if level >= 4 else {}, new)
    decoys = [_decoy(ctx, new)] if other is not None else []
    wrong = [old] + ([own] if own != new else []) + decoys
    requests: list[dict[str, Any]] = []
    used: set[int] = set()
    for k in range(n):
        mins = int(ctx.pick([30, 45, 60]))
        if k == n - 1 and level >= 5:
            account, name = ctx.pick(list(CUSTOMERS))
            email = f"{name.split()[0].lower()}.{name.split()[1].lower()}@{account.split()[0].lower()}.example"
            who = {"name": name, "first": name.split()[0], "email": email, "account": account}
        else:
            p = people[k]
            who = {"name": p.name, "first": p.first, "email": p.email, "account": ""}
        day = _pick_day(ctx, k, mins, wrong, new, used, friday=level >= 3 and k == 1)
        if day is None:
            day = _pick_day(ctx, k, mins, wrong, new, used, friday=False)
        assert day is not None, "no day with a slot in the next two weeks"  # never seen: mornings stay free
        used.add(day)
        d = clock.to_datetime(day)
        t = plant.jitter(
            ctx,
            clock.day_start(ctx.now)
            - clock.DAY
            + (9 + 3 * k) * clock.HOUR
            + int(ctx.rng.integers(0, 170)) * clock.MINUTE,
            10,
        )
        body = ctx.pick(list(ASK)).format(
            me=persona.me.first, mins=mins, day=f"{d:%A} {d.day} {d:%B}", topic=ctx.pick(list(TOPICS)), who=who["first"]
        )
        subject = ctx.pick(list(SUBJECTS)).format(day=f"{d:%A}")
        mail = plant.mail_in(ctx, "workmail", t, who["email"], subject, body, who=who["name"])
        requests.append({**who, "mins": mins, "day": clock.fmt_date(day), "mail": mail["id"]})
    deal = ""
    if level >= 5:
        c = requests[-1]
        opened = plant.jitter(ctx, ctx.now - int(ctx.rng.integers(20, 40)) * clock.DAY + 11 * clock.HOUR, 90)
        deal = plant.deal(
            ctx,
            opened,
            c["account"],
            f"{c['account']} - renewal",
            "negotiation",
            24000.0,
            c["name"],
            ctx.now + 40 * clock.DAY,
            "Send revised proposal",
        )["id"]
    instruction = "A few people asked me for meetings in my work mail. Please put them in my calendar and invite them."
    if level >= 4:
        instruction += " Reply to each of them with the time, too."
    if level >= 5:
        instruction += (
            " Log the customer meeting on their deal in the CRM and give me a to-do the day before each one to prepare."
        )
    return Scenario(
        instruction,
        {
            # the rules note among running notes; at 4-5 the keeper's word is the deep deciding record
            "depth": {"at": deciding_t, "candidates": 1 + rules.candidates(ctx)},
            "own_at": amend_t,
            "own_rules": [own.start, own.gap, own.friday_end, own.end],
            **keeper,
            "requests": requests,
            "rules": [new.start, new.gap, new.friday_end, new.end],
            "old_rules": [old.start, old.gap, old.friday_end, old.end],
            "decoy_rules": [[w.start, w.gap, w.friday_end, w.end] for w in decoys],
            "decoy_person": other.name if other is not None else "",
            "level": level,
            "start": ctx.now,
            "deal": deal,
            "invitees": [r["email"] for r in requests],
            "before": records.ids_now(ctx, ("calendar", "entries"), ("todo", "items")),
        },
    )


def _as_rules(v: list[int]) -> Rules:
    return Rules(start=v[0], gap=v[1], friday_end=v[2], end=v[3])


def check(world: World, f: dict[str, Any], g: Grader) -> None:
    r = _as_rules(f["rules"])
    why = f"the person's running note gives the scheduling rules ({'; '.join(_as_rules(f['old_rules']).lines())}); " + (
        "a later chat line of theirs moved the start"
        if f["old_rules"][0] != r.start
        else "a later mail of theirs widened the gap"
    )
    if f.get("keeper"):
        why += (
            f"; the note says {f['keeper']} keeps the diary and has the last word on these rules, and their later "
            f"word in your DM on the list of that date ('{f['keeper_line']}') sets them"
        )
    mine = records.agent_rows(world, "calendar", "entries", f["before"]["calendar.entries"])
    # entries that arrived through the timeline during the episode were not there to avoid when booking
    late = {
        e.record["id"]
        for e in world.timeline.history
        if e.service == "calendar" and e.table == "entries" and e.record and e.time > f["start"]
    }
    every = [e for e in world.services["calendar"].table("entries").values() if e["id"] not in late]
    for q in f["requests"]:
        rows = [e for e in mine if q["email"].lower() in [a.lower() for a in e.get("attendees", [])]]
        day = clock.parse_time(q["day"])
        bad = []
        for e in rows:
            if clock.day_start(e["start"]) != day:
                bad.append(f"{clock.fmt(e['start'])} is not on {q['day']}")
            elif e["end"] - e["start"] != q["mins"] * clock.MINUTE:
                bad.append(f"{clock.fmt(e['start'])} lasts {(e['end'] - e['start']) // 60} min")
            else:
                bad += [
                    f"{clock.fmt(e['start'])}: {w}"
                    for w in r.legal(e["start"], e["end"], [b for b in every if b["id"] != e["id"]])
                ]
        g.expect(
            f"{q['name']} invited to {q['mins']} min on {q['day']} inside the rules",
            len(rows) == 1 and not bad,
            f"{len(rows)} entries inviting them" + (f"; {'; '.join(bad)}" if bad else ""),
            because=f"{q['name']}'s mail asks for {q['mins']} minutes that day; {why}",
        )
    if f["level"] >= 4:
        for q in f["requests"]:
            ent = [e for e in mine if q["email"].lower() in [a.lower() for a in e.get("attendees", [])]]
            want = {notation.hhmm(e["start"]) for e in ent}
            sent = checks.sent_to(world, q["email"], after=f["start"])
            ok = [m for m in sent if want and notation.times_in(m["body"]) & want]
            g.expect(
                f"{q['name']} got a reply with the time",
                bool(ok),
                f"{len(sent)} mails to {q['email']}, {len(ok)} naming {', '.join(sorted(want)) or 'no booked time'}",
                because="the instruction asks to reply to each of them with the time",
            )
    if f["level"] >= 5 and f.get("keeper"):
        _check_keeper(world, f, g, mine)
    if f["level"] >= 5:
        acts = [
            a
            for a in world.services["crm"].table("activities").values()
            if a["deal"] == f["deal"] and a["time"] >= f["start"]
        ]
        g.expect(
            "the customer meeting is logged on their deal",
            bool(acts),
            f"{len(acts)} new activities on {f['deal']}",
            because="the instruction asks to log the customer meeting on their CRM deal",
        )
        todos = records.agent_rows(world, "todo", "items", f["before"]["todo.items"])
        for q in f["requests"]:
            eve = clock.fmt_date(clock.parse_time(q["day"]) - clock.DAY)
            due = [t for t in todos if t["due"] is not None and clock.fmt_date(t["due"]) == eve]
            g.expect(
                f"a preparation to-do due {eve} (the day before the meeting with {q['first']})",
                bool(due),
                f"to-dos due that day: {', '.join(repr(t['title']) for t in due) or 'none'}",
                because="the instruction asks for a to-do the day before each meeting",
            )


def _check_keeper(world: World, f: dict[str, Any], g: Grader, mine: list[dict]) -> None:
    """Difficulty 5: the diary keeper got the time of every meeting booked (a mail or a post in their DM)."""
    sent = [m.text for m in outbound(world, f["start"]) if f["keeper_mail"] in [r.lower() for r in m.to]]
    sent += [m.text for m in outbound(world, f["start"]) if m.door == "chat.post" and m.to == (f"#{f['keeper_dm']}",)]
    told = set().union(*(notation.times_in(t) for t in sent)) if sent else set()
    invited = {q["email"].lower() for q in f["requests"]}
    booked = {notation.hhmm(e["start"]) for e in mine if invited & {a.lower() for a in e.get("attendees", [])}}
    g.expect(
        f"{f['keeper']} got the time of every meeting booked",
        bool(booked) and booked <= told,
        f"{len(sent)} messages to them naming {', '.join(sorted(told)) or 'no time'}; booked "
        f"{', '.join(sorted(booked)) or 'nothing'}",
        because=f"the rules note says {f['keeper']} wants the time of every meeting the person books",
    )


def _plan(world: World, f: dict[str, Any], r: Rules) -> list[tuple[dict[str, Any], int]]:
    busy = checks.calendar_rows(world, with_pending=True)
    out = []
    for q in f["requests"]:
        s = first_slot(r, clock.parse_time(q["day"]), q["mins"], busy)
        assert s is not None, q
        out.append((q, s))
        busy.append({"title": "new", "start": s, "end": s + q["mins"] * clock.MINUTE})
    return out


def _solve(world: World, f: dict[str, Any], r: Rules) -> list[str]:
    steps = [
        A.api("workmail.list", unread_only=True, limit=20),
        A.api("notes.list", query="meetings"),
        A.api("chat.history", channel="general", limit=30),
        A.api("workmail.search", query="from now on"),
    ]
    for q, s in _plan(world, f, r):
        e = s + q["mins"] * clock.MINUTE
        steps += [
            A.api("workmail.get", id=q["mail"]),
            A.api("calendar.list_events", start=q["day"], end=clock.fmt_date(clock.parse_time(q["day"]) + clock.DAY)),
            A.api(
                "calendar.create_event",
                title=f"Meeting with {q['first']}",
                start=clock.fmt(s),
                end=clock.fmt(e),
                attendees=[q["email"]],
            ),
        ]
        if f["level"] >= 4:
            steps.append(
                A.api(
                    "workmail.reply",
                    id=q["mail"],
                    body=f"Booked {notation.day_text(s)} at {notation.hhmm(s)}, invite sent.",
                )
            )
        if f["level"] >= 5:
            eve = clock.fmt_date(clock.parse_time(q["day"]) - clock.DAY)
            steps.append(A.api("todo.add_task", title=f"Prepare for the meeting with {q['first']}", due=f"{eve} 16:00"))
            if q["account"]:
                steps.append(A.api("crm.log_activity", deal_id=f["deal"], text=f"Meeting booked {clock.fmt(s)}."))
    if f["level"] >= 5 and f.get("keeper"):
        times = ", ".join(f"{q['first']} {notation.day_text(s)} {notation.hhmm(s)}" for q, s in _plan(world, f, r))
        steps.append(A.api("chat.post", channel=f["keeper_dm"], text=f"Booked: {times}."))
    return [*steps, A.finish("Booked every meeting inside your rules and invited them.")]


def oracle(world: World, f: dict[str, Any]) -> list[str]:
    return _solve(world, f, _as_rules(f["rules"]))


def stale_oracle(world: World, f: dict[str, Any]) -> list[str]:
    """The note's rules without the later change: the first request lands in a slot the change rules out."""
    return _solve(world, f, _as_rules(f["old_rules"]))


FAMILY = Family(
    name="meeting-rules",
    kind="reactive",
    services=("calendar", "workmail", "notes", "chat", "crm", "todo", "contacts"),
    summary="Each meeting asked for by mail is one calendar entry inviting the requester, on the asked day, of the "
    "asked length, inside the person's scheduling rules as amended later (start time, gap to every other entry, "
    "Fridays, end of day; at 4-5 the diary keeper's later word sets them); top levels reply with the time, log "
    "the customer's meeting in the CRM and add preparation to-dos the day before, and at 5 the keeper gets every "
    "booked time.",
    generate=generate,
    check=check,
    oracle=oracle,
    stale_oracle=stale_oracle,
    variants=("start", "gap"),
    tasks_per_variant=15,
    count=30,
    max_steps=60,
    tags=("conflict",),
    footprint=Footprint(
        owns=(Own("crm.activities", where=field_in("deal", "deal"), new=True),),
        parties=("invitees", "keeper_mail"),
        channels=("keeper_dm",),
    ),
)
