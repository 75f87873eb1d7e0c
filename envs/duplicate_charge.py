"""Proactive: a card charge posts twice; dispute the duplicate and tell the shop.

Nobody asks; one line of a household note (weeks old, among unrelated lines; 30+ days at
difficulty 4, 60+ at 5) says what to do when a shop charges twice: dispute the extra charge
and write to the shop's support naming the order. Mid-episode a second charge for an order
arrives (with the bank's SMS alert). Charges look like every other card payment (the shop's
name, "card payment"); each order's receipt mail says when the card was charged, so the
duplicate is the charge no receipt accounts for. Noise: earlier genuine repeat purchases at
the same shop (one of them the same item twice: two receipts, two charges) that must not be
disputed; more of them, a later trigger and a tighter deadline with difficulty. At 4-5 a genuine
new order (with its receipt) charges the card minutes after the duplicate, at 5 for the same
amount: "dispute the newest charge" is the wrong rule.
"""

from __future__ import annotations

from typing import Any

from claw_gym import actions as A
from claw_gym import clock
from claw_gym.plural import count
from claw_gym.tasks import Ctx, Family, Grader, Scenario
from claw_gym.tasks.footprint import Footprint, Own
from claw_gym.world import World

from .kit import arrivals, checks, deadlines, household

SHOPS = [
    ("Brightcart", "brightcart.example"),
    ("Nordic Outfitters", "nordicoutfitters.example"),
    ("Paperleaf Books", "paperleaf.example"),
    ("Voltbay Electronics", "voltbay.example"),
    ("Greenbasket Grocer", "greenbasket.example"),
    ("Urbanfit Sports", "urbanfit.example"),
]
ITEMS = {
    "home": ["a desk lamp", "a set of towels", "a coffee grinder", "two cushions", "a storage box"],
    "gadgets": ["wireless earbuds", "a phone charger", "a smart plug", "a USB-C hub", "a fitness band"],
}
RECEIPT = [
    "Thanks for your order {order}!\n\nItem: {item}\nTotal charged: EUR {amount:.2f}\nPaid by card on {when}\n\n"
    "Questions? Write to {support}.",
    "Order {order} confirmed.\n{item} - EUR {amount:.2f}\nYour card was charged on {when}.\n\nSupport: {support}",
]
ALERT = "Card payment of EUR {amount:.2f} at {shop}. Not you? Check your banking app."
BANK_NUMBER = "+1 555 010 2000"
RULE = (
    "If a shop charges my card twice for one order: dispute the extra charge with the bank (not the one the "
    "receipt accounts for; repeat purchases happen, so check the receipts first) and write to the shop's "
    "support with the order number."
)


def _why(f: dict[str, Any]) -> str:
    return f"a line of the person's note '{f['rule_note']}' says"


def _order(ctx: Ctx, shop: str, domain: str, t: int, amount: float | None = None) -> tuple[str, float, str]:
    """A receipt mail for an order paid by card at ``t`` and its charge; returns (order, amount, charge id)."""
    order = f"ORD-{ctx.code(6)}"
    amount = ctx.money(12, 240) if amount is None else amount
    item = ctx.pick(ITEMS["home" if ctx.variant == "home" else "gadgets"])
    ctx.svc("mail").deliver(
        f"orders@{domain}",
        f"Your {shop} order {order}",
        ctx.pick(RECEIPT).format(order=order, item=item, amount=amount, when=clock.fmt(t), support=f"support@{domain}"),
        time=t + int(ctx.rng.integers(60, 600)),
        read=True,
    )
    return order, amount, household.card_charge(ctx, amount, shop, t + int(ctx.rng.integers(20, 100)))


