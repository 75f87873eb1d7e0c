"""Confirm to a customer, in writing, the price agreed in the latest CRM activity; fix the deal.

Cross-service: the customer's request is in work mail, the agreed price in the CRM
deal's activity log, the contact's address on the deal. At difficulty 4-5 the agreement sits
30+/60+ days back and is written as a discount on the last quote, so the price takes a
subtraction, never a copy. Conflict: the deal's amount
field and earlier activities carry older quotes (two at higher levels); confirming or
recording a stale quote fails. Noise: another deal of the same account that must stay
as it is.
"""

from __future__ import annotations

from typing import Any

from claw_gym import actions as A
from claw_gym import clock
from claw_gym.plural import count
from claw_gym.tasks import Ctx, Family, Grader, Scenario, values
from claw_gym.tasks.footprint import Footprint, Own
from claw_gym.world import World

from .kit import checks, household

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
    agreed_t = household.minute_jitter(ctx, ctx.now - household.days_back(ctx, base=(10, 20)) * clock.DAY)
    t = agreed_t - sum(int(ctx.rng.integers(1, 4)) for _ in quotes) * clock.DAY
    talk: list[str] = []
    for k, q in enumerate(quotes):
        text = QUOTE[min(k, 2)].format(amount=q, first=first)
        talk.append(crm.insert("activities", {"deal": deal["id"], "time": t, "text": text})["id"])
        t = min(t + int(ctx.rng.integers(1, 4)) * clock.DAY + int(ctx.rng.integers(0, 3600)), agreed_t - clock.HOUR)
    t = agreed_t
    if ctx.difficulty >= 4:
        agreed = ctx.pick(AGREED_OFF).format(off=quotes[-1] - final, first=first)
    else:
        agreed = ctx.pick(AGREED).format(amount=final, first=first)
    talk.append(crm.insert("activities", {"deal": deal["id"], "time": t, "text": agreed})["id"])
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
        crm.insert(
            "activities",
            {
                "deal": other["id"],
                "time": t + clock.HOUR,
                "text": f"Discussed support tier at EUR {other_amount + 2000:,.0f}.",
            },
        )
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
        },
    )


def _priced(token: str) -> bool:
    """Whether an amount was written as money (a currency code or mark with it), not a bare number."""
    return any(ch.isalpha() or ch in "€$£" for ch in token)


def check(world: World, f: dict[str, Any], g: Grader) -> None:
    deals = world.services["crm"].table("deals")
    d = deals[f["deal"]]
    latest = "the latest activity on the deal records the agreement (at difficulty 4-5 as a discount on the last quote)"
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
    # a hedge names a second price: an earlier quote, the other deal's figure, or any other sum of the
    # price's size ("EUR 38,500 or EUR 42,500"); a discount or a fee explaining the price is no price
    priced = {float(r.value) for rs in found for r in rs if r.ok and r.value is not None and _priced(r.text)}
    stale = sorted(
        {a for a in every if (a in f["stale"] or a in other) and a != f["final"]}
        | {a for a in priced if a != f["final"] and a >= 0.25 * f["final"]}
    )
    g.expect(
        "no stale quote sent",
        not stale,
        f"other prices named: {', '.join(f'EUR {a:,.2f}' for a in stale) or 'none'}",
        because="the price is one value: earlier quotes, the other deal's figures and any second price are not it",
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
    return _act(f, f["final"])


def stale_oracle(world: World, f: dict[str, Any]) -> list[str]:
    """Uses the amount field of the deal (the first quote)."""
    return _act(f, f["stale"][0])


FAMILY = Family(
    name="deal-confirm",
    count=52,
    kind="reactive",
    services=("crm", "workmail", "contacts", "calendar", "notes"),
    summary="The deal's amount is the price of the latest agreement activity (last quote less a discount at 4-5) "
    "and its stage negotiation; the customer "
    "got a mail naming that price and no stale quote; the account's other deal is untouched.",
    generate=generate,
    check=check,
    oracle=oracle,
    variants=("license", "service"),
    tasks_per_variant=15,
    max_steps=25,
    tags=("conflict",),
    stale_oracle=stale_oracle,
    footprint=Footprint(
        owns=(Own("crm.deals", ids=("deal",)), Own("workmail.messages", ids=("ask",))), parties=("email",)
    ),
)
