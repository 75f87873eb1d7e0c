"""Proactive: a support ticket from a key account arrives; escalate it as the manager said in chat.

Nobody asks. Weeks ago (30-60 days back) a colleague asked in the team chat which customers
count as key accounts, and the manager's reply defines them by their open CRM deals (an open
deal of at least a threshold) and says what their tickets get. From level 4 a later mail from
the manager, an aside in another thread, changes the threshold (the later word wins; by the
old one nobody is key). Tickets keep arriving; the one from a key account's contact must get
the stated priority and a public reply, the others must be left as they are. Cross-service:
ticket requester (helpdesk) -> deal contact and amount (CRM) -> rule (chat, work mail). Noise:
a big deal that is already lost, small accounts, more tickets, a big deal already won (closed)
and a later trigger with difficulty.
"""

from __future__ import annotations

from typing import Any

from claw_gym import actions as A
from claw_gym import clock
from claw_gym.tasks import Ctx, Family, Grader, Scenario
from claw_gym.tasks.footprint import Footprint, Own
from claw_gym.world import World

from .kit import arrivals, checks, deadlines, jottings, notation

ACCOUNTS = [
    "Acme Freight",
    "Borealis Bank",
    "Cobalt Retail",
    "Dunmore Foods",
    "Elmstead Clinics",
    "Fernhill Media",
    "Granite Insurance",
    "Harbor Telecom",
    "Ironwood Mills",
    "Juniper Schools",
    "Kestrel Air",
    "Lumen Hotels",
]
PEOPLE = [
    "Alex Moreno",
    "Bea Lindholm",
    "Cyrus Obi",
    "Dina Karlsson",
    "Eli Navarro",
    "Fay Okoro",
    "Gil Brandt",
    "Hedda Voss",
    "Ivo Mendes",
    "Jana Holm",
    "Kofi Asante",
    "Lia Ferraro",
]
ISSUES = [
    ("Export to CSV fails", "Our nightly export has failed three times since yesterday; finance is blocked."),
    ("Cannot log in after password reset", "Several of our users are locked out after the reset."),
    ("Invoices show wrong VAT", "The last invoices show 19% VAT instead of 21%. Please fix."),
    ("API returns 500 on /orders", "Our integration gets HTTP 500 on every order call since this morning."),
    ("Dashboard very slow", "Dashboards take over a minute to load for the whole team."),
    ("Missing data in weekly report", "The weekly report is missing Tuesday's data."),
]
QUESTION = "quick one - which customers count as key accounts for support again? got a ticket from {account}"
RULE = (
    "@{first} anyone with an open deal (not won or lost) of {threshold:,} or more in the CRM. Their tickets go "
    "to '{priority}' and get a public reply straight away so they know we're on it. Everything else stays in "
    "the normal queue - don't touch the priority."
)
AMEND = (
    "Thanks for the update on the renewals.\n\nPS: with the new targets, key accounts for support now start at "
    "{threshold:,} (open deals, same as before otherwise).\n\n{boss}"
)


def _domain(account: str) -> str:
    return account.lower().replace(" ", "") + ".example"


def _email(person: str, account: str) -> str:
    return person.lower().replace(" ", ".") + "@" + _domain(account)


