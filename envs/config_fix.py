"""Fix the laptop's backup agent: its log shows which config value is broken.

The log (~/.local/state/syncd/syncd.log) ends in repeated errors; the config
(~/.config/syncd/syncd.conf) has one wrong value. What the right value is comes
from the log itself (a typo'd folder), from IT's mail (the server moved to a new
port) or from the helpdesk ticket (the retention policy). The checker parses the
config from the files service: the broken key has the right value, every other
key is unchanged.
"""

from __future__ import annotations

from typing import Any

from claw_gym import actions as A
from claw_gym import clock
from claw_gym.tasks import Ctx, Family, Grader, Scenario
from claw_gym.world import World

CONF = ".config/syncd/syncd.conf"
LOG = ".local/state/syncd/syncd.log"


def parse_conf(text: str) -> dict[str, str]:
    """key = value lines (last one wins); comments and [sections] ignored."""
    out: dict[str, str] = {}
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith(("#", ";", "[")) or "=" not in line:
            continue
        k, _, v = line.partition("=")
        out[k.strip()] = v.strip().strip('"')
    return out


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


def generate(ctx: Ctx) -> Scenario:
    host = ctx.pick(["backup.corp.example", "vault.corp.example", "nas.corp.example"])
    good = {"host": host, "port": str(ctx.pick([8443, 9443, 7443])), "tls": "true",
            "source_dir": "/home/user/Documents", "exclude": "*.tmp,*.part", "schedule": "daily 02:00",
            "retention_days": str(ctx.pick([14, 30, 60, 90]))}
    broken = dict(good)
    variant = ctx.variant
    mail, desk = ctx.svc("mail"), ctx.svc("helpdesk")
    it = f"it-support@{ctx.world.persona.work_domain}"
    if variant == "port":
        old = ctx.pick([p for p in ("8443", "9443", "7443") if p != good["port"]])
        broken["port"] = old
        error = f"cannot connect to {host}:{old}: connection refused"
        mail.deliver(it, "Backup server maintenance done",
                     f"Hi all,\n\nthe backup server {host} was migrated last week. It now listens on port "
                     f"{good['port']} (the old port {old} is closed). Please update your backup client.\n\nIT",
                     time=ctx.now - 8 * clock.DAY)
        fix_cmd = f"sed -i 's/^port = .*/port = {good['port']}/' ~/{CONF}"
        key = "port"
    elif variant == "path":
        typo = ctx.pick(["/home/user/Documnets", "/home/user/Docments", "/home/user/documents"])
        broken["source_dir"] = typo
        error = f"source_dir {typo} does not exist (No such file or directory)"
        fix_cmd = f"sed -i 's|^source_dir = .*|source_dir = /home/user/Documents|' ~/{CONF}"
        key = "source_dir"
    else:
        words = {"14": "two weeks", "30": "thirty", "60": "sixty", "90": "ninety"}
        broken["retention_days"] = words[good["retention_days"]]
        error = f"invalid value for retention_days: {words[good['retention_days']]!r} (expected a whole number of days)"
        desk.open_ticket("Backup retention policy", it,
                         f"Policy reminder: laptop backups must be kept for {good['retention_days']} days "
                         f"(retention_days = {good['retention_days']} in syncd.conf).", time=ctx.now - 20 * clock.DAY)
        fix_cmd = f"sed -i 's/^retention_days = .*/retention_days = {good['retention_days']}/' ~/{CONF}"
        key = "retention_days"
    files = ctx.svc("files")
    files.put(CONF, render_conf(broken), time=ctx.now - 9 * clock.DAY)
    files.put(LOG, _log(ctx, error, 3 - min(ctx.difficulty, 3) + 1), time=ctx.now - clock.HOUR)
    files.put(".config/syncd/syncd.conf.example", render_conf({**good, "host": "backup.example.org",
                                                               "port": "443", "retention_days": "7"}),
              time=ctx.now - 300 * clock.DAY)
    if ctx.difficulty >= 3:  # an unrelated helpdesk ticket and a stale IT mail
        desk.open_ticket("Printer on floor 3 jams", it, "Fixed by replacing the roller.", time=ctx.now - 30 * clock.DAY)
        mail.deliver(it, "Reminder: password rotation", "Please rotate your password this month.",
                     time=ctx.now - 12 * clock.DAY)
    instruction = ctx.pick(["My laptop's backups have been failing for days. Look at the backup agent's log and "
                            "fix its configuration.",
                            "syncd (the backup agent on my laptop) keeps failing - check the log and fix the config, "
                            "please."])
    return Scenario(instruction, {"key": key, "value": good[key], "good": good, "fix": fix_cmd})


def check(world: World, f: dict[str, Any], g: Grader) -> None:
    rec = world.services["files"].find(CONF)
    if not g.expect("config still exists", rec is not None):
        return
    conf = parse_conf(rec["content"])  # type: ignore[index]
    g.expect(f"{f['key']} is fixed", conf.get(f["key"]) == f["value"],
             f"{f['key']} = {conf.get(f['key'])!r}, expected {f['value']!r}")
    changed = sorted(k for k, v in f["good"].items() if k != f["key"] and conf.get(k) != v)
    g.expect("other settings unchanged", not changed, f"changed: {changed}")


def oracle(world: World, f: dict[str, Any]) -> list[str]:
    steps = [A.shell(f"tail -n 4 ~/{LOG}"), A.shell(f"cat ~/{CONF}")]
    if f["key"] == "port":
        steps.append(A.shell("claw mail search backup --limit 3"))
    elif f["key"] == "retention_days":
        steps.append(A.shell("claw helpdesk list --limit 10"))
    steps += [A.shell(f["fix"] + f" && grep -n '^{f['key']}' ~/{CONF}"),
              A.finish(f"Fixed {f['key']} in syncd.conf.")]
    return steps


FAMILY = Family(
    name="config-fix",
    kind="reactive",
    services=("files", "mail", "helpdesk", "calendar", "notes"),
    summary="The key the backup agent's log complains about has its right value (from the log, IT's mail or the "
            "helpdesk ticket) in ~/.config/syncd/syncd.conf; every other setting is unchanged.",
    generate=generate, check=check, oracle=oracle, devices=("laptop",),
    variants=("port", "path", "retention"), tasks_per_variant=10, max_steps=25, tags=("laptop",),
)
