"""Act on a notification: the bank asks "was this you?" about a card payment.

The alert names only the amount, so the agent looks the payment up in the bank (which
shop charged it), then searches the mail for an order confirmation from that shop with
that amount: one means yes; none (or only a different, older order at the shop) means
no, and answering "No, block card" from the notification disputes the charge. Only the
phone can answer: the response is recorded by the notification's action button. From
level 2 another shop's order mail has the same amount (charged when it ships), so
matching on the amount alone, without the bank, gives the wrong answer.
"""

from __future__ import annotations

from typing import Any

from claw_gym import actions as A
from claw_gym import clock
from claw_gym.devices.phone import script as S
from claw_gym.tasks import Ctx, Family, Grader, Scenario
from claw_gym.world import World

MERCHANTS = [("Zalando", "orders@zalando.example"), ("Bookshop Lumen", "shop@lumenbooks.example"),
             ("Techstore", "noreply@techstore.example"), ("Greenbox Meals", "hello@greenbox.example"),
             ("Cineplex", "tickets@cineplex.example")]
YES, NO = "Yes, it was me", "No, block card"
INSTRUCTIONS = ["My bank pinged me about a card payment. Check my mail for a matching order and answer the "
                "notification on my phone.",
                "Is that card payment the bank app is asking about mine? Look through my order mails and reply to "
                "the bank's notification on the phone.",
                "Deal with the bank's 'was this you?' notification on my phone - my order confirmations are in mail."]


def _order_mail(ctx: Ctx, merchant: str, sender: str, amount: float, when: int, *, read: bool = False,
                note: str = "Total charged to your card") -> str:
    order = ctx.code(6)
    ctx.svc("mail").deliver(sender, f"Your {merchant} order #{order}", f"Thanks for your order!\nOrder #{order}\n"
                            f"{note}: {amount:.2f} EUR", time=when, read=read)
    return f"Your {merchant} order #{order}"


def generate(ctx: Ctx) -> Scenario:
    bank, phone = ctx.svc("bank"), ctx.svc("phone")
    (merchant, sender), (other, other_sender) = ctx.sample(MERCHANTS, 2)
    amount = ctx.money(15, 240)
    legit = bool(ctx.rng.random() < 0.5)
    paid = ctx.now - int(ctx.rng.integers(20, 90)) * clock.MINUTE
    tx = bank.post(-amount, merchant.upper(), f"CARD 4421 {merchant.upper()}", time=paid)
    order = None
    if legit:
        order = _order_mail(ctx, merchant, sender, amount, paid - 2 * clock.MINUTE)
    elif ctx.difficulty >= 3:  # an older order at the same shop, another amount
        _order_mail(ctx, merchant, sender, round(amount + float(ctx.rng.uniform(5, 40)), 2), paid - 9 * clock.DAY,
                    read=True)
    if ctx.difficulty >= 2:  # another shop's order with the same amount, not charged yet
        _order_mail(ctx, other, other_sender, amount, paid - int(ctx.rng.integers(1, 6)) * clock.HOUR,
                    note="You will be charged when it ships. Total")
    note = phone.notify("Bank", f"Card payment {amount:.2f} EUR", "Card ending 4421: was this you? "
                        "The payment details are in the app.", [YES, NO],
                        time=ctx.now - 5 * clock.MINUTE, package="com.claw.bank",
                        effects={NO: {"call": "bank.dispute",
                                      "args": {"id": tx["id"], "reason": "Not me: reported from the card alert"}}})
    return Scenario(ctx.pick(INSTRUCTIONS), {"tx": tx["id"], "note": note["id"], "legit": legit,
                                             "answer": YES if legit else NO, "row": f"{merchant.upper()}  "
                                             f"{-amount:+,.2f}", "order": order})


def check(world: World, f: dict[str, Any], g: Grader) -> None:
    note = world.services["phone"].table("notifications")[f["note"]]
    tx = world.services["bank"].table("transactions")[f["tx"]]
    g.expect("the notification was answered correctly", note["response"] == f["answer"],
             f"answered {note['response']!r}, expected {f['answer']!r}")
    if f["legit"]:
        g.forbid("disputed a payment that was the user's own", tx["status"] == "disputed")
    else:
        g.expect("the fraudulent charge is disputed", tx["status"] == "disputed", f"status {tx['status']}")


def oracle(world: World, f: dict[str, Any]) -> list[str]:
    """Which shop charged (Bank), is there a matching order (Mail), answer the alert (shade)."""
    steps = [*S.open_app("Bank"), S.tap(f"text={f['row']}"), *S.open_app("Mail")]
    if f["order"]:
        steps.append(S.tap(f"text=* {f['order']}"))  # unread: the list marks it with a star
    return steps + [S.open_shade(), S.tap(f"text={f['answer']}"),
                    A.finish("Answered the bank: " + ("it was my order." if f["legit"] else "not me, charge disputed."))]


FAMILY = Family(
    name="phone-card-check",
    kind="reactive",
    services=("phone", "bank", "mail", "contacts", "sms"),
    devices=("phone",),
    summary="The bank notification is answered from the phone: 'yes' when a mailed order matches the charging "
            "shop (from the bank) and the amount (and the charge is not disputed), otherwise 'no', which disputes "
            "the charge.",
    generate=generate, check=check, oracle=oracle,
    variants=("alert",), tasks_per_variant=20, max_steps=30, tags=("phone", "notification"),
)
