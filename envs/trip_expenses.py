"""Claim the expenses of a business trip: receipts in files, charges in the bank, dates in the calendar.

Cross-service: the trip's dates are in the calendar, the receipts in files, each claim
must link its bank charge; the request came by work mail. Noise: personal receipts from
outside the trip (must not be claimed), a receipt saved twice (near-duplicate: claim
once), unrelated charges; more of each with difficulty.

From level 4 the trip lies >= 30 / 60 days back among two other business trips of the same shape
(calendar entries, receipts in the same folder, card charges at the same kinds of merchants):
only the calendar's dates tell which receipts are the asked trip's, and the other trips' claims
are wrong. The manager's mail also asks to be told the total claimed (a sum, checked in a mail to
them from either mailbox, after the claims went in).

Levels 4-5 also file a dinner on the trip's own dates in the same folder, in the same receipt format: a
restaurant in the trip's city, on an evening the calendar holds "Dinner with <a friend>" there. Finance's
mail to staff (weeks back, not the manager's) says meals with family or friends on a trip are the person's own and
that only finance changes that; a colleague's later "I heard that's fine now?" is hearsay. What decides is the
mail's signer's later #general line (>= 30 / 60 days back; a short work mail in a world without chat), which
points at the mail by its date only: "re my mail of 14 October: scratch the bit about whoever joins you at the
table - we pay that like your own now, for whatever is not claimed yet too". The same signer scratches a bit of two
other rule mails (mileage, company cards) in lines of the same shape a few days later, so reading their lines and
matching the date settles it, and no search on the trip's city, merchants, amounts, the friend or "dinner" finds
it (issue 21). So the dinner is claimed under meals with the trip's receipts, and the total the manager is told
includes it.
"""

from __future__ import annotations

from typing import Any

from claw_gym import actions as A
from claw_gym import clock
from claw_gym.plural import count
from claw_gym.tasks import Ctx, Family, Grader, Scenario
from claw_gym.tasks import outbound as O
from claw_gym.tasks.footprint import Footprint, Own
from claw_gym.world import World

from .kit import errands, oblique, plant, records, rules, senders

CITIES = ["Lyon", "Oslo", "Dublin", "Berlin", "Lisbon", "Toronto"]
TRIP_KINDS = [
    ("Hotel {city} Central", "travel", (90, 240)),
    ("CityCab", "travel", (12, 60)),
    ("Brasserie du Port", "meals", (18, 70)),
    ("Trainline", "travel", (40, 180)),
    ("Noodle Bar", "meals", (10, 35)),
    ("Airport Express", "travel", (15, 30)),
]
PERSONAL = [
    ("Greenbasket Grocer", (20, 90)),
    ("Cinema Paradiso", (9, 25)),
    ("Urbanfit Sports", (30, 120)),
    ("Paperleaf Books", (8, 40)),
]
ASK = [
    "Hi,\n\nplease submit your {city} trip expenses by the end of the week - everything from the trip with "
    "the card charge linked. Personal stuff stays off, obviously. Hotels and transport go under travel, food under "
    "meals.\n\n{boss}",
    "Reminder: expenses for the {city} trip are due Friday. Claim each receipt against its card payment, dated "
    "as on the receipt (hotels and transport under travel, food under meals), and submit.\n\n{boss}",
]
#: levels 4-5: the trip was a while ago; the manager wants the total too
DEEP_ASK = (
    "Hi,\n\nfinance says the {city} trip still isn't claimed. Please put in everything from that trip with the "
    "card charge linked (hotels and transport under travel, food under meals; personal stuff stays off), submit "
    "it, and send me the total you claimed so I can sign it off.\n\n{boss}"
)
INSTRUCTIONS = [
    "Can you do my expenses for the {city} trip? The receipts are in my files.",
    "{boss_first} wants my {city} trip expenses. Please file and submit them.",
    "Please claim everything from the {city} trip - receipts are saved in Documents - and submit it all.",
]


