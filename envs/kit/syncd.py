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

from . import views

CONF = ".config/syncd/syncd.conf"
LOG = ".local/state/syncd/syncd.log"


def render_conf(values: dict[str, str]) -> str:
    lines = ["# syncd: laptop backup agent", "[server]"]
    for k in ("host", "port", "tls"):
        lines.append(f"{k} = {values[k]}")
    lines += ["", "[backup]"]
    for k in ("source_dir", "exclude", "schedule", "retention_days"):
        lines.append(f"{k} = {values[k]}")
    return "\n".join(lines) + "\n"


def _log(ctx: Ctx, error: str, good: int) -> str:
    lines = []
    t0 = ctx.now - 6 * clock.DAY
    for d in range(good):
        lines.append(f"{clock.fmt(t0 + d * clock.DAY)} INFO backup finished: {int(ctx.rng.integers(40, 400))} files")
    for d in range(good, 6):
        t = t0 + d * clock.DAY
        lines.append(f"{clock.fmt(t)} INFO starting scheduled backup")
        lines.append(f"{clock.fmt(t + 2)} ERROR {error}")
        lines.append(f"{clock.fmt(t + 3)} WARN backup aborted, will retry at next schedule")
    return "\n".join(lines) + "\n"


def broken_world(ctx: Ctx) -> dict[str, Any]:
    """The broken agent: config with one wrong value, its failing log, the source of the right value.

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
    broken = dict(good)
    variant = ctx.variant
    mail, desk = ctx.svc("mail"), ctx.svc("helpdesk")
    it = f"it-support@{ctx.persona.work_domain}"
    deep = _deep(ctx)  # the deciding record's age in days: 30+ at difficulty 4, 60+ at 5
    if variant == "port":
        old = ctx.pick([p for p in ("8443", "9443", "7443") if p != good["port"]])
        broken["port"] = old
        error = f"cannot connect to {host}:{old}: connection refused"
        decider = mail.deliver(
            it,
            "Backup server maintenance done",
            f"Hi all,\n\nthe backup server {host} was migrated. It now listens on port "
            f"{good['port']} (the old port {old} is closed). Please update your backup client.\n\nIT",
            time=ctx.now - deep * clock.DAY - int(ctx.rng.integers(0, 36000)),
        )
        fix_cmd = f"sed -i 's/^port = .*/port = {good['port']}/' ~/{CONF}"
        key = "port"
    elif variant == "path":
        typo = ctx.pick(["/home/user/Documnets", "/home/user/Docs", "/home/user/documents"])
        broken["source_dir"] = typo
        error = f"source_dir {typo} does not exist (No such file or directory)"
        decider = ctx.svc("notes").add(
            "Laptop setup",
            "Photos sync from /home/user/Pictures to the NAS, not through syncd.\n"
            "Backups (syncd) cover /home/user/Documents only; Desktop and "
            "Downloads are scratch.\nVPN: corp profile, split tunnel.\n"
            "Music lives in /home/user/Music/library; it is on the NAS already.",
            time=ctx.now - max(deep, 60) * clock.DAY - int(ctx.rng.integers(0, 36000)),
        )
        fix_cmd = f"sed -i 's|^source_dir = .*|source_dir = /home/user/Documents|' ~/{CONF}"
        key = "source_dir"
    else:
        words = {"14": "two weeks", "30": "thirty", "60": "sixty", "90": "ninety"}
        broken["retention_days"] = words[good["retention_days"]]
        error = f"invalid value for retention_days: {words[good['retention_days']]!r} (expected a whole number of days)"
        decider = mail.deliver(
            it,
            "Backup retention policy",
            f"Policy reminder: laptop backups must be kept for {good['retention_days']} days "
            f"(retention_days = {good['retention_days']} in syncd.conf).\n\nIT",
            time=ctx.now - deep * clock.DAY - int(ctx.rng.integers(0, 36000)),
        )
        fix_cmd = f"sed -i 's/^retention_days = .*/retention_days = {good['retention_days']}/' ~/{CONF}"
        key = "retention_days"
    files = ctx.svc("files")
    files.put(CONF, render_conf(broken), time=ctx.now - 9 * clock.DAY - int(ctx.rng.integers(0, 3000)))
    files.put(
        LOG,
        _log(ctx, error, 3 - min(ctx.difficulty, 3) + 1),
        time=ctx.now - clock.HOUR - int(ctx.rng.integers(0, 3000)),
    )
    files.put(
        ".config/syncd/syncd.conf.example",
        render_conf({**good, "host": "backup.example.org", "port": "443", "retention_days": "7"}),
        time=ctx.now - 300 * clock.DAY - int(ctx.rng.integers(0, 3000)),
    )
    if ctx.difficulty >= 3:  # an unrelated helpdesk ticket and a stale IT mail
        desk.open_ticket("Printer on floor 3 jams", it, "Fixed by replacing the roller.", time=ctx.now - 30 * clock.DAY)
        mail.deliver(
            it, "Reminder: password rotation", "Please rotate your password this month.", time=ctx.now - 12 * clock.DAY
        )
    candidates = [decider["id"]]
    if ctx.difficulty >= 4:  # IT mails of the same shape about other servers, ports and policies
        for what, server in (("mail relay", "smtp"), ("VPN gateway", "vpn")):
            other = ctx.pick([x for x in (8443, 9443, 7443, 8843, 6443) if str(x) != good["port"]])
            days = int(ctx.rng.integers(20, 80))
            candidates.append(
                mail.deliver(
                    it,
                    f"{what[0].upper()}{what[1:]} maintenance done",
                    f"Hi all,\n\nthe {what} {server}.corp.example was migrated. It now listens on port {other}; "
                    f"laptop backups are kept for {ctx.pick([7, 45, 120])} days there.\n\nIT",
                    time=ctx.now - days * clock.DAY - int(ctx.rng.integers(0, 36000)),
                )["id"]
            )
    facts: dict[str, Any] = {
        "key": key,
        "value": good[key],
        "good": good,
        "fix": fix_cmd,
        "deciding_at": decider.get("time", decider.get("updated")),
        "candidates": candidates if key != "source_dir" else ["Pictures", "Documents", "Music"],
    }
    return facts


def _deep(ctx: Ctx) -> int:
    """Days back of the record that gives the right value: about a week below difficulty 4, 31+ at 4, 61+ at 5."""
    if ctx.difficulty >= 5:
        return 61 + int(ctx.rng.integers(0, 15))
    if ctx.difficulty == 4:
        return 31 + int(ctx.rng.integers(0, 15))
    return int(ctx.rng.integers(7, 21))


SECTIONS = {"server": ("host", "port", "tls"), "backup": ("source_dir", "exclude", "schedule", "retention_days")}


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
    return steps + [A.shell(f["fix"] + f" && grep -n '^{f['key']}' ~/{CONF}")]
