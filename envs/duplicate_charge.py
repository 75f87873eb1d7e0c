"""Proactive: a card charge posts twice; dispute the duplicate and tell the shop.

Nobody asks; one line of a household note (weeks old, among unrelated lines; 30+ days at difficulty 4, 60+
at 5) says what to do when a shop charges twice: dispute the extra charge and write to the shop's support
naming the order. Mid-episode a second charge for an order arrives (with the bank's SMS alert, which says by
when to dispute it: the task is judged then). Charges look like every other card payment (the shop's name,
"card payment"); each order's receipt mail says when the card was charged, so the duplicate is the charge no
receipt accounts for. Noise: earlier genuine repeat purchases at the same shop (one of them the same item
twice: two receipts, two charges) that must not be disputed; more of them, a later trigger and a tighter
deadline with difficulty. At 4-5 a genuine new order (with its receipt) charges the card minutes after the
duplicate: "dispute the newest charge" is the wrong rule.

From level 4 the shop charges again for an order paid 30+ (60+ at 5) days back, among same-shaped receipts
of that shop in the same amount range (the amount picks the order; the genuine new order after it costs
another amount). The rule line names neither "twice", "charge" nor "dispute", an older line with those
words (the gym's January overlap) says to leave it, and the line adds a goal: a to-do for the day the refund
should be in (ten days on), unless the partner, whose word on the banks' timings the line says goes, said
otherwise. Session 33 (issue 21): they did, in their text thread, naming the matter only by the moment of the
text they answer, among their same-shaped texts about other household matters ("re the parcel that came in at
14:27 on 10 March: ..."): at 4 their word on the person's "should I chase them?" text makes it 14 days; at 5
their plain "give it 14 days" reply is undone weeks later by their word on that reply (21 days).
"""

from __future__ import annotations

from typing import Any

from claw_gym import actions as A
from claw_gym import clock
from claw_gym.plural import count
from claw_gym.tasks import Ctx, Family, Grader, Scenario
from claw_gym.tasks.footprint import Footprint, Own
from claw_gym.world import World

from .kit import arrivals, checks, deadlines, household, notation, oblique, plant, records

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
ALERT = (
    "Card payment of EUR {amount:.2f} at {shop}. Not you? Dispute it in your banking app before {by}, when it settles."
)
BANK_NUMBER = "+1 555 010 2000"
RULE = (
    "If a shop charges my card twice for one order: dispute the extra charge with the bank (not the one the "
    "receipt accounts for; repeat purchases happen, so check the receipts first) and write to the shop's "
    "support with the order number."
)
#: levels 4-5: the rule as people word it, with a to-do as the second goal
DEEP_RULE = (
    "When a shop takes the money again for something I already paid: get the bank to claw the extra one back "
    "(check the receipts, I do buy the same thing again sometimes), write to the shop's support quoting the order, and "
    "put a to-do on the day {days} days later to check the money is back. {partner} knows how long the banks "
    "take - if they've said otherwise, go by them."
)
#: an older line with the obvious words that says to leave a double charge alone
OTHER_RULE = "Gym charged twice in January? That's the annual fee and the monthly overlapping - leave it, it evens out."
#: level 5: the partner's reply in a thread (names no shop, no charge): the check moves to 14 days
THREAD_OUT = "the money from that refund still isn't back, should I chase them?"
THREAD_REPLY = [
    "they always take two weeks, give it 14 days before you chase next time",
    "banks need 14 days for those, don't bother before then - next time too",
]
#: session 33: the partner's word on the wait, naming the matter only by the moment of the text it answers, among
#: their same-shaped texts about other household matters (no shop, no "refund", no "from now on")
WORD_4 = [
    "two weeks, always - give it till day 14, and the same next time",
    "they take a fortnight, so wait till day 14, next time as well",
]
#: level 5: the partner's later word on their own "14 days" reply, by its time: three weeks (no "now", no "after":
#: the players' "from now on" and "after all" match word by word)
WORD_5 = [
    "make that three weeks, they've got slower since the merger - day 21 at the earliest",
    "scratch that, it's 21 days these days, they changed their terms",
]


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


def _order_deep(ctx: Ctx, shop: str, domain: str, t: int, amount: float) -> tuple[str, float, str]:
    """:func:`_order` through the background's path (the receipt's push, the bank app's push, off the minute)."""
    order = f"ORD-{ctx.code(6)}"
    item = ctx.pick(ITEMS["home" if ctx.variant == "home" else "gadgets"])
    body = ctx.pick(RECEIPT).format(
        order=order, item=item, amount=amount, when=clock.fmt(t), support=f"support@{domain}"
    )
    plant.mail_in(
        ctx, "mail", t + int(ctx.rng.integers(60, 600)), f"orders@{domain}", f"Your {shop} order {order}", body
    )
    return order, amount, str(plant.charge(ctx, t + int(ctx.rng.integers(20, 100)), amount, shop)["id"])


