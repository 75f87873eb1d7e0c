"""Reactive, compositional: "set everything up for the new <role> starting <day>" -- five goals.

Several offer threads for the same role sit in work mail (same subject shape): one candidate
declined, one accepted and started months ago, one accepted to start on the day named. The person
asks for: the new hire saved as a contact (their personal address from the thread, and the number
they texted later from a new phone: the thread's signature is stale), their first four weekly
catch-ups in the calendar with them invited (weekday and time from a rule written down weeks ago:
a date computed from it), the laptop they asked for in the thread added to IT's onboarding ticket
for them (one of several "New starter" tickets), a welcome in the team chat, and their checklist made
from the template in the person's files.

At difficulty 4 the offer thread is >= 30 days old, at 5 >= 60, among >= 3 same-shaped threads; there a
second hire for the same role starts the other Monday (their own open ticket, another laptop), a third
open "New starter" ticket waits for another role, the rule (worded without "1:1" or "catch-up") sits
beside a "1:1" line about the person's own meeting, and the manager (whose say on the team's weekly slots is
written in the person's note) later moves the slot in their DM, naming the hire only by when the person sent the
offer out ("re what you sent out at 10:42 on 14 October: ..."), among their same-shaped lines about other
matters (:mod:`.kit.oblique`). At 5 the rule also asks to tell the manager once they're booked.
Variants: ``report`` (the person manages the hire; the rule is a line in their own note) and
``buddy`` (the person is the hire's buddy; the rule is an aside in their manager's mail).
"""

from __future__ import annotations

import re
from typing import Any

from claw_gym import actions as A
from claw_gym import clock
from claw_gym.persona import Person
from claw_gym.plural import count
from claw_gym.tasks import Ctx, Family, Grader, Scenario, values
from claw_gym.tasks.footprint import Footprint, Own
from claw_gym.world import World

from .kit import errands, notation, oblique, plant, records, rules, senders

