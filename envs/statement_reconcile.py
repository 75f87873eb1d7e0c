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
left off the list and the total) and to copy the manager on the reply (a second recipient,
checked). At level 5 a later chat line by finance adds a second merchant "the same way".
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

from .kit import checks, plant, views

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
#: levels 4-5: an aside in one of finance's earlier monthly mails (the later chat line at 5 adds a merchant)
ASIDE = (
    "\n\nPS: {merchant} is billed to the company account directly from now on, so leave those lines off - and "
    "please copy your manager when you send these back."
)
LATER = "forgot one: {merchant} goes the same way as the other one from now on"


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


def _statement(ctx: Ctx, start: int, end: int, n: int) -> list[dict[str, Any]]:
    bank = ctx.svc("bank")
    rows = []
    days = ctx.rng.integers(1, (end - start) // clock.DAY - 1, size=n)
    hours = ctx.rng.integers(8 * clock.HOUR, 21 * clock.HOUR, size=n)  # card payments in the daytime
    times = sorted(start + int(d) * clock.DAY + int(h) for d, h in zip(days, hours))
    for t in times:
        merchant, _ = ctx.pick(MERCHANTS)
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
    rows = _statement(ctx, start, end, 5 + ctx.difficulty)
    if ctx.difficulty >= 2:  # a refund: money in, not a payment to claim
        t = int(ctx.rng.integers(start + clock.DAY, end - clock.DAY))
        merchant, _ = ctx.pick(MERCHANTS)
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
        central = ["CloudBox Pro"] + (["PrintHub"] if ctx.difficulty >= 5 else [])
        for m in central:
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
        deep |= _earlier_mails(ctx, start, finance, central)
    line = (
        "listing every card payment on it that has no expense claim (one per line, with its transaction id), "
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


def _earlier_mails(ctx: Ctx, start: int, finance: str, central: list[str]) -> dict[str, Any]:
    """Levels 4-5: finance's same mail for the three months before, one carrying the aside (>= 30 / 60 days
    back); at 5 a later chat line adds a second merchant. The facts for the check."""
    k_aside = 2 if ctx.difficulty >= 5 else 1
    said = 0
    for k in (1, 2, 3):
        month = clock.to_datetime(start - k * 28 * clock.DAY).strftime("%B %Y")
        t = ctx.now - (30 * k + int(ctx.rng.integers(3, 8))) * clock.DAY
        t = plant.jitter(ctx, clock.day_start(t) + int(ctx.rng.integers(9, 17)) * clock.HOUR)
        aside = ASIDE.format(merchant=central[0]) if k == k_aside else ""
        body = ASK.format(me=ctx.persona.me.first, month=month, aside=aside)
        plant.mail_in(ctx, "mail", t, finance, f"Card statement {month}", body, read=True)
        said = t if k == k_aside else said
    why = f"finance's mail of {clock.fmt_date(said)} says {central[0]} is billed centrally and to copy the manager"
    if len(central) > 1:
        t = plant.jitter(ctx, said + int(ctx.rng.integers(1, 3)) * clock.DAY + 3 * clock.HOUR)
        plant.chat(ctx, min(t, ctx.now - 60 * clock.DAY), "general", "Finance", LATER.format(merchant=central[1]))
        why += f"; their later chat line adds {central[1]}"
    return {"boss": [ctx.person("manager").email], "central_why": why}


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
    "has its date and amount, and less the merchants finance's old aside and later chat "
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
