"""Proactive: a customer with an open deal files a support ticket; the manager said weeks ago what to do.

Nobody asks. Every ticket says by when its customer wants to hear back (the open deal's customer a
quarter hour 2-5 h on by difficulty: the task is judged then). An aside in an old work-mail thread
from the manager (30-50 days back, about something else) says: when a customer with an OPEN deal
opens a ticket, log an activity on that deal naming the ticket, answer the ticket publicly, and add
a follow-up task naming the account to a named to-do list, due before the deal's close date. From
level 4 the mail names the other list and a later line of the person's work notes page moves the
follow-ups to this one (the later word wins). Cross-service: ticket requester (helpdesk) -> account
domain -> open deal (CRM) -> rule (work mail, notes) -> task (todo). Off-by-one-record noise: the
same account also has a lost deal (from level 2) and a won one (from level 4) that must not get the
activity; tickets from accounts whose deals are all closed arrive too (more with difficulty) and
need nothing.

From level 4 the rule is one aside among the manager's same-shaped "Re:" mails (>= 55 / 90 days
back), worded without "support ticket" ("comes to us with a problem"), copied to the colleague who builds
the pipeline report from the follow-ups ("which list they go on is X's call"), and it also asks to drop
the manager a line naming the account (a second goal, mail or chat, after the ticket arrived; at 5 the
manager and X, a third). The manager's later chat replies (>= 30 / 60 days back) are about the other
mails; X's line in their DM (as deep, session 32) moves the follow-ups to the other list, naming the rule
mail only by its date and the point by its ordinal ("re the mail dated Mon 24 Nov I was copied on: the
third point goes on your 'accounts' list now"), among X's same-shaped lines about other matters
(:mod:`.kit.oblique`). The person's own note no longer says it. Customers write from domains that do not
spell the account and sign with their name, so the requester is matched to the CRM deal's contact.
"""

from __future__ import annotations

from typing import Any

from claw_gym import actions as A
from claw_gym import clock
from claw_gym.persona import Person
from claw_gym.plural import count
from claw_gym.tasks import Ctx, Family, Grader, Scenario
from claw_gym.tasks import outbound as O
from claw_gym.tasks.footprint import Footprint, Own, field_in
from claw_gym.world import World

from .kit import arrivals, deadlines, jottings, notation, oblique, plant, records
from .kit.customers import ACCOUNTS
from .kit.day import clock_time

PEOPLE = [
    "Ana Ruiz",
    "Ben Okafor",
    "Cleo Lindqvist",
    "Dev Patel",
    "Eva Novak",
    "Finn Doyle",
    "Gia Romano",
    "Hugo Brandt",
    "Isla Mackay",
    "Jon Sato",
    "Kara Weiss",
    "Leo Duarte",
]
ISSUES = [
    ("Sync stopped overnight", "Our data sync has not run since last night and the team is stuck."),
    ("Wrong totals on invoices", "The last two invoices show totals that do not match our orders."),
    ("Users locked out", "Four of our users cannot log in since this morning's update."),
    ("Reports export empty", "Every report export comes out as an empty file."),
    ("Mobile app crashes on start", "The mobile app crashes as soon as it opens for all our staff."),
]
#: by when a customer wants to hear back (every ticket says one)
BACK = [
    "Could someone get back to us before {by}?",
    "We need an answer by {by} today, please.",
    "Please reply before {by} - we're stuck until then.",
    "Can you update us by {by}?",
]
ASIDE = (
    "Thanks, the numbers look fine. Two things before next week: the {other} forecast still needs your update, "
    "and keep the deck to ten slides please.\n\nAlso, going forward: when a customer with an open deal "
    "(anything not won or lost) raises a support ticket, treat the deal as at risk - log an activity on that "
    "deal with the ticket number, answer them on the ticket yourself (public reply), and put a follow-up "
    "naming the account on your '{list_name}' to-do list, due before the deal's close date. Tickets from "
    "customers with nothing open stay with support.\n\n{boss}"
)
AMEND = "Follow-ups for tickets on open deals go on the '{list_name}' list now ({boss} asked, pipeline report)."
LISTS = ("work", "accounts")
#: levels 4-5: the rule as one aside among the manager's "Re:" mails, without the obvious words
DEEP_ASIDE = (
    "Thanks, the numbers look fine. Also, going forward: whenever someone we're still talking to about a deal "
    "(anything not won or lost yet) comes to us with a problem, treat that deal as at risk - log an activity on "
    "it with the ticket number, answer them on the ticket yourself (public reply), put a follow-up naming the "
    "account on your '{list_name}' to-do list, due before the deal's close date ({owner} builds the pipeline "
    "report from those follow-ups, so which list they go on is {owner}'s call), and drop {tell} a line saying "
    "which account it is. People with nothing open stay with the helpdesk.\n\n{boss}"
)
#: whom the deep aside asks to tell: the manager (4), the manager and the report's owner (5)
TELL = {4: "me", 5: "me and {owner}"}
#: levels 4-5: the report's owner moves the follow-ups in their DM by the rule mail's date only (kit.oblique)
OWNER_MOVE = (
    "re the mail dated {when} I was copied on: the third point goes on your '{list_name}' list now, my report "
    "reads that one"
)
#: (subject, aside, later chat reply): the manager's other mails, each with its own later word
OTHER_MAILS = [
    (
        "Offsite planning",
        "Thanks. For the offsite, please book the room for the Wednesday.",
        "re my offsite mail - make it the Thursday instead, the room's taken on Wednesday",
    ),
    (
        "Expense claims",
        "Noted. Send me your receipts at the end of each month.",
        "re my expenses mail - receipts go straight to finance now, not via me",
    ),
    (
        "Team rota",
        "Fine by me. You cover the Monday calls this quarter.",
        "re my rota mail - swap Mondays for Tuesdays, Lena has Mondays now",
    ),
]
ODD = ["-group", "corp", "-hq", "mail", "-intl", "net"]


