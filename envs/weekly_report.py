"""Laptop: write the weekly account report from the CRM and the helpdesk, with exact totals.

The person's "My accounts" note names the accounts they own (at level 3 it also lists former
accounts handed to someone else). From level 4 the note (60+ / 85+ days old) still lists the
former accounts as the person's: the manager's work mail, 38-50 days back at level 4 and 68-80 at
level 5, among same-shaped mails about other people's books, moved two of them to a colleague (who "has
the last word on what they can take on") and gave the person another account; days later that colleague's
line in their DM (short work mails in a world without chat), among their same-shaped lines about other days'
mails, takes only one of the two: "re the mail of 14 October: I can only take the first of the two, the
second stays with you", naming no account and neither "after all" nor the manager (session 33; before, the
manager's own #general line at 5 said "after all"), so neither a search on the accounts nor on the manager
lands on it; the manager sent one mail that day. Its words name accounts, never "accounts" or "handover".
From level 4 customers write tickets from their own mail domain, which does not spell the account (the ticket is
signed with the company), and the instruction adds a goal: mail the manager the pipeline and won figures. The
report file in ~/Documents must give the open pipeline (deals not won/lost), the won total and the number of
unsolved tickets (open or pending) over exactly the accounts the person owns now. Noise: lost deals, other
people's accounts, solved tickets, the background CRM and helpdesk life; more of each with difficulty.
"""

from __future__ import annotations

import re
from typing import Any

from claw_gym import actions as A
from claw_gym import clock
from claw_gym.persona import Person
from claw_gym.plural import count
from claw_gym.tasks import Ctx, Family, Grader, Scenario, values
from claw_gym.tasks.footprint import Footprint, Own, path_in
from claw_gym.world import World

from .kit import checks, oblique, plant, views

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


TELL = [
    "Then mail {boss} the pipeline and won figures, they asked for them.",
    "{boss} wants the pipeline and won totals too: send them by mail once the file is done.",
]


def _domain(account: str) -> str:
    return account.lower().replace(" ", "") + ".example"


#: from level 4 a customer's people write from their own mail domain, which does not spell the account's
#: name; the ticket is signed with the company, so reading it tells whose it is
MAIL_DOMAINS = {
    "Ashgrove Hotels": "agh-group.example",
    "Birchwood Labs": "bwl-research.example",
    "Cinderford Bikes": "cfcycles.example",
    "Dovetail Games": "dvtl.example",
    "Eastmere Water": "emw-utilities.example",
    "Foxhollow Wines": "fhvintners.example",
    "Glenrock Energy": "gre-power.example",
    "Hazelmere Care": "hzcare-group.example",
    "Ivybridge Books": "ivb-publishing.example",
    "Jasper Optics": "jsp-lens.example",
    "Kelso Textiles": "kt-mills.example",
    "Linden Robotics": "lnd-automation.example",
}
FIRST = ["Maya", "Tom", "Ines", "Raj", "Hanna", "Leo", "Zoe", "Omar", "Kit", "Vera", "Nils", "Ada"]
LAST = ["Moss", "Varga", "Okafor", "Lind", "Castell", "Brandt", "Ruiz", "Hale", "Sato", "Dunn", "Kerr", "Pike"]
SUBJECT_LINES = ["Re: Account coverage", "Re: Team capacity", "Re: Planning for next quarter", "Re: Q3 coverage"]
#: the same kind of mail about other people's books: the same words, not the person's accounts
DECOY = [
    "{a} moves from {x} to {y} from the 1st - nothing changes on your side, just so you know who to ask.",
    "Heads up: {x} takes over {a} while {y} is on leave. Loop {x} in on anything for them.",
]


def _handover_text(former: list[str], gained: str, mate: str, giver: str, boss: str) -> str:
    moved = " and ".join(former)
    verb = "moves" if len(former) == 1 else "move"
    return (
        f"Thanks for the overview. To free you up for the renewals, {moved} {verb} to {mate} from Monday - "
        f"please pass on the open items this week. {mate} has the last word on what they can take on. In "
        f"exchange you pick up {gained} from {giver}, who will walk you through it. Everything else stays as it "
        f"is.\n\n{boss}"
    )


#: levels 4-5: the colleague's word on the manager's mail, by its date only (no account, no "after all"): they
#: take one of the two accounts it moves, by its place in the mail
MATE_WORD = [
    "re the mail of {day}: I can only take the {took} of the two, the {kept} stays with you",
    "re the mail of {day}: I'm too full for both - I'll take the {took}, the {kept} stays with you",
]
#: the same colleague's same-shaped lines about other mails (none about accounts)
MATE_OTHERS = [
    "I'll cover the Thursday demo, you keep Friday's",
    "fine by me, I'll join the call",
    "I've put my name down for the early slot",
    "sent them my notes, nothing needed from you",
    "I can't make the workshop, can you go instead?",
    "I booked the small room for it",
]