def _daytime(ctx: Ctx, days: int) -> int:
    """A moment ``days`` whole days back, between 08:00 and 22:00, off the round minute (people shop by day)."""
    day = clock.day_start(ctx.now) - days * clock.DAY
    return plant.jitter(ctx, day + int(ctx.rng.integers(8 * 60, 22 * 60)) * clock.MINUTE)


def _near(ctx: Ctx, amount: float, taken: set[float]) -> float:
    """Another amount in the same range (within a fifth either way), distinct from every one drawn so far."""
    while True:
        a = round(amount * float(ctx.rng.uniform(0.8, 1.2)), 2)
        if all(abs(a - x) >= 1 for x in taken):
            taken.add(a)
            return a


def _generate_deep(ctx: Ctx) -> Scenario:
    """Levels 4-5 (see the module's docstring)."""
    shop, domain = ctx.pick(SHOPS)
    five = ctx.difficulty >= 5
    days = 10
    rule_at = plant.jitter(ctx, ctx.now - household.days_back(ctx, at4=50, at5=75) * clock.DAY)
    home = next(p for p in ctx.persona.people if p.relation in ("partner", "mother", "father", "sister", "brother"))
    note = household.rule_note(ctx, DEEP_RULE.format(days="ten", partner=home.first), t=rule_at)
    household.decoy_notes(ctx, [OTHER_RULE], around=rule_at - 20 * clock.DAY, avoid=note)
    amount = ctx.money(40, 200)
    taken = {amount}
    t0 = _daytime(ctx, household.days_back(ctx))
    order, _, original = _order_deep(ctx, shop, domain, t0, amount)
    genuine: list[str] = []
    others: list[str] = []
    for k in range(4):  # the shop's other orders, same range, spread over the months: same-shaped receipts
        t = _daytime(ctx, int(ctx.rng.integers(5, 85)))
        o, a, charge = _order_deep(ctx, shop, domain, t, _near(ctx, amount, taken))
        genuine.append(charge)
        others.append(o)
        if k == 0:  # the same item bought twice on purpose: two receipts, two charges
            o2, _, c2 = _order_deep(ctx, shop, domain, t + 3 * clock.HOUR + int(ctx.rng.integers(0, 3000)), a)
            genuine.append(c2)
            others.append(o2)
    facts: dict[str, Any] = {"amended_by": home.first}
    # the partner's word on the wait (session 33): at 4 on the person's text asking when to chase; at 5 their plain
    # "14 days" reply to it, then weeks later their word on that reply
    if five:
        said = plant.jitter(ctx, rule_at + int(ctx.rng.integers(3, 6)) * clock.DAY)
    else:
        said = plant.jitter(ctx, rule_at + int(ctx.rng.integers(3, 9)) * clock.DAY)
    plant.sms(ctx, said, home.phone, THREAD_OUT, incoming=False)
    if five:
        reply_at = said + int(ctx.rng.integers(5, 90)) * clock.MINUTE + 11
        plant.sms(ctx, reply_at, home.phone, ctx.pick(THREAD_REPLY))
        days, ref = 21, f"what I sent at {clock.fmt(reply_at)[-5:]} on {oblique.day_month(reply_at)}"
        line, at = f"re {ref}: {ctx.pick(WORD_5)}", reply_at + int(ctx.rng.integers(5, 10)) * clock.DAY
    else:
        days, ref = 14, oblique.sent_out("", said)
        line, at = f"re {ref}: {ctx.pick(WORD_4)}", said + int(ctx.rng.integers(3, 8)) * clock.DAY
    at = clock.day_start(at) + int(ctx.rng.integers(18 * 60, 21 * 60)) * clock.MINUTE  # an evening text
    word = oblique.texts_referring_back(ctx, home.phone, at, line, 3, oblique.came_in_on, pool=oblique.HOME_OTHERS)
    facts["word"] = {"msg": word, "line": line, "ref": ref, "at": at, "said": said}
    reply_at = at
    trigger = deadlines.trigger_time(ctx)
    dup = arrivals.arrive_charge(ctx, trigger, amount, shop, "card payment")
    settled = trigger + int(ctx.rng.integers(5 * 60, 25 * 60))  # a genuine new order right after, another amount
    limit = deadlines.stated_limit(ctx, settled + 400)  # the bank's alert states it: judged then
    arrivals.arrive_sms(ctx, trigger + 30, BANK_NUMBER, ALERT.format(amount=amount, shop=shop, by=notation.hhmm(limit)))
    again, price = f"ORD-{ctx.code(6)}", _near(ctx, amount, taken)
    item = ctx.pick(ITEMS["home" if ctx.variant == "home" else "gadgets"])
    arrivals.arrive_mail(
        ctx,
        "mail",
        settled + int(ctx.rng.integers(60, 300)),
        f"orders@{domain}",
        f"Your {shop} order {again}",
        ctx.pick(RECEIPT).format(
            order=again, item=item, amount=price, when=clock.fmt(settled), support=f"support@{domain}"
        ),
    )
    genuine.append(arrivals.arrive_charge(ctx, settled + int(ctx.rng.integers(20, 100)), price, shop, "card payment"))
    others.append(again)
    settled += 400
    check_day = clock.day_start(trigger) + days * clock.DAY
    return Scenario(
        None,
        {
            "original": original,
            "duplicate": dup,
            "genuine": genuine,
            "order": order,
            "other_orders": others,
            "new_order": again,
            "support": f"support@{domain}",
            "trigger_at": trigger,
            "settled_at": settled,
            "shop": shop,
            "rule_note": note,
            "deciding_at": max(t0, reply_at),
            "candidates": [original, *genuine[:-1]],
            "check_day": check_day,
            "days": days,
            "before": records.ids_now(ctx, ("calendar", "entries"), ("todo", "items")),
            **facts,
        },
        deadline=limit + deadlines.GRACE,
        trigger=f"a second charge for order {order} posts at {clock.fmt(trigger)}",
    )


