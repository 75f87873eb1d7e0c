"""Reactive, compositional: "sort out the <name> escalation" -- priorities, a CRM note, a call, a reply.

Three CRM accounts share a first word (Northgate Foods, Northgate Freight, ...), each with open
tickets. Two people at the right account write in: an escalation contact on the contract, who asks
for two named tickets to be made urgent and offers times for a call, and a colleague of theirs who
is not on the contract and wants everything urgent. Who may escalate is written where the person
keeps it: the account's contract in their files (``contract``) or the handover message of the
colleague who passed the account on (``handover``), with the same lines for the look-alike accounts.
The person asks to sort it out: the tickets the authorised contact named get urgent priority (and no
others), an activity is logged on that account's deal (not a look-alike's), a call with the contact
is booked inside a window they offered, and the contact gets a reply.

From difficulty 3 the contact later texts that one offered window no longer works (another channel); at 4-5
the mail and that text are three to five days old (out of the opening digest) and the text names no company.
At difficulty 4 the authority list is >= 30 days old, at 5 >= 60, among >= 3 same-shaped lists; there it
names someone who has since left the account, whose same-shaped escalation mail (two other tickets) no
longer counts: a later message through another channel (the account's other contact's mail, or the
handover colleague's chat reply), naming no escalation, hands their part to the contact.
"""

from __future__ import annotations

from typing import Any

from claw_gym import actions as A
from claw_gym import clock
from claw_gym.plural import count
from claw_gym.tasks import Ctx, Family, Grader, Scenario
from claw_gym.tasks.footprint import Footprint, Own, field_in
from claw_gym.world import World

from .kit import errands, notation, oblique, plant, records

STEMS = ["Northgate", "Bramley", "Kestrel", "Ashford", "Whitmore"]
KINDS = ["Foods", "Freight", "Family Dental", "Finance", "Fabrics"]
PEOPLE = [
    "Helen Marsh",
    "Victor Osei",
    "Greta Sandberg",
    "Rami Aziz",
    "Carla Duarte",
    "Niall Byrne",
    "Mei Lin",
    "Sven Aalto",
    "Olu Adeyemi",
    "Ilse Brandt",
    "Tariq Hassan",
    "Bea Costa",
]
ISSUES = [
    "Invoices export fails for March",
    "Warehouse scanner sync drops orders",
    "Single sign-on loops back to login",
    "Dashboard totals off by one day",
    "API rate limit hit at 9am every day",
    "Email notifications arrive twice",
]

#: levels 4-5: the contact's text taking a window back names no company, ticket or escalation (the mail it
#: follows says which), so a search on the account misses it and the contact's name finds it
LATER = [
    "Hi, {first} here - re my mail: {day} doesn't work for me after all, sorry. The other time is fine.",
    "{first} again. Scratch {day} from what I sent, something came up. The other slot still works.",
]

#: levels 4-5: the contact's assistant, who keeps their diary (their signature says so)
ASSISTANTS = ["Fiona Reyes", "Jonas Weber", "Priya Nair", "Lucia Romero", "Tomas Kral"]
#: the assistant's same-shaped texts about other matters between the two firms (none is the escalation)
ASSISTANT_OTHERS = [
    ("renewal quote", "with our finance team, you'll hear by Friday"),
    ("training invite", "two of us will join, names to follow"),
    ("invoice", "paid on our side yesterday"),
    ("site visit request", "any morning that week works, ask for me at reception"),
    ("survey", "filled in, thanks"),
    ("order form", "signed, the scan is on its way"),
]


def _domain(account: str) -> str:
    return account.lower().replace(" ", "") + ".example"


def _addr(person: str, account: str) -> str:
    return person.split()[0].lower() + "." + person.split()[1].lower() + "@" + _domain(account)