def _mate_word(ctx: Ctx, mate: Person, mail_at: int, kept: int) -> dict[str, Any]:
    """Levels 4-5: the colleague the accounts move to settles what they take (the ``kept``-th of the two stays),
    in their DM (short work mails in a world without chat) days after the manager's mail, naming it only by its
    date, among their same-shaped lines about other mails of other days."""
    took, left = ("second", "first") if kept == 0 else ("first", "second")
    line = ctx.pick(MATE_WORD).format(day=oblique.day_month(mail_at), took=took, kept=left)
    at = mail_at + int(ctx.rng.integers(1, 5)) * clock.DAY
    while clock.to_datetime(at).weekday() >= 5:  # a working day after the mail's
        at += clock.DAY
    lines, used = [(at, line)], {clock.day_start(mail_at)}
    for off, verdict in zip(ctx.sample([-9, -6, -4, 3, 6, 8], 3), ctx.sample(MATE_OTHERS, 3), strict=True):
        said = at + int(off) * clock.DAY
        seen = said - int(ctx.rng.integers(0, 3)) * clock.DAY
        while clock.to_datetime(seen).weekday() >= 5 or clock.day_start(seen) in used:
            seen -= clock.DAY
        used.add(clock.day_start(seen))
        lines.append((said, f"re the mail of {oblique.day_month(seen)}: {verdict}"))
    lines.sort(key=lambda x: x[0])
    ids = oblique.post_lines(
        ctx, oblique.dm_channel(mate.first), mate.name, lines, latest=ctx.now - clock.DAY, mail_from=mate.email
    )
    door = "chat" if "chat" in ctx.world.services else "workmail"
    return {"msg": ids[[t for t, _ in lines].index(at)], "line": line, "mate": mate.name, "door": door}


def _plant_history(ctx: Ctx, listed: list[str], former: list[str], gained: str) -> tuple[str, dict]:
    """Level 4-5: the stale note, the manager's handover mail (naming the colleague with the last word on what
    they take), that colleague's later word in their DM (they take one of the two, by its place in the mail),
    same-shaped mails about other people's books; (the `because` text, facts)."""
    boss = ctx.person("manager")
    taken = [p.first for p in ctx.persona.people] + [ctx.persona.me.first]
    alone = [p for p in ctx.persona.by_relation("colleague") if taken.count(p.first) == 1]
    mate = ctx.pick(alone)
    giver, x, y = ctx.sample([p for p in ctx.persona.by_relation("colleague") if p != mate], 3)
    deep = 60 if ctx.difficulty >= 5 else 30
    note_at = ctx.now - int(ctx.rng.integers(deep + 25, deep + 45)) * clock.DAY
    plant.note(ctx, plant.jitter(ctx, note_at), "My accounts", "My accounts\n\n" + "\n".join(f"- {a}" for a in listed))
    mail_at = ctx.now - int(ctx.rng.integers(deep + 8, deep + 20)) * clock.DAY
    while True:  # a working day on which neither the manager nor the colleague sent a mail: "the mail of" is one
        while clock.to_datetime(mail_at).weekday() >= 5:
            mail_at -= clock.DAY
        quiet = oblique.quiet_day(ctx, "workmail", mate.email, oblique.quiet_day(ctx, "workmail", boss.email, mail_at))
        if quiet == mail_at:
            break
        mail_at = quiet
    subject = ctx.pick(SUBJECT_LINES)
    plant.mail_in(
        ctx,
        "workmail",
        plant.jitter(ctx, clock.day_start(mail_at) + int(ctx.rng.integers(9 * 60, 18 * 60)) * 60),
        boss.email,
        subject,
        _handover_text(former, gained, mate.first, giver.first, boss.first),
        read=True,
    )
    others = [a for a in ACCOUNTS if a not in listed and a != gained]
    for k, a in enumerate(ctx.sample(others, 2)):  # other people's books, the same words, before and after
        t = ctx.now - int(ctx.rng.integers(deep - 20 if k else deep + 25, deep - 5 if k else deep + 40)) * clock.DAY
        plant.mail_in(
            ctx,
            "workmail",
            plant.jitter(ctx, clock.day_start(t) + int(ctx.rng.integers(9 * 60, 18 * 60)) * 60),
            boss.email,
            ctx.pick(SUBJECT_LINES),
            DECOY[k].format(a=a, x=x.first, y=y.first) + f"\n\n{boss.first}",
            read=True,
        )
    because = (
        f"; the manager's later mail '{subject}' moved {' and '.join(former)} to {mate.first} (who has the last "
        f"word on what they take) and gave {gained}"
    )
    k = int(ctx.rng.integers(0, 2))  # which of the two stays with the person
    kept = former[k]
    word = _mate_word(ctx, mate, mail_at, k)
    because += f"; {mate.first}'s later line in their DM, naming that mail by its date, keeps {kept} with the person"
    return because, {"boss": boss.email, "boss_first": boss.first, "kept": kept, "word": word}