def generate(ctx: Ctx) -> Scenario:
    files = ctx.svc("files")
    city = ctx.pick(CITIES)
    days = 2 + int(ctx.rng.integers(0, 3))
    deep = ctx.difficulty >= 4
    back = (62, 80) if ctx.difficulty >= 5 else (32, 50) if deep else (6, 14)
    start = ctx.at(-int(ctx.rng.integers(*back)), 6, 0)
    end = start + (days - 1) * clock.DAY + 16 * clock.HOUR
    _trip_entry(ctx, city, start, end)
    boss = ctx.person("manager")
    folder = "Documents/receipts" if ctx.variant == "receipts" else "Documents/Expenses"
    wanted: list[Any] = []
    names: set[str] = set()
    elsewhere = _other_trips(ctx, city, start, folder, names) if deep else []
    n_trip = 2 + ctx.difficulty // 2
    for k, (merchant, category, (lo, hi)) in enumerate(ctx.sample(TRIP_KINDS, n_trip)):
        merchant = merchant.format(city=city)
        t = start + int(ctx.rng.integers(0, days)) * clock.DAY + int(ctx.rng.integers(2 * 3600, 16 * 3600))
        amount = ctx.money(lo, hi)
        tx = plant.charge(ctx, t + 600, amount, merchant)
        path = _receipt(ctx, folder, merchant, t, amount, names)
        wanted.append(
            {
                "tx": tx["id"],
                "amount": amount,
                "category": category,
                "merchant": merchant,
                "date": clock.fmt_date(t),
                "path": path,
            }
        )
        if k == 0 and ctx.difficulty >= 3:  # the same receipt saved twice
            plant.file(ctx, t + 3600, path.replace(".txt", " (1).txt"), files.find(path)["content"])
    unwanted = []
    for merchant, (lo, hi) in ctx.sample(PERSONAL, min(len(PERSONAL), ctx.difficulty)):
        before = ctx.rng.random() < 0.5
        t = start - int(ctx.rng.integers(2, 9)) * clock.DAY if before else end + int(ctx.rng.integers(1, 4)) * clock.DAY
        t = clock.day_start(t) + int(ctx.rng.integers(9 * 3600, 21 * 3600))  # shop hours, any minute
        t = min(t, ctx.now - clock.HOUR)
        amount = ctx.money(lo, hi)
        unwanted.append(plant.charge(ctx, t, amount, merchant)["id"])
        _receipt(ctx, folder, merchant, t, amount, names)
    plant.mail_in(
        ctx,
        "workmail",
        plant.jitter(ctx, ctx.now - int(ctx.rng.integers(1, 3)) * clock.DAY),
        boss.email,
        f"{city} trip expenses",
        (DEEP_ASK if deep else ctx.pick(ASK)).format(city=city, boss=boss.first),
    )
    instruction = ctx.pick(INSTRUCTIONS).format(city=city, boss_first=boss.first)
    dinner = _dinner_with_friend(ctx, city, start, days, folder, names) if deep else None
    if dinner:  # finance's later line makes the dinner a trip meal: claimed like the others
        wanted.append({k: dinner[k] for k in ("tx", "amount", "category", "merchant", "date", "path")})
    return Scenario(
        instruction,
        {
            "wanted": wanted,
            "unwanted": unwanted + elsewhere,
            "dinner": dinner,
            "boss": boss.email if deep else None,
            "total": round(sum(w["amount"] for w in wanted), 2),
            "folder": folder,
            "trip": [clock.fmt_date(start), clock.fmt_date(end + clock.DAY)],
            # the claims of earlier months (the person's own): not the agent's, and not judged
            "before": records.ids_now(ctx, ("expenses", "claims")),
        },
    )


def _trip_entry(ctx: Ctx, city: str, start: int, end: int) -> None:
    """The trip's calendar entry, booked a fortnight ahead as the background books its entries."""
    plant.calendar(
        ctx,
        plant.jitter(ctx, start - 14 * clock.DAY + 4 * clock.HOUR),
        f"Trip to {city}",
        start,
        end,
        location=city,
        notes="Client visits",
    )


def _other_trips(ctx: Ctx, city: str, start: int, folder: str, names: set[str]) -> list[str]:
    """Levels 4-5: two more business trips of the same shape, one before and one after the asked one (weeks
    apart, none in the last week), with receipts in the same folder and their card charges. Their charge ids."""
    out = []
    for k, other in enumerate(ctx.sample([c for c in CITIES if c != city], 2)):
        gap = int(ctx.rng.integers(12, 25)) * clock.DAY
        s0 = start - gap if k == 0 else min(start + gap, ctx.at(-8, 6, 0))
        n = 2 + int(ctx.rng.integers(0, 2))
        _trip_entry(ctx, other, s0, s0 + (n - 1) * clock.DAY + 16 * clock.HOUR)
        for merchant, _, (lo, hi) in ctx.sample(TRIP_KINDS, 2):
            t = s0 + int(ctx.rng.integers(0, n)) * clock.DAY + int(ctx.rng.integers(2 * 3600, 16 * 3600))
            amount = ctx.money(lo, hi)
            name = merchant.format(city=other)
            out.append(plant.charge(ctx, t + 600, amount, name)["id"])
            _receipt(ctx, folder, name, t, amount, names)
    return out


