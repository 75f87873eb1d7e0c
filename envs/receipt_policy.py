"""Reactive: claim the last week's work meals under the expense rules in force; ask for missing receipts.

The work meals are the lunches and dinners in the calendar, each paid by card (bank) and some with a
receipt saved in ~/Documents/receipts. Weeks ago finance's policy mail said, among other lines, that a
meal over a limit needs a receipt; later the manager amended it in the team chat: the limit went down
(variant "limit") or team lunches moved to the team budget and are not claimed (variant "team").
Meals over the limit without a receipt are not claimed; a to-do asks for each receipt. Personal meals
(no calendar entry) are never claimed. At levels 4-5 the policy mail and the amendment sit >= 30 / 60
days back among same-shaped policy mails and chat lines: each policy mail has an "itemised ... over N EUR"
line about another matter, the limit's amendment no longer says "itemised", and a colleague's later chat
hearsay (nobody confirms it) names another figure or matter; the manager hears which receipts are missing
(4+) and the claimed receipts are copied to ~/Documents/expenses/claimed (5). Since session 32, at 4-5 the policy
mail also says only the finance controller (named) may waive the receipt, in writing, and the controller does so
for one client dinner over the limit in their DM, naming it only by its time and day ("re your 19:30 on the 12th:
fine without the slip, I've signed it off"), among their same-shaped lines about other matters: that dinner is
claimed, not chased; at 5 the policy also asks to tell the controller once it is claimed.
"""

from __future__ import annotations

from typing import Any

from claw_gym import actions as A
from claw_gym import clock
from claw_gym.tasks import Ctx, Family, Grader, Scenario
from claw_gym.tasks.footprint import Footprint, Own, path_under
from claw_gym.world import World

from .kit import checks, errands, oblique, plant, records, rules, senders, views

RESTAURANTS = (
    "Trattoria Sole",
    "Corner Bistro",
    "Maison Verte",
    "Sushi Kaito",
    "The Brass Kettle",
    "Lindenhof",
    "Taqueria Luna",
    "Olive & Thyme",
    "Noodle House Ren",
    "Cafe Marlowe",
)
CLIENTS = (
    ("Mireille Dubois", "Orchard Dental"),
    ("Oskar Nyberg", "Helix Logistics"),
    ("Tomasz Wilk", "Sable Insurance"),
    ("Noor Aziz", "Quarry Media"),
    ("Felix Brandt", "Bluepeak Energy"),
    ("Luis Ortega", "Corvid Labs"),
)
POLICY_LINES = (
    "Mileage is reimbursed at 0.30 EUR/km; log the route in the claim notes.",
    "Hotels: up to 140 EUR a night outside the capitals, 190 EUR in them.",
    "Claims go in by the 5th of the following month.",
    "Taxis only when there is no reasonable public transport.",
    "Software subscriptions need your manager's OK before you buy.",
    "Conference tickets go through the training budget, not expenses.",
)
#: policy lines about receipts for other things: a search for "receipt" finds every policy mail
RECEIPT_LINES = (
    "Taxi receipts: a photo is fine, no need to keep the paper copy.",
    "Hotel receipts must show the nightly rate and the number of nights.",
    "Lost a receipt? Fill in the missing-receipt form; it needs your manager's signature.",
    "Fuel receipts only count with the mileage log attached.",
)
#: levels 4-5: each same-shaped policy mail has a line of the meal rule's own shape and words ("over N EUR need
#: an itemised ..."), about another matter: a search for "itemised" finds every policy mail, not the rule
ITEMISED_LINES = (
    "Hotel stays over 300 EUR need an itemised folio from the hotel, not the booking page.",
    "Client gifts over 30 EUR need an itemised receipt and the client's name in the notes.",
    "Fuel over 80 EUR a fill needs an itemised receipt from the station.",
    "Team events over 250 EUR need an itemised invoice made out to the company.",
)
OTHER_TOPICS = ("Travel booking changes", "Year-end close timetable", "New corporate card provider")
CHAT_DECOYS = (
    "the expense tool is down for maintenance tonight, don't panic",
    "finance says claims are paid on the 15th this month",
    "reminder: hotel bookings over the cap need my OK first",
    "taxi receipts: photo is fine, no need for the paper copy",
)