def _ticket(ctx: Ctx, acc: str, status: str) -> None:
    subject, body = ctx.pick(SUBJECTS)
    t = ctx.now - int(ctx.rng.integers(2, 200)) * clock.HOUR
    if ctx.difficulty < 4:  # a team address at a domain that spells the account
        team = ctx.pick(["ops", "it", "finance", "support", "admin"])
        plant.ticket(ctx, plant.jitter(ctx, t, 10), subject, f"{team}@{_domain(acc)}", body, status=status)
        return
    first, last = ctx.pick(FIRST), ctx.pick(LAST)
    plant.ticket(
        ctx,
        plant.jitter(ctx, t, 10),
        subject,
        f"{first.lower()}.{last.lower()}@{MAIL_DOMAINS[acc]}",
        f"{body}\n\n{first} {last}\n{acc}",
        status=status,
    )


def _totals(deals: list[tuple[str, str, float]], tickets: list[tuple[str, str]], accs: list[str]) -> dict:
    return {
        "pipeline": round(sum(a for acc, st, a in deals if acc in accs and st not in ("won", "lost")), 2),
        "won": round(sum(a for acc, st, a in deals if acc in accs and st == "won"), 2),
        "tickets": sum(1 for acc, st in tickets if acc in accs and st != "solved"),
    }


