"""Proactive day: inbound leads arrive; qualify each by the team's written rule and act by its own time.

Nobody asks. The team's rule (``inbound``: a line in the person's running note; ``referral``: the
manager's reply in #sales) says which leads qualify (a territory and a minimum budget), and what a
qualified lead gets: its CRM deal (every lead lands in the CRM at 'lead' stage) moved to 'qualified'
with their budget as amount, a 30-minute demo on one of the next two working days between 09:00 and
17:00 where the calendar is free (the lead invited), and the company's name in #sales; the others
get a friendly note that a partner will contact them, and their deal is marked lost. Later the
territory is widened through another channel (a chat line for the note's rule, a mail for the chat
rule): the later word wins. Leads arrive over the day (``inbound`` by mail, ``referral`` posted in
#sales by colleagues), each asking for an answer by a time. From difficulty 4 one qualifying company
also has an old lost deal from months ago: the new lead's deal is the one. At difficulty 4-5 the
rule sits >= 30 / >= 60 days back among other rule-like lines, worded without "inbound"/"rule"; the
widening answers a colleague's question; an expired same-keyword campaign rule does not apply; the
leads write each their own way (a city for the country, the budget in thousands or per quarter).
At 4-5 (session 31) the rule also says the manager has the last word on any single lead, and a while after
the third lead (in the territory, under the money line) came in, the manager takes it in their DM with the
person: "re the demo request that came in at 10:42: that one's ours", naming no company, person or amount,
among same-shaped lines about other matters (:mod:`.kit.oblique`). That lead is qualified.
"""

from __future__ import annotations

from typing import Any

from claw_gym import actions as A
from claw_gym import clock
from claw_gym.tasks import Ctx, Family, Grader, Scenario
from claw_gym.tasks.footprint import Footprint, Own, field_in
from claw_gym.world import World

from .kit import arrivals, checks, day, oblique, plant, records

COMPANIES = [
    "Arcwell Systems",
    "Birchway Health",
    "Cobalt Freight",
    "Dunmore Retail",
    "Eastlake Foods",
    "Fernhill Energy",
    "Granite Insurance",
    "Harbor Textiles",
    "Ironbridge Labs",
    "Jasper Media",
]
PEOPLE = ["Anja Keller", "Bram de Vries", "Camille Roux", "Diego Marin", "Elin Sand", "Felix Huber"]
PEOPLE += ["Greta Olsen", "Henrik Lund", "Ilse Maes", "Jakub Nowak", "Karin Vogel", "Luis Prado"]
TERRITORY = {
    "DACH": ["Germany", "Austria", "Switzerland"],
    "the Nordics": ["Sweden", "Norway", "Denmark", "Finland"],
}
WIDER = ("Benelux", ["Netherlands", "Belgium", "Luxembourg"])
OUTSIDE = ["France", "Spain", "Italy", "Poland", "Portugal", "Ireland"]
CHATTER = [
    "pricing page changes go live next Monday, don't quote the old tiers after that",
    "if a lead asks for a trial longer than 14 days, loop in Ravi",
    "discounts above 15% need the VP's ok",
    "conference leads from last week are in the shared sheet",
    "please log calls on the deal, not in your own notes",
]
BLOCKS = ["Pipeline review", "Customer call", "Interview", "Team sync", "Lunch", "Focus time"]


def _working_days(t: int, n: int) -> list[int]:
    """Midnights of the ``n`` working days after the day of ``t``."""
    out: list[int] = []
    d = clock.day_start(t)
    while len(out) < n:
        d += clock.DAY
        if clock.weekday(d) < 5:
            out.append(d)
    return out


#: where people say they are (at 4-5 some leads name their city, not the country)
CITIES = {
    "Germany": "Leipzig",
    "Austria": "Graz",
    "Switzerland": "Basel",
    "Sweden": "Gothenburg",
    "Norway": "Bergen",
    "Denmark": "Aarhus",
    "Finland": "Tampere",
    "Netherlands": "Eindhoven",
    "Belgium": "Leuven",
    "Luxembourg": "Luxembourg City",
    "France": "Lyon",
    "Spain": "Valencia",
    "Italy": "Turin",
    "Poland": "Krakow",
    "Portugal": "Porto",
    "Ireland": "Cork",
}


