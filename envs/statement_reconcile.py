"""Reconcile a card statement (a CSV on the laptop) with the expense claims; write a report.

Laptop: the finance team's mail asks for the reconciliation of one month's card
statement; the statement is a CSV export in ~/Downloads; the claims are in the expenses
service (reach them with `claw expenses list`). The checker reads the report from the
files service (it lists exactly the unclaimed card payments and its total is right) and
the reply to finance that carries it. Services on the path: mail, files, expenses.
Traps (harder levels): refunds (positive lines) that are not payments, an older
statement in the same folder, claims linked to last month's payments.
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

from .kit import checks, views

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
    debits = [r for r in rows if r["amount"] < 0]
    claimed = ctx.sample(debits, max(1, len(debits) // 2))
    exp = ctx.svc("expenses")
    cats = dict(MERCHANTS)
    for r in claimed:
        exp.add(
            r["time"],
            r["merchant"],
            -r["amount"],
            cats[r["merchant"]],
            tx_id=r["id"],
            status=ctx.pick(["draft", "submitted"]),
        )
    files = ctx.svc("files")
    files.put(f"Downloads/statement-{month}.csv", _csv(rows), time=end + 2 * clock.HOUR)
    if ctx.difficulty >= 3:  # last month's statement, fully claimed: a decoy
        p_start, _ = _month_bounds(start)
        old = _statement(ctx, p_start, start, 4)
        for r in old:
            exp.add(r["time"], r["merchant"], -r["amount"], cats[r["merchant"]], tx_id=r["id"], status="approved")
        files.put(f"Downloads/statement-{clock.to_datetime(p_start):%Y-%m}.csv", _csv(old), time=start + clock.HOUR)
    claimed_ids = {r["id"] for r in claimed}
    unclaimed = [r["id"] for r in debits if r["id"] not in claimed_ids]
    total = round(-sum(r["amount"] for r in debits if r["id"] in unclaimed), 2)
    report = "Documents/card-reconciliation.txt"
    finance = f"finance@{ctx.persona.work_domain}"
    req = ctx.svc("mail").deliver(
        finance,
        f"Card statement {month_name}",
        f"Hi {ctx.persona.me.first},\n\nfor the month-end close we need your {month_name} card statement "
        "reconciled against your expense claims: which card payments have no claim yet, and their total.\n\n"
        "Thanks,\nFinance",
        time=ctx.now - int(ctx.rng.integers(2, 20)) * clock.HOUR,
    )
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
            "report": report,
            "month": month,
            "unclaimed": unclaimed,
            "request": req["id"],
            "finance": finance,
            "claimed": sorted(claimed_ids),
            "total": total,
        },
    )


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
    touched = world.audit.calls("expenses.delete") + world.audit.calls("expenses.submit")
    g.forbid("changed expense claims", bool(touched))


SCRIPT = r"""python3 - <<'PY'
import csv, json, subprocess
out = subprocess.run(["claw", "expenses", "list", "--limit", "200"], capture_output=True, text=True, check=True)
claims = json.loads(out.stdout)
linked = {c["tx_id"] for c in claims["items"] if c["tx_id"]}
rows = list(csv.DictReader(open("Downloads/statement-@MONTH@.csv")))
open_rows = [r for r in rows if float(r["amount"]) < 0 and r["transaction_id"] not in linked]
with open("@REPORT@", "w") as out:
    for r in open_rows:
        out.write(f"{r['date']} {r['transaction_id']} {r['description']} {-float(r['amount']):.2f}\n")
    out.write(f"TOTAL UNCLAIMED: {-sum(float(r['amount']) for r in open_rows):.2f}\n")
PY"""


def oracle(world: World, f: dict[str, Any]) -> list[str]:
    return [
        A.shell(f"claw mail get {f['request']}"),
        A.shell("cd ~ && ls Downloads"),
        A.shell(f"head -n 3 Downloads/statement-{f['month']}.csv"),
        A.shell(SCRIPT.replace("@MONTH@", f["month"]).replace("@REPORT@", f["report"]), timeout=30),
        A.shell(f"cat {f['report']}"),
        A.shell(f"claw mail reply {f['request']} --body 'Here is the reconciliation.' --attachments {f['report']}"),
        A.finish(f"Wrote {f['report']}: {len(f['unclaimed'])} unclaimed payments."),
    ]


FAMILY = Family(
    name="statement-reconcile",
    count=36,
    kind="reactive",
    services=("files", "bank", "expenses", "mail", "contacts", "notes"),
    summary="A report in Documents lists exactly the card payments of the statement finance asked about that have "
    "no expense claim (by transaction id), ends with their correct total and goes back to finance attached; "
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
        owns=(Own("files.files", where=path_in("report")), Own("mail.messages", ids=("request",))), parties=("finance",)
    ),
)
