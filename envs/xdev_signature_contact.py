"""Cross-device: a newer signature in a laptop file has someone's new number; update them on the phone, text them.

The person asks: someone (named by first name and company) changed mobile numbers a while
ago; their newer documents on the laptop carry it in the signature. They are saved on the
phone only, next to a namesake at another company. The laptop holds several documents signed
by each of the two, dated in their header: the target's oldest carries the number the phone
has, a later one an interim number, the newest the current one (30+ days back at level 4,
60+ at 5); the namesake's documents are newer still, with her own number. At 4-5 no file name carries
a date and the folder came over in one sync (the headers decide), and a colleague at her company signs
the newest file there. The agent edits the
right phone contact to the newest number (not a duplicate, the namesake untouched) and texts
that number. More goals with difficulty: the laptop's client list (3+), a note on the
company's CRM deal (4+).

Session 32 (issue 21): at 4-5 the newest number did not last. Her files' signatures say her colleague keeps
her team's contact details; his newest file there carries, among his same-shaped lines about other matters
("re the supplier invoice dated Thu 03 Dec: ..."), "re the status update dated Mon 14 Dec: the mobile in that
signature was a loaner while her phone was in for repair - she's back on the number she used just before it",
naming neither her nor a number: the interim number is the one to save, text, list and note. The request at
4-5 no longer says her latest file has the current number. A search or grep by her name or any number does
not land on it (his file is one of the company's four); the date and the kind name one file.
"""

from __future__ import annotations

import csv
import io
import shlex
from typing import Any

from claw_gym import actions as A
from claw_gym import clock
from claw_gym.devices.phone import script as S
from claw_gym.plural import count
from claw_gym.tasks import Ctx, Family, Grader, Scenario
from claw_gym.tasks.footprint import Footprint, Own, path_in
from claw_gym.world import World

from .kit import notation, oblique, phone_flows, plant, views
from .kit import xchain as X

FIRSTS = ["Dana", "Mira", "Sanne", "Lea", "Ines", "Anouk"]
LASTS = ["Keller", "Brandt", "Okonkwo", "Lindgren", "Duarte", "Sato", "Varga", "Moretti"]
MATES = ["Jonas", "Pavel", "Tomas", "Arjun", "Felix", "Ruben"]
OTHER_CLIENTS = ["Bram Visser", "Chiara Lodi", "Emil Strand", "Hugo Lambert", "Nadia Serra", "Pieter Claes"]
COMPANIES = ["Keller Bau", "Brightline Media", "Nordhafen Logistics", "Corvid Labs", "Alder & Finch", "Tessera Group"]
VARIANTS: dict[str, dict[str, Any]] = {
    "docs": {
        "dir": "Documents/shared/{slug}",
        "name": "{date}-{topic}.md",
        "topics": ["meeting-notes", "project-plan", "status-update", "workshop-summary"],
        "head": "# {Topic}\nDate: {date}\nAuthor: {who}\n\n{body}\n\n--\n{who}\n{role}, {company}\nm: {number}\n",
        "role": ["Project lead", "Account manager", "Head of operations"],
        "body": "Notes from our session: scope confirmed, next review in two weeks, open points listed below.\n"
        "- budget sign-off pending\n- timeline for phase 2\n- owners for the data migration",
    },
    "mails": {
        "dir": "Mail/saved",
        "name": "{date} {topic} ({first}).eml",
        "topics": ["Re: delivery schedule", "Re: invoice question", "Re: site visit", "Re: contract draft"],
        "head": "From: {who} <{email}>\nDate: {date}\nSubject: {Topic}\n\nHi,\n\n{body}\n\nBest,\n{who}\n{role} | "
        "{company}\nMobile {number}\n",
        "role": ["Contractor", "Freelance developer", "Site engineer"],
        "body": "Thanks for the update. I can make the dates you suggested; I'll send the paperwork over this week.",
    },
}
CLIENTS = "Documents/clients/client-list.csv"
INSTRUCTIONS = [
    "{first} at {company} changed her mobile a while ago and I never updated her on my phone. Her newer {kind} "
    "on my laptop have the number in the signature. Please fix her contact on the phone and text her from it "
    "that I've saved it{more}.",
    "My phone still has an old number for {first} ({company}). The signature in her latest {kind} on the laptop "
    "has the current one: update her phone contact and send her a text on it{more}.",
]