def generate(ctx: Ctx) -> Scenario:
    d, hd = ctx.difficulty, ctx.svc("helpdesk")
    stem = ctx.pick(STEMS)
    accounts = [f"{stem} {k}" for k in ctx.sample(KINDS, 3)]
    people = ctx.sample(PEOPLE, 12)
    back = {4: 31, 5: 61}.get(d, 6)
    written = ctx.now - (back + int(ctx.rng.integers(0, 12))) * clock.DAY - int(ctx.rng.integers(1, 600)) * 60
    deals, lists, tickets_of = [], [], {}
    for i, acc in enumerate(accounts):
        contact, boss, other = people[3 * i : 3 * i + 3]
        deals.append(
            plant.deal(
                ctx,
                errands.office_hours(ctx, ctx.now - int(ctx.rng.integers(70, 88)) * clock.DAY),
                acc,
                f"{acc} - {ctx.pick(['renewal', 'support plan', 'expansion'])}",
                ctx.pick(["proposal", "negotiation", "qualified"]),
                float(int(ctx.rng.integers(15, 120)) * 1000),
                _addr(contact, acc),
                ctx.at(int(ctx.rng.integers(15, 60)), 17),
            )["id"]
        )
        lists.append(
            {"account": acc, "authorised": [contact, boss], "other": other, "phone": notation.phone_number(ctx)}
        )
        ctx.svc("contacts").add(contact, _addr(contact, acc), lists[-1]["phone"], company=acc)
        ids = []
        for issue in ctx.sample(ISSUES, 2 + (d >= 3) + (i == 0)):
            # opened before the escalation mail that names them (three to five days back at 4-5)
            t = errands.office_hours(
                ctx, ctx.now - int(ctx.rng.integers(*((6, 16) if d >= 4 else (2, 12)))) * clock.DAY
            )
            who = ctx.pick([contact, boss, other])
            ids.append(
                plant.ticket(ctx, t, issue, _addr(who, acc), f"{issue}. Started a few days ago, please look into it.")[
                    "id"
                ]
            )
        tickets_of[acc] = ids
    former = people[9] if d >= 4 else None
    if former:  # the deep list names someone who has since left; a later message hands their part on
        lists[0]["authorised"] = [former, lists[0]["authorised"][1]]
    _authority(ctx, lists, written)
    if former:
        lists[0]["authorised"] = [people[0], lists[0]["authorised"][1]]
    target = lists[0]
    acc = target["account"]
    mine = tickets_of[acc]
    rows = hd.table("tickets")
    urgent = mine[:2]
    contact, colleague = target["authorised"][0], target["other"]
    windows = _windows(ctx)
    offered = "; ".join(f"{notation.day_text(a)} {notation.hhmm(a)}-{notation.hhmm(b)}" for a, b in windows)
    # at 4-5 the escalation and the texts after it are three to five days old: out of the opening digest
    t_mail = errands.office_hours(ctx, ctx.now - (int(ctx.rng.integers(3, 6)) if d >= 4 else 1) * clock.DAY)
    if former:
        _handed_on(ctx, target, former, contact, written)
        plant.mail_in(
            ctx,
            "workmail",
            t_mail - int(ctx.rng.integers(30, 240)) * 60,
            _addr(former, acc),
            f"Escalation: open tickets with {acc}",
            f'Hello,\n\nI\'m escalating two issues that are holding us up: "{rows[mine[2]]["subject"]}" and '
            f'"{rows[mine[3]]["subject"]}". Please treat both as urgent, as our contract allows.\n\nRegards,\n'
            f"{former}\n{acc}",
            read=False,
        )
    asst = {"name": ctx.pick(ASSISTANTS), "phone": notation.phone_number(ctx)} if d >= 4 else None
    diary = (  # levels 4-5: whose word on the call times counts, in the contact's signature
        f"\nCall times: my assistant {asst['name']} ({asst['phone']}) keeps my diary and has the last word on it."
        if asst
        else ""
    )
    mail_rec = plant.mail_in(
        ctx,
        "workmail",
        t_mail,
        _addr(contact, acc),
        f"Escalation: open tickets with {acc}",
        f'Hello,\n\nI\'m escalating two issues that are stopping our team: "{rows[urgent[0]]["subject"]}" and '
        f'"{rows[urgent[1]]["subject"]}". Please treat both as urgent, as our contract allows.\n\nI\'d like a '
        f"call about it. I'm free {offered}.\n\nRegards,\n{contact}\n{acc}\n{target['phone']}{diary}",
        read=False,
    )
    mail = mail_rec["id"]
    plant.mail_in(
        ctx,
        "workmail",
        t_mail + int(ctx.rng.integers(20, 90)) * 60,
        _addr(colleague, acc),
        f"Re: Escalation: open tickets with {acc}",
        f"Hi, adding to {contact.split()[0]}'s mail: honestly ALL our open tickets should be urgent, including "
        f'"{rows[mine[-1]]["subject"]}". Please bump everything today.\n\n{colleague}',
        read=False,
    )
    gone: tuple[int, int] | None = None
    withdrawn: list[tuple[int, int]] = []
    offered_days = [clock.day_start(a) for a, _ in windows]
    if d >= 3:  # one window goes away, by text
        gone = windows.pop(0)
        withdrawn = [gone]
        day = notation.day_text(gone[0])
        t_sms = plant.jitter(ctx, t_mail + int(ctx.rng.integers(2, 6)) * clock.HOUR)
        plant.sms(
            ctx,
            t_sms,
            target["phone"],
            ctx.pick(LATER).format(first=contact.split()[0], day=day)
            if d >= 4
            else f"Hi, {contact.split()[0]} from {acc} here. {day} doesn't work for me after all, sorry - the "
            "other time is fine.",
            who=contact,
        )
    word = ""
    if asst:  # the assistant, later, by text among their lines about other matters: neither time, another one
        withdrawn, windows = withdrawn + windows, [_instead(ctx, offered_days)]
        a, b = windows[0]
        line = (
            f"re {oblique.came_in(ctx.now)('mail', mail_rec['time'])}: neither time works any more - "
            f"{notation.day_text(a)} {notation.hhmm(a)}-{notation.hhmm(b)} instead"
        )
        start = t_sms + clock.HOUR
        others = oblique.lines_about(ctx, oblique.came_in(ctx.now), 3, start, pool=ASSISTANT_OTHERS)
        name, phone = asst["name"], asst["phone"]
        word = str(
            oblique.among(
                ctx, lambda t, text: plant.sms(ctx, t, phone, text, who=name), line, others, start, ctx.now - clock.HOUR
            )["id"]
        )
    before = records.ids_now(ctx, ("calendar", "entries"))
    return Scenario(
        f"Sort out the {stem} escalation: get the ticket priorities right, log it in the CRM, set up the call "
        "they asked for and reply to them.",
        {
            "account": acc,
            "deal": deals[0],
            "other_deals": deals[1:],
            "mail": mail,
            "contact": {"name": contact, "email": _addr(contact, acc), "phone": target["phone"]},
            "colleague": _addr(colleague, acc),
            "former": _addr(former, acc) if former else "",
            "former_asked": mine[2:4] if former else [],
            "urgent": urgent,
            "rest": [i for i in mine if i not in urgent],
            "others": [i for a in accounts[1:] for i in tickets_of[a]],
            "windows": windows,
            "gone": gone,
            "withdrawn": withdrawn,
            "assistant": asst or {"name": "", "phone": None},
            "word": word,
            "boss": _addr(target["authorised"][1], acc) if d >= 5 else "",
            "written": written,
            "kept_in": ctx.variant,
            "start": ctx.now,
            "before": before,
        },
    )


