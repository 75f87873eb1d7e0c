"""The everyday variety of a life: short and long messages, loose files, one-off appointments.

Routines and threads give every record of a kind much the same shape (newsletters are long, texts
are short, every file is a dated bill, every calendar entry has a room and the team). Real history
is more varied, and a family's records, which must sit among it, have every shape: a two-line mail,
a long text from a sister, a file named in words saved at 14:07, a dentist appointment with no
attendees, a customer's one-line ticket still open, a to-do with no due date. Without these the
shape alone tells the family's records from the background (``python -m claw_gym.runs.camouflage``).

Every builder plans through :mod:`claw_gym.life.records`, so each record has the background's
line, companions and read flag; draws come from the plan's stream, so the world stays a function
of (task id, seed).
"""

from __future__ import annotations

import zlib

from .. import clock
from . import records as R
from .corpus import ACCOUNTS, PERSONAL, POOLS, SMS, WORK
from .plan import Plan

FIRST = ("Ana", "Ben", "Chloe", "Dev", "Elif", "Femi", "Greta", "Hugo", "Ines", "Jonas", "Kira", "Luca", "Mona")
LAST = ("Barros", "Costa", "Dahl", "Evans", "Fischer", "Grant", "Haas", "Ito", "Jansen", "Kowal", "Lund", "Moreau")
#: one-off appointments: (title, location or "", minutes, with a friend)
ONE_OFF = (
    ("Dentist", "Smile Dental, Hauptstrasse 4", 45, False),
    ("Haircut", "", 30, False),
    ("Dinner with {friend}", "", 120, True),
    ("Call with {friend}", "", 30, True),
    ("Car service", "City Garage", 90, False),
    ("Focus time", "", 120, False),
    ("Parents' evening", "School hall", 60, False),
    ("Pick up parcel", "", 15, False),
    ("Coffee with {friend}", "", 45, True),
    ("Yoga class", "", 60, False),
)
#: files a person saves under a name in words: (path, title for the text)
LOOSE_FILES = (
    ("Documents/cv.txt", "Curriculum vitae"),
    ("Documents/packing list.txt", "Packing list"),
    ("Documents/recipes/lentil soup.txt", "Lentil soup"),
    ("Documents/flat/inventory.txt", "Flat inventory"),
    ("Documents/ideas.md", "Ideas"),
    ("Documents/menu for saturday.txt", "Menu"),
    ("Documents/gift ideas.txt", "Gift ideas"),
    ("Documents/work/onboarding notes.md", "Onboarding notes"),
    ("Documents/work/talking points.md", "Talking points"),
    ("Documents/reading list.txt", "Reading list"),
    ("Documents/flat/house rules.txt", "House rules"),
    ("Documents/car/service history.txt", "Car service history"),
    ("Documents/plants.txt", "Watering the plants"),
    ("Documents/work/questions for the review.md", "Questions for the review"),
    ("Documents/holiday ideas.txt", "Holiday ideas"),
    ("Documents/neighbours.txt", "Neighbours"),
    ("Documents/work/handover.md", "Handover"),
    ("Documents/insurance/claim notes.txt", "Claim notes"),
)
QUICK_NOTES = (
    ("Parking", "Level -2, spot near the lift"),
    ("Call back", "Plumber said to call back in the morning\nAsk about the quote"),
    ("Shopping list", "milk\neggs\nbread\ncoffee\nsomething for the weekend"),
    ("Films to see", "The one Maya mentioned\nthe documentary about the glacier"),
    ("Questions for the doctor", "knee since the run?\nrepeat prescription\nflu jab"),
    ("To ask at work", "laptop swap\ntraining budget\nholiday carry-over"),
    ("Birthday party", "book a table\ncake\ninvite the neighbours"),
    ("Bike repairs", "back brake squeaks\nnew lights"),
    ("Weekend plan", "market on saturday morning\nlaundry\ncall grandma\nrun along the river"),
    ("Present for Sam", "the blue scarf from the shop near the station"),
    ("Meal plan", "mon pasta\ntue leftovers\nwed curry\nthu out\nfri pizza\nsat market\nsun roast"),
    ("Garden jobs", "tomatoes need staking\nbuy compost\nask about the hedge"),
    ("Things to fix", "bathroom tap drips\nhallway bulb\nkitchen drawer sticks\nfront door squeaks"),
)
#: work appointments with one or two colleagues: (title, location or "", minutes)
WORK_ONE_OFF = (
    ("Pairing with {who}", "", 90),
    ("Coffee chat with {who}", "", 30),
    ("Lunch with {who}", "Canteen", 60),
    ("Interview panel", "Room 1.08", 60),
    ("Vendor demo", "", 45),
    ("Budget review with {who}", "Room 3.01", 60),
    ("Planning session", "Room 2.02", 120),
    ("Catch-up with {who}", "", 30),
    ("Workshop prep", "", 90),
    ("Training: data protection", "Online", 120),
)
#: bigger purchases now and then: (merchant, low, high, what the receipt lists)
PURCHASES = (
    ("Volta Electronics", 60, 480, "Headphones"),
    ("Nordhus Furniture", 120, 900, "Bookshelf, oak"),
    ("City Garage", 90, 650, "Service and brake pads"),
    ("Allsafe Insurance", 80, 340, "Home contents insurance, yearly premium"),
    ("Greenway Bikes", 45, 380, "Bike repair and new lights"),
    ("Optika Opticians", 70, 420, "Glasses, new lenses"),
    ("Harbour Hotel", 110, 560, "Two nights, breakfast included"),
    ("Paper & Co", 25, 95, "Notebooks and a fountain pen"),
)
#: a receipt's text: the shapes shops' receipts have (and the tasks' receipts share)
RECEIPT_TEXTS = (
    "RECEIPT\nMerchant: {merchant}\nDate: {when}\nTotal: EUR {amount:.2f}\nPaid by card\n",
    "RECEIPT\n{merchant}\nDate: {when}\nTotal: EUR {amount:.2f}\nPaid by card\nThank you!\n",
)
SOMEDAY = (
    "Clear out the cellar",
    "Learn to make bread",
    "Defrost the freezer",
    "Oil the hinges",
    "Sort the photo library",
    "Frame the print from the market",
    "Look into a new phone plan",
    "Read the book Sam lent me",
    "Plan a weekend by the sea",
    "Fix the wobbly chair",
)
SERVICE_TEXTS = (
    "Your parcel will be delivered today between {a}:00 and {b}:00. Reply 1 to choose a safe place.",
    "Reminder: your appointment is tomorrow at {a}:30. Reply C to cancel or call us to move it.",
    "Your order is ready for pick-up at the store until 20:00. Please bring your ID.",
    "Your car is ready to be collected. Opening hours today {a}:00-18:00.",
    "We tried to call you about your claim. Please call back on the usual number, reference on your letter.",
)
#: short mails from shops and services: (subject, body); {brand} is the sender's
NOTICES = (
    ("Your order has shipped", "Good news: your {brand} order is on its way.\nIt should arrive in 2-3 days."),
    ("Order confirmation", "Thanks for your order at {brand}.\nWe will let you know when it ships."),
    ("Your password was changed", "The password of your {brand} account was changed.\nNot you? Contact us."),
    ("Delivery update", "Your {brand} parcel is out for delivery today."),
    ("How did we do?", "Tell us about your last order at {brand}. It takes one minute."),
    ("Your return was received", "We received your return.\nThe refund reaches your card in 5-7 days.\n{brand}"),
)
#: mails from the tools and suppliers of work: (local part, domain, sender name, subject, body)
WORK_NOTICES = (
    ("notifications", "tracker.example", "Tracker", "You were mentioned in a comment", "{who} mentioned you: {thing}?"),
    ("no-reply", "buildbot.example", "Buildbot", "Build failed on main", "The nightly build failed at the test step."),
    ("invoices", "officesupply.example", "Office Supply", "Invoice for your order", "Invoice attached. Terms 30 days."),
    ("calendar", "meetly.example", "Meetly", "Accepted: {thing}", "{who} accepted your invitation."),
    ("hr", "benefitsportal.example", "Benefits Portal", "Your request was approved", "Your request was approved."),
)
SHORT_WORK = (
    ("Quick question", "Do you have five minutes later today? Nothing urgent."),
    ("Slides", "Sent you the slides from this morning, the numbers are on page 4."),
    ("Lunch?", "Lunch at 12:30? The usual place."),
    ("Thanks", "Thanks for jumping in earlier, that saved the call."),
    ("Room change", "We moved to the small room on 3 for the afternoon."),
    ("Out tomorrow", "I am out tomorrow, back on {weekday}. Ping me on the phone if urgent."),
    ("Access", "Could you give me access to the shared folder? Thanks!"),
    ("Q3 numbers", "First cut of the Q3 numbers is in the shared folder."),
    ("Room 3.01 at 14:00", "Booked room 3.01 for us, the usual one was taken."),
    ("PO 4471", "The purchase order went through, number in the subject."),
    ("Invoice 2291 question", "Finance asked about invoice 2291, do you remember what it covered?"),
)


