"""Act on notifications: the bank asks "was this you?" about three card payments.

Each alert names only the amount, so the agent looks the payment up in the bank (which shop charged
it), then searches the mail for an order confirmation from that shop with that amount: one means yes;
none (or only another order at the shop) means no, and answering "No, block card" from the
notification (confirmed in the bank app, which it opens) disputes the charge. The card was skimmed:
some payments are the user's and some are not (never all one way), and every alert must be answered
right, so one blind answer for all never passes. Only the phone can answer: the response is recorded by
the notification's action button. From level 2 another shop's order mail has the same amount as a
payment (charged when it ships), so matching on the amount alone, without the bank, gives the wrong
answer.

Levels 4-5 (issue 21): an order is charged when it ships, days after its confirmation, and each
charging shop has two more orders of the same shape and range from the last weeks, so the amount
decides, not the shop. The instruction adds "do what I noted down" for a blocked card: a line in a
running note >= 30 / 60 days back, among same-shaped notes with other cards' lines (an expired one),
asks to tell the holder of the twin card and to be reminded the next morning to order a new one. Each of
those notes has a line in the rule's own words (a card or key, stopped, its twin, text someone) about
another matter, so a search for "twin" or "stopped" finds them all. At level 5 a later text, as deep,
from a friend who was given "your spare debit card" (no number, not the note's words) moves the twin: the
note's holder alone is not enough.

Session 32 (issue 21): at levels 4-5 one payment without a matching order is the twin card's, and its holder
says so in a text that names it only by the time it came in ("re the charge that came in at 14:07: that one
was me"), among their same-shaped texts about other household matters (:mod:`.kit.oblique`); the running note
says, before, that whoever has the twin may pay with it and their word on a charge is a yes. Neither the
amount, the shop nor "from now on" / "after all" finds that text (the level-5 move no longer says "from now
on"); answering that payment "no" blocks a payment that was the household's.
"""

from __future__ import annotations

from typing import Any

from claw_gym import actions as A
from claw_gym import clock
from claw_gym.devices.phone import script as S
from claw_gym.tasks import Ctx, Family, Grader, Scenario
from claw_gym.tasks.footprint import Footprint, Own
from claw_gym.world import World

from .kit import checks, footers, oblique, plant, records, rules

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
#: the card the alerts are about, as the person names it in a note
CARD = "4421"
#: a line of each look-alike running note, in the rule's own words (a card or key, stopped, its twin, text
#: someone) about another matter: a search for "twin" or "stopped" finds every one; only the bank card's decides
NEAR_TWIN = (
    "old 7730 card: the bank stopped it in March, {name} cut up its twin, nothing left to do",
    "if the car key ever gets lost: text {name} straight away (they have its twin)",
    "gym card gets stopped when the month isn't paid; {name} has its twin, pay at reception",
    "library card: {name} has the family twin, they stop both after a year, renew at the front desk",
)
#: levels 4-5: the running note's line that gives the twin's holder a say on a charge (the stop rule's neighbour)
TWIN_SAYS = (
    "whoever has the twin of my bank card may pay with it: if they text me that a charge was theirs, "
    "answer the bank yes, it was me"
)
#: the twin's holder's word on the charge, after "re the charge that came in at HH:MM: "
THEIRS = ["that one was me, sorry, forgot to text first", "that was me, I'll square it with you later", "mine, sorry"]


def _order_mail(
    ctx: Ctx,
    merchant: str,
    sender: str,
    amount: float,
    when: int,
    *,
    note: str = "Total charged to your card",
) -> str:
    order = ctx.code(6)
    subject = f"Your {merchant} order #{order}"
    plant.mail_in(
        ctx,
        "mail",
        plant.jitter(ctx, when, 1),
        sender,
        subject,
        f"Thanks for your order!\nOrder #{order}\n{note}: {amount:.2f} EUR" + footers.footer(ctx, merchant),
    )
    return subject


