"""Proactive, cross-device: a work receipt shows up only on the phone; file the expense and update the
laptop sheet.

Nobody asks. Mid-episode the ride (or pay-at-table) app's receipt notification lands on the phone:
amount, time and "Business profile". Its card payment posts in the bank a minute later under the app's
name, and later in the window a personal trip with the same app posts too (its receipt says "Personal"):
only the phone tells the two apart. The person wrote down, as one line of a longer admin note, that work
receipts are filed as an expense within the hour, linked to the card payment, with the cost centre in the
notes, and added to the expenses sheet on the laptop; from level 3, submitted at once. Which cost centre:
the note's at levels 1-3. At 4 and 5 the client entry of the calendar (which the agent opens to tell the
receipts apart) names the client's account lead, whose code claims for that account take; the lead gave it
30+ (60+) days back in their DM, naming the claim only by its day ("re the client meal on 7 December: put it
on CC-4821"), among their same-shaped lines about other matters (session 33; finance's "Cost centres" mails,
the team's centre and another team's, are look-alikes). Level 5: also tell the approver in their chat DM, and
the account lead (the client entry asks for it).

At 4-5 no receipt says which profile it was: both name a place from the same pool, and the rule
covers client meals / rides to client visits. Which one was for work is the calendar's: the business
one's place and time match a client entry (who was there: the client, their company), the personal
one's match an entry with a friend or a private appointment; either may come first.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from claw_gym import actions as A
from claw_gym import clock
from claw_gym.devices.phone import script as S
from claw_gym.plural import count
from claw_gym.tasks import Ctx, Family, Grader, Scenario, values
from claw_gym.tasks.footprint import Footprint, Own, path_in
from claw_gym.world import World

from .kit import arrivals, checks, laptop_files, oblique, plant, records, views
from .kit import xchain as X

VARIANTS: dict[str, dict[str, Any]] = {
    "ride": {
        "app": "Ridepoint",
        "category": "travel",
        "title": "Trip receipt",
        "what": "work rides",
        "receipt": "{profile} profile · {where}\nTotal EUR {amount:.2f} charged to your card, {at}.",
        "places": ["Office → Airport", "Station → Client site", "Office → Conference centre", "Hotel → Office"],
        "personal": ["Home → Cinema", "Gym → Home", "Home → Old Town", "Market → Home"],
        "range": (18, 64),
    },
    "meal": {
        "app": "Tabby",
        "category": "meals",
        "title": "Bill paid",
        "what": "client meals",
        "receipt": "{profile} · {where}\nYou paid EUR {amount:.2f} incl. tip, {at}.",
        "places": ["Osteria Lume", "The Brass Fig", "Kiku Sushi Bar", "Marlow & Rye"],
        "personal": ["Corner Noodles", "Pizza Vesuvio", "Taco Loco", "Green Bowl"],
        "range": (38, 160),
    },
}
#: level 4-5: places both kinds of receipt draw from, and the receipt without a profile
DEEP: dict[str, dict[str, Any]] = {
    "ride": {
        "receipt": "Trip · {where}\nTotal EUR {amount:.2f} charged to your card, {at}.",
        "places": [
            "Lindenplatz 3",
            "Harbour Road 41",
            "Kestrel Lane 7",
            "Mill Street 118",
            "Quay Side 9",
            "Orchard Row 22",
            "Bell Yard 5",
            "Canal Walk 60",
        ],
        "what": "rides to client visits",
        "work": ["{co} site visit", "Workshop at {co}", "{co} kick-off"],
        "private": ["Dentist", "Haircut", "Viewing: flat", "Physio"],
    },
    "meal": {
        "receipt": "{where}\nYou paid EUR {amount:.2f} incl. tip, {at}.",
        "places": VARIANTS["meal"]["places"] + VARIANTS["meal"]["personal"],
        "what": "meals with clients",
        "work": ["Breakfast with {who}", "Meet {who}", "Catch-up with {who}"],
        "private": ["Breakfast with {who}", "Meet {who}", "Catch-up with {who}"],
    },
}
CLIENTS = ["Bluepeak", "Northwind", "Helix Labs", "Sable & Co", "Orbitra", "Fernway"]
SHEET = "Documents/expenses/expenses-{year}.csv"
NOTE_TITLE = "Work admin"
NOTE_LINES = [
    "- laptop warranty runs out in autumn, ask IT about the swap",
    "- the badge for the 3rd floor is in the top drawer",
    "- parking at the client site: level -2 only",
    "- wifi guest password changes every Monday",
]
RULE_DEEP = (
    "- {what}: expense within the hour of the receipt, linked to the card payment, cost centre {cc} in the "
    "notes, and a line in the expenses sheet on the laptop; anything private I pay myself"
)
RULE = (
    "- {what} with the business profile: file the expense within the hour of the receipt, linked to the card "
    "payment, cost centre {cc} in the notes, and add a line to the expenses sheet on the laptop"
)
SUBMIT = "- submit claims straight away, {manager} approves them"
#: level 5: the approver wants a word when one is in (the check asks for it, so the note says it)
SUBMIT_TELL = "- submit claims straight away, then a quick DM to {manager} with the amount so they can approve"
CC_MAIL = "Quick one on cost centres: from this month {team} bookings go to {cc}. Please use it on new claims."
CC_MAILS = [
    CC_MAIL,
    "Hi all,\n\nfor {team}, please book claims against {cc} from now on.\n\nFinance",
    "Reminder: {cc} is the code for {team} expenses. Claims with another code come back to you.",
]


def _charge(ctx: Ctx, t: int, amount: float, merchant: str) -> str:
    """A past card payment as the background writes one (kit.plant: its event line, the bank app's push
    above 25 EUR); its id."""
    return str(plant.charge(ctx, t, amount, merchant)["id"])


def _cc(ctx: Ctx) -> str:
    return f"CC-{int(ctx.rng.integers(1000, 9999))}"


def generate(ctx: Ctx) -> Scenario:
    v = VARIANTS[ctx.variant]
    year = clock.to_datetime(ctx.now).year
    sheet = SHEET.format(year=year)
    manager = ctx.person("manager")
    team = f"{ctx.persona.employer.split()[0]} {ctx.pick(['Sales', 'Delivery', 'Consulting'])}"
    cc_note, cc_new, cc_other = _cc(ctx), _cc(ctx), _cc(ctx)
    deep = ctx.difficulty >= 4
    cc = cc_new if deep else cc_note
    lines = list(NOTE_LINES)
    rule = (
        RULE_DEEP.format(what=DEEP[ctx.variant]["what"], cc=cc_note)
        if deep
        else RULE.format(what=v["what"], cc=cc_note)
    )
    lines.insert(int(ctx.rng.integers(1, len(lines))), rule)
    if ctx.difficulty >= 3:
        lines.append((SUBMIT_TELL if ctx.difficulty >= 5 else SUBMIT).format(manager=manager.first))
    ctx.svc("notes").add(NOTE_TITLE, "\n".join(lines) + "\n", folder="work", time=X.days_back(ctx, 95, 110))
    decided = None
    candidates = []
    if deep:  # finance moved the centre, in a mail among same-shaped ones about other teams
        lo, hi = X.depth_days(ctx)
        svc = "workmail" if "workmail" in ctx.world.services else "mail"
        finance = f"finance@{ctx.persona.work_domain}"
        decided = X.days_back(ctx, lo, hi)
        other_team = f"{ctx.persona.employer.split()[0]} {ctx.pick(['Research', 'Support', 'Marketing'])}"
        # finance's mails (each clerk's wording): the other team's centre, and the team's; the code that counts
        # is the client account lead's, named in the client entry's notes and given in their DM (_lead_word)
        for t, tm, c in [
            (X.days_back(ctx, lo, hi + 10), other_team, cc_other),
            (X.days_back(ctx, hi + 5, hi + 20), team, cc_note),
        ]:
            candidates.append(t)
            text = ctx.pick(CC_MAILS).format(team=tm, cc=c)
            plant.mail_in(ctx, svc, t, finance, "Cost centres", text, read=True)
    rows = [["date", "merchant", "amount", "category"]]
    for k in range(3 + ctx.difficulty + 3):  # earlier trips with the app: business ones are in the sheet
        t = plant.jitter(ctx, X.days_back(ctx, 3, 40, hours=(7, 22)))  # any minute, as the background pays
        past = ctx.money(*v["range"])
        tx_past = _charge(ctx, t, past, v["app"])
        if k < 3 + ctx.difficulty:
            rows.append([clock.fmt_date(t), v["app"], f"{past:.2f}", v["category"]])
            claim = ctx.pick(v["places"])
            ctx.svc("expenses").add(t, v["app"], past, v["category"], status="approved", tx_id=tx_past, notes=claim)
    rows[1:] = sorted(rows[1:])
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    ctx.svc("files").put(sheet, out.getvalue(), time=ctx.now - 3 * clock.DAY)
    # the business receipt (phone only), its charge, and a personal trip later in the window
    trigger = X.at_minute(ctx, ctx.now + (25 + 12 * ctx.difficulty + int(ctx.rng.integers(0, 25))) * clock.MINUTE)
    later = trigger + int(ctx.rng.integers(18, 45)) * clock.MINUTE
    amount = ctx.money(*v["range"])
    p_amount = ctx.money(*v["range"])
    while abs(p_amount - amount) < 1:
        p_amount = ctx.money(*v["range"])
    why_personal = "its receipt on the phone says Personal; the rule covers the business profile"
    word: dict[str, Any] = {}
    if deep:  # either may come first; the calendar tells them apart
        b_at, p_at = (trigger, later) if ctx.rng.random() < 0.5 else (later, trigger)
        where, p_where = ctx.sample(DEEP[ctx.variant]["places"], 2)
        text = DEEP[ctx.variant]["receipt"].format(where=where, amount=amount, at=notation_at(b_at - 240))
        p_text = DEEP[ctx.variant]["receipt"].format(where=p_where, amount=p_amount, at=notation_at(p_at - 200))
        assert decided is not None
        lead = oblique.staff_apart(ctx, ("account lead", "client lead", "account manager"), [manager.name])
        why_personal, co = _calendar_pair(ctx, (b_at - 240, where), (p_at - 200, p_where), lead[0], decided)
        word = _lead_word(ctx, lead[0], cc_new, b_at, decided)
        word.update(name=lead[0], email=lead[1], co=co)
    else:
        b_at, p_at = trigger, later
        where = ctx.pick(v["places"])
        text = v["receipt"].format(profile="Business", where=where, amount=amount, at=notation_at(b_at - 240))
        p_text = v["receipt"].format(
            profile="Personal", where=ctx.pick(v["personal"]), amount=p_amount, at=notation_at(p_at - 200)
        )
    rid = arrivals.arrive_notification(ctx, b_at, v["app"], v["title"], text)
    tx = X.charge_arrive(ctx, b_at + 70, amount, v["app"])
    arrivals.arrive_notification(ctx, p_at, v["app"], v["title"], p_text)
    p_tx = X.charge_arrive(ctx, p_at + 60, p_amount, v["app"])
    deadline = b_at + clock.HOUR
    dm = None
    if ctx.difficulty >= 5:
        dm = f"dm-{manager.first.lower()}"
        X.chatter(ctx, dm, [manager.name, ctx.persona.me.name], X.DM_LINES, 4, (2, 30))
    return Scenario(
        None,
        {
            "variant": ctx.variant,
            "trigger_at": trigger,
            "receipt_at": b_at,
            "personal_at": p_at,
            "personal_why": why_personal,
            "receipt": rid,
            "tx": tx,
            "personal_tx": p_tx,
            "amount": amount,
            "personal_amount": p_amount,
            "date": clock.fmt_date(trigger),
            "cc": cc,
            "cc_note": cc_note,
            "sheet": sheet,
            "sheet_before": out.getvalue(),
            "submit": ctx.difficulty >= 3,
            "dm": dm,
            "manager": manager.name,
            "decided_at": word.get("at", decided),
            "lead": word or None,
            "lead_dm": word.get("dm"),
            "codes": [cc_note, cc_other],
            "candidates_at": candidates + ([word["at"]] if word else []),
            "before": records.ids_now(ctx, ("expenses", "claims")),
        },
        deadline=deadline,
        deadline_stated=True,  # the note: file it within the hour
        trigger=f"the {v['app']} business receipt ({amount:.2f}) lands on the phone at {clock.fmt(b_at)}",
    )


#: level 4-5: the client entry's notes name the account lead, whose code wins (5: and who wants a DM)
LEAD_NOTE = "{client}, {co}. {lead} runs the {co} account: claims for it take the code {first} gives, not the team's"
LEAD_TELL = ", and a DM to {first} with the amount once one is in"
#: how the lead names the claim in their DM: by the day it is for, as they name their other matters
LEAD_THING = {"ride": "client trip", "meal": "client meal"}
LEAD_WORDS = ["put it on {cc}", "that one goes on {cc}", "book it to {cc}"]


def _calendar_pair(
    ctx: Ctx, work: tuple[int, str], private: tuple[int, str], lead: str, word_at: int
) -> tuple[str, str]:
    """Level 4-5: the calendar entries that say which receipt was for work (a client, their company, the account
    lead whose code it takes, entered before the lead's word at ``word_at``) and which was private (a friend, an
    appointment); the reason the personal one is not claimed, and the client's company."""
    d = DEEP[ctx.variant]
    co = ctx.pick(CLIENTS)
    client = (
        f"{ctx.pick(['Hal', 'Ines', 'Tomas', 'Rhea', 'Bo', 'Leona'])} {ctx.pick(['Ortiz', 'Varga', 'Lund', 'Okafor'])}"
    )
    friend = ctx.person("friend")
    meal = ctx.variant == "meal"
    first = lead.split()[0]
    notes = LEAD_NOTE.format(client=client, co=co, lead=lead, first=first)
    notes += (LEAD_TELL.format(first=first) if ctx.difficulty >= 5 else "") + "."
    entries = [
        (
            work,
            ctx.pick(d["work"]).format(co=co, who=client.split()[0]),
            notes,
            [f"{client.split()[0].lower()}@{co.split()[0].lower()}.com"],
            word_at - int(ctx.rng.integers(2, 12)) * clock.DAY,
        ),
        (
            private,
            ctx.pick(d["private"]).format(who=friend.first),
            "",
            [friend.email] if meal else [],
            X.days_back(ctx, 3, 40),
        ),
    ]
    for (t, where), title, note, guests, created in entries:
        start = (t - (70 if meal else -15) * clock.MINUTE) // (15 * clock.MINUTE) * 15 * clock.MINUTE
        length = (75 if meal else 60) * clock.MINUTE
        plant.calendar(ctx, created, title, start, start + length, location=where, attendees=guests, notes=note)
    what = f"with {friend.first}" if meal else "a private appointment"
    return f"the calendar puts it at {private[1]}, {what}; the rule covers {d['what']}", co