def _domain(account: str) -> str:
    return account.lower().replace(" ", "") + ".example"


def _email(person: str, account: str, odd: str = "") -> str:
    """Shaped like the address book's; from level 4 (``odd``) at a domain that does not spell the account."""
    dom = "".join(w[0] for w in account.split()).lower() + odd + ".example" if odd else _domain(account)
    return person.lower().replace(" ", ".") + "@" + dom


def generate(ctx: Ctx) -> Scenario:
    crm, boss = ctx.svc("crm"), ctx.person("manager")
    list_name = "work" if ctx.variant == "work" else "accounts"
    n = 2 + ctx.difficulty
    accounts = ctx.sample(ACCOUNTS, n)
    deep = ctx.difficulty >= 4
    first_list = list_name if not deep else next(x for x in LISTS if x != list_name)
    owner = None
    if not deep:
        said = jottings.rule_time(ctx)
        aside = ctx.svc("workmail").deliver(
            boss.email,
            f"Re: {ctx.pick(['Q3', 'Q4', 'H2'])} pipeline review",
            ASIDE.format(
                other=ctx.pick([a for a in ACCOUNTS if a not in accounts]), list_name=first_list, boss=boss.first
            ),
            time=said,
            read=True,
        )["subject"]
        rule = f"the manager's mail '{aside}' says"
    else:
        rule, owner = _deep_rule(ctx, boss, first_list, list_name)
    people = ctx.sample(PEOPLE, n)
    key_acc, key_person = accounts[0], people[0]
    odd = {p: ctx.pick(ODD) if deep else "" for p in people}

    def email(person: str, account: str) -> str:  # the level's address shape
        return _email(person, account, odd[person])

    def signed(body: str, person: str, by: int) -> str:
        """The customer's words: the problem, by when they want to hear back, from level 4 their name."""
        body = f"{body} {ctx.pick(BACK).format(by=notation.hhmm(by))}"
        return f"{body}\n\n{person}" if deep else body

    close = ctx.at(int(ctx.rng.integers(10, 40)), 17)
    deal = crm.add_deal(
        key_acc,
        f"{key_acc} - {ctx.pick(['renewal', 'expansion', 'annual licence'])}",
        ctx.pick(["proposal", "negotiation", "qualified"]),
        float(int(ctx.rng.integers(20, 150)) * 1000),
        email(key_person, key_acc),
        close,
        next_step="Send revised proposal",
    )["id"]
    closed = []
    if ctx.difficulty >= 2:  # the same account's earlier deal, lost: the wrong record to log on
        closed.append(
            crm.add_deal(
                key_acc,
                f"{key_acc} - pilot",
                "lost",
                float(int(ctx.rng.integers(5, 40)) * 1000),
                email(key_person, key_acc),
                ctx.now - 60 * clock.DAY,
            )["id"]
        )
    if ctx.difficulty >= 4:
        closed.append(
            crm.add_deal(
                key_acc,
                f"{key_acc} - support plan",
                "won",
                float(int(ctx.rng.integers(5, 30)) * 1000),
                email(key_person, key_acc),
                ctx.now - 20 * clock.DAY,
            )["id"]
        )
    for acc, person in zip(accounts[1:], people[1:]):  # other customers: only closed deals
        closed.append(
            crm.add_deal(
                acc,
                f"{acc} - {ctx.pick(['pilot', 'renewal'])}",
                ctx.pick(["won", "lost"]),
                float(int(ctx.rng.integers(5, 90)) * 1000),
                email(person, acc),
                ctx.now - int(ctx.rng.integers(5, 80)) * clock.DAY,
            )["id"]
        )
    for acc, person in zip(accounts, people):
        ctx.svc("contacts").add(person, email(person, acc), notation.phone_number(ctx), company=acc, relation="client")
    trigger = plant.arrival(ctx, deadlines.trigger_time(ctx))
    # the customer's limit, a quarter hour 2-5 h on by difficulty: the task is judged then
    by = deadlines.stated_limit(ctx, trigger)
    issues = ctx.sample(ISSUES, 1 + min(n - 1, ctx.difficulty))
    ticket = arrivals.arrive_ticket(
        ctx, trigger, issues[0][0], email(key_person, key_acc), signed(issues[0][1], key_person, by)
    )
    others = []
    for k, (subj, body) in enumerate(issues[1:]):
        t = max(ctx.now + clock.MINUTE, trigger + (1 if k % 2 else -1) * int(ctx.rng.integers(5, 30)) * clock.MINUTE)
        who = people[1 + k]
        theirs = clock_time(t, after_min=int(ctx.rng.integers(90, 300)))  # another customer's own limit
        others.append(arrivals.arrive_ticket(ctx, t, subj, email(who, accounts[1 + k]), signed(body, who, theirs)))
    return Scenario(
        None,
        {
            "ticket": ticket,
            "deal": deal,
            "closed": closed,
            "others": others,
            "account": key_acc,
            "close": close,
            "list": list_name,
            "rule": rule,
            "trigger_at": trigger,
            "stale_list": first_list if deep else None,
            "boss": boss.email if deep else None,
            "boss_first": boss.first,
            "channel": "general" if deep else None,  # where the manager may be told
            # the pipeline report's owner (levels 4-5): their DM moves the list; at 5 they are told too
            "owner": owner.email if owner else None,
            "owner_first": owner.first if owner else None,
            "owner_channel": oblique.dm_channel(owner.first) if owner else None,
            "tell_owner": ctx.difficulty >= 5,
        },
        deadline=by + deadlines.GRACE,
        trigger=f"ticket from {key_acc} (open deal) at {clock.fmt(trigger)}",
    )


