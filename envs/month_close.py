"""Reactive, compositional: "close out <month>" -- claims, a to-do per missing receipt, the total, a summary.

The person's expense policy is one line among others: claims over a limit need the receipt; smaller
ones go in with just the card charge. Work also covers a few recurring charges (named in the same
place). For the month asked: every receipt saved for that month is claimed; each recurring charge of
the month without a receipt is claimed if it is within the limit, else it gets a to-do to find the
receipt (and no claim yet); the accountant gets the month's total (a sum of what was claimed); a
summary with the total is saved where the instruction says. Receipts and charges of the neighbouring
months (same merchants, same amounts range) must not be claimed.

The limit is amended later by another channel (the accountant's or finance's message), and one
recurring charge sits between the old and the new limit: the later rule decides.
At difficulty 4 the month closes >= 30 days back, at 5 >= 60 days back, among >= 3 months of
same-shaped receipts.

Variants: ``freelance`` (the rule in the person's own note, an outside accountant by mail, the
amendment in the accountant's mail) and ``employee`` (the rule in the company handbook file, the
finance colleague, the amendment in the team chat): different people, services and rules.

The person's note is one of their running notes (a title of the background's, never "Money stuff"). At levels 4-5
the person the instruction names no longer carries the deciding word, so searching their name finds only
look-alikes. ``freelance``: the amendment is a notice from the accountant's firm's office to all its clients (another
person at the firm's domain), and the accountant's own later mail sets a slip limit for another matter (the rented
flat's costs). ``employee``: the amendment comes by work mail from the finance controller, who owns the handbook's
money line (the handbook says so); in the team chat a colleague without authority guesses another figure and
nobody from finance confirms it.

Session 32 (issue 21): at levels 4-5 that amendment names a first figure (``limit_a``, between the month's third
charge and the old limit), and its author's later line makes it the figure in force, naming the amendment only by
its date ("re my mail dated Mon 29 Dec: they came back on it, make the figure in it 35"), among the same author's
same-shaped lines about other matters (:mod:`.kit.oblique`): the controller's chat DM (employee), the practice
office's "Quick one" mails (freelance; the notice says the office sets these figures). At 5 the handbook / the
notice also asks for a copy of the month's total to the controller / the office (a further goal).
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from claw_gym import actions as A
from claw_gym import clock
from claw_gym.plural import count
from claw_gym.tasks import Ctx, Family, Grader, Scenario, values
from claw_gym.tasks.footprint import Footprint, Own, path_in
from claw_gym.world import World

from .kit import errands, notation, oblique, plant, records, rules, senders, views

SPEND = [
    ("CityCab", "travel", (14, 48)),
    ("Trainline", "travel", (38, 140)),
    ("Brasserie du Port", "meals", (22, 95)),
    ("Noodle Bar", "meals", (11, 34)),
    ("Officeworks", "office", (9, 70)),
    ("Hotel Central", "travel", (85, 190)),
    ("Udemy", "training", (15, 60)),
]
RECURRING = [  # (merchant, what the person calls it, category)
    ("Telia", "my Telia phone plan", "other"),
    ("Figma", "the Figma licence", "software"),
    ("Q-Park", "Q-Park parking at the office", "travel"),
    ("Dropbox", "the Dropbox plan", "software"),
]
HANDBOOK = [
    "Holidays: 25 days a year; book them in the HR tool two weeks ahead.",
    "Laptops are replaced every three years; IT orders them, not you.",
    "Sick days: tell your manager before 10:00 and log it in the HR tool.",
    "Working from home: up to three days a week, agree the days with your team.",
    "Office keys and badges go back to reception on your last day.",
    "Conference budget: ask your manager before you register.",
]


def _month_of(ctx: Ctx) -> date:
    """The month asked: last month at levels 1-3; the latest month that closed >= 30 / 60 days ago at 4 / 5."""
    back = {4: 30, 5: 60}.get(ctx.difficulty, 0)
    first = clock.to_datetime(ctx.now - back * clock.DAY).date().replace(day=1)
    return (first - timedelta(days=1)).replace(day=1)


def _t(d: date, hour: int, minute: int) -> int:
    return clock.parse_time(f"{d:%Y-%m-%d}") + hour * clock.HOUR + minute * clock.MINUTE


def _days(m: date) -> list[date]:
    nxt = (m.replace(day=28) + timedelta(days=4)).replace(day=1)
    return [m + timedelta(days=i) for i in range((nxt - m).days)]


def _receipt(ctx: Ctx, merchant: str, t: int, amount: float) -> str:
    path = f"Documents/Receipts/{merchant.split()[0].lower()}-{clock.to_datetime(t):%Y%m%d-%H%M}.txt"
    plant.file(
        ctx,
        t + int(ctx.rng.integers(40, 600)),
        path,
        f"RECEIPT\nMerchant: {merchant}\nDate: {clock.fmt(t)}\nTotal: EUR {amount:.2f}\nPaid by card\n",
    )
    return path


def _spend(ctx: Ctx, m: date, n: int) -> list[dict[str, Any]]:
    """n receipted purchases in month m: a receipt file and the card charge each."""
    out = []
    days = _days(m)
    for merchant, category, (lo, hi) in ctx.sample(SPEND, n):
        day = ctx.pick(days)
        t = min(_t(day, int(ctx.rng.integers(8, 21)), int(ctx.rng.integers(0, 60))), ctx.now - clock.DAY)
        amount = ctx.money(lo, hi)
        tx = plant.charge(ctx, t + int(ctx.rng.integers(60, 900)), amount, merchant)
        out.append(
            {
                "merchant": merchant,
                "category": category,
                "amount": amount,
                "tx": tx["id"],
                "date": clock.fmt_date(t),
                "path": _receipt(ctx, merchant, t, amount),
            }
        )
    return out


def generate(ctx: Ctx) -> Scenario:
    d = ctx.difficulty
    m = _month_of(ctx)
    neighbours = [(m - timedelta(days=1)).replace(day=1), (m + timedelta(days=32)).replace(day=1)]
    neighbours = [x for x in neighbours if _t(x, 9, 0) < ctx.now - 2 * clock.DAY]
    limit0 = int(ctx.pick([50, 60, 75]))
    limit = int(ctx.pick([25, 30, 35]))
    recurring = ctx.sample(RECURRING, 3)
    # amounts: one within the limit, one over the old limit, one between the new and the old limit
    deep = d >= 4  # levels 4-5: room above the third charge for the withdrawn figure (between it and limit0)
    amounts = [
        ctx.money(8, limit - 1),
        ctx.money(limit0 + 5, limit0 + 90),
        ctx.money(limit + 2, limit0 - (11 if deep else 1)),
    ]
    # levels 4-5: the figure the first amendment named, before its author's later line made it ``limit``
    limit_a = int(ctx.pick([x for x in range(5, limit0, 5) if x > amounts[2]])) if deep else limit
    receipts = _spend(ctx, m, 2 + d // 2)
    others: list[dict[str, Any]] = []
    for nb in neighbours:  # the months around: same merchants, same shape, already claimed or not yet asked
        others += _spend(ctx, nb, 2 + d // 2)
    month_days = _days(m)
    bills = []
    for (merchant, what, category), amount in zip(recurring, amounts):
        day = month_days[int(ctx.rng.integers(1, 27))]
        t = min(_t(day, 4, 0), ctx.now - clock.DAY)  # billed at 04:00 like every subscription in the history
        tx = plant.tx(ctx, t, -amount, merchant, f"{merchant} subscription")
        bills.append(
            {
                "merchant": merchant,
                "what": what,
                "category": category,
                "amount": amount,
                "tx": tx["id"],
                "date": clock.fmt_date(t),
            }
        )
        for nb in neighbours:  # the same charge the other months, on the same day
            tn = _t(nb.replace(day=day.day), 4, 0)
            if tn < ctx.now:
                plant.tx(ctx, tn, -amount, merchant, f"{merchant} subscription")
    for o in others[: len(others) // 2]:  # the month before was closed already
        ctx.svc("expenses").add(
            clock.parse_time(o["date"]), o["merchant"], o["amount"], o["category"], tx_id=o["tx"], status="approved"
        )
    claim = [r for r in bills if r["amount"] <= limit]
    chase = [r for r in bills if r["amount"] > limit]
    total = round(sum(x["amount"] for x in receipts + claim), 2)
    stale_total = round(sum(x["amount"] for x in receipts + [r for r in bills if r["amount"] <= limit0]), 2)
    first_total = round(sum(x["amount"] for x in receipts + [r for r in bills if r["amount"] <= limit_a]), 2)
    who = _rules(ctx, m, limit0, limit, recurring, limit_a)
    for k in ("word", "word_from", "first_word", "copy", "dm"):  # levels 1-3: no later word, nobody to copy
        who.setdefault(k, None)
    summary = f"Documents/Expenses/{m:%B} summary.txt"  # no digits: the instruction names no amount
    ctx.svc("expenses").add(
        ctx.now - int(ctx.rng.integers(1, 4)) * clock.DAY, "Officeworks", ctx.money(8, 30), "office"
    )
    _restate(ctx)
    before = records.ids_now(ctx, ("todo", "items"), ("expenses", "claims"))
    instruction = (
        f"Close out {m:%B} for me: claim that month's expenses (my receipts are in Documents/Receipts), "
        f"add a to-do for every receipt I still have to find, send {who['name'].split()[0]} the total of what you "
        f"claim for it, and save a short summary with that total as {summary}."
    )
    return Scenario(
        instruction,
        {
            "month": f"{m:%Y-%m}",
            "receipts": receipts,
            "claim": claim,
            "chase": chase,
            "bills": bills,
            "others": others,
            "total": total,
            "stale_total": stale_total,
            "first_total": first_total,  # by the first amendment's figure (levels 4-5: withdrawn since)
            "limit": limit,
            "limit0": limit0,
            "limit_a": limit_a,
            "who": who,
            "summary": summary,
            "start": ctx.now,
            "before": before,
        },
    )


STATEMENT_DIR, BANK_MAIL = "Documents/statements/", "statements@northbank.example"


def _restate(ctx: Ctx) -> None:
    """Bring the bank's monthly statements up to date with the charges planted here: a statement lists
    every transaction of its month that the bank shows (honest play: the receipts' and subscriptions'
    charges were missing from it), and its mail counts them."""
    files, bank = ctx.svc("files"), ctx.svc("bank")
    for rec in list(files.table("files").values()):
        path = rec["path"]
        if not (path.startswith(STATEMENT_DIR + "statement-") and path.endswith(".csv")):
            continue
        month = path[len(STATEMENT_DIR + "statement-") : -len(".csv")]
        lines = rec["content"].split("\n")
        head, rows = lines[:2], [line for line in lines[2:] if line.strip()]
        listed, n = set(rows), len(rows)
        for tx in bank.table("transactions").values():
            cp, ref = tx["counterparty"].replace(",", " "), tx["reference"].replace(",", " ")
            line = f"{clock.fmt(tx['time'])},{cp},{ref},{tx['amount']:.2f}"
            if line[:7] == month and tx["time"] <= ctx.now and line not in listed:
                rows.append(line)
                listed.add(line)
        if len(rows) == n:
            continue
        files.modify(rec, content="\n".join(head + sorted(rows)))
        for m in ctx.svc("mail").table("messages").values():
            if m["from"] == BANK_MAIL and path in m["attachments"]:
                ctx.svc("mail").modify(
                    m, body=re.sub(r"\(\d+ transactions\)", f"({len(rows)} transactions)", m["body"], count=1)
                )


def _rules(
    ctx: Ctx, m: date, limit0: int, limit: int, recurring: list[tuple[str, str, str]], limit_a: int
) -> dict[str, Any]:
    """Write the policy where this person keeps it; amend it later by another channel (from level 3). Levels 4-5:
    the amendment names ``limit_a``, and its author's later line (by the amendment's date only) makes it ``limit``."""
    covers = ", ".join(what for _, what, _ in recurring)
    # worded the way people write it, without "receipt", "expense" or "claim" (a search's first words)
    rule = f"money back from work: over {limit0:.0f} EUR only with the paper slip, below that the card line is enough"
    amended = _t(m, 10, int(ctx.rng.integers(0, 60))) - int(ctx.rng.integers(3, 9)) * clock.DAY
    old = amended - int(ctx.rng.integers(20, 35)) * clock.DAY - int(ctx.rng.integers(30, 600)) * clock.MINUTE
    deep = ctx.difficulty >= 4
    if ctx.variant == "freelance":
        name = ctx.pick(["Henrik Lund", "Aisha Rahman", "Paula Mendes", "Tom Verhoeven"])
        email = name.lower().replace(" ", ".") + "@" + ctx.pick(["lundtax.example", "books-and-co.example"])
        ctx.svc("contacts").add(name, email, "", company="accountant", notes="does my books")
        decoy = ["receipts for the flat repairs: keep them two years, the landlord may ask"] if deep else []
        note = rules.running_note(
            ctx, rules.minute(ctx, old), [rule, f"work pays for {covers} - put them in every month", *decoy]
        )
        title = str(ctx.svc("notes").table("notes")[note]["title"])
        if deep:  # the same words, another matter and long over: last year's tax return
            plant.mail_in(
                ctx,
                "mail",
                rules.minute(ctx, old - int(ctx.rng.integers(6, 15)) * clock.DAY),
                email,
                "Last year's return",
                f"Hi {ctx.persona.me.first},\n\nfor last year's return I need the receipts for anything over 100 "
                f"EUR, by the end of the month please.\n\nThanks!\n{name.split()[0]}",
                read=True,
            )
        if deep:  # the firm's office tells every client; the accountant's own later word is another matter's
            word = _firm_notice(ctx, amended, email, limit, limit0, name, limit_a)
            return {"name": name, "email": email, "phone": "", "channel": "", "title": title, **word}
        plant.mail_in(
            ctx,
            "mail",
            plant.jitter(ctx, amended),
            email,
            "Following up",
            f"Hi {ctx.persona.me.first},\n\nthe tax office has become fussier, so from now on I need the "
            f"slip for anything over {limit:.0f} EUR you get back from work, not just the big ones. Card "
            "statements alone won't do above that."
            f"\n\nThanks!\n{name.split()[0]}",
            read=True,
        )
        return {"name": name, "email": email, "phone": "", "channel": "", "title": title}
    p, r = ctx.sample(ctx.persona.by_relation("colleague"), 2)
    lines = HANDBOOK[:]
    owner = senders.staff(ctx, "controller")
    lines.insert(
        int(ctx.rng.integers(1, len(lines))),
        f"Money back: {rule.split(': ', 1)[1]}. Send the month's total to {p.name} in finance."
        + (f" Only the finance controller ({owner[0]}) changes these amounts." if deep else "")
        + (f" Copy {owner[0]} on the month's total too." if ctx.difficulty >= 5 else ""),
    )
    lines.insert(int(ctx.rng.integers(1, len(lines))), f"The company pays for {covers}: put them in every month.")
    plant.file(
        ctx,
        rules.minute(ctx, old),
        "Documents/Handbook/employee-handbook.txt",
        f"{ctx.persona.employer} - employee handbook\n\n" + "\n\n".join(lines) + "\n",
    )
    if deep:  # the same words, another person's matter: the offsite
        plant.chat(
            ctx,
            errands.office_hours(ctx, amended - int(ctx.rng.integers(2, 12)) * clock.DAY),
            "general",
            r.name,
            "for the offsite: keep every receipt, even the small ones, and give them to me after the trip - I'll "
            "do one claim for the whole team",
        )
    who = {"name": p.name, "email": p.email, "phone": p.phone, "channel": "general", "title": ""}
    if deep:  # the controller's mail and their later line decide; a colleague's guess in the chat does not
        return {**who, **_controller_word(ctx, amended, owner, limit, limit0, r.name, limit_a)}
    plant.chat(
        ctx,
        errands.office_hours(ctx, amended),
        "general",
        p.name,
        f"heads-up from finance: the auditors want the paper slip for everything over {limit:.0f} EUR now. "
        "the handbook will catch up eventually",
    )
    return who


def _decoy_limit(limit0: int) -> int:
    """A figure for the look-alikes that sorts the month's charges differently from the rule in force."""
    return limit0 + 15