class _Slots(dict):
    """``format_map`` mapping drawing each slot from the corpus pools, on the plan's stream."""

    def __init__(self, p: Plan) -> None:
        super().__init__()
        self.p = p

    def __missing__(self, key: str) -> str:
        return str(self.p.pick(POOLS[key]))


def _fill(p: Plan, template: str) -> str:
    """A corpus template with its slots filled from the plan's stream."""
    return template.format_map(_Slots(p))


def _past(p: Plan, lo_day: int = 0) -> int:
    """A moment in the history at any minute and second (people do not live on the half hour)."""
    return p.at(p.randint(lo_day, p.days + 1), p.uniform(7, 23)) + p.randint(0, 60)


def messages(p: Plan, per_week: float) -> None:
    """Long texts from family and friends, texts from services' numbers, short mails both ways."""
    private = p.cast.private_people()
    weeks = p.days / 7
    if p.has("sms") and private:
        for _ in range(int(weeks * per_week * 1.5)):
            t = _past(p)
            if t > p.now:
                continue
            who = p.pick(private)
            body = " ".join(_fill(p, s) for s in (p.pick(PERSONAL) for _ in range(p.randint(2, 5))))
            R.sms(p, t, who.phone, body, who=who.name)
        for _ in range(int(weeks * per_week / 2)):
            t = _past(p)
            if t > p.now:
                continue
            number = f"+1 555 {p.randint(100, 999)} {p.randint(1000, 9999)}"
            a = p.randint(8, 15)
            R.sms(p, t, number, p.pick(SERVICE_TEXTS).format(a=a, b=a + 4))
    if private:
        for _ in range(int(weeks * per_week / 2)):
            t = _past(p)
            if t > p.now:
                continue
            who = p.pick(private)
            words = p.randint(8, 40)
            style = p.cast.style(who.name)
            letter = p.lazy("letter", style, who.name, p.me_first(), "personal", words, words=words)
            subject = p.pick(("Sunday", "photos", "Re: plans", "that recipe", "quick one", "Tickets", "address?"))
            R.mail_in(p, "mail", t, who.email, subject, letter, words=words, who=who.name)
    if p.has("mail") and p.cast.shops:
        for _ in range(int(weeks * per_week * 5)):
            t = _past(p)
            if t > p.now:
                continue
            brand, addr = p.pick(p.cast.shops)
            subject, body = p.pick(NOTICES)
            if p.random() < 0.5:  # shops put the order number in the subject
                subject = f"{subject} {p.pick(('ORD', 'NO', 'A'))}-{p.randint(100000, 999999)}"
            R.mail_in(p, "mail", t, addr, subject, body.format(brand=brand), who=brand, words=len(body.split()))
    if p.has("sms") and private:  # the coming days' texts
        for _ in range(int(p.horizon / clock.DAY * per_week)):
            t = p.now + p.randint(600, max(601, p.horizon)) + p.randint(0, 60)
            who = p.pick(private)
            short = p.random() < 0.5
            body = _fill(p, p.pick(SMS)) if short else " ".join(_fill(p, p.pick(PERSONAL)) for _ in range(2))
            R.sms(p, t, who.phone, body, who=who.name)
    people = p.cast.work_people()
    if people and p.has("workmail"):
        for _ in range(int(weeks * per_week)):
            t = p.at(p.randint(0, p.days + 1), p.uniform(7, 20)) + p.randint(0, 60)
            if t > p.now:
                continue
            local, domain, name, subject, body = p.pick(WORK_NOTICES)
            fill = {"who": p.pick(people).name, "thing": p.pick(POOLS["thing"])}
            R.mail_in(
                p, "workmail", t, f"{local}@{domain}", subject.format(**fill), body.format(**fill), who=name, words=12
            )
        for _ in range(int(weeks * per_week)):
            t = p.at(p.randint(0, p.days + 1), p.uniform(8, 18.5)) + p.randint(0, 60)
            if t > p.now:
                continue
            who = p.pick(people)
            subject, text = p.pick(SHORT_WORK)
            subject, text = _fill(p, subject), _fill(p, text)
            if p.random() < 0.3:
                R.mail_out(p, "workmail", t, who.email, subject, text, who=who.name, words=len(text.split()))
            else:
                body = f"{text}\n\n{who.first}"
                R.mail_in(p, "workmail", t, who.email, subject, body, who=who.name, words=len(text.split()) + 1)
            if p.random() < 0.25:
                longer = _fill(p, " ".join(p.pick(WORK) for _ in range(p.randint(3, 6))))
                R.mail_in(
                    p,
                    "workmail",
                    t + p.randint(600, 7200),
                    who.email,
                    f"Re: {subject}",
                    f"Hi {p.me_first()},\n\n{longer}\n\n{who.first}",
                    who=who.name,
                    words=len(longer.split()) + 3,
                )


