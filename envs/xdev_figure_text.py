"""Proactive, cross-device: someone saved only on the phone texts for a figure that lives in a laptop CSV.

Mid-episode a text arrives from a number the synced address book does not know: the phone shows who it is
(a contact saved on the phone only). They ask for the running total of "their" purchase order (or event
budget) before a call at a time the text gives. Which reference is theirs is in a mail that names them as
requester, among same-shaped mails for other references (30+ days back at level 4, 60+ at 5). The figure
is a sum over the laptop's CSV: that reference's rows, credits subtracting, without the rows the text
excludes, and without a row that procurement said in chat was cancelled after the sheet was exported (the
stale sum keeps it). At 4-5 the mails name the requester as clerks write names ("Last, First"), and the
chat line names the supplier (another reference's is a near-namesake), not the reference. The answer goes
back by text (any door that reaches them counts), with the one figure. More goals with difficulty: a
tracker row on the laptop (3+), a post in the team channel (4+), a reminder to chase the vendor (5).
At 4-5 (session 31) the called-off line is no longer named in the team channel: the clerk says there only
that they told whoever keeps the tracker directly, and their DM with the person says "re the sheet line dated
Thu 03 Dec: called off", naming no reference, supplier, amount or requester (no other row of the sheet has
that date), among same-shaped lines about other matters (:mod:`.kit.oblique`).
"""

from __future__ import annotations

import csv
import io
from typing import Any

from claw_gym import actions as A
from claw_gym import clock
from claw_gym.devices.phone import script as S
from claw_gym.plural import count
from claw_gym.tasks import Ctx, Family, Grader, Scenario
from claw_gym.tasks import outbound as O
from claw_gym.tasks.footprint import Footprint, Own, path_in
from claw_gym.world import World

from .kit import checks, laptop_files, notation, oblique, phone_flows, plant, records, views
from .kit import xchain as X

OUTSIDERS = [
    "Ilse Brandauer",
    "Marek Sobczak",
    "Henrike Vollmer",
    "Teodor Marinescu",
    "Aoife Brennan",
    "Rasmus Holm",
    "Giulia Ferraro",
    "Kwame Mensah",
]
VARIANTS: dict[str, dict[str, Any]] = {
    "po": {
        "sheet": "Documents/finance/purchase-orders.csv",
        "tracker": "Documents/finance/po-tracker.csv",
        "prefix": "PO-",
        "counted": ["approved", "credit"],
        "excluded": "cancelled",
        "vendors": ["Brightline Print", "Brightline Prints", "Northgate Supplies", "Northgate Supply Co"],
        "items": ["banner print", "flyers", "stands", "shipping", "design hours", "samples"],
        "channel": "procurement",
        "mail_subject": "{ref} raised",
        "mail_body": "Hi,\n\nPurchase order {ref} is raised with {vendor} for {project}. Requester: {who}. "
        "Lines go into the PO sheet as they come in.\n\nProcurement",
        "ask": "Hi, it's {first}. What's the total on my PO so far, without the cancelled lines? "
        "Need it for the call with the vendor at {call}. A text is fine.",
        "cancel": "heads-up: the {date} {item} line on {ref} was called off by the vendor, the sheet export "
        "still has it as approved",
        "dm": "called off by the vendor, the sheet export still has it as approved",
        "pointer": "went through the PO sheet export - the odd line that no longer stands, I've told whoever keeps "
        "the tracker directly",
    },
    "event": {
        "sheet": "Documents/events/event-costs.csv",
        "tracker": "Documents/events/budget-tracker.csv",
        "prefix": "EV-",
        "counted": ["paid", "deposit"],
        "excluded": "quote",
        "vendors": ["Harbourside Venues", "Harbourside Venue Ltd", "Silverleaf Catering", "Silverleaf Caterers"],
        "items": ["venue hire", "catering", "AV kit", "photographer", "room deposit", "coffee breaks"],
        "channel": "events",
        "mail_subject": "Budget code {ref}",
        "mail_body": "Hello,\n\nBudget code {ref} is open for {project} (supplier: {vendor}). Owner: {who}. "
        "Payments are tracked in the event costs sheet.\n\nEvents team",
        "ask": "Hi it's {first} - how much have we actually paid so far for my event? Deposits included, "
        "not the open quotes. I'm on a call with the venue at {call}, text me before?",
        "cancel": "fyi the {date} {item} payment on {ref} bounced and was reversed, the sheet doesn't show it yet",
        "dm": "that payment bounced and was reversed, the sheet doesn't show it yet",
        "pointer": "went through the costs sheet - the odd payment that bounced, I've told whoever keeps the "
        "tracker directly",
    },
}
#: other clerks' wordings of the reference mails (at 4-5)
MAIL_ALT = {
    "po": [
        "Hello,\n\n{ref} is now open with {vendor} ({project}), raised on behalf of {who}. Lines will show up in "
        "the PO sheet.\n\nThanks,\nProcurement",
        "Hi all,\n\nfor {project}: new PO {ref}, vendor {vendor}. {who} asked for it and approves the lines."
        "\n\nProcurement desk",
    ],
    "event": [
        "Hi,\n\n{project} now has budget code {ref}; the supplier is {vendor} and {who} owns the budget. The costs "
        "sheet tracks the payments.\n\nEvents",
        "Hello,\n\nopened {ref} for {project} ({vendor}), budget holder {who}.\n\nEvents team",
    ],
}
PROJECTS = ["Atlas", "Beacon", "Cobalt", "Driftwood", "Ember", "Fjord", "Granite", "Juniper"]
FIELDS = ["date", "ref", "vendor", "item", "amount", "status"]