def _instead(ctx: Ctx, taken: list[int]) -> tuple[int, int]:
    """The window the contact's assistant offers instead: a working day ahead that is neither offered day."""
    days = [k for k in range(1, 9) if clock.weekday(ctx.at(k, 0)) < 5 and clock.day_start(ctx.at(k, 0)) not in taken]
    k = ctx.pick(days)
    h = int(ctx.rng.integers(9, 15))
    return ctx.at(k, h), ctx.at(k, h + 2)


def _windows(ctx: Ctx) -> list[tuple[int, int]]:
    """Two call windows the contact offers, on two different working days ahead."""
    days = [k for k in range(1, 8) if clock.weekday(ctx.at(k, 0)) < 5]
    a, b = sorted(ctx.sample(days, 2))
    out = []
    for k in (a, b):
        h = int(ctx.rng.integers(9, 15))
        out.append((ctx.at(k, h), ctx.at(k, h + 2)))
    return out


def _authority(ctx: Ctx, lists: list[dict[str, Any]], t: int) -> None:
    """Who may escalate, per account, written the way this person keeps it."""
    # level 5: a written rule asks for the answer to reach both escalation contacts
    both = (
        " The supplier answers each escalation in writing to both escalation contacts." if ctx.difficulty >= 5 else ""
    )
    if ctx.variant == "contract":
        for k, x in enumerate(lists):
            a, b = x["authorised"]
            plant.file(
                ctx,
                errands.office_hours(ctx, t - k * int(ctx.rng.integers(1, 9)) * clock.DAY),
                f"Documents/Contracts/{x['account']} - MSA.txt",
                f"MASTER SERVICES AGREEMENT - {x['account']}\n\n1. Term: 24 months from signature, renewing "
                f"yearly.\n2. Fees: as in the order form; invoices net 30.\n3. Support: business hours, first "
                f"response within one working day.\n4. Escalation contacts: {a} and {b}. Tickets either of them "
                f"escalates are handled as urgent (4 hour response); requests from other staff follow "
                f"the normal queue.{both}\n5. Data protection: see annex B.\n6. Termination: 90 days' notice.\n",
            )
        return
    colleague = ctx.pick(ctx.persona.by_relation("colleague"))
    for k, x in enumerate(lists):
        a, b = x["authorised"]
        plant.chat(
            ctx,
            errands.office_hours(ctx, t - k * int(ctx.rng.integers(1, 9)) * clock.DAY),
            "general",
            colleague.name,
            f"{ctx.persona.me.first} handing {x['account']} over to you: renewal talks are slow, be patient. "
            f"only {a} and {b} can escalate under their contract - whatever they escalate is urgent, everyone "
            f"else goes in the normal queue, however loud."
            + (" whatever you answer an escalation, send it to both of them." if both else ""),
        )