def _lead_mail(ctx: Ctx, lead: dict[str, Any], hard: bool) -> tuple[str, str]:
    """A demo request; at 4-5 written each its own way (the country or a city of it, the budget in full, in
    thousands, or per quarter for a year), the deadline anywhere in it."""
    name, company, country, budget = lead["name"], lead["company"], lead["country"], lead["budget"]
    by = clock.fmt(lead["by"])[-5:]
    if not hard:
        return (
            f"Demo request - {company}",
            f"Hi,\n\nI'm {name} at {company} ({country}). We are looking for a tool for our team, with a budget "
            f"of around EUR {budget:,}. Could we see a demo? Please get back to me by {by} today.\n\nBest,\n{name}",
        )
    where = ctx.pick([f"in {country}", f"in {CITIES[country]}", f"from our {CITIES[country]} office"])
    money = [f"about EUR {budget:,}", f"roughly {budget // 1000}k euros"]
    if budget % 4000 == 0:
        money.append(f"EUR {budget // 4:,} a quarter for the first year")
    spend = ctx.pick(money)
    first = name.split()[0]
    forms = [
        (
            f"{company} - looking at tools",
            f"Hello,\n\nwe're a team {where} and have set aside {spend} for this. Would you have time to show us "
            f"the product? An answer by {by} would help, we decide this afternoon.\n\n{first}\n{company}",
        ),
        (
            "Question about a demo",
            f"Hi there,\n\n{name} here, {company}. Could you get back to me by {by}? We'd like a demo - "
            f"we're {where}, and the budget is {spend}.\n\nThanks,\n{first}",
        ),
        (
            f"Demo for {company}?",
            f"Good morning,\n\nI lead operations at {company} ({where}). Our budget for a new tool: {spend}. "
            f"Can we book a short demo? Please reply before {by}.\n\nKind regards,\n{name}",
        ),
    ]
    return ctx.pick(forms)


def _referral(ctx: Ctx, lead: dict[str, Any], hard: bool) -> str:
    """A colleague's referral line; at 4-5 in one of several shapes (city or country, budget in any form)."""
    name, email, company, country, budget = (lead[k] for k in ("name", "email", "company", "country", "budget"))
    by = clock.fmt(lead["by"])[-5:]
    if not hard:
        return (
            f"referral from a customer: {name} ({email}) at {company}, {country}, budget about {budget // 1000}k, "
            f"wants a demo - they asked to hear back by {by}"
        )
    where = ctx.pick([country, CITIES[country]])
    return ctx.pick(
        [
            f"one of our customers passed on {name} from {company} ({where}) - {email}. they'd like a demo and "
            f"have about {budget // 1000}k; they want to hear from us by {by}",
            f"{company} ({where}) wants to see the product, contact is {name}, {email}. they mentioned EUR "
            f"{budget:,} to spend. asked for an answer before {by}",
            f"referral: {email} ({name}, {company}). based in {where}, budget {budget // 1000}k. reply by {by} please",
        ]
    )


def _qualifies(lead: dict[str, Any], countries: list[str], minimum: int) -> bool:
    return lead["country"] in countries and lead["budget"] >= minimum


#: levels 4-5: the manager's word on one lead, in their DM (:func:`.kit.oblique.boss_takes`)
TAKES = [
    "that one's ours, I know the people there - treat it as qualified",
    "we take that one ourselves, whatever the money line says",
    "don't pass that one to the partner, it's ours - I'll explain later",
]


