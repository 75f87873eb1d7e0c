"""People who write to the person on an organisation's behalf, shaped like the background's senders.

A family that has IT, a supplier or a venue write needs a sender. A role address a family spells
itself (``it-support@...``) is a shape the background never has in a ticket queue or a work inbox,
where people write as themselves (``first.last@domain``): a classifier finds the family's records by
it. :func:`staff` draws such a person, deterministic from (world, ``role``) and without touching the
family's ``ctx.rng``, never one of the persona's own people.
"""

from __future__ import annotations

from claw_gym.persona import FIRST, LAST
from claw_gym.rng import derive_rng
from claw_gym.tasks import Ctx


def staff(ctx: Ctx, role: str, domain: str = "") -> tuple[str, str]:
    """(name, address) of someone who writes for ``role`` (e.g. "it") at ``domain`` (default: the
    persona's employer's): the same person for the same role throughout one world."""
    dom = domain or ctx.persona.work_domain
    taken = {p.name for p in ctx.persona.people} | {ctx.persona.me.name}
    rng = derive_rng(ctx.world.task_id, ctx.world.seed, "staff", role)
    while True:
        name = f"{FIRST[int(rng.integers(len(FIRST)))]} {LAST[int(rng.integers(len(LAST)))]}"
        if name not in taken:
            return name, f"{name.lower().replace(' ', '.')}@{dom}"
