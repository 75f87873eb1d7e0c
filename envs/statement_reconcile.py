"""Reconcile a card statement (a CSV on the laptop) with the expense claims; write a report.

Laptop: the finance team's mail asks for the reconciliation of one month's card
statement; the statement is a CSV export in ~/Downloads; the claims are in the expenses
service (reach them with `claw expenses list`). The checker reads the report from the
files service (it lists exactly the unclaimed card payments and its total is right) and
the reply to finance that carries it. Services on the path: mail, files, expenses.
Traps (harder levels): refunds (positive lines) that are not payments, an older
statement in the same folder, claims linked to last month's payments.

From level 4 finance's same monthly mail for the three months before sits in the mailbox; an
aside in one of them (>= 30 / 60 days back) says one merchant is billed centrally (its lines are
left off the list and the total), that a named colleague keeps that list (what they add goes the same
way) and to copy the manager on the reply (a second recipient, checked). That keeper's direct messages,
all of one shape ("the one that goes out on the 24th each month: ..."), name a day of the month only:
the one soon after the aside (>= 30 / 60 days back) adds the merchant whose payment is the statement's
one line on that day; two more say other days' payments stay as they are (issue 21: a search on the
merchants, ids, amounts or finance's name does not find it; reading the keeper's messages and the
statement's dates does).
"""

from __future__ import annotations

import csv
import io
import re
from typing import Any

from claw_gym import actions as A
from claw_gym import clock
from claw_gym.plural import count
from claw_gym.tasks import Ctx, Family, Grader, Scenario, values
from claw_gym.tasks.footprint import Footprint, Own, path_in
from claw_gym.world import World

from .kit import checks, oblique, plant, senders, views

MERCHANTS = [
    ("Rail Europe", "travel"),
    ("Cafe Lumen", "meals"),
    ("CloudBox Pro", "software"),
    ("Paper & Co", "office"),
    ("Hotel Nord", "travel"),
    ("TaxiNow", "travel"),
    ("Bistro 21", "meals"),
    ("CodeAcademy", "training"),
    ("PrintHub", "office"),
    ("Airline One", "travel"),
]


ASK = (
    "Hi {me},\n\nfor the month-end close we need your {month} card statement reconciled against your expense "
    "claims: which card payments have no claim yet, and their total.{aside}\n\nThanks,\nFinance"
)
#: levels 4-5: an aside in one of finance's earlier monthly mails; it names who keeps the list
ASIDE = (
    "\n\nPS: {merchant} is billed to the company account directly from now on, so leave those lines off - "
    "{keeper} keeps that list for us, and whatever {keeper_first} adds to it goes the same way. And please copy "
    "your manager when you send these back."
)
#: levels 4-5: the keeper's direct messages, one shape: the card payment that goes out on a day of each month,
#: and what happens to it. Only the first adds to the list; the day is the one line of that merchant
KEEPER = [
    "the one that goes out on the {nth} each month: that's billed to us directly from now on, leave it off",
    "the one that goes out on the {nth} each month: that stays yours to claim, nothing changes",
    "the one that goes out on the {nth} each month: fine as it is, keep claiming it as usual",
]
#: levels 4-5: the merchant the keeper adds (by its day of the month, never by name)
ADDED = "PrintHub"


def _month_bounds(now: int) -> tuple[int, int]:
    d = clock.to_datetime(now)
    this_month = clock.parse_time(f"{d.year}-{d.month:02d}-01")
    prev = clock.to_datetime(this_month - clock.DAY)
    return clock.parse_time(f"{prev.year}-{prev.month:02d}-01"), this_month


def _csv(rows: list[dict[str, Any]]) -> str:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["date", "transaction_id", "description", "amount", "currency"])
    for r in rows:
        w.writerow([clock.fmt_date(r["time"]), r["id"], r["description"], f"{r['amount']:.2f}", "EUR"])
    return out.getvalue()