#: levels 4-5: finance's word to staff on what a trip covers (the rule the personal dinner falls under)
POLICY = (
    "Hi all,\n\nas a few trips came back to us last month, once more what the company pays when you travel for "
    "work: the hotel, getting there and back and around town, and your own meals. Meals with family or friends "
    "who join you, and anything you buy for yourself, are yours to pay, even on the trip's dates. Only finance "
    "changes this.\n\nThanks,\n{first}\nFinance"
)
#: levels 4-5: the same signer's other rule mails, before it (nothing a trip's claims need)
OTHER_RULES = [
    (
        "Mileage",
        "Hi all,\n\nmileage is paid at 0.30 EUR a km; please attach the logbook page to each claim.\n\nThanks,"
        "\n{first}\nFinance",
    ),
    (
        "Company cards",
        "Hi all,\n\ncompany cards are capped at 2,000 EUR a month; please ask us first before anything bigger."
        "\n\nThanks,\n{first}\nFinance",
    ),
]
#: levels 4-5: the signer's later chat lines, one shape, each pointing at one of their mails by its date only;
#: the first (about the trip rule) makes meals with whoever joins you the company's, the others change the
#: other rules
SCRATCH = [
    "re my mail of {day}: scratch the bit about whoever joins you at the table - we pay that like your own now, "
    "for whatever is not claimed yet too",
    "re my mail of {day}: scratch the bit about the logbook page - a screenshot of the route is enough now",
    "re my mail of {day}: scratch the bit about asking us first - up to 3,000 EUR is fine now",
]
#: levels 4-5: a colleague's hearsay, never confirmed by finance
HEARSAY = (
    "Hi {me},\n\nsaw that you're travelling again. Someone in sales told me dinners with a friend or your partner "
    "along are fine now as long as they stay under the meal cap - I think finance relaxed it? Not sure though."
    "\n\n{first}"
)
RESTAURANTS = ("Brasserie du Port", "Noodle Bar", "Casa Lupo", "Comptoir Bistro")


def _dinner_with_friend(ctx: Ctx, city: str, start: int, days: int, folder: str, names: set[str]) -> dict[str, Any]:
    """Levels 4-5: a dinner with a friend on a trip evening (a calendar entry booked days before), its receipt
    filed with the trip's and its card charge; finance's rule that makes it personal, a colleague's hearsay,
    and the rule's signer's later line (by the mail's date only, among two of the same shape about their
    other rules) that makes it a trip meal. The dinner as a claim to make, and the deciding line's id."""
    friend = ctx.person("friend")
    place = ctx.pick(RESTAURANTS)
    evening = start + int(ctx.rng.integers(0, days - 1)) * clock.DAY + 13 * clock.HOUR  # 19:00 on a trip day
    sit = evening + int(ctx.rng.integers(0, 5)) * 15 * clock.MINUTE
    plant.calendar(
        ctx,
        rules.minute(ctx, start - int(ctx.rng.integers(3, 9)) * clock.DAY),
        f"Dinner with {ctx.persona.called(friend)}",
        sit,
        sit + 2 * clock.HOUR,
        location=f"{place}, {city}",
        attendees=[friend.email],
    )
    paid = plant.jitter(ctx, sit + 2 * clock.HOUR - 10 * clock.MINUTE, 10)
    amount = ctx.money(45, 120)
    tx = plant.charge(ctx, paid + int(ctx.rng.integers(60, 600)), amount, place)
    path = _receipt(ctx, folder, place, paid, amount, names)
    fin_name, fin_mail = senders.staff(ctx, "finance")
    first = fin_name.split()[0]
    policy_at = rules.minute(ctx, ctx.now - rules.age(ctx, 31, 50) - int(ctx.rng.integers(3, 7)) * clock.DAY)
    policy = plant.mail_in(ctx, "workmail", policy_at, fin_mail, "Before your next trip", POLICY.format(first=first))
    # the signer's other rules, on other days before it; then, >= 30 / 60 days back, their lines scratching a
    # bit of each, the trip rule's first among days of the same shape
    mails = [policy_at]
    for k, (subject, body) in enumerate(OTHER_RULES):
        t = errands.office_hours(ctx, policy_at - int(ctx.rng.integers(2 + 4 * k, 6 + 4 * k)) * clock.DAY)
        plant.mail_in(ctx, "workmail", t, fin_mail, subject, body.format(first=first))
        mails.append(t)
    depth = (61 if ctx.difficulty >= 5 else 31) * clock.DAY
    window = range(clock.day_start(policy_at) + clock.DAY, clock.day_start(ctx.now - depth) + 1, clock.DAY)
    deciding = ctx.pick([d for d in window if clock.weekday(d) < 5][:3])
    lines = [(deciding, SCRATCH[0].format(day=oblique.day_month(policy_at)))]
    for t, text in zip(mails[1:], SCRATCH[1:]):
        lines.append((deciding + int(ctx.rng.integers(0, 12)) * clock.DAY, text.format(day=oblique.day_month(t))))
    order = sorted(range(len(lines)), key=lambda i: lines[i][0])
    ids = oblique.post_lines(
        ctx, "general", fin_name, [lines[i] for i in order], latest=ctx.now - clock.DAY, mail_from=fin_mail
    )
    colleague = ctx.person("colleague")
    heard = rules.minute(ctx, policy_at + int(ctx.rng.integers(5, 20)) * clock.DAY)
    plant.mail_in(
        ctx,
        "workmail",
        min(heard, ctx.now - 3 * clock.DAY),
        colleague.email,
        "Re: Before your next trip",
        HEARSAY.format(me=ctx.persona.me.first, first=colleague.first),
        in_reply_to=policy["id"],
    )
    return {
        "tx": tx["id"],
        "path": path,
        "amount": amount,
        "merchant": place,
        "friend": friend.name,
        "date": clock.fmt_date(paid),
        "category": "meals",
        "scratch": ids[order.index(0)],
        "finance": fin_name,
    }