def _meal(ctx: Ctx, day: int, dinner: bool) -> int:
    hour = int(ctx.rng.integers(19, 21)) if dinner else 12
    return ctx.at(day, hour, int(ctx.pick([0, 10, 15, 30, 45])))


def _alone(ctx: Ctx, t: int) -> bool:
    """No card payment within 20 minutes of ``t`` and no other calendar entry starting then: the controller's
    "re your 19:10 on the 14th" (the dinner's start) can be read as no other record of the person's."""
    near = lambda x: abs(x - t) < 20 * clock.MINUTE
    paid = any(near(r["time"]) for r in ctx.svc("bank").table("transactions").values())
    return not paid and not any(near(r["start"]) for r in ctx.svc("calendar").table("entries").values())


def _receipt(ctx: Ctx, name: str, t: int, amount: float) -> tuple[str, str]:
    """A receipt saved in ~/Documents/receipts: (path, text)."""
    path = f"Documents/receipts/{name.split()[0].lower().strip('&')}_{clock.to_datetime(t):%m%d}.txt"
    text = f"RECEIPT\n{name}\nDate: {clock.fmt(t)}\nTotal: EUR {amount:.2f}\nPaid by card\nThank you!\n"
    plant.file(ctx, t + int(ctx.rng.integers(60, 900)), path, text)
    return path, text


def _policy(ctx: Ctx, limit: int, t: int, boss: Any, controller: str = "") -> None:
    """Finance's policy mail (the rule among other lines) and, from level 3, same-shaped policy mails. Given
    ``controller`` (levels 4-5), the mail also says who alone may waive the meal receipt rule."""
    dom = ctx.persona.work_domain
    lines = ctx.sample(list(POLICY_LINES), 4)
    lines.insert(
        int(ctx.rng.integers(1, 4)),
        f"Meals over {limit} EUR need an itemised receipt; under that the card line is enough.",
    )
    if controller:
        lines.append(
            f"Only our finance controller, {controller}, can waive that for a meal, and only in writing"
            + ("; tell them once you've claimed it." if ctx.difficulty >= 5 else ".")
        )
    plant.mail_in(
        ctx,
        "workmail",
        t,
        f"finance@{dom}",
        "Expense policy: what changes this quarter",
        "Hi all,\n\na few changes to the expense rules from this quarter:\n\n"
        + "\n".join(f"- {x}" for x in lines)
        + "\n\nThanks,\nFinance",
        read=True,
    )
    for k in range(rules.candidates(ctx)):
        tk = rules.minute(ctx, t + int(ctx.rng.integers(-20, 20)) * clock.DAY)
        plant.mail_in(
            ctx,
            "workmail",
            min(tk, ctx.now - 2 * clock.DAY),
            f"finance@{dom}",
            f"Expense policy: {ctx.pick(list(OTHER_TOPICS)).lower()}",
            "Hi all,\n\nquick update:\n\n"
            + "\n".join(f"- {x}" for x in [*ctx.sample(list(POLICY_LINES), 2), _aside(ctx, k)])
            + "\n\nThanks,\nFinance",
            read=True,
        )


def _aside(ctx: Ctx, k: int) -> str:
    """The receipt line of the ``k``-th same-shaped policy mail: from level 4 one in the meal rule's own shape."""
    return ITEMISED_LINES[k % len(ITEMISED_LINES)] if ctx.difficulty >= 4 else ctx.pick(list(RECEIPT_LINES))


def _earlier_claims(ctx: Ctx) -> None:
    """The claims of earlier weeks (approved, submitted) and one draft not yet sent: the expenses history."""
    ex = ctx.svc("expenses")
    for k, (merchant, category, status) in enumerate(
        (("CityCab", "travel", "approved"), ("Airport Express", "travel", "submitted"), ("CityCab", "travel", "draft"))
    ):
        t = rules.minute(ctx, ctx.now - (40 - 15 * k) * clock.DAY)
        ex.add(t, merchant, ctx.money(12, 45), category, status=status, notes="client visit")


