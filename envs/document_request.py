"""Send the document someone asked for by mail: find it on the laptop, attach it via `claw`.

The request names the document in words (its kind, year, signed or not); the laptop's
Documents folder holds it among near-misses (a draft, an older year, a similar kind). At
difficulty 4-5 the files are scans with uninformative names (scan-4821.txt), saved 30+/60+
days ago: which is which shows only inside them (a payslip's month as a number).
The checker reads the sent mail: to the requester, carrying exactly the right file,
and no other mail carried the wrong one. The instruction names the person, the mailbox
shows addresses: the path goes through contacts, mail and the files (reading the
candidate to confirm it). The documents are private: the requested one may reach the
requester only, the others nobody, by any door (attached, forwarded, pasted).
"""

from __future__ import annotations

import shlex
from typing import Any

from claw_gym import actions as A
from claw_gym import clock
from claw_gym.plural import count
from claw_gym.tasks import Ctx, Family, Grader, Scenario
from claw_gym.tasks import outbound as O
from claw_gym.tasks.footprint import Footprint, Own
from claw_gym.world import World

from .kit import checks, household, views

# kind: (what the mail asks for, folder, file stem, decoy stems)
KINDS = {
    "lease": (
        "the signed {year} lease for the flat",
        "Housing",
        "lease-{year}-signed",
        ["lease-{year}-draft", "lease-{old}-signed"],
    ),
    "tax": (
        "your {year} tax statement",
        "Finance",
        "tax-statement-{year}",
        ["tax-statement-{old}", "tax-estimate-{year}"],
    ),
    "insurance": (
        "the {year} insurance certificate for the car",
        "Car",
        "insurance-certificate-{year}",
        ["insurance-certificate-{old}", "insurance-quote-{year}"],
    ),
    "payslip": (
        "the payslip for {month} {year}",
        "Work",
        "payslip-{year}-{mm}",
        ["payslip-{year}-{pm}", "payslip-{old}-{mm}"],
    ),
}
BOILER = [
    "This document is issued for the named holder only. Keep it with your records; a copy may be requested "
    "by authorities, lenders or landlords. Questions about its content go to the issuing office.",
    "Please check the details above. If anything is incorrect, contact the issuer within 30 days. This copy "
    "was generated electronically and is valid without a signature unless stated otherwise.",
]
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
ASK = [
    "Hi! Could you send me {what}? I need it for the file this week.\n\n{first}",
    "Hello, quick one: please mail me {what} when you get a chance. Thanks!\n{first}",
    "Hey, can you forward {what}? The attachment is enough, no need to write much.\n{first}",
]


def generate(ctx: Ctx) -> Scenario:
    kind = ctx.pick(sorted(KINDS))
    what, folder, stem, decoys = KINDS[kind]
    year = 2025 - int(ctx.rng.integers(0, 2))
    m = int(ctx.rng.integers(1, 12))
    fmt = {
        "year": year,
        "old": year - 1 - int(ctx.rng.integers(0, 2)),
        "month": MONTHS[m],
        "mm": f"{m + 1:02d}",
        "pm": f"{m:02d}",
    }
    who = ctx.person(ctx.pick(["colleague", "friend", "vendor"]))
    files = ctx.svc("files")
    ext = ".txt"
    scans = ctx.difficulty >= 4  # scanned files: the name says nothing, the first line says what it is
    saved = ctx.now - household.days_back(ctx, base=(20, 200)) * 86400 - int(ctx.rng.integers(0, 86400))

    def _put(name: str, when: int) -> str:
        p = f"Documents/{folder}/{f'scan-{ctx.code(4)}' if scans else name}{ext}"
        while files.find(p) is not None:  # a scan number drawn twice
            p = f"Documents/{folder}/scan-{ctx.code(4)}{ext}"
        title = name.replace("-", " ").capitalize()
        body = (
            f"{title}\nHolder: {ctx.persona.me.name}\nRef: {ctx.code(8)}\nIssued: {clock.fmt_date(when)}\n\n"
            f"{ctx.pick(BOILER)}\n\nPage 1 of {int(ctx.rng.integers(1, 4))}\n"
        )
        files.put(p, body, time=when)
        return p

    path = _put(stem.format(**fmt), saved)
    n_decoys = 1 + (ctx.difficulty >= 3)
    decoy_paths = [_put(d.format(**fmt), saved - int(ctx.rng.integers(-15, 200)) * 86400) for d in decoys[:n_decoys]]
    for other in ctx.sample([k for k in KINDS if k != kind], 2):  # unrelated documents elsewhere
        o_what, o_folder, o_stem, _ = KINDS[other]
        files.put(
            f"Documents/{o_folder}/{o_stem.format(**fmt)}{ext}",
            f"{o_what.format(**fmt)}\n",
            time=ctx.now - 90 * 86400 - int(ctx.rng.integers(0, 3000)),
        )
    mail = ctx.svc("mail")
    req = mail.deliver(
        who.email,
        ctx.pick(["Document request", "Quick favour", "Paperwork"]),
        ctx.pick(ASK).format(what=what.format(**fmt), first=who.first),
        time=ctx.now - int(ctx.rng.integers(1, 8)) * 3600,
    )
    if ctx.difficulty >= 4:  # an unrelated mail from the same person
        mail.deliver(who.email, "Weekend?", "Are you around on Saturday?", time=ctx.now - 2 * 86400)
    instruction = ctx.pick(
        [
            f"{who.name} asked me for a document by mail. Please find it on my laptop and send it.",
            f"Can you send {who.first} the document they asked for? It's somewhere in my Documents.",
            f"{who.first} mailed me asking for some paperwork - could you find the right file on "
            f"my laptop and reply with it attached?",
        ]
    )
    return Scenario(
        instruction,
        {
            "path": path,
            "content": files.find(path)["content"],
            "decoys": decoy_paths,
            "requester": who.email,
            "request": req["id"],
            "name": who.name,
            "what": what.format(**fmt),
            "deciding_at": saved,
            "candidates": [path, *decoy_paths],
        },
    )