def _receipt(ctx: Ctx, folder: str, merchant: str, t: int, amount: float, names: set[str]) -> str:
    """The receipt file of a purchase (a free name in ``folder``; ``names`` the family's own so far)."""
    files = ctx.svc("files")
    base = f"{folder}/{merchant.split()[0].lower()}_{clock.to_datetime(t):%m%d}"
    path = base + ".txt"
    while path in names or files.find(path) is not None:
        path = base + f"_{len(names)}.txt"
    names.add(path)
    plant.file(
        ctx,
        t + 60,
        path,
        f"RECEIPT\nMerchant: {merchant}\nDate: {clock.fmt(t)}\nTotal: EUR {amount:.2f}\nPaid by card\n",
    )
    return path


def check(world: World, f: dict[str, Any], g: Grader) -> None:
    claims = records.agent_rows(world, "expenses", "claims", f["before"]["expenses.claims"])
    by_tx = {x["tx_id"]: x for x in claims if x["tx_id"]}
    mail = "the manager's mail asks for every trip receipt claimed against its card payment and submitted"
    rule = "the manager's mail says hotels and transport go under travel, food under meals"
    for w in f["wanted"]:
        x = by_tx.get(w["tx"])
        seen = (
            "no claim linked to the charge"
            if x is None
            else f"claim {x['id']}: {clock.fmt_date(x['time'])}, {x['amount']:.2f}, {x['category']}, {x['status']}"
        )
        g.expect(
            f"{w['merchant']} {w['date']} claimed, linked, right amount and category, submitted",
            x is not None
            and abs(x["amount"] - w["amount"]) < 0.005
            and x["category"] == w["category"]
            and x["status"] == "submitted",
            f"{seen}; the receipt gives {w['amount']:.2f}, {w['category']}",
            because=f"{mail}; {rule}"
            + (
                f"; the dinner with {f['dinner']['friend']} is a trip meal: finance's rule mail made meals with "
                f"whoever joins you one's own, and its signer {f['dinner']['finance']} later scratched that bit "
                "(a line pointing at the mail by its date)"
                if f.get("dinner") and w["tx"] == f["dinner"]["tx"]
                else ""
            ),
        )
        g.expect(
            f"{w['merchant']} {w['date']} claim is dated as the receipt",
            x is not None and clock.fmt_date(x["time"]) == w["date"],
            "no claim" if x is None else f"claim dated {clock.fmt_date(x['time'])}, receipt {w['date']}",
            because="a claim's date is the day of the expense; the receipt gives it",
        )
    # the trip's other card charges (no receipt, nothing marks them personal: a dinner on the trip's dates) are
    # the agent's call: claiming one is no error, and the total told is then the sum claimed
    wanted_tx = {w["tx"] for w in f["wanted"]}
    trip_from, trip_to = (clock.parse_time(d) for d in f["trip"])
    open_tx = {
        t["id"]
        for t in world.services["bank"].table("transactions").values()
        if trip_from <= t["time"] < trip_to
        and t["amount"] < 0
        and t["id"] not in wanted_tx
        and t["id"] not in f["unwanted"]
    }
    personal = [i for i in f["unwanted"] if i in by_tx]
    g.expect(
        "no personal purchase claimed",
        not personal,
        f"personal charges claimed: {', '.join(personal)}"
        if personal
        else f"none of the {len(f['unwanted'])} personal charges claimed",
        because="the manager's mail asks for that trip only (other trips' receipts are not it) and says personal "
        "purchases stay off; the calendar gives the trip's dates",
    )
    if f.get("boss"):
        extra = [x for t, x in by_tx.items() if t in open_tx]
        total = f"{f['total'] + sum(x['amount'] for x in extra):.2f}"
        mails = [
            m
            for m in O.outbound(world)
            if O.party(f["boss"]) in {O.party(r) for r in m.to} and m.door.split(".")[0] in ("mail", "workmail")
        ]
        said = [m for m in mails if total in m.text or total.replace(".", ",") in m.text]
        g.expect(
            "the manager was told the total claimed",
            bool(said),
            f"{count(len(mails), 'mail')} to {f['boss']}, {len(said)} naming {total}",
            because="the manager's mail asks to be sent the total claimed; the trip's receipts add up to it",
        )
    g.expect(
        "nothing claimed twice or unlinked",
        len(claims) == len(by_tx) and set(by_tx) - open_tx == wanted_tx,
        f"{count(len(claims), 'claim')} ({len(by_tx)} linked) for {count(len(f['wanted']), 'trip receipt')}"
        + (
            f" and {count(len(set(by_tx) & open_tx), 'other charge')} of the trip's dates"
            if set(by_tx) & open_tx
            else ""
        ),
        because=mail,
    )