def _handed_on(ctx: Ctx, target: dict[str, Any], former: str, contact: str, written: int) -> None:
    """The later change to who may escalate, through another channel than the list, in words that don't
    name escalation: the account's other authorised person mails that ``former`` left and ``contact`` has
    their part (contract), or the colleague who handed the account over adds it in the chat (handover)."""
    t = errands.office_hours(ctx, ctx.now - int(ctx.rng.integers(8, 25)) * clock.DAY)
    acc, boss = target["account"], target["authorised"][1]
    if ctx.variant == "contract":
        plant.mail_in(
            ctx,
            "workmail",
            t,
            _addr(boss, acc),
            "Team news",
            f"Hello,\n\na quick note that {former} has left {acc}. {contact} takes over everything {former.split()[0]} "
            f"did with you, including their part under our agreement.\n\nBest,\n{boss}",
        )
        return
    handed = [m for m in ctx.svc("chat").table("messages").values() if acc in m["text"] and m["channel"] == "general"]
    sender = handed[0]["sender"] if handed else ctx.pick(ctx.persona.by_relation("colleague")).name
    plant.chat(
        ctx,
        t,
        "general",
        sender,
        f"one more for you {ctx.persona.me.first}: {former} has left {acc} - {contact} has their part now, same as "
        f"{former.split()[0]} had. the rest of what I wrote about them stands",
    )