def _stop_rule(ctx: Ctx, claimed: dict[str, Any]) -> dict[str, Any]:
    """Levels 4-5: what the person wrote to do when the card gets stopped, a line in a running note >= 30 / 60
    days back among same-shaped notes (one with another card's expired rule); at level 5 the twin card
    changed hands later, told in a text from its new holder that names no card. The twin's holder then
    claims the ``claimed`` payment in a text naming only when it came in, among their other such texts.
    Returns the facts."""
    people = [p for p in ctx.persona.people if p.relation not in ("self", "manager", "colleague")]
    first, later = people[0], None
    deeper = 9 * clock.DAY if ctx.difficulty >= 5 else 0  # room for the later text, itself >= 60 days back
    noted = rules.minute(ctx, ctx.now - rules.age(ctx, 5, 20) - deeper)
    rules.running_note(
        ctx,
        noted,
        [
            f"if my bank card ever gets stopped: text {first.first} straight away (they have its twin) and remind me "
            "the next morning to order a new one",
            TWIN_SAYS,
        ],
    )
    holder, moved = first, 0
    if ctx.difficulty >= 5:
        moved = plant.jitter(ctx, noted + int(ctx.rng.integers(2, 8)) * clock.DAY, 60)
        sms = ctx.svc("sms").table("messages").values()
        # the friend whose thread has the fewest texts since: the phone's Messages shows a thread's newest 30
        later = min(
            ctx.persona.by_relation("friend"),
            key=lambda p: (sum(m["number"] == p.phone and m["time"] > moved for m in sms), p.name),
        )
        plant.sms(
            ctx,
            moved,
            later.phone,
            f"{first.first} gave me your spare debit card today, I'll be doing the weekly shop for you with it",
        )
        holder = later
    # the holder's word on the claimed charge, by the time it came in, among their texts about other matters
    refer = oblique.came_in(ctx.now)
    word = f"re {refer('charge', claimed['time'])}: {ctx.pick(THEIRS)}"
    said = claimed["time"] + int(ctx.rng.integers(3, 9)) * clock.MINUTE
    asides = [
        f"re {refer(thing, said - int(ctx.rng.integers(4 * 24, 6 * 24)) * clock.HOUR)}: {verdict}"
        for thing, verdict in ctx.sample(oblique.HOME_OTHERS, 3)
    ]
    claim = oblique.word_among(
        ctx,
        lambda t, text: plant.sms(ctx, t, holder.phone, text),
        said,
        word,
        asides,
        spread=3 * clock.DAY,
        latest=ctx.now - 2 * clock.MINUTE,
        gap=4 * clock.MINUTE,
    )
    # the look-alike lines name other people than the twin's holders (so none of them reads as a move)
    others = [p for p in people[1:] if p not in (first, later)]
    near = tuple(line.format(name=others[k % len(others)].first) for k, line in enumerate(NEAR_TWIN))
    rules.decoy_notes(ctx, noted, rules.candidates(ctx), spread_days=12, near=near)
    return {
        "noted": noted,
        "moved": moved,
        "holder": holder.phone,
        "holder_name": holder.name,
        "holder_email": holder.email,
        "former": first.phone if later is not None else "",
        "claim": claim["id"],
        "word": word,
        "morning": clock.day_start(ctx.now) + clock.DAY,
    }


def generate(ctx: Ctx) -> Scenario:
    phone, level = ctx.svc("phone"), ctx.difficulty
    shops = ctx.sample(MERCHANTS, PAYMENTS + 1)  # one per payment, and one for the look-alike order
    paid = ctx.now - int(ctx.rng.integers(70 * 60, 110 * 60))  # the last one still 20 min ago
    payments = []
    # the card was skimmed: some of the flagged payments are the user's, some are not (never all one way)
    frauds = set(ctx.sample(list(range(PAYMENTS)), 1 + int(ctx.rng.integers(PAYMENTS - 1))))
    # levels 4-5: one of the others has no order either: the twin card's holder paid it and says so
    claimed = ctx.pick(sorted(set(range(PAYMENTS)) - frauds)) if level >= 4 else -1
    for i, (merchant, sender) in enumerate(shops[:PAYMENTS]):
        amount = ctx.money(15, 240)
        legit = i not in frauds
        ordered = legit and i != claimed
        paid = plant.jitter(ctx, paid, 2)
        tx = plant.tx(ctx, paid, -amount, merchant, plant.CARD_PAYMENT)  # as the background writes card rows
        order = None
        # levels 4-5: the order was placed days before it shipped and charged, and the shop has other orders
        # of the same shape and range from the last weeks: the amount, not the shop, decides
        placed = paid - (int(ctx.rng.integers(1, 6)) * clock.DAY if level >= 4 else 2 * clock.MINUTE)
        if ordered:
            order = _order_mail(ctx, merchant, sender, amount, placed)
        elif level >= 3:  # an older order at the same shop, another amount
            _order_mail(ctx, merchant, sender, round(amount + float(ctx.rng.uniform(5, 40)), 2), paid - 9 * clock.DAY)
        for _ in range(2 if level >= 4 else 0):
            other = round(amount * float(ctx.rng.uniform(0.6, 1.4)) + float(ctx.rng.choice([-1, 1])) * 3.17, 2)
            _order_mail(ctx, merchant, sender, other, paid - int(ctx.rng.integers(6, 13)) * clock.DAY)
        note = phone.notify(
            "Bank",
            f"Card payment {amount:.2f} EUR",
            "Card ending 4421: was this you? The payment details are in the app.",
            [YES, NO],
            time=plant.jitter(ctx, paid + clock.MINUTE, 1),
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
                **({"time": tx["time"], "claimed": i == claimed} if level >= 4 else {}),
            }
        )
        paid += int(ctx.rng.integers(5 * 60, 25 * 60))
    if level >= 2:  # another shop's order with the amount of a fraudulent payment, not charged yet
        other, other_sender = shops[PAYMENTS]
        _order_mail(
            ctx,
            other,
            other_sender,
            ctx.pick([p for p in payments if not p["legit"]])["amount"],
            paid - int(ctx.rng.integers(2, 6)) * clock.HOUR,
            note="You will be charged when it ships. Total",
        )
    instruction = ctx.pick(INSTRUCTIONS)
    stop: dict[str, Any] = {}
    if level >= 4:
        instruction += " If the card ends up blocked, do what I noted down for that case."
        stop = _stop_rule(ctx, payments[claimed])
    return Scenario(
        instruction,
        {
            "payments": payments,
            "stop": stop,
            # whom the note or the later text name: telling the former holder too is no leak
            "told": [
                x
                for p in ctx.persona.people
                if p.phone in (stop.get("holder"), stop.get("former"))
                for x in (p.phone, p.email)
            ],
            "start": ctx.now,
            "before": records.ids_now(ctx, ("calendar", "entries"), ("todo", "items"), ("phone", "alarms")),
            **(
                {
                    "depth": {
                        "at": stop["noted"] if level < 5 else stop["moved"],
                        "candidates": 1 + rules.candidates(ctx),
                    }
                }
                if stop
                else {}
            ),
        },
    )


