"""What a person's apps keep: expense claims, alarms, phone-only contacts, app cards, sent mail, sync files.

Before these, only a task ever wrote an expense claim, a phone alarm, a contact saved on the phone
only, an app card in the phone's shade (with its ``phone / notification`` line), a mail sent from the
private mailbox or a file a client rewrote (``files / file.changed``): the record's kind alone named
the task's (issue 21, camouflage). A person's devices have all of them: claims of earlier months
(submitted, approved), a weekday wake-up and a few alarms left off, the plumber's number, cards from
ride, delivery and travel apps, sign-in prompts answered long ago, a watch pairing; replies to the
landlord and to shops; a sync client rewriting its state file, also during the episode.

Two steps around :meth:`claw_gym.life.plan.Plan.deliver`: :func:`plan` adds the timed records that
have a timeline line (card payments a claim links to, cards, sent mail, the sync client's writes) to
the plan; :func:`store` places the rest after delivery, through the services' own helpers as the
families do (``Expenses.add``, ``Phone.add_contact_record``, ``Phone.add_alarm_record``), without a
line, as the families' are. :func:`step_aside` (from :meth:`claw_gym.life.Life.settle`) removes the
ones that share a family's matter (a merchant, an amount, an app, a name, a number, an alarm's time).

Draws come from their own stream (derived from the world), so the rest of the history keeps its draws.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from .. import clock
from ..rng import derive_rng
from . import records as R
from .plan import Plan

if TYPE_CHECKING:
    from ..world import World

#: business spending a person claims: (merchant, low, high, category, what the notes say)
CLAIMS = (
    ("Cityline Taxi", 12, 48, "travel", "taxi to the client"),
    ("Rail Express", 29, 140, "travel", "train to the workshop"),
    ("Harbour Hotel", 95, 240, "travel", "one night, team offsite"),
    ("Bistro Lumen", 18, 65, "meals", "lunch with a customer"),
    ("Noodle Bar", 11, 32, "meals", "dinner on the road"),
    ("Paper & Co", 9, 45, "office", "notebooks for the team"),
    ("Cloudnote", 8, 24, "software", "monthly plan"),
    ("Learnhub", 40, 190, "training", "online course"),
    ("Airport Parking", 14, 60, "travel", "parking, two days"),
)
#: the person's own alarms: (HH:MM, label, days, on)
ALARMS: tuple[tuple[str, str, tuple[str, ...], bool], ...] = (
    ("06:40", "Wake up", ("mon", "tue", "wed", "thu", "fri"), True),
    ("07:50", "", ("sat", "sun"), False),
    ("07:25", "School run", ("mon", "tue", "wed", "thu", "fri"), True),
    ("18:10", "Gym", ("tue", "thu"), True),
    ("05:55", "", (), False),
    ("21:40", "Bins out", ("sun",), True),
    ("13:20", "Pills", (), False),
    ("08:35", "Stand-up", ("mon", "wed"), False),
)
#: contacts saved on the phone only: (name, how the number starts)
CONTACTS = (
    ("Piotr Kowalczyk (plumber)", "+49 151"),
    ("Radio Taxi Mitte", "+49 30"),
    ("Tennis club Blau-Weiss", "+49 30"),
    ("Marta Lindqvist (old job)", "+49 160"),
    ("Pizza Roma", "+49 30"),
    ("Dr. Henrike Haas (vet)", "+49 30"),
    ("Locksmith 24h", "+49 800"),
    ("Jonas Albrecht (football)", "+49 176"),
    ("Sabine Wendt (Kita)", "+49 157"),
    ("Garage Okafor (car)", "+49 30"),
)
#: app cards: (app, package, title, text, actions); {n} a number, {m} an amount
CARDS: tuple[tuple[str, str, str, str, tuple[str, ...]], ...] = (
    (
        "Ridepoint",
        "com.ridepoint.app",
        "Your ride receipt",
        "Trip of {n} min: {m} EUR, charged to your personal card. The receipt is in the app under Trips.",
        (),
    ),
    (
        "Parcelpoint",
        "com.parcelpoint",
        "Delivered",
        "Your parcel was left in your mailbox at {n}:10. Questions? Open the app to see the photo.",
        (),
    ),
    ("Parcelpoint", "com.parcelpoint", "Out for delivery", "Your parcel arrives today between 12:00 and 16:00.", ()),
    (
        "Railgo",
        "com.railgo.tickets",
        "ICE platform change",
        "Your train leaves from platform {n} today. Seat and coach stay the same; the ticket is in the app.",
        (),
    ),
    ("Railgo", "com.railgo.tickets", "Your ticket", "Your ticket for Saturday is in the app, with the QR code.", ()),
    ("Watch", "com.claw.wear", "Watch connected", "Your watch is paired and syncing. Battery {n}%.", ()),
    ("Earbuds", "com.claw.buds", "Earbuds connected", "Left {n}%, right {n}%. The case needs charging soon.", ()),
    ("Streamly", "com.streamly", "New episode", "A new episode of your series is out. Watch it now or later.", ()),
    (
        "Foodbox",
        "com.foodbox",
        "Your receipt",
        "Order of {m} EUR, paid with your personal card. Your rider is on the way; tap to follow them.",
        (),
    ),
    ("Weather", "com.claw.weather", "Rain from 15:00", "Take an umbrella this afternoon, {n} mm expected.", ()),
    (
        "Gymbook",
        "com.gymbook",
        "Sign-in request",
        "Approve the sign-in to your Gymbook account from a new phone (near your home)? It expires in 5 minutes.",
        ("Approve", "Deny"),
    ),
    (
        "Citybank",
        "com.citybank",
        "New browser sign-in",
        "Was it you signing in to your online banking from a new browser? If not, tap No and we lock the login.",
        ("Yes", "No"),
    ),
    (
        "EV Charge",
        "com.evcharge",
        "Charging complete",
        "Session at the station near you ended: {n} kWh, {m} EUR on your personal account.",
        (),
    ),
)
#: cards that may arrive during the episode: informative, nothing to answer
LIVE = tuple(c for c in CARDS if not c[4])
#: replies from the private mailbox: (to: "landlord" / "shop" / "friend", subject, body)
SENT = (
    ("landlord", "Re: Boiler service", "Hello,\n\nThursday morning works for me, I will be home.\n\nBest"),
    ("landlord", "Meter reading", "Hello,\n\nthe meter reads {n} this month.\n\nBest regards"),
    ("shop", "Re: Your order has shipped", "Hi,\n\ncould you leave it with the neighbours if I am out?\n\nThanks"),
    ("shop", "Re: Your return was received", "Thanks, all clear.\n\nBest"),
    ("friend", "photos", "Here are the photos from Sunday, a few blurry ones too."),
    ("friend", "Re: plans", "Saturday sounds good, I will bring dessert."),
)
#: replies to suppliers from the work mailbox: (to, subject, body)
SENT_WORK = (
    ("invoices@officesupply.example", "Re: Invoice for your order", "Thanks, forwarded to finance.\n\nBest"),
    ("events@venuehall.example", "Room booking", "Hello,\n\nplease keep the room for us until 17:00.\n\nThanks"),
    ("support@meetly.example", "Re: Your ticket", "Thanks, that fixed it.\n\nBest"),
)
#: files the background's apps rewrite: (path, the client, what it writes)
SYNCED = (
    (".config/drivesync/state.json", "drivesync", '{{"last_sync": "{when}", "files": {n}, "errors": 0}}\n'),
    (".config/notesync/last_run", "notesync", "{when} synced {n} notes\n"),
)


def _rng(world: World) -> Any:
    return derive_rng(world.task_id, world.seed, "apps")


def plan(p: Plan) -> dict[str, Any]:
    """Add the timed, lined records to the plan; what :func:`store` places after delivery."""
    rng = _rng(p.world)

    def pick(seq: Any) -> Any:
        return seq[int(rng.integers(0, len(seq)))]

    later: dict[str, Any] = {"claims": []}

    def moment(lo_day: int, hi_day: int, lo_h: float = 7.5, hi_h: float = 22.5) -> int:
        day = clock.day_start(p.now) - int(rng.integers(lo_day, hi_day)) * clock.DAY
        return min(p.now - 300, day + int(rng.uniform(lo_h, hi_h) * clock.HOUR) + int(rng.integers(0, 60)))

    if p.has("expenses"):  # a few claims a month, each with its card payment (when the bank is there)
        for _ in range(3 * 3):
            merchant, lo, hi, category, what = pick(CLAIMS)
            t = moment(6, 88, 8, 21)
            amount = round(float(rng.uniform(lo, hi)), 2)
            tx = R.tx(p, t, -amount, merchant, "card payment") if p.has("bank") else None
            status = "approved" if t < p.now - 14 * clock.DAY or rng.random() < 0.3 else "submitted"
            what = what if rng.random() < 0.5 else ""  # a note now and then
            linked = rng.random() < 0.7  # typed by hand now and then: no payment linked
            later["claims"].append((t, merchant, amount, category, status, tx if linked else None, what))
    if p.has("phone"):
        for k in sorted(int(x) for x in rng.choice(len(CARDS), size=7, replace=False)):
            app, package, title, text, actions = CARDS[k]
            t = moment(0, 30)
            if rng.random() < 0.5:  # pushed on the minute (a scheduled push)
                t -= t % 60
            text = text.format(n=int(rng.integers(2, 60)), m=f"{rng.uniform(6, 40):.2f}")
            answered = bool(actions) and t < p.now - 2 * clock.DAY
            R.card(
                p,
                t,
                app,
                title,
                text,
                actions=actions,
                package=package if rng.random() < 0.4 else "",
                dismissed=answered or t < p.now - 3 * clock.DAY or bool(rng.random() < 0.4),
                response=actions[0] if answered else None,
                extra={"responded_at": t + int(rng.integers(20, 600))} if answered else None,
            )
        horizon = max(3600, p.horizon)
        for _ in range(2 + p.difficulty // 2):  # and during the coming days
            app, package, title, text, _ = pick(LIVE)
            t = p.now + int(rng.integers(1200, horizon)) + int(rng.integers(0, 60))
            R.card(
                p,
                t,
                app,
                title,
                text.format(n=int(rng.integers(2, 60)), m=f"{rng.uniform(6, 40):.2f}"),
                package=package if rng.random() < 0.4 else "",
            )
    if p.has("mail"):
        shops = [a for _, a in p.cast.shops] if p.cast.shops else []
        friends = p.cast.private_people()
        for _ in range(4 + p.difficulty):
            to, subject, body = pick(SENT)
            if to == "landlord":
                addr, who = p.cast.landlord_email, p.cast.landlord
            elif to == "shop" and shops:
                addr, who = pick(shops), ""
            elif to == "friend" and friends:
                f = pick(friends)
                addr, who = f.email, f.name
            else:
                continue
            body = body.format(n=int(rng.integers(10000, 99999)))
            R.mail_out(p, "mail", moment(1, 88), addr, subject, body, who=who, words=len(body.split()))
    if p.has("workmail"):
        for _ in range(2 + p.difficulty // 2):
            to, subject, body = pick(SENT_WORK)
            R.mail_out(p, "workmail", moment(1, 88, 8.5, 18), to, subject, body, words=len(body.split()))
    if p.has("files"):
        for path, client, text in SYNCED[: 1 + int(rng.integers(0, 2))]:
            first = moment(60, 88)
            n = int(rng.integers(40, 900))
            saved = R.file(p, first, path, text.format(when=clock.fmt(first), n=n), words=6)
            if saved is None:
                continue
            for day in sorted({int(x) for x in rng.integers(0, 58, size=5)}, reverse=True):
                _rewrote(p, moment(day, day + 1), path, client, saved)
            t = p.now + int(rng.integers(1800, max(3600, p.horizon)))  # and once during the episode
            _rewrote(p, t, path, client, saved)
    return later


def _rewrote(p: Plan, t: int, path: str, client: str, saved: Any) -> None:
    """The client rewrote its file at ``t``: the timeline's ``file.changed`` line about it."""
    p.ref(t, "files", "file.changed", f"{client} wrote {path}", saved)


