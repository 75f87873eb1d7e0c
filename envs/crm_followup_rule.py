"""Reactive: catch up on the last working day's customer calls the way the person's own rule says.

The person's rule, written weeks ago in passing: log every customer call on its deal in the CRM by the
next working day and follow up a fixed number of working days after the call. It was amended later
through another channel (variant "note": the rule is a line in a running note, the change a chat reply
to the manager; variant "mail": an aside in a sent mail, the change a line in a later running note).
The calls are calendar entries of the last working day (customers, and colleagues' internal calls that
are not logged). Each customer call gets an activity on its account's deal and a follow-up (calendar
entry or to-do) on the date the rule in force gives, counted in working days (weekends skipped). At
levels 4-5 the follow-up is the second point of the manager's team mail, the person's own record of it (the
running note's line, or the sent mail's aside) says the manager's word on it goes, and the manager amends it
>= 30 / 60 days back in #sales by the mail's date only ("re my mail of 14 October: the second point is two, not
three"), among their same lines amending their other memos (``oblique.amend_memo``, issue 21, session 33), with
same-shaped "N working days" lines about other matters around; level 4 adds a thank-you mail to each customer,
level 5 a recap in the team channel.
"""

from __future__ import annotations

from typing import Any

from claw_gym import actions as A
from claw_gym import clock
from claw_gym.tasks import Ctx, Family, Grader, Scenario
from claw_gym.tasks import values as V
from claw_gym.tasks.footprint import Footprint, Own, field_in
from claw_gym.world import World

from .kit import checks, errands, oblique, plant, records, rules

ACCOUNTS = (
    ("Orchard Dental", "Mireille Dubois"),
    ("Helix Logistics", "Oskar Nyberg"),
    ("Sable Insurance", "Tomasz Wilk"),
    ("Quarry Media", "Noor Aziz"),
    ("Bluepeak Energy", "Felix Brandt"),
    ("Corvid Labs", "Luis Ortega"),
    ("Tidewater Hotels", "Priya Raman"),
    ("Northwind Foods", "Yara Haddad"),
)
DEALS = ("annual licence", "pilot", "renewal")  # the background's deal kinds
SAME_SHAPE = (
    "quotes go out within 5 working days of the request, no exceptions",
    "support escalations: answer within 1 working day",
    "invoice disputes get a reply within 2 working days",
    "trial extensions need my OK within 3 working days",
    "contract redlines back to legal within 4 working days",
)
WORDS = {2: "two", 3: "three", 4: "four"}
CHANNEL = "sales"


def working_days_after(t: int, n: int) -> int:
    """The day ``n`` working days after ``t``'s day (Saturdays and Sundays skipped), at midnight."""
    day = clock.day_start(t)
    while n > 0:
        day += clock.DAY
        if clock.weekday(day) < 5:
            n -= 1
    return day


def _previous_working_day(ctx: Ctx) -> int:
    d = -1
    while clock.weekday(ctx.at(d, 12)) >= 5:
        d -= 1
    return d


def _rule(ctx: Ctx, old: int, new: int, rule_t: int, amend_t: int) -> dict[str, str]:
    """The rule and its amendment, each through its own channel (the variant), worded without "follow-up",
    "customer call" or "CRM" (a search's first words); the note variant's amendment is a reply in a thread
    whose context says what it is about. At 4-5 a running note older than the rule says the obvious words
    ("customer calls", "follow-up") for a month's push long over: it does not apply. Returns the notes' ids."""
    notes: dict[str, str] = {}
    boss = ctx.persona.by_relation("manager")[0]
    me = ctx.persona.me
    line = (
        f"after I've had a client on the phone: it goes on their deal by the next working day, and I get back to "
        f"them {WORDS[old]} working days later"
    )
    if ctx.difficulty >= 4:  # the manager's team rule, amended by its date among their other memos (session 33)
        return {**notes, **_team_rule(ctx, boss, old, new, rule_t, amend_t, line)}
    if ctx.variant == "note":
        notes["rule_note"] = rules.running_note(ctx, rule_t, [line])
        plant.chat(
            ctx,
            amend_t - 17 * clock.MINUTE,
            CHANNEL,
            boss.name,
            "pipeline review: deals are cooling off between the first call and our next touch",
        )
        plant.chat(
            ctx,
            amend_t - 14 * clock.MINUTE,
            CHANNEL,
            boss.name,
            f"{me.first} could you bring yours forward to {WORDS[new]} working days?",
        )
        plant.chat(ctx, amend_t, CHANNEL, me.name, f"sure - {WORDS[new]} from now on")
    else:
        _routine_mail(ctx, rule_t, boss, WORDS[old])
        notes["rule_note"] = rules.running_note(
            ctx,
            amend_t,
            [f"getting back to clients after a phone chat: {WORDS[new]} working days now (three felt pushy)"],
        )
    return notes


