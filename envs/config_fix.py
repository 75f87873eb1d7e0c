"""Fix the laptop's backup agent: its log shows which config value is broken.

IT's helpdesk ticket says the laptop's backups stopped arriving and asks for a word on
the ticket once fixed. The log (~/.local/state/syncd/syncd.log) ends in repeated errors;
the config (~/.config/syncd/syncd.conf) has one wrong value. What the right value is
comes from IT's mail (the server moved to a new port; the retention policy) or from the
person's own note on the laptop's setup (the folder backups cover). The checker parses
the config from the files service: the broken key has the right value, every other key
is unchanged, and the ticket got a public answer. Three services on every path: the
ticket (helpdesk), the log and config (files), the source of the right value (mail or notes). At 4-5 the kit's
look-alikes, and the owner the deciding record names overrules its value by a mail naming it only by its date.
"""

from __future__ import annotations

from typing import Any

from claw_gym import actions as A
from claw_gym.plural import count
from claw_gym.tasks import Ctx, Family, Grader, Scenario
from claw_gym.tasks.footprint import Footprint, Own, path_is
from claw_gym.world import World

from .kit import plant, senders, syncd, xchain

CONF = syncd.CONF


def generate(ctx: Ctx) -> Scenario:
    """syncd's broken world (the kit's), and IT's ticket asking for the fix."""
    facts = syncd.broken_world(ctx, lookalikes=ctx.difficulty >= 4)  # 4-5: several candidates (issue 21)
    it_name, it = senders.staff(ctx, "it")
    facts["ticket"] = plant.ticket(
        ctx,
        xchain.days_back(ctx, 1, 1),
        "Laptop backups failing",
        it,
        "Hi,\n\nour backup server has had no backup from your laptop for days. Please fix "
        "the syncd client and answer on this ticket when it is done.\n\n"
        f"Thanks,\n{it_name.split()[0]}\nIT Service Desk",
    )["id"]
    instruction = ctx.pick(
        [
            "IT says my laptop's backups have been failing for days. Look at the backup agent's log, "
            "fix its configuration and let them know on their ticket.",
            "syncd (the backup agent on my laptop) keeps failing and IT opened a ticket about it - "
            "check the log, fix the config and answer them, please.",
            "Could you sort out the failing backups on my laptop? The backup agent's log should say "
            "what is wrong with its config. Tell IT on their ticket when it works again.",
        ]
    )
    return Scenario(instruction, facts)


def check(world: World, f: dict[str, Any], g: Grader) -> None:
    if not syncd.check_config(world, f, g, asked="the instruction asks to fix the backup agent's config"):
        return
    t = world.services["helpdesk"].table("tickets")[f["ticket"]]
    public = [c for c in t["comments"] if c["public"]]
    g.expect(
        "IT got an answer on their ticket",
        bool(public),
        f"{count(len(public), 'public comment')} on {f['ticket']}",
        because="the instruction (and IT's ticket) asks to answer on the ticket",
    )


def oracle(world: World, f: dict[str, Any]) -> list[str]:
    return (
        [A.shell(f"claw helpdesk get {f['ticket']}")]
        + syncd.fix_steps(f)
        + [
            A.shell(
                f"claw helpdesk comment {f['ticket']} --text 'Fixed {f['key']} in the syncd config; "
                "backups should run again tonight.'"
            ),
            A.finish(f"Fixed {f['key']} in syncd.conf and told IT."),
        ]
    )


FAMILY = Family(
    name="config-fix",
    count=63,
    kind="reactive",
    services=("files", "mail", "helpdesk", "calendar", "notes"),
    summary="The key the backup agent's log complains about has its right value (from IT's mail or the person's "
    "setup note; at 4-5 as the backup server's owner, named there, later overrules it) in "
    "~/.config/syncd/syncd.conf; every other setting is unchanged; IT's ticket is answered.",
    generate=generate,
    check=check,
    oracle=oracle,
    devices=("laptop",),
    variants=("port", "path", "retention"),
    tasks_per_variant=10,
    max_steps=25,
    tags=("laptop",),
    footprint=Footprint(owns=(Own("files.files", where=path_is(CONF)), Own("helpdesk.tickets", ids=("ticket",)))),
)