def generate(ctx: Ctx) -> Scenario:
    crm, hd, chat = ctx.svc("crm"), ctx.svc("helpdesk"), ctx.svc("chat")
    threshold = ctx.pick([25_000, 50_000, 100_000])
    priority = "urgent" if ctx.variant == "urgent" else "high"
    boss, mate = ctx.person("manager"), ctx.person("colleague")
    asked = jottings.rule_time(ctx) - 40 * clock.MINUTE  # the question; the reply (the rule) follows
    said = threshold if ctx.difficulty < 4 else threshold + 50_000  # by the old figure the key deal is too small
    chat.post_as("general", mate.name, QUESTION.format(account=ctx.pick(ACCOUNTS)), time=asked)
    chat.post_as(
        "general",
        boss.name,
        RULE.format(first=mate.first, threshold=said, priority=priority),
        time=asked + int(ctx.rng.integers(3, 40)) * clock.MINUTE,
    )
    source = f"{boss.name}'s reply in the team chat (#general)"
    if ctx.difficulty >= 4:
        amended = ctx.svc("workmail").deliver(
            boss.email,
            f"Re: {ctx.pick(['Renewals update', 'Q3 targets', 'Pipeline numbers'])}",
            AMEND.format(threshold=threshold, boss=boss.first),
            time=asked + int(ctx.rng.integers(10, 25)) * clock.DAY,
            read=True,
        )
        source += f"; their later mail '{amended['subject']}' lowers the threshold to {threshold:,}"
    n = 3 + ctx.difficulty
    idx = ctx.sample(list(range(len(ACCOUNTS))), n)
    accounts = [ACCOUNTS[i] for i in idx]
    people = [PEOPLE[i] for i in ctx.sample(list(range(len(PEOPLE))), n)]
    close = ctx.now + 30 * clock.DAY
    key = 0
    # the key account: an open deal above the threshold, plus a small one
    crm.add_deal(
        accounts[key],
        "Platform renewal",
        ctx.pick(["proposal", "negotiation", "qualified"]),
        float(threshold + int(ctx.rng.integers(1, 40)) * 1000),
        _email(people[key], accounts[key]),
        close,
    )
    crm.add_deal(
        accounts[key],
        "Training add-on",
        "lead",
        float(int(ctx.rng.integers(2, 9)) * 1000),
        _email(people[key], accounts[key]),
        close,
    )
    others = []
    for i in range(1, n):
        if i == 1 and ctx.difficulty >= 2:  # big but lost: not a key account
            stage, amount = "lost", float(threshold + int(ctx.rng.integers(10, 80)) * 1000)
        elif i == 2 and ctx.difficulty >= 4:  # big but already won (closed): not a key account either
            stage, amount = "won", float(threshold + int(ctx.rng.integers(5, 60)) * 1000)
        else:
            stage, amount = (
                ctx.pick(["lead", "qualified", "proposal", "won"]),
                float(int(ctx.rng.integers(2, threshold // 1000 - 1)) * 1000),
            )
        crm.add_deal(
            accounts[i],
            ctx.pick(["Pilot", "Expansion", "Renewal", "Support plan"]),
            stage,
            amount,
            _email(people[i], accounts[i]),
            close,
        )
        others.append(i)
    if "contacts" in ctx.world.services:
        for i in range(n):
            ctx.svc("contacts").add(
                people[i],
                _email(people[i], accounts[i]),
                notation.phone_number(ctx),
                company=accounts[i],
                relation="client",
            )
    # older ticket already in the queue (normal)
    subj, body = ctx.pick(ISSUES)
    old = hd.open_ticket(
        subj,
        _email(people[others[-1]], accounts[others[-1]]),
        body,
        time=ctx.now - int(ctx.rng.integers(2, 30)) * clock.HOUR,
    )
    trigger = deadlines.trigger_time(ctx)
    issues = ctx.sample(ISSUES, 1 + min(len(others), ctx.difficulty))
    vip = arrivals.arrive_ticket(ctx, trigger, issues[0][0], _email(people[key], accounts[key]), issues[0][1])
    plain = [old["id"]]
    for k, (s, b) in enumerate(issues[1:]):
        t = trigger + (-1 if k % 2 == 0 else 1) * int(ctx.rng.integers(5, 40)) * clock.MINUTE
        t = max(t, ctx.now + clock.MINUTE)
        i = others[k % len(others)]
        plain.append(arrivals.arrive_ticket(ctx, t, s, _email(people[i], accounts[i]), b))
    return Scenario(
        None,
        {
            "vip": vip,
            "plain": plain,
            "priority": priority,
            "trigger_at": trigger,
            "account": accounts[key],
            "source": source,
        },
        deadline=deadlines.deadline_after(ctx, trigger),
        trigger=f"ticket from key account {accounts[key]} at {clock.fmt(trigger)}",
    )


def check(world: World, f: dict[str, Any], g: Grader) -> None:
    tickets = world.services["helpdesk"].table("tickets")
    vip = tickets.get(f["vip"])
    book = f"{f['source']}: key accounts by their open CRM deals"
    g.expect(
        "key account's ticket has the stated priority",
        vip is not None and vip["priority"] == f["priority"],
        "the ticket has not arrived" if vip is None else f"priority {vip['priority']}, stated {f['priority']}",
        because=f"{book}, and their tickets get priority '{f['priority']}'",
    )
    replies = (
        []
        if vip is None
        else [f"public comment at {c['time']}" for c in vip["comments"] if c["public"] and c["text"].strip()]
    )
    if vip is not None:  # a mail to the customer is a public reply too
        replies += checks.reached(world, [vip["requester"]], f["trigger_at"])
    g.expect(
        "key account got a public reply",
        bool(replies),
        "; ".join(replies) if replies else "no public comment on the ticket and no mail to the customer",
        because=f"{book}, and they get a public reply right away",
    )
    moved = [
        f"{i} is {tickets[i]['priority']}" for i in f["plain"] if i in tickets and tickets[i]["priority"] != "normal"
    ]
    g.expect(
        "other tickets keep their priority",
        not moved,
        ", ".join(moved) if moved else f"{len(f['plain'])} other tickets at priority normal",
        because=f"{f['source']}: everything else stays in the normal queue",
    )


def oracle(world: World, f: dict[str, Any]) -> list[str]:
    return [
        A.api("chat.history", channel="general", limit=200),
        A.api("workmail.search", query="key accounts"),
        A.wait(f["trigger_at"] - world.clock.now - 10, wake=False),
        A.api("helpdesk.list", status="open"),
        A.api("helpdesk.get", id=f["vip"]),
        A.api("crm.list_deals", query=f["account"]),
        A.api("helpdesk.update", id=f["vip"], priority=f["priority"]),
        A.api(
            "helpdesk.comment",
            id=f["vip"],
            public=True,
            text="Thanks for reporting this - we have escalated it and are working on it now. "
            "We will update you here within the hour.",
        ),
        A.wait(6 * clock.HOUR, wake=False),
    ]


FAMILY = Family(
    name="vip-ticket",
    count=52,
    kind="proactive",
    services=("helpdesk", "crm", "notes", "workmail", "contacts", "chat"),
    summary="The ticket from the key account (open CRM deal >= the threshold the manager's old chat reply "
    "gives, or from level 4 their later mail) gets the stated priority and a public comment; the other tickets "
    "keep priority normal.",
    generate=generate,
    check=check,
    oracle=oracle,
    variants=("urgent", "high"),
    tasks_per_variant=15,
    max_steps=40,
    tags=("noise",),
    footprint=Footprint(owns=(Own("helpdesk.tickets", ids=("vip",)),)),
)