def _deep_rule(ctx: Ctx, boss: Person, first_list: str, list_name: str) -> tuple[str, Person]:
    """Levels 4-5: the manager's "Re:" mails (>= 55 / 90 days back), one with the rule's aside (copied to the
    colleague who owns the pipeline report: which list is their call), and the manager's later chat replies
    about the other mails (>= 30 / 60 days back); the owner's line in their DM (as deep) moves the follow-ups,
    naming the rule mail only by its date and the point by its ordinal, among their lines about other matters.
    Returns where the rule is, and the owner."""
    lo, late = (90, 60) if ctx.difficulty >= 5 else (55, 30)
    firsts = [p.first for p in ctx.persona.people]
    pool = [p for p in ctx.persona.by_relation("colleague") if firsts.count(p.first) == 1]
    owner = ctx.pick(pool or ctx.persona.by_relation("colleague"))
    called = ctx.persona.called(owner)
    tell = TELL[min(ctx.difficulty, 5)].format(owner=called)
    mails = [(f"{ctx.pick(['Q3', 'Q4', 'H2'])} pipeline review", DEEP_ASIDE, "")]
    mails += ctx.sample(OTHER_MAILS, 2 if ctx.difficulty < 5 else 3)
    mails = ctx.sample(mails, len(mails))
    me, rule = ctx.persona.me.first, ""
    for subject, aside, reply in mails:
        day = clock.day_start(ctx.now - int(ctx.rng.integers(lo + 1, lo + 25)) * clock.DAY)
        t = plant.jitter(ctx, day + int(ctx.rng.integers(9, 18)) * clock.HOUR)
        day = clock.day_start(ctx.now - int(ctx.rng.integers(late + 1, late + 20)) * clock.DAY)
        said = plant.jitter(ctx, day + int(ctx.rng.integers(9, 18)) * clock.HOUR)
        if aside is DEEP_ASIDE:
            body = aside.format(list_name=first_list, boss=boss.first, owner=called, tell=tell)
            plant.mail_in(ctx, "workmail", t, boss.email, f"Re: {subject}", body, cc=[owner.email], read=True)
            line = OWNER_MOVE.format(when=clock.to_datetime(t).strftime("%a %d %b"), list_name=list_name)
            oblique.word_in_dm(ctx, owner.name, owner.first, said, line, oblique.dated)
            rule = (
                f"the manager's mail 'Re: {subject}' says, and leaves the list to {called}; {called}'s later line "
                f"in your DM of {clock.fmt_date(said)} (re that mail, by its date) moves the follow-ups to the "
                f"'{list_name}' list"
            )
        else:
            plant.mail_in(ctx, "workmail", t, boss.email, f"Re: {subject}", f"{aside}\n\n{boss.first}", read=True)
            plant.chat(ctx, said, "general", boss.name, f"@{me} {reply}")
    return rule, owner