def _routine_mail(ctx: Ctx, rule_t: int, boss: Any, days: str, aside: str = "") -> None:
    """The mail-variant rule: an aside in the person's sent reply to the manager (``aside`` ends its sentence)."""
    plant.mail_out(
        ctx,
        "workmail",
        rule_t,
        boss.email,
        "Re: pipeline hygiene",
        f"Hi {boss.first},\n\nagreed on the stages, I'll clean up the stale deals this week. For the "
        f"record, my routine: whenever I've had a client on the phone it goes on their deal by the next working "
        f"day, and I get back to them {days} working days later{aside}.\n\n{ctx.persona.me.first}",
    )


def _obvious(ctx: Ctx, rule_t: int, amend_t: int) -> dict[str, str]:
    """Levels 4-5: the obvious words for another person's matter (a colleague's demos) and a month's push long
    over (a running note older than the rule). The push note's id."""
    notes: dict[str, str] = {}
    if ctx.difficulty >= 4:
        other = ctx.pick(list(ctx.persona.by_relation("colleague")))
        plant.chat(
            ctx,
            min(rules.minute(ctx, amend_t + int(ctx.rng.integers(-10, 10)) * clock.DAY), ctx.now - clock.DAY),
            CHANNEL,
            other.name,
            "my rule for customer follow-ups after a demo: 5 working days, never earlier - works for me",
        )
        push_t = max(rules.minute(ctx, rule_t - int(ctx.rng.integers(3, 8)) * clock.DAY), ctx.now - 90 * clock.DAY)
        month = f"{clock.to_datetime(push_t):%B}"
        notes["push_note"] = rules.running_note(
            ctx,
            min(push_t, rule_t - clock.DAY),
            [
                f"{month} push only (ends with the month): customer calls go on the client's deal the same day, "
                "follow-up the next working day"
            ],
        )
    return notes


#: the manager's team rule at 4-5: numbered points, the second the follow-up (a memo of :mod:`oblique`'s shape)
TEAM_RULE = (
    "Client calls",
    (
        "Every call with a client goes on their deal in the CRM by the next working day.",
        "We get back to the client {n} working days after the call.",
        "Internal calls stay out of the CRM.",
    ),
)