def check(world: World, f: dict[str, Any], g: Grader) -> None:
    rows = world.services["helpdesk"].table("tickets")
    who = "the escalation contacts written down for the account (contract or handover)" + (
        "; a later message says the first of them left and the contact took over their part" if f["former"] else ""
    )
    not_urgent = [i for i in f["urgent"] if rows[i]["priority"] != "urgent"]
    g.expect(
        "the tickets the authorised contact named are urgent",
        not not_urgent,
        ", ".join(f"{i} {rows[i]['priority']}" for i in f["urgent"]),
        because=f"the contact's mail names the tickets; {who} include them, and what they escalate is urgent",
    )
    bumped = [i for i in f["rest"] if rows[i]["priority"] in ("urgent", "high")]
    g.expect(
        "the account's other tickets keep their place in the queue",
        not bumped,
        ", ".join(f"{i} {rows[i]['priority']}" for i in bumped) or "unchanged",
        because=f"only the contact's two were escalated by someone with authority ({who}); others follow the queue"
        + ("; the mail from the person who has left is not an escalation any more" if f["former"] else ""),
    )
    acts = [a for a in world.services["crm"].table("activities").values() if a["time"] >= f["start"]]
    on = [a for a in acts if a["deal"] == f["deal"]]
    off = sorted({a["deal"] for a in acts if a["deal"] != f["deal"]})
    g.expect(
        f"an activity is logged on {f['account']}'s deal only",
        bool(on) and not off,
        f"{count(len(on), 'activity')} on {f['deal']}" + (f"; also on {', '.join(off)}" if off else ""),
        because="the instruction asks to log it in the CRM; the mail's domain says which of the look-alike accounts",
    )
    cal = errands.new_rows(world, "calendar", "entries", f["before"]["calendar.entries"])
    c = f["contact"]
    calls = [r for r in cal if c["email"].lower() in [a.lower() for a in r.get("attendees", [])]]
    inside = [r for r in calls if any(a <= r["start"] and r["end"] <= b for a, b in f["windows"])]
    g.expect(
        f"a call with {c['name']} is booked inside a time they offered",
        bool(inside) and len(inside) == len(calls),
        f"{count(len(calls), 'invite')}: {', '.join(clock.fmt(r['start']) for r in calls) or 'none'}; open: "
        + "; ".join(f"{clock.fmt(a)}-{notation.hhmm(b)}" for a, b in f["windows"]),
        because="the contact's mail offers the windows"
        + (
            "; their assistant, who has the last word on their diary (their signature), later offers another time "
            "instead of both"
            if f["assistant"]["name"]
            else "; their later text takes one back"
            if f["gone"]
            else ""
        ),
    )
    said = [
        m for m in errands.said_to(world, [c["email"], c["phone"]], f["start"]) if not m.door.startswith("calendar")
    ]
    g.expect(
        f"{c['name']} got a reply",
        bool(said),
        f"{count(len(said), 'message')} to them (besides invites)",
        because="the instruction asks to reply to them",
    )
    if f.get("boss"):
        told = [m for m in errands.said_to(world, [f["boss"]], f["start"]) if not m.door.startswith("calendar")]
        g.expect(
            "the account's other escalation contact got the answer too",
            bool(told),
            f"{count(len(told), 'message')} to {f['boss']}",
            because="the contract (or the handover) says an escalation is answered to both escalation contacts; "
            "the contact took over the part of the one who left, the other is still on the list",
        )