def open_tickets(p: Plan, n: int) -> None:
    """Tickets still open: customers' people (and colleagues) writing a line or two, no reply yet.

    All in the past: a background ticket arriving during the episode would fall under a support
    task's "every ticket that comes in" rule, and the checker could not tell an agent who handled it
    from one who damaged the queue."""
    if not p.has("helpdesk"):
        return
    people = p.cast.work_people()
    for _ in range(n):
        t = p.at(p.days - p.randint(1, 12), p.uniform(7.5, 19)) + p.randint(0, 60)
        issue = p.pick(POOLS["issue"])
        if people and p.random() < 0.3:
            requester = p.pick(people).email
        else:
            account = p.pick(ACCOUNTS)
            first, last = p.pick(FIRST), p.pick(LAST)
            requester = f"{first.lower()}.{last.lower()}@{account.split()[0].lower()}.example"
        lines = [f"Hi, {issue} since {p.pick(POOLS['weekday'])}."]
        if p.random() < 0.6:
            lines.append(p.pick(("Can you take a look?", "Is this known?", "Any update would help.", "Thanks!")))
        body = " ".join(lines) if p.random() < 0.5 else "\n".join(lines)
        subject = issue[0].upper() + issue[1:]
        R.ticket(p, t, subject, requester, body, status="open", priority=p.pick(("normal", "high", "low")))