def store(world: World, later: dict[str, Any], own: set[int]) -> None:
    """Place the untimed-line records after delivery, through the services' helpers (as families do)."""
    rng = derive_rng(world.task_id, world.seed, "apps", "store")
    s = world.services
    if "expenses" in s:
        exp = s["expenses"]
        for t, merchant, amount, category, status, tx, what in later["claims"]:
            tx_id = tx.record["id"] if tx is not None and tx.record is not None else ""
            own.add(id(exp.add(t, merchant, amount, category, status=status, tx_id=tx_id, notes=what)))  # type: ignore[attr-defined]
    if "phone" in s:
        phone = s["phone"]
        now = world.clock.now
        for k in sorted(int(x) for x in rng.choice(len(ALARMS), size=4, replace=False)):
            hhmm, label, days, on = ALARMS[k]
            created = now - int(rng.integers(10, 300)) * clock.DAY - int(rng.integers(0, clock.DAY))
            own.add(id(phone.add_alarm_record(hhmm, label, days, enabled=on, created=created)))  # type: ignore[attr-defined]
        for k in sorted(int(x) for x in rng.choice(len(CONTACTS), size=4, replace=False)):
            name, start = CONTACTS[k]
            number = f"{start} {int(rng.integers(1000000, 9999999))}"
            own.add(id(phone.add_contact_record(name, number)))  # type: ignore[attr-defined]


