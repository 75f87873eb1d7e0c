"""Laptop: write the weekly account report from the CRM and the helpdesk, with exact totals.

The person's "My accounts" note names the accounts they own (at level 3 it also lists former
accounts handed to someone else; from level 4 the note, 60-90 days old, still lists them as the
person's, and a work mail from the manager 30-50 days back, about the handover, is the only word
that they moved: the instruction asks for the accounts the person owns now). The report file in
~/Documents must give the open pipeline (deals not won/lost), the won total and the number of
unsolved tickets (open or pending) over exactly those accounts. Noise: lost deals, other
people's accounts, solved tickets, the background CRM and helpdesk life; more of each with
difficulty.
"""

from __future__ import annotations

import re
from typing import Any

from claw_gym import actions as A
from claw_gym import clock
from claw_gym.plural import count
from claw_gym.tasks import Ctx, Family, Grader, Scenario, values
from claw_gym.tasks.footprint import Footprint, Own, path_in
from claw_gym.world import World

from .kit import views

ACCOUNTS = [
    "Ashgrove Hotels",
    "Birchwood Labs",
    "Cinderford Bikes",
    "Dovetail Games",
    "Eastmere Water",
    "Foxhollow Wines",
    "Glenrock Energy",
    "Hazelmere Care",
    "Ivybridge Books",
    "Jasper Optics",
    "Kelso Textiles",
    "Linden Robotics",
]
SUBJECTS = [
    ("Login loop on the portal", "Since this morning the portal sends us back to the login page after signing in."),
    ("Invoice PDF missing", "The invoice for last month shows in the list but the PDF link is empty."),
    ("Slow search", "Search takes 20-30 seconds for our team since Monday."),
    ("Export timeout", "The nightly export times out halfway; we only get part of the file."),
    ("SSO error", "Our users get an SSO error when they sign in from the new laptops."),
    ("Wrong currency on quotes", "Quotes for our EU branch come out in USD instead of EUR."),
    ("Webhook retries", "Your webhooks retry the same event several times and we get duplicates."),
    ("Password reset mail not arriving", "Reset mails never arrive for two of our users. Checked spam already."),
]
COUNT = re.compile(r"(?<![\w.,])\d+(?![\w.,]\d)")  # a whole count, not part of a date or an id
INSTRUCTIONS = [
    "Write this week's account report to ~/{path}. For the accounts in my 'My accounts' note it needs "
    "three lines: 'PIPELINE: <open deal total>', 'WON: <won deal total>' and 'UNSOLVED TICKETS: <count of "
    "open or pending tickets>'.",
    "Please put my weekly account summary in ~/{path}: lines 'PIPELINE: <amount>' (open deals), 'WON: "
    "<amount>' and 'UNSOLVED TICKETS: <n>' (open + pending), only for my own accounts (see my notes).",
    "I need the weekly numbers for my accounts (listed in my notes) in ~/{path} - 'PIPELINE: ...' for "
    "deals still open, 'WON: ...' for won ones, 'UNSOLVED TICKETS: ...' for tickets not solved yet.",
]

NOW_INSTRUCTIONS = [
    "Write this week's account report to ~/{path}, over the accounts I own now (my 'My accounts' note may be "
    "out of date): 'PIPELINE: <open deal total>', 'WON: <won deal total>' and 'UNSOLVED TICKETS: <count of "
    "open or pending tickets>'.",
    "Please put the weekly summary for the accounts that are mine today in ~/{path}: 'PIPELINE: <amount>' "
    "(open deals), 'WON: <amount>' and 'UNSOLVED TICKETS: <n>' (open + pending). My notes list them, but some "
    "may have moved since.",
]


def _domain(account: str) -> str:
    return account.lower().replace(" ", "") + ".example"


