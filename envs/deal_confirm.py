"""Confirm to a customer, in writing, the price agreed in the latest CRM activity; fix the deal.

Cross-service: the customer's request is in work mail, the agreed price in the CRM
deal's activity log, the contact's address on the deal. At difficulty 4-5 the agreement sits
30+/60+ days back and is written as a discount on the last quote, so the price takes a
subtraction, never a copy. Conflict: the deal's amount
field and earlier activities carry older quotes (two at higher levels); confirming or
recording a stale quote fails. Noise: another deal of the same account that must stay
as it is.

From level 4 the account has three live deals with their own price talk (the request's subject names one),
and a line of a work notes page (weeks old, worded without "price" or "confirm") says the manager sees
anything put in writing to a client about money: they get the price too (cc, forward or chat), while an
expired line with the obvious words names someone else; the same line gives the manager the last word on
discounts. From level 4 (session 33, issue 21) the manager changes the discount in their DM a day or few after
the call (still >= 30 / 60 days back), naming the agreement only by when it was logged ("re what you logged at
08:16 on 8 January: make it 3,000 off, not the other figure"), among their same-shaped lines about other
matters; at level 5 the same notes line asks for a calendar reminder to chase the signature a week later at 10.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from claw_gym import actions as A
from claw_gym import clock
from claw_gym.plural import count
from claw_gym.tasks import Ctx, Family, Grader, Scenario, values
from claw_gym.tasks import outbound as O
from claw_gym.tasks.footprint import Footprint, Own
from claw_gym.world import World

from .kit import checks, household, oblique, plant, records, xchain

ACCOUNTS = [
    "Acme Freight",
    "Borealis Bank",
    "Cobalt Retail",
    "Dunmore Foods",
    "Elmstead Clinics",
    "Fernhill Media",
    "Granite Insurance",
    "Harbor Telecom",
]
CONTACTS = ["Alex Moreno", "Bea Lindholm", "Cyrus Obi", "Dina Karlsson", "Eli Navarro", "Fay Okoro"]
TITLES = {
    "license": ["Platform licence", "Seat expansion", "Enterprise upgrade"],
    "service": ["Implementation project", "Managed service", "Training programme"],
}
QUOTE = [
    "Sent proposal: EUR {amount:,.0f}.",
    "Revised quote sent: EUR {amount:,.0f}.",
    "{first} pushed back on price; we came down to EUR {amount:,.0f}.",
]
#: at difficulty 4-5 the agreement is a discount on the last quote: the price takes a subtraction
AGREED_OFF = [
    "Call with {first}: they sign this month if we take EUR {off:,.0f} off the last quote. Agreed.",
    "Meeting with {first}: settled at our last quote less EUR {off:,.0f}. Waiting for written confirmation.",
]
AGREED = [
    "Call with {first}: agreed EUR {amount:,.0f} if signed this month.",
    "Meeting with {first}: we settled on EUR {amount:,.0f}. Waiting for written confirmation.",
]
ASK = [
    "Hi,\n\nthanks for the call. Could you confirm the final price in writing so I can get sign-off?\n\n{first}",
    "Hello,\n\nbefore I take this to our CFO, please send me the agreed figure in an email.\n\nBest,\n{first}",
]
INSTRUCTIONS = [
    "{first} at {account} wants the price we agreed confirmed in writing. Please send it and bring the deal up to "
    "date - it's in negotiation now.",
    "Can you reply to {first} ({account}) with the figure we settled on, and update the CRM deal (amount, stage "
    "negotiation)?",
    "Please confirm our agreed price to {first} from {account} by mail and make sure the deal reflects it; move it "
    "to negotiation.",
]

#: levels 4-5: the manager's standing wish, one line of a work notes page (no "price", no "confirm")
BOSS_RULE = (
    "Anything I put in writing to a client about money: {boss} wants to see it too (cc or forward is fine), and "
    "{boss} has the last word on discounts.{later}"
)
#: level 5: the same line's second half, a date computed from the day of the confirmation
CHASE = " A week after, I chase the signature - put it in my calendar at 10 that morning."
#: an expired line with the obvious words, on another page
OLD_RULE = "Price confirmations to customers: cc {old} until the reorg at the end of {month}."
#: levels 4-5: the manager's word in their DM, naming the agreement only by when it was logged (session 33)
WORD = [
    "re {ref}: make it {off:,.0f} off, not the other figure - I spoke to their CFO",
    "re {ref}: they get {off:,.0f} off, that's what closes it",
]


def logged(thing: str, t: int) -> str:
    """ "what you logged at 14:07 on 14 October": the person's own CRM note by its time (``thing`` unnamed)."""
    return f"what you logged at {clock.fmt(t)[-5:]} on {oblique.day_month(t)}"