def _csv(rows: list[dict[str, str]], fields: list[str]) -> str:
    out = io.StringIO()
    w = csv.DictWriter(out, fields, lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    return out.getvalue()


def generate(ctx: Ctx) -> Scenario:
    v = VARIANTS[ctx.variant]
    files, phone = ctx.svc("files"), ctx.svc("phone")
    names = ctx.sample(OUTSIDERS, 3)
    projects = ctx.sample(PROJECTS, 3)
    refs = [f"{v['prefix']}{int(ctx.rng.integers(2100, 9800))}" for _ in range(3)]
    while len(set(refs)) < 3:
        refs = [f"{v['prefix']}{int(ctx.rng.integers(2100, 9800))}" for _ in range(3)]
    vendors = ctx.sample(v["vendors"], 3)
    if ctx.difficulty >= 4:  # another reference's supplier is a near-namesake of the asker's
        pool = list(v["vendors"])
        twin = pool[pool.index(vendors[0]) ^ 1]
        vendors = [vendors[0], twin, next(x for x in vendors[1:] + pool if x not in (vendors[0], twin))]
    who = names[0]
    number = notation.phone_number(ctx)
    phone.add_contact_record(who, number)
    for other in names[1:]:  # the other requesters are on the phone too (same shape)
        phone.add_contact_record(other, notation.phone_number(ctx))
    # the mails that say whose reference is whose: the asker's sits deep at 4 and 5
    lo, hi = X.depth_days(ctx)
    svc = "workmail" if "workmail" in ctx.world.services else "mail"
    sender = f"{'procurement' if ctx.variant == 'po' else 'events'}@{ctx.persona.work_domain}"
    mail_at = []
    for i, (ref, project, vendor, name) in enumerate(zip(refs, projects, vendors, names)):
        t = X.days_back(ctx, lo, hi) if i == 0 else X.days_back(ctx, lo - 1 if lo > 2 else 2, hi + 15)
        mail_at.append(t)
        body = v["mail_body"].format(ref=ref, vendor=vendor, project=project, who=name)
        if ctx.difficulty >= 4:  # each clerk writes it their way, the requester's name as clerks write names
            first, last = name.split()[0], name.split()[-1]
            shown = ctx.pick([f"{last}, {first}", f"{first[0]}. {last}", f"{last.upper()} {first}"])
            body = ctx.pick(MAIL_ALT[ctx.variant]).format(ref=ref, vendor=vendor, project=project, who=shown)
        plant.mail_in(ctx, svc, t, sender, v["mail_subject"].format(ref=ref), body, read=True)
    # the sheet: rows for every reference, same shapes and amounts range
    rows: list[dict[str, str]] = []
    for ref, vendor, raised in zip(refs, vendors, mail_at):
        since = max(1, (ctx.now - raised) // clock.DAY - 1)  # lines come in after the reference was raised
        credited = False
        for k in range(3 + ctx.difficulty):
            t = X.days_back(ctx, 1, int(since))
            status = v["counted"][0] if k < 3 else ctx.pick([v["counted"][0]] * 3 + v["counted"] + [v["excluded"]])
            if status == "credit" and credited:  # at most one credit note per reference: totals stay positive
                status = v["counted"][0]
            credited = credited or status == "credit"
            amount = -ctx.money(20, 50) if status == "credit" else ctx.money(60, 900)
            rows.append(
                {
                    "date": clock.fmt_date(t),
                    "ref": ref,
                    "vendor": vendor,
                    "item": ctx.pick(v["items"]),
                    "amount": f"{amount:.2f}",
                    "status": status,
                }
            )
    rows.sort(key=lambda r: r["date"])
    mine = [r for r in rows if r["ref"] == refs[0] and r["status"] != v["excluded"] and float(r["amount"]) > 0]
    once = [r for r in mine if sum((x["date"], x["item"]) == (r["date"], r["item"]) for x in mine) == 1]
    gone = ctx.pick(once or mine)  # procurement says in chat this row no longer stands
    if ctx.difficulty >= 4:  # the word names only the row's date: no other row of the sheet has it
        taken, last = {r["date"] for r in rows}, clock.day_start(ctx.now) - clock.DAY
        for r in rows:
            if r is not gone and r["date"] == gone["date"]:
                d = clock.parse_time(r["date"])
                step = clock.DAY
                while clock.fmt_date(d) in taken:
                    step = step if d + step <= last else -clock.DAY  # forward up to yesterday, then back
                    d += step
                r["date"] = clock.fmt_date(d)
                taken.add(r["date"])
        rows.sort(key=lambda r: r["date"])
    total = round(sum(float(r["amount"]) for r in rows if r["ref"] == refs[0] and r["status"] != v["excluded"]), 2)
    total_now = round(total - float(gone["amount"]), 2)
    everything = round(sum(float(r["amount"]) for r in rows if r["ref"] == refs[0]), 2)  # the excluded rows too
    wrong = sorted({total, everything, round(everything - float(gone["amount"]), 2)} - {total_now})
    exported = X.at_minute(ctx, clock.day_start(ctx.now) - clock.DAY + 7 * clock.HOUR)  # yesterday's morning export
    files.put(v["sheet"], _csv(rows, FIELDS), time=exported)
    tracker = "date,ref,total\n"
    if ctx.difficulty >= 3:
        tracker += "".join(
            f"{clock.fmt_date(X.days_back(ctx, 20, 40))},{refs[k]},{ctx.money(300, 3000):.2f}\n" for k in (1, 2)
        )
        files.put(v["tracker"], tracker, time=ctx.now - 6 * clock.DAY)
    clerk = ctx.person("colleague")
    team = [ctx.person("colleague").name for _ in range(3)]
    X.chatter(ctx, v["channel"], team, X.CHANNEL_LINES, 3 + 2 * ctx.difficulty, (1, 60))
    cancel = v["cancel"].format(date=gone["date"], item=gone["item"], ref=refs[0])
    said_at = X.days_back(ctx, 1, 1)  # yesterday, after the export
    dm = ""
    if ctx.difficulty >= 4:  # the clerk's DM names only the row's date (session 31), among same-shaped lines
        line = f"re {oblique.dated('sheet line', clock.parse_time(gone['date']))}: {v['dm']}"
        dm = oblique.dm_channel(clerk.first)
        oblique.word_in_dm(ctx, clerk.name, clerk.first, said_at, line, oblique.dated)
        pointer_at = said_at + int(ctx.rng.integers(5, 30)) * clock.MINUTE
        plant.chat(ctx, pointer_at, v["channel"], clerk.name, v["pointer"])
    else:
        plant.chat(ctx, said_at, v["channel"], clerk.name, cancel)
    trigger = X.at_minute(ctx, ctx.now + (30 + 10 * ctx.difficulty + int(ctx.rng.integers(0, 30))) * clock.MINUTE)
    call = X.at_minute(ctx, trigger + int(ctx.rng.integers(70, 110)) * clock.MINUTE)
    ask = v["ask"].format(first=who.split()[0], call=notation.hhmm(call))
    goals = []
    if ctx.difficulty >= 3:
        goals.append("pop it in the tracker sheet on your laptop too")
    if ctx.difficulty >= 4:
        goals.append(f"post it in #{v['channel']} so the team sees it")
    chase = None
    if ctx.difficulty >= 5:
        chase = X.at_minute(ctx, clock.day_start(ctx.now) + 2 * clock.DAY + 10 * clock.HOUR) // 60 * 60
        day = clock.to_datetime(chase).strftime("%A %d %B")
        goals.append(f"set yourself a reminder to chase {vendors[0]} on {day} at {notation.hhmm(chase)}")
    if goals:
        ask += " Also " + "; ".join(goals) + ". Thanks!"
    X.sms_arrive(ctx, trigger, number, ask)  # the phone shows their name; the sms service a bare number
    before = records.ids_now(ctx, ("calendar", "entries"), ("todo", "items"))
    return Scenario(
        None,
        {
            "variant": ctx.variant,
            "trigger_at": trigger,
            "call_at": call,
            "name": who,
            "number": number,
            "ref": refs[0],
            "refs": refs,
            "total": total_now,
            "stale_total": total,
            "wrong_totals": wrong,  # what a careless sum gives: naming one of them beside the total is a hedge
            "gone": gone,
            "decided_at": mail_at[0],
            "candidates_at": mail_at,
            "tracker": v["tracker"] if ctx.difficulty >= 3 else None,
            "tracker_before": tracker,
            "channel": v["channel"] if ctx.difficulty >= 4 else None,
            "chase_at": chase,
            "vendor": vendors[0],
            "before": before,
            "dm": dm,
        },
        deadline=call,
        deadline_stated=True,  # "text me before <call>"
        trigger=f"{who} (saved on the phone only) texts at {clock.fmt(trigger)} for the {refs[0]} total "
        f"({total_now:.2f}) before {notation.hhmm(call)}",
    )


def _bare(text: str, f: dict[str, Any]) -> str:
    """The message without the references it names (a reference number is no amount)."""
    for ref in f["refs"]:
        text = text.replace(ref, " ")
    return text


def check(world: World, f: dict[str, Any], g: Grader) -> None:
    parties = {O.party(f["number"])}
    sent = [m for m in O.outbound(world, f["trigger_at"]) if any(O.party(r) in parties for r in m.to)]
    good = [
        m
        for m in sent
        if X.gives_one_figure(_bare(m.text, f), f["total"], f["wrong_totals"]) and m.time <= f["call_at"]
    ]
    g.expect(
        f"{f['name']} got the total before the call",
        bool(good),
        f"{count(len(sent), 'message')} to them since the text, {len(good)} with {f['total']:.2f} and no wrong sum",
        because=f"their text asks for the total of their reference ({f['ref']}: the mail naming them as requester) "
        f"before {notation.hhmm(f['call_at'])}; the sheet's rows for it, without the excluded ones and without "
        f"the line the team channel says no longer stands",
    )
    if f["tracker"]:
        rec = views.files(world).find(f["tracker"])
        text = rec["content"] if rec else ""
        kept = text.startswith(f["tracker_before"])
        new = text[len(f["tracker_before"]) :].strip().splitlines() if kept else []
        cells = [c.strip() for c in new[0].split(",")] if len(new) == 1 else []
        ok = kept and f["ref"] in cells and any(X.gives_one_figure(c, f["total"]) for c in cells if c != f["ref"])
        g.expect(
            "one tracker row with the reference and the total",
            ok,
            "earlier rows changed" if not kept else f"{count(len(new), 'new row')}: {checks.quoted(' / '.join(new))}",
            because="their text asks to put it in the tracker sheet",
        )
    if f["channel"]:
        me = world.persona.me.name if world.persona else "me"
        posts = [
            m
            for m in world.services["chat"].table("messages").values()
            if m["channel"] == f["channel"] and m["sender"] == me and m["time"] >= f["trigger_at"]
        ]
        ok_posts = [m for m in posts if X.gives_one_figure(_bare(m["text"], f), f["total"], f["wrong_totals"])]
        g.expect(
            f"the total was posted in #{f['channel']}",
            bool(ok_posts),
            f"{count(len(posts), 'post')} there, {len(ok_posts)} with the total and no other candidate sum",
            because="their text asks to post it for the team",
        )
    if f["chase_at"]:
        got = checks.reminders_at(world, f["chase_at"], f["before"])
        g.expect(
            "a reminder to chase the vendor at the time asked",
            bool(got),
            ", ".join(got) or "no reminder then",
            because="their text asks for a reminder at that time",
        )


def _steps(world: World, f: dict[str, Any], total: float) -> list[str]:
    v = VARIANTS[f["variant"]]
    first = f["name"].split()[0]
    figure = f"{total:,.2f}"
    steps = [
        A.wait(f["trigger_at"] - world.clock.now, wake=False),
        A.api("sms.list", unread_only=True),
        A.api("contacts.search", query=f["number"][-4:]),
        *S.open_app("Contacts"),
        A.key("home"),
        A.api("workmail.search" if "workmail" in world.services else "mail.search", query=first),
        A.shell(f"head -5 ~/{v['sheet']}"),
        A.shell(f"grep {f['ref']} ~/{v['sheet']}"),
        A.api("chat.history", channel=v["channel"], limit=30),
        *phone_flows.text_from_phone(f["number"], f"Hi {first}, {f['ref']} comes to EUR {figure} so far."),
    ]
    if f["tracker"]:
        row = f"{clock.fmt_date(world.clock.now)},{f['ref']},{total:.2f}\n"
        steps += [A.shell(f"cat ~/{f['tracker']}"), A.shell(f"printf %s '{row}' >> ~/{f['tracker']}")]
    if f["channel"]:
        steps.append(A.api("chat.post", channel=f["channel"], text=f"{f['ref']} stands at EUR {figure} so far."))
    if f["chase_at"]:
        due = clock.fmt(f["chase_at"])
        steps += [
            A.api("todo.list"),
            laptop_files.claw("todo.add_task", title=f"Chase {f['vendor']} ({f['ref']})", due=due),
        ]
    return [*steps, A.wait(f["call_at"] - f["trigger_at"] + 60, wake=False)]


def oracle(world: World, f: dict[str, Any]) -> list[str]:
    """Who texted (the phone), their reference (the mail), the sum (the laptop CSV less the called-off line)."""
    return _steps(world, f, f["total"])


def stale_oracle(world: World, f: dict[str, Any]) -> list[str]:
    """Sums the sheet as exported, keeping the line the team channel says no longer stands."""
    return _steps(world, f, f["stale_total"])


FAMILY = Family(
    name="xdev-figure-text",
    kind="proactive",
    services=("phone", "sms", "files", "chat", "mail", "workmail", "contacts", "todo", "calendar"),
    devices=("laptop", "phone"),
    needs_sim_phone=True,
    summary="Someone saved only on the phone texts for their reference's running total; before the call time in "
    "the text they get one figure: the laptop CSV's rows for the reference the mail names them on, less the "
    "excluded rows and the line procurement called off (in the team channel; at 4-5 in the clerk's DM, by its "
    "date alone) (plus a tracker row at 3+, a channel post at 4+, a reminder at 5).",
    generate=generate,
    check=check,
    oracle=oracle,
    variants=("po", "event"),
    tasks_per_variant=15,
    count=45,
    max_steps=45,
    tags=("phone", "laptop", "cross-device", "conflict", "noise"),
    stale_oracle=stale_oracle,
    phone_only=(),
    footprint=Footprint(
        owns=(Own("files.files", where=path_in("tracker")),),
        parties=("number",),
        channels=("channel", "dm"),
    ),
)