def generate(ctx: Ctx) -> Scenario:
    shop, domain = ctx.pick(SHOPS)
    rule_at = ctx.now - household.days_back(ctx, base=(20, 45)) * clock.DAY
    note = household.rule_note(ctx, RULE, t=household.minute_jitter(ctx, rule_at))
    # genuine repeat purchases at the same shop over the past weeks: never disputed
    genuine: list[str] = []
    for k in range(ctx.difficulty - 1):
        t = household.minute_jitter(ctx, ctx.now - int(ctx.rng.integers(3, 25)) * clock.DAY)
        _, amount, charge = _order(ctx, shop, domain, t)
        genuine.append(charge)
        if k == 0:  # the same amount bought twice on purpose: two receipts, two charges
            genuine.append(_order(ctx, shop, domain, t + 3 * clock.HOUR + int(ctx.rng.integers(0, 3000)), amount)[2])
    t0 = household.minute_jitter(ctx, ctx.now - int(ctx.rng.integers(2, 14)) * clock.HOUR)
    order, amount, original = _order(ctx, shop, domain, t0)
    trigger = deadlines.trigger_time(ctx)
    dup = arrivals.arrive_charge(ctx, trigger, amount, shop, "card payment")
    arrivals.arrive_sms(ctx, trigger + 30, BANK_NUMBER, ALERT.format(amount=amount, shop=shop))
    settled = trigger
    if ctx.difficulty >= 4:  # a genuine new order right after (at 5 the same amount): "dispute the newest" is wrong
        settled = trigger + int(ctx.rng.integers(5 * 60, 25 * 60))
        again = f"ORD-{ctx.code(6)}"
        price = amount if ctx.difficulty >= 5 else ctx.money(12, 240)
        arrivals.arrive_mail(
            ctx,
            "mail",
            settled + int(ctx.rng.integers(60, 300)),
            f"orders@{domain}",
            f"Your {shop} order {again}",
            ctx.pick(RECEIPT).format(
                order=again,
                item=ctx.pick(ITEMS["home" if ctx.variant == "home" else "gadgets"]),
                amount=price,
                when=clock.fmt(settled),
                support=f"support@{domain}",
            ),
        )
        genuine.append(
            arrivals.arrive_charge(ctx, settled + int(ctx.rng.integers(20, 100)), price, shop, "card payment")
        )
        settled += 400
    deadline = deadlines.deadline_after(ctx, settled)
    return Scenario(
        None,
        {
            "original": original,
            "duplicate": dup,
            "genuine": genuine,
            "order": order,
            "support": f"support@{domain}",
            "trigger_at": trigger,
            "settled_at": settled,
            "shop": shop,
            "rule_note": note,
            "deciding_at": rule_at,
            "candidates": [original, *genuine],
        },
        deadline=deadline,
        trigger=f"a second charge for order {order} posts at {clock.fmt(trigger)}",
    )


def check(world: World, f: dict[str, Any], g: Grader) -> None:
    tx = world.services["bank"].table("transactions")
    dup, orig = tx.get(f["duplicate"]), tx.get(f["original"], {"status": "not posted yet"})
    g.expect(
        "the duplicate charge is disputed",
        dup is not None and dup["status"] == "disputed",
        "the duplicate has not posted" if dup is None else f"{f['duplicate']} is {dup['status']}",
        because=f"{_why(f)} to dispute the extra charge; each receipt says when its card charge was made",
    )
    g.forbid("disputed the genuine charge of the order", orig["status"] == "disputed", f["original"])
    wrong = [i for i in f["genuine"] if tx[i]["status"] == "disputed"]
    g.forbid("disputed a genuine earlier purchase", bool(wrong), ", ".join(wrong))
    since = checks.sent_to(world, f["support"], after=f["trigger_at"])  # from mail or work mail: nobody said which
    told = [m for m in since if f["order"] in m["subject"] + " " + m["body"]]
    g.expect(
        "the shop's support was told, naming the order",
        bool(told),
        f"{count(len(since), 'mail')} to {f['support']} since the second charge, {len(told)} naming {f['order']}",
        because=f"{_why(f)} to write to the shop's support naming the order; the receipt gives the address",
    )


def oracle(world: World, f: dict[str, Any]) -> list[str]:
    return [
        A.wait(f["settled_at"] - world.clock.now, wake=False),
        A.api("notes.list", query="charges my card twice"),
        A.api("bank.transactions", query=f["shop"].split()[0]),
        A.api("mail.search", query=f["order"]),
        A.api("sms.list", unread_only=True),
        A.api("bank.dispute", id=f["duplicate"], reason=f"Duplicate of {f['original']} for order {f['order']}"),
        A.api(
            "mail.send",
            to=[f["support"]],
            subject=f"Charged twice for order {f['order']}",
            body=f"Hello, my card was charged twice for order {f['order']}. I have disputed the second "
            "charge with my bank. Please make sure it is not collected again. Thanks.",
        ),
        A.wait(6 * clock.HOUR, wake=False),
    ]


FAMILY = Family(
    name="duplicate-charge",
    count=52,
    kind="proactive",
    services=("bank", "mail", "sms", "contacts", "notes", "calendar"),
    summary="The second charge (the one no receipt accounts for) is disputed, the original and earlier genuine "
    "repeat purchases are not, and the shop's support got a mail naming the order (from either mailbox), "
    "as a line of the person's household note asks.",
    generate=generate,
    check=check,
    oracle=oracle,
    variants=("home", "gadgets"),
    tasks_per_variant=15,
    max_steps=40,
    tags=("noise",),
    footprint=Footprint(owns=(Own("bank.transactions", ids=("duplicate",)),), parties=("support",)),
)
