"""A customer's missed call on the phone -> call back, log it on their CRM deal, write call notes.

Cross-device: only the phone knows who called (the caller is saved on the phone only,
as "Name (Account)"; the synced address book does not have them). The laptop holds the
CRM (`claw crm ...`) and the call-notes template in ~/Documents/templates. The agent
calls back from the phone, logs the callback on that account's deal and saves a filled
copy of the template in ~/Documents/calls. Distractors grow with difficulty: missed calls
from friends, an unknown number, other deals (one with the same contact first name). At
difficulty 4-5 the caller's account has three deals of the same shape, each with its own
contact: the callback belongs on the one whose contact is the caller, not on the account's
first or biggest deal.
"""

from __future__ import annotations

import re
from typing import Any

from claw_gym import actions as A
from claw_gym import clock
from claw_gym.devices.phone import script as S
from claw_gym.plural import count
from claw_gym.tasks import Ctx, Family, Grader, Scenario
from claw_gym.tasks.footprint import Footprint, Own, field_in, path_under
from claw_gym.world import World

from .kit import laptop_files, notation, phone_flows

ACCOUNTS = [
    "Northwind Foods",
    "Bluepeak Energy",
    "Corvid Labs",
    "Helix Logistics",
    "Orchard Dental",
    "Quarry Media",
    "Sable Insurance",
    "Tidewater Hotels",
]
CONTACTS = [
    "Mireille Dubois",
    "Oskar Nyberg",
    "Priya Raman",
    "Tomasz Wilk",
    "Yara Haddad",
    "Luis Ortega",
    "Noor Aziz",
    "Felix Brandt",
]
DEALS = ["annual renewal", "pilot expansion", "support upgrade", "new seats", "data migration"]
TEMPLATE = "Documents/templates/call-notes.md"
TEMPLATE_TEXT = (
    "# Call notes\n\nAccount: {{account}}\nContact: {{contact}}\nDeal: {{deal}}\nDate: {{date}}\n"
    "Direction: {{direction}}\n\n## Summary\n{{summary}}\n"
)
PLACEHOLDER = re.compile(r"\{\{\s*\w+\s*\}\}")
INSTRUCTIONS = [
    "I missed a call from a customer on my phone. Call them back, log the callback on their deal in the CRM and "
    "fill in the call-notes template in ~/Documents/templates (save it in ~/Documents/calls).",
    "One of our customers tried to ring me earlier. Please return the call from my phone, note it on their CRM "
    "deal, and write up call notes from my template into ~/Documents/calls.",
    "Can you deal with the customer call I missed? Ring them back from the phone, add an activity to their deal "
    "in the CRM and save filled-in call notes (template in ~/Documents/templates) under ~/Documents/calls.",
]


def generate(ctx: Ctx) -> Scenario:
    crm, phone, files = ctx.svc("crm"), ctx.svc("phone"), ctx.svc("files")
    accounts = ctx.sample(ACCOUNTS, 2 + ctx.difficulty)
    people = ctx.sample(CONTACTS, len(accounts))
    deals = []
    for acc, who in zip(accounts, people):
        d = crm.add_deal(
            acc,
            f"{acc.split()[0]} {ctx.pick(DEALS)}",
            ctx.pick(["qualified", "proposal", "negotiation"]),
            float(int(ctx.rng.integers(4, 90)) * 500),
            who,
            ctx.now + int(ctx.rng.integers(5, 60)) * 86400,
        )
        deals.append(d)
    target = deals[0]
    if ctx.difficulty >= 4:  # the account's other deals, each with another contact: the caller decides
        taken = set(people)
        for who in ctx.sample([c for c in CONTACTS if c not in taken], 2):
            title = f"{target['account'].split()[0]} {ctx.pick([d for d in DEALS if d not in target['title']])}"
            deals.append(
                crm.add_deal(
                    target["account"],
                    title,
                    ctx.pick(["qualified", "proposal", "negotiation"]),
                    float(int(ctx.rng.integers(4, 90)) * 500),
                    who,
                    ctx.now + int(ctx.rng.integers(5, 60)) * 86400,
                )
            )
    num = notation.phone_number(ctx)
    phone.add_contact_record(f"{target['contact']} ({target['account']})", num)
    missed_at = ctx.now - int(ctx.rng.integers(20 * 60, 180 * 60))
    phone.log_call(num, "in", missed=True, time=missed_at)
    # distractors: calls from friends (synced contacts), from level 3 an unknown number, older customer calls
    for i in range(ctx.difficulty):
        p = ctx.person("friend")
        phone.log_call(
            p.phone,
            "in",
            missed=bool(i % 2),
            duration=0 if i % 2 else 300,
            time=missed_at - int(ctx.rng.integers(30, 600)) * clock.MINUTE,
        )
    if ctx.difficulty >= 3:
        phone.log_call(notation.phone_number(ctx, "800"), "in", missed=True, time=missed_at + 5 * clock.MINUTE)
    if ctx.difficulty >= 2:  # another customer, saved too, but their call was answered days ago
        other = deals[1]
        onum = notation.phone_number(ctx)
        phone.add_contact_record(f"{other['contact']} ({other['account']})", onum)
        phone.log_call(onum, "in", duration=420, time=ctx.now - 3 * 86400)
    files.put(TEMPLATE, TEMPLATE_TEXT, time=ctx.now - 60 * 86400 - int(ctx.rng.integers(0, 3000)))
    files.put(
        "Documents/calls/README.txt",
        "One file per customer call, from the template.\n",
        time=ctx.now - 60 * 86400 - int(ctx.rng.integers(0, 3000)),
    )
    return Scenario(
        ctx.pick(INSTRUCTIONS),
        {
            "number": num,
            "deal": target["id"],
            "account": target["account"],
            "contact": target["contact"],
            "name": f"{target['contact']} ({target['account']})",
            "others": [d["id"] for d in deals[1:]],
            "deal_title": target["title"],
            "same_account": [d["id"] for d in deals if d["account"] == target["account"]],
            "start": ctx.now,
        },
    )