#: levels 4-5, freelance: the practice office's short mails to the client about other matters (same shape as its word)
OFFICE_LINES = [
    ("invoice", "paid, thanks"),
    ("VAT return", "filed, nothing to do on your side"),
    ("appointment", "moved to 14:00, same room"),
    ("bank letter", "no action needed, we keep a copy"),
]
#: levels 4-5: the amendment's author makes its figure another, naming it by its date only
WORD = "re {whose} mail dated {when}: they came back on it, make the figure in it {limit}"


def _firm_notice(ctx: Ctx, t: int, accountant: str, limit: int, limit0: int, name: str, limit_a: int) -> dict:
    """Freelance, levels 4-5: the accountant's firm's office writes to all its clients (an amendment to ``limit_a``,
    signed by someone else at the firm, who says the office sets these figures); later the same office's short
    mail makes it ``limit``, naming the notice by its date only, among its short mails about other matters
    (:func:`.kit.oblique.word_among`); weeks later the accountant's own mail sets a slip limit for the rented
    flat's costs, another matter. The later word's record and its sender (the facts' ``word``, ``word_from``);
    at 5 the office wants a copy of the month's total (``copy``)."""
    domain = accountant.split("@")[1]
    office, address = senders.staff(ctx, "practice office", domain)
    me = ctx.persona.me.first
    copy = " Please copy us on each month's total." if ctx.difficulty >= 5 else ""
    notice = plant.mail_in(
        ctx,
        "mail",
        plant.jitter(ctx, t),
        address,
        "A change for all our clients",
        f"Dear {me},\n\nthe tax office has become fussier, so from now on we need the slip for anything over "
        f"{limit_a:.0f} EUR you get back from an employer or a client, not just the big ones. Card statements "
        f"alone won't do above that. The practice office sets these figures for all our clients; any change "
        f"comes from us.{copy}\n\nKind regards,\n{office}\nPractice office",
        read=True,
    )
    when = clock.to_datetime(notice["time"]).strftime("%a %d %b")
    word = WORD.format(whose="our", when=when, limit=limit)
    others = [
        f"re {oblique.dated(thing, notice['time'] - int(ctx.rng.integers(5, 30)) * clock.DAY)}: {verdict}"
        for thing, verdict in ctx.sample(OFFICE_LINES, 3)
    ]
    at = min(rules.minute(ctx, notice["time"] + int(ctx.rng.integers(3, 6)) * clock.DAY), ctx.now - 4 * clock.DAY)

    def send(at: int, text: str) -> dict:
        body = f"Dear {me},\n\n{text[:1].upper()}{text[1:]}.\n\n{office}\nPractice office"
        return plant.mail_in(ctx, "mail", at, address, "Quick one", body, read=True)

    said = oblique.word_among(ctx, send, at, word, others, spread=5 * clock.DAY, earliest=notice["time"] + clock.DAY)
    later = min(rules.minute(ctx, t + int(ctx.rng.integers(6, 16)) * clock.DAY), ctx.now - 3 * clock.DAY)
    plant.mail_in(
        ctx,
        "mail",
        later,
        accountant,
        "The flat",
        f"Hi {me},\n\nfor the rented flat's costs this year, keep the slip for anything over "
        f"{_decoy_limit(limit0)} EUR; the smaller things I can take from your bank statement.\n\nThanks!\n"
        f"{name.split()[0]}",
        read=True,
    )
    return {
        "word": said["id"],
        "word_from": address,
        "first_word": notice["id"],
        "copy": address if copy else None,
        "dm": None,
    }


