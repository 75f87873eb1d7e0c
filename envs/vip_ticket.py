"""Proactive: a support ticket from a key account arrives; escalate it as the manager said in chat.

Nobody asks. Every ticket says by when its customer wants to hear back (the key account's a quarter
hour 2-5 h on by difficulty: the task is judged then). Weeks ago (30-60 days back) a colleague asked
in the team chat which customers count as key accounts, and the manager's reply defines them by
their open CRM deals (an open deal of at least a threshold) and says what their tickets get. From
level 4 a later mail from the manager, an aside in another thread, changes the threshold (the later
word wins; by the old one nobody is key). Tickets keep arriving; the one from a key account's
contact must get the stated priority and a public reply, the others must be left as they are.
Cross-service: ticket requester (helpdesk) -> deal contact and amount (CRM) -> rule (chat, work
mail). Noise: a big deal that is already lost, small accounts, more tickets, a big deal already won
(closed) and a later trigger with difficulty.

From level 4 the question and the manager's reply avoid the words "key account", the reply sits >= 55 / 90
days back and the later mail that lowers the threshold >= 30 / 60 days back, as a PS among the manager's
same-shaped "Re:" mails whose asides are about other things, worded without the topic: since session 32 every PS is
"re <a record by its date>: <verdict>", and the deciding one names the manager's chat reply only by its time
and day ("re what I wrote in #general at 14:07 on 14 October: ... make that 50,000"), so no search for
support, the account or its people lands on it. Another colleague's "key accounts" line about billing (won
deals, their own list) is a decoy that does not apply. Customers write from mail domains that do not spell the
account and sign with their name only, so the CRM deal's contact tells whose ticket it is; one arriving ticket
is from an open deal just under the threshold. Added goal: the rule asks to tell the account's owner (a
colleague named in the reply) about the ticket, by mail or chat, after it arrived; at level 5 the
deciding PS also asks the manager to be copied on that ping (mail to or copying them, or a chat post naming them).
"""

from __future__ import annotations

from typing import Any

from claw_gym import actions as A
from claw_gym import clock
from claw_gym.tasks import Ctx, Family, Grader, Scenario
from claw_gym.tasks import outbound as O
from claw_gym.tasks.footprint import Footprint, Own
from claw_gym.world import World

