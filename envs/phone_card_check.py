"""Act on notifications: the bank asks "was this you?" about three card payments.

Each alert names only the amount, so the agent looks the payment up in the bank (which
shop charged it), then searches the mail for an order confirmation from that shop with
that amount: one means yes; none (or only a different, older order at the shop) means
no, and answering "No, block card" from the notification (confirmed in the bank app,
which it opens) disputes the charge. Each
the card was skimmed: some payments are the user's and some are not (never all one way),
and every alert must be answered right, so one blind answer for all never passes and a
blind mix one time in six (random tapping, in tests, never). Only the phone can answer: the
response is recorded by the notification's action button. From level 2 another shop's
order mail has the same amount as a payment (charged when it ships), so matching on
the amount alone, without the bank, gives the wrong answer.
"""

from __future__ import annotations

from typing import Any

from claw_gym import actions as A
from claw_gym import clock
from claw_gym.devices.phone import script as S
from claw_gym.tasks import Ctx, Family, Grader, Scenario
from claw_gym.tasks.footprint import Footprint, Own
from claw_gym.world import World

MERCHANTS = [
    ("Zalando", "orders@zalando.example"),
    ("Bookshop Lumen", "shop@lumenbooks.example"),
    ("Techstore", "noreply@techstore.example"),
    ("Greenbox Meals", "hello@greenbox.example"),
    ("Cineplex", "tickets@cineplex.example"),
]
YES, NO = "Yes, it was me", "No, block card"
INSTRUCTIONS = [
    "My bank pinged me about several card payments. Check my mail for matching orders and answer the "
    "notifications on my phone.",
    "Are the card payments the bank app is asking about mine? Look through my order mails and reply to "
    "the bank's notifications on the phone.",
    "Deal with the bank's 'was this you?' notifications on my phone - my order confirmations are in mail.",
]
PAYMENTS = 3


def _order_mail(
    ctx: Ctx,
    merchant: str,
    sender: str,
    amount: float,
    when: int,
    *,
    read: bool = False,
    note: str = "Total charged to your card",
) -> str:
    order = ctx.code(6)
    ctx.svc("mail").deliver(
        sender,
        f"Your {merchant} order #{order}",
        f"Thanks for your order!\nOrder #{order}\n{note}: {amount:.2f} EUR",
        time=when,
        read=read,
    )
    return f"Your {merchant} order #{order}"


def generate(ctx: Ctx) -> Scenario:
    bank, phone = ctx.svc("bank"), ctx.svc("phone")
    shops = ctx.sample(MERCHANTS, PAYMENTS + 1)  # one per payment, and one for the look-alike order
    paid = ctx.now - int(ctx.rng.integers(70 * 60, 110 * 60))  # the last one still 20 min ago
    payments = []
    # the card was skimmed: some of the flagged payments are the user's, some are not (never all one way)
    frauds = set(ctx.sample(list(range(PAYMENTS)), 1 + int(ctx.rng.integers(PAYMENTS - 1))))
    for i, (merchant, sender) in enumerate(shops[:PAYMENTS]):
        amount = ctx.money(15, 240)
        legit = i not in frauds
        tx = bank.post(-amount, merchant, "card payment", time=paid)  # as the background writes card rows
        order = None
        if legit:
            order = _order_mail(ctx, merchant, sender, amount, paid - 2 * clock.MINUTE)
        elif ctx.difficulty >= 3:  # an older order at the same shop, another amount
            _order_mail(
                ctx, merchant, sender, round(amount + float(ctx.rng.uniform(5, 40)), 2), paid - 9 * clock.DAY, read=True
            )
        note = phone.notify(
            "Bank",
            f"Card payment {amount:.2f} EUR",
            "Card ending 4421: was this you? The payment details are in the app.",
            [YES, NO],
            time=paid + clock.MINUTE,
            package="com.claw.bank",
            effects={
                NO: {
                    "call": "bank.dispute",
                    "args": {"id": tx["id"], "reason": "Not me: reported from the card alert"},
                    "confirm": f"Block the card ending 4421 and dispute the {amount:.2f} EUR payment?",
                }
            },
        )
        payments.append(
            {
                "tx": tx["id"],
                "note": note["id"],
                "legit": legit,
                "answer": YES if legit else NO,
                "row": f"{merchant}  {-amount:+,.2f}",
                "order": order,
                "amount": amount,
            }
        )
        paid += int(ctx.rng.integers(5 * 60, 25 * 60))
    if ctx.difficulty >= 2:  # another shop's order with the amount of a fraudulent payment, not charged yet
        other, other_sender = shops[PAYMENTS]
        _order_mail(
            ctx,
            other,
            other_sender,
            ctx.pick([p for p in payments if not p["legit"]])["amount"],
            paid - int(ctx.rng.integers(2, 6)) * clock.HOUR,
            note="You will be charged when it ships. Total",
        )
    return Scenario(ctx.pick(INSTRUCTIONS), {"payments": payments})