def _controller_word(
    ctx: Ctx, t: int, owner: tuple[str, str], limit: int, limit0: int, colleague: str, limit_a: int
) -> dict:
    """Employee, levels 4-5: the finance controller's mail (the handbook says only they change the amounts) names
    ``limit_a``; their later line in their chat DM makes it ``limit``, naming the mail by its date only, among their
    lines about other matters (:func:`.kit.oblique.word_in_dm`); later in the team chat a colleague guesses another
    figure that nobody from finance confirms. The later word's record and whose it is; at 5 the handbook asks to
    copy the controller on the month's total (``copy``)."""
    mail = plant.mail_in(
        ctx,
        "workmail",
        plant.jitter(ctx, errands.office_hours(ctx, t)),
        owner[1],
        "Auditors",
        f"Hi all,\n\nthe auditors want the paper slip for everything over {limit_a:.0f} EUR now, starting this "
        f"month. The handbook will catch up eventually.\n\n{owner[0]}\nFinance controller",
    )
    when = clock.to_datetime(mail["time"]).strftime("%a %d %b")
    at = errands.office_hours(ctx, mail["time"] + int(ctx.rng.integers(2, 5)) * clock.DAY)
    first = owner[0].split()[0]
    said = oblique.word_in_dm(
        ctx,
        owner[0],
        first,
        min(at, ctx.now - 4 * clock.DAY),
        WORD.format(whose="my", when=when, limit=limit),
        oblique.dated,
    )
    guess = min(errands.office_hours(ctx, t + int(ctx.rng.integers(5, 15)) * clock.DAY), ctx.now - 3 * clock.DAY)
    plant.chat(
        ctx,
        guess,
        "general",
        colleague,
        f"is the slip thing {_decoy_limit(limit0)} EUR now? someone at lunch said so, I never saw a mail",
    )
    return {
        "word": said,
        "word_from": owner[0],
        "first_word": mail["id"],
        "copy": owner[1] if ctx.difficulty >= 5 else None,
        "dm": oblique.dm_channel(first),
    }


