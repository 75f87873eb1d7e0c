"""A customer's missed call on the phone -> call back, log it on their CRM deal, write call notes.

Cross-device: only the phone knows who called (the caller is saved on the phone only,
as "Name (Account)"; the synced address book does not have them). The laptop holds the
CRM (`claw crm ...`) and the call-notes template in ~/Documents/templates. The agent
calls back from the phone, logs the callback on that account's deal and saves a filled
copy of the template in ~/Documents/calls. Distractors grow with difficulty: missed calls
from friends, an unknown number, other deals (one with the same contact first name). At
difficulty 4-5 the caller's account has three deals of the same shape, each with its own
contact: the callback belongs on the one whose contact is the caller, not on the account's
first or biggest deal.

At difficulty 4-5 the phone knows the caller by first name only, and three or four customers of
that first name have open deals at different accounts. Every one of them mailed, each signature with
a desk line; the number in the call log is in no signature. It texted days back (first name only,
no account, no deal): "did you look at what I sent on <day>?" - the caller's mail of that day, >= 30
/ 60 days back, names the account (the namesakes' mails are on other days of the same week or two). A
namesake texted the same words from a mobile the phone does not know, naming the day of their own mail: a
search for the first name finds both texts and every namesake's mail, and only the number that rang decides.
A work note (a line among unrelated ones, with a supplier-call decoy and an expired rule in other
notes) adds a goal the instruction points to ("the usual after-call bits"): a follow-up with the
customer two working days later, as a calendar entry or a to-do (three since session 32, below).

Session 32 (issue 21): at levels 4-5 the note's line names the manager's mail of a date that set these bits
(numbered points) and says the manager has the last word on them. Weeks later the manager amends that mail in
their DM by its date alone ("re my mail of 14 October: make the second point three working days ..."), among
their lines amending their other memos the same way (:func:`.kit.oblique.amend_memo`): the follow-up is three
working days on, and neither the caller's name, the account, the deal, the day the caller named, "from now
on" nor "after all" finds that line. At level 5 the memo's third point asks to be told the deal the call was
logged on: a message to the manager naming it.
"""

from __future__ import annotations

import re
from typing import Any

from claw_gym import actions as A
from claw_gym import clock
from claw_gym.devices.phone import script as S
from claw_gym.plural import count
from claw_gym.tasks import Ctx, Family, Grader, Scenario
from claw_gym.tasks import outbound as O
from claw_gym.tasks.footprint import Footprint, Own, field_in, path_under
from claw_gym.world import World

from .kit import checks, errands, household, laptop_files, notation, oblique, phone_flows, plant, records
from .kit import xchain as X