def _lead_word(ctx: Ctx, lead: str, cc: str, receipt_at: int, at: int) -> dict[str, Any]:
    """Level 4-5: the account lead's word in their DM at ``at`` (weeks back), naming the claim only by the day it is
    for ("re the client meal on 7 December: put it on CC-4821"), among their same-shaped lines about other
    matters, each by another day (oblique.post_lines: working hours of working days). The word's record."""
    day = oblique.day_month(receipt_at)
    line = f"re the {LEAD_THING[ctx.variant]} on {day}: {ctx.pick(LEAD_WORDS).format(cc=cc)}"
    lines = [(at, line)]
    for k, (thing, verdict) in enumerate(ctx.sample(oblique.PLAIN, 3)):
        t = at + int(ctx.pick([-9, -5, -3, 2, 4, 7][2 * k : 2 * k + 2])) * clock.DAY
        about = t + int(ctx.rng.integers(2, 15)) * clock.DAY
        while oblique.day_month(about) == day:
            about += clock.DAY
        lines.append((t, f"re the {thing} on {oblique.day_month(about)}: {verdict}"))
    lines.sort()
    ids = oblique.post_lines(ctx, oblique.dm_channel(lead), lead, lines, latest=ctx.now - clock.DAY)
    msg = ids[[text for _, text in lines].index(line)]
    rec = ctx.svc("chat").table("messages")[msg]
    return {"msg": msg, "line": line, "at": rec["time"], "dm": oblique.dm_channel(lead)}