def generate(ctx: Ctx) -> Scenario:
    boss = ctx.person("manager")
    mates = [p for p in ctx.persona.people if p.relation == "colleague"]
    terr = ctx.pick(list(TERRITORY))
    minimum = ctx.pick([20_000, 25_000, 30_000, 40_000])
    hard = ctx.difficulty >= 4
    how = (
        "move their deal to qualified (their budget as amount), book a 30-min demo on one of the next two working "
        "days, 09:00-17:00, where my calendar is free (invite them), and drop the company name in #sales. "
        "Everyone else gets a friendly note that a partner will contact them, and their deal goes to lost"
    )
    if hard:  # worded as people write it: no "inbound", no "rule"; the widening a reply in a thread
        rule = f"anyone from {terr} with EUR {minimum:,} or more to spend is ours - {how}"
        # whose word settles a single lead (session 31): the manager's, written with the rule
        rule += (
            f". {boss.first} has the last word on any single lead"
            if ctx.variant == "inbound"
            else ". I have the last word on any single lead"
        )
        widen = f"ours from now on - {WIDER[0]} too, same money line"
    else:
        rule = f"inbound leads: {terr} with a budget of at least EUR {minimum:,} are ours - {how}"
        widen = f"small change to the inbound rule: {WIDER[0]} is ours now too, same budget line"
    back = day.days_back(ctx)
    t_rule, t_widen = day.past(ctx, back + int(ctx.rng.integers(4, 10))), day.past(ctx, back)
    for k, line in enumerate(ctx.sample(CHATTER, 2 + ctx.difficulty // 2)):
        plant.chat(ctx, day.past(ctx, int(ctx.rng.integers(2, 85))), "sales", mates[k % len(mates)].name, line)
    if hard:  # a same-keyword line that has expired: the campaign weeks' lower budget line
        until = day.past(ctx, back + int(ctx.rng.integers(12, 20)))
        plant.chat(
            ctx,
            until - 21 * clock.DAY,
            "sales",
            boss.name,
            f"inbound leads rule for the campaign weeks only (until {clock.to_datetime(until):%d %b}): {terr} "
            f"leads from EUR {minimum - 15_000:,} count as ours, then back to normal",
        )
    city = ctx.pick(["Rotterdam", "Antwerp", "Utrecht", "Ghent"])
    if ctx.variant == "inbound":
        day.note_with_line(ctx, rule, t_rule, extra=3 + ctx.difficulty // 2)
        if hard:
            asker = mates[0].name
            plant.chat(
                ctx,
                t_widen - int(ctx.rng.integers(15, 80)) * clock.MINUTE,
                "sales",
                asker,
                f"someone from {city} asked for a demo, do we take them or pass to the partner?",
            )
        plant.chat(ctx, t_widen, "sales", boss.name, widen)
    else:
        plant.chat(ctx, t_rule, "sales", boss.name, rule)
        if hard:
            asker = mates[0].name
            plant.chat(
                ctx,
                t_widen - int(ctx.rng.integers(60, 180)) * clock.MINUTE,
                "sales",
                asker,
                f"someone from {city} asked for a demo, do we take them or pass to the partner?",
            )
            plant.mail_in(
                ctx,
                "workmail",
                t_widen,
                boss.email,
                ctx.pick(["Quick one", "Re: this morning", "FYI"]),
                f"Hi all,\n\nre {asker.split()[0]}'s question in the channel this morning: {widen}.\n\n{boss.first}",
            )
        else:
            plant.mail_in(ctx, "workmail", t_widen, boss.email, "Inbound leads", f"Hi all,\n\n{widen}.\n\n{boss.first}")
    countries = TERRITORY[terr] + WIDER[1]
    n = max(2, 1 + ctx.difficulty)
    names, companies = ctx.sample(PEOPLE, n), ctx.sample(COMPANIES, n)
    shapes = [
        (ctx.pick(TERRITORY[terr]), minimum + int(ctx.rng.integers(2, 40)) * 1000),
        (ctx.pick(WIDER[1]), minimum + int(ctx.rng.integers(2, 40)) * 1000),
        (ctx.pick(TERRITORY[terr]), minimum - int(ctx.rng.integers(3, 12)) * 1000),
        (ctx.pick(OUTSIDE), minimum + int(ctx.rng.integers(10, 60)) * 1000),
        (ctx.pick(TERRITORY[terr]), minimum + int(ctx.rng.integers(5, 50)) * 1000),
        (ctx.pick(WIDER[1]), minimum - int(ctx.rng.integers(2, 8)) * 1000),
    ]
    ts = day.slots(ctx, n, gap_min=(25, 60))
    leads = []
    for k in range(n):
        country, budget = shapes[k]
        name, company = names[k], companies[k]
        email = f"{name.split()[0].lower()}.{name.split()[-1].lower()}@{company.split()[0].lower()}.example"
        by = day.clock_time(ts[k], after_min=150 - 15 * ctx.difficulty)
        lead = {"name": name, "company": company, "email": email, "country": country, "budget": budget}
        lead |= {"at": ts[k], "by": by, "old": ""}
        lead["qualified"] = _qualifies(lead, countries, minimum)
        if k == 4:  # the same company's old deal, lost months ago: not the one to update
            lost = plant.deal(
                ctx,
                day.past(ctx, int(ctx.rng.integers(100, 140))),
                company,
                f"{company} - pilot",
                "lost",
                float(budget // 2),
                email,
                day.past(ctx, 70),
            )
            lead["old"] = lost["id"]
        lead["deal"] = day.arrive_deal(ctx, ts[k], company, f"{company} - inbound", email, ctx.at(45, 17))
        if ctx.variant == "inbound":
            subject, body = _lead_mail(ctx, lead, hard)
            lead["msg"] = arrivals.arrive_mail(ctx, "workmail", ts[k], email, subject, body)
        else:
            mate = mates[k % len(mates)]
            lead["msg"] = day.arrive_chat(ctx, ts[k], "sales", mate.name, _referral(ctx, lead, hard))
        leads.append(lead)
    dm, heard = "", None
    if hard:  # the manager takes one lead under the money line in a DM, by when it came in (session 31)
        lead = leads[2]
        t = lead["at"] + int(ctx.rng.integers(10, 20)) * clock.MINUTE + int(ctx.rng.integers(0, 60))
        thing = "demo request" if ctx.variant == "inbound" else "lead"  # not every referral line says "referral"
        said = oblique.boss_takes(ctx, boss, thing, lead["at"], t, TAKES)
        dm = said["dm"]
        lead |= {"qualified": True, "heard": t, "dm_msg": said["msg"]}
        heard = {"lead": 2, "at": t, "msg": said["msg"], "text": said["line"]}
    days = _working_days(ctx.now, 2)
    cal = ctx.svc("calendar")
    for d in days:  # the person's own meetings on the demo days (attendees as the background has them)
        for _ in range(2 + ctx.difficulty):
            s = d + int(ctx.rng.integers(9 * 2, 16 * 2)) * 30 * clock.MINUTE  # on the half hour, as meetings are
            cal.add(
                ctx.pick(BLOCKS),
                s,
                s + ctx.pick([30, 45, 60, 90]) * clock.MINUTE,
                attendees=[ctx.pick(mates).email],
                location="",
            )
    last = max(lead["by"] for lead in leads)
    return Scenario(
        None,
        {
            "trigger_at": ts[0],
            "leads": leads,
            "days": days,
            "countries": countries,
            "old_countries": TERRITORY[terr],
            "minimum": minimum,
            "rule_at": [t_rule, t_widen],
            "deal_ids": [lead["deal"] for lead in leads],
            "emails": [lead["email"] for lead in leads],
            "channel": "sales",
            "source": "mail" if ctx.variant == "inbound" else "chat",
            "dm": dm,
            "heard": heard,
            "before": records.ids_now(ctx, ("crm", "deals"), ("calendar", "entries")),
        },
        deadline=last + clock.MINUTE,
        trigger=f"{n} leads from {clock.fmt(ts[0])}; qualified: "
        f"{', '.join(lead['company'] for lead in leads if lead['qualified'])}",
    )


WHY = "the team's inbound rule (widened later through another channel) says"


def _demo_ok(r: dict[str, Any], f: dict[str, Any], rows: list[dict]) -> bool:
    d = clock.day_start(r["start"])
    return (
        d in f["days"]
        and r["start"] >= d + 9 * clock.HOUR
        and r["end"] <= d + 17 * clock.HOUR
        and r["end"] - r["start"] >= 30 * clock.MINUTE
        and not checks.overlapping([x for x in rows if x["id"] != r["id"]], r["start"], r["end"])
    )


def check(world: World, f: dict[str, Any], g: Grader) -> None:
    deals = world.services["crm"].table("deals")
    made = {e.args.get("title", "") for e in world.audit.calls("calendar.create_event")}
    rows = checks.calendar_rows(world, with_pending=True)
    me = world.persona.me.name if world.persona else ""
    posts = [
        m
        for m in world.services["chat"].table("messages").values()
        if m["channel"] == "sales" and m["time"] >= f["trigger_at"] and m["sender"] == me
    ]
    for lead in f["leads"]:
        co, by = lead["company"], clock.fmt(lead["by"])[-5:]
        deal = deals.get(lead["deal"], {"stage": "not arrived", "amount": 0.0})
        demos = [r for r in rows if lead["email"] in r.get("attendees", []) and r["title"] in made]
        why = WHY
        if lead.get("heard"):
            why = (
                "the manager took this lead in a DM, referring to when it came in (the rule gives them the last "
                "word on any single lead); the rule says"
            )
        if lead["qualified"]:
            g.expect(
                f"{co}'s deal is qualified at EUR {lead['budget']:,}",
                deal["stage"] == "qualified" and abs(deal["amount"] - lead["budget"]) < 1,
                f"{lead['deal']} {deal['stage']} {deal['amount']:,.0f}",
                because=f"{why} qualifying leads' deals move to qualified with their budget as amount",
            )
            sent = day.done_between(
                world,
                "calendar.create_event",
                lead["at"],
                lead["by"],
                day.arg_has("attendees", lead["email"]),
            )
            g.expect(
                f"{co} is invited to a 30-minute demo in a free slot on the next two working days, by {by}",
                len(demos) == 1 and _demo_ok(demos[0], f, rows) and bool(sent),
                "; ".join(f"{r['title']!r} {clock.fmt(r['start'])}-{clock.fmt(r['end'])[-5:]}" for r in demos)
                or "no demo",
                because=f"{why} to book a demo there; the lead asks to hear back by {by}",
            )
            said = [m for m in posts if co.split()[0].lower() in m["text"].lower() and m["time"] <= lead["by"]]
            g.expect(
                f"{co} is named in #sales by {by}",
                bool(said),
                f"{len(said)} posts naming them",
                because=f"{why} to drop the company name in #sales",
            )
        else:
            told = day.reached_between(world, [lead["email"]], lead["at"], lead["by"])
            g.expect(
                f"{co} got a note by {by}, their deal is lost, and no demo",
                bool(told) and deal["stage"] == "lost" and not demos,
                f"{'; '.join(told) or 'not reached in time'}; deal {deal['stage']}; {len(demos)} demos",
                because=f"{why} leads outside the territory or under the budget line get a friendly note and their "
                f"deal goes to lost; the lead asks to hear back by {by}",
            )


def _slots(world: World, f: dict[str, Any], n: int) -> list[int]:
    rows, out = checks.calendar_rows(world, with_pending=True), list[int]()
    for d in f["days"]:
        t = d + 9 * clock.HOUR
        while t + 30 * clock.MINUTE <= d + 17 * clock.HOUR and len(out) < n:
            taken = [{"start": s, "end": s + 30 * clock.MINUTE} for s in out]
            if not checks.overlapping(rows + taken, t, t + 30 * clock.MINUTE):
                out.append(t)
            t += 30 * clock.MINUTE
    return out


def _plan(world: World, f: dict[str, Any], qualified: list[bool]) -> list[str]:
    chat_src = f["source"] == "chat"
    slots = iter(_slots(world, f, sum(qualified)))
    steps: list[tuple[int, list[str]]] = [(world.clock.now, [A.api("notes.list", query="leads")])]
    for lead, q in zip(f["leads"], qualified):
        if chat_src:
            acts = [A.api("chat.history", channel="sales", limit=5)]
        else:
            acts = [A.api("workmail.get", id=lead["msg"])]
        acts.append(A.api("crm.list_deals", query=lead["company"].split()[0]))
        if q:
            s = next(slots)
            acts += [
                A.api("crm.update_deal", id=lead["deal"], stage="qualified", amount=float(lead["budget"])),
                A.api("calendar.find_free", date=clock.fmt_date(s), minutes=30),
                A.api(
                    "calendar.create_event",
                    title=f"Demo - {lead['company']}",
                    start=clock.fmt(s),
                    end=clock.fmt(s + 30 * clock.MINUTE),
                    attendees=[lead["email"]],
                ),
                A.api("chat.post", channel="sales", text=f"{lead['company']} qualified, demo booked"),
            ]
        else:
            acts += [
                A.api("crm.update_deal", id=lead["deal"], stage="lost"),
                A.api(
                    "workmail.send",
                    to=[lead["email"]],
                    subject="Your demo request",
                    body=f"Hi {lead['name'].split()[0]}, thanks for reaching out - one of our partners will "
                    "contact you shortly.",
                ),
            ]
        steps.append((max(lead["at"], lead.get("heard", 0)) + 60, acts))
    out, now = [], world.clock.now
    for t, acts in sorted(steps, key=lambda x: x[0]):
        if t > now:
            out.append(A.wait(t - now, wake=False))
            now = t
        out += acts
    return out + [A.wait(max(lead["by"] for lead in f["leads"]) - now + clock.HOUR, wake=False)]


def oracle(world: World, f: dict[str, Any]) -> list[str]:
    return _plan(world, f, [lead["qualified"] for lead in f["leads"]])


def rule_oracle(world: World, f: dict[str, Any]) -> list[str]:
    """Levels 4-5: qualifies by the rule and its widening alone, missing the manager's word in the DM."""
    return _plan(world, f, [_qualifies(lead, f["countries"], f["minimum"]) for lead in f["leads"]])


def stale_oracle(world: World, f: dict[str, Any]) -> list[str]:
    """Qualifies by the first rule's territory, missing the later widening (the manager's DM word taken)."""
    old = [lead["country"] in f["old_countries"] and lead["budget"] >= f["minimum"] for lead in f["leads"]]
    return _plan(world, f, [q or bool(lead.get("heard")) for q, lead in zip(old, f["leads"])])


FAMILY = Family(
    name="sales-day",
    kind="proactive",
    services=("crm", "calendar", "chat", "workmail", "notes", "contacts"),
    summary="Every lead of the day is handled by its own time as the team's inbound rule (widened later through "
    "another channel) says: qualifying leads' deals are qualified at their budget, they are invited to a "
    "30-minute demo in a free slot on the next two working days and named in #sales; the others get a note and "
    "their deal goes to lost. At 4-5 the manager, whose last word on a single lead the rule names, takes one lead "
    "in a DM, naming only when it came in.",
    generate=generate,
    check=check,
    oracle=oracle,
    variants=("inbound", "referral"),
    tasks_per_variant=15,
    count=30,
    max_steps=70,
    tags=("noise", "conflict"),
    stale_oracle=stale_oracle,
    footprint=Footprint(
        owns=(Own("crm.deals", ids=("deal_ids",)), Own("crm.activities", where=field_in("deal", "deal_ids"))),
        parties=("emails",),
        channels=("channel", "dm"),
    ),
)