def loose_ends(p: Plan, n: int) -> None:
    """Files named in words, quick notes, someday to-dos, one-off appointments: each at any minute."""
    picked = p.sample(len(LOOSE_FILES), min(n, len(LOOSE_FILES)))
    for k in picked:
        path, title = LOOSE_FILES[k]
        words = p.pick((6, 12, 20, 35, 60, 120))
        R.file(p, _past(p), path, p.lazy("notes", title, words, (), words=words), words=words)
    for k in p.sample(len(QUICK_NOTES), min(n, len(QUICK_NOTES))):
        title, body = QUICK_NOTES[k]
        t = _past(p)
        if t <= p.now:
            R.note(p, t, title, body, words=len(body.split()))
    for k in p.sample(len(SOMEDAY), min(n, len(SOMEDAY))):
        t = _past(p)
        if t <= p.now:
            R.todo(p, t, SOMEDAY[k], None, list_name=p.pick(("inbox", "personal")))
    if not p.has("calendar"):
        return
    friends = p.cast.private_people()
    for _ in range(2 * n):
        title, location, minutes, with_friend = p.pick(ONE_OFF)
        friend = p.pick(friends) if friends else None
        if with_friend and friend is None:
            continue
        if friend is not None:
            title = title.format(friend=friend.first)
        start = p.at(p.randint(0, p.days + 3), p.pick((8.25, 10.0, 12.5, 13.75, 16.0, 17.25, 18.5, 19.0)))
        made = min(_booked(p, start, 1, 10), p.now - 600)
        attendees = [friend.email] if with_friend and friend is not None and p.random() < 0.7 else []
        R.calendar(p, made, title, start, start + minutes * 60, location=location, attendees=attendees)
    people = p.cast.work_people()
    for _ in range(int(p.days / 7 * 2 * n / 4) if people else 0):
        title, location, minutes = p.pick(WORK_ONE_OFF)
        chosen = [people[k] for k in p.sample(len(people), min(len(people), p.pick((0, 1, 1, 1, 2, 3))))]
        if "{who}" in title and not chosen:  # a meeting named after a colleague invites them
            chosen = [p.pick(people)]
        title = title.format(who=chosen[0].first if chosen else "")
        start = p.at(p.randint(0, p.days + 3), p.pick((9.0, 9.75, 10.5, 11.25, 13.0, 14.5, 15.25, 16.5)))
        if clock.weekday(start) >= 5:
            continue
        made = min(_booked(p, start, 0, 14), p.now - 600)
        emails = [x.email for x in chosen]
        R.calendar(p, made, title, start, start + minutes * 60, location=location, attendees=emails)