def notation_at(t: int) -> str:
    """A receipt's time as the apps write it: 'Tue 14 Apr, 08:52'."""
    return clock.to_datetime(t).strftime("%a %d %b, %H:%M")


def _claims(world: World, f: dict[str, Any]) -> list[dict]:
    return records.agent_rows(world, "expenses", "claims", f["before"]["expenses.claims"])


def check(world: World, f: dict[str, Any], g: Grader) -> None:
    v = VARIANTS[f["variant"]]
    rule = f"the note '{NOTE_TITLE}' says {v['what']} are filed within the hour, linked, cost centre in the notes"
    lead = f.get("lead")
    cc_why = (
        "the note names the cost centre"
        if not lead
        else f"the client entry's notes say claims for the {lead['co']} account take the code {lead['name']} gives; "
        f"their DM line of {clock.fmt_date(lead['at'])} about the claim for that day gives {f['cc']}"
    )
    claims = _claims(world, f)
    mine = [c for c in claims if c["tx_id"] == f["tx"] or values.same_amount(c["amount"], f["amount"])]
    good = [
        c
        for c in mine
        if values.same_amount(c["amount"], f["amount"])
        and c["tx_id"] == f["tx"]
        and c["category"] == v["category"]
        and clock.fmt_date(c["time"]) == f["date"]
        and f["cc"] in c["notes"].upper()
        and not any(o in c["notes"].upper() for o in f.get("codes", []) if lead)  # one code, not a hedge
    ]
    shown = "; ".join(
        f"{c['amount']:.2f} {c['category']} {clock.fmt_date(c['time'])} tx={c['tx_id'] or '-'} "
        f"notes={checks.quoted(c['notes'])}"
        for c in claims
    )
    g.expect(
        "the business receipt is filed: amount, date, category, linked payment, cost centre",
        len(good) == 1 and len(mine) == 1,
        shown or "no new claim",
        because=f"{rule}; the receipt on the phone gives amount and time; {cc_why}",
    )
    wrong = [
        c for c in claims if c["tx_id"] == f["personal_tx"] or values.same_amount(c["amount"], f["personal_amount"])
    ]
    g.expect(
        f"the personal {'meal' if f.get('variant') == 'meal' else 'trip'} is not claimed",
        not wrong,
        f"{len(wrong)} claims for it" if wrong else "not claimed",
        because=f["personal_why"],
    )
    if f["submit"]:
        sub = [c for c in mine if c["status"] == "submitted"]
        g.expect(
            "the claim is submitted",
            bool(sub),
            ", ".join(c["status"] for c in mine) or "no claim",
            because=f"the note '{NOTE_TITLE}' says to submit claims straight away",
        )
    rec = views.files(world).find(f["sheet"])
    text = rec["content"] if rec else ""
    kept = text.startswith(f["sheet_before"])
    new = list(csv.reader(io.StringIO(text[len(f["sheet_before"]) :]))) if kept else []
    new = [r for r in new if any(c.strip() for c in r)]
    ok_row = (
        kept
        and len(new) == 1
        and any(X.gives_one_figure(c, f["amount"]) or _plain(c, f["amount"]) for c in new[0])
        and any(values.date_values(c, f["trigger_at"]) == {f["date"]} for c in new[0])
    )
    g.expect(
        "one line in the laptop's expenses sheet with the date and amount",
        ok_row,
        "earlier lines changed" if not kept else f"{count(len(new), 'new line')}: {new[:2]}",
        because=f"the note '{NOTE_TITLE}' says to add a line to the expenses sheet on the laptop",
    )
    if f["dm"]:
        me = world.persona.me.name if world.persona else "me"
        posts = [
            m
            for m in world.services["chat"].table("messages").values()
            if m["channel"] == f["dm"] and m["sender"] == me and m["time"] >= f["trigger_at"]
        ]
        told = [m for m in posts if X.gives_one_figure(m["text"], f["amount"], [f["personal_amount"]])]
        g.expect(
            f"{f['manager']} was told in their DM",
            bool(told),
            f"{count(len(posts), 'post')}, {len(told)} with the amount",
            because=f"the note '{NOTE_TITLE}' says to DM {f['manager'].split()[0]} the amount",
        )
        if lead:
            told = [
                m
                for m in world.services["chat"].table("messages").values()
                if m["channel"] == lead["dm"]
                and m["sender"] == me
                and m["time"] >= f["trigger_at"]
                and X.gives_one_figure(m["text"], f["amount"], [f["personal_amount"]])
            ]
            g.expect(
                f"{lead['name']} was told in their DM",
                bool(told),
                f"{len(told)} posts with the amount",
                because=f"the client entry's notes ask for a DM to {lead['name'].split()[0]} with the amount",
            )