#: levels 4-5 (session 32): the request no longer says the latest file has the current number
DEEP_INSTRUCTIONS = [
    "{first} at {company} changed her mobile a while ago and I never updated her on my phone. Her {kind} on my "
    "laptop have her numbers in the signature. Please fix her contact on the phone and text her from it that "
    "I've saved it{more}.",
    "My phone still has an old number for {first} ({company}). Her {kind} on the laptop should tell you her "
    "current one: update her phone contact and send her a text on it{more}.",
]
#: her signature's line (every file of hers at 4-5): who keeps her team's contact details
KEEPS = "Team contact details: {mate} keeps them current."
#: the colleague's word on her newest file, naming it by its kind and date only
LOANER = [
    "the mobile in that signature was a loaner while her phone was in for repair - she's back on the number she "
    "used just before it",
    "the number under that signature was a loan phone for a few weeks; she's back on the number she used just "
    "before it",
]


def _loaner_body(ctx: Ctx, variant: str, topic: str, t_new: int) -> tuple[str, str]:
    """The colleague's file body at 4-5: his word on her newest file (by kind and date) among same-shaped lines
    about other matters; (body, the deciding line)."""
    kind = topic.replace("-", " ") if variant == "docs" else "mail"
    line = f"re {oblique.dated(kind, t_new)}: {ctx.pick(LOANER)}"
    lines = [line]
    for thing, verdict in ctx.sample(oblique.PLAIN, 3):
        off = int(ctx.rng.integers(3, 20)) * ctx.pick([-1, 1])  # never her file's day
        lines.append(f"re {oblique.dated(thing, t_new + off * clock.DAY)}: {verdict}")
    order = [int(i) for i in ctx.rng.permutation(len(lines))]
    body = "A few loose ends from my side:\n" + "\n".join(f"- {lines[k]}" for k in order)
    return body, line


def _slug(company: str) -> str:
    return company.lower().replace(" & ", "-").replace(" ", "-")