def oracle(world: World, f: dict[str, Any]) -> list[str]:
    exp = world.services["expenses"]
    first = exp.tables["claims"].next_id
    ids = [f"{exp.tables['claims'].prefix}{first + k:04d}" for k in range(len(f["wanted"]))]
    out = [
        A.api("calendar.list_events", start=f["trip"][0], end=f["trip"][1], query="trip"),
        A.api("files.list", dir=f["folder"]),
        A.api("bank.transactions", start=f["trip"][0], end=f["trip"][1]),
    ]
    if f.get("dinner"):  # the dinner on the trip's dates: finance's rule, then its signer's line scratching that bit
        out += [
            A.api("workmail.search", query="trip"),
            A.api("events.search", person=f["dinner"]["finance"]),
        ]
    for w in f["wanted"]:
        out += [
            A.api("files.read", path=w["path"]),
            A.api(
                "expenses.create",
                date=w["date"],
                merchant=w["merchant"],
                amount=w["amount"],
                category=w["category"],
                tx_id=w["tx"],
            ),
        ]
    out.append(A.api("expenses.submit", ids=ids))
    if f.get("boss"):
        body = f"Hi,\n\nthe trip's expenses are submitted: {count(len(ids), 'claim')}, EUR {f['total']:.2f} in total."
        out.append(A.api("workmail.send", to=[f["boss"]], subject="Trip expenses", body=body))
    return out + [A.finish(f"Submitted {count(len(ids), 'claim')} for the trip.")]


FAMILY = Family(
    name="trip-expenses",
    count=52,
    kind="reactive",
    services=("files", "bank", "expenses", "calendar", "workmail", "mail"),
    summary="Every receipt from the trip's dates is claimed once, linked to its bank charge, with its date, amount and "
    "category (the manager's mail: hotels and transport travel, food meals), and submitted; personal receipts "
    "from outside the trip are not claimed (from level 4 the trip is weeks back among other trips', a friend's "
    "dinner on the trip's dates is filed with its receipts and is claimed under meals, as finance's later line "
    "scratching that bit of its rule says, and the manager is mailed the total).",
    generate=generate,
    check=check,
    oracle=oracle,
    variants=("receipts", "folder"),
    tasks_per_variant=15,
    max_steps=40,
    tags=("noise",),
    footprint=Footprint(owns=(Own("expenses.claims", new=True),), parties=("boss",)),
)