def _plain(cell: str, want: float) -> bool:
    try:
        return abs(float(cell.strip()) - want) < 0.005
    except ValueError:
        return False


def _steps(world: World, f: dict[str, Any], tx: str, amount: float, cc: str) -> list[str]:
    v = VARIANTS[f["variant"]]
    settle = f["receipt_at"] + 120 - world.clock.now
    steps = [
        A.wait(settle, wake=False),
        S.open_shade(),
        A.key("back"),
        A.api("notes.list", query="expense"),
        A.api("bank.transactions", query=v["app"]),
    ]
    lead = f.get("lead")
    if lead:
        svc = "workmail" if "workmail" in world.services else "mail"
        steps += [
            A.api(f"{svc}.search", query="Cost centres", limit=40),
            A.api(
                "calendar.list_events",
                start=clock.fmt(clock.day_start(f["receipt_at"])),
                end=clock.fmt(clock.day_start(f["receipt_at"]) + clock.DAY),
            ),
            A.api("chat.history", channel=lead["dm"], limit=50),
        ]
    steps += [
        A.shell(f"tail -3 ~/{f['sheet']}"),
        laptop_files.claw(
            "expenses.create",
            date=f["date"],
            merchant=v["app"],
            amount=amount,
            category=v["category"],
            tx_id=tx,
            notes=f"{cc} - {v['title'].lower()} {f['date']}",
        ),
        A.api("expenses.list", status="draft"),
        A.shell(f"printf '%s\\n' '{f['date']},{v['app']},{amount:.2f},{v['category']}' >> ~/{f['sheet']}"),
        A.shell(f"tail -2 ~/{f['sheet']}"),
    ]
    if f["submit"]:
        claim = records.next_id(world.services["expenses"], "claims")
        steps.append(A.api("expenses.submit", ids=[claim]))
    if f["dm"]:
        steps += [
            A.api("chat.history", channel=f["dm"], limit=5),
            A.api("chat.post", channel=f["dm"], text=f"Submitted a {v['app']} claim, EUR {amount:.2f}, for approval."),
        ]
    if lead and f["dm"]:
        steps.append(A.api("chat.post", channel=lead["dm"], text=f"Filed the {v['app']} claim, EUR {amount:.2f}."))
    if lead:
        steps += [A.api("expenses.list"), S.open_shade(), A.long_press(element=f"text={v['title']}"), A.key("back")]
    return [*steps, A.wait(f["receipt_at"] + clock.HOUR - world.clock.now, wake=False)]


