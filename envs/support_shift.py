"""Proactive day: a support shift; tickets arrive and each has its first-response time in its own text.

Nobody asks. The person keeps a running note where, among unrelated lines, one says which
tickets go to Tier 2 (key accounts, by what the CRM says about the customer's open deal) and
that the rest get a public first reply within the ticket's SLA. Later, in the #support channel,
a colleague's reply amends the rule (the later amendment wins). Tickets arrive over the day
(more with difficulty); for each, the requester's company is found in contacts, its deals in
the CRM, and the rule decides: escalate (priority urgent, the ticket number posted in #support,
a line on the open deal in the CRM) or answer publicly, both before the SLA time the ticket
states. At difficulty 4-5 the rule and its amendment sit >= 30 / >= 60 days back among other
rule-like lines of the channel, and a key customer also mails asking to hear back by a time. There the
rule is worded without "Tier 2"/"key" (open deals summed for ``amount``), the amendment is the manager's
reply in a thread that does not name the topic, an expired same-keyword rule sits in #support, and the
requester's mail domain and signature no longer name the account (the contact card does).
At 4-5 (session 29) the note's line says whose call the line is (the manager's), #support is a busy
channel (the background's banter among the rule-like lines), and a colleague's later guess at a changed
line sits there, never confirmed by the manager: it does not apply. At 5 the manager's amendment is a
reply to the person's own mail, not a line in #support.
At 4-5 (session 31) the note's line also says the manager can send any single ticket up, and a few minutes
after one ticket that is not key by the CRM came in, the manager sends it up in their DM with the person:
"re the ticket that came in at 10:42: send that one up", naming no account, requester or ticket number,
among same-shaped lines about other matters (:mod:`.kit.oblique`). That ticket goes to Tier 2.

Variants change the rule: ``amount`` (open deals above a threshold; the amendment lowers it)
and ``stage`` (open deals at given stages; the amendment adds one).
"""

from __future__ import annotations

from typing import Any

from claw_gym import actions as A
from claw_gym import clock
from claw_gym.life.corpus import CHAT
from claw_gym.tasks import Ctx, Family, Grader, Scenario
from claw_gym.tasks.footprint import Footprint, Own, field_in
from claw_gym.world import World

from .kit import arrivals, day, oblique, plant
from .kit.customers import ACCOUNTS

NAMES = ["Ana Ruiz", "Ben Okafor", "Cleo Lindqvist", "Dev Patel", "Eva Novak", "Finn Doyle", "Gia Romano"]
NAMES += ["Hugo Brandt", "Isla Mackay", "Jon Sato", "Kara Weiss", "Leo Duarte", "Mia Berg", "Noah Costa"]
ISSUES = [
    ("Sync stopped overnight", "Our data sync has not run since last night and the team is stuck."),
    ("Wrong totals on invoices", "The last two invoices show totals that do not match our orders."),
    ("Users locked out", "Four of our users cannot log in since this morning's update."),
    ("Reports export empty", "Every report export comes out as an empty file."),
    ("Mobile app crashes on start", "The mobile app crashes as soon as it opens for our staff."),
    ("Webhook calls failing", "Since yesterday every webhook call to our endpoint returns an error."),
    ("Cannot add new seats", "Adding a new user fails with 'limit reached' although we have seats left."),
]
SLA = {"Business": 60, "Standard": 120, "Premium": 45}
CHATTER = [
    "refunds above 500 still need Nadia's ok before we promise anything",
    "reminder: the status page is updated by whoever is on call, not by Tier 2",
    "anyone seen the export bug again? I thought 4.2 fixed it",
    "credits under 50 we can give right away, above that ask finance",
    "please don't close tickets on Fridays without a reply from the customer",
    "I'm covering the late shift on Thursday",
]
STAGES_OPEN = ("lead", "qualified", "proposal", "negotiation")
#: levels 4-5: the support desk's own small talk in #support, beside the background's office banter
DESK_TALK = [
    "queue is quiet for once",
    "who has the macro for password resets?",
    "phones are ringing off the hook this morning",
    "I'll take the next two, need a break after",
    "anyone know if the release notes are out?",
    "customer just called us heroes, framing that",
    "back from lunch, picking up where I left off",
    "the helpdesk search is slow again",
    "thanks for covering earlier",
    "closing out the old ones from last week",
]
#: levels 4-5: a colleague's guess at a changed line, which the manager (whose call the line is) never confirms
GUESS = {
    "amount": "is it {guess}k now for the second line? pretty sure I heard that somewhere",
    "stage": "qualified goes up as well now, doesn't it? someone said so in the kitchen",
}