from .kit import arrivals, checks, deadlines, jottings, notation, oblique, plant
from .kit.day import clock_time

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
#: by when a customer wants to hear back (every ticket says one)
BACK = [
    "Could someone get back to us before {by}?",
    "We need an answer by {by} today, please.",
    "Please reply before {by} - the team is waiting on this.",
    "Can you update us by {by}?",
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

#: levels 4-5: the same exchange without the obvious words; the account's owner is told too
DEEP_QUESTION = "quick one - does {account} get anything special when they raise something with support?"
DEEP_RULE = (
    "@{first} only if they have an open deal (not won or lost) of {threshold:,} or more in the CRM. Then it goes "
    "to '{priority}', they get a public reply straight away so they know we're on it, and ping {owner} (they look "
    "after those customers) once it's in. Everything else stays in the normal queue - don't touch the priority."
)
#: the manager's later "Re:" mails: one PS moves the threshold, the others are asides about other things
DEEP_AMEND = "re {when}: with the new targets make that {threshold:,}, rest as before"
#: level 5: the same PS also asks the manager to be copied on the owner's ping (one more checked goal)
COPY_ME = " - and copy me when you ping them"
PS_MAIL = "Thanks for the numbers, that all looks fine.\n\nPS: {ps}.\n\n{boss}"
#: another colleague's same-keyword line: billing's own list, not support's
DECOY = (
    "for the invoicing run: key accounts on our side are the ones with a won deal of {decoy:,} or more - their "
    "invoices go out by hand. Support has its own rule, ask {boss}."
)
ODD = ["-group", "corp", "-hq", "mail", "-intl", "net"]


def _domain(account: str) -> str:
    return account.lower().replace(" ", "") + ".example"


def _email(person: str, account: str, odd: str = "") -> str:
    """The contact's address: from level 4 (``odd``) at a domain that does not spell the account."""
    dom = "".join(w[0] for w in account.split()).lower() + odd + ".example" if odd else _domain(account)
    return person.lower().replace(" ", ".") + "@" + dom


def generate(ctx: Ctx) -> Scenario:
    threshold = ctx.pick([25_000, 50_000, 100_000])
    priority = "urgent" if ctx.variant == "urgent" else "high"
    boss, mate = ctx.person("manager"), ctx.person("colleague")
    deep = ctx.difficulty >= 4
    owner = ctx.pick([p for p in ctx.persona.by_relation("colleague") if p != mate] or [mate]) if deep else None
    n = 3 + ctx.difficulty
    idx = ctx.sample(list(range(len(ACCOUNTS))), n)
    accounts = [ACCOUNTS[i] for i in idx]
    people = [PEOPLE[i] for i in ctx.sample(list(range(len(PEOPLE))), n)]
    odd = [ctx.pick(ODD) if deep else "" for _ in range(n)]
    emails = [_email(people[i], accounts[i], odd[i]) for i in range(n)]
    said = threshold if not deep else threshold + 50_000  # by the old figure the key deal is too small
    source = f"{boss.name}'s reply in the team chat (#general)"
    amended = None
    if not deep:
        asked = jottings.rule_time(ctx) - 40 * clock.MINUTE  # the question; the reply (the rule) follows
        q = QUESTION.format(account=ctx.pick(ACCOUNTS))
        rule = RULE.format(first=mate.first, threshold=said, priority=priority)
    else:
        lo = 90 if ctx.difficulty >= 5 else 55
        asked = clock.day_start(ctx.now - int(ctx.rng.integers(lo + 1, lo + 25)) * clock.DAY)
        asked += int(ctx.rng.integers(9 * clock.HOUR, 17 * clock.HOUR))
        q = DEEP_QUESTION.format(account=ctx.pick(accounts[1:]))
        assert owner is not None
        rule = DEEP_RULE.format(first=mate.first, threshold=said, priority=priority, owner=ctx.persona.called(owner))
    plant.chat(ctx, plant.jitter(ctx, asked, 5), "general", mate.name, q)
    reply = plant.chat(
        ctx, plant.jitter(ctx, asked + int(ctx.rng.integers(10, 40)) * clock.MINUTE, 5), "general", boss.name, rule
    )
    if deep:
        amended = _amend(ctx, boss.email, boss.first, reply["time"], threshold)
        source += f"; their later mail of {clock.fmt_date(amended['time'])} moves the threshold to {threshold:,}"
        other = ctx.pick([p for p in ctx.persona.by_relation("colleague") if p not in (mate, owner)] or [mate])
        t = (
            clock.day_start(asked + int(ctx.rng.integers(3, 20)) * clock.DAY)
            + int(ctx.rng.integers(10, 17)) * clock.HOUR
        )
        t = plant.jitter(ctx, t, 20)
        plant.chat(ctx, t, "general", other.name, DECOY.format(decoy=threshold // 2, boss=boss.first))

    def opened() -> int:  # a deal opened on a past working day, in office hours
        day = clock.day_start(ctx.now - int(ctx.rng.integers(20, 200)) * clock.DAY)
        return plant.jitter(ctx, day + int(ctx.rng.integers(9, 17)) * clock.HOUR, 20)

    def put(i: int, kind: str, stage: str, amount: float) -> None:
        """A deal as the background's read: "<account> - <kind>", a close some weeks after it opened, and
        the next step an open deal names."""
        t = opened()
        close = t + int(ctx.rng.integers(20, 90)) * clock.DAY + int(ctx.rng.integers(0, clock.DAY))
        step = "" if stage in ("won", "lost") else "Send revised proposal"
        plant.deal(ctx, t, accounts[i], f"{accounts[i]} - {kind}", stage, amount, emails[i], close, step)

    key = 0
    # the key account: an open deal above the threshold, plus a small one
    crm_stage = ctx.pick(["proposal", "negotiation", "qualified"])
    put(key, "platform renewal", crm_stage, float(threshold + int(ctx.rng.integers(1, 40)) * 1000))
    put(key, "training add-on", "lead", float(int(ctx.rng.integers(2, 9)) * 1000))
    others = []
    for i in range(1, n):
        if i == 1 and ctx.difficulty >= 2:  # big but lost: not a key account
            stage, amount = "lost", float(threshold + int(ctx.rng.integers(10, 80)) * 1000)
        elif i == 2 and deep:  # big but already won (closed): not a key account either
            stage, amount = "won", float(threshold + int(ctx.rng.integers(5, 60)) * 1000)
        elif i == 3 and deep:  # open, just under the threshold: not key
            stage, amount = ctx.pick(["proposal", "negotiation"]), float(threshold - int(ctx.rng.integers(1, 6)) * 1000)
        else:
            stage, amount = (
                ctx.pick(["lead", "qualified", "proposal"] if deep else ["lead", "qualified", "proposal", "won"]),
                float(int(ctx.rng.integers(2, threshold // 1000 - 1)) * 1000),
            )
        put(i, ctx.pick(["pilot", "expansion", "renewal", "support plan"]), stage, amount)
        others.append(i)
    if "contacts" in ctx.world.services:
        for i in range(n):
            ctx.svc("contacts").add(
                people[i],
                emails[i],
                notation.phone_number(ctx),
                company=accounts[i],
                relation="client",
            )

    def signed(body: str, i: int, by: int) -> str:
        """The customer's words: the problem, by when they want to hear back, from level 4 their name."""
        body = f"{body} {ctx.pick(BACK).format(by=notation.hhmm(by))}"
        return f"{body}\n\n{people[i]}" if deep else body

    def theirs(t: int) -> int:  # another customer's limit, a quarter hour some hours after they wrote
        return clock_time(t, after_min=int(ctx.rng.integers(90, 300)))

    # older ticket already in the queue (normal)
    subj, body = ctx.pick(ISSUES)
    t_old = plant.jitter(ctx, ctx.now - int(ctx.rng.integers(2, 30)) * clock.HOUR, 10)
    old = plant.ticket(ctx, t_old, subj, emails[others[-1]], signed(body, others[-1], theirs(t_old)))
    trigger = plant.arrival(ctx, deadlines.trigger_time(ctx))
    # the key customer's limit, a quarter hour 2-5 h on by difficulty: the task is judged then
    by = deadlines.stated_limit(ctx, trigger)
    issues = ctx.sample(ISSUES, 1 + min(len(others), ctx.difficulty))
    vip = arrivals.arrive_ticket(ctx, trigger, issues[0][0], emails[key], signed(issues[0][1], key, by))
    plain = [old["id"]]
    for k, (s, b) in enumerate(issues[1:]):
        t = trigger + (-1 if k % 2 == 0 else 1) * int(ctx.rng.integers(5, 40)) * clock.MINUTE
        t = max(t, ctx.now + clock.MINUTE)
        i = others[k % len(others)]
        plain.append(arrivals.arrive_ticket(ctx, t, s, emails[i], signed(b, i, theirs(t))))
    return Scenario(
        None,
        {
            "vip": vip,
            "plain": plain,
            "priority": priority,
            "trigger_at": trigger,
            "account": accounts[key],
            "subject": issues[0][0],
            "threshold": threshold,
            "source": source,
            "owner": None if owner is None else owner.email,
            "owner_first": None if owner is None else ctx.persona.called(owner),
            "amend": None if amended is None else amended["id"],
            "channel": "general" if deep else None,  # where the owner may be pinged
            "boss": boss.email if ctx.difficulty >= 5 else None,  # level 5: copied on the ping
            "boss_first": ctx.persona.called(boss) if ctx.difficulty >= 5 else None,
        },
        deadline=by + deadlines.GRACE,
        trigger=f"ticket from key account {accounts[key]} at {clock.fmt(trigger)}",
    )


def _amend(ctx: Ctx, boss: str, first: str, reply: int, threshold: int) -> dict:
    """Levels 4-5: the manager's "Re:" mails (>= 30 / 60 days back), each with a PS "re <a record by its date>:
    <verdict>"; one moves the threshold, naming their chat reply (sent at ``reply``) only by its time and day,
    the others settle other matters in the same shape (session 32: no "support", no "key"). Returns the
    deciding mail."""
    lo = 60 if ctx.difficulty >= 5 else 30
    subjects = ctx.sample(["Renewals update", "Q3 targets", "Pipeline numbers", "Forecast", "Team numbers"], 4)
    times = []
    for _ in subjects:
        t = ctx.now - int(ctx.rng.integers(lo + 1, lo + 20)) * clock.DAY
        times.append(plant.jitter(ctx, clock.day_start(t) + int(ctx.rng.integers(9, 18)) * clock.HOUR))
    asides = oblique.lines_about(ctx, oblique.dated, 3, min(times), pool=oblique.PLAIN)
    at = int(ctx.rng.integers(4))
    out: dict = {}
    for k, (subj, t) in enumerate(zip(subjects, times, strict=True)):
        word = DEEP_AMEND.format(when=_wrote(reply), threshold=threshold) + (COPY_ME if ctx.difficulty >= 5 else "")
        ps = word if k == at else asides[k - (k > at)]
        rec = plant.mail_in(ctx, "workmail", t, boss, f"Re: {subj}", PS_MAIL.format(ps=ps, boss=first), read=True)
        if k == at:
            out = rec
    return out


def _wrote(t: int) -> str:
    """ "what I wrote in #general at 14:07 on 14 October": the manager's own chat line by its time."""
    return f"what I wrote in #general at {clock.fmt(t)[-5:]} on {oblique.day_month(t)}"


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
    if f.get("owner"):
        told = _told(world, f, f["owner"], f["owner_first"])
        g.expect(
            "the account's owner was told about the ticket",
            bool(told),
            "; ".join(told) or f"no mail to {f['owner']} and no chat post naming {f['owner_first']} about it",
            because=f"{book}: ping {f['owner_first']} (who looks after those customers) once the ticket is in",
        )
    if f.get("boss"):
        copied = _told(world, f, f["boss"], f["boss_first"])
        g.expect(
            "the manager was copied on the owner's ping",
            bool(copied),
            "; ".join(copied) or f"no mail to {f['boss']} and no chat post naming {f['boss_first']} about it",
            because=f"{f['source']}, and asks to be copied when the owner is pinged",
        )


def _told(world: World, f: dict[str, Any], who: str, first: str) -> list[str]:
    """Mail to ``who`` (either mailbox, or a copy) or a chat post naming them (``first``), sent after the ticket
    arrived and saying which ticket (the account, the subject or the ticket id)."""
    about = (f["account"].lower(), f["subject"].lower(), str(f["vip"]).lower())
    return [
        f"{m.door} at {clock.fmt(m.time)}"
        for m in O.outbound(world, f["trigger_at"])
        if (O.party(who) in {O.party(r) for r in m.to} or (m.door == "chat.post" and first in m.text))
        and any(a in m.text.lower() for a in about)
    ]


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
        *(
            [
                A.api(
                    "workmail.send",
                    to=[f["owner"]],
                    cc=[f["boss"]] if f.get("boss") else [],
                    subject=f"{f['account']} ticket escalated",
                    body=f"Hi {f['owner_first']},\n\n{f['account']} just raised '{f['subject']}'; I set it to "
                    f"{f['priority']} and replied to them.",
                )
            ]
            if f.get("owner")
            else []
        ),
        A.wait(6 * clock.HOUR, wake=False),
    ]


FAMILY = Family(
    name="vip-ticket",
    count=52,
    kind="proactive",
    services=("helpdesk", "crm", "notes", "workmail", "contacts", "chat"),
    summary="By the time its customer wants to hear back (when it is judged), the ticket from the key account "
    "(open CRM deal >= the threshold the manager's old chat reply "
    "gives, or from level 4 the PS of their later mail) gets the stated priority and a public comment; the other "
    "tickets keep priority normal; from level 4 the colleague the reply names is told about it after it arrived, at "
    "5 with the manager copied (their PS asks).",
    generate=generate,
    check=check,
    oracle=oracle,
    variants=("urgent", "high"),
    tasks_per_variant=15,
    max_steps=40,
    tags=("noise",),
    footprint=Footprint(
        owns=(Own("helpdesk.tickets", ids=("vip",)),), parties=("owner", "boss"), channels=("channel",)
    ),
)
