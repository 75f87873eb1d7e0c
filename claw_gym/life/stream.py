"""The background's share of the shapes a task's records take: short notes, odd hours, arrivals.

A family's records are often short (a two-line mail, a list in a text file), arrive at any hour (a
customer abroad files a ticket at 03:00) or during the episode (a trigger). When only a task's
records have such a shape, the shape alone names them (``python -m claw_gym.runs.camouflage``).
These builders give the background the same shapes at a person's natural rate, with content that
asks nothing of the person: no request, no deadline, nothing to answer, so an arrival during the
episode is never mistaken for a trigger.

Drawn after every other builder of :class:`claw_gym.life.Life`, so the history before them keeps
its draws.
"""

from __future__ import annotations

from .. import clock
from . import records as R
from .plan import Plan
from .recent import _stranger
from .variety import FIRST, LAST

#: company-wide notes that inform and ask nothing: (subject, body)
FYI = (
    ("Canteen menu this week", "Hi all,\nthe canteen menu for this week is up on the intranet.\nEnjoy!"),
    ("New coffee machine", "The new coffee machine on the third floor is in.\nBeans are restocked on Mondays."),
    ("VPN upgrade complete", "The VPN upgrade finished overnight.\nNothing changes for you."),
    ("Welcome to the team", "Two new colleagues joined the finance team this week.\nWelcome aboard!"),
    ("Summer party photos", "Photos from the summer party are in the shared album.\nThanks to everyone who came!"),
    ("Parking garage", "Level -2 of the garage is open again after the repainting."),
    ("Office plants", "The office plants were repotted today.\nThey are doing fine."),
    ("Printer fixed", "The printer by the kitchen works again."),
)
#: shop and delivery notices: (brand, subject, body)
NOTICES = (
    ("Parcelpoint", "Your parcel was delivered", "Your parcel was delivered to your mailbox.\nThank you for shopping."),
    ("Bookhaus", "Order confirmed", "Thanks for your order.\nWe will let you know when it ships."),
    ("Streamly", "New on Streamly", "Three new series this week.\nHappy watching!"),
    ("Citybike", "Your ride summary", "Ride of 23 minutes.\nThanks for riding with Citybike."),
    ("Greengrocer", "Receipt for your order", "Your receipt is attached to your account page."),
    ("Photobox", "Your prints are on their way", "Your prints left our lab today."),
)
#: customers' companies abroad (some domains hyphenated, as companies' are)
ABROAD = ("north-wind", "blue-harbor", "kite-labs", "sunfield", "east-bay-foods", "orbit-works", "lakeside")
#: texts services send from numbers the phone does not know: informative, nothing to do
SERVICE_TEXTS = (
    "Citybike: your ride ended after 23 minutes. 2.40 EUR was charged to your card on file. Thanks for riding!",
    "Greenleaf Pharmacy: thank you for your visit today. Your receipt is in the app under Purchases.",
    "Streamly: your plan renewed as usual. Nothing changes for you; see the app for details.",
    "Parcelpoint: your parcel was delivered to your mailbox this afternoon. Thank you for choosing Parcelpoint.",
    "City Library: the book you returned was checked in. Your account shows no items on loan.",
    "Metro card: your monthly pass is active from today. Have a good journey.",
)
#: short lists people keep in text files: (name, lines)
LISTS = (
    ("shopping", ("milk", "eggs", "bread", "coffee beans", "tomatoes", "rice")),
    ("packing", ("charger", "passport", "toothbrush", "sweater", "book")),
    ("gift-ideas", ("scarf for mum", "board game", "concert tickets", "plant")),
    ("books-to-read", ("The Overstory", "Klara and the Sun", "Middlemarch", "Piranesi")),
    ("recipes", ("lentil soup", "shakshuka", "banana bread", "pad thai")),
)


def fyi(p: Plan, per_week: float, end: int) -> None:
    """Short company notes in the work inbox, through the coming days too (they arrive mid-episode)."""
    if not p.has("workmail"):
        return
    sender = f"office@{p.cast.persona.work_domain}"
    for _ in range(int((end - p.start) / (7 * clock.DAY) * per_week)):
        t = p.start + p.randint(0, end - p.start)
        t = clock.day_start(t) + int(p.uniform(8, 18.5) * clock.HOUR)
        subject, body = p.pick(FYI)
        hello, bye = p.pick(("Hi all,", "Hello everyone,", "Hi team,")), p.pick(("Thanks,", "Best,", "Cheers,"))
        body = f"{hello}\n\n{body}\n\n{bye}\nOffice"
        R.mail_in(p, "workmail", t, sender, subject, body, words=len(body.split()), who="Office")


def notices(p: Plan, per_week: float, end: int) -> None:
    """Short shop and delivery notices in the private inbox, at any hour, through the coming days."""
    if not p.has("mail"):
        return
    for _ in range(int((end - p.start) / (7 * clock.DAY) * per_week)):
        t = p.start + p.randint(0, end - p.start)
        brand, subject, body = p.pick(NOTICES)
        sender = f"{p.pick(('no-reply', 'hello', 'orders'))}@{brand.lower()}.example"
        body = f"Hello,\n\n{body}\n\n{brand}"
        R.mail_in(p, "mail", t, sender, subject, body, words=len(body.split()), who=brand)


def abroad(p: Plan, n: int) -> None:
    """Tickets from customers in other time zones: filed at any hour, a line or two, mostly solved."""
    if not p.has("helpdesk"):
        return
    for _ in range(n):
        t = p.start + p.randint(0, max(1, p.now - 3 * clock.HOUR - p.start))
        company = p.pick(ABROAD)
        if p.random() < 0.5:
            requester = f"{p.pick(('support', 'it', 'ops'))}@{company}.example"
        else:
            requester = f"{p.pick(FIRST).lower()}.{p.pick(LAST).lower()}@{company}.example"
        subject = p.pick(("Login page slow", "Export stuck", "Report totals off", "Sync delayed", "Invoice PDF blank"))
        body = f"{subject} for us since yesterday."
        if p.random() < 0.5:
            body = f"Hello,\n{body}\nRegards"
        status = "solved" if t < p.now - 5 * clock.DAY else p.pick(("pending", "solved"))
        row = R.ticket(p, t, subject, requester, body, status=status, priority="normal", words=10)
        if status == "solved":
            p.ref(min(t + 2 * clock.DAY, p.now - 3600), "helpdesk", "ticket.solved", f"ticket solved: {subject}", row)


def lists(p: Plan, n: int) -> None:
    """Short lists kept in text files, a line per item."""
    if not p.has("files"):
        return
    for _ in range(n):
        t = p.start + p.randint(0, max(1, p.now - p.start))
        name, items = p.pick(LISTS)
        keep = [x for x in items if p.random() < 0.8] or list(items[:2])
        R.file(p, t, f"Documents/lists/{name}-{clock.fmt_date(t)}.txt", "\n".join(keep) + "\n", words=len(keep))


def service_texts(p: Plan, per_week: float, end: int) -> None:
    """Longer texts from services' numbers (receipts, renewals, deliveries done), through the coming days."""
    if not p.has("sms"):
        return
    numbers = [_stranger(p) for _ in range(3)]
    for _ in range(int((end - p.start) / (7 * clock.DAY) * per_week)):
        t = p.start + p.randint(0, end - p.start)
        R.sms(p, t, p.pick(numbers), p.pick(SERVICE_TEXTS))