def generate(ctx: Ctx) -> Scenario:
    crm, wm = ctx.svc("crm"), ctx.svc("workmail")
    account = ctx.pick(ACCOUNTS)
    person = ctx.pick(CONTACTS)
    first = person.split()[0]
    email = person.lower().replace(" ", ".") + "@" + account.lower().replace(" ", "") + ".example"
    n_quotes = 1 + (ctx.difficulty >= 3) + (ctx.difficulty >= 5)
    base = int(ctx.rng.integers(20, 120)) * 1000
    quotes = [float(base)]
    for _ in range(n_quotes - 1):  # each revision strictly lower, so no two quotes (nor the final) coincide
        quotes.append(quotes[-1] - int(ctx.rng.integers(1, 6)) * 1000)
    final = float(quotes[-1] - int(ctx.rng.integers(1, 8)) * 500)
    title = ctx.pick(TITLES[ctx.variant])
    deal = crm.add_deal(
        account, title, "proposal", quotes[0], email, ctx.now + 25 * clock.DAY, next_step="Wait for feedback"
    )
    # the price talk: the agreement sits 10-20 days back, 30+ at difficulty 4, 60+ at 5
    agreed_t = household.minute_jitter(ctx, ctx.now - household.days_back(ctx, at5=70, base=(10, 20)) * clock.DAY)
    deep = ctx.difficulty >= 4
    t = agreed_t - sum(int(ctx.rng.integers(1, 4)) for _ in quotes) * clock.DAY
    talk: list[str] = []
    for k, q in enumerate(quotes):
        text = QUOTE[min(k, 2)].format(amount=q, first=first)
        talk.append(_log(ctx, deal["id"], t, text, deep))
        t = min(t + int(ctx.rng.integers(1, 4)) * clock.DAY + int(ctx.rng.integers(0, 3600)), agreed_t - clock.HOUR)
    t = agreed_t
    if ctx.difficulty >= 4:
        agreed = ctx.pick(AGREED_OFF).format(off=quotes[-1] - final, first=first)
    else:
        agreed = ctx.pick(AGREED).format(amount=final, first=first)
    talk.append(_log(ctx, deal["id"], t, agreed, deep))
    other = None
    if ctx.difficulty >= 2:  # another deal of the same account, with its own price talk
        other_amount = float(int(ctx.rng.integers(5, 30)) * 1000)
        other = crm.add_deal(
            account,
            ctx.pick(["Support plan", "Pilot extension"]),
            "qualified",
            other_amount,
            email,
            ctx.now + 60 * clock.DAY,
        )
        _log(ctx, other["id"], t + clock.HOUR, f"Discussed support tier at EUR {other_amount + 2000:,.0f}.", deep)
    facts: dict[str, Any] = {"boss": [], "boss_channel": "", "stale_more": [], "others": []}
    if deep:
        agreed_at = int(ctx.svc("crm").table("activities")[talk[-1]]["time"])
        facts = _deep(ctx, account, title, email, first, quotes, final, agreed_at)
        final = facts.pop("final", final)
    ask = wm.deliver(
        email,
        f"{title} - price confirmation",
        ctx.pick(ASK).format(first=first),
        time=min(t + clock.DAY, ctx.now - clock.HOUR)
        if ctx.difficulty < 4
        else ctx.now - int(ctx.rng.integers(2, 30)) * clock.HOUR - int(ctx.rng.integers(0, 3600)),
    )
    instruction = ctx.pick(INSTRUCTIONS).format(first=first, account=account)
    return Scenario(
        instruction,
        {
            "deal": deal["id"],
            "final": final,
            "stale": quotes,
            "email": email,
            "other": other["id"] if other else None,
            "other_before": dict(other) if other else None,
            "ask": ask["id"],
            "start": ctx.now,
            "deciding_at": agreed_t,
            "candidates": talk,
            **facts,
        },
    )


def _log(ctx: Ctx, deal: str, t: int, text: str, deep: bool) -> str:
    """An activity on a deal: through the background's path (its line, off the round minute) at levels 4-5."""
    if deep:
        return str(plant.crm_activity(ctx, plant.jitter(ctx, t), deal, text)["id"])
    return str(ctx.svc("crm").insert("activities", {"deal": deal, "time": t, "text": text})["id"])