def _claims(world: World, f: dict[str, Any]) -> list[dict]:
    return errands.new_rows(world, "expenses", "claims", f["before"]["expenses.claims"])


def _matches(x: dict, item: dict[str, Any]) -> bool:
    return abs(x["amount"] - item["amount"]) < 0.005 and x["tx_id"] in ("", item["tx"])


def check(world: World, f: dict[str, Any], g: Grader) -> None:
    claims = _claims(world, f)
    why_rule = (
        "the handbook's expenses line" if f["who"]["channel"] else f"the note '{f['who'].get('title', '')}'"
    ) + (f", amended to {f['limit']:.0f} EUR later" if f["limit"] != f["limit0"] else "")
    if f.get("limit_a", f["limit"]) != f["limit"]:
        why_rule += f" (first to {f['limit_a']:.0f} EUR, then its author's later line, by that mail's date, made it so)"
    for r in f["receipts"]:
        got = [x for x in claims if _matches(x, r)]
        g.expect(
            f"{r['merchant']} {r['date']} is claimed",
            bool(got),
            f"{count(len(got), 'claim')} of {r['amount']:.2f}",
            because=f"the instruction asks to claim {f['month']}'s expenses; the receipt gives the amount",
        )
    for r in f["claim"]:
        got = [x for x in claims if _matches(x, r)]
        g.expect(
            f"{r['merchant']} ({r['amount']:.2f}, no receipt, within the limit) is claimed",
            bool(got),
            f"{count(len(got), 'claim')} of {r['amount']:.2f}; limit {f['limit']:.0f}",
            because=f"{why_rule}: work covers it and under the limit the card charge is enough",
        )
    todos = errands.new_rows(world, "todo", "items", f["before"]["todo.items"])
    for r in f["chase"]:
        got = [x for x in claims if _matches(x, r)]
        names = [t for t in todos if notation.squash(r["merchant"]) in notation.squash(t["title"] + " " + t["notes"])]
        g.expect(
            f"{r['merchant']} ({r['amount']:.2f}, no receipt, over the limit) has a to-do and no claim yet",
            bool(names) and not got,
            f"{count(len(names), 'to-do')} naming {r['merchant']}, {count(len(got), 'claim')}; limit {f['limit']:.0f}",
            because=f"{why_rule}: over the limit the receipt is needed; the instruction asks a to-do for each "
            "one missing",
        )
    wrong = [x["id"] for x in claims if any(_matches(x, o) for o in f["others"])]
    g.expect(
        "nothing from another month is claimed",
        not wrong,
        ", ".join(wrong) or "none",
        because=f"the instruction asks for {f['month']} only; the other receipts are dated other months",
    )
    who = f["who"]
    msgs = errands.said_to(world, [who["email"], who["phone"]], f["start"])
    if who["channel"]:  # a post in the channel they read counts when it names them
        first = who["name"].split()[0].lower()
        msgs += [m for m in errands.said_to(world, [], f["start"], [who["channel"]]) if first in m.text.lower()]
    wrong_totals = {f[k] for k in ("stale_total", "first_total") if k in f and f[k] != f["total"]}

    def right(text: str) -> bool:
        got = errands.asked_amounts(text)
        return any(values.same_amount(v, f["total"]) for v in got) and not any(
            values.same_amount(v, w) for v in got for w in wrong_totals
        )

    ok = [m for m in msgs if right(m.text)]
    g.expect(
        f"{who['name']} got the month's total",
        bool(ok),
        f"{count(len(msgs), 'message')} to them; the claimed items add up to {f['total']:.2f}",
        because="the instruction asks to send the total of what is claimed for the month (not of claims made before)",
    )
    if who.get("copy"):  # level 5: the amendment's author asked for a copy of each month's total
        copies = errands.said_to(world, [who["copy"]], f["start"])
        if who.get("dm"):
            copies += errands.said_to(world, [], f["start"], [who["dm"]])
        g.expect(
            f"{who['word_from']} got a copy of the month's total",
            any(right(m.text) for m in copies),
            f"{count(len(copies), 'message')} to them",
            because="the handbook asks to copy the finance controller on the month's total"
            if who["channel"]
            else "the practice office's notice asks to copy it on each month's total",
        )
    rec = views.files(world).find(f["summary"])
    text = rec["content"] if rec else ""
    g.expect(
        "the summary file holds the total",
        any(values.same_amount(v, f["total"]) for v in errands.asked_amounts(text)),
        f"{f['summary']}: " + ("missing" if rec is None else f"{len(text)} characters"),
        because=f"the instruction asks for a summary with the total at {f['summary']}",
    )