def generate(ctx: Ctx) -> Scenario:
    boss = ctx.persona.by_relation("manager")[0]
    team = ctx.persona.by_relation("colleague")
    old_limit = 50
    new_limit = int(ctx.pick([35, 40])) if ctx.variant == "limit" else old_limit
    amend_back = rules.age(ctx, 5, 20)
    policy_t = rules.minute(ctx, ctx.now - amend_back - int(ctx.rng.integers(10, 15)) * clock.DAY)
    amend_t = rules.minute(ctx, ctx.now - amend_back)
    controller, controller_mail = senders.staff(ctx, "finance") if ctx.difficulty >= 4 else ("", "")
    _policy(ctx, old_limit, policy_t, boss, controller)
    channel = "general"
    # the amendment, worded without "receipt", "meal", "lunch" or "claim" (a search's first words)
    if ctx.variant == "limit" and ctx.difficulty >= 4:  # not the policy's words: no search for them finds it
        amend = (
            f"finance just told me: eating out with clients, from {new_limit} EUR up they want the restaurant's "
            f"full bill now, the card line alone won't do any more (it was {old_limit})"
        )
    elif ctx.variant == "limit":
        amend = (
            f"finance just told me: eating out with clients, the itemised slip is needed from {new_limit} EUR up now "
            f"(it was {old_limit}), effective now"
        )
    else:
        amend = (
            "small change: when the whole team eats out together, I pay it from the team budget now - please don't "
            "put those in yourselves"
        )
    plant.chat(ctx, amend_t, channel, boss.name, amend)
    if ctx.difficulty >= 4:  # the obvious words, but older than the amendment: the later message wins
        other = ctx.pick(list(ctx.persona.by_relation("colleague")))
        decoy = (
            "until the tool migration is done the meal receipt limit is 75 EUR, finance will say when it ends"
            if ctx.variant == "limit"
            else "team lunches: just claim your own share as usual and keep the receipt"
        )
        plant.chat(
            ctx, rules.minute(ctx, amend_t - int(ctx.rng.integers(5, 12)) * clock.DAY), channel, other.name, decoy
        )
    if ctx.difficulty >= 4:  # later hearsay with the rule's words, from someone without a say: nobody confirms it
        other = ctx.pick([p for p in team if p.name != boss.name])
        heard = (
            "someone in sales said it's an itemised receipt for every meal over 25 EUR now? no idea if that's us"
            if ctx.variant == "limit"
            else "does the team budget cover the offsite train tickets too? guessing not, I'll claim mine"
        )
        gap = max(2, (ctx.now - amend_t) // clock.DAY - 3)
        said = rules.minute(ctx, amend_t + int(ctx.rng.integers(2, gap)) * clock.DAY)
        plant.chat(ctx, said, channel, other.name, heard)
    for _ in range(max(1, rules.candidates(ctx))):
        plant.chat(
            ctx,
            min(rules.minute(ctx, amend_t + int(ctx.rng.integers(-15, 15)) * clock.DAY), ctx.now - clock.DAY),
            channel,
            boss.name,
            ctx.pick(list(CHAT_DECOYS)),
        )
    # the meals: each work meal is a calendar entry and a card payment; some have a receipt
    days = [d for d in range(-7, 0) if clock.weekday(ctx.at(d, 12)) < 5]
    n = min(len(days), 3 + ctx.difficulty // 2)
    meal_days = sorted(ctx.sample(days, n))
    places = ctx.sample(list(RESTAURANTS), n + 2)
    clients = ctx.sample(list(CLIENTS), n)
    meals: list[dict[str, Any]] = []
    # the roles the rules need: over the limit with a receipt, over without, between the limits (stale trap)
    roles = ["over_receipt", "over_missing", "between" if ctx.variant == "limit" else "team"] + ["under"] * n
    if controller:  # levels 4-5: a dinner over the limit without a receipt whose receipt the controller waived
        roles[3] = "waived"
    roles = [roles[int(i)] for i in ctx.rng.permutation(n)] if n <= 3 else ctx.sample(roles[:n], n)
    for k, day in enumerate(meal_days):
        role = roles[k]
        t = _meal(ctx, day, dinner=role in ("over_missing", "waived"))
        for _ in range(12 if role == "waived" else 0):  # "your 19:10 on the 14th" must name this dinner alone
            if _alone(ctx, t):
                break
            t = _meal(ctx, day, dinner=True)
        if role in ("over_receipt", "over_missing", "waived"):
            amount = ctx.money(old_limit + 8, 96)
        elif role == "between":
            amount = ctx.money(new_limit + 1, old_limit - 1)
        else:
            amount = ctx.money(14, min(new_limit, old_limit) - 3)
        place = places[k]
        if role == "team":
            title, attendees = "Team lunch", [p.email for p in team[:3]]
            amount = ctx.money(old_limit + 25, 140)
            receipt, text = _receipt(ctx, place, t, amount)
        else:
            who, account = clients[k]
            title = f"{'Dinner' if role in ('over_missing', 'waived') else 'Lunch'} with {who} ({account})"
            attendees = [f"{who.split()[0].lower()}.{who.split()[1].lower()}@{account.split()[0].lower()}.example"]
            no_receipt = ("over_missing", "between", "waived")
            receipt, text = _receipt(ctx, place, t, amount) if role not in no_receipt else ("", "")
        booked = rules.minute(ctx, t - int(ctx.rng.integers(2, 9)) * clock.DAY)
        plant.calendar(ctx, booked, title, t, t + 90 * clock.MINUTE, location=place, attendees=attendees)
        tx = plant.charge(
            ctx, t + int(ctx.rng.integers(50, 85)) * clock.MINUTE + int(ctx.rng.integers(0, 60)), amount, place
        )
        limit = new_limit
        claim = role != "team" and (amount <= limit or bool(receipt) or role == "waived")
        meals.append(
            {
                "time": t,
                "tx": tx["id"],
                "place": place,
                "amount": amount,
                "date": clock.fmt_date(t),
                "receipt": receipt,
                "text": text,
                "role": role,
                "claim": claim,
                "chase": not claim and role != "team",
            }
        )
    _earlier_claims(ctx)
    waiver = _waive(ctx, controller, [m for m in meals if m["role"] == "waived"]) if controller else ""
    personal = []
    dined = {clock.day_start(m["time"]) for m in meals if m["role"] in ("over_missing", "waived")}
    free = [d for d in days if clock.day_start(ctx.at(d, 12)) not in dined] or days  # one dinner out an evening
    for k in range(1 + ctx.difficulty // 2):  # meals out without a calendar entry: private
        t = _meal(ctx, int(ctx.pick(free)), dinner=True) + 30 * clock.MINUTE
        amount = ctx.money(20, 80)
        personal.append(plant.charge(ctx, t + int(ctx.rng.integers(0, 600)), amount, places[n + k % 2])["id"])
    level = ctx.difficulty
    instruction = (
        "Could you submit my work meals from the last seven days as expense claims? The lunches and dinners are in "
        "my calendar. Where a receipt I need is missing, add me a to-do to find it."
    )
    if level >= 4:
        instruction += f" Let {boss.first} know by mail which meals are still waiting for a receipt."
    if level >= 5:
        instruction += " And put a copy of each receipt you claim in ~/Documents/expenses/claimed."
    return Scenario(
        instruction,
        {
            "depth": {"at": amend_t, "candidates": 1 + rules.candidates(ctx)},  # among same-shaped policy mails
            "meals": meals,
            "personal": personal,
            "controller": controller,
            # level 5: the policy asks to tell the controller once the waived meal is claimed
            "tell": {"email": controller_mail, "dm": oblique.dm_channel(controller)}
            if ctx.difficulty >= 5
            else {"email": None, "dm": None},
            "waiver": waiver,
            "limit": new_limit,
            "old_limit": old_limit,
            "boss": boss.email,
            "level": level,
            "start": ctx.now,
            "week": [clock.fmt_date(ctx.at(-7, 0)), clock.fmt_date(ctx.now)],
            "before": records.ids_now(ctx, ("todo", "items"), ("expenses", "claims")),
        },
    )


def _waive(ctx: Ctx, controller: str, waived: list[dict[str, Any]]) -> str:
    """The finance controller waives the dinner's receipt in their DM with the person, naming it only by its
    time and day of the month ("re your 19:30 on the 12th: ..."), among their same-shaped lines about other
    matters (:func:`.kit.oblique.word_in_dm`). The line's message id."""
    t_meal = waived[0]["time"]
    t = errands.office_hours(ctx, t_meal + clock.DAY)  # the next working hours, or that evening when that's now
    if t > ctx.now - 3 * clock.HOUR:
        t = t_meal + int(ctx.rng.integers(120, 180)) * clock.MINUTE + int(ctx.rng.integers(1, 60))
    when = f"{clock.fmt(t_meal)[-5:]} on the {oblique.day_ordinal(t_meal)}"
    line = f"re your {when}: fine without the slip, I've signed it off"
    return oblique.word_in_dm(ctx, controller, controller, t, line, oblique.came_in(ctx.now), pool=oblique.PLAIN)


def _claims_for(world: World, f: dict[str, Any], m: dict[str, Any]) -> list[dict]:
    """Claims the agent submitted for a meal (linked to its charge, or the same amount on the same day).

    Drafts are the agent's own working state: a draft held back until the receipt comes is not a claim.
    """
    rows = records.agent_rows(world, "expenses", "claims", f["before"]["expenses.claims"])
    return [
        x
        for x in rows
        if x["status"] != "draft"
        and (
            x["tx_id"] == m["tx"] or (abs(x["amount"] - m["amount"]) < 0.005 and clock.fmt_date(x["time"]) == m["date"])
        )
    ]


def check(world: World, f: dict[str, Any], g: Grader) -> None:
    rule = (
        f"finance's policy mail says meals over {f['old_limit']} EUR need a receipt; the manager's chat message "
        + (f"lowered it to {f['limit']} EUR" if f["limit"] != f["old_limit"] else "says team lunches are not claimed")
        + (" (an older colleague's message with the obvious words is superseded)" if f["level"] >= 4 else "")
    )
    todos = records.agent_rows(world, "todo", "items", f["before"]["todo.items"])
    for m in f["meals"]:
        got = _claims_for(world, f, m)
        label = f"{m['place']} {m['date']} (EUR {m['amount']:.2f})"
        seen = "; ".join(f"{x['id']} {x['amount']:.2f} {x['category']}" for x in got) or "no claim"
        if m["claim"]:
            g.expect(
                f"{label} submitted under meals",
                len(got) == 1 and got[0]["category"] == "meals",
                seen,
                because="the instruction asks to claim the work meals in the calendar"
                + (
                    "; it has a receipt"
                    if m["receipt"]
                    else "; the finance controller, who alone may waive the receipt (the policy mail), waived it "
                    "in writing"
                    if m["role"] == "waived"
                    else f"; it is under the limit ({rule})"
                ),
            )
        else:
            g.expect(f"{label} not submitted", not got, seen, because=rule)
        if m["chase"]:
            asks = [t for t in todos if m["place"].lower() in (t["title"] + " " + t["notes"]).lower()]
            g.expect(
                f"a to-do asks for the {m['place']} receipt",
                bool(asks),
                f"new to-dos: {', '.join(repr(t['title']) for t in todos) or 'none'}",
                because=f"the instruction asks for a to-do for each missing receipt it needs ({rule})",
            )
    rows = records.agent_rows(world, "expenses", "claims", f["before"]["expenses.claims"])
    private = [x["id"] for x in rows if x["tx_id"] in f["personal"]]
    g.expect(
        "no private meal claimed",
        not private,
        ", ".join(private) or "none",
        because="the instruction asks for the work meals, the ones in the calendar",
    )
    if f["level"] >= 4:
        missing = [m for m in f["meals"] if m["chase"]]
        told = checks.sent_to(world, f["boss"], after=f["start"])
        ok = [x for x in told if all(m["place"].lower() in (x["subject"] + " " + x["body"]).lower() for m in missing)]
        g.expect(
            "the manager was told which meals wait for a receipt",
            bool(ok),
            f"{len(told)} mails to {f['boss']}, {len(ok)} naming exactly " + ", ".join(m["place"] for m in missing),
            because="the instruction asks to tell them which meals are still waiting for a receipt",
        )
    if f["tell"]["email"]:
        heard = errands.said_to(world, [f["tell"]["email"]], f["start"], [f["tell"]["dm"]])
        g.expect(
            f"the finance controller ({f['controller']}) heard the waived meal is claimed",
            bool(heard),
            f"{len(heard)} messages to them",
            because="the policy mail says only the controller may waive a meal's receipt, and to tell them once "
            "it is claimed; they waived one in their DM",
        )
    if f["level"] >= 5:
        for m in f["meals"]:
            if not (m["claim"] and m["receipt"]):
                continue
            copies = [
                r["path"]
                for r in views.files(world).table("files").values()
                if r["path"].startswith("Documents/expenses/claimed/") and r["content"].strip() == m["text"].strip()
            ]
            g.expect(
                f"the {m['place']} receipt is copied to ~/Documents/expenses/claimed",
                bool(copies),
                ", ".join(copies) or "no copy",
                because="the instruction asks for a copy of each receipt claimed there",
            )


def oracle(world: World, f: dict[str, Any]) -> list[str]:
    start, end = f["week"]
    steps = [
        A.api("calendar.list_events", start=start, end=end, query=""),
        A.api("bank.transactions", start=start, end=end, limit=50),
        A.api("files.list", dir="Documents/receipts"),
        A.api("workmail.search", query="expense policy"),
        A.api("chat.history", channel="general", limit=50),
    ]
    for m in f["meals"]:
        if m["receipt"]:
            steps.append(A.api("files.read", path=m["receipt"]))
    drafts: list[str] = []
    for m in f["meals"]:
        if m["claim"]:
            drafts.append(records.next_id(world.services["expenses"], "claims", ahead=len(drafts)))
            steps.append(
                A.api(
                    "expenses.create",
                    date=m["date"],
                    merchant=m["place"],
                    amount=m["amount"],
                    category="meals",
                    tx_id=m["tx"],
                    notes="work meal (calendar)",
                )
            )
        elif m["chase"]:
            steps.append(A.api("todo.add_task", title=f"Find the receipt for {m['place']} ({m['date']})"))
    if drafts:
        steps.append(A.api("expenses.submit", ids=drafts))
    missing = [m["place"] for m in f["meals"] if m["chase"]]
    if f["level"] >= 4:
        steps.append(
            A.api(
                "workmail.send",
                to=[f["boss"]],
                subject="Meal receipts still missing",
                body="Hi, these meals are waiting for a receipt before I can claim them: " + ", ".join(missing) + ".",
            )
        )
    if f["level"] >= 5:
        for m in f["meals"]:
            if m["claim"] and m["receipt"]:
                steps.append(
                    A.api(
                        "files.write",
                        path=f"Documents/expenses/claimed/{m['receipt'].split('/')[-1]}",
                        content=m["text"],
                    )
                )
        steps += [A.api("files.list", dir="Documents/expenses/claimed"), A.api("expenses.list", status="draft")]
    if f["tell"]["dm"]:
        steps.append(A.api("chat.post", channel=f["tell"]["dm"], text="Claimed the dinner you signed off - thanks!"))
    return [*steps, A.finish("Claimed the meals the rules allow; to-dos for the missing receipts.")]


def stale_oracle(world: World, f: dict[str, Any]) -> list[str]:
    """The policy mail alone: the old limit, and team lunches claimed like any meal with a receipt."""
    meals = []
    for m in f["meals"]:
        claim = m["amount"] <= f["old_limit"] or bool(m["receipt"])
        meals.append({**m, "claim": claim, "chase": not claim})
    return oracle(world, {**f, "meals": meals})


FAMILY = Family(
    name="receipt-policy",
    kind="reactive",
    services=("expenses", "bank", "calendar", "files", "todo", "workmail", "chat"),
    summary="Each work meal of the last week (calendar + card charge) is claimed under meals when the policy in force "
    "allows it (under the limit, or with a receipt; the manager's chat amendment lowers the limit or takes team "
    "lunches off); meals over the limit without a receipt are not claimed and get a to-do asking for the receipt; "
    "private meals are never claimed; top levels tell the manager what is missing and copy the claimed receipts.",
    generate=generate,
    check=check,
    oracle=oracle,
    stale_oracle=stale_oracle,
    variants=("limit", "team"),
    tasks_per_variant=15,
    count=30,
    max_steps=60,
    tags=("conflict",),
    footprint=Footprint(
        owns=(
            Own("expenses.claims", new=True),
            Own("files.files", where=path_under("Documents/expenses/claimed/"), new=True),
        ),
        parties=("boss", "tell.email"),
        channels=("tell.dm",),
    ),
)