def generate(ctx: Ctx) -> Scenario:
    crm, hd, notes = ctx.svc("crm"), ctx.svc("helpdesk"), ctx.svc("notes")
    n_mine, n_former = 2 + (ctx.difficulty + 1) // 2, (1 if ctx.difficulty >= 3 else 0) + (ctx.difficulty >= 5)
    accs = ctx.sample(ACCOUNTS, n_mine + n_former + 2)
    mine, former = accs[:n_mine], accs[n_mine : n_mine + n_former]
    listed = mine if ctx.difficulty < 4 else ctx.sample(mine + former, len(mine + former))
    body = "My accounts\n\n" + "\n".join(f"- {a}" for a in listed)
    if former and ctx.difficulty < 4:
        body += "\n\nFormer accounts (handed over to Sam in the spring, not mine any more):\n" + "\n".join(
            f"- {a}" for a in former
        )
    written = ctx.now - (25 if ctx.difficulty < 4 else int(ctx.rng.integers(60, 90))) * clock.DAY
    notes.add("My accounts", body, time=written)
    handover = ""
    if ctx.difficulty >= 4:  # the note is stale: the manager's mail moved the former accounts to a colleague
        boss, mate = ctx.person("manager"), ctx.person("colleague")
        moved = " and ".join(former)
        mail = ctx.svc("workmail").deliver(
            boss.email,
            f"Re: {ctx.pick(['Team capacity', 'Account coverage', 'Planning for next quarter'])}",
            f"Thanks for the overview. To free you up for the renewals, {moved} "
            f"{'moves' if len(former) == 1 else 'move'} to {mate.first} from Monday - please hand over the open "
            f"items this week. The rest stays with you.\n\n{boss.first}",
            time=ctx.now - int(ctx.rng.integers(30, 50)) * clock.DAY + int(ctx.rng.integers(9 * 60, 18 * 60)) * 60,
            read=True,
        )
        handover = f"; the manager's later mail '{mail['subject']}' moved {moved} to {mate.first}"
    pipeline = won = 0.0
    tickets = 0
    for acc in accs:
        n_deals = 1 + int(ctx.rng.integers(1, 2 + ctx.difficulty // 2))
        for k in range(n_deals):  # every account has an open and a won deal at least
            stage = ["negotiation", "won"][k] if k < 2 else ctx.pick(["lead", "qualified", "proposal", "won", "lost"])
            amount = float(int(ctx.rng.integers(5, 120)) * 1000)  # as the background's deals go
            crm.add_deal(
                acc,
                f"{acc} - {ctx.pick(['pilot', 'renewal', 'annual licence', 'expansion'])}",
                stage,
                amount,
                ctx.person("colleague").name,  # the deal's owner on our side, as in the background
                ctx.now + int(ctx.rng.integers(-40, 60)) * clock.DAY,
                next_step="" if stage in ("won", "lost") else "Send revised proposal",
            )
            if acc in mine:
                pipeline += amount if stage not in ("won", "lost") else 0.0
                won += amount if stage == "won" else 0.0
        for k in range(int(ctx.rng.integers(2, 3 + ctx.difficulty // 2))):
            status = "open" if k == 0 else ctx.pick(["open", "pending", "solved"])
            subject, body = ctx.pick(SUBJECTS)
            t = hd.open_ticket(
                subject,
                f"{ctx.pick(['ops', 'it', 'finance', 'support', 'admin'])}@{_domain(acc)}",  # a team address
                body,
                time=ctx.now - int(ctx.rng.integers(2, 200)) * clock.HOUR,
            )
            hd.modify(t, status=status)
            tickets += int(acc in mine and status != "solved")
    path = f"Documents/account-report-{clock.fmt_date(ctx.now)}.txt"
    return Scenario(
        ctx.pick(INSTRUCTIONS if ctx.difficulty < 4 else NOW_INSTRUCTIONS).format(path=path),
        {
            "path": path,
            "mine": mine,
            "former": former,
            "pipeline": round(pipeline, 2),
            "won": round(won, 2),
            "tickets": tickets,
            "handover": handover,
        },
    )


def _figures(text: str, label: str) -> tuple[list[str], str]:
    """What the report's 'LABEL:' lines say, as (values, problem): every such line must give one value."""
    lines = [ln.strip() for ln in text.splitlines() if ln.strip().lower().startswith(label.lower() + ":")]
    if not lines:
        return [], "no line"
    got: list[str] = []
    for ln in lines:
        rest = ln.split(":", 1)[1]
        if label == "UNSOLVED TICKETS":
            nums = COUNT.findall(rest)
            if len(nums) != 1:
                return [], f"{ln!r}: {count(len(nums), 'number')}"
            got.append(str(int(nums[0])))
        else:
            found = values.amounts_in(rest)
            if len(found) != 1 or not found[0].ok:
                return [], found[0].problem if len(found) == 1 else f"{ln!r}: {count(len(found), 'amount')}"
            got.append(f"{found[0].value:,.2f}")
    return sorted(set(got)), ""


def check(world: World, f: dict[str, Any], g: Grader) -> None:
    rec = views.files(world).find(f["path"])
    asked = "the instruction names the file and its three lines; 'My accounts' in the notes lists the accounts" + f.get(
        "handover", ""
    )
    if (
        not g.expect(
            "report written",
            rec is not None,
            f"no file {f['path']}" if rec is None else f"{f['path']} has {len(rec['content'])} characters",
            because=f"the instruction asks for the report in ~/{f['path']}",
        )
        or rec is None
    ):
        return
    text = rec["content"]
    for key, label, want in (
        ("pipeline", "PIPELINE", f"{f['pipeline']:,.2f}"),
        ("won", "WON", f"{f['won']:,.2f}"),
        ("tickets", "UNSOLVED TICKETS", str(f["tickets"])),
    ):
        got, problem = _figures(text, label)  # amounts in any grouping, decimal mark and currency mark
        seen = problem or ("two different figures " + " and ".join(got) if len(got) > 1 else got[0])
        g.expect(f"{key} figure is right", got == [want], f"report {seen}, the accounts give {want}", because=asked)
    changed = [
        e.call
        for e in world.audit.entries
        if e.ok
        and e.call.split(".")[0] in ("crm", "helpdesk")
        and e.call.split(".")[1] in ("update_deal", "log_activity", "update", "comment")
    ]
    g.forbid("changed deals or tickets while reporting", bool(changed), ", ".join(changed))


SCRIPT = r"""python3 - <<'PY'
import json, subprocess
def pages(*cmd):
    out, off = [], 0
    while True:
        r = json.loads(subprocess.run(["claw", *cmd, "--limit", "200", "--offset", str(off)],
                                      capture_output=True, text=True, check=True).stdout)
        out += r["items"]; off += 200
        if off >= r["total"]:
            return out
mine = @MINE@
doms = {a.lower().replace(" ", "") + ".example" for a in mine}
deals = [d for d in pages("crm", "list_deals") if d["account"] in mine]
pipeline = sum(d["amount"] for d in deals if d["stage"] not in ("won", "lost"))
won = sum(d["amount"] for d in deals if d["stage"] == "won")
open_t = [t for t in pages("helpdesk", "list") if t["status"] != "solved" and t["requester"].split("@")[1] in doms]
with open("@PATH@", "w") as out:
    out.write("Weekly account report\n\n")
    for a in mine:
        out.write(f"- {a}\n")
    out.write(f"\nPIPELINE: {pipeline:.2f}\nWON: {won:.2f}\nUNSOLVED TICKETS: {len(open_t)}\n")
PY"""


def oracle(world: World, f: dict[str, Any]) -> list[str]:
    return [
        A.shell("claw notes list --query accounts"),
        A.shell("claw crm list_deals --limit 5"),
        A.shell(SCRIPT.replace("@MINE@", repr(f["mine"])).replace("@PATH@", f["path"]), timeout=60),
        A.shell(f"cat ~/{f['path']}"),
        A.finish(f"Report written to ~/{f['path']}."),
    ]


FAMILY = Family(
    name="weekly-report",
    count=36,
    kind="reactive",
    services=("crm", "helpdesk", "notes", "files", "workmail", "contacts"),
    devices=("laptop",),
    summary="A report file in ~/Documents gives the exact open pipeline, won total and unsolved-ticket count over the "
    "accounts the person owns (the notes' list, less those the manager's later mail moved away from level 4; "
    "not former or other accounts); no deal or ticket changed.",
    generate=generate,
    check=check,
    oracle=oracle,
    variants=("weekly",),
    tasks_per_variant=25,
    max_steps=30,
    tags=("laptop", "noise"),
    footprint=Footprint(owns=(Own("files.files", where=path_in("path")),)),
)
