"""syncd, the laptop's backup agent, broken by one config value: shared by config-fix and backup-alert.

The config (~/.config/syncd/syncd.conf) has one wrong value; the log (~/.local/state/syncd/syncd.log)
ends in repeated errors naming it; the right value comes from IT's mail (the server moved to a new
port; the retention policy) or from the person's own note on the laptop's setup (the folder backups
cover). The checks parse the config as configparser does, section by section.
"""

from __future__ import annotations

import configparser
from typing import Any

from claw_gym import actions as A
from claw_gym import clock
from claw_gym.tasks import Ctx, Grader, values
from claw_gym.world import World

from . import oblique, plant, senders, views, xchain

CONF = ".config/syncd/syncd.conf"
LOG = ".local/state/syncd/syncd.log"


#: what each setting is for, as the shipped config's comments explain it (a real config is mostly comments)
_COMMENTS = {
    "host": "# The backup server this laptop sends its snapshots to.",
    "port": "# Port the server listens on for client uploads.",
    "tls": "# Verify the server's certificate. Never turn this off outside a lab.",
    "source_dir": "# The folder that gets backed up (one path; sub-folders included).",
    "exclude": "# Comma-separated glob patterns that are left out of every backup.",
    "schedule": '# When to run: "daily HH:MM", "hourly" or "manual".',
    "retention_days": "# How many days the server keeps old snapshots (a whole number of days).",
    "max_upload_kbps": "# Upload cap in KiB/s while a backup runs; 0 means no limit.",
    "skip_metered": "# Skip scheduled runs on metered connections such as a phone hotspot.",
    "level": "# One of: debug, info, warn, error.",
    "logfile": "# Where the agent writes its log.",
    "max_size_mb": "# The log is rotated once it grows past this many MiB; three old logs are kept.",
}
#: settings outside the server and backup sections, the same on every laptop (the checks hold them unchanged too)
EXTRA = {
    "max_upload_kbps": "0",
    "skip_metered": "yes",
    "level": "info",
    "logfile": "~/.local/state/syncd/syncd.log",
    "max_size_mb": "10",
}
_HEADER = (
    "# syncd - laptop backup agent configuration\n"
    "#\n"
    "# Installed by IT with the laptop image. Local edits survive agent upgrades;\n"
    "# syncd.conf.example next to this file lists every option with its default.\n"
    "# Restart is not needed: the agent reads this file before every run.\n"
)


def render_conf(values: dict[str, str]) -> str:
    """The config as the laptop image ships it: a header, a comment above each setting, four sections."""
    values = {**EXTRA, **values}
    parts = [_HEADER]
    for section, keys in SECTIONS.items():
        lines = [f"[{section}]"]
        for k in keys:
            lines += [_COMMENTS[k], f"{k} = {values[k]}"]
        parts.append("\n".join(lines) + "\n")
    return "\n".join(parts)


def _log(ctx: Ctx, error: str, good: int) -> tuple[str, int]:
    """The last six nightly runs, at the schedule's 02:00 (the last one this night): ``good`` finished, the rest
    failed on ``error``. (the log's text, the time of its last line)"""
    lines = []
    first = clock.day_start(ctx.now) - 5 * clock.DAY + 2 * clock.HOUR
    t = first
    for d in range(6):
        t = first + d * clock.DAY + int(ctx.rng.integers(0, 40))
        if d < good:
            lines.append(f"{clock.fmt(t)} INFO backup finished: {int(ctx.rng.integers(40, 400))} files")
            continue
        lines.append(f"{clock.fmt(t)} INFO starting scheduled backup")
        lines.append(f"{clock.fmt(t + 2)} ERROR {error}")
        lines.append(f"{clock.fmt(t + 3)} WARN backup aborted, will retry at next schedule")
        t += 3
    return "\n".join(lines) + "\n", t