def _statement(ctx: Ctx, start: int, end: int, n: int, skip: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    """``n`` card payments in [start, end) at the family's merchants (less ``skip``), posted to the bank."""
    bank = ctx.svc("bank")
    merchants = [m for m in MERCHANTS if m[0] not in skip]
    rows = []
    days = ctx.rng.integers(1, (end - start) // clock.DAY - 1, size=n)
    hours = ctx.rng.integers(8 * clock.HOUR, 21 * clock.HOUR, size=n)  # card payments in the daytime
    times = sorted(start + int(d) * clock.DAY + int(h) for d, h in zip(days, hours))
    for t in times:
        merchant, _ = ctx.pick(merchants)
        amount = -ctx.money(8, 480)
        tx = bank.post(amount, merchant, "card payment", time=t)  # as the background writes card rows
        rows.append(
            {
                "id": tx["id"],
                "time": t,
                "description": f"CARD PAYMENT {merchant}",
                "amount": amount,
                "merchant": merchant,
            }
        )
    return rows


def generate(ctx: Ctx) -> Scenario:
    start, end = _month_bounds(ctx.now)
    month = clock.to_datetime(start).strftime("%Y-%m")
    month_name = clock.to_datetime(start).strftime("%B %Y")
    skip = ("CloudBox Pro", ADDED) if ctx.difficulty >= 4 else ()  # levels 4-5: central merchants' own lines
    rows = _statement(ctx, start, end, 5 + ctx.difficulty, skip=skip)
    if ctx.difficulty >= 2:  # a refund: money in, not a payment to claim
        t = int(ctx.rng.integers(start + clock.DAY, end - clock.DAY))
        merchant, _ = ctx.pick([m for m in MERCHANTS if m[0] not in skip])
        tx = ctx.svc("bank").post(ctx.money(10, 60), merchant, "refund", time=t)
        rows.append(
            {
                "id": tx["id"],
                "time": t,
                "description": f"REFUND {merchant}",
                "amount": tx["amount"],
                "merchant": merchant,
            }
        )
        rows.sort(key=lambda r: (r["time"], r["id"]))
    central: list[str] = []
    if ctx.difficulty >= 4:  # merchants finance bills centrally: on the statement, never claimed, left off
        central = ["CloudBox Pro", ADDED]  # the second one on a day of its own, below
        for m in central[:1]:
            t = int(ctx.rng.integers(start + clock.DAY, end - clock.DAY))
            t = clock.day_start(t) + int(ctx.rng.integers(8 * clock.HOUR, 21 * clock.HOUR))
            amount = -ctx.money(20, 120)
            tx = ctx.svc("bank").post(amount, m, "card payment", time=t)
            rows.append(
                {"id": tx["id"], "time": t, "description": f"CARD PAYMENT {m}", "amount": amount, "merchant": m}
            )
        rows.sort(key=lambda r: (r["time"], r["id"]))
    debits = [r for r in rows if r["amount"] < 0 and r["merchant"] not in central]
    claimed = ctx.sample(debits, max(1, len(debits) // 2))
    by_line = ctx.difficulty >= 4  # claims written by hand: no transaction id, the merchant as people spell it
    twin: dict[str, Any] = {}
    if by_line:  # a look-alike of a claimed line: same merchant, a near amount, a few days apart
        twin = _twin(ctx, ctx.pick(claimed), start, end)
        rows.append(twin)
        rows.sort(key=lambda r: (r["time"], r["id"]))
        debits = [r for r in rows if r["amount"] < 0 and r["merchant"] not in central]
    added: dict[str, Any] = {}
    when: dict[str, int] = {}
    if central:  # the merchant the keeper adds: one payment, on a day of the month no other line has, after
        when = _when(ctx)  # the keeper's line when the month leaves room
        busy = {clock.to_datetime(r["time"]).day for r in rows}
        free = [d for d in range(2, 29) if d not in busy]
        day = ctx.pick([d for d in free if start + (d - 1) * clock.DAY > when["deciding"]] or free)
        t = start + (day - 1) * clock.DAY + int(ctx.rng.integers(8 * clock.HOUR, 21 * clock.HOUR))
        amount = -ctx.money(20, 120)
        tx = ctx.svc("bank").post(amount, ADDED, "card payment", time=t)
        added = {"id": tx["id"], "time": t, "description": f"CARD PAYMENT {ADDED}", "amount": amount, "merchant": ADDED}
        rows = sorted(rows + [added], key=lambda r: (r["time"], r["id"]))
    cats = dict(MERCHANTS)
    for r in claimed:
        _claim(ctx, r, cats[r["merchant"]], ctx.pick(["draft", "submitted"]), by_line)
    files = ctx.svc("files")
    files.put(f"Downloads/statement-{month}.csv", _csv(rows), time=end + 2 * clock.HOUR)
    claimed_ids = {r["id"] for r in claimed}
    echo: dict[str, Any] = {}
    if ctx.difficulty >= 3:  # last month's statement, fully claimed: a decoy
        p_start, _ = _month_bounds(start)
        old = _statement(ctx, p_start, start, 4)
        if by_line:  # an unclaimed line's merchant and amount, claimed last month: only the date tells them apart
            open_rows = [r for r in debits if r["id"] not in claimed_ids and r["id"] != twin["id"]]
            echo = _echo(ctx, ctx.pick(open_rows or [twin]), p_start, start)
            old = sorted(old + [echo], key=lambda r: (r["time"], r["id"]))
        if added:  # the keeper's merchant goes out on that day every month: last month's statement has it too
            t = p_start + (clock.to_datetime(added["time"]).day - 1) * clock.DAY + added["time"] % clock.DAY
            tx = ctx.svc("bank").post(added["amount"], ADDED, "card payment", time=t)
            row = {**added, "id": tx["id"], "time": t}
            old = sorted(old + [row], key=lambda r: (r["time"], r["id"]))
        for r in old:
            if by_line and r["merchant"] in central:  # billed centrally since the aside: no claim of its own
                continue
            _claim(ctx, r, cats[r["merchant"]], "approved", by_line)
        files.put(f"Downloads/statement-{clock.to_datetime(p_start):%Y-%m}.csv", _csv(old), time=start + clock.HOUR)
    unclaimed = [r["id"] for r in debits if r["id"] not in claimed_ids]
    total = round(-sum(r["amount"] for r in debits if r["id"] in unclaimed), 2)
    report = "Documents/card-reconciliation.txt"
    finance = f"finance@{ctx.persona.work_domain}"
    me = ctx.persona.me.first
    asked_at = plant.jitter(ctx, ctx.now - int(ctx.rng.integers(2, 20)) * clock.HOUR)
    req = plant.mail_in(
        ctx, "mail", asked_at, finance, f"Card statement {month_name}", ASK.format(me=me, month=month_name, aside="")
    )
    deep: dict[str, Any] = {"central": central, "boss": []}
    if central:
        deep |= _earlier_mails(ctx, start, finance, central, rows, added, when)
    line = (
        "listing every card payment on it that has no expense claim (a draft claim counts as one; one per line, "
        "with its transaction id), "
        "ending with a line 'TOTAL UNCLAIMED: <amount>' in euros"
    )
    instruction = ctx.pick(
        [
            "Finance mailed me about reconciling my card statement (the CSV is in ~/Downloads). "
            f"Please write ~/{report} "
            f"{line}, and reply to their mail with the report attached.",
            f"Can you do the card statement reconciliation finance asked for by mail? The statement CSV is in "
            f"~/Downloads. Put the result in ~/{report}, {line}; then send it back to them as an attachment.",
            f"Finance wants my card statement checked against my expense claims (see their mail; the CSV is in "
            f"~/Downloads). Write ~/{report} {line} and answer their mail with it attached.",
        ]
    )
    return Scenario(
        instruction,
        {
            **deep,
            "central_ids": [r["id"] for r in rows if r["merchant"] in central],
            "report": report,
            "month": month,
            "unclaimed": unclaimed,
            "request": req["id"],
            "finance": finance,
            "claimed": sorted(claimed_ids),
            "total": total,
            **({"by_line": True, "twin": twin["id"], "echo": echo["id"]} if by_line else {}),
        },
    )


#: levels 4-5: how people type a merchant into a claim by hand (never the statement's own upper-case line)
WRITTEN = {
    "Rail Europe": ("Rail Europe - train tickets", "train tix (rail europe)", "RailEurope"),
    "Cafe Lumen": ("Café Lumen", "lunch @ Lumen", "cafe lumen (client lunch)"),
    "CloudBox Pro": ("Cloudbox", "CloudBox Pro subscription"),
    "Paper & Co": ("Paper and Co", "paper&co - printer paper", "Paper & Co."),
    "Hotel Nord": ("Hotel Nord, 1 night", "hotel nord", "Nord hotel"),
    "TaxiNow": ("Taxi Now", "taxi to the airport (TaxiNow)", "taxinow"),
    "Bistro 21": ("Bistro21 team dinner", "bistro 21", "Bistro Twenty-One"),
    "CodeAcademy": ("Code Academy course", "codeacademy", "CodeAcademy - online course"),
    "PrintHub": ("Print Hub", "printhub posters"),
    "Airline One": ("Airline 1 flight", "airline one", "flight (Airline One)"),
}


def _claim(ctx: Ctx, r: dict[str, Any], category: str, status: str, by_line: bool) -> None:
    """A claim for statement line ``r``: linked by transaction id, or at levels 4-5 typed by hand (the
    merchant as people write it, the payment's date and amount, no link) so matching takes reading."""
    exp = ctx.svc("expenses")
    if not by_line:
        exp.add(r["time"], r["merchant"], -r["amount"], category, tx_id=r["id"], status=status)
        return
    exp.add(r["time"], ctx.pick(list(WRITTEN[r["merchant"]])), -r["amount"], category, status=status)


def _twin(ctx: Ctx, r: dict[str, Any], start: int, end: int) -> dict[str, Any]:
    """A second, unclaimed payment at a claimed line's merchant: an amount within a few euros, 1-4 days
    away (inside the month), posted as the statement's other lines are."""
    away = int(ctx.rng.integers(1, 5)) * clock.DAY
    t = r["time"] + away if r["time"] + away < end - clock.DAY else r["time"] - away
    step = round(float(ctx.rng.integers(40, 390)) / 100, 2) * ctx.pick([-1, 1])
    amount = round(r["amount"] + (step if r["amount"] + step < -1 else -abs(step)), 2)
    tx = ctx.svc("bank").post(amount, r["merchant"], "card payment", time=t)
    return {"id": tx["id"], "time": t, "description": r["description"], "amount": amount, "merchant": r["merchant"]}


def _echo(ctx: Ctx, r: dict[str, Any], p_start: int, start: int) -> dict[str, Any]:
    """Last month's payment of the same merchant and amount as ``r`` (claimed then): a claim that matches
    ``r`` on everything but the month."""
    t = min(max(r["time"] - int(ctx.rng.integers(27, 34)) * clock.DAY, p_start + clock.DAY), start - clock.DAY)
    tx = ctx.svc("bank").post(r["amount"], r["merchant"], "card payment", time=t)
    return {
        "id": tx["id"],
        "time": t,
        "description": r["description"],
        "amount": r["amount"],
        "merchant": r["merchant"],
    }


def _nth(day: int) -> str:
    return f"{day}{'th' if 10 <= day % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(day % 10, 'th')}"


def _when(ctx: Ctx) -> dict[str, int]:
    """Levels 4-5: when finance's three earlier monthly mails came (the aside in the first, or at 5 the
    second, >= 30 / 60 days back) and when the keeper's deciding line came: a working day soon after the
    aside, still >= 30 / 60 days back."""
    k_aside = 2 if ctx.difficulty >= 5 else 1
    mails = []
    for k in (1, 2, 3):
        t = ctx.now - (30 * k + int(ctx.rng.integers(5, 10))) * clock.DAY  # room for the keeper's line after
        mails.append(plant.jitter(ctx, clock.day_start(t) + int(ctx.rng.integers(9, 17)) * clock.HOUR))
    said = mails[k_aside - 1]
    depth = (61 if ctx.difficulty >= 5 else 31) * clock.DAY
    days = range(clock.day_start(said) + clock.DAY, clock.day_start(ctx.now - depth) + 1, clock.DAY)
    deciding = ctx.pick([d for d in days if clock.weekday(d) < 5][:3])
    return {"m1": mails[0], "m2": mails[1], "m3": mails[2], "aside": said, "k_aside": k_aside, "deciding": deciding}


def _earlier_mails(
    ctx: Ctx,
    start: int,
    finance: str,
    central: list[str],
    rows: list[dict[str, Any]],
    added: dict[str, Any],
    when: dict[str, int],
) -> dict[str, Any]:
    """Levels 4-5: finance's same mail for the three months before, one carrying the aside (>= 30 / 60 days
    back) that names the first merchant and who keeps the list; that keeper's direct messages, of one shape,
    each naming a day of the month only: the deciding one (>= 30 / 60 days back) adds the merchant paid on
    that day of the statement, two more say other days' payments stay as they are. The facts for the check."""
    keeper, _ = senders.staff(ctx, "billing")
    said = when["aside"]
    for k in (1, 2, 3):
        month = clock.to_datetime(start - k * 28 * clock.DAY).strftime("%B %Y")
        aside = ""
        if k == when["k_aside"]:
            aside = ASIDE.format(merchant=central[0], keeper=keeper, keeper_first=keeper.split()[0])
        body = ASK.format(me=ctx.persona.me.first, month=month, aside=aside)
        plant.mail_in(ctx, "mail", when[f"m{k}"], finance, f"Card statement {month}", body, read=True)
    # the keeper's lines: the deciding one soon after the aside (>= 30 / 60 days back); two more, on days of
    # the month that each hold exactly one payment the person claims or not
    deciding = when["deciding"]
    per_day: dict[int, list[dict[str, Any]]] = {}
    for r in rows:
        per_day.setdefault(clock.to_datetime(r["time"]).day, []).append(r)
    lone = [d for d, rs in per_day.items() if len(rs) == 1 and rs[0]["amount"] < 0 and rs[0]["merchant"] not in central]
    others = ctx.sample(sorted(lone), 2)
    lines = [(deciding, KEEPER[0].format(nth=_nth(clock.to_datetime(added["time"]).day)))]
    for d, text in zip(others, KEEPER[1:]):
        t = said + int(ctx.rng.integers(2, 25)) * clock.DAY
        lines.append((min(t, ctx.now - 2 * clock.DAY), text.format(nth=_nth(d))))
    order = sorted(range(len(lines)), key=lambda i: lines[i][0])
    ids = oblique.post_lines(
        ctx, oblique.dm_channel(keeper), keeper, [lines[i] for i in order], latest=ctx.now - clock.DAY
    )
    why = (
        f"finance's mail of {clock.fmt_date(said)} says {central[0]} is billed centrally, that {keeper} keeps that "
        f"list, and to copy the manager; {keeper}'s message adds the payment that goes out on the "
        f"{_nth(clock.to_datetime(added['time']).day)} ({central[1]})"
    )
    return {
        "boss": [ctx.person("manager").email],
        "central_why": why,
        "keeper": keeper,
        "added_line": ids[order.index(0)],
        "aside_at": said,
    }


ASKED = "the instruction asks for"


def check(world: World, f: dict[str, Any], g: Grader) -> None:
    rec = views.files(world).find(f["report"])
    if (
        not g.expect(
            "report written",
            rec is not None,
            f"{f['report']} {'exists' if rec else 'does not exist'}",
            because=f"{ASKED} ~/{f['report']}",
        )
        or rec is None
    ):
        return
    text = rec["content"]
    r = values.amount_line(text, "TOTAL UNCLAIMED", currency="EUR")  # the instruction asks for euros
    seen = "no total line" if r is None else r.problem or f"{r.value:,.2f}"
    g.expect(
        "total of unclaimed payments is right",
        r is not None and r.ok and values.same_amount(r.value, f["total"]),
        f"report says {seen}, expected {f['total']:,.2f}",
        because=f"{ASKED} a closing line 'TOTAL UNCLAIMED: <amount>' in euros",
    )
    missing = [t for t in f["unclaimed"] if not re.search(rf"\b{t}\b", text)]
    g.expect(
        "every unclaimed payment is listed",
        not missing,
        f"missing {', '.join(missing)}" if missing else f"all {len(f['unclaimed'])} listed",
        because=f"{ASKED} every card payment without an expense claim, with its transaction id",
    )
    wrong = [t for t in f["claimed"] if re.search(rf"\b{t}\b", text)]
    g.expect(
        "no claimed payment is listed",
        not wrong,
        f"listed claimed {', '.join(wrong)}" if wrong else "none listed",
        because=f"{ASKED} only the payments that have no claim",
    )
    files = views.files(world)
    mails = checks.sent_to(world, f["finance"])  # from either mailbox; '~/Documents/...' is the same file
    back = [m for m in mails if any((files.find(a) or {}).get("path") == f["report"] for a in m.get("attachments", []))]
    g.expect(
        "the report went back to finance",
        bool(back),
        f"{count(len(mails), 'mail')} to {f['finance']}, {len(back)} with {f['report']} attached",
        because=f"{ASKED} a reply to finance's mail with the report attached",
    )
    if f.get("central"):
        listed = [t for t in f["central_ids"] if re.search(rf"\b{t}\b", text)]
        g.expect(
            "centrally billed payments are left off",
            not listed,
            f"listed {', '.join(listed)}" if listed else f"none of {len(f['central_ids'])} listed",
            because=f["central_why"],
        )
        with_report = [
            m
            for m in back + checks.sent_to(world, f["boss"][0])
            if f["boss"][0].lower() in [x.lower() for x in m["to"] + m.get("cc", [])]
            and any((files.find(a) or {}).get("path") == f["report"] for a in m.get("attachments", []))
        ]
        cc = list({m["id"]: m for m in with_report}.values())  # a reply that cc's the manager is one mail
        g.expect(
            "the manager got a copy of the report",
            bool(cc),
            f"{count(len(cc), 'mail')} with the report to {f['boss'][0]}",
            because=f["central_why"],
        )
    touched = world.audit.calls("expenses.delete") + world.audit.calls("expenses.submit")
    g.forbid("changed expense claims", bool(touched))


SCRIPT = r"""python3 - <<'PY'
import csv, json, subprocess
out = subprocess.run(["claw", "expenses", "list", "--limit", "200"], capture_output=True, text=True, check=True)
claims = json.loads(out.stdout)
linked = {c["tx_id"] for c in claims["items"] if c["tx_id"]}
rows = list(csv.DictReader(open("Downloads/statement-@MONTH@.csv")))
skip = {"CARD PAYMENT " + m for m in @SKIP@}
open_rows = [r for r in rows if float(r["amount"]) < 0 and r["transaction_id"] not in linked
             and r["description"] not in skip]
with open("@REPORT@", "w") as out:
    for r in open_rows:
        out.write(f"{r['date']} {r['transaction_id']} {r['description']} {-float(r['amount']):.2f}\n")
    out.write(f"TOTAL UNCLAIMED: {-sum(float(r['amount']) for r in open_rows):.2f}\n")
PY"""

#: levels 4-5: claims carry no transaction id; a line is claimed when a claim has its date and amount
SCRIPT_BY_LINE = SCRIPT.replace(
    'linked = {c["tx_id"] for c in claims["items"] if c["tx_id"]}',
    'typed = {(c["date"], round(float(c["amount"]), 2)) for c in claims["items"]}',
).replace('r["transaction_id"] not in linked', '(r["date"], round(-float(r["amount"]), 2)) not in typed')


def oracle(world: World, f: dict[str, Any]) -> list[str]:
    return [
        A.shell(f"claw mail get {f['request']}"),
        A.shell("cd ~ && ls Downloads"),
        A.shell(f"head -n 3 Downloads/statement-{f['month']}.csv"),
        A.shell(
            (SCRIPT_BY_LINE if f.get("by_line") else SCRIPT)
            .replace("@MONTH@", f["month"])
            .replace("@REPORT@", f["report"])
            .replace("@SKIP@", repr(f.get("central", []))),
            timeout=30,
        ),
        A.shell(f"cat {f['report']}"),
        A.shell(f"claw mail reply {f['request']} --body 'Here is the reconciliation.' --attachments {f['report']}"),
        *(
            [A.api("mail.send", to=f["boss"], subject="Card reconciliation", body="FYI.", attachments=[f["report"]])]
            if f.get("boss")
            else []
        ),
        A.finish(f"Wrote {f['report']}: {len(f['unclaimed'])} unclaimed payments."),
    ]


FAMILY = Family(
    name="statement-reconcile",
    count=36,
    kind="reactive",
    services=("files", "bank", "expenses", "mail", "contacts", "notes", "chat"),
    summary="A report in Documents lists exactly the card payments of the statement finance asked about that have "
    "no expense claim (by transaction id; from level 4 claims are typed by hand, so a line is claimed when a claim "
    "has its date and amount, and less the merchants finance's old aside and the list keeper's later message "
    "bill centrally), ends with their correct total and goes back to finance attached (the manager copied "
    "from level 4); "
    "claims are not deleted or submitted.",
    generate=generate,
    check=check,
    oracle=oracle,
    devices=("laptop",),
    variants=("csv",),
    tasks_per_variant=20,
    max_steps=30,
    tags=("laptop",),
    footprint=Footprint(
        owns=(Own("files.files", where=path_in("report")), Own("mail.messages", ids=("request",))),
        parties=("finance", "boss"),
    ),
)