def _deep(
    ctx: Ctx, account: str, title: str, email: str, first: str, quotes: list[float], final: float, agreed_t: int
) -> dict[str, Any]:
    """Levels 4-5: a third live deal of the account with its own agreement, the manager's line on a work notes
    page (an expired same-keyword line elsewhere), and at level 5 the manager's later chat reply that changes
    the discount plus the chase reminder; the facts these add (``final`` replaced at level 5)."""
    crm = ctx.svc("crm")
    boss = ctx.persona.by_relation("manager")[0]
    five = ctx.difficulty >= 5
    titles = [x for x in TITLES["license"] + TITLES["service"] if x != title]
    third_amount = float(quotes[-1] + int(ctx.rng.integers(-6, 7)) * 1000)
    third = crm.add_deal(account, ctx.pick(titles), "proposal", third_amount, email, ctx.now + 40 * clock.DAY)
    t3 = agreed_t - int(ctx.rng.integers(5, 15)) * clock.DAY
    off3 = float(int(ctx.rng.integers(2, 9)) * 500)
    _log(ctx, third["id"], t3 - 3 * clock.DAY, QUOTE[1].format(amount=third_amount, first=first), True)
    _log(ctx, third["id"], t3, ctx.pick(AGREED_OFF).format(off=off3, first=first), True)
    rule_t = plant.jitter(ctx, ctx.now - household.days_back(ctx, at5=70) * clock.DAY)
    rule_t = min(rule_t, agreed_t - int(ctx.rng.integers(2, 9)) * clock.DAY)  # the say is written before the word
    note = household.rule_note(ctx, BOSS_RULE.format(boss=boss.first, later=CHASE if five else ""), t=rule_t, work=True)
    old = ctx.pick(list(ctx.persona.by_relation("colleague")))
    month = clock.to_datetime(rule_t - 20 * clock.DAY).strftime("%B")
    household.decoy_notes(
        ctx, [OLD_RULE.format(old=old.first, month=month)], around=rule_t - 40 * clock.DAY, work=True, avoid=note
    )
    out: dict[str, Any] = {
        "boss": [boss.email],
        "account": account,
        "boss_name": boss.first,
        "boss_channel": f"dm-{boss.first.lower()}",
        "rule_note": note,
        "others": [third["id"]],
        "others_before": [dict(third)],
        "stale_more": [third_amount, third_amount - off3],
    }
    # the manager's later word in their DM: names the agreement only by when it was logged, among their lines about
    # other matters (the last word on discounts is theirs, the notes line says)
    off = quotes[-1] - final
    new_off = off + int(ctx.rng.integers(1, 5)) * 500 * ctx.pick([1, -1])
    new_off = new_off if new_off > 0 else off + 1500
    while quotes[-1] - new_off in {*quotes, *out["stale_more"], final}:  # a price no other figure of the talk has
        new_off += 500
    line = ctx.pick(WORD).format(ref=logged("call", agreed_t), off=new_off)
    start = agreed_t + int(ctx.rng.integers(40, 90)) * clock.MINUTE
    end = min(agreed_t + 4 * clock.DAY, clock.day_start(ctx.now - (60 if five else 30) * clock.DAY))  # whole days
    others = oblique.lines_about(ctx, logged, 3, start, pool=oblique.PLAIN)  # each about a moment before any line

    def post(t: int, text: str) -> dict:  # a manager writes between 09 and 21
        hour, day = clock.to_datetime(t).hour, clock.day_start(t)
        if hour < 9:
            t = max(day + 9 * clock.HOUR + t % clock.HOUR, start)
        elif hour >= 21:
            t = day + 20 * clock.HOUR + t % clock.HOUR
        return plant.chat(ctx, t, out["boss_channel"], boss.name, text)

    rec = oblique.among(ctx, post, line, others, start, end)
    word, said = str(rec["id"]), int(rec["time"])
    out |= {
        "final": float(quotes[-1] - new_off),
        "stale_more": out["stale_more"] + [final],
        "deciding_at": said,
        "word": word,
        "line": line,
    }
    if five:  # the same notes line's chase reminder
        out |= {
            "chase_at": clock.day_start(ctx.now) + 7 * clock.DAY + 10 * clock.HOUR,
            "before": records.ids_now(ctx, ("calendar", "entries"), ("todo", "items")),
        }
    return out


def _priced(token: str) -> bool:
    """Whether an amount was written as money (a currency code or mark with it), not a bare number."""
    return any(ch.isalpha() or ch in "€$£" for ch in token)