def _domain(ctx: Ctx, account: str, hard: bool) -> str:
    """The requester's mail domain: the account's name below 4; at 4-5 a short form that names no
    account (only the contact card tells the company)."""
    if not hard:
        return account.lower().replace(" ", "") + ".example"
    stem = "".join(w[:3] for w in account.lower().split())
    return f"{stem}-{ctx.pick(['hq', 'grp', 'mail', 'corp', 'team'])}.example"


def _rules(ctx: Ctx, hard: bool) -> dict[str, Any]:
    """The note's rule and its later amendment; at 4-5 worded as people write it (no "Tier 2", no "rule"),
    the open deals summed, and the amendment a reply in a thread that tells what it refers to."""
    how = "mark urgent, post the ticket number in #support, note it on the deal"
    if ctx.variant == "amount":
        old = ctx.pick([50_000, 60_000, 75_000])
        new = old - ctx.pick([10_000, 15_000])
        if hard:
            return {
                "kind": "amount",
                "sum": True,
                "old": old,
                "new": new,
                "line": f"whoever's open deals in the CRM come to more than EUR {old:,} together: hand their tickets "
                f"to the second line ({how}). The rest get a public reply on the ticket within the time their "
                "plan gives. Where the line sits is {owner}'s call, nobody else's, and {owner} can send any single "
                "ticket up",
                "guess": new - 10_000,
                "context": "{other} had {mid}k open with us across two deals and only got the standard reply "
                "last week - not amused",
                "amend": f"fair. anything over {new // 1000}k together goes up from now on, not {old // 1000}k",
            }
        return {
            "kind": "amount",
            "sum": False,
            "old": old,
            "new": new,
            "line": f"support shift: customers with an open deal over EUR {old:,} in the CRM are key accounts - "
            "their tickets go to Tier 2 (mark urgent, post the ticket number in #support, note it on the deal). "
            "Everyone else gets a public first reply within the SLA on the ticket",
            "amend": f"quick one on the Tier 2 rule: from now on anything over {new // 1000}k open counts as key, "
            "the old line is too high",
        }
    if hard:
        return {
            "kind": "stage",
            "sum": False,
            "old": ["negotiation"],
            "new": ["negotiation", "proposal"],
            "line": f"whoever has a deal in negotiation in the CRM: hand their tickets to the second line ({how}). "
            "The rest get a public reply on the ticket within the time their plan gives. Which stages count is "
            "{owner}'s call, nobody else's, and {owner} can send any single ticket up",
            "guess": ["negotiation", "proposal", "qualified"],
            "context": "{other} went with someone else - they were at proposal with us and only got the standard reply",
            "amend": "ok, proposal goes up as well from now on then",
        }
    return {
        "kind": "stage",
        "sum": False,
        "old": ["negotiation"],
        "new": ["negotiation", "proposal"],
        "line": "support shift: customers whose CRM deal is in negotiation are key accounts - their tickets go "
        "to Tier 2 (mark urgent, post the ticket number in #support, note it on the deal). Everyone else gets a "
        "public first reply within the SLA on the ticket",
        "amend": "re the Tier 2 rule: count deals at proposal stage as key too from now on, we lost one last month",
    }


def _key(rule: dict[str, Any], deals: list[dict[str, Any]]) -> bool:
    """Whether an account is key by ``rule["new"]``: its open deals' sum (or largest) over the line, or one at a
    key stage."""
    live = [d for d in deals if d["stage"] in STAGES_OPEN]
    if not live:
        return False
    if rule["kind"] == "amount":
        amounts = [float(d["amount"]) for d in live]
        return bool((sum(amounts) if rule["sum"] else max(amounts)) > rule["new"])
    return any(d["stage"] in rule["new"] for d in live)