def broken_world(ctx: Ctx, *, lookalikes: bool = False) -> dict[str, Any]:
    """The broken agent: config with one wrong value, its failing log, the source of the right value.

    ``lookalikes`` (backup-alert at levels 4-5, issue 21): the wrong value is a stale one (the old laptop's
    folder, an older retention) and same-shaped records name the key's words with other values (see
    :func:`_lookalikes`), so one search for the key, the host or the folder finds several candidates; and the
    deciding record names the backup server's owner, whose later short mail overrules its value naming it only
    by its date (:func:`_overruled`): ``value`` is theirs, ``said`` the record's.
    Returns the facts (``key``, ``value``, ``good``, ``fix``); the family adds who raises the problem."""
    host = ctx.pick(["backup.corp.example", "vault.corp.example", "nas.corp.example"])
    good = {
        "host": host,
        "port": str(ctx.pick([8443, 9443, 7443])),
        "tls": "true",
        "source_dir": "/home/user/Documents",
        "exclude": "*.tmp,*.part",
        "schedule": "daily 02:00",
        "retention_days": str(ctx.pick([14, 30, 60, 90])),
    }
    good.update(EXTRA)
    broken = dict(good)
    variant = ctx.variant
    it_name, it = senders.staff(ctx, "it")  # a ticket comes from one of IT's people
    desk = f"servicedesk@{ctx.persona.work_domain}"  # IT's mails to all staff, from its shared address
    deep = _deep(ctx)  # the deciding record's age in days: 30+ at difficulty 4, 60+ at 5
    sign = (
        f"{it_name.split()[0]}\nIT Service Desk | {ctx.persona.employer}\nMon-Fri 08:00-18:00, ext. 4400\n\n"
        "This mailbox is not monitored. For help, open a ticket on the service desk."
    )
    stale = ""  # lookalikes: the older value the wrong one comes from (an older record names it)
    owner = _owner(ctx) if lookalikes else ""  # 4-5: whose word settles the value, named in the deciding record
    says = f"\n\n{owner} runs the backup server and its settings: if any of this changes, word comes from them."
    says = says if owner else ""
    runs_ok = 3 - min(ctx.difficulty, 3) + 1  # the log's finished runs before the failures (see _log)
    ok_until = clock.day_start(ctx.now) + (runs_ok - 6) * clock.DAY  # the day of the last finished run
    if variant == "port":
        old = ctx.pick([p for p in ("8443", "9443", "7443") if p != good["port"]])
        stale = old
        broken["port"] = old
        error = f"cannot connect to {host}:{old}: connection refused"
        decider = plant.mail_in(
            ctx,
            "mail",
            _back(ctx, deep),
            desk,
            "Backup server maintenance done",
            f"Hi all,\n\nthe backup server {host} was migrated over the weekend. It now listens on port "
            f"{good['port']}; the old port {old} stays open until {clock.to_datetime(ok_until):%A} "
            f"{oblique.day_month(ok_until)} and closes that evening. Please update your backup client; the agent "
            f"picks the change up at its next run.{says}\n\nThanks for your patience,\n{sign}",
            who="IT Service Desk",
        )
        fix_cmd = f"sed -i 's/^port = .*/port = {good['port']}/' ~/{CONF}"
        key = "port"
    elif variant == "path":
        typo = ctx.pick(["/home/user/Documnets", "/home/user/Docs", "/home/user/documents"])
        if lookalikes:  # the old laptop's folder, copied over with the settings: it names no right answer
            typo = stale = ctx.pick(["/home/user/Work", "/home/user/Projects", "/home/user/Office"])
        broken["source_dir"] = typo
        error = f"source_dir {typo} does not exist (No such file or directory)"
        decider = plant.note(
            ctx,
            _back(ctx, max(deep, 60)),
            "Laptop setup",
            "Photos sync from /home/user/Pictures to the NAS, not through syncd.\n"
            "Backups (syncd) cover /home/user/Documents only; Desktop and "
            "Downloads are scratch.\nVPN: corp profile, split tunnel.\n"
            "Music lives in /home/user/Music/library; it is on the NAS already."
            + (f"\nWhat syncd covers is {owner}'s call (IT), not mine: their word goes." if owner else ""),
        )
        fix_cmd = f"sed -i 's|^source_dir = .*|source_dir = /home/user/Documents|' ~/{CONF}"
        key = "source_dir"
    else:
        words = {"14": "two weeks", "30": "thirty", "60": "sixty", "90": "ninety"}
        said = good["retention_days"]
        if lookalikes:  # written in words from the older policy, not the one in force: the word is no answer
            said = stale = ctx.pick([k for k in words if k != good["retention_days"]])
        broken["retention_days"] = words[said]
        error = f"invalid value for retention_days: {words[said]!r} (expected a whole number of days)"
        decider = plant.mail_in(
            ctx,
            "mail",
            _back(ctx, deep),
            desk,
            "Backup retention policy",
            f"Hi all,\n\na policy reminder: laptop backups must be kept for {good['retention_days']} days "
            f"(retention_days = {good['retention_days']} in syncd.conf). Audit checks this every quarter.{says}\n\n"
            f"Best,\n{sign}",
            who="IT Service Desk",
        )
        fix_cmd = f"sed -i 's/^retention_days = .*/retention_days = {good['retention_days']}/' ~/{CONF}"
        key = "retention_days"
    files = ctx.svc("files")
    # the port held until the old one closed; a bad folder or retention broke the runs from its edit on
    edited = ctx.now - 9 * clock.DAY if variant == "port" else ok_until + 9 * clock.HOUR
    files.put(CONF, render_conf(broken), time=edited - int(ctx.rng.integers(0, 3000)))
    log, last = _log(ctx, error, runs_ok)
    files.put(LOG, log, time=last)
    files.put(
        ".config/syncd/syncd.conf.example",
        render_conf({**good, "host": "backup.example.org", "port": "443", "retention_days": "7"}),
        time=ctx.now - 300 * clock.DAY - int(ctx.rng.integers(0, 3000)),
    )
    if ctx.difficulty >= 3:  # an unrelated helpdesk ticket and a stale IT mail
        plant.ticket(
            ctx,
            _back(ctx, 30),
            "Printer on floor 3 jams",
            it,
            "The printer on floor 3 jams on every second page. Fixed by replacing the roller.",
        )
        plant.mail_in(
            ctx,
            "mail",
            _back(ctx, 12),
            desk,
            "Reminder: password rotation",
            f"Hi all,\n\nplease rotate your password this month.\n\n{sign}",
            who="IT Service Desk",
        )
    candidates = [decider["id"]]
    if ctx.difficulty >= 4:  # IT mails of the same shape about other servers, ports and policies
        for what, server in (("mail relay", "smtp"), ("VPN gateway", "vpn")):
            other = ctx.pick([x for x in (8443, 9443, 7443, 8843, 6443) if str(x) != good["port"]])
            days = int(ctx.rng.integers(20, 80))
            candidates.append(
                plant.mail_in(
                    ctx,
                    "mail",
                    _back(ctx, days),
                    desk,
                    f"{what[0].upper()}{what[1:]} maintenance done",
                    f"Hi all,\n\nthe {what} {server}.corp.example was migrated. It now listens on port {other}; "
                    f"laptop backups are kept for {ctx.pick([7, 45, 120])} days there.\n\n{sign}",
                    who="IT Service Desk",
                )["id"]
            )
    decided = int(decider.get("time", decider.get("updated")) or 0)
    lookalike = _lookalikes(ctx, key, good, stale, host, desk, sign, decided) if lookalikes else {}
    said = good[key]  # what the deciding record gives; from level 4 its owner's later word overrules it
    word: dict[str, Any] = {}
    if lookalikes:
        word = _overruled(ctx, key, decider, {said, stale, *lookalike.values()}, owner, desk)
        good[key] = word["value"]
        fix_cmd = fix_cmd.replace(said, word["value"])
    facts: dict[str, Any] = {
        "lookalikes": lookalike,
        "key": key,
        "value": good[key],
        "said": said,
        "word": word,
        "good": good,
        "fix": fix_cmd,
        "deciding_at": decided,
        "candidates": candidates if key != "source_dir" else ["Pictures", "Documents", "Music"],
    }
    return facts