ACCOUNTS = [
    "Northwind Foods",
    "Bluepeak Energy",
    "Corvid Labs",
    "Helix Logistics",
    "Orchard Dental",
    "Quarry Media",
    "Sable Insurance",
    "Tidewater Hotels",
]
CONTACTS = [
    "Mireille Dubois",
    "Oskar Nyberg",
    "Priya Raman",
    "Tomasz Wilk",
    "Yara Haddad",
    "Luis Ortega",
    "Noor Aziz",
    "Felix Brandt",
]
#: accounts of the caller's namesakes (difficulty 4-5), apart from the ones above
NAMESAKE_ACCOUNTS = ["Kestrel Freight", "Juniper Foods", "Larkspur Dental", "Marlow Print", "Pinecrest Legal"]
#: first names shared by several customers, and surnames to tell them apart (difficulty 4-5)
FIRSTS = ["Priya", "Luis", "Noor", "Felix", "Yara", "Tomasz"]
LASTS = ["Raman", "Shah", "Nair", "Ortega", "Aziz", "Brandt", "Haddad", "Wilk", "Dubois", "Nyberg"]
FOLLOW_DECOYS = (
    "Supplier calls: just log them, no follow-up needed.",
    "Until the spring release, customer callbacks got a follow-up the next working day (over now).",
)
ASIDES = [
    "Thanks for the call notes last time. We are still comparing the options on our side.",
    "Quick one about the {deal}: could you send the updated figures when you have them?",
    "Following up on our chat about the {deal}. Happy to talk next week.",
]
#: levels 4-5: the manager's memo that set the after-call bits (the second point is the note's follow-up), the
#: third point by level, and their later word on the second point, by the memo's date
MEMO = "After a customer call"
MEMO_POINTS = (
    "Log the call on the customer's deal the same day.",
    "Book a follow-up with the customer two working days later (calendar or to-do).",
)
MEMO_THIRD = {
    4: "Call notes from the template, one file per call.",
    5: "Drop me a line with the deal you logged the call on, so the pipeline stays straight.",
}
FOLLOW_AS_SET = (
    "After I ring a customer back: the follow-up and the rest as {boss} set out in the mail of {day} "
    "({boss} has the last word on these)."
)
AMENDS = [
    "make the second point three working days, two was too soon for most customers",
    "the second point is three working days, not two - customers want time to read what we sent",
]
DEALS = ["annual renewal", "pilot expansion", "support upgrade", "new seats", "data migration"]
#: level 4-5: the caller's text from the number that later rang; names the day of their deep mail, nothing else
TEXTS = [
    "{first} here, from my mobile this time - did you get a chance to look at what I sent on {day}? No rush.",
    "Hi, it's {first} (mobile). Any thoughts on my mail from {day}? Happy to talk it through.",
]
TEMPLATE = "Documents/templates/call-notes.md"
TEMPLATE_TEXT = (
    "# Call notes\n\nAccount: {{account}}\nContact: {{contact}}\nDeal: {{deal}}\nDate: {{date}}\n"
    "Direction: {{direction}}\n\n## Summary\n{{summary}}\n"
)
PLACEHOLDER = re.compile(r"\{\{\s*\w+\s*\}\}")
INSTRUCTIONS = [
    "I missed a call from a customer on my phone. Call them back, log the callback on their deal in the CRM and "
    "fill in the call-notes template in ~/Documents/templates (save it in ~/Documents/calls).",
    "One of our customers tried to ring me earlier. Please return the call from my phone, note it on their CRM "
    "deal, and write up call notes from my template into ~/Documents/calls.",
    "Can you deal with the customer call I missed? Ring them back from the phone, add an activity to their deal "
    "in the CRM and save filled-in call notes (template in ~/Documents/templates) under ~/Documents/calls.",
]


def _deal(ctx: Ctx, account: str, title: str, contact: str) -> dict:
    """An open deal opened weeks ago, placed as the background's (kit.plant)."""
    opened = plant.jitter(ctx, ctx.now - int(ctx.rng.integers(10, 80)) * clock.DAY + 11 * clock.HOUR)
    return plant.deal(
        ctx,
        opened,
        account,
        title,
        ctx.pick(["qualified", "proposal", "negotiation"]),
        float(int(ctx.rng.integers(4, 90)) * 500),
        contact,
        ctx.now + int(ctx.rng.integers(5, 60)) * 86400,
    )