Shape = list[tuple[str, float]]


def _deal_shapes(ctx: Ctx, rule: dict[str, Any], n: int, hard: bool) -> list[Shape]:
    """Deals per account: key, key only by the amendment (at 4-5 only by summing two), plain, big-but-closed;
    cycled. At 4-5 every account has two deals."""

    def k(lo: int, hi: int) -> int:
        return int(ctx.rng.integers(lo, hi)) * 1000

    def plain(g: int, lo: int) -> Shape:
        """Two open deals summing between a colleague's guessed line ``g`` and the real one ``lo`` (in k)."""
        total = int(ctx.rng.integers(g + 2, lo - 1))
        a = int(ctx.rng.integers(3, total - 3))
        return [("qualified", float(a * 1000)), (ctx.pick(["lead", "proposal"]), float((total - a) * 1000))]

    if rule["kind"] == "amount":
        lo, hi = rule["new"] // 1000, rule["old"] // 1000
        if hard:
            mid = int(ctx.rng.integers(lo + 2, hi))  # the amendment's band, reached only by the sum
            a = k(mid - lo + 3, lo - 2)  # each part under the new line: only the sum is over it
            shapes: list[Shape] = [
                [(ctx.pick(["proposal", "negotiation"]), k(hi + 5, hi + 60)), ("lead", k(3, 12))],
                [("qualified", float(a)), ("proposal", float(mid * 1000 - a))],
                plain(rule["guess"] // 1000, lo),
                [(ctx.pick(["won", "lost"]), k(hi + 10, hi + 80)), ("qualified", k(lo // 2 + 1, lo - 5))],
            ]
        else:
            shapes = [
                [(ctx.pick(["proposal", "negotiation"]), k(hi + 5, hi + 60))],
                [(ctx.pick(["qualified", "proposal"]), k(lo + 1, hi))],
                [(ctx.pick(["qualified", "proposal", "negotiation"]), k(lo - 25, lo - 5))],
                [(ctx.pick(["won", "lost"]), k(hi + 10, hi + 80))],
            ]
    else:
        shapes = [
            [("negotiation", k(20, 120))],
            [("proposal", k(20, 120))],
            [(ctx.pick(["qualified", "lead"]), k(40, 150))],
            [(ctx.pick(["won", "lost"]), k(40, 150))],
        ]
        if hard:  # a second deal each: closed ones at the key stages' old names, open ones below them
            shapes = [
                shapes[0] + [("lost", k(20, 90))],
                shapes[1] + [("lead", k(10, 40))],
                [("qualified", shapes[2][0][1]), ("won", k(40, 150))],  # key only by a colleague's guess
                shapes[3] + [("lead", k(10, 60))],
            ]
    return [[(st, float(a)) for st, a in deals] for deals in (shapes * 2)[:n]]


def _post(ctx: Ctx, t: int, sender: str, text: str) -> None:
    """A line in #support as the background's chat lines are stored."""
    plant.chat(ctx, t, "support", sender, text)


def _busy(ctx: Ctx, people: list[str]) -> None:
    """Levels 4-5: #support as busy as an office channel: about one line a working day over the history,
    the background's banter and the desk's own small talk."""
    start = clock.day_start(ctx.now) - 88 * clock.DAY
    for _ in range(int(ctx.rng.integers(55, 75))):
        t = start + int(ctx.rng.integers(0, 86)) * clock.DAY + int(ctx.rng.integers(8 * 60 + 30, 18 * 60)) * 60
        if clock.to_datetime(t).weekday() >= 5:
            continue
        pool = CHAT if ctx.rng.integers(2) else DESK_TALK
        text = ctx.pick(list(pool)).format(
            time=ctx.pick(["12:30", "13:00", "15:00"]), thing="the release", project="the migration", metric="latency"
        )
        if "friday" in text and clock.to_datetime(t).weekday() != 4:
            text = "happy almost-weekend"
        _post(ctx, plant.jitter(ctx, t), ctx.pick(people), text)


def _mailed_amendment(ctx: Ctx, boss: str, t: int, context: str, amend: str) -> int:
    """Level 5: the person raises the lost customer by mail and the manager's reply moves the line: the
    amendment arrives on another channel than the note and #support, its subject naming no topic. Returns
    the reply's time."""
    subject = ctx.pick(["quick one", "last week", "before Monday", "a thought"])
    asked = t - int(ctx.rng.integers(2, 6)) * clock.HOUR
    asked_text, amend_text = context[:1].upper() + context[1:] + ".", amend[:1].upper() + amend[1:]
    plant.mail_out(ctx, "workmail", plant.jitter(ctx, asked), boss, subject, asked_text)
    reply = plant.mail_in(ctx, "workmail", plant.jitter(ctx, t, 10), boss, f"Re: {subject}", amend_text)
    return int(reply["time"])


#: levels 4-5: the manager sends one ticket up, in their DM (:func:`.kit.oblique.boss_takes`)
SENDS_UP = [
    "send that one up to the second line, they're mid-renewal with me",
    "that one goes up, whatever the CRM says - I'm in talks with them",
    "hand that one to the second line please, I promised them",
]


def generate(ctx: Ctx) -> Scenario:
    contacts = ctx.svc("contacts")
    hard = ctx.difficulty >= 4
    rule = _rules(ctx, hard)
    back = day.days_back(ctx)
    t_rule = day.past(ctx, back + int(ctx.rng.integers(5, 12)))
    if hard:  # the line names whose call it is
        boss = ctx.person("manager")
        day.note_with_line(ctx, rule["line"].replace("{owner}", boss.first), t_rule, extra=3 + ctx.difficulty // 2)
    else:
        day.note_with_line(ctx, rule["line"], t_rule, extra=3 + ctx.difficulty // 2)
        boss = ctx.person("manager")
    mates = [p for p in ctx.persona.people if p.relation == "colleague"]
    t_amend = day.past(ctx, back)
    chatter = ctx.sample(CHATTER, 2 + ctx.difficulty // 2)
    for k, line in enumerate(chatter):  # rule-like lines in the channel, before and after the amendment
        t = day.past(ctx, max(1, back + int(ctx.rng.integers(-25, 25)) - 3 * k))
        _post(ctx, t, mates[k % len(mates)].name, line)
    n = min(5, 1 + ctx.difficulty)  # tickets today (with the customer's mail at 4-5: at most 6 arrivals)
    accounts = ctx.sample(ACCOUNTS, n + 3)
    others, accounts = accounts[n:], accounts[:n]
    if hard:  # a same-keyword rule that no longer applies, and the amendment as a reply in a thread
        until = day.past(ctx, back + int(ctx.rng.integers(14, 20)))
        decoy = (
            f"any open deal over {rule['new'] // 2000}k" if rule["kind"] == "amount" else "a deal at qualified or later"
        )
        _post(
            ctx,
            until - 14 * clock.DAY,
            boss.name,
            f"Tier 2 rule for the migration fortnight only (until {clock.to_datetime(until):%d %b}): every ticket "
            f"from a customer with {decoy} goes straight to them",
        )
        mid = (rule["new"] + rule["old"]) // 2000 if rule["kind"] == "amount" else 0
        context = rule["context"].format(other=others[0], mid=mid)
        if ctx.difficulty >= 5:  # the manager answers the person's own mail, not the channel
            t_amend = _mailed_amendment(ctx, boss.email, t_amend, context, rule["amend"])
        else:
            _post(ctx, t_amend - int(ctx.rng.integers(20, 90)) * clock.MINUTE, mates[0].name, context)
        _busy(ctx, [m.name for m in mates] + [boss.name])
        guess = GUESS[rule["kind"]].format(guess=rule["guess"] // 1000 if rule["kind"] == "amount" else 0)
        t_guess = min(t_amend + int(ctx.rng.integers(6, 20)) * clock.DAY, ctx.now - 4 * clock.DAY)
        _post(ctx, plant.jitter(ctx, t_guess), mates[-1].name, guess)
    if ctx.difficulty < 5:
        _post(ctx, t_amend, boss.name, rule["amend"])
    people = ctx.sample(NAMES, n + 2)
    buyers, people = people[n:], people[:n]
    shapes = _deal_shapes(ctx, rule, n, hard)
    order = [int(i) for i in ctx.rng.permutation(n)]
    ts = day.slots(ctx, n + (1 if hard else 0), gap_min=(20, 55))
    issues = ctx.sample(ISSUES, n)
    tickets, held = [], dict[str, list[dict[str, Any]]]()
    for k in range(n):
        acc, person = accounts[k], people[k]
        dom = _domain(ctx, acc, hard)
        email = f"{person.lower().replace(' ', '.')}@{dom}"
        contacts.add(person, email, relation="client", company=acc)
        buyer = email
        if hard:  # the deals name the account's buyer, not today's requester
            name = ctx.pick(NAMES + buyers)
            buyer = f"{name.split()[0].lower()}.{ctx.pick(['ops', 'buying', 'it'])}@{dom}"
        deals = []
        for stage, amount in shapes[order[k]]:
            close = ctx.at(int(ctx.rng.integers(8, 60)), 17) if stage in STAGES_OPEN else day.past(ctx, 20)
            opened = day.past(ctx, int(ctx.rng.integers(25, 140)))
            what = ctx.pick(["renewal", "expansion", "licence", "add-on seats", "training"])
            deals.append(plant.deal(ctx, opened, acc, f"{acc} - {what}", stage, amount, buyer, close))
        plan = ctx.pick(list(SLA))
        due = day.clock_time(ts[k], after_min=SLA[plan])
        subject, body = issues[k]
        sign = (
            f"{person}\n{ctx.pick(['Operations', 'IT', 'Office manager', 'Finance'])}" if hard else f"{person}, {acc}"
        )
        body += f"\n\n--\n{sign}\nSupport plan: {plan} - first response due by {clock.fmt(due)[-5:]}"
        tid = arrivals.arrive_ticket(ctx, ts[k], subject, email, body)
        live = [d for d in deals if d["stage"] in STAGES_OPEN]
        held[tid] = deals
        tickets.append(
            {
                "id": tid,
                "at": ts[k],
                "due": due,
                "deal": (live or deals)[0]["id"],
                "deals": [d["id"] for d in live],
                "key": _key(rule, deals),
                "account": acc,
                "subject": subject,
                "email": email,
            }
        )
    for acc in others[1:]:  # accounts with no ticket today
        plant.deal(
            ctx,
            day.past(ctx, int(ctx.rng.integers(25, 140))),
            acc,
            f"{acc} - renewal",
            "proposal",
            float(int(ctx.rng.integers(20, 90)) * 1000),
            "",
            ctx.at(30, 17),
        )
    asks = None
    if hard:  # a key customer also mails, asking to hear back by a time
        tk = next(t for t in tickets if t["key"])
        t = max(ts[-1], tk["at"] + 5 * clock.MINUTE)
        by = day.clock_time(t, after_min=50)
        who = tk["email"]
        mid = arrivals.arrive_mail(
            ctx,
            "workmail",
            t,
            who,
            "Our ticket from this morning",
            f"Hi, we opened a ticket this morning and it is blocking us. Could you confirm by {clock.fmt(by)[-5:]} "
            "that someone is on it?\n\nThanks",
        )
        asks = {"mail": mid, "at": t, "by": by, "email": who}
    heard, dm = None, ""
    if hard:  # the manager sends one plain ticket up in a DM, by when it came in (session 31)
        # one the CRM does not make key; preferably not a colleague's guess either, and never the only ticket
        # that tells the guess from the manager's line
        guessed = {**rule, "new": rule["guess"]}
        plain = [t for t in tickets if not t["key"] and t["deals"]]
        guessy = [t for t in plain if _key(guessed, held[t["id"]])]
        tk = next((t for t in plain if t not in guessy), guessy[-1])
        at = tk["at"] + int(ctx.rng.integers(8, 15)) * clock.MINUTE + int(ctx.rng.integers(0, 60))
        said = oblique.boss_takes(ctx, boss, "ticket", tk["at"], at, SENDS_UP)
        dm = said["dm"]
        tk |= {"key": True, "heard": at}
        heard = {"ticket": tk["id"], "at": at, "msg": said["msg"], "text": said["line"]}
    last = max([t["due"] for t in tickets] + ([asks["by"]] if asks else []))
    return Scenario(
        None,
        {
            "trigger_at": tickets[0]["at"],
            "tickets": tickets,
            "rule": rule,
            "asks": asks,
            "asker": [asks["email"]] if asks else [],
            "ticket_ids": [t["id"] for t in tickets],
            "deal_ids": [d for t in tickets if t["key"] for d in t["deals"]],
            "channel": "support",
            "rule_at": [t_rule, t_amend],
            "owner": boss.name,
            "heard": heard,
            "dm": dm,
        },
        deadline=last + clock.MINUTE,
        deadline_stated=True,  # each ticket states its first-response time
        trigger=f"{n} tickets from {clock.fmt(ts[0])}; key: {', '.join(t['account'] for t in tickets if t['key'])}",
    )


RULE = "a line in the person's running note (amended later by their manager) says"


def check(world: World, f: dict[str, Any], g: Grader) -> None:
    hd = world.services["helpdesk"].table("tickets")
    posts = [
        m
        for m in world.services["chat"].table("messages").values()
        if m["channel"] == "support" and m["time"] >= f["trigger_at"]
    ]
    acts = list(world.services["crm"].table("activities").values())
    for t in f["tickets"]:
        rec = hd.get(t["id"])
        if rec is None:
            g.expect(f"ticket from {t['account']}", False, "never arrived")
            continue
        posted = [m for m in posts if t["id"] in m["text"] and t["at"] <= m["time"] <= t["due"]]
        replies = day.done_between(world, "helpdesk.comment", t["at"], t["due"], day.arg_is("id", t["id"]))
        public = [e for e in replies if e.args.get("public", True)]
        by = clock.fmt(t["due"])[-5:]
        if t["key"]:
            logged = [a for a in acts if a["deal"] in t["deals"] and a["time"] >= t["at"] and _names(a["text"], t)]
            g.expect(
                f"{t['account']}'s ticket went to Tier 2 by {by}",
                rec["priority"] == "urgent" and bool(posted) and bool(logged),
                f"priority {rec['priority']}, {len(posted)} posts naming it in #support by {by}, "
                f"{len(logged)} notes on their deal naming it (number or subject)",
                because=(
                    "the manager sent this ticket up in a DM, referring to when it came in (the note's line says "
                    "they can send any single ticket up); "
                    if t.get("heard")
                    else ""
                )
                + f"{RULE} key accounts' tickets go to Tier 2 (urgent, number in #support, a note on the "
                f"deal); the ticket says its first response is due by {by}",
            )
        else:
            g.expect(
                f"{t['account']} got a public first reply by {by} and stayed with us",
                bool(public) and rec["priority"] != "urgent" and not any(t["id"] in m["text"] for m in posts),
                f"{len(public)} public replies by {by}, priority {rec['priority']}, "
                f"{sum(t['id'] in m['text'] for m in posts)} posts naming it in #support",
                because=f"{RULE} customers who are not key accounts get a public first reply within the SLA; the "
                f"ticket says by {by}",
            )
    if f["asks"]:
        a = f["asks"]
        told = day.reached_between(world, [a["email"]], a["at"], a["by"])
        g.expect(
            f"the customer who mailed heard back by {clock.fmt(a['by'])[-5:]}",
            bool(told),
            "; ".join(told) or "not reached in time",
            because=f"their mail asks for a confirmation by {clock.fmt(a['by'])[-5:]}",
        )


def _names(text: str, t: dict[str, Any]) -> bool:
    """A note names the ticket: its number or its subject."""
    return t["id"] in text or t["subject"].lower() in text.lower()


def _handle(t: dict[str, Any]) -> list[str]:
    acc = t["account"].split()[0]
    steps = [
        A.api("helpdesk.get", id=t["id"]),
        A.api("contacts.search", query=t["email"]),
        A.api("crm.list_deals", query=acc),
    ]
    if t["key"]:
        return steps + [
            A.api("helpdesk.update", id=t["id"], priority="urgent"),
            A.api("chat.post", channel="support", text=f"Tier 2: {t['id']} from {t['account']} (key account)"),
            A.api("crm.log_activity", deal_id=t["deal"], text=f"Support ticket {t['id']} escalated to Tier 2"),
        ]
    return steps + [
        A.api(
            "helpdesk.comment",
            id=t["id"],
            public=True,
            text="Thanks for reporting this - we are looking into it and will update you here.",
        )
    ]


def _plan(world: World, f: dict[str, Any], tickets: list[dict[str, Any]]) -> list[str]:
    steps: list[tuple[int, list[str]]] = [
        (world.clock.now, [A.api("notes.list", query="support"), A.api("chat.history", channel="support")])
    ]
    steps += [(max(t["at"], t.get("heard", 0)) + 60, _handle(t)) for t in tickets]
    if f["asks"]:
        a = f["asks"]
        steps.append(
            (a["at"] + 90, [A.api("workmail.reply", id=a["mail"], body="Yes - Tier 2 has your ticket and is on it.")])
        )
    out, now = [], world.clock.now
    for t, acts in sorted(steps, key=lambda s: s[0]):
        if t > now:
            out.append(A.wait(t - now, wake=False))
            now = t
        out += acts
    last = max([t["due"] for t in tickets] + ([f["asks"]["by"]] if f["asks"] else []))
    return out + [A.wait(last - now + clock.HOUR, wake=False)]


def oracle(world: World, f: dict[str, Any]) -> list[str]:
    return _plan(world, f, f["tickets"])


def _by(rule: dict[str, Any], t: dict[str, Any], deals: Any) -> bool:
    """Whether ``t`` is key by ``rule`` and the CRM, or by the manager's word in the DM (levels 4-5)."""
    return bool(t.get("heard")) or _key(rule, [deals[d] for d in t["deals"]])


def stale_oracle(world: World, f: dict[str, Any]) -> list[str]:
    """Follows the note's rule and misses the amendment in #support (the manager's DM word taken)."""
    rule = f["rule"]
    deals = world.services["crm"].table("deals")
    old = {**rule, "new": rule["old"]}
    return _plan(world, f, [{**t, "key": _by(old, t, deals)} for t in f["tickets"]])


def rule_oracle(world: World, f: dict[str, Any]) -> list[str]:
    """Levels 4-5: follows the note's line as amended, missing the manager's word on one ticket in the DM."""
    rule = f["rule"]
    deals = world.services["crm"].table("deals")
    return _plan(world, f, [{**t, "key": _key(rule, [deals[d] for d in t["deals"]])} for t in f["tickets"]])


def guess_oracle(world: World, f: dict[str, Any]) -> list[str]:
    """Levels 4-5: follows a colleague's later guess at the line in #support, which the manager never confirmed
    (the manager's DM word taken)."""
    rule = f["rule"]
    deals = world.services["crm"].table("deals")
    guessed = {**rule, "new": rule["guess"]}
    return _plan(world, f, [{**t, "key": _by(guessed, t, deals)} for t in f["tickets"]])


FAMILY = Family(
    name="support-shift",
    kind="proactive",
    services=("helpdesk", "crm", "chat", "notes", "contacts", "workmail"),
    summary="Every ticket of the day is handled by its own SLA time as the person's rule (a line in a running "
    "note, amended later by the manager: in #support, at level 5 by mail; a colleague's unconfirmed guess does not "
    "count) says: key accounts' tickets (by their open CRM deal) are urgent, posted in "
    "#support and noted on the deal; the others get a public first reply and stay with us; a key customer who "
    "mails hears back by their time. At 4-5 the manager sends one more ticket up in a DM, naming only when it came "
    "in (the note's line says they may).",
    generate=generate,
    check=check,
    oracle=oracle,
    variants=("amount", "stage"),
    tasks_per_variant=15,
    count=30,
    max_steps=70,
    tags=("noise", "conflict"),
    stale_oracle=stale_oracle,
    footprint=Footprint(
        owns=(
            Own("helpdesk.tickets", ids=("ticket_ids",)),
            Own("crm.activities", where=field_in("deal", "deal_ids")),
        ),
        parties=("asker",),
        channels=("channel", "dm"),
    ),
)