def _solve(world: World, f: dict[str, Any], limit: float) -> list[str]:
    who = f["who"]
    items = f["receipts"] + [r for r in f["bills"] if r["amount"] <= limit]
    chase = [r for r in f["bills"] if r["amount"] > limit]
    total = round(sum(x["amount"] for x in items), 2)
    reads = [
        A.api("files.read", path="Documents/Handbook/employee-handbook.txt") if who["channel"] else A.api("notes.list"),
        A.api("chat.history", channel="general", limit=50) if who["channel"] else A.api("mail.search", query="EUR"),
        A.api("workmail.search", query="slip") if who["channel"] else A.api("notes.list", query="slip"),
        A.api("files.list", dir="Documents/Receipts"),
    ]
    if who.get("dm"):  # levels 4-5: the controller's later line in their DM
        reads.append(A.api("chat.history", channel=who["dm"], limit=30))
    elif who.get("word"):  # the practice office's later short mail
        reads.append(A.api("mail.search", query="Quick one"))
    reads += [A.api("files.read", path=r["path"]) for r in f["receipts"]]
    reads += [
        A.api("bank.transactions", start=f"{f['month']}-01", query="subscription", limit=50),
        A.api("expenses.list"),
    ]
    writes = [
        A.api(
            "expenses.create",
            date=x["date"],
            merchant=x["merchant"],
            amount=x["amount"],
            category=x["category"],
            tx_id=x["tx"],
        )
        for x in items
    ]
    writes += [A.api("todo.add_task", title=f"Find the {r['merchant']} receipt ({r['date']})") for r in chase]
    note = f"{f['month']} expenses: {len(items)} claims, total EUR {total:.2f}."
    if who["channel"]:
        tell = A.api("workmail.send", to=[who["email"]], subject=f"Expenses {f['month']}", body=note)
    else:
        tell = A.api("mail.send", to=[who["email"]], subject=f"Expenses {f['month']}", body=f"Hi, {note} Thanks!")
    if who.get("copy"):
        mailbox = "workmail" if who["channel"] else "mail"
        writes.append(A.api(f"{mailbox}.send", to=[who["copy"]], subject=f"Expenses {f['month']}", body=note))
    return (
        reads
        + writes
        + [
            tell,
            A.api("files.write", path=f["summary"], content=note + "\n"),
            A.api("expenses.list", status="draft"),
            A.finish(note),
        ]
    )