def generate(ctx: Ctx) -> Scenario:
    v = VARIANTS[ctx.variant]
    files, phone = ctx.svc("files"), ctx.svc("phone")
    first = ctx.pick(FIRSTS)
    last, last2 = ctx.sample(LASTS, 2)
    company, company2 = ctx.sample(COMPANIES, 2)
    who, twin = f"{first} {last}", f"{first} {last2}"
    old, mid, new, twin_num, twin_new = (notation.phone_number(ctx) for _ in range(5))
    label, twin_label = f"{who} ({company})", f"{twin} ({company2})"
    phone.add_contact_record(label, old)
    phone.add_contact_record(twin_label, twin_num)
    lo, hi = X.depth_days(ctx)
    t_new = X.days_back(ctx, lo, hi)
    t_mid = X.days_back(ctx, hi + 8, hi + 20)
    t_old = X.days_back(ctx, hi + 25, hi + 40)
    t_twin = X.days_back(ctx, max(1, lo - 15), max(2, lo - 2)) if lo > 2 else X.days_back(ctx, 1, 2)
    hard = ctx.difficulty >= 4
    files_of = [
        (t_old, who, company, old),
        (t_mid, who, company, mid),
        (t_new, who, company, new),
        (t_twin, twin, company2, twin_new),
        (X.days_back(ctx, hi + 2, hi + 30), twin, company2, twin_num),
    ]
    mate, mate_num = "", ""
    if hard:  # a colleague of hers at the same company signs the newest file there, with his own mobile
        mate = f"{ctx.pick([x for x in MATES if x != first])} {ctx.pick([x for x in LASTS if x not in (last, last2)])}"
        mate_num = notation.phone_number(ctx)
        files_of.append((X.days_back(ctx, 2, max(3, lo - 1)), mate, company, mate_num))
    synced = X.days_back(ctx, 1, 2)  # at 4-5 the folder came over in one sync: no file's time tells its date
    docs, used, topics = [], set(), []
    loaner = ""
    for t, w, comp, num in files_of:
        topic = ctx.pick(v["topics"])
        topics.append(topic)
        body = v["body"]
        if hard and w == mate:  # his word on her newest file, among his lines about other matters
            body, loaner = _loaner_body(ctx, ctx.variant, topics[2], t_new)
        date = clock.fmt_date(t)
        name = v["name"].format(date=date, topic=topic, first=w.split()[0])
        if hard:  # at 4-5 only the header inside gives the date, and the signature whose it is
            name = name.replace(f"{date}-", "").replace(f"{date} ", "").replace(f" ({w.split()[0]})", "")
        path = f"{v['dir'].format(slug=_slug(comp))}/{name}"
        stem, dot, ext = path.rpartition(".")
        k = 2
        while path in used:
            path = f"{stem} ({k}){dot}{ext}"
            k += 1
        used.add(path)
        email = f"{w.lower().replace(' ', '.')}@{_slug(comp).replace('-', '')}.example"
        text = v["head"].format(
            Topic=topic.replace("-", " ").capitalize(),
            date=date,
            who=w,
            email=email,
            body=body,
            role=ctx.pick(v["role"]),
            company=comp,
            number=num,
        )
        if hard and w == who:  # her signature says who keeps her team's contact details
            text += KEEPS.format(mate=mate) + "\n"
        saved = synced if hard else t + int(ctx.rng.integers(5, 90)) * clock.MINUTE
        plant.file(ctx, plant.jitter(ctx, saved), path, text)  # as the background saves files
        docs.append(path)
    clients_before = None
    if ctx.difficulty >= 3:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["name", "company", "mobile"])
        rows = [[who, company, old], [twin, company2, twin_num]]
        rows += [[name, ctx.pick(COMPANIES), notation.phone_number(ctx)] for name in ctx.sample(OTHER_CLIENTS, 3)]
        rows.sort()
        writer.writerows(rows)
        clients_before = out.getvalue()
        files.put(CLIENTS, clients_before, time=X.days_back(ctx, 70, 90))
    deal = None
    if ctx.difficulty >= 4:
        crm = ctx.svc("crm")
        deal = crm.add_deal(
            company, f"{company} renewal", "negotiation", ctx.money(8000, 40000), who, ctx.now + 20 * clock.DAY
        )["id"]
        crm.add_deal(company2, f"{company2} pilot", "proposal", ctx.money(8000, 40000), twin, ctx.now + 30 * clock.DAY)
    more = ""
    if clients_before:
        more += ", and fix it in my client list on the laptop"
    if deal:
        more += f", and note the new number on the {company} deal in the CRM"
    kind = "documents" if ctx.variant == "docs" else "saved mails"
    instruction = ctx.pick(DEEP_INSTRUCTIONS if hard else INSTRUCTIONS).format(
        first=first, company=company, kind=kind, more=more
    )
    deep: dict[str, Any] = {}
    if hard:  # session 32: the newest was a loaner; the interim number is hers again
        deep = {"loaner": new, "loaner_line": loaner, "loaner_file": docs[-1], "newest_at": t_new}
        new, mid = mid, new
    return Scenario(
        instruction,
        {
            "variant": ctx.variant,
            "name": who,
            "label": label,
            "twin": twin,
            "twin_label": twin_label,
            "twin_num": twin_num,
            "twin_new": twin_new,
            "old": old,
            "mid": mid,
            "new": new,
            "docs": docs,
            "mate": mate,
            "mate_num": mate_num,
            "decided_at": t_mid if hard else t_new,
            "candidates_at": [t_old, t_mid, t_new],
            "clients": CLIENTS if clients_before else None,
            "clients_before": clients_before,
            "deal": deal,
            "start": ctx.now,
            **deep,
        },
    )


def _norm(n: str) -> str:
    return notation.norm_phone(n)