#: levels 4-5: what the owner's later word makes the value (never one another record names)
_NEW = {
    "port": ("10443", "9043", "8553", "7543"),
    "retention_days": ("21", "40", "75", "100"),
    "source_dir": ("/home/user/Team", "/home/user/Shared", "/home/user/Clients"),
}
#: the owner's word, by the key: "re <the deciding record, by its date>: <the new value>" (no key word, no id)
_WORDS = {
    "port": "re {ref}: the new number in it only held a few days, uploads go to {new} since the firewall change",
    "retention_days": "re {ref}: audit changed the number in it, make it {new} from this quarter",
    "source_dir": "re {ref}: its second line is out of date, the team's files moved to {new} and that is the one "
    "to cover",
}
#: the owner's same-shaped lines about other IT matters of the person's
_IT_OTHERS = [
    ("printer ticket", "closed, the roller was replaced"),
    ("VPN request", "approved, the profile arrives tonight"),
    ("monitor order", "ordered, it ships on Friday"),
    ("licence request", "approved, install it from the portal"),
    ("password reset", "done, check your phone"),
]


def _owner(ctx: Ctx) -> str:
    """Levels 4-5: who runs the backup server (never sharing a first name with the IT colleague who signs the
    desk's mails, nor with the person's own people)."""
    it_first = senders.staff(ctx, "it")[0].split()[0]
    firsts = {p.first for p in ctx.persona.people} | {it_first, ctx.persona.me.first}
    for role in ("backup", "backup server", "backup admin", "storage", "storage admin"):
        name = senders.staff(ctx, role)[0]
        if name.split()[0] not in firsts:
            return name
    return name