def generate(ctx: Ctx) -> Scenario:
    deep = ctx.difficulty >= 4
    n_mine, n_former = 2 + (ctx.difficulty + 1) // 2, (1 if ctx.difficulty >= 3 else 0) + (ctx.difficulty >= 4)
    accs = ctx.sample(ACCOUNTS, n_mine + n_former + 2 + deep)
    mine, former = accs[:n_mine], accs[n_mine : n_mine + n_former]
    gained = accs[-1] if deep else ""
    listed = mine if not deep else ctx.sample(mine + former, len(mine + former))
    handover, extra = "", dict[str, Any]()
    if not deep:
        body = "My accounts\n\n" + "\n".join(f"- {a}" for a in listed)
        if former:
            body += "\n\nFormer accounts (handed over to Sam in the spring, not mine any more):\n" + "\n".join(
                f"- {a}" for a in former
            )
        plant.note(ctx, plant.jitter(ctx, ctx.now - 25 * clock.DAY), "My accounts", body)
    else:
        handover, extra = _plant_history(ctx, listed, former, gained)
    owned = mine + ([gained] if gained else []) + ([extra["kept"]] if extra.get("kept") else [])
    deals: list[tuple[str, str, float]] = []
    tickets: list[tuple[str, str]] = []
    for acc in accs:
        n_deals = 1 + int(ctx.rng.integers(1, 2 + ctx.difficulty // 2))
        for k in range(n_deals):  # every account has an open and a won deal at least
            stage = ["negotiation", "won"][k] if k < 2 else ctx.pick(["lead", "qualified", "proposal", "won", "lost"])
            amount = float(int(ctx.rng.integers(5, 120)) * 1000)  # as the background's deals go
            plant.deal(
                ctx,
                plant.jitter(ctx, ctx.now - int(ctx.rng.integers(20, 150)) * clock.DAY),
                acc,
                f"{acc} - {ctx.pick(['pilot', 'renewal', 'annual licence', 'expansion'])}",
                stage,
                amount,
                ctx.person("colleague").name,  # the deal's owner on our side, as in the background
                ctx.now + int(ctx.rng.integers(-40, 60)) * clock.DAY,
                next_step="" if stage in ("won", "lost") else "Send revised proposal",
            )
            deals.append((acc, stage, amount))
        for k in range(int(ctx.rng.integers(2, 3 + ctx.difficulty // 2))):
            status = "open" if k == 0 else ctx.pick(["open", "pending", "solved"])
            _ticket(ctx, acc, status)
            tickets.append((acc, status))
    path = f"Documents/account-report-{clock.fmt_date(ctx.now)}.txt"
    facts: dict[str, Any] = {"path": path, "mine": owned, "former": [a for a in former if a not in owned]}
    facts |= _totals(deals, tickets, owned) | {"handover": handover, "boss": []}
    if deep:  # the figures a careless reading gives: the old note's list, the first mail without the chat
        stale = [_totals(deals, tickets, listed)]
        if extra.get("kept"):
            stale.append(_totals(deals, tickets, mine + [gained]))
        facts |= {"boss": extra["boss"], "stale": stale, "word": extra["word"], "kept": extra["kept"]}
        instruction = ctx.pick(NOW_INSTRUCTIONS).format(path=path)
        instruction += " " + ctx.pick(TELL).format(boss=extra["boss_first"])
    else:
        instruction = ctx.pick(INSTRUCTIONS).format(path=path)
    return Scenario(instruction, facts)


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
    if f.get("boss"):
        _check_boss_mail(world, f, g, asked)
    changed = [
        e.call
        for e in world.audit.entries
        if e.ok
        and e.call.split(".")[0] in ("crm", "helpdesk")
        and e.call.split(".")[1] in ("update_deal", "log_activity", "update", "comment")
    ]
    g.forbid("changed deals or tickets while reporting", bool(changed), ", ".join(changed))


def _mail_gives(world: World, m: dict, want: float, wrong: list[float]) -> bool:
    """The mail (or the report it attaches) gives ``want`` and none of the careless readings' figures."""
    files = views.files(world)
    text = m["subject"] + "\n" + m["body"]
    text += "".join("\n" + rec["content"] for p in m.get("attachments", []) if (rec := files.find(p)) is not None)
    got = [r.value for r in values.amounts_in(text) if r.ok and r.value is not None]
    bad = [w for w in wrong if not values.same_amount(w, want)]
    return any(values.same_amount(v, want) for v in got) and not any(values.same_amount(v, w) for v in got for w in bad)


def _check_boss_mail(world: World, f: dict[str, Any], g: Grader, asked: str) -> None:
    sent = checks.sent_to(world, f["boss"])
    right = [f["pipeline"], f["won"]]  # a stale figure that equals a right one (of the other kind) tells nothing
    good = [
        m
        for m in sent
        if all(
            _mail_gives(
                world, m, f[k], [s[k] for s in f["stale"] if not any(values.same_amount(s[k], r) for r in right)]
            )
            for k in ("pipeline", "won")
        )
    ]
    g.expect(
        "the manager got the pipeline and won figures",
        bool(good),
        f"{len(sent)} mails to {f['boss']}, {len(good)} with both right figures and no stale one",
        because="the instruction asks to mail them the figures; " + asked,
    )


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
doms = {a.lower().replace(" ", "") + ".example" for a in mine} | set(@DOMS@)
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
    tell = (
        [
            A.api(
                "workmail.send",
                to=[f["boss"]],
                subject="Weekly account numbers",
                body=f"Hi, this week's figures for my accounts: pipeline {f['pipeline']:,.2f} EUR, "
                f"won {f['won']:,.2f} EUR, {f['tickets']} tickets still unsolved. The report is in my Documents.",
            )
        ]
        if f.get("boss")
        else []
    )
    return [
        A.shell("claw notes list --query accounts"),
        A.shell("claw crm list_deals --limit 5"),
        A.shell(
            SCRIPT.replace("@MINE@", repr(f["mine"]))
            .replace("@DOMS@", repr(sorted(MAIL_DOMAINS[a] for a in f["mine"])))
            .replace("@PATH@", f["path"]),
            timeout=60,
        ),
        A.shell(f"cat ~/{f['path']}"),
        *tell,
        A.finish(f"Report written to ~/{f['path']}."),
    ]


FAMILY = Family(
    name="weekly-report",
    count=36,
    kind="reactive",
    services=("crm", "helpdesk", "notes", "files", "workmail", "contacts"),
    devices=("laptop",),
    summary="A report file in ~/Documents gives the exact open pipeline, won total and unsolved-ticket count over the "
    "accounts the person owns (the notes' list; from level 4 less those the manager's later mail moved away, plus "
    "the one it gave, and at 5 as a later chat line amended it; not former or other accounts); from level 4 the "
    "manager got the pipeline and won figures by mail, no stale figure among them; no deal or ticket changed.",
    generate=generate,
    check=check,
    oracle=oracle,
    variants=("weekly",),
    tasks_per_variant=25,
    max_steps=30,
    tags=("laptop", "noise"),
    footprint=Footprint(owns=(Own("files.files", where=path_in("path")),), parties=("boss",)),
)