def check(world: World, f: dict[str, Any], g: Grader) -> None:
    dated = clock.fmt_date(f["decided_at"])
    why = f"the instruction asks; the newest signed {f['variant']} by {f['name']} (dated {dated})"
    if "loaner" in f:
        why = (
            f"the instruction asks; her signature says {f['mate']} keeps her team's contact details, and his "
            f"{f['variant']} says of {clock.fmt_date(f['newest_at'])}'s that its number was a loaner and she's back "
            f"on the one before it (her {f['variant']} dated {dated})"
        )
    theirs = phone_flows.phone_contacts_with(world, f["name"])
    saved = [c for c in theirs if _norm(c["phone"]) == _norm(f["new"])]
    g.expect(
        "the phone contact has the newest number",
        len(theirs) == 1 and bool(saved),
        f"phone contacts named {f['name']}: {[c['phone'] for c in theirs] or 'none'}",
        because=f"{why} gives {f['new']}; update (not duplicate) the contact",
    )
    twin = phone_flows.phone_contacts_with(world, f["twin"])
    g.expect(
        f"{f['twin']} is left as she was",
        len(twin) == 1 and _norm(twin[0]["phone"]) == _norm(f["twin_num"]),
        f"{[c['phone'] for c in twin]}",
        because="the instruction names one person at one company",
    )
    texts = phone_flows.texts_out(world, f["new"], f["start"])
    g.expect(
        "a text went to the new number",
        bool(texts),
        f"{count(len(texts), 'text')} to {f['new']}",
        because="the instruction asks to text her on it",
    )
    wrong = [
        n
        for n in (f["old"], f["mid"], f["twin_new"], f["twin_num"], f.get("mate_num", ""))
        if n and phone_flows.texts_out(world, n, f["start"])
    ]
    g.expect("no text to another number", not wrong, ", ".join(wrong) or "none", because="one person, one number")
    if f["clients"]:
        rec = views.files(world).find(f["clients"])
        rows = list(csv.reader(io.StringIO(rec["content"]))) if rec else []
        before = list(csv.reader(io.StringIO(f["clients_before"])))
        mine = [r for r in rows if r and r[0] == f["name"]]
        others_same = [r for r in rows if r and r[0] != f["name"]] == [r for r in before if r and r[0] != f["name"]]
        g.expect(
            "the client list has her new number, the rest unchanged",
            len(mine) == 1 and any(_norm(c) == _norm(f["new"]) for c in mine[0][1:]) and others_same,
            f"her rows: {mine}; other rows {'unchanged' if others_same else 'changed'}",
            because="the instruction asks to fix it in the client list",
        )
    if f["deal"]:
        acts = [a for a in world.services["crm"].table("activities").values() if a["deal"] == f["deal"]]
        noted = [a for a in acts if _norm(f["new"]) in _norm(a["text"])]
        g.expect(
            "the new number is noted on the company's deal",
            bool(noted),
            f"{count(len(acts), 'activity', 'activities')} on the deal, {len(noted)} with the number",
            because="the instruction asks to note it on the deal in the CRM",
        )


def _steps(world: World, f: dict[str, Any], number: str) -> list[str]:
    v = VARIANTS[f["variant"]]
    first = f["name"].split()[0]
    top = v["dir"].split("/{")[0]
    steps = [
        A.shell(f"ls -R ~/{top} | head -40"),
        A.shell(f"grep -rl '{f['name']}' ~/{top}"),
        A.shell(f"grep -rh -A3 '^--$\\|^Best,' ~/{top} | head -60"),
        A.shell(f"tail -4 ~/{shlex.quote(f['docs'][2])}"),
        *S.open_app("Contacts"),
        *S.fill("search", first),
        S.tap(f"text={f['label']}"),
        S.tap("id/edit"),
        *S.replace("phone", number),
        S.tap("id/save"),
        *phone_flows.text_from_phone(number, f"Hi {first}, saved your new number. Thanks!"),
    ]
    if f["clients"]:
        steps += [
            A.shell(f"cat ~/{f['clients']}"),
            A.shell(f"sed -i 's/{f['old']}/{number}/' ~/{f['clients']} && cat ~/{f['clients']}"),
        ]
    if f["deal"]:
        steps += [
            A.api("crm.list_deals", query=f["label"].split("(")[1].rstrip(")")),
            A.api("crm.log_activity", deal_id=f["deal"], text=f"{f['name']}'s new mobile: {number}"),
        ]
    return [*steps, A.finish(f"Updated {first} on the phone to {number} and texted her.")]


def oracle(world: World, f: dict[str, Any]) -> list[str]:
    """Find her newest signed file on the laptop, edit her phone contact, text the number."""
    return _steps(world, f, f["new"])


def stale_oracle(world: World, f: dict[str, Any]) -> list[str]:
    """Takes the interim number from her earlier file."""
    return _steps(world, f, f["mid"])


FAMILY = Family(
    name="xdev-signature-contact",
    kind="reactive",
    services=("phone", "sms", "files", "crm", "contacts", "mail"),
    devices=("laptop", "phone"),
    needs_sim_phone=True,
    summary="The person's phone-only contact holds the number from her newest signed file on the laptop (at 4-5 "
    "30/60+ days back, among her older files and a namesake's newer ones), not duplicated, the namesake "
    "untouched, and a text went to that number (plus the laptop client list at 3+, a CRM note at 4+).",
    generate=generate,
    check=check,
    oracle=oracle,
    variants=("docs", "mails"),
    tasks_per_variant=15,
    count=45,
    max_steps=45,
    tags=("phone", "laptop", "cross-device", "conflict"),
    stale_oracle=stale_oracle,
    phone_only=(),
    footprint=Footprint(
        owns=(
            Own("phone.contacts", where=lambda r, f: r.get("name") == f["label"]),
            Own("files.files", where=path_in("clients")),
            Own("crm.deals", ids=("deal",)),
        ),
        parties=("new",),
    ),
)