def _ref(ctx: Ctx, kind: str, rec: dict, same: list[dict]) -> str:
    """The deciding record as its owner names it: "the desk's mail of 14 October" (its time too when another of
    ``same`` shares its day)."""
    t = int(rec.get("time", rec.get("updated")) or 0)
    twin = [
        r
        for r in same
        if r["id"] != rec["id"] and clock.day_start(int(r.get("time", r.get("updated")) or 0)) == clock.day_start(t)
    ]
    return f"{kind} of {oblique.day_month(t)}" + (f", the {clock.fmt(t)[-5:]} one" if twin else "")


def _overruled(ctx: Ctx, key: str, decider: dict, taken: set[str], owner: str, desk: str) -> dict[str, Any]:
    """Levels 4-5 (issue 21, session 32): the backup server's owner, named in the deciding record, later changes
    its value in a short mail that names the record only by its date ("re the desk's mail of 14 October: ..."),
    among their same-shaped mails about the person's other IT matters and one about another of the desk's mails.
    Neither the key's words, the host, the folder nor "after all" / "from now on" find it: reading the owner's
    mails since the record does. Returns the new value, the line, its mail's id and the reference."""
    new = ctx.pick([v for v in _NEW[key] if v not in taken])
    decided = int(decider.get("time", decider.get("updated")) or 0)
    if key == "source_dir":
        notes = list(ctx.world.services["notes"].table("notes").values())
        ref = _ref(ctx, "your note", decider, notes)
    else:
        desks = [m for m in ctx.world.services["mail"].table("messages").values() if m["from"] == desk]
        ref = _ref(ctx, "the desk's mail", decider, desks)
    line = _WORDS[key].format(ref=ref, new=new)
    others = [
        f"re your {thing} of {oblique.day_month(decided + int(ctx.rng.integers(-20, 2)) * clock.DAY)}: {verdict}"
        for thing, verdict in ctx.sample(_IT_OTHERS, 2)
    ]
    desks = [m for m in ctx.world.services["mail"].table("messages").values() if m["from"] == desk]
    stray = [m for m in desks if m["subject"] == "Reminder: password rotation"]
    kind = "the desk's mail"
    if stray:  # another of the desk's mails, settled in the same words: the date tells them apart
        others.append(f"re {_ref(ctx, kind, stray[0], desks)}: that one is for the Berlin office only")
    name, email = owner, f"{owner.lower().replace(' ', '.')}@{ctx.persona.work_domain}"

    def post(t: int, text: str) -> dict:
        body = f"Hi,\n\n{text[:1].upper()}{text[1:]}.\n\n{name.split()[0]}"
        return plant.mail_in(ctx, "mail", t, email, "Quick one", body, who=name)

    start = max([decided + 2 * clock.DAY] + [int(m["time"]) + clock.DAY for m in stray])
    rec = oblique.among(ctx, post, line, others, start, ctx.now - clock.DAY)
    return {"value": new, "line": line, "ref": ref, "msg": str(rec["id"]), "owner": name, "from": email}


#: folders and ports the look-alikes name (never the right value: that is always Documents, or good["port"])
_OTHER_PORTS = ("5443", "6443", "8843", "4443")