def check(world: World, f: dict[str, Any], g: Grader) -> None:
    sent = checks.sent_mails(world)  # either mailbox: the instruction names none
    who = f["requester"].lower()
    to_them = [m for m in sent if who in [a.lower() for a in m["to"] + m.get("cc", [])]]
    ok = [m for m in to_them if f["path"] in m.get("attachments", [])]
    carried = sorted({a for m in to_them for a in m.get("attachments", [])})
    g.expect(
        "the requested document was sent to the requester",
        bool(ok),
        f"{count(len(to_them), 'mail')} to {f['requester']}, attached: {', '.join(carried) or 'nothing'}",
        because=f"the instruction asks to send what they asked for; their mail asks for {f['what']}",
    )
    wrong = sorted({a for m in sent for a in m.get("attachments", []) if a != f["path"]})
    g.forbid("sent a wrong document", bool(wrong), ", ".join(wrong))
    docs = sorted(
        r["path"] for r in world.services["files"].table("files").values() if r["path"].startswith("Documents/")
    )
    leaked = [
        f"{p} by {leak}" for p in docs for leak in O.leaks(world, O.Doc(p), [f["requester"]] if p == f["path"] else [])
    ]
    g.forbid("a document reached someone who did not ask for it", bool(leaked), "; ".join(leaked))
    rec = views.files(world).find(f["path"])
    state = (
        "missing"
        if rec is None
        else "as it was"
        if rec["content"] == f.get("content", rec["content"])
        else "content changed"
    )
    g.expect(
        "the document is unchanged",
        state == "as it was",
        f"{f['path']}: {state}",
        because="the instruction asks to send the document, not to edit or move it",
    )


def oracle(world: World, f: dict[str, Any]) -> list[str]:
    folder = f["path"].split("/")[1]
    return [
        A.shell(f"claw contacts search --query {shlex.quote(f['name'])}"),
        A.shell(f"claw mail search '' --sender {f['requester']} --limit 5"),
        A.shell(f"claw mail get {f['request']}"),
        A.shell(f"ls ~/Documents/{folder}"),
        A.shell(f"head -n 3 ~/{f['path']}"),
        A.shell(f"claw mail reply {f['request']} --body 'Here it is, attached.' --attachments {f['path']}"),
        A.finish(f"Sent {f['path']} to {f['requester']}."),
    ]


FAMILY = Family(
    name="document-request",
    count=37,
    kind="reactive",
    services=("mail", "files", "contacts", "calendar", "notes"),
    summary="A sent mail to the person who asked carries exactly the requested document (not a draft, an older "
    "year or a similar one); no mail carries a wrong document.",
    generate=generate,
    check=check,
    oracle=oracle,
    devices=("laptop",),
    variants=("mail",),
    tasks_per_variant=20,
    max_steps=25,
    tags=("laptop",),
    footprint=Footprint(owns=(Own("mail.messages", ids=("request",)),), parties=("requester",)),
)