def _task(r: dict) -> str:
    due = clock.fmt(r["due"]) if r["due"] is not None else "no due date"
    return f"{r['title']!r} on '{r['list']}' due {due}"


def check(world: World, f: dict[str, Any], g: Grader) -> None:
    rule = f["rule"]
    acts = [a for a in world.services["crm"].table("activities").values() if a["time"] >= f["trigger_at"]]
    on_deal = [a for a in acts if a["deal"] == f["deal"] and f["ticket"] in a["text"]]
    g.expect(
        "an activity naming the ticket is logged on the open deal",
        bool(on_deal),
        f"{count(len(acts), 'activity')} logged since the ticket, {len(on_deal)} on {f['deal']} naming {f['ticket']}",
        because=f"{rule}; to log an activity naming the ticket on the customer's open deal",
    )
    wrong = sorted({a["deal"] for a in acts if a["deal"] != f["deal"]})
    g.expect(
        "no activity on another deal (lost, won, other customers)",
        not wrong,
        f"activities on {', '.join(wrong)}" if wrong else "none",
        because=f"{rule}; the activity goes on the OPEN deal only",
    )
    tickets = world.services["helpdesk"].table("tickets")
    t = tickets.get(f["ticket"])
    public = [c for c in (t or {}).get("comments", []) if c["public"]]
    g.expect(
        "the ticket got a public reply",
        bool(public),
        f"{count(len(public), 'public comment')} on {f['ticket']}",
        because=f"{rule}; to reply on the ticket publicly",
    )
    touched = [i for i in f["others"] if i in tickets and tickets[i]["comments"]]
    g.expect(
        "tickets of customers without an open deal are left to support",
        not touched,
        f"commented on {', '.join(touched)}" if touched else "none touched",
        because=f"{rule}; tickets from customers without an open deal stay with support",
    )
    added = {str(e.args.get("title", "")) for e in world.audit.calls("todo.add_task") if e.time >= f["trigger_at"]}
    todos = [
        r
        for r in world.services["todo"].table("items").values()
        if r["id"] not in records.timeline_ids(world, "todo", "items")
        and f["account"].split()[0].lower() in (r["title"] + " " + r["notes"]).lower()
    ]
    good = [
        r
        for r in todos
        if r["due"] is not None
        and f["trigger_at"] - clock.DAY < r["due"] <= f["close"]
        and r["list"] == f["list"]
        and r["title"] in added
    ]
    stray = [r for r in todos if r["list"] != f["list"]]  # one list is named: a task on both is a hedge
    g.expect(
        f"a follow-up task on the '{f['list']}' list (and no other), due before the close date",
        bool(good) and not stray,
        f"{count(len(todos), 'task')} naming the account: {'; '.join(map(_task, todos)) or 'none'}; "
        f"deal closes {clock.fmt(f['close'])}",
        because=f"{rule}; to add a follow-up naming the account to the '{f['list']}' list, due before the close",
    )
    if f.get("boss"):
        told = _told(world, f)
        g.expect(
            "the manager got a line naming the account",
            bool(told),
            "; ".join(told) or f"no mail to {f['boss']} and no chat post to {f['boss_first']} naming the account",
            because=f"{rule}; to drop the manager a line saying which account it is",
        )
    if f.get("tell_owner"):
        told = _told(world, f, who="owner")
        g.expect(
            f"{f['owner_first']} got a line naming the account",
            bool(told),
            "; ".join(told) or f"no mail to {f['owner']} and no chat post to {f['owner_first']} naming the account",
            because=f"{rule}; to drop them a line saying which account it is (the mail asks for the manager and them)",
        )