def _lookalikes(
    ctx: Ctx, key: str, good: dict[str, str], stale: str, host: str, desk: str, sign: str, decided: int
) -> dict[str, str]:
    """Same-shaped records around the deciding one that name the key's words with other values (issue 21,
    point 3): an older version on another channel (IT's setup ticket, the old laptop's note, the move's
    announcement) that gave the stale value, another matter of the same words (the server's web console,
    the shared drive's retention), and a colleague's later hearsay (no authority over IT's settings or the
    person's own). Returns {kind: value named} for the tests."""
    days = max(1, (ctx.now - decided) // clock.DAY)
    older = _back(ctx, min(days + int(ctx.rng.integers(5, 12)), 87))
    later = _back(ctx, int(ctx.rng.integers(8, max(9, days - 3))))
    mate = ctx.pick(ctx.persona.by_relation("colleague"))
    it_name, it = senders.staff(ctx, "it")
    if key == "port":
        planned = next(p for p in ("8443", "9443", "7443") if p not in (good["port"], stale))
        console, heard = ctx.sample(list(_OTHER_PORTS), 2)
        plant.mail_in(
            ctx,
            "mail",
            older,
            desk,
            "Backup server maintenance this weekend",
            f"Hi all,\n\nthis weekend the backup server {host} moves to new hardware. Afterwards it will listen "
            f"on port {planned} instead of {stale}; we will confirm once it is done.\n\nThanks,\n{sign}",
            who="IT Service Desk",
        )
        _desk_mail(
            ctx,
            desk,
            "Backup server: restore files yourself",
            f"Hi all,\n\nyou can restore files yourself now: the web console of {host} is on port {console} "
            f"(https://{host}:{console}/restore), sign in with your usual account. Backups themselves are "
            f"unchanged.\n\nBest,\n{sign}",
        )
        _mate_mail(
            ctx,
            later,
            mate,
            "backups",
            f"Hi,\n\nsomeone in my team said {host} is on port {heard} since the move, maybe try that if yours "
            f"acts up. No idea if IT ever sent anything.\n\n{mate.first}",
        )
        return {"planned": planned, "console": console, "heard": heard}
    if key == "retention_days":
        shared, heard = ctx.sample([k for k in ("7", "45", "120", "180") if k != good[key]], 2)
        plant.ticket(
            ctx,
            older - 2 * clock.DAY,
            "Your new laptop: backups",
            it,
            f"Hi, {it_name.split()[0]} from IT here. syncd is set up on your new laptop: it backs up "
            f"/home/user/Documents every night at 02:00, and the server keeps each snapshot {stale} days "
            f"(retention_days = {stale}). Nothing to do on your side.",
            status="solved",
        )
        _desk_mail(
            ctx,
            desk,
            "Shared drive retention policy",
            f"Hi all,\n\na policy reminder: snapshots of the team shares must be kept for {shared} days "
            f"(retention_days = {shared} in the share settings; IT sets this, not you).\n\nBest,\n{sign}",
        )
        _mate_mail(
            ctx,
            later,
            mate,
            "retention",
            f"Hi,\n\nI think audit wants retention_days = {heard} now, at least that is what I put on mine after "
            f"the last audit. Might be worth checking yours.\n\n{mate.first}",
        )
        return {"older": stale, "shared": shared, "heard": heard}
    plant.note(
        ctx,
        older,
        "Old laptop",
        f"The old ThinkPad goes back to IT after the new one is set up.\nBackups (syncd) covered {stale} only; "
        "the rest was on the NAS.\nVPN: old profile, full tunnel.\nAsset tag is on the bottom, under the battery.",
    )
    plant.mail_in(
        ctx,
        "mail",
        later,
        mate.email,
        "syncd tip",
        f"Hi,\n\ntip from me: point syncd at the whole /home/user, then nothing ever gets missed. That's how "
        f"mine runs.\n\n{mate.first}",
        who=mate.name,
    )
    return {"older": stale, "heard": "/home/user"}


def _back(ctx: Ctx, days: int) -> int:
    """A working-hours moment at least ``days`` days back (IT writes in office hours, at any minute)."""
    return xchain.days_back(ctx, days + 1, days + 1)


def _deep(ctx: Ctx) -> int:
    """Days back of the record that gives the right value: about a week below difficulty 4, 31+ at 4, 61+ at 5."""
    if ctx.difficulty >= 5:
        return 61 + int(ctx.rng.integers(0, 15))
    if ctx.difficulty == 4:
        return 31 + int(ctx.rng.integers(0, 15))
    return int(ctx.rng.integers(7, 21))


SECTIONS = {
    "server": ("host", "port", "tls"),
    "backup": ("source_dir", "exclude", "schedule", "retention_days"),
    "network": ("max_upload_kbps", "skip_metered"),
    "logging": ("level", "logfile", "max_size_mb"),
}


def settings(text: str) -> list[tuple[str, str, str]]:
    """Every (section, key, value) the file sets, as configparser reads it (repeats kept, so a key set twice shows).

    Raises ValueError on a file the parser can't read."""
    out = []
    for section, body in _sections(text):
        conf = values.read_config(body)
        out += [(section, k, v) for k, v in conf.items()]
    return out


def _sections(text: str) -> list[tuple[str, str]]:
    """The file cut at its section headers (as configparser finds them), each part parsed on its own."""
    parts: list[tuple[str, str]] = [("", "")]
    for line in text.splitlines(keepends=True):
        head = configparser.ConfigParser.SECTCRE.match(line.strip()) if line[:1] == "[" else None
        if head:
            parts.append((head.group("header").strip(), ""))
        else:
            parts[-1] = (parts[-1][0], parts[-1][1] + line)
    return parts


def _one(found: list[tuple[str, str, str]], key: str, section: str) -> str | None:
    """The key's value when the file sets it exactly once, in its own section (else None: missing or hedged)."""
    hits = [(s, v) for s, k, v in found if k == key]
    return hits[0][1] if len(hits) == 1 and hits[0][0] == section else None


def check_config(world: World, f: dict[str, Any], g: Grader, *, asked: str) -> bool:
    """The config's checks: it still exists, the broken key has its right value, nothing else changed.

    ``asked`` says why the agent should look at all (the check's because). False when the config is gone."""
    key, want = f["key"], f["value"]
    source = {
        "port": "IT's mail about the server move",
        "retention_days": "IT's retention policy mail",
        "source_dir": "the note 'Laptop setup'",
    }[key]
    if f.get("word"):  # levels 4-5: the owner's later word overrules it
        source = f"{f['word']['owner']}'s mail re {f['word']['ref']}"
    rec = views.files(world).find(CONF)
    present = g.expect(
        "config still exists", rec is not None, f"~/{CONF} {'present' if rec else 'missing'}", because=asked
    )
    if not present or rec is None:
        return False
    try:
        found, broken = settings(rec["content"]), ""
    except ValueError as exc:
        found, broken = [], str(exc)
    where = {k: s for s, keys in SECTIONS.items() for k in keys}
    shown = ", ".join(f"[{s}] {k} = {v!r}" for s, k, v in found if k == key) or f"no {key}"
    g.expect(
        f"{key} is fixed",
        values.same_setting(_one(found, key, where[key]), want),
        broken or f"{shown}; {source} gives {want!r}",
        because=f"the log's errors name {key}; {source} gives its right value",
    )
    changed = sorted(
        k for k, v in f["good"].items() if k != key and not values.same_setting(_one(found, k, where[k]), v)
    )
    added = sorted({f"[{s}] {k}" for s, k, _ in found if k not in where})
    g.expect(
        "other settings unchanged",
        not changed and not added and not broken,
        broken or f"changed: {', '.join(changed) or 'none'}; added: {', '.join(added) or 'none'}",
        because="the log names one broken setting; the others work and the backups depend on them",
    )
    return True


def fix_steps(f: dict[str, Any]) -> list[str]:
    """Read the log and config, find the right value where it lives, fix the one key (shared with backup-alert)."""
    steps = [A.shell(f"tail -n 4 ~/{LOG}"), A.shell(f"cat ~/{CONF}")]
    if f["key"] == "port":
        steps.append(A.shell("claw mail search backup --limit 3"))
    elif f["key"] == "retention_days":
        steps.append(A.shell("claw mail search retention --limit 3"))
    else:
        steps.append(A.shell("claw notes list --query syncd"))
    if f.get("word"):  # the owner the record names: their mails since
        steps.append(A.api("events.search", person=f["word"]["owner"]))
    return steps + [A.shell(f["fix"] + f" && grep -n '^{f['key']}' ~/{CONF}")]


def _desk_mail(ctx: Ctx, desk: str, subject: str, body: str) -> None:
    """IT's mail about another matter, 10-40 days back (a look-alike for the key's words)."""
    plant.mail_in(ctx, "mail", _back(ctx, int(ctx.rng.integers(10, 40))), desk, subject, body, who="IT Service Desk")


def _mate_mail(ctx: Ctx, t: int, mate: Any, subject: str, body: str) -> None:
    """A colleague's hearsay at ``t``: no authority, never confirmed."""
    plant.mail_in(ctx, "mail", t, mate.email, subject, body, who=mate.name)