def generate(ctx: Ctx) -> Scenario:
    if ctx.difficulty >= 4:
        return _generate_deep(ctx)
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
    limit = deadlines.stated_limit(ctx, trigger)  # the bank's alert states it: judged then
    arrivals.arrive_sms(ctx, trigger + 30, BANK_NUMBER, ALERT.format(amount=amount, shop=shop, by=notation.hhmm(limit)))
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
    deadline = limit + deadlines.GRACE
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
    # a hedge names another of the shop's earlier orders too ("ORD-1 or ORD-2"): which order was charged twice is
    # one fact. Today's new order (another amount, its own receipt) may be named as the genuine one it is.
    earlier = [o for o in f.get("other_orders", []) if o != f.get("new_order")]
    hedged = [o for m in since for o in earlier if o in m["subject"] + " " + m["body"]]
    g.expect(
        "the shop's support was told, naming the order",
        bool(told) and not hedged,
        f"{count(len(since), 'mail')} to {f['support']} since the second charge, {len(told)} naming {f['order']}"
        + (f"; also naming {', '.join(sorted(set(hedged)))}" if hedged else ""),
        because=f"{_why(f)} to write to the shop's support naming the order; the receipt whose amount the extra "
        "charge repeats gives it and the address",
    )
    if "check_day" in f:
        got = _reminders_on(world, f["check_day"], f["before"])
        why = f"{_why(f)} to put a to-do ten days later to check the money is back"
        if "word" in f:
            why += (
                f" and to go by {f['amended_by']} if they said otherwise; {f['amended_by']}'s later text makes it "
                f"{f['days']} days"
            )
        elif "amended_by" in f:
            why += f"; {f['amended_by']}'s later text reply makes it {f['days']} days"
        g.expect(
            f"a to-do to check the refund {f['days']} days later",
            bool(got),
            "; ".join(got) if got else f"no to-do or calendar entry on {clock.fmt_date(f['check_day'])}",
            because=why,
        )


def _reminders_on(world: World, day: int, before: dict[str, list[str]]) -> list[str]:
    """The agent's open to-dos due on ``day`` and calendar entries starting that day (any time: the rule
    names a day)."""
    end = day + clock.DAY
    todos = records.agent_rows(world, "todo", "items", before["todo.items"])
    cal = records.agent_rows(world, "calendar", "entries", before["calendar.entries"])
    return [f"to-do {r['title']!r} due {clock.fmt(r['due'])}" for r in todos if r["due"] and day <= r["due"] < end] + [
        f"calendar {r['title']!r} {clock.fmt(r['start'])}" for r in cal if day <= r["start"] < end
    ]


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
        *(_deep_steps(f) if "check_day" in f else []),
        A.wait(6 * clock.HOUR, wake=False),
    ]


def _deep_steps(f: dict[str, Any]) -> list[str]:
    """The hard end's look-ups (the receipts of that amount, the thread) and the to-do."""
    return [
        A.api("notes.list", query="receipts"),
        A.api("mail.search", query=f["shop"].split()[0]),
        A.api("mail.search", query=f["shop"].split()[0], offset=20),
        A.api("bank.transactions", query=f["shop"].split()[0], offset=20),
        A.api("sms.threads"),
        A.api("todo.list"),
        A.api("todo.add_task", title=f"Check the {f['shop']} refund is back", due=clock.fmt_date(f["check_day"])),
    ]


FAMILY = Family(
    name="duplicate-charge",
    count=52,
    kind="proactive",
    services=("bank", "mail", "sms", "contacts", "notes", "calendar", "todo"),
    summary="By the time the bank's alert gives, the second charge (the one no receipt accounts for) is disputed, the"
    " original and earlier genuine repeat purchases are not, and the shop's support got a mail naming the "
    "order (from either mailbox), as a line of the person's household note asks. From level 4 the extra "
    "charge repeats an order 30+/60+ days back among same-shaped receipts (naming another order too is a "
    "hedge) and a to-do (or calendar entry) lands on the day the partner's later text gives (14 days on at 4, "
    "21 at 5, where their word undoes their plain 14-day reply).",
    generate=generate,
    check=check,
    oracle=oracle,
    variants=("home", "gadgets"),
    tasks_per_variant=15,
    max_steps=40,
    tags=("noise",),
    footprint=Footprint(owns=(Own("bank.transactions", ids=("duplicate",)),), parties=("support",)),
)