def check(world: World, f: dict[str, Any], g: Grader) -> None:
    notes = world.services["phone"].table("notifications")
    txs = world.services["bank"].table("transactions")
    for p in f["payments"]:
        note, tx = notes[p["note"]], txs[p["tx"]]
        what = f"the alert for {p['amount']:.2f}"
        why = (
            "a mailed order from the charging shop matches the amount"
            if p["legit"]
            else "no mailed order from the charging shop has this amount"
        )
        g.expect(
            f"{what} was answered correctly",
            note["response"] == p["answer"],
            f"answered {note['response']!r}" if note["response"] else "not answered",
            because=f"the instruction asks to answer the bank's alerts by the order mails; {why}",
        )
        if p["legit"]:
            g.forbid(f"disputed the user's own payment of {p['amount']:.2f}", tx["status"] == "disputed")
        else:
            g.expect(
                f"the fraudulent charge of {p['amount']:.2f} is disputed",
                tx["status"] == "disputed",
                f"status {tx['status']}",
                because="the alert's 'No, block card' disputes a payment that was not the user's",
            )


def oracle(world: World, f: dict[str, Any]) -> list[str]:
    """Which shops charged (Bank), are there matching orders (Mail), answer the alerts (shade)."""
    steps = [*S.open_app("Bank")]
    for p in f["payments"]:
        steps += [S.tap(f"text={p['row']}"), A.key("back")]
    steps += S.open_app("Mail")
    for p in f["payments"]:
        if p["order"]:  # unread: the list marks it with a star
            steps += [S.tap(f"text=* {p['order']}"), A.key("back")]
    shade = False
    for p in reversed(f["payments"]):  # the shade lists the newest alert first; an answer removes it
        steps += ([] if shade else [S.open_shade()]) + [S.tap(f"text={p['answer']}")]
        shade = p["answer"] == YES  # "yes" leaves the shade open
        if p["answer"] == NO:  # blocking the card opens the bank app, which asks to confirm
            steps.append(S.tap("id/button1"))
    return steps + [A.finish("Answered the bank's alerts.")]


FAMILY = Family(
    name="phone-card-check",
    count=37,
    kind="reactive",
    services=("phone", "bank", "mail", "contacts", "sms"),
    devices=("phone",),
    needs_sim_phone=True,
    summary="Every bank alert is answered from the phone: 'yes' when a mailed order matches the charging shop "
    "(from the bank) and the amount (and the charge is not disputed), otherwise 'no', which disputes it.",
    generate=generate,
    check=check,
    oracle=oracle,
    variants=("alert",),
    tasks_per_variant=20,
    max_steps=40,
    tags=("phone", "notification"),
    footprint=Footprint(
        owns=(Own("bank.transactions", ids=("payments.tx",)), Own("phone.notifications", ids=("payments.note",)))
    ),
)