def _told(world: World, f: dict[str, Any], who: str = "boss") -> list[str]:
    """Mail to the manager (``who``: or the report's owner; either mailbox, cc counts) or a chat post naming them
    or in their DM, after the ticket arrived, naming the account (its first word is enough) or the ticket."""
    about = (f["account"].split()[0].lower(), str(f["ticket"]).lower())
    dm = "#" + f["owner_channel"] if who == "owner" and f.get("owner_channel") else None
    return [
        f"{m.door} at {clock.fmt(m.time)}"
        for m in O.outbound(world, f["trigger_at"])
        if (
            O.party(f[who]) in {O.party(r) for r in m.to}
            or (m.door == "chat.post" and (f[f"{who}_first"] in m.text or dm in m.to))
        )
        and any(a in m.text.lower() for a in about)
    ]


def _act(world: World, f: dict[str, Any], deal: str) -> list[str]:
    due = clock.fmt_date(f["close"] - 3 * clock.DAY)
    return [
        A.api("workmail.search", query="support ticket"),
        A.api("notes.list", query="follow-ups"),
        A.wait(f["trigger_at"] - world.clock.now, wake=False),
        A.api("helpdesk.get", id=f["ticket"]),
        A.api("crm.list_deals", query=f["account"].split()[0]),
        A.api(
            "crm.log_activity",
            deal_id=deal,
            text=f"Customer opened support ticket {f['ticket']} - deal at risk, following up.",
        ),
        A.api(
            "helpdesk.comment",
            id=f["ticket"],
            public=True,
            text="Thanks for letting us know - we are looking into this now and will update you here today.",
        ),
        A.api(
            "todo.add_task",
            title=f"Check in with {f['account']} about ticket {f['ticket']}",
            due=due,
            list_name=f["list"],
        ),
        *(
            [
                A.api(
                    "workmail.send",
                    to=[f["boss"]],
                    subject=f"{f['account']}: ticket on an open deal",
                    body=f"Hi {f['boss_first']},\n\n{f['account']} opened ticket {f['ticket']}; I logged it on "
                    "the deal, replied to them and added a follow-up.",
                )
            ]
            if f.get("boss")
            else []
        ),
        *(
            [
                A.api("chat.history", channel=f["owner_channel"], limit=20),
                A.api(
                    "chat.post",
                    channel=f["owner_channel"],
                    text=f"{f['account']} opened ticket {f['ticket']} on their open deal; follow-up is on the "
                    f"'{f['list']}' list.",
                ),
            ]
            if f.get("tell_owner")
            else []
        ),
        A.wait(6 * clock.HOUR, wake=False),
    ]


def oracle(world: World, f: dict[str, Any]) -> list[str]:
    return _act(world, f, f["deal"])


FAMILY = Family(
    name="ticket-deal-risk",
    count=52,
    kind="proactive",
    services=("helpdesk", "crm", "notes", "todo", "contacts", "workmail", "chat"),
    summary="After the ticket from the customer with an open deal arrives and by the time it asks to hear back "
    "(when it is judged): an activity naming the ticket is logged "
    "on that open deal (not the account's lost/won deals or other customers'), the ticket has a public reply, "
    "other customers' tickets are untouched, and a follow-up task naming the account is on the list the "
    "manager's old mail aside names (or, from level 4, the later word of the colleague it leaves the list to) due "
    "before the deal's close date; from level 4 the manager also got a line naming the account (at 5, that "
    "colleague too).",
    generate=generate,
    check=check,
    oracle=oracle,
    variants=("work", "accounts"),
    tasks_per_variant=15,
    max_steps=40,
    tags=("noise",),
    footprint=Footprint(
        owns=(
            Own("crm.deals", ids=("deal",)),
            Own("crm.activities", where=field_in("deal", "deal")),
            Own("helpdesk.tickets", ids=("ticket",)),
        ),
        parties=("boss", "owner"),
        channels=("channel", "owner_channel"),
    ),
)