def _team_rule(ctx: Ctx, boss: Any, old: int, new: int, rule_t: int, amend_t: int, line: str) -> dict[str, str]:
    """Levels 4-5: the manager's team mail sets the follow-up ("the second point"), the person's own record of it
    (a running note's line, or an aside in a sent mail) says the manager's word on it goes, and the manager
    amends it weeks later by the mail's date only ("re my mail of 14 October: the second point is two, not
    three"), in #sales among the same lines amending their other memos. The records' ids."""
    subject, points = TEAM_RULE
    memo_at = oblique.quiet_day(
        ctx, "workmail", boss.email, rules.minute(ctx, rule_t - int(ctx.rng.integers(2, 6)) * clock.DAY)
    )
    while clock.weekday(memo_at) >= 5:
        memo_at = oblique.quiet_day(ctx, "workmail", boss.email, memo_at - clock.DAY)
    memo = oblique.memo(
        ctx, "workmail", memo_at, boss.email, boss.name, subject, [p.format(n=WORDS[old]) for p in points]
    )
    say = f"that's {boss.name}'s team rule, so if they change it, theirs goes"
    notes: dict[str, str] = {"memo": str(memo["id"])}
    if ctx.variant == "note":
        notes["rule_note"] = rules.running_note(ctx, rule_t, [f"{line} ({say})"])
    else:
        _routine_mail(ctx, rule_t, boss, WORDS[old], f" - {say}")
    notes["word"] = oblique.amend_memo(
        ctx,
        "workmail",
        boss.email,
        boss.name,
        memo_at,
        f"the second point is {WORDS[new]}, not {WORDS[old]}",
        amend_t,
        channel=CHANNEL,
        latest=ctx.now - clock.DAY,
    )
    return {**notes, **_obvious(ctx, rule_t, amend_t)}


def _decoys(ctx: Ctx, around: int) -> None:
    """Same-shaped "N working days" lines about other matters (the manager's chat lines, running notes)."""
    boss = ctx.persona.by_relation("manager")[0]
    for k, line in enumerate(ctx.sample(list(SAME_SHAPE), max(1, rules.candidates(ctx)))):
        t = min(rules.minute(ctx, around + int(ctx.rng.integers(-14, 15)) * clock.DAY), ctx.now - clock.DAY)
        if k % 2:
            rules.running_note(ctx, t, [line])
        else:
            plant.chat(ctx, t, CHANNEL, boss.name, line)