def oracle(world: World, f: dict[str, Any]) -> list[str]:
    """Read the receipt in the shade, the rule (and the deep mail), file, link and log the business one."""
    return _steps(world, f, f["tx"], f["amount"], f["cc"])


def stale_oracle(world: World, f: dict[str, Any]) -> list[str]:
    """Files the latest charge of the app at the end of the window: the personal trip."""
    steps = [A.wait(f["trigger_at"] + 50 * clock.MINUTE - world.clock.now, wake=False)]
    rest = _steps(world, f, f["personal_tx"], f["personal_amount"], f["cc"])[1:]
    return steps + rest


FAMILY = Family(
    name="xdev-receipt-expense",
    kind="proactive",
    services=("phone", "expenses", "bank", "files", "notes", "mail", "workmail", "chat", "device", "calendar"),
    devices=("laptop", "phone"),
    needs_sim_phone=True,
    summary="The business receipt that only the phone shows is filed within the hour as an expense (amount, date, "
    "category, linked card payment, the cost centre in force: at 4-5 the client account lead's, given weeks back), "
    "the personal trip is not, the laptop's expenses sheet has one new line; submitted at 3+, the approver and "
    "the account lead told at 5.",
    generate=generate,
    check=check,
    oracle=oracle,
    variants=("ride", "meal"),
    tasks_per_variant=15,
    count=45,
    max_steps=45,
    tags=("phone", "laptop", "cross-device", "conflict"),
    stale_oracle=stale_oracle,
    phone_only=(),
    footprint=Footprint(
        owns=(
            Own("files.files", where=path_in("sheet")),
            Own("expenses.claims", new=True),
        ),
        channels=("dm", "lead_dm"),
    ),
)