ROLES = ["data analyst", "backend engineer", "product designer", "account manager", "QA engineer"]
CANDIDATES = [
    "Nadia Haddad",
    "Oskar Lindgren",
    "Priya Raman",
    "Mateo Silva",
    "Lea Hoffmann",
    "Kofi Mensah",
    "Yara Nassar",
    "Jonas Weber",
    "Aiko Tanaka",
    "Ruth Okonkwo",
]
LAPTOPS = ["MacBook Pro 14", "ThinkPad X1 Carbon", "Dell XPS 15"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
TEMPLATE = (
    "# Onboarding: {{name}}\n\nRole: {{role}}\nStart date: {{start}}\n\n- [ ] badge and keys from reception\n"
    "- [ ] laptop handed over and set up\n- [ ] accounts: mail, chat, helpdesk\n- [ ] intro round with the team\n"
    "- [ ] first 1:1 booked\n- [ ] 30-day check-in\n"
)
TEMPLATE_PATH = "Documents/Templates/onboarding-checklist.md"
TEAM_CHANNELS = ["general", "standup"]


def start_day(t: int) -> str:
    """The start day as a person names it without ambiguity: "Monday the 16th" (a bare "Monday" reads
    as the coming one, while the start may be the Monday after)."""
    day = clock.to_datetime(t).day
    suffix = "th" if day in (11, 12, 13) else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{clock.to_datetime(t):%A} the {day}{suffix}"


#: HR's starter tickets all read alike, as a queue's do: who and when are in the body
SUBJECT = "New starter: equipment and accounts"
READY = "Laptop and accounts ready."


def _ask(name: str, role: str, start: int) -> str:
    """HR's ticket body for one starter (the hiring manager adds the laptop model)."""
    return (
        f"Please prepare equipment and accounts for {name}, {role}, starting {clock.fmt_date(start)}. "
        "The hiring manager adds the laptop model here."
    )


def _thread(ctx: Ctx, who: str, role: str, t: int, outcome: str, start: int, laptop: str) -> dict[str, Any]:
    """An offer mailed to a candidate and their reply (accepted with a start day, or declined)."""
    first = who.split()[0]
    email = f"{who.lower().replace(' ', '.')}@{ctx.pick(['posteo.net', 'gmx.net', 'mailbox.org', 'fastmail.com'])}"
    phone = notation.phone_number(ctx)
    subject = f"Offer: {role} at {ctx.persona.employer}"
    offer = plant.mail_out(
        ctx,
        "workmail",
        errands.office_hours(ctx, t),
        email,
        subject,
        f"Dear {first},\n\nwe're happy to offer you the {role} position, on the terms we discussed. Let me "
        f"know what start date works for you.\n\nBest,\n{ctx.persona.me.name}",
        who=who,
    )
    reply_t = t + int(ctx.rng.integers(1, 4)) * clock.DAY + int(ctx.rng.integers(1, 500)) * 60
    if outcome == "declined":
        body = (
            f"Hi,\n\nthank you so much for the offer. After a lot of thought I've decided to accept another "
            f"position, closer to home. I really enjoyed meeting the team.\n\nAll the best,\n{first}\n{phone}"
        )
    else:
        body = (
            f"Hi,\n\nthat's wonderful news - I accept! I can start on {notation.day_text(start)}. For the laptop, "
            f"I'd prefer a {laptop} if that's possible.\n\nSee you soon,\n{who}\n{phone}"
        )
    reply = plant.mail_in(
        ctx, "workmail", reply_t, email, f"Re: {subject}", body, who=who, read=True, in_reply_to=offer["id"]
    )
    mid = reply["id"]
    return {
        "name": who,
        "email": email,
        "phone": phone,
        "laptop": laptop,
        "start": start,
        "reply": mid,
        "sent": offer["time"],
    }


def generate(ctx: Ctx) -> Scenario:
    d = ctx.difficulty
    role = ctx.pick(ROLES)
    people = ctx.sample(CANDIDATES, 6)
    start = ctx.next_weekday(0, 9) + (7 * clock.DAY if ctx.rng.random() < 0.5 else 0)
    back = {4: 35, 5: 65}.get(d, 12)  # the reply comes 1-4 days after the offer
    offered = ctx.now - (back + int(ctx.rng.integers(0, 10))) * clock.DAY - int(ctx.rng.integers(1, 600)) * 60
    laptop = ctx.pick(LAPTOPS)
    hire = _thread(ctx, people[0], role, offered, "accepted", start, laptop)
    others = []
    n_other = 1 if d <= 2 else (2 if d == 3 else 3)
    for k, who in enumerate(people[1 : 1 + n_other]):
        t = offered + int(ctx.rng.integers(-12, 6)) * clock.DAY - int(ctx.rng.integers(1, 600)) * 60
        if k == 1:  # accepted, started months ago
            early = ctx.now - int(ctx.rng.integers(20, 60)) * clock.DAY
            t = min(t, early - 20 * clock.DAY)
            others.append(
                _thread(ctx, who, role, t, "accepted", clock.day_start(early) + 9 * clock.HOUR, ctx.pick(LAPTOPS))
            )
        else:
            others.append(_thread(ctx, who, role, min(t, ctx.now - 2 * clock.DAY), "declined", 0, ""))
    # from difficulty 4 a second hire for the same role starts the other Monday: the day named decides
    twin = None
    if d >= 4:
        t_twin = offered + int(ctx.rng.integers(-6, 7)) * clock.DAY - int(ctx.rng.integers(1, 600)) * 60
        other_start = start + (7 if start < ctx.next_weekday(0, 9) + clock.DAY else -7) * clock.DAY
        twin = _thread(ctx, people[4], role, t_twin, "accepted", other_start, ctx.pick(_other_laptops(laptop)))
    # the hire texts from a new phone, weeks later (another channel, no marker; from difficulty 4 without the day)
    new_phone = notation.phone_number(ctx)
    plant.sms(
        ctx,
        ctx.now - int(ctx.rng.integers(2, 6)) * clock.DAY - int(ctx.rng.integers(1, 600)) * 60,
        new_phone,
        f"Hi, it's {hire['name'].split()[0]} - I've switched phones, this is my number now. Looking forward to "
        + ("starting!" if twin else f"{start_day(start)}!"),
        who="",
    )
    _, hr = senders.staff(ctx, "hr")  # HR files starters as one of its people
    ticket = plant.ticket(
        ctx,
        errands.office_hours(ctx, ctx.now - int(ctx.rng.integers(2, 9)) * clock.DAY),
        SUBJECT,
        hr,
        _ask(hire["name"], role, start),
    )["id"]
    tickets = [ticket]
    for o in others:
        if o["start"]:
            done = plant.ticket(
                ctx,
                errands.office_hours(ctx, o["start"] - 9 * clock.DAY),
                SUBJECT,
                hr,
                _ask(o["name"], role, o["start"]),
                status="solved",
                comments=[(o["start"] - 5 * clock.DAY, f"Laptop: {o['laptop']}"), (o["start"] - 2 * clock.DAY, READY)],
            )
            done["comments"][0]["public"] = False  # the hiring manager's note to IT
            tickets.append(done["id"])
    untouched: list[str] = []  # open tickets of other starters (from difficulty 4): same shape, nobody's comment yet
    if twin is not None:
        upcoming = [(twin["name"], role, twin["start"]), (people[5], ctx.pick([r for r in ROLES if r != role]), start)]
        for name, their_role, when in upcoming:
            untouched.append(
                plant.ticket(
                    ctx,
                    errands.office_hours(ctx, ctx.now - int(ctx.rng.integers(2, 9)) * clock.DAY),
                    SUBJECT,
                    hr,
                    _ask(name, their_role, when),
                )["id"]
            )
    wd, hh, mm = int(ctx.rng.integers(0, 5)), int(ctx.rng.integers(9, 17)), int(ctx.pick([0, 15, 30, 45]))
    signer = _rule(ctx, wd, hh, mm, role, offered)
    word, written = "", (wd, hh, mm)
    if d >= 4:  # the slot moved later, by the manager's word naming the hire's offer only by when it went out
        wd, hh, mm, word = _moved(ctx, wd, hh, mm, hire["sent"])
    first = start + ((wd - clock.weekday(start)) % 7) * clock.DAY
    first = clock.day_start(first) + hh * clock.HOUR + mm * clock.MINUTE
    slots = [first + k * 7 * clock.DAY for k in range(4)]
    plant.file(ctx, plant.jitter(ctx, ctx.now - 88 * clock.DAY), TEMPLATE_PATH, TEMPLATE)
    before = records.ids_now(ctx, ("calendar", "entries"), ("contacts", "people"), ("files", "files"))
    instruction = ctx.pick(
        [
            "Set everything up for the new {role} starting {day}: save them as a contact, put our first four "
            "weekly catch-ups in my calendar with them invited, add the laptop they want to IT's ticket for them, "
            "welcome them in the team chat, and make their checklist from my template into Documents/Onboarding/.",
            "Our new {role} starts {day}. Please add them to my contacts, book the first four weekly catch-ups "
            "with them (invite them), tell IT on the onboarding ticket which laptop they asked for, post a welcome "
            "in the team chat and create their onboarding checklist in Documents/Onboarding/ from my template.",
        ]
    ).format(role=role, day=start_day(start))
    return Scenario(
        instruction,
        {
            "hire": hire,
            "new_phone": new_phone,
            "work_email": f"{hire['name'].lower().replace(' ', '.')}@{ctx.persona.work_domain}",
            "others": others,
            "other_names": [o["name"] for o in others] + ([twin["name"]] if twin else []),
            "ticket": ticket,
            "tickets": tickets,
            "untouched": untouched,
            "twin": twin["name"] if twin else "",
            "slots": slots,
            "rule": [DAYS[wd], f"{hh:02d}:{mm:02d}"],
            "moved": d >= 4,
            "word": word,
            "tell": {"email": signer.email, "phone": signer.phone, "dm": oblique.dm_channel(signer.first)}
            if d >= 5
            else {"email": None, "phone": None, "dm": None},
            "written": [DAYS[written[0]], f"{written[1]:02d}:{written[2]:02d}"],
            "role": role,
            "start": start,
            "t0": ctx.now,
            "channels": TEAM_CHANNELS,
            "before": before,
        },
    )


def _rule(ctx: Ctx, wd: int, hh: int, mm: int, role: str, t: int) -> Person:
    """Where the catch-up rule is written: the person's own note, or an aside in their manager's mail; worded
    without "1:1" or "catch-up". From difficulty 4 a line that does say "1:1" is about the person's own
    meeting with their manager (it doesn't apply)."""
    when = f"{DAYS[wd]}s at {hh:02d}:{mm:02d}"
    lead = ctx.persona.by_relation("manager")[0]
    tell = ""  # level 5: the manager asks to hear once they're booked
    if ctx.difficulty >= 5:
        tell = (
            f" - tell {lead.first} once they're in the calendar"
            if ctx.variant == "report"
            else " Let me know once they're in your calendar."
        )
    decoy = []
    if ctx.difficulty >= 4:
        other = f"{DAYS[(wd + 2) % 5]}s {(hh + 3) % 8 + 9:02d}:{ctx.pick(['00', '30'])}"
        decoy = [f"my own 1:1 with {lead.first} is on {other} now, 30 min"]
        # whose word counts on the team's weekly slots, written before it comes (session 32)
        decoy.append(f"the team's weekly slots: {lead.first} has the last word on days and times (planning)")
    if ctx.variant == "report":
        plant.note(
            ctx,
            rules.minute(ctx, t - int(ctx.rng.integers(15, 40)) * clock.DAY),
            "Running list",
            errands.bury(
                ctx,
                [f"new people on my team: half an hour with me every week, {when}, from week one{tell}", *decoy],
            ),
        )
        return lead
    boss = ctx.pick(ctx.persona.by_relation("manager"))
    plant.mail_in(
        ctx,
        "workmail",
        errands.office_hours(ctx, t - int(ctx.rng.integers(10, 30)) * clock.DAY),
        boss.email,
        f"Hiring the {role}",
        f"Hi {ctx.persona.me.first},\n\nthanks for sitting in on the interviews. Once we have someone, would you "
        f"be their buddy? The usual: half an hour with them every week, {when}, from their first week on - that "
        f"slot works for the whole team.{tell} Also keep an eye on the budget sheet, I'll share it Friday.\n\n"
        f"{boss.first}",
        read=True,
    )
    if decoy:
        plant.note(
            ctx,
            rules.minute(ctx, t - int(ctx.rng.integers(5, 25)) * clock.DAY),
            "Running list",
            errands.bury(ctx, decoy),
        )
    return boss


def _moved(ctx: Ctx, wd: int, hh: int, mm: int, sent: int) -> tuple[int, int, int, str]:
    """The manager's later word moving the hire's weekly slot, in their DM among their same-shaped lines about
    other matters; it names the hire only by when the person sent the offer out ("re what you sent out at
    10:42 on 14 October: ..."), and no topic word a search would try. The new weekday, hour, minute and the
    line's message id."""
    boss = ctx.persona.by_relation("manager")[0]
    nwd = (wd + int(ctx.rng.integers(1, 5))) % 5
    nhh, nmm = int(ctx.rng.integers(9, 17)), int(ctx.pick([0, 15, 30, 45]))
    line = (
        f"re {oblique.sent_out('offer', sent)}: their half hour each week is {DAYS[nwd]}s {nhh:02d}:{nmm:02d}, "
        "planning takes the old slot"
    )
    t = errands.office_hours(ctx, ctx.now - int(ctx.rng.integers(3, 8)) * clock.DAY)
    msg = oblique.word_in_dm(ctx, boss.name, boss.first, t, line, oblique.sent_out, pool=oblique.PLAIN)
    return nwd, nhh, nmm, msg


def check(world: World, f: dict[str, Any], g: Grader) -> None:
    hire, b = f["hire"], f["before"]
    mine = {hire["email"].lower(), f["work_email"].lower()}
    people = errands.new_rows(world, "contacts", "people", b["contacts.people"])
    named = [p for p in people if notation.squash(p["name"]) == notation.squash(hire["name"])]
    good = [
        p
        for p in named
        if p["email"].lower() in mine and notation.norm_phone(p["phone"]) == notation.norm_phone(f["new_phone"])
    ]
    g.expect(
        f"{hire['name']} is a contact with their address and new number",
        bool(good),
        "; ".join(f"{p['name']} {p['email']} {p['phone']}" for p in named) or "no such contact",
        because="the instruction asks to save the hire; the offer thread gives the address, their later text "
        "comes from the new number",
    )
    cal = errands.new_rows(world, "calendar", "entries", b["calendar.entries"])
    invited = [r for r in cal if mine & {a.lower() for a in r.get("attendees", [])}]
    at = {r["start"] for r in invited}
    missing = [clock.fmt(s) for s in f["slots"] if s not in at]
    g.expect(
        "the first four weekly catch-ups are booked with the hire invited",
        not missing,
        f"{count(len(invited), 'entry', 'entries')} inviting them at "
        f"{', '.join(sorted(clock.fmt(s) for s in at)) or '-'}; missing {', '.join(missing) or 'none'}",
        because=f"the instruction asks for four weekly catch-ups; the rule says {f['rule'][0]}s at {f['rule'][1]} "
        "from their first week" + ("" if not f.get("moved") else " (as the manager's later word in their DM moved it)"),
    )
    stray = sorted(clock.fmt(s) for s in at - set(f["slots"]))
    g.expect(
        "no catch-up at another time",
        not stray,
        ", ".join(stray) or "none",
        because="the rule names one weekday and time",
    )
    tickets = world.services["helpdesk"].table("tickets")
    got = [c["text"] for c in tickets[f["ticket"]]["comments"]]
    said = [t for t in got if notation.squash(hire["laptop"]) in notation.squash(t)]
    hedge = [t for t in said if any(notation.squash(x) in notation.squash(t) for x in _other_laptops(hire["laptop"]))]
    g.expect(
        "IT's onboarding ticket for the hire names the laptop they asked for",
        bool(said) and not hedge,
        f"{count(len(got), 'comment')} on {f['ticket']}, {len(said)} naming {hire['laptop']}",
        because="the instruction asks to tell IT on the ticket; the hire's reply names the laptop",
    )
    wrong = [i for i in f["tickets"][1:] if len(tickets[i]["comments"]) != 2 or tickets[i]["status"] != "solved"]
    wrong += [i for i in f.get("untouched", []) if tickets[i]["comments"]]
    g.expect(
        "other starters' tickets are left alone",
        not wrong,
        ", ".join(wrong) or "none",
        because="the other tickets are for other people",
    )
    posts = [m for m in errands.said_to(world, [], f["t0"], f["channels"]) if _names(m.text, hire["name"])]
    tell = f["tell"]
    if tell["email"]:
        told = errands.said_to(world, [tell["email"], tell["phone"]], f["t0"], [tell["dm"]])
        g.expect(
            "the manager heard that the catch-ups are booked",
            bool(told),
            f"{count(len(told), 'message')} to them",
            because="the rule that sets the weekly slot asks to tell the manager once they're in the calendar",
        )
    g.expect(
        "the hire is welcomed in the team chat",
        bool(posts),
        f"{count(len(posts), 'post')} naming {hire['name']}",
        because="the instruction asks for a welcome in the team chat (#general or #standup)",
    )
    made = [
        r
        for r in errands.new_rows(world, "files", "files", b["files.files"])
        if r["path"].startswith("Documents/Onboarding/")
    ]
    filled = [
        r
        for r in made
        if _names(r["content"], hire["name"])
        and "{{" not in r["content"]
        and clock.fmt_date(f["start"]) in values.date_values(r["content"], f["start"])
    ]
    g.expect(
        "the checklist is made from the template with the hire's name and start date",
        bool(filled),
        "; ".join(r["path"] for r in made) or "no file in Documents/Onboarding/",
        because="the instruction asks for their checklist from the template (it has name and start date to fill)",
    )


def _other_laptops(laptop: str) -> list[str]:
    return [x for x in LAPTOPS if x != laptop]


def _names(text: str, name: str) -> bool:
    first = re.escape(name.split()[0].lower())
    return notation.squash(name) in notation.squash(text) or re.search(rf"\b{first}\b", text.lower()) is not None


def _solve(world: World, f: dict[str, Any], phone: str) -> list[str]:
    hire = f["hire"]
    first = hire["name"].split()[0]
    reads = [A.api("workmail.search", query="Offer")]
    reads += [A.api("workmail.get", id=o["reply"]) for o in f["others"]] + [A.api("workmail.get", id=hire["reply"])]
    reads += [
        A.api("sms.list"),
        A.api("notes.list", query="1:1") if "notes" in world.services else A.api("workmail.search", query="buddy"),
        A.api("workmail.search", query="catch-up"),
        A.api("helpdesk.list", status="open"),
        A.api("helpdesk.get", id=f["ticket"]),
        A.api("files.read", path=TEMPLATE_PATH),
        A.api("chat.list_channels"),
        A.api(
            "calendar.list_events", start=clock.fmt_date(f["slots"][0]), end=clock.fmt_date(f["slots"][-1] + clock.DAY)
        ),
    ]
    start = clock.fmt_date(f["start"])
    checklist = notation.fill_template(TEMPLATE, name=hire["name"], role=f["role"], start=start)
    writes = [A.api("contacts.create", name=hire["name"], email=hire["email"], phone=phone, company="new " + f["role"])]
    writes += [
        A.api(
            "calendar.create_event",
            title=f"Catch-up {first}",
            start=clock.fmt(s),
            end=clock.fmt(s + 1800),
            attendees=[hire["email"]],
        )
        for s in f["slots"]
    ]
    writes += [
        A.api(
            "helpdesk.comment", id=f["ticket"], text=f"Laptop for {first}: {hire['laptop']}, as requested.", public=True
        ),
        A.api(
            "chat.post",
            channel="general",
            text=f"Please welcome {hire['name']}, our new {f['role']}, who starts {start}!",
        ),
        A.api(
            "files.write", path=f"Documents/Onboarding/{hire['name'].replace(' ', '-').lower()}.md", content=checklist
        ),
    ]
    if f["tell"]["email"]:
        writes.append(
            A.api("workmail.send", to=[f["tell"]["email"]], subject=f"{first}", body="The first four are booked.")
        )
    return reads + writes + [A.finish(f"{first} is set up.")]


def oracle(world: World, f: dict[str, Any]) -> list[str]:
    return _solve(world, f, f["new_phone"])


def stale_oracle(world: World, f: dict[str, Any]) -> list[str]:
    """Saves the number from the offer thread's signature, not the one they texted from since."""
    return _solve(world, f, f["hire"]["phone"])


FAMILY = Family(
    name="new-hire-setup",
    kind="reactive",
    services=("workmail", "contacts", "calendar", "helpdesk", "chat", "files", "sms", "notes"),
    summary="For the candidate who accepted to start on the day named (among same-shaped offer threads): a contact "
    "with their address and latest number, four weekly catch-ups at the written rule's weekday and time with them "
    "invited, their laptop on their onboarding ticket only, a welcome in the team chat, and their checklist filled "
    "from the template under Documents/Onboarding/.",
    generate=generate,
    check=check,
    oracle=oracle,
    variants=("report", "buddy"),
    tasks_per_variant=15,
    count=30,
    max_steps=60,
    tags=("conflict", "noise"),
    stale_oracle=stale_oracle,
    footprint=Footprint(
        owns=(
            Own("helpdesk.tickets", ids=("ticket",)),
            Own("files.files", where=lambda r, f: str(r.get("path", "")).startswith("Documents/Onboarding/"), new=True),
        ),
        parties=("hire.email", "work_email", "new_phone", "tell.email", "tell.phone"),
        channels=("channels", "tell.dm"),
    ),
)