def generate(ctx: Ctx) -> Scenario:
    old = 3
    new = 2 if ctx.variant == "note" else 4
    amend_back = rules.age(ctx, 5, 20)
    rule_t = rules.minute(ctx, ctx.now - amend_back - int(ctx.rng.integers(8, 12)) * clock.DAY)
    amend_t = rules.minute(ctx, ctx.now - amend_back)
    notes = _rule(ctx, old, new, rule_t, amend_t)
    _decoys(ctx, amend_t)
    n_calls = 2 + (ctx.difficulty >= 3) + (ctx.difficulty >= 5)
    accounts = ctx.sample(list(ACCOUNTS), n_calls + 2)
    deals = []
    for account, contact in accounts:
        email = f"{contact.split()[0].lower()}.{contact.split()[1].lower()}@{account.split()[0].lower()}.example"
        d = plant.deal(
            ctx,
            errands.office_hours(ctx, ctx.now - int(ctx.rng.integers(30, 85)) * clock.DAY),
            account,
            f"{account} - {ctx.pick(list(DEALS))}",
            ctx.pick(["qualified", "proposal", "negotiation"]),
            float(int(ctx.rng.integers(8, 90)) * 1000),
            contact,
            ctx.now + int(ctx.rng.integers(10, 60)) * clock.DAY,
            "Send revised proposal",
        )
        deals.append(
            {"deal": d["id"], "account": account, "contact": contact, "email": email, "next_step": d["next_step"]}
        )
    day = _previous_working_day(ctx)
    slots = sorted(ctx.sample([(9, 40), (10, 5), (11, 20), (13, 45), (14, 30), (15, 50), (16, 35)], n_calls + 2))
    calls = []
    for k, c in enumerate(deals[:n_calls]):
        h, m = slots[k]
        t = ctx.at(day, h, m)
        plant.calendar(
            ctx,
            rules.minute(ctx, t - int(ctx.rng.integers(2, 10)) * clock.DAY),
            f"Call with {c['contact']} ({c['account']})",
            t,
            t + 30 * clock.MINUTE,
            location="Phone",
            attendees=[c["email"]],
        )
        calls.append(
            {
                **c,
                "time": t,
                "due": clock.fmt_date(working_days_after(t, new)),
                "stale": clock.fmt_date(working_days_after(t, old)),
            }
        )
    team = ctx.persona.by_relation("colleague")
    for k in range(1 + ctx.difficulty // 3):  # internal calls: not customers, nothing to log
        p = team[k % len(team)]
        h, m = slots[n_calls + k] if n_calls + k < len(slots) else (17, 10)
        t = ctx.at(day, h, m)
        created = rules.minute(ctx, t - int(ctx.rng.integers(2, 10)) * clock.DAY)
        plant.calendar(
            ctx, created, f"Call with {p.name}", t, t + 20 * clock.MINUTE, location="Phone", attendees=[p.email]
        )
    level = ctx.difficulty
    instruction = "Could you catch up on yesterday's customer calls the way I always handle them?"
    if clock.weekday(ctx.now) == 0:
        instruction = "Could you catch up on Friday's customer calls the way I always handle them?"
    if level >= 4:
        instruction += " And send each of those customers a short thank-you mail."
    if level >= 5:
        instruction += f" Then post a one-line recap per call in #{CHANNEL}."
    return Scenario(
        instruction,
        {
            "depth": {"at": amend_t, "candidates": 1 + max(1, rules.candidates(ctx))},  # among "N working days" lines
            "calls": calls,
            **notes,
            "others": [d["deal"] for d in deals[n_calls:]],
            "days": new,
            "old_days": old,
            "level": level,
            "channel": CHANNEL,
            "start": ctx.now,
            "deals": [c["deal"] for c in calls],
            "emails": [c["email"] for c in calls],
            "before": records.ids_now(ctx, ("calendar", "entries"), ("todo", "items")),
        },
    )


def _followups(world: World, f: dict[str, Any], c: dict[str, Any]) -> list[tuple[str, str]]:
    """The agent's follow-ups for one customer, any kind: (day, what) of calendar entries naming them or inviting
    them, and to-dos naming them with a due date."""
    names = (c["account"].lower(), c["contact"].lower(), c["contact"].split()[0].lower())
    out = []
    for r in records.agent_rows(world, "calendar", "entries", f["before"]["calendar.entries"]):
        text = (r["title"] + " " + r.get("notes", "")).lower()
        if any(n in text for n in names) or c["email"] in [a.lower() for a in r.get("attendees", [])]:
            out.append((clock.fmt_date(r["start"]), f"calendar {r['title']!r}"))
    for r in records.agent_rows(world, "todo", "items", f["before"]["todo.items"]):
        if r["due"] is not None and any(n in (r["title"] + " " + r["notes"]).lower() for n in names):
            out.append((clock.fmt_date(r["due"]), f"to-do {r['title']!r}"))
    deal = world.services["crm"].table("deals").get(c["deal"])
    if deal is not None and deal["next_step"] != c["next_step"]:  # the deal's next step, dated
        out += [(d, f"next step {deal['next_step']!r}") for d in V.date_values(deal["next_step"], f["start"])]
    return out


def check(world: World, f: dict[str, Any], g: Grader) -> None:
    rule = (
        f"the person's rule: every customer call into the CRM by the next working day, follow-up after "
        f"{f['old_days']} working days, later changed to {f['days']}"
    )
    acts = [a for a in world.services["crm"].table("activities").values() if a["time"] >= f["start"]]
    for c in f["calls"]:
        mine = [a for a in acts if a["deal"] == c["deal"]]
        g.expect(
            f"the call with {c['contact']} is logged on the {c['account']} deal",
            bool(mine),
            f"{len(mine)} new activities on {c['deal']}",
            because=f"{rule}; the calendar holds the call",
        )
        ups = _followups(world, f, c)
        days = sorted({d for d, _ in ups})
        g.expect(
            f"a follow-up with {c['contact']} on {c['due']} (and on no other day)",
            days == [c["due"]],
            "; ".join(f"{w} on {d}" for d, w in ups) or "no follow-up",
            because=f"{rule}; {f['days']} working days after {clock.fmt(c['time'])}, weekends skipped",
        )
    wrong = sorted({a["deal"] for a in acts if a["deal"] in f["others"]})
    g.expect(
        "no other deal got an activity",
        not wrong,
        ", ".join(wrong) or "none",
        because="only the calls in the calendar happened; other accounts had none",
    )
    if f["level"] >= 4:
        for c in f["calls"]:
            sent = checks.sent_to(world, c["email"], after=f["start"])
            g.expect(
                f"{c['contact']} got a thank-you mail",
                bool(sent),
                f"{len(sent)} mails to {c['email']}",
                because="the instruction asks for a short thank-you mail to each customer called",
            )
    if f["level"] >= 5:
        me = world.persona.me.name if world.persona else "me"
        posts = [
            m["text"].lower()
            for m in world.services["chat"].table("messages").values()
            if m["channel"] == f["channel"] and m["sender"] == me and m["time"] >= f["start"]
        ]
        text = " ".join(posts)
        missing = [c["account"] for c in f["calls"] if c["account"].lower() not in text]
        g.expect(
            f"#{f['channel']} has a recap naming every call's account",
            bool(posts) and not missing,
            f"{len(posts)} posts; missing {', '.join(missing) or 'nothing'}",
            because=f"the instruction asks for a one-line recap per call in #{f['channel']}",
        )


def oracle(world: World, f: dict[str, Any]) -> list[str]:
    calls = f["calls"]
    day = clock.fmt_date(calls[0]["time"])
    steps = [
        A.api("calendar.list_events", start=day, end=clock.fmt_date(clock.day_start(calls[0]["time"]) + clock.DAY)),
        A.api("notes.list", query="working days"),
        A.api("chat.history", channel=f["channel"], limit=40),
        A.api("workmail.search", query="working days"),
    ]
    for c in calls:
        steps += [
            A.api("crm.list_deals", query=c["account"].split()[0]),
            A.api("crm.log_activity", deal_id=c["deal"], text=f"Call with {c['contact']} on {day}."),
            A.api(
                "calendar.create_event",
                title=f"Follow up: {c['contact']} ({c['account']})",
                start=f"{c['due']} 10:00",
                end=f"{c['due']} 10:15",
            ),
        ]
        if f["level"] >= 4:
            steps.append(
                A.api(
                    "workmail.send",
                    to=[c["email"]],
                    subject="Thanks for the call",
                    body=f"Hi {c['contact'].split()[0]},\n\nthanks for taking the time yesterday. I'll be in touch "
                    "soon.\n\nBest regards",
                )
            )
    if f["level"] >= 5:
        recap = " | ".join(f"{c['account']}: call with {c['contact']}, follow-up {c['due']}" for c in calls)
        steps.append(A.api("chat.post", channel=f["channel"], text=recap))
    return [*steps, A.finish("Logged the calls and booked the follow-ups.")]


def stale_oracle(world: World, f: dict[str, Any]) -> list[str]:
    """The first rule only: follow-ups after the old number of working days."""
    return oracle(world, {**f, "calls": [{**c, "due": c["stale"]} for c in f["calls"]]})


FAMILY = Family(
    name="crm-followup-rule",
    kind="reactive",
    services=("crm", "calendar", "notes", "chat", "workmail", "todo", "contacts"),
    summary="Each customer call of the last working day (calendar) is logged on its account's deal and gets one "
    "follow-up (calendar entry, to-do or the deal's dated next step) on the day the person's amended rule gives, "
    "in working days; internal calls and other deals are left alone; top levels mail each customer and post a recap.",
    generate=generate,
    check=check,
    oracle=oracle,
    stale_oracle=stale_oracle,
    variants=("note", "mail"),
    tasks_per_variant=15,
    count=30,
    max_steps=60,
    tags=("conflict",),
    footprint=Footprint(
        owns=(Own("crm.activities", where=field_in("deal", "deals"), new=True), Own("crm.deals", ids=("deals",))),
        parties=("emails",),
        channels=("channel",),
    ),
)