def oracle(world: World, f: dict[str, Any]) -> list[str]:
    return _solve(world, f, f["limit"])


def stale_oracle(world: World, f: dict[str, Any]) -> list[str]:
    """Goes by the limit as first written, not its later amendment."""
    return _solve(world, f, f["limit0"])


FAMILY = Family(
    name="month-close",
    kind="reactive",
    services=("expenses", "bank", "files", "todo", "mail", "workmail", "notes", "chat", "contacts"),
    summary="For the month asked: each receipt claimed; recurring work charges without a receipt claimed when "
    "within the (latest) limit, else a to-do and no claim; nothing from other months; the accountant or finance "
    "colleague got the total (the sum claimed) by any door; the summary file holds the total (from level 4 the "
    "limit's amendment comes from the accountant's firm or the finance controller, not the person named, and its "
    "author's later line by its date sets the figure; at 5 that author gets a copy of the total).",
    generate=generate,
    check=check,
    oracle=oracle,
    variants=("freelance", "employee"),
    tasks_per_variant=15,
    count=30,
    max_steps=60,
    tags=("conflict", "noise"),
    stale_oracle=stale_oracle,
    footprint=Footprint(
        owns=(Own("expenses.claims", new=True), Own("files.files", where=path_in("summary"), new=True)),
        parties=("who.email", "who.phone", "who.copy", "who.word_from"),
        channels=("who.channel", "who.dm"),
    ),
)
