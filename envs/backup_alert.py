"""Proactive twin of config-fix: nobody asks; the backup agent's alert mail arrives later.

The world is config-fix's (the kit's :mod:`.kit.syncd`: a broken value in ~/.config/syncd/syncd.conf, the log, IT's
mail or the person's setup note) without IT's ticket; there is no instruction. Some
time into the episode (later with difficulty) the backup monitor opens a helpdesk
ticket "backups failing"; the task is judged at the deadline (tighter with difficulty)
on config-fix's checks of the config.
"""

from __future__ import annotations

from typing import Any

from claw_gym import actions as A
from claw_gym import clock
from claw_gym.tasks import Ctx, Family, Grader, Scenario
from claw_gym.tasks.footprint import Footprint, Own, path_is
from claw_gym.world import World

from .kit import arrivals, deadlines, syncd


def generate(ctx: Ctx) -> Scenario:
    base = syncd.broken_world(ctx)
    t = deadlines.trigger_time(ctx)
    alert = arrivals.arrive_ticket(
        ctx,
        t,
        "syncd: backups failing on your laptop",
        f"backup-monitor@{ctx.persona.work_domain}",
        "No backup from this laptop has arrived for several days. See ~/.local/state/syncd/syncd.log on the laptop.",
    )
    return Scenario(
        None,
        {**base, "alert": alert, "trigger_at": t},
        deadline=deadlines.deadline_after(ctx, t),
        trigger=f"{clock.fmt(t)}: the backup monitor opens a ticket, backups are failing",
    )


def check(world: World, f: dict[str, Any], g: Grader) -> None:
    syncd.check_config(world, f, g, asked="the backup monitor's ticket says backups fail and points at the log")


def oracle(world: World, f: dict[str, Any]) -> list[str]:
    return (
        [A.wait(f["trigger_at"] - world.clock.now + 60, wake=False), A.shell(f"claw helpdesk get {f['alert']}")]
        + syncd.fix_steps(f)
        + [A.wait(8 * clock.HOUR, wake=False)]
    )  # judged at the deadline


FAMILY = Family(
    name="backup-alert",
    count=63,
    kind="proactive",
    services=("files", "mail", "helpdesk", "calendar", "notes"),
    summary="Unasked: after the backup monitor's ticket, the config value its log complains about is fixed "
    "(as in config-fix) before the deadline; every other setting is unchanged.",
    generate=generate,
    check=check,
    oracle=oracle,
    devices=("laptop",),
    variants=("port", "path", "retention"),
    tasks_per_variant=7,
    max_steps=40,
    tags=("laptop",),
    footprint=Footprint(owns=(Own("files.files", where=path_is(syncd.CONF)), Own("helpdesk.tickets", ids=("alert",)))),
)
