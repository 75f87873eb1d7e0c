"""Clean up ~/Downloads by the rule the person wrote down in a note.

The rule is one line of a longer notes page (among unrelated lines, not titled after the job):
invoices go to Documents/Invoices/, unfinished downloads and installers are deleted,
everything else stays. At difficulty 4-5 the to-do item itself amends it ("keep the .deb
installers this time"): the later word wins, and the checker follows it. At 4-5 the rule also sits
>= 30 / 60 days back, is worded without the folder's name ("the download folder"), adds a second
party (the filed bills are mailed to the bookkeeper, named in the rule, address in contacts), and
three or four other notes of the same shape carry a "Downloads" line that does not apply (Dad's
laptop, the phone, the family PC, an expired request). At 4-5 (issue 21, session 32) the rule also says the
family member who uses the laptop has the say over what they saved there, and their text, among their
same-shaped texts about other matters, keeps one installer naming only the day they saved it ("re what I saved
on your computer on 12 May: keep it"): the one file of the folder saved that day; at 5 the rule adds that they
get a text once it's done. Traps: an unfinished download named
like an invoice (delete, do not file it), an invoice template that is not an invoice
(.docx), files outside Downloads with matching names (leave them). The job is on the
person's to-do list, to be ticked off when done. The checker reads the final paths and
contents from the files service and the to-do item. Services on the path: todo, notes, files.
"""

from __future__ import annotations

import shlex
from typing import Any

from claw_gym import actions as A
from claw_gym import clock
from claw_gym.plural import count
from claw_gym.tasks import Ctx, Family, Grader, Scenario
from claw_gym.tasks.footprint import Footprint, Own, path_under
from claw_gym.world import World

from .kit import checks, household, oblique, plant

VENDORS = ["acme", "cloudbox", "nordhotel", "printhub", "railway", "telco"]
INSTALLERS = ["zoom-6.1.0.deb", "vlc-3.0.20.dmg", "Setup-Slack.exe", "vscode-1.89.deb", "TeamViewer.dmg"]
PARTIAL = ["movie.mkv.part", "dataset.zip.crdownload", "backup.tar.part"]
KEEP = ["IMG_{n}.jpg", "notes-meeting.md", "boarding-pass.pdf", "recipe.txt", "invoice-template.docx", "map-{n}.png"]
RULE = (
    "Laptop Downloads, once a month: invoices (invoice-*.pdf) go to Documents/Invoices/, unfinished downloads "
    "(*.part, *.crdownload) get deleted even when they look like invoices, installers (*.deb, *.dmg, *.exe) "
    "get deleted, everything else stays where it is."
)
AMEND = "leave the .deb installers this time, I need them for the offline machine"
#: at difficulty 4-5 the rule is worded without the folder's name and adds a second party: the bookkeeper
DEEP_RULE = (
    "Laptop, first weekend of the month: from the download folder, bills (invoice-*.pdf) get filed in "
    "Documents/Invoices/ and mailed to {keeper} for the books; half-finished files (*.part, *.crdownload) "
    "go in the bin even when they look like bills, so do installers (*.deb, *.dmg, *.exe); the rest stays put."
)
#: levels 4-5: the family member who uses the laptop too, and whose word on what they saved there goes (a line
#: of the rule), and at 5 the text they get once the job is done
SHARED = " {fam} uses the laptop too: what they saved there is their call, not mine."
TOLD = " {fam} gets a text once it's done."
#: installers the family member may have saved (one not already in the folder, never a .deb: those stay anyway)
THEIRS = ["vlc-3.0.20.dmg", "Setup-Slack.exe", "TeamViewer.dmg", "Zotero-7.0-setup.exe", "Anki-24.06.dmg"]
#: their word, naming the file only by the day they saved it; their same-shaped texts about other matters
WORD = "re what I saved on your computer on {day}: keep it please, I need it for my course"
ASIDES = [
    "re the parcel that came on {day}: it's mine, leave it in the hall",
    "re the letter dated {day}: I rang them, it's sorted",
    "re the photos you printed on {day}: keep two for Gran please",
    "re the dentist card from {day}: I moved it to Thursday",
]
#: same-keyword lines of other notes that do not apply (another machine, another person's)
DECOYS = (
    "Dad's laptop: never touch his Downloads, he keeps everything there on purpose.",
    "Phone Downloads fill up with chat photos: clear them every couple of months.",
    "The family PC's Downloads folder is the kids' business, leave it.",
    "{keeper} wants last year's invoices as one zip before March (done for this year).",
)


def _fate(name: str, keep_deb: bool = False) -> str:
    if keep_deb and name.endswith(".deb"):
        return "keep"
    if name.endswith((".part", ".crdownload", ".deb", ".dmg", ".exe")):
        return "delete"
    if name.startswith("invoice-") and name.endswith(".pdf"):
        return "move"
    return "keep"