def _workings(amounts: Iterable[float], final: float) -> set[float]:
    """Amounts a message names as the base of the price's arithmetic: a quote that, less or plus another
    amount the same message names, gives the price ("EUR 78,500: the EUR 82,000 quote less the EUR 3,500
    we agreed"). Showing the working is no second price; a bare "78,500 or 82,000" still is."""
    named = set(amounts)
    return {
        a
        for a in named
        if a != final
        and any(d not in (a, final) and (abs(a - d - final) < 0.005 or abs(a + d - final) < 0.005) for d in named)
    }


def check(world: World, f: dict[str, Any], g: Grader) -> None:
    deals = world.services["crm"].table("deals")
    d = deals[f["deal"]]
    latest = "the latest activity on the deal records the agreement (at difficulty 4-5 as a discount on the last quote)"
    if "word" in f:
        latest += (
            f"; {f['boss_name']}, who has the last word on discounts (the note '{f['rule_note']}'), changed it later "
            "in their DM, naming the call by when it was logged"
        )
    g.expect(
        "deal amount is the agreed price",
        abs(float(d["amount"]) - f["final"]) < 0.5,
        f"deal amount EUR {float(d['amount']):,.2f}; agreed EUR {f['final']:,.2f}",
        because=f"the instruction asks to bring the deal up to date; {latest}",
    )
    g.expect(
        "deal is in negotiation",
        d["stage"] == "negotiation",
        f"stage {d['stage']}",
        because="the instruction says the deal is in negotiation now",
    )
    if f["other"]:
        touched = deals.get(f["other"]) != f["other_before"]
        g.expect(
            "the account's other deal is untouched",
            not touched,
            f"{f['other_before']['title']} {'changed' if touched else 'as it was'}",
            because="the instruction asks about this deal only; the other deal has its own price talk",
        )
    for rid, before in zip(f["others"], f.get("others_before", []), strict=True):
        g.expect(
            f"the account's deal {before['title']!r} is untouched",
            deals.get(rid) == before,
            "changed" if deals.get(rid) != before else "as it was",
            because="the instruction asks about the deal the request names; the account's other deals have their "
            "own price talk",
        )
    sent = checks.sent_to(world, f["email"], after=f["start"])
    found = [values.amounts_in(m["subject"] + "\n" + m["body"], "EUR") for m in sent]
    named = [{float(r.value) for r in rs if r.ok and r.value is not None} for rs in found]
    unclear = [p for rs in found for p in values.problems(rs)]
    every = sorted(set().union(*named))
    shown = ", ".join(f"EUR {a:,.2f}" for a in every) or "no amount"
    g.expect(
        "customer got the agreed price in writing",
        any(f["final"] in a for a in named) and not unclear,
        f"{count(len(sent), 'mail')} to {f['email']} naming {shown}" + "".join(f"; {p}" for p in unclear),
        because=f"the instruction asks to confirm the agreed price to them in writing; {latest}",
    )
    other = [float(f["other_before"]["amount"]), float(f["other_before"]["amount"]) + 2000] if f["other"] else []
    other += f["stale_more"]
    # a hedge names a second price: an earlier quote, the other deal's figure, or any other sum of the
    # price's size ("EUR 38,500 or EUR 42,500"); a discount or a fee explaining the price is no price
    priced = {float(r.value) for rs in found for r in rs if r.ok and r.value is not None and _priced(r.text)}
    stale = sorted(
        (
            {a for a in every if (a in f["stale"] or a in other) and a != f["final"]}
            | {a for a in priced if a != f["final"] and a >= 0.25 * f["final"]}
        )
        - _workings(every, f["final"])
    )
    g.expect(
        "no stale quote sent",
        not stale,
        f"other prices named: {', '.join(f'EUR {a:,.2f}' for a in stale) or 'none'}",
        because="the price is one value: earlier quotes, the other deal's figures and any second price are not it",
    )
    if f["boss"]:
        _check_boss(world, f, g, other)
    if "chase_at" in f:
        got = checks.reminders_at(world, f["chase_at"], f["before"])
        g.expect(
            "a reminder to chase the signature a week later at 10",
            bool(got),
            "; ".join(got) if got else f"no alarm, calendar entry or to-do at {clock.fmt(f['chase_at'])}",
            because=f"a line in the note '{f['rule_note']}' says to put the chase in the calendar a week after, at 10",
        )


