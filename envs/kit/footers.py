"""The small print under a shop's automatic mail (an order confirmation).

A shop's confirmation that is three lines long stands out among the background's company mail, which
runs to several paragraphs: a classifier finds the family's mail by its length. Real confirmations end
in the same few kinds of small print (where to track or change the order, how to reach customer service,
that the address is not read, why you get the mail); :func:`footer` draws two or three of them for one
company, deterministic from (world, company) and without touching the family's ``ctx.rng``.

The lines hold no figure, no date and no word a task's rule or check turns on (no card, block, refund or
cancel): a money figure or a deadline stays the one the family wrote.
"""

from __future__ import annotations

from claw_gym.rng import derive_rng
from claw_gym.tasks import Ctx

_TRACK = (
    "You can follow your order and see every update under Orders in your account.",
    "Track your parcel and change the delivery address from your account until it ships.",
    "Everything about this order is in your account, under Orders.",
)
_HELP = (
    "Questions? Our customer service team is there on weekdays from eight to six and on Saturday mornings.",
    "Need help? Write to us through the contact form on our website; we answer within one working day.",
    "Our help pages answer most questions about delivery, returns and invoices.",
)
_NOREPLY = (
    "This is an automatic message. Replies to this address are not read.",
    "Please do not reply to this mail: this mailbox is not monitored.",
)
_WHY = (
    "You receive this mail because you have an account with {company}. How we handle your data is explained "
    "in our privacy notice.",
    "{company} sends this message to confirm a purchase made with your account. It is not a marketing mail.",
    "You are getting this service message from {company} about your account. Our privacy notice explains what "
    "we store and why.",
)


def footer(ctx: Ctx, company: str) -> str:
    """The company's small print, to append to an automatic mail's body (starts with a blank line)."""
    rng = derive_rng(ctx.world.task_id, ctx.world.seed, "footer", company)

    def one(pool: tuple[str, ...]) -> str:
        return pool[int(rng.integers(len(pool)))].format(company=company)

    lines = [one(_TRACK), one(_HELP)] if rng.random() < 0.6 else [one(_HELP)]
    return "\n\n" + "\n\n".join([*lines, f"{one(_NOREPLY)}\n{one(_WHY)}", f"(c) {company}"])