def check(world: World, f: dict[str, Any], g: Grader) -> None:
    notes = world.services["phone"].table("notifications")
    txs = world.services["bank"].table("transactions")
    for p in f["payments"]:
        note, tx = notes[p["note"]], txs[p["tx"]]
        what = f"the alert for {p['amount']:.2f}"
        why = (
            "the twin card's holder texted that the charge that came in then was theirs, and the person's note "
            "says their word on a charge is a yes"
            if p.get("claimed")
            else "a mailed order from the charging shop matches the amount"
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
    if f.get("stop"):
        _check_stop(world, f, g)


def _morning_reminders(world: World, f: dict[str, Any]) -> list[str]:
    """What reminds the person the next morning (06:00-12:00): a to-do due then (or due that day, no time),
    a calendar entry starting then, or an alarm set for then, each made by the agent."""
    day = f["stop"]["morning"]
    lo, hi = day + 6 * clock.HOUR, day + 12 * clock.HOUR
    out = [
        f"to-do {r['title']!r}"
        for r in records.agent_rows(world, "todo", "items", f["before"]["todo.items"])
        if r["due"] is not None and (lo <= r["due"] < hi or r["due"] == day) and not r["done"]
    ]
    out += [
        f"calendar {r['title']!r}"
        for r in records.agent_rows(world, "calendar", "entries", f["before"]["calendar.entries"])
        if lo <= r["start"] < hi
    ]
    wday = clock.to_datetime(day).strftime("%a").lower()
    out += [
        f"alarm {r['time']}"
        for r in records.agent_rows(world, "phone", "alarms", f["before"]["phone.alarms"])
        if r["enabled"] and "06:00" <= r["time"] < "12:00" and (not r["days"] or wday in r["days"])
    ]
    return out


def _check_stop(world: World, f: dict[str, Any], g: Grader) -> None:
    """Levels 4-5: the person's note says what to do once the card is stopped."""
    stop = f["stop"]
    why = f"a note of the person's says to text whoever has the {CARD}'s twin once it is stopped" + (
        f", and a later text says {stop['holder_name']} has it now" if stop["former"] else ""
    )
    told = checks.reached(world, [stop["holder"], stop["holder_email"]], f["start"])  # any door
    g.expect(
        f"{stop['holder_name']} (who has the twin card) was told",
        bool(told),
        "; ".join(told) or "not reached",
        because=why,
    )
    found = _morning_reminders(world, f)
    g.expect(
        "a reminder the next morning to order a new card",
        bool(found),
        ", ".join(found) or "none the next morning",
        because="the same note asks to be reminded the next morning to order a new one "
        f"({clock.fmt_date(stop['morning'])})",
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
    stop = f.get("stop")
    if stop:
        steps += [A.api("notes.list", query="twin"), A.api("sms.list", limit=50)]
        steps += [
            A.api(
                "sms.send", to=stop["holder"], body=f"My card ending {CARD} is blocked now: please don't use your twin."
            ),
            A.api("todo.add_task", title="Order a new bank card", due=f"{clock.fmt_date(stop['morning'])} 09:00"),
        ]
    return steps + [A.finish("Answered the bank's alerts.")]


FAMILY = Family(
    name="phone-card-check",
    count=37,
    kind="reactive",
    services=("phone", "bank", "mail", "contacts", "sms", "notes", "todo", "calendar"),
    devices=("phone",),
    needs_sim_phone=True,
    summary="Every bank alert is answered from the phone: 'yes' when a mailed order matches the charging shop "
    "(from the bank) and the amount (and the charge is not disputed), otherwise 'no', which disputes it; from "
    "level 4, as the person's note says for a blocked card, the twin card's holder is told (a later text may "
    "move it) and a reminder the next morning orders a new one; the one charge the twin's holder texts was theirs "
    "(by the time it came in) is answered 'yes'.",
    generate=generate,
    check=check,
    oracle=oracle,
    variants=("alert",),
    tasks_per_variant=20,
    max_steps=40,
    tags=("phone", "notification"),
    footprint=Footprint(
        owns=(Own("bank.transactions", ids=("payments.tx",)), Own("phone.notifications", ids=("payments.note",))),
        parties=("told",),
    ),
)