def _check_boss(world: World, f: dict[str, Any], g: Grader, wrong: list[float]) -> None:
    """The manager saw the price (cc, forward, a mail or a chat message of their own), and nothing sent to them
    names a stale one."""
    want = {O.party(p) for p in f["boss"]} | {"#" + f["boss_channel"]}
    told = [m for m in O.outbound(world, f["start"]) if any(O.party(r) in want or r in want for r in m.to)]
    bad = [*f["stale"], *wrong]
    right = [
        m
        for m in told
        if xchain.gives_one_figure(
            m.text,
            f["final"],
            [b for b in bad if b not in _workings((float(x) for x in xchain.money_figures(m.text)), f["final"])],
        )
    ]
    g.expect(
        f"{f['boss_name']} saw the price",
        bool(right) and len(right) == len(told),
        f"{count(len(told), 'message')} to them, {len(right)} naming EUR {f['final']:,.2f} and no other price",
        because=f"a line in the note '{f['rule_note']}' says {f['boss_name']} wants to see anything put in writing "
        "to a client about money",
    )


def _act(f: dict[str, Any], amount: float) -> list[str]:
    return [
        A.api("workmail.get", id=f["ask"]),
        A.api("crm.get_deal", id=f["deal"]),
        A.api("contacts.search", query=f["email"].split("@")[0].split(".")[0]),
        A.api("crm.update_deal", id=f["deal"], amount=amount, stage="negotiation", next_step="Await signature"),
        A.api(
            "workmail.reply",
            id=f["ask"],
            body=f"Hi,\n\nhappy to confirm: the agreed price is EUR {amount:,.0f}.\n\nBest regards",
        ),
        A.finish("Confirmed the price and updated the deal."),
    ]


def oracle(world: World, f: dict[str, Any]) -> list[str]:
    if not f["boss"]:
        return _act(f, f["final"])
    amount = f["final"]
    steps = [
        A.api("workmail.get", id=f["ask"]),
        A.api("crm.list_deals", query=f["account"]),
        A.api("crm.get_deal", id=f["deal"]),
        *[A.api("crm.get_deal", id=d) for d in f["others"]],
        A.api("notes.list", query="client"),
        A.api("notes.list", query="writing"),
        A.api("chat.list_channels"),
        A.api("chat.history", channel=f["boss_channel"], limit=40),
        A.api("contacts.search", query=f["email"].split("@")[0].split(".")[0]),
        A.api("crm.update_deal", id=f["deal"], amount=amount, stage="negotiation", next_step="Await signature"),
        A.api(
            "workmail.send",
            to=[f["email"]],
            cc=f["boss"],
            subject="Re: price confirmation",
            body=f"Hi,\n\nhappy to confirm: the agreed price is EUR {amount:,.0f}.\n\nBest regards",
        ),
    ]
    if "chase_at" in f:
        start = clock.fmt(f["chase_at"])
        end = clock.fmt(f["chase_at"] + 15 * clock.MINUTE)
        day = clock.fmt_date(f["chase_at"])
        steps.append(A.api("calendar.list_events", start=day, end=clock.fmt_date(f["chase_at"] + clock.DAY)))
        steps.append(A.api("calendar.create_event", title="Chase the signature", start=start, end=end))
    return [*steps, A.api("workmail.list", folder="sent"), A.finish("Confirmed the price and updated the deal.")]


def stale_oracle(world: World, f: dict[str, Any]) -> list[str]:
    """Uses the amount field of the deal (the first quote)."""
    return _act(f, f["stale"][0])


FAMILY = Family(
    name="deal-confirm",
    count=52,
    kind="reactive",
    services=("crm", "workmail", "contacts", "calendar", "notes", "chat", "todo"),
    summary="The deal's amount is the price of the latest agreement activity (at 4-5 the last quote less the "
    "discount of the manager's later word) and its stage negotiation; the customer "
    "got a mail naming that price and no stale quote; the account's other deals are untouched. From level 4 the "
    "manager (a line of a work notes page) sees the price too, by any door, and no other, and the manager's later "
    "word in their DM changes the discount; at 5 a reminder to chase the signature a week later at 10 is set.",
    generate=generate,
    check=check,
    oracle=oracle,
    variants=("license", "service"),
    tasks_per_variant=15,
    max_steps=25,
    tags=("conflict",),
    stale_oracle=stale_oracle,
    footprint=Footprint(
        owns=(Own("crm.deals", ids=("deal",)), Own("workmail.messages", ids=("ask",))),
        parties=("email", "boss"),
        channels=("boss_channel",),
    ),
)
