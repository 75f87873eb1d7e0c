"""Proactive: a card charge posts twice; dispute the duplicate and tell the shop.

Nobody asks; the person's note "Assistant rules" (weeks old) says what to do when a shop
charges twice: dispute the extra charge and write to the shop's support naming the order.
Mid-episode a second charge for an order arrives (with the bank's SMS
alert). The order's receipt mail names the payment reference of the real charge, so the
duplicate is the charge whose reference the receipt does not name. Noise: earlier
genuine repeat purchases at the same shop (one of them the same item twice: two receipts,
two charges) that must not be disputed; more of them, a later trigger and a tighter
deadline with difficulty; at the top levels the genuine charge posts after the duplicate,
so "dispute the newest" is the wrong rule.
"""

from __future__ import annotations

from typing import Any

from claw_gym import actions as A
from claw_gym import clock
from claw_gym.plural import count
from claw_gym.tasks import Ctx, Family, Grader, Scenario
from claw_gym.tasks.footprint import Footprint, Own
from claw_gym.world import World

from .kit import arrivals, checks, deadlines

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
    "Thanks for your order {order}!\n\nItem: {item}\nTotal charged: EUR {amount:.2f}\nPayment reference: {ref}\n\n"
    "Questions? Write to {support}.",
    "Order {order} confirmed.\n{item} - EUR {amount:.2f}\nCard payment {ref} approved.\n\nSupport: {support}",
]
ALERT = "{bank}: card payment EUR {amount:.2f} at {shop}. Not you? Check your banking app."
BANK_NUMBER = "+1 555 010 2000"
RULE = (
    "Assistant rules\n\n- If a shop charges my card twice for one order, dispute the extra charge with the bank "
    "(never the one the receipt names) and write to the shop's support, naming the order number.\n"
    "- Repeat purchases of the same thing happen; check the receipts before disputing anything.\n"
)
RULE_WHY = "the note 'Assistant rules' says"


def _order(ctx: Ctx, shop: str, domain: str, t: int, amount: float | None = None) -> tuple[str, str, float, str]:
    order, ref = f"ORD-{ctx.code(6)}", f"PAY{ctx.code(8)}"
    amount = ctx.money(12, 240) if amount is None else amount
    item = ctx.pick(ITEMS["home" if ctx.variant == "home" else "gadgets"])
    ctx.svc("mail").deliver(
        f"orders@{domain}",
        f"Your {shop} order {order}",
        ctx.pick(RECEIPT).format(order=order, item=item, amount=amount, ref=ref, support=f"support@{domain}"),
        time=t,
        read=True,
    )
    return order, ref, amount, item


def generate(ctx: Ctx) -> Scenario:
    bank = ctx.svc("bank")
    shop, domain = ctx.pick(SHOPS)
    ctx.svc("notes").add("Assistant rules", RULE, time=ctx.now - 40 * clock.DAY)
    # genuine repeat purchases at the same shop, days ago: never disputed
    genuine: list[str] = []
    for k in range(ctx.difficulty - 1):
        t = ctx.now - int(ctx.rng.integers(3, 25)) * clock.DAY
        _, ref, amount, _ = _order(ctx, shop, domain, t)
        genuine.append(bank.post(-amount, shop.upper(), f"{shop.upper()} {ref}", time=t + 120)["id"])
        if k == 0:  # the same amount bought twice on purpose: two receipts, two charges
            _, ref2, _, _ = _order(ctx, shop, domain, t + 3 * clock.HOUR, amount)
            again = bank.post(-amount, shop.upper(), f"{shop.upper()} {ref2}", time=t + 3 * clock.HOUR + 120)
            genuine.append(again["id"])
    t0 = ctx.now - int(ctx.rng.integers(2, 14)) * clock.HOUR
    order, ref, amount, item = _order(ctx, shop, domain, t0)
    trigger = deadlines.trigger_time(ctx)
    dup = arrivals.arrive_charge(ctx, trigger, amount, shop.upper(), f"{shop.upper()} PAY{ctx.code(8)}")
    arrivals.arrive_sms(
        ctx, trigger + 30, BANK_NUMBER, ALERT.format(bank="Your bank", amount=amount, shop=shop.upper())
    )
    if ctx.difficulty >= 4:  # the genuine charge posts late, after the duplicate: "newest" is the wrong rule
        settled = trigger + int(ctx.rng.integers(3, 15)) * clock.MINUTE
        original = arrivals.arrive_charge(ctx, settled, amount, shop.upper(), f"{shop.upper()} {ref}")
    else:
        settled = trigger
        original = bank.post(-amount, shop.upper(), f"{shop.upper()} {ref}", time=t0 + 90)["id"]
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
            "shop": shop.upper(),
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
        because=f"{RULE_WHY} to dispute the extra charge; the receipt names the real charge's reference",
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
        because=f"{RULE_WHY} to write to the shop's support naming the order; the receipt gives the address",
    )


def oracle(world: World, f: dict[str, Any]) -> list[str]:
    return [
        A.wait(f["settled_at"] - world.clock.now, wake=False),
        A.api("notes.list", query="Assistant rules"),
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
    summary="The second charge (reference not on the receipt) is disputed, the original and earlier genuine "
    "repeat purchases are not, and the shop's support got a mail naming the order (from either mailbox), "
    "as the "
    "person's note 'Assistant rules' asks.",
    generate=generate,
    check=check,
    oracle=oracle,
    variants=("home", "gadgets"),
    tasks_per_variant=15,
    max_steps=40,
    tags=("noise",),
    footprint=Footprint(owns=(Own("bank.transactions", ids=("duplicate",)),), parties=("support",)),
)