def _body(ctx: Ctx, name: str) -> str:
    """A downloaded file's text, as long and as many lines as the background's saved files (a unique
    reference: the checker follows each file by its content)."""
    ref = ctx.code(10)
    if name.startswith("invoice-") and ".pdf" in name:
        vendor = name.split("-")[1].capitalize()
        amount = int(ctx.rng.integers(1200, 30000)) / 100
        return (
            f"INVOICE {ref}\n{vendor}\nBill to: {ctx.persona.me.name}\n\n"
            f"Service period                      {amount:>9.2f}\nVAT included\n\n"
            f"Total due                           {amount:>9.2f} EUR\nPayable within 14 days.\n"
        )
    size = int(ctx.rng.integers(40, 9000))
    return (
        f"{name}\nSaved from the browser\nSize: {size} KB\nChecksum: {ref}\n"
        f"Source: {ctx.pick(['mail attachment', 'web page', 'shared link', 'vendor portal'])}\n"
    )


def generate(ctx: Ctx) -> Scenario:
    files = ctx.svc("files")
    names = [f"invoice-{v}-{ctx.code(4)}.pdf" for v in ctx.sample(VENDORS, 2 + ctx.difficulty // 2)]
    names += ctx.sample(INSTALLERS, 1 + ctx.difficulty // 2) + ctx.sample(PARTIAL, 1 + (ctx.difficulty >= 3))
    keep_deb = ctx.difficulty >= 4  # the to-do amends the rule: .deb installers stay this time
    if keep_deb and not any(n.endswith(".deb") for n in names):
        names.append(ctx.pick([i for i in INSTALLERS if i.endswith(".deb")]))
    names += [k.format(n=ctx.code(4)) for k in ctx.sample(KEEP, 2 + ctx.difficulty // 2)]
    if ctx.difficulty >= 2:
        names.append(f"invoice-{ctx.pick(VENDORS)}-{ctx.code(4)}.pdf.part")
    expected: dict[str, str] = {}  # original path -> final path ("" = deleted)
    for name in sorted(set(names)):
        path = f"Downloads/{name}"
        when = ctx.now - int(ctx.rng.integers(1, 60)) * 86400 - int(ctx.rng.integers(0, 3000))
        plant.file(ctx, household.file_time(ctx, when), path, _body(ctx, name))
        fate = _fate(name, keep_deb)
        expected[path] = {"delete": "", "move": f"Documents/Invoices/{name}", "keep": path}[fate]
    outside = f"Documents/setup-{ctx.code(3)}.exe"  # matches a delete pattern, but not in Downloads
    plant.file(ctx, household.file_time(ctx, ctx.now - 85 * 86400), outside, _body(ctx, outside.rsplit("/", 1)[1]))
    expected[outside] = outside
    if ctx.difficulty >= 3:  # an invoice already filed
        old = f"Documents/Invoices/invoice-{ctx.pick(VENDORS)}-{ctx.code(4)}.pdf"
        plant.file(ctx, household.file_time(ctx, ctx.now - 80 * 86400), old, _body(ctx, old.rsplit("/", 1)[1]))
        expected[old] = old
    deep = ctx.difficulty >= 4
    fam = ctx.persona.people[0]  # the family member (partner, a parent, a sibling)
    keeper = (
        ctx.pick([p for p in ctx.persona.people[1:] if p.relation == "vendor"] or ctx.persona.people[1:])
        if deep
        else None
    )
    rule_at = household.minute_jitter(ctx, ctx.now - household.days_back(ctx, base=(35, 45)) * 86400)
    rule = DEEP_RULE.format(keeper=keeper.name) if keeper else RULE
    if deep:
        rule += SHARED.format(fam=fam.name) + (TOLD.format(fam=fam.first) if ctx.difficulty >= 5 else "")
    note = household.rule_note(ctx, rule, t=rule_at)
    if keeper:  # same-keyword lines in other notes of the same shape: a search for "Downloads" finds these
        lines = [d.format(keeper=keeper.name) for d in DECOYS[: 2 + ctx.difficulty - 3]]
        household.decoy_notes(ctx, lines, around=ctx.now - 30 * 86400, avoid=note)
    theirs = _theirs(ctx, fam, names, expected, rule_at) if deep else {}
    todo = ctx.svc("todo").add(
        "Tidy Downloads on the laptop",
        due=household.minute_jitter(ctx, ctx.now + 86400),
        notes=AMEND if keep_deb else "",
    )
    contents = {p: files.find(p)["content"] for p in expected}
    instruction = ctx.pick(
        [
            "My Downloads folder is a mess. Clean it up following the rule in my notes, and tick it off my to-do list.",
            "Please tidy ~/Downloads on my laptop - I wrote down how I like it in Notes. It's on my "
            "to-do list; mark it done after.",
            "Could you do the Downloads clean-up from my to-do list? The rule is in my notes.",
        ]
    )
    return Scenario(
        instruction,
        {
            "expected": expected,
            "contents": contents,
            "todo": todo["id"],
            "rule_note": note,
            "keep_deb": keep_deb,
            "rule_at": rule_at,
            "keeper": keeper.email if keeper else "",
            "keeper_name": keeper.name if keeper else "",
            "theirs": theirs,
            "fam_phone": fam.phone if ctx.difficulty >= 5 else "",
            "fam_parties": [fam.phone, fam.email] if ctx.difficulty >= 5 else [],
            "fam_name": fam.name,
            "start": ctx.now,
        },
    )


def _theirs(ctx: Ctx, fam: Any, names: list[str], expected: dict[str, str], rule_at: int) -> dict[str, str]:
    """Levels 4-5 (issue 21, session 32): an installer the family member saved in Downloads on a day no other file
    there was saved (the rule would bin it), and their text, among their same-shaped texts about other matters,
    that keeps it naming only that day ("re what I saved on your computer on 12 May: keep it"). Neither the
    folder's, the files' nor the job's words, nor "after all" / "from now on", find it; the rule note says whose
    word it is. Returns its path and the text's id."""
    name = ctx.pick([n for n in THEIRS if n not in names])
    files = ctx.svc("files")
    days = {
        clock.day_start(int(r["modified"])) for r in files.table("files").values() if r["path"].startswith("Downloads/")
    }
    free = [d for d in range(3, 21) if clock.day_start(ctx.now - d * clock.DAY) not in days]
    saved = clock.day_start(ctx.now - ctx.pick(free) * clock.DAY) + int(ctx.rng.integers(17 * 60, 22 * 60)) * 60
    saved = max(saved, rule_at + clock.DAY)
    path = f"Downloads/{name}"
    plant.file(ctx, household.file_time(ctx, saved), path, _body(ctx, name))
    expected[path] = path  # their word keeps it
    day = oblique.day_month(saved)
    others = [
        a.format(day=oblique.day_month(saved - int(ctx.rng.integers(1, 15)) * clock.DAY)) for a in ctx.sample(ASIDES, 3)
    ]

    def post(t: int, text: str) -> dict:
        return plant.sms(ctx, t, fam.phone, text[:1].upper() + text[1:])

    rec = oblique.among(ctx, post, WORD.format(day=day), others, saved + clock.HOUR, ctx.now - 2 * clock.HOUR)
    return {"path": path, "sms": str(rec["id"]), "day": day}


def _where(by_path: dict[str, str], body: str) -> list[str]:
    return sorted(p for p, c in by_path.items() if c == body)


def check(world: World, f: dict[str, Any], g: Grader) -> None:
    files = world.services["files"]
    by_path = {r["path"]: r["content"] for r in files.table("files").values()}
    rule = f"the Downloads line of the note '{f['rule_note']}' (the instruction points to the notes)"
    amended = " (the to-do item's note keeps the .deb installers this time)" if f.get("keep_deb") else ""
    for src, dst in sorted(f["expected"].items()):
        body = f["contents"][src]
        at = _where(by_path, body)
        seen = f"now at {', '.join(at)}" if at else "gone"
        if dst == "":
            g.expect(
                f"deleted {src}", not at, seen, because=f"{rule} says to delete unfinished downloads and installers"
            )
        else:
            theirs = f.get("theirs", {}).get("path") == src
            why = (
                f"names {f['fam_name']} as having the say over what they saved there, and their text of "
                f"{f['theirs'].get('day')} keeps what they saved that day"
                if theirs
                else "says invoices go to Documents/Invoices/"
                if dst != src
                else "keeps it where it is" + amended
                if src.startswith("Downloads/")
                else "covers only Downloads"
            )
            g.expect(
                f"{src} ends at {dst}",
                by_path.get(dst) == body,
                seen if dst not in by_path or by_path[dst] == body else f"{dst} holds other content; {seen}",
                because=f"{rule} {why}",
            )
    originals = set(f["contents"].values())
    lost = [p for p, dst in f["expected"].items() if dst and f["contents"][p] not in by_path.values()]
    g.forbid("deleted a file the rule keeps", bool(lost), ", ".join(lost))
    dupes = [p for p, c in by_path.items() if c in originals and list(by_path.values()).count(c) > 1]
    g.forbid("left copies behind", bool(dupes), ", ".join(sorted(dupes)))
    if f.get("keeper"):
        _check_keeper(world, f, g, rule)
    if f.get("fam_phone"):
        told = checks.reached(world, f["fam_parties"], f["start"])
        g.expect(
            f"{f['fam_name']} was told it is done",
            bool(told),
            "; ".join(told) or f"nothing to {f['fam_name']}",
            because=f"{rule} says {f['fam_name'].split()[0]} gets a text once it's done",
        )
    item = world.services["todo"].table("items").get(f["todo"])
    g.expect(
        "the to-do item is ticked off",
        item is not None and item["done"],
        "deleted" if item is None else "done" if item["done"] else "still open",
        because="the instruction asks to tick it off the to-do list",
    )


def _check_keeper(world: World, f: dict[str, Any], g: Grader, rule: str) -> None:
    """Every invoice filed this time reached the bookkeeper by mail (either mailbox, one mail or several,
    attached from Downloads before the move or from Documents/Invoices after); nothing else was sent."""
    filed = sorted(
        p.rsplit("/", 1)[1]
        for p, dst in f["expected"].items()
        if dst.startswith("Documents/Invoices/") and p.startswith("Downloads/")
    )
    to_keeper = checks.sent_to(world, f["keeper"], after=f["start"])
    sent = {a.rsplit("/", 1)[1] for m in to_keeper for a in m.get("attachments", [])}
    missing = [n for n in filed if n not in sent]
    g.expect(
        "the filed invoices were mailed to the bookkeeper",
        bool(to_keeper) and not missing,
        f"{count(len(to_keeper), 'mail')} to {f['keeper']}; "
        + (f"not attached: {', '.join(missing)}" if missing else f"all {len(filed)} invoices attached"),
        because=f"{rule} says the filed bills are mailed to {f['keeper_name']}",
    )
    extra = sorted(
        a
        for m in checks.sent_mails(world, after=f["start"])
        for a in m.get("attachments", [])
        if a.rsplit("/", 1)[1] not in filed
    )
    g.forbid("mailed a file that is not a filed invoice", bool(extra), ", ".join(extra))


def oracle(world: World, f: dict[str, Any]) -> list[str]:
    mail = []
    if f.get("keeper"):
        filed = sorted(
            dst
            for p, dst in f["expected"].items()
            if dst.startswith("Documents/Invoices/") and p.startswith("Downloads/")
        )
        mail = [
            A.shell(f"claw contacts search --query {shlex.quote(f['keeper_name'])}"),
            A.api(
                "mail.send",
                to=[f["keeper"]],
                subject="Invoices for the books",
                body="Hi, this month's invoices are attached.",
                attachments=filed,
            ),
        ]
    binned = sorted(p.split("/", 1)[1] for p, dst in f["expected"].items() if p.startswith("Downloads/") and not dst)
    rm = "rm -f -- " + " ".join(shlex.quote(n) for n in binned)
    told = []
    if f.get("fam_phone"):
        told = [
            A.api("sms.send", to=f["fam_phone"], body="Downloads on the laptop is tidied up, your file is still there.")
        ]
    return [
        A.shell("claw todo list"),
        A.shell("claw notes list --query " + ("download" if f.get("keeper") else "Downloads")),
        A.shell("cd ~/Downloads && ls -1"),
        A.shell(
            rm
            if f.get("theirs")
            else "rm -f -- *.part *.crdownload *.dmg *.exe" + ("" if f.get("keep_deb") else " *.deb")
        ),
        A.shell(
            'mkdir -p ~/Documents/Invoices && for f in invoice-*.pdf; do [ -e "$f" ] && mv -- "$f" '
            "~/Documents/Invoices/; done; ls -1 ~/Downloads ~/Documents/Invoices"
        ),
        *mail,
        *told,
        A.shell(f"claw todo complete {f['todo']}"),
        A.finish("Cleaned up Downloads by the rule."),
    ]


FAMILY = Family(
    name="downloads-cleanup",
    count=37,
    kind="reactive",
    services=("files", "notes", "mail", "calendar", "todo", "contacts"),
    summary="Following the Downloads line of a notes page (at difficulty 4-5 amended by the to-do item: .deb "
    "installers stay): invoices moved to Documents/Invoices, unfinished downloads and installers "
    "deleted (even ones named like invoices), every other file untouched where it was, no copies left; the "
    "to-do item ticked off; at 4-5 the filed invoices (and nothing else) mailed to the bookkeeper the rule names, "
    "and the installer the family member's text keeps (by the day they saved it) stays; at 5 they are told.",
    generate=generate,
    check=check,
    oracle=oracle,
    devices=("laptop",),
    variants=("rule",),
    tasks_per_variant=20,
    max_steps=25,
    tags=("laptop",),
    footprint=Footprint(
        owns=(Own("files.files", where=path_under("Downloads/")), Own("todo.items", ids=("todo",))),
        parties=("keeper", "fam_parties"),
    ),
)
