"""The small print under a company's automatic mail (an order confirmation, a booking, a bill, an alert).

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

#: where to find the thing the mail is about, by kind of mail
_WHERE = {
    "order": (
        "You can follow your order and see every update under Orders in your account.",
        "Track your parcel and change the delivery address from your account until it ships.",
        "Everything about this order is in your account, under Orders.",
    ),
    "booking": (
        "Your booking and its receipt are in your account, under Bookings.",
        "Download the app to keep your booking at hand, even offline.",
    ),
    "bill": (
        "Your invoices and payment history are in your customer account.",
        "Prefer paper? You can switch to postal invoices in your customer account.",
    ),
    "alert": (
        "Get these updates as push messages too: switch them on in the app.",
        "Manage which updates you get by mail in your account settings.",
    ),
}
_HELP = (
    "Questions? Our customer service team is there on weekdays from eight to six and on Saturday mornings.",
    "Our help pages answer the most common questions.",
    "Need help? Our service team answers within one working day.",
)
_NOREPLY = (
    "This is an automatic message. Replies to this address are not read.",
    "Please do not reply to this mail: this mailbox is not monitored.",
)
_WHY = (
    "You receive this mail because you have an account with {company}. How we handle your data is explained "
    "in our privacy notice.",
    "{company} sends this service message about your account. It is not a marketing mail.",
    "You are getting this service message from {company} about your account. Our privacy notice explains what "
    "we store and why.",
)


def footer(ctx: Ctx, company: str, kind: str = "order", *, noreply: bool = True) -> str:
    """The company's small print for a mail of ``kind`` (order, booking, bill, alert), to append to its
    body (starts with a blank line). ``noreply=False`` where the mail's sender takes replies."""
    rng = derive_rng(ctx.world.task_id, ctx.world.seed, "footer", company, kind)

    def one(pool: tuple[str, ...]) -> str:
        return pool[int(rng.integers(len(pool)))].format(company=company)

    lines = [one(_WHERE[kind]), one(_HELP)] if rng.random() < 0.6 else [one(_HELP)]
    small = f"{one(_NOREPLY)} {one(_WHY)}" if noreply else one(_WHY)
    return f"\n\n{' '.join(lines)}\n\n{small} (c) {company}"  # two paragraphs, as a mail client wraps them