def check(world: World, f: dict[str, Any], g: Grader) -> None:
    calls = phone_flows.calls_out(world, f["number"], f["start"])
    g.expect(
        "the customer was called back from the phone",
        bool(calls),
        f"{count(len(calls), 'call')} to {f['number']}"
        + "".join(f"; at {notation.hhmm(c['time'])}" for c in calls[:3]),
        because="the instruction asks to call the customer back from the phone",
    )
    acts = [a for a in world.services["crm"].table("activities").values() if a["time"] >= f["start"]]
    g.expect(
        "the callback is logged on the customer's deal",
        any(a["deal"] == f["deal"] for a in acts),
        f"new activities on: {', '.join(sorted({a['deal'] for a in acts})) or 'no deal'}; theirs is {f['deal']}",
        because="the instruction asks to log the callback on their deal",
    )
    wrong = sorted({a["deal"] for a in acts if a["deal"] != f["deal"]})
    g.expect(
        "no other deal got an activity",
        not wrong,
        f"logged on other deals: {', '.join(wrong) or 'none'}",
        because="the instruction asks to log it on their deal; other customers' deals (and the account's deals "
        "with other contacts) are not theirs",
    )
    notes = [
        r
        for r in world.services["files"].table("files").values()
        if r["path"].startswith("Documents/calls/") and r["modified"] >= f["start"]
    ]
    good = [
        r
        for r in notes
        if f["account"].lower() in r["content"].lower()
        and f["contact"].lower() in r["content"].lower()
        and not PLACEHOLDER.search(r["content"])
        and "Call notes" in r["content"]
    ]
    g.expect(
        "call notes from the template name the account and contact (no blanks left)",
        bool(good),
        f"{count(len(notes), 'new file')} in Documents/calls, "
        f"{len(good)} filled with {f['account']} and {f['contact']}",
        because="the instruction asks to fill in the call-notes template into ~/Documents/calls",
    )


def oracle(world: World, f: dict[str, Any]) -> list[str]:
    """Phone: recents show the caller's name, tap to call back. Laptop: find the deal, log, fill the template."""
    date = clock.fmt_date(world.clock.now)
    slug = re.sub(r"[^a-z0-9]+", "-", f["account"].lower()).strip("-")
    path = f"Documents/calls/{date}-{slug}.md"
    filled = notation.fill_template(
        TEMPLATE_TEXT,
        account=f["account"],
        contact=f["contact"],
        deal=f["deal_title"],
        date=date,
        direction="outgoing (callback of a missed call)",
        summary="Returned their missed call; logged on the CRM deal.",
    )
    return [
        *S.open_app("Phone"),
        S.tap("id/tab_recents"),
        S.tap(f"text={f['name']}"),
        A.shell(f"claw crm list_deals --query {f['account'].split()[0]!r}"),
        laptop_files.claw("crm.log_activity", deal_id=f["deal"], text=f"Called {f['contact']} back (missed call)."),
        A.shell(f"cat ~/{TEMPLATE}"),
        laptop_files.write_file(path, filled),
        A.finish(f"Called {f['contact']} back, logged it on the deal and saved {path}."),
    ]


FAMILY = Family(
    name="dual-callback-crm",
    count=60,
    kind="reactive",
    services=("phone", "crm", "files", "contacts", "calendar"),
    devices=("laptop", "phone"),
    needs_sim_phone=True,
    summary="The phone placed a call to the customer whose missed call is in the log (saved on the phone only); "
    "their deal (and no other) got a CRM activity; a filled call-notes file naming account and contact "
    "is in Documents/calls.",
    generate=generate,
    check=check,
    oracle=oracle,
    variants=("missed",),
    tasks_per_variant=20,
    max_steps=30,
    tags=("laptop", "phone", "cross-device"),
    footprint=Footprint(
        owns=(
            Own("crm.deals", ids=("deal",)),
            Own("crm.activities", where=field_in("deal", "deal")),
            Own("files.files", where=path_under("Documents/calls/")),
        ),
        parties=("number",),
    ),
)
