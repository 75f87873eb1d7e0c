"""Routines: what repeats. Salary, rent, subscriptions and bills every month; standups,
1:1s and syncs every week; the gym twice a week; daily card payments; the phone's battery.

Meeting series are split at "now": past instances are planned here as history; the
upcoming ones are placed by :func:`upcoming` before the family generates, so a family
that looks for a free slot sees the real calendar.
"""

from __future__ import annotations

import zlib
from datetime import datetime
from typing import TYPE_CHECKING

from .. import clock
from ..services.calendar import Calendar
from . import records as R
from .cast import Cast
from .plan import Plan, fmt, weekday

if TYPE_CHECKING:
    from ..world import World

#: (title template, weekday, hour, minutes, every n weeks)
SERIES = (
    ("Team standup", None, 9.5, 15, 1),
    ("1:1 with {manager}", 1, 11.0, 30, 1),
    ("{team} weekly sync", 3, 14.0, 45, 1),
    ("Sprint retro", 4, 15.0, 60, 2),
)
TEAMS = ("Platform", "Growth", "Payments", "Insights", "Mobile", "Operations")


def series(cast: Cast) -> list[tuple[str, int | None, float, int, int]]:
    manager = cast.persona.by_relation("manager")
    mfirst = manager[0].first if manager else "my manager"
    team = TEAMS[sum(map(ord, cast.persona.employer)) % len(TEAMS)]
    return [(t.format(manager=mfirst, team=team), wd, h, m, every) for t, wd, h, m, every in SERIES]


def attendees(cast: Cast, title: str) -> list[str]:
    """Who a series invites: the manager alone to the 1:1, part of the team to the sync, all to the rest."""
    work = [p.email for p in cast.work_people()]
    if title.startswith("1:1"):
        manager = cast.persona.by_relation("manager")
        return [manager[0].email] if manager else work[:1]
    return work[:3] if title.endswith("sync") else work[:5] if title == "Sprint retro" else work[:4]