def generate(ctx: Ctx) -> Scenario:
    phone = ctx.svc("phone")
    deep = ctx.difficulty >= 4
    accounts = ctx.sample(ACCOUNTS, 2 + ctx.difficulty)
    people = ctx.sample(CONTACTS, len(accounts))
    if deep:  # the caller shares a first name with other customers (see _namesakes)
        first, lasts = ctx.pick(FIRSTS), ctx.sample(LASTS, 3 + (ctx.difficulty >= 5))
        people = [f"{first} {lasts[0]}"] + [p for p in people if not p.startswith(first)][: len(accounts) - 1]
    deals = [_deal(ctx, acc, f"{acc.split()[0]} {ctx.pick(DEALS)}", who) for acc, who in zip(accounts, people)]
    target = deals[0]
    if deep:  # the account's other deals, each with another contact: the caller decides
        taken = set(people)
        for who in ctx.sample([c for c in CONTACTS if c not in taken and not c.startswith(first)], 2):
            title = f"{target['account'].split()[0]} {ctx.pick([d for d in DEALS if d not in target['title']])}"
            deals.append(_deal(ctx, target["account"], title, who))
    num = notation.phone_number(ctx)
    extra: dict[str, Any] = {}
    if deep:
        extra = _namesakes(ctx, target, deals, num, first, lasts[1:])
    phone.add_contact_record(
        target["contact"].split()[0] if deep else f"{target['contact']} ({target['account']})", num
    )
    missed_at = ctx.now - int(ctx.rng.integers(20 * 60, 180 * 60))
    phone.log_call(num, "in", missed=True, time=missed_at)
    # distractors: calls from friends (synced contacts), from level 3 an unknown number, older customer calls
    for i in range(ctx.difficulty):
        p = ctx.person("friend")
        phone.log_call(
            p.phone,
            "in",
            missed=bool(i % 2),
            duration=0 if i % 2 else 300,
            time=missed_at - int(ctx.rng.integers(30, 600)) * clock.MINUTE,
        )
    if ctx.difficulty >= 3:
        phone.log_call(notation.phone_number(ctx, "800"), "in", missed=True, time=missed_at + 5 * clock.MINUTE)
    if ctx.difficulty >= 2:  # another customer, saved too, but their call was answered days ago
        other = deals[1]
        onum = notation.phone_number(ctx)
        phone.add_contact_record(f"{other['contact']} ({other['account']})", onum)
        phone.log_call(onum, "in", duration=420, time=ctx.now - 3 * 86400)
    plant.file(ctx, household.file_time(ctx, ctx.now - 60 * clock.DAY), TEMPLATE, TEMPLATE_TEXT)
    plant.file(
        ctx,
        household.file_time(ctx, ctx.now - 59 * clock.DAY),
        "Documents/calls/README.txt",
        "One file per customer call, from the template.\nName them date-account.md.\n",
    )
    instruction = ctx.pick(INSTRUCTIONS)
    if deep:
        instruction += " And do the usual after-call bits I noted down."
    return Scenario(
        instruction,
        {
            "told": [],
            **extra,
            "number": num,
            "deal": target["id"],
            "account": target["account"],
            "contact": target["contact"],
            "name": target["contact"].split()[0] if deep else f"{target['contact']} ({target['account']})",
            "others": [d["id"] for d in deals[1:]],
            "deal_title": target["title"],
            "same_account": [d["id"] for d in deals if d["account"] == target["account"]],
            "start": ctx.now,
        },
    )


def _working_days_after(t: int, n: int) -> int:
    """The start of the day ``n`` working days (Monday to Friday) after ``t``'s day."""
    day = clock.day_start(t)
    while n:
        day = clock.add_days(day, 1)
        n -= clock.weekday(day) < 5
    return day


