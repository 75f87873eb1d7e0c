"""Proactive twin of config-fix: nobody asks; the backup agent's alert mail arrives later.

The world is config-fix's (a broken value in ~/.config/syncd/syncd.conf, the log, IT's
mail or ticket); there is no instruction. Some time into the episode the agent
mails "backups are failing"; the task is judged a few hours after that, on the same
checks as config-fix.
"""

from __future__ import annotations

from typing import Any

from claw_gym import actions as A
from claw_gym import clock
from claw_gym.events import Event
from claw_gym.tasks import Ctx, Family, Grader, Scenario
from claw_gym.world import World

from . import config_fix


def generate(ctx: Ctx) -> Scenario:
    base = config_fix.generate(ctx)
    t = ctx.now + int(ctx.rng.integers(20, 90)) * clock.MINUTE
    mail = ctx.svc("mail")
    sender = "syncd@laptop.local"
    subject = "syncd: backups failing"
    ctx.world.schedule(Event(t, "mail", "mail.received", f"from {sender}: {subject}", "messages",
                             {"time": t, "from": sender, "to": [mail.address()], "cc": [], "subject": subject,
                              "body": "The last scheduled backups failed. See ~/.local/state/syncd/syncd.log.",
                              "folder": "inbox", "read": False, "attachments": []}))
    return Scenario(None, {**base.facts, "alert": t}, deadline=t + 4 * clock.HOUR,
                    trigger=f"{clock.fmt(t)}: syncd mails that backups are failing")


def check(world: World, f: dict[str, Any], g: Grader) -> None:
    config_fix.check(world, f, g)


def oracle(world: World, f: dict[str, Any]) -> list[str]:
    steps = [A.wait(max(1, f["alert"] - world.clock.now + 60)), A.shell("claw mail list --unread-only --limit 3")]
    return steps + config_fix.oracle(world, f)


FAMILY = Family(
    name="backup-alert",
    kind="proactive",
    services=("files", "mail", "helpdesk", "calendar", "notes"),
    summary="Unasked: after the backup agent's alert mail, the config value its log complains about is fixed "
            "(as in config-fix) before the deadline; every other setting is unchanged.",
    generate=generate, check=check, oracle=oracle, devices=("laptop",),
    variants=("port", "path", "retention"), tasks_per_variant=6, max_steps=30, tags=("laptop",),
)