def _instances(start_day: int, days: int, on: int | None, every: int) -> list[int]:
    """Work days (or only weekday ``on``) in ``days`` from ``start_day``, every ``every`` weeks."""
    end = start_day + days * clock.DAY
    if on is not None:
        first = start_day + (on - weekday(start_day)) % 7 * clock.DAY
        return [t for t in range(first, end, 7 * clock.DAY) if every == 1 or not (t // (7 * clock.DAY)) % every]
    return [t for t in range(start_day, end, clock.DAY) if weekday(t) < 5]


def upcoming(world: World, cast: Cast, days: int = 14) -> list[dict]:
    """Place the next ``days`` of the meeting series (plain records, before the family runs)."""
    if "calendar" not in world.services:
        return []
    cal = world.service_as("calendar", Calendar)
    today = clock.day_start(world.clock.now)
    out = []
    for title, wd, hour, minutes, every in series(cast):
        for day in _instances(today, days, wd, every):
            start = day + int(hour * clock.HOUR)
            if start <= world.clock.now:
                continue
            out.append(
                cal.add(
                    title,
                    start,
                    start + minutes * 60,
                    attendees=attendees(cast, title),
                    location="Video call" if "1:1" not in title else "Room 2.14",
                )
            )
    return out


def meetings(p: Plan) -> None:
    """Past instances of every series, with the reminder the phone showed 10 minutes before."""
    if not p.has("calendar"):
        return
    first_day = clock.day_start(p.start)
    for title, wd, hour, minutes, every in series(p.cast):
        for day in _instances(first_day, p.days, wd, every):
            start = day + int(hour * clock.HOUR)
            row = R.calendar(
                p,
                clock.day_start(start - 7 * clock.DAY) + p.randint(8 * 3600, 19 * 3600),  # the invite: any minute
                title,
                start,
                start + minutes * 60,
                attendees=attendees(p.cast, title),
                location="Video call" if "1:1" not in title else "Room 2.14",
            )
            if wd is not None:  # the phone's reminder (not for the daily standup: nobody needs one)
                p.ref(start - 10 * clock.MINUTE, "calendar", "calendar.reminder", f"in 10 min: {title}", row)


def account_of(name: str) -> str:
    """A German IBAN-shaped account number for an organisation, fixed by its name (no draw: the
    history's other draws stay where they were), as a transfer from it shows."""
    n = zlib.crc32(name.encode()) % 10**10
    return f"DE{n % 89 + 10:02d}5001050{n:010d}{n % 1000:03d}"[:22]


def money(p: Plan) -> None:
    """Salary, rent, subscriptions, utility bills (invoice mail + attachment + debit), card payments."""
    c = p.cast
    month_starts = _month_starts(p.start, p.start + p.days * clock.DAY)
    payroll = f"payroll@{c.persona.work_domain}"
    for ms in month_starts:
        mon = clock.to_datetime(ms).strftime("%B %Y")
        pay = ms + 24 * clock.DAY + 6 * clock.HOUR
        if p.start <= pay <= p.now:
            R.tx(p, pay, c.salary, c.persona.employer, f"Salary {mon}", account_of(c.persona.employer))
            R.mail_in(
                p,
                "workmail",
                pay + p.randint(1800, 9000),
                payroll,
                f"Your payslip for {mon}",
                f"Dear {p.me_first()},\n\nyour payslip for {mon} is available in the HR portal. Gross pay "
                f"{c.salary:,.2f} EUR, paid on {clock.fmt_date(pay)}. Questions: reply to this mail.\n\n"
                f"Payroll Team, {c.persona.employer}",
                words=35,
                who="Payroll",
            )
        rent_t = ms + p.randint(0, 3) * clock.DAY + 7 * clock.HOUR
        if p.start <= rent_t <= p.now:
            R.tx(p, rent_t, -c.rent, c.landlord, f"Rent {mon}", "DE89370400440532013000")
        for k, (name, price) in enumerate(c.subscriptions):
            t = ms + (3 + 5 * k) * clock.DAY + 4 * clock.HOUR
            if p.start <= t <= p.now:
                R.tx(p, t, -price, name, f"{name} subscription")
                R.mail_in(
                    p,
                    "mail",
                    t + p.randint(300, 5400),
                    f"receipts@{name.lower().replace(' ', '')}.example",
                    f"Your {name} receipt",
                    p.lazy("invoice_mail", name, f"R-{p.seed() % 10**6:06d}", price, False, False, words=60),
                    words=60,
                    who=name,
                )
        for k, (vendor, addr) in enumerate(c.utilities):
            t = ms + (10 + 4 * k) * clock.DAY + 8 * clock.HOUR + p.randint(0, 4 * 3600)  # sent at any minute
            if p.start <= t <= p.now:
                utility_bill(p, t, vendor, addr, ms)


def _month_starts(t0: int, t1: int) -> list[int]:
    """The first moment of every month from ``t0``'s to ``t1``'s, in order."""
    first, last = clock.to_datetime(t0), clock.to_datetime(t1)
    out, y, m = [], first.year, first.month
    while (y, m) <= (last.year, last.month):
        out.append(clock.from_datetime(datetime(y, m, 1)))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def utility_bill(p: Plan, t: int, vendor: str, addr: str, month: int, reminder: bool = False) -> None:
    """An invoice mail with its text attachment in files, and the direct debit a week later."""
    amount = round(p.uniform(35, 140), 2)
    number = f"INV-{clock.to_datetime(month):%y%m}-{p.seed() % 10000:04d}"
    items = (
        (f"{vendor} usage {clock.to_datetime(month):%B}", round(amount * 0.8, 2)),
        ("Standing charge", round(amount - round(amount * 0.8, 2), 2)),
    )
    path = f"Documents/bills/{vendor.replace(' ', '_')}_{number}.txt"
    frow = R.file(
        p,
        t,
        path,
        p.lazy("invoice", vendor, number, clock.fmt_date(t), items, amount, "DE02120300000000202051", words=60),
        words=60,
    )
    attached = (path,) if frow is not None else ()
    mail = R.mail_in(
        p,
        "mail",
        t,
        addr,
        f"Your {vendor} invoice {number}",
        p.lazy("invoice_mail", vendor, number, amount, False, bool(attached), words=60),
        words=60,
        who=vendor,
        attachments=attached,
    )
    R.tx(p, t + 7 * clock.DAY, -amount, vendor, number, "DE02120300000000202051")  # the invoice's account
    if mail is not None and p.random() < 0.5:  # near-duplicate: the same invoice sent again
        R.mail_in(
            p,
            "mail",
            t + 5 * clock.DAY,
            addr,
            f"Reminder: your {vendor} invoice {number}",
            p.lazy("invoice_mail", vendor, number, amount, True, bool(attached), words=75),
            words=75,
            who=vendor,
            attachments=attached,
        )


def card_payments(p: Plan, t0: int, t1: int, per_day: float) -> None:
    """Everyday card payments, the bank app's push notification for those above 25 EUR."""
    if not p.has("bank"):
        return
    n = int((t1 - t0) / clock.DAY * per_day)
    if n <= 0:
        return
    rng = p.rng
    days = rng.integers(0, max(1, (t1 - t0) // clock.DAY), size=n)
    hours = rng.uniform(8, 21, size=n)
    # mostly small (coffee, groceries, a ticket), a fifth the bigger shop, dinner out or online order
    amounts = rng.gamma(2.0, 9.0, size=n) + 1.5
    bigger = rng.random(size=n) < 0.2
    amounts[bigger] = rng.gamma(2.0, 35.0, size=int(bigger.sum())) + 15.0
    merchants = rng.integers(0, len(p.cast.merchants), size=n)
    base = clock.day_start(t0)
    for d, h, a, m in zip(days.tolist(), hours.tolist(), amounts.tolist(), merchants.tolist()):
        t = base + d * clock.DAY + int(h * clock.HOUR)
        if not t0 <= t <= t1:
            continue
        name = p.cast.merchants[m]
        R.tx(p, t, -round(a, 2), name, "card payment")
        if a > 25:
            R.device(p, t + 5, "notification", "Bank", f"You paid {a:.2f} EUR at {name}")


def habits(p: Plan) -> None:
    """The gym twice a week (calendar + monthly fee); a weekly grocery list note."""
    c = p.cast
    if p.has("calendar"):
        for day in _instances(clock.day_start(p.start), p.days, None, 1):
            if weekday(day) in (1, 3) and p.random() < 0.8:
                start = day + 18 * clock.HOUR + 30 * clock.MINUTE
                R.calendar(
                    p, start - 2 * clock.DAY - p.randint(0, 30000), "Gym", start, start + 75 * 60, location=c.gym
                )
    for m in range(0, p.days, 30):
        t = p.at(m + 1, 5)
        R.tx(p, t, -39.0, c.gym, "Membership")


def device_life(p: Plan, t0: int, t1: int) -> None:
    """Battery warnings most evenings, weekly updates and backups, a few installs and sign-ins."""
    days = (t1 - t0) // clock.DAY
    base = clock.day_start(t0)
    apps = ("Maps", "Camera", "Weather", "Banking", "Chat", "Mail", "Photos", "Podcasts", "Notes", "Fitness")
    for d in range(days + 1):
        day = base + d * clock.DAY
        if p.random() < 0.5:
            t = day + int(p.uniform(17, 23) * clock.HOUR)
            if t0 <= t <= t1:
                R.device(p, t, "battery", "System", f"Battery at {p.randint(5, 21)}%, connect charger")
        if d % 7 == 3:  # overnight while charging: the update when the store gets to it, the backup's end
            t = day + 2 * clock.HOUR + p.randint(0, 3 * 3600)
            if t0 <= t <= t1:
                R.device(p, t, "update", "Store", f"{p.pick(apps)} updated to {p.randint(2, 9)}.{p.randint(0, 20)}")
                R.device(
                    p,
                    t + p.randint(600, 3000),
                    "backup",
                    "System",
                    "Backup completed (photos, messages, settings)",
                    dev="laptop" if d % 14 == 3 else "phone",
                )
        if p.random() < 0.05:
            t = day + int(p.uniform(9, 22) * clock.HOUR)
            if t0 <= t <= t1:
                app = p.pick(("Train Times", "Recipe Box", "Splitwise", "Duolingo", "Strava"))
                R.device(p, t, "install", "Store", f"Installed {app}")
        if p.random() < 0.04:
            t = day + int(p.uniform(7, 23) * clock.HOUR)
            if t0 <= t <= t1:
                where = p.pick(("a new laptop", "Chrome on Windows", "an iPad", "Firefox on Linux"))
                R.device(p, t, "signin", "Accounts", f"New sign-in from {where}")
                R.mail_in(
                    p,
                    "mail",
                    t + 60,
                    "no-reply@accounts.example",
                    "Security alert: new sign-in",
                    f"Hi {p.me_first()},\n\nwe noticed a new sign-in to your account from {where} on "
                    f"{clock.fmt(t)}. If this was you, there is nothing to do. If not, change your password "
                    f"now and review your recent activity.\n\nAccounts Security",
                    words=45,
                    who="Accounts",
                )


def calls(p: Plan, per_week: float) -> None:
    """Phone calls with family and friends (some missed) in the phone's call log; past ones only."""
    if not p.has("phone"):  # drawn last and only with a phone: other worlds' histories are unchanged
        return
    for person in p.cast.private_people():
        for _ in range(int(p.days / 7 * per_week)):
            t = p.at(p.randint(0, p.days + 1), p.uniform(8, 22))
            if t > p.now:
                continue
            incoming = p.random() < 0.6
            missed = incoming and p.random() < 0.25
            R.call(p, t, person.phone, incoming=incoming, missed=missed, duration=p.randint(20, 1500), who=person.name)


def standup_chat(p: Plan) -> None:
    """Work-day chatter in #standup: two or three colleagues post what they are on."""
    if not p.has("chat"):
        return
    people = p.cast.work_people()
    for day in _instances(clock.day_start(p.start), p.days, None, 1):
        for who in p.sample(len(people), p.randint(0, 3)):
            person = people[who]
            t = day + int((9.4 + p.uniform(0, 0.4)) * clock.HOUR)
            thing = p.pick(
                (
                    "the review comments",
                    "tests for the export",
                    "the migration script",
                    "on-call fixes",
                    "the quarterly numbers",
                    "the new dashboard",
                    "customer follow-ups",
                    "the API spec",
                )
            )
            R.chat(p, t, "standup", person.name, f"yesterday: {thing}. today: more of the same. no blockers")


def statements(p: Plan) -> None:
    """Monthly bank statement: a mail from the bank with the month's transactions as a CSV file.

    Runs last, so it lists every planned transaction of the month (salary, rent, bills, cards).
    """
    if not p.has("bank"):
        return
    by_month: dict[str, list[tuple[str, str, str, float]]] = {}
    for e in p.events:
        if e.service == "bank" and e.table is not None and e.record is not None and e.time <= p.now:
            r = e.record
            by_month.setdefault(fmt(e.time)[:7], []).append(
                (fmt(e.time), r["counterparty"], r["reference"], r["amount"])
            )
    this_month = clock.to_datetime(p.now).strftime("%Y-%m")
    for month, rows in sorted(by_month.items()):
        if month == this_month:
            continue
        rows.sort()
        y, m = (int(x) for x in month.split("-"))
        t = clock.from_datetime(
            clock.to_datetime(p.now).replace(year=y + m // 12, month=m % 12 + 1, day=2, hour=6, minute=0, second=0)
        ) + p.randint(0, 3 * 3600)  # the bank's batch runs early in the morning, at no set minute
        if t > p.now:
            continue
        path = f"Documents/statements/statement-{month}.csv"
        frow = R.file(p, t, path, p.lazy("statement", month, tuple(rows), words=4 * len(rows)), words=4 * len(rows))
        R.mail_in(
            p,
            "mail",
            t,
            "statements@northbank.example",
            f"Your statement for {month} is ready",
            f"Dear customer,\n\nyour account statement for {month} ({len(rows)} transactions) is "
            f"{'attached as CSV' if frow is not None else 'available in online banking'}.\n\nNorthbank",
            who="Northbank",
            attachments=(path,) if frow is not None else (),
            words=25,
        )