def _namesakes(ctx: Ctx, target: dict, deals: list[dict], num: str, first: str, lasts: list[str]) -> dict[str, Any]:
    """Difficulty 4-5: 2-3 other customers share the caller's first name, each with an open deal at
    another account; each of them mailed with their number in the signature, the caller >= 30/60 days
    back. A work note holds the follow-up rule. Returns the facts to add."""
    others = ctx.sample(NAMESAKE_ACCOUNTS, len(lasts))
    new = [target] + [
        _deal(ctx, acc, f"{acc.split()[0]} {ctx.pick(DEALS)}", f"{first} {last}") for acc, last in zip(others, lasts)
    ]
    deals.extend(new[1:])
    numbers = [notation.phone_number(ctx) for _ in new]  # desk lines: the mobile that rang is in none
    back = household.days_back(ctx)
    mails = []
    used = {back}
    for k, (d, number) in enumerate(zip(new, numbers)):
        days = back
        while k and days in used:  # the namesakes' mails in the same week or two, on other days than the caller's
            days = back + int(ctx.rng.choice([-1, 1])) * int(ctx.rng.integers(1, 7))
        used.add(days)
        slug = re.sub(r"[^a-z]+", "", d["account"].lower())
        who = d["contact"]
        addr = f"{who.split()[0].lower()}.{who.split()[1].lower()}@{slug}.com"
        body = ctx.pick(ASIDES).format(deal=d["title"]) + f"\n\nBest,\n{who}\n{d['account']}\n{number}\n"
        t = plant.jitter(ctx, ctx.now - days * clock.DAY + int(ctx.rng.integers(9, 17)) * clock.HOUR - clock.DAY // 2)
        mails.append(plant.mail_in(ctx, "workmail", t, addr, f"Re: {d['title']}", body, who=who))
    day = clock.to_datetime(mails[0]["time"]).strftime("%-d %B")
    text = ctx.pick(TEXTS).format(first=first, day=day)
    texted = plant.sms(ctx, X.days_back(ctx, 4, 14), num, text, who=first)
    # a namesake texted the same way from a mobile the phone does not know, pointing at their own mail's day
    day2 = clock.to_datetime(mails[1]["time"]).strftime("%-d %B")
    other_mobile = notation.phone_number(ctx)
    plant.sms(ctx, X.days_back(ctx, 3, 20), other_mobile, ctx.pick(TEXTS).format(first=first, day=day2))
    rule_at = household.minute_jitter(ctx, ctx.now - household.days_back(ctx) * clock.DAY)
    boss = ctx.person("manager")
    # the manager's memo a few days before the note, on a day no other mail of theirs (nor the customers') has
    mail_days = [clock.day_start(m["time"]) for m in mails]
    memo_at = oblique.quiet_day(
        ctx, "workmail", boss.email, rule_at - int(ctx.rng.integers(2, 7)) * clock.DAY, avoid=mail_days
    )
    memo_at = errands.office_hours(ctx, memo_at)
    points = (*MEMO_POINTS, MEMO_THIRD[min(ctx.difficulty, 5)])
    memo = oblique.memo(ctx, "workmail", memo_at, boss.email, boss.name, MEMO, points)
    day = oblique.day_month(memo["time"])
    note = household.rule_note(ctx, FOLLOW_AS_SET.format(boss=boss.first, day=day), t=rule_at, work=True)
    household.decoy_notes(ctx, list(FOLLOW_DECOYS), around=ctx.now - 40 * clock.DAY, work=True, avoid=note)
    # weeks later the manager makes the second point three working days, by the memo's date alone
    span = max(1, (ctx.now - 10 * clock.DAY - rule_at) // clock.DAY - 8)
    amend_at = rule_at + (8 + int(ctx.rng.integers(0, span))) * clock.DAY
    amend = oblique.amend_memo(
        ctx,
        "workmail",
        boss.email,
        boss.name,
        memo["time"],
        ctx.pick(AMENDS),
        amend_at,
        channel=oblique.dm_channel(boss.first),
        latest=ctx.now - clock.DAY,
    )
    before = records.ids_now(ctx, ("calendar", "entries"), ("todo", "items"))
    return {
        "boss": boss.email,
        "boss_name": boss.name,
        "told": [boss.email, f"#{oblique.dm_channel(boss.first)}"],
        "memo": memo["id"],
        "memo_day": day,
        "amend": amend,
        "namesakes": [d["id"] for d in new],
        "namesake_mobile": other_mobile,
        "namesake_mail": mails[1]["id"],
        "caller_mail": mails[0]["id"],
        "caller_mail_at": mails[0]["time"],
        "desk": numbers[0],
        "texted_at": texted["time"],
        "follow_day": _working_days_after(ctx.now, 3),
        "tell_boss": ctx.difficulty >= 5,
        "follow_note": note,
        "rule_at": rule_at,
        "before": before,
    }


def _check_follow_up(world: World, f: dict[str, Any], g: Grader) -> None:
    """A calendar entry or a to-do the agent made, on the day three working days on, naming the customer."""
    day, names = f["follow_day"], {f["contact"].lower(), f["contact"].split()[1].lower(), f["account"].lower()}
    rows = [
        (r["title"] + " " + r.get("notes", ""), r["start"])
        for r in records.agent_rows(world, "calendar", "entries", f["before"].get("calendar.entries", []))
    ] + [
        (r["title"] + " " + r.get("notes", ""), r["due"] or 0)
        for r in records.agent_rows(world, "todo", "items", f["before"].get("todo.items", []))
    ]
    named = [(text, t) for text, t in rows if any(n in text.lower() for n in names)]
    on_day = [text for text, t in named if clock.day_start(t) == day]
    g.expect(
        "a follow-up with the customer three working days later",
        bool(on_day),
        f"{count(len(named), 'new entry', 'new entries')} naming them"
        + "".join(f"; {checks.quoted(text.strip())} on {clock.fmt_date(t)}" for text, t in named[:3])
        + f"; wanted on {clock.fmt_date(day)}",
        because=f"a line of the note '{f['follow_note']}' points to {f['boss_name']}'s mail of {f['memo_day']} "
        f"(a follow-up two working days after a customer callback) and gives them the last word; their later "
        f"line on that mail makes it three working days; the instruction asks for the usual after-call bits",
    )
    if f.get("tell_boss"):
        told = [
            m
            for m in O.outbound(world, f["start"])
            if {O.party(r) for r in m.to} & {O.party(x) for x in f["told"]}
            and (f["deal_title"].lower() in m.text.lower() or f["deal"] in m.text)
        ]
        g.expect(
            f"{f['boss_name']} was told the deal the call was logged on",
            bool(told),
            f"{count(len(told), 'message')} to them naming {f['deal_title']!r} or {f['deal']}",
            because=f"the third point of {f['boss_name']}'s mail of {f['memo_day']}, which the note's after-call "
            "bits point to, asks for a line with the deal the call was logged on",
        )


def check(world: World, f: dict[str, Any], g: Grader) -> None:
    calls = phone_flows.calls_out(world, f["number"], f["start"])
    g.expect(
        "the customer was called back from the phone",
        bool(calls),
        f"{count(len(calls), 'call')} to {f['number']}"
        + "".join(f"; at {notation.hhmm(c['time'])}" for c in calls[:3]),
        because="the instruction asks to call the customer back from the phone",
    )
    acts = [a for a in world.services["crm"].table("activities").values() if a["time"] >= f["start"]]
    g.expect(
        "the callback is logged on the customer's deal",
        any(a["deal"] == f["deal"] for a in acts),
        f"new activities on: {', '.join(sorted({a['deal'] for a in acts})) or 'no deal'}; theirs is {f['deal']}",
        because="the instruction asks to log the callback on their deal",
    )
    wrong = sorted({a["deal"] for a in acts if a["deal"] != f["deal"]})
    g.expect(
        "no other deal got an activity",
        not wrong,
        f"logged on other deals: {', '.join(wrong) or 'none'}",
        because="the instruction asks to log it on their deal; other customers' deals (and the account's deals "
        "with other contacts) are not theirs",
    )
    notes = [
        r
        for r in world.services["files"].table("files").values()
        if r["path"].startswith("Documents/calls/") and r["modified"] >= f["start"]
    ]
    good = [
        r
        for r in notes
        if f["account"].lower() in r["content"].lower()
        and f["contact"].lower() in r["content"].lower()
        and not PLACEHOLDER.search(r["content"])
        and "Call notes" in r["content"]
    ]
    g.expect(
        "call notes from the template name the account and contact (no blanks left)",
        bool(good),
        f"{count(len(notes), 'new file')} in Documents/calls, "
        f"{len(good)} filled with {f['account']} and {f['contact']}",
        because="the instruction asks to fill in the call-notes template into ~/Documents/calls",
    )
    if "follow_day" in f:
        _check_follow_up(world, f, g)


def oracle(world: World, f: dict[str, Any]) -> list[str]:
    """Phone: recents show the caller's name, tap to call back. Laptop: find the deal, log, fill the template."""
    date = clock.fmt_date(world.clock.now)
    slug = re.sub(r"[^a-z0-9]+", "-", f["account"].lower()).strip("-")
    path = f"Documents/calls/{date}-{slug}.md"
    filled = notation.fill_template(
        TEMPLATE_TEXT,
        account=f["account"],
        contact=f["contact"],
        deal=f["deal_title"],
        date=date,
        direction="outgoing (callback of a missed call)",
        summary="Returned their missed call; logged on the CRM deal.",
    )
    deep = []
    if "follow_day" in f:  # the number in the call log, found in a customer's mail signature
        deep = [
            A.shell(f"claw sms list --number {f['number']!r}"),
            A.api("workmail.search", query=f["contact"].split()[0]),
            A.api("workmail.get", id=f["caller_mail"]),
            A.shell("claw notes list --query follow-up"),
            *([A.api("chat.history", channel=f["told"][1][1:])] if "chat" in world.services else []),
            laptop_files.claw(
                "calendar.create_event",
                title=f"Follow-up call: {f['contact']} ({f['account']})",
                start=clock.fmt(f["follow_day"] + 10 * clock.HOUR),
                end=clock.fmt(f["follow_day"] + 10 * clock.HOUR + 30 * clock.MINUTE),
            ),
        ]
    return [
        *S.open_app("Phone"),
        S.tap("id/tab_recents"),
        S.tap(f"text={f['name']}"),
        *deep,
        A.shell(f"claw crm list_deals --query {f['account'].split()[0]!r}"),
        laptop_files.claw("crm.log_activity", deal_id=f["deal"], text=f"Called {f['contact']} back (missed call)."),
        A.shell(f"cat ~/{TEMPLATE}"),
        laptop_files.write_file(path, filled),
        *(
            [
                A.api(
                    "workmail.send",
                    to=[f["boss"]],
                    subject="Customer callback",
                    body=f"Called {f['contact']} back and logged it on the {f['deal_title']} deal ({f['deal']}).",
                )
            ]
            if f.get("tell_boss")
            else []
        ),
        A.finish(f"Called {f['contact']} back, logged it on the deal and saved {path}."),
    ]


FAMILY = Family(
    name="dual-callback-crm",
    count=60,
    kind="reactive",
    services=("phone", "crm", "files", "contacts", "calendar", "workmail", "notes", "todo", "sms"),
    devices=("laptop", "phone"),
    needs_sim_phone=True,
    summary="The phone placed a call to the customer whose missed call is in the log (saved on the phone only); "
    "their deal (and no other) got a CRM activity; a filled call-notes file naming account and contact "
    "is in Documents/calls; at 4-5 (the caller known by first name only, among namesakes told apart by "
    "the day their text points to, whose mail weeks back names the account)"
    " a calendar entry or to-do follows up with them three working days "
    "later, as the manager's memo the person's note points to says once amended (and at 5 the manager is told "
    "the deal).",
    generate=generate,
    check=check,
    oracle=oracle,
    variants=("missed",),
    tasks_per_variant=20,
    max_steps=30,
    tags=("laptop", "phone", "cross-device"),
    footprint=Footprint(
        owns=(
            Own("crm.deals", ids=("deal",)),
            Own("crm.activities", where=field_in("deal", "deal")),
            Own("files.files", where=path_under("Documents/calls/")),
        ),
        parties=("number", "told"),
    ),
)