def _booked(p: Plan, start: int, lo: int, hi: int) -> int:
    """When an appointment at ``start`` was put in the calendar: ``lo`` to ``hi - 1`` days before, in
    waking hours (8:00-21:00, any second), never after it begins, as a family's bookings are made."""
    day = clock.day_start(start - p.randint(lo, hi) * clock.DAY)
    return min(day + p.randint(8 * clock.HOUR, 21 * clock.HOUR), start - 600)


def _receipt_path(p: Plan, merchant: str, t: int, filed: set[str]) -> str:
    """A receipt's file name as the shops' own receipts are filed (merchant and date), never one
    already filed: two receipts of one shop were once saved over each other's name."""
    d = clock.to_datetime(t)
    base = f"Documents/receipts/{merchant.split()[0].lower().strip('&')}"
    stem = p.pick((f"{base}_{d:%m%d}", f"{base}-{d:%Y%m%d-%H%M}"))
    path, n = f"{stem}.txt", 2
    while path in filed:
        path, n = f"{stem}_{n}.txt", n + 1
    filed.add(path)
    return path


def _copies(path: str, t: int) -> int:
    """How many extra copies of a receipt were saved (a download opened twice gets "name (1).txt"): about one
    receipt in ten, one in forty twice. From the name and time, so the plan's random stream stays as it was."""
    roll = zlib.crc32(f"{path}@{t}".encode()) % 40
    return 2 if roll == 0 else 1 if roll < 4 else 0


def purchases(p: Plan, per_month: float) -> None:
    """Bigger card payments (with the bank app's push), some with a receipt filed away."""
    if not p.has("bank"):
        return
    filed: set[str] = set()
    for _ in range(int(p.days / 30 * per_month)):
        t = p.at(p.randint(0, p.days + 1), p.uniform(8, 22)) + p.randint(0, 60)
        if t > p.now:
            continue
        merchant, lo, hi, _what = p.pick(PURCHASES)
        amount = round(p.uniform(lo, hi), 2) if p.random() < 0.8 else float(p.randint(lo, hi))
        R.tx(p, t, -amount, merchant, "card payment")
        R.device(p, t + 5, "notification", "Bank", f"You paid {amount:.2f} EUR at {merchant}")
        if p.random() < 0.4:
            path = _receipt_path(p, merchant, t, filed)
            text = p.pick(RECEIPT_TEXTS).format(merchant=merchant, when=clock.fmt(t), amount=amount)
            saved = t + p.randint(600, 86400)
            R.file(p, saved, path, text, words=12)
            for copy in range(_copies(path, saved)):  # downloaded again: the browser's copy mark
                R.file(
                    p, saved + (copy + 1) * (120 + saved % 3480), path.replace(".txt", f" ({copy + 1}).txt"), text, 12
                )