def _solve(world: World, f: dict[str, Any], window: tuple[int, int], urgent: list[str]) -> list[str]:
    c = f["contact"]
    stem = f["account"].split()[0]
    reads = [
        A.api("workmail.search", query=stem),
        A.api("workmail.get", id=f["mail"]),
        A.api("sms.list"),
        A.api("crm.list_deals", query=stem),
        A.api("crm.get_deal", id=f["deal"]),
        *[A.api("crm.get_deal", id=i) for i in f["other_deals"]],
        A.api("files.read", path=f"Documents/Contracts/{f['account']} - MSA.txt")
        if f["kept_in"] == "contract"
        else A.api("chat.history", channel="general", limit=50),
        A.api("workmail.search", query="left"),
        A.api("chat.history", channel="general", limit=50),
        A.api("helpdesk.list", status="open"),
        *[A.api("helpdesk.get", id=i) for i in f["urgent"] + f["rest"]],
        A.api("calendar.list_events", start=clock.fmt_date(window[0]), end=clock.fmt_date(window[0] + clock.DAY)),
    ]
    start = _free_start(world, window)
    writes = [A.api("helpdesk.update", id=i, priority="urgent") for i in urgent]
    writes += [
        A.api(
            "crm.log_activity",
            deal_id=f["deal"],
            text=f"Escalation from {c['name']}: tickets "
            f"{', '.join(urgent)} set to urgent; call booked {clock.fmt(start)}.",
        ),
        A.api(
            "calendar.create_event",
            title=f"Call with {c['name']} ({f['account']})",
            start=clock.fmt(start),
            end=clock.fmt(start + 1800),
            attendees=[c["email"]],
        ),
        A.api(
            "workmail.reply",
            id=f["mail"],
            body=f"Dear {c['name'].split()[0]},\n\nboth tickets are now urgent "
            f"and we're on them. I've sent an invite for a call on {clock.fmt(start)}.\n\nBest regards",
            **({"cc": [f["boss"]]} if f.get("boss") else {}),
        ),
    ]
    return reads + writes + [A.api("helpdesk.list", status="open"), A.finish("Escalation handled.")]


def _free_start(world: World, window: tuple[int, int]) -> int:
    """The first half hour of the window, from its second half hour on, that clashes with nothing booked."""
    booked = [(e["start"], e["end"]) for e in world.services["calendar"].table("entries").values()]
    a, b = window
    for start in range(a + 30 * clock.MINUTE, b - 30 * clock.MINUTE + 1, 15 * clock.MINUTE):
        if not any(s < start + 1800 and start < e for s, e in booked):
            return start
    return a + 30 * clock.MINUTE  # a full window: the check asks for the window, not a free slot


def oracle(world: World, f: dict[str, Any]) -> list[str]:
    a, b = f["windows"][-1]
    return _solve(world, f, (a, b), f["urgent"])


def stale_oracle(world: World, f: dict[str, Any]) -> list[str]:
    """Does what the loudest mail asks: every ticket of the account urgent."""
    a, b = f["windows"][-1]
    return _solve(world, f, (a, b), f["urgent"] + f["rest"])


def old_list_oracle(world: World, f: dict[str, Any]) -> list[str]:
    """Goes by the deep list alone: escalates what the person who has since left asked for."""
    a, b = f["windows"][-1]
    return _solve(world, f, (a, b), f["former_asked"] or f["urgent"] + f["rest"])


FAMILY = Family(
    name="customer-escalation",
    kind="reactive",
    services=("workmail", "crm", "helpdesk", "calendar", "files", "chat", "sms", "contacts"),
    summary="For the account the escalation came from (among look-alike CRM accounts): the two tickets its "
    "authorised escalation contact named are urgent and its other tickets are not bumped (the colleague who "
    "asked for everything is not on the contract/handover list), an activity on its deal only, a call booked "
    "with the contact inside a window they still offer, and a reply to them.",
    generate=generate,
    check=check,
    oracle=oracle,
    variants=("contract", "handover"),
    tasks_per_variant=15,
    count=30,
    max_steps=60,
    tags=("conflict", "noise"),
    stale_oracle=stale_oracle,
    footprint=Footprint(
        owns=(
            Own("helpdesk.tickets", ids=("urgent", "rest")),
            Own("crm.activities", where=field_in("deal", "deal"), new=True),
            Own("crm.deals", ids=("deal",)),
        ),
        parties=("contact.email", "contact.phone", "colleague", "former", "boss", "assistant.phone"),
    ),
)
