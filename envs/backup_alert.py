"""Proactive twin of config-fix: nobody asks; the backup agent's alert mail arrives later.

The world is config-fix's (the kit's :mod:`.kit.syncd`: a broken value in ~/.config/syncd/syncd.conf, the log, IT's
mail or the person's setup note) without IT's ticket; there is no instruction. Some
time into the episode (later with difficulty) the backup monitor opens a helpdesk
ticket "backups failing" that says by when the server starts pruning old snapshots (tighter with
difficulty); the task is judged then, on config-fix's checks of the config.

From level 4 the value's source sits 30+ (60+ at 5) days back among IT's same-shaped mails (the kit's), and
the key's words find look-alikes that name other values (the kit's ``lookalikes``: an older version on another
channel that gave the broken value, another matter of the same words, a colleague's later hearsay); the
monitor's ticket no longer names the log's path, and it asks for a second goal in its own words: set the
ticket to solved once the config is fixed (the monitor reopens it if the next run fails). The deciding record
names the backup server's owner, whose later mail ("re the desk's mail of 14 October: ...", among their lines about
other IT matters) overrules its value: the kit's ``_overruled`` (session 32).
"""

from __future__ import annotations

from typing import Any

from claw_gym import actions as A
from claw_gym import clock
from claw_gym.tasks import Ctx, Family, Grader, Scenario
from claw_gym.tasks.footprint import Footprint, Own, path_is
from claw_gym.world import World

from .kit import arrivals, deadlines, notation, syncd

ALERT = (
    "No backup from this laptop has arrived for several days. See ~/.local/state/syncd/syncd.log on the laptop. "
    "If it isn't backing up again by {by}, the server starts pruning this laptop's oldest snapshots."
)
#: levels 4-5: the path left to the agent, and a second goal in the ticket's own words
DEEP_ALERT = (
    "No backup from this laptop has arrived for several days; the backup agent's own log on the laptop says why. "
    "It has to be backing up again before {by}, when the server starts pruning this laptop's oldest snapshots. "
    "Once you've fixed it, set this ticket to solved - we reopen it ourselves if tonight's run fails."
)


def generate(ctx: Ctx) -> Scenario:
    deep = ctx.difficulty >= 4
    base = syncd.broken_world(ctx, lookalikes=deep)
    t = deadlines.trigger_time(ctx)
    limit = deadlines.stated_limit(ctx, t)  # the ticket states it: judged then
    alert = arrivals.arrive_ticket(
        ctx,
        t,
        "syncd: backups failing on your laptop",
        f"backup-monitor@{ctx.persona.work_domain}",
        (DEEP_ALERT if deep else ALERT).format(by=notation.hhmm(limit)),
    )
    return Scenario(
        None,
        {**base, "alert": alert, "trigger_at": t, "solve": deep},
        deadline=limit + deadlines.GRACE,
        trigger=f"{clock.fmt(t)}: the backup monitor opens a ticket, backups are failing",
    )


def check(world: World, f: dict[str, Any], g: Grader) -> None:
    syncd.check_config(world, f, g, asked="the backup monitor's ticket says backups fail and points at the log")
    if f["solve"]:
        ticket = world.services["helpdesk"].table("tickets").get(f["alert"])
        status = "not arrived" if ticket is None else ticket["status"]
        g.expect(
            "the monitor's ticket is set to solved",
            status == "solved",
            f"the ticket is {status}",
            because="the monitor's ticket asks to set it to solved once the config is fixed",
        )


def oracle(world: World, f: dict[str, Any]) -> list[str]:
    return (
        [A.wait(f["trigger_at"] - world.clock.now + 60, wake=False), A.shell(f"claw helpdesk get {f['alert']}")]
        + syncd.fix_steps(f)
        + ([A.shell(f"claw helpdesk update {f['alert']} --status solved")] if f["solve"] else [])
        + [A.wait(8 * clock.HOUR, wake=False)]
    )  # judged at the deadline


FAMILY = Family(
    name="backup-alert",
    count=63,
    kind="proactive",
    services=("files", "mail", "helpdesk", "calendar", "notes"),
    summary="Unasked: after the backup monitor's ticket, the config value its log complains about is fixed "
    "(as in config-fix) by the time the ticket says old snapshots get pruned; every other setting is unchanged. "
    "From level 4 the ticket is also set "
    "to solved, as it asks.",
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