def step_aside(world: World, own: set[int], blob: str) -> set[int]:
    """Remove the apps' records that share a family's matter: a claim with the family's merchant, amount
    or payment; a card (stored or still to come) of an app the family's cards use, or that its records
    name; an alarm within 5 minutes of a family alarm's time or of a time its records give when they
    speak of alarms (ours ring at minutes tasks' alarms do not use), or with a family alarm's label; a
    phone contact whose name or number the family's records use. ``blob``: the text of the family's
    records, lower-cased. Returns the ``id()`` of every record removed (pending ones too)."""
    s = world.services
    gone: set[int] = set()

    def said(words: str) -> bool:
        return re.search(rf"(?<![\w.+]){re.escape(words.lower())}(?![\w])", blob) is not None

    def drop(service: str, table: str, rec: dict) -> None:
        gone.add(id(rec))
        del s[service].tables[table].rows[rec["id"]]

    if "expenses" in s:
        for rec in list(s["expenses"].table("claims").values()):
            if id(rec) in own and (
                said(rec["merchant"]) or said(f"{rec['amount']:.2f}") or (rec["tx_id"] and said(rec["tx_id"]))
            ):
                drop("expenses", "claims", rec)
    if "phone" not in s:
        return gone
    phone = s["phone"]
    cards = [*phone.table("notifications").values()]
    cards += [
        e.record
        for e in world.timeline.pending
        if e.service == "phone" and e.table == "notifications" and e.record is not None
    ]
    theirs = {str(r.get("app", "")).lower() for r in cards if id(r) not in own}
    for rec in cards:
        if id(rec) in own and (rec["app"].lower() in theirs or said(rec["app"]) or said(rec["title"])):
            if phone.table("notifications").get(rec["id"]) is rec:
                drop("phone", "notifications", rec)
            gone.add(id(rec))
    alarms = [r for r in phone.table("alarms").values() if id(r) not in own]
    times = {_minutes(r["time"]) for r in alarms}
    if alarms or "alarm" in blob:  # the family speaks of alarms: none of ours at a time it gives
        times |= {int(h) * 60 + int(m) for h, m in re.findall(r"\b([01]?\d|2[0-3])[:.]([0-5]\d)\b", blob)}
    labels = {str(r["label"]).lower() for r in alarms if r["label"]}
    for rec in list(phone.table("alarms").values()):
        near = any(abs(_minutes(rec["time"]) - t) <= 5 for t in times)
        if id(rec) in own and (near or rec["label"].lower() in labels or (rec["label"] and said(rec["label"]))):
            drop("phone", "alarms", rec)
    for rec in list(phone.table("contacts").values()):
        if id(rec) in own and (said(rec["name"].split()[0]) or said(rec["phone"]) or said(rec["name"])):
            drop("phone", "contacts", rec)
    return gone


def _minutes(hhmm: str) -> int:
    h, m = hhmm.split(":")
    return int(h) * 60 + int(m)
