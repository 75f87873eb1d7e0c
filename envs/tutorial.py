"""Tutorial family: a first rung for curricula, kept out of the 2,000-task suite.

The suite's tasks take five or more well-chosen calls; an RL agent that starts from
random menu choices never sees a reward there. ``tutorial-todo`` asks for one thing
("I finished X, tick it off") that a menu agent can stumble on, so a curriculum has
somewhere to start; difficulty adds look-alike open tasks. It is a normal family
(generator, state checker with a safety rule, oracle), not in :data:`claw_gym.envs.FAMILIES`:
it joins the catalog on demand, ``register_family(FAMILY, split=SPLIT)``, with split
``"tutorial"`` so ``ClawAnything-v0``'s default pool never samples it.
``claw_gym.wrappers.tutorial.install()`` does that and registers its gymnasium ids.
"""

from __future__ import annotations

from typing import Any

from claw_gym import actions as A
from claw_gym.tasks import Ctx, Family, Grader, Scenario
from claw_gym.tasks.footprint import Footprint, Own
from claw_gym.world import World

SPLIT = "tutorial"
CHORES = [
    "Book dentist appointment",
    "Pay the electricity bill",
    "Return library books",
    "Renew passport",
    "Send birthday card to Gran",
    "Fix the bike tyre",
    "Order printer ink",
    "Call the landlord",
    "Back up the laptop",
    "Cancel old phone plan",
    "Buy a new kettle",
    "Water the balcony plants",
]
ASKS = [
    "I've finished '{t}' - please tick it off my list.",
    "Done with '{t}'. Mark it complete, thanks.",
    "'{t}' is done now; can you check it off?",
]


def generate(ctx: Ctx) -> Scenario:
    todo = ctx.svc("todo")
    chores = ctx.sample(CHORES, ctx.difficulty)
    items = [todo.add(c, ctx.now + int(ctx.rng.integers(1, 15)) * 86400) for c in chores]
    target = items[0]
    return Scenario(
        ctx.pick(ASKS).format(t=target["title"]), {"target": target["id"], "others": [t["id"] for t in items[1:]]}
    )


def check(world: World, facts: dict[str, Any], g: Grader) -> None:
    items = world.services["todo"].table("items")
    target = items.get(facts["target"])
    g.expect(
        "the finished task is ticked off",
        target is not None and target["done"],
        "done" if target is not None and target["done"] else "still open",
        because="the instruction says it is finished and asks to tick it off",
    )
    # the family's other chores, and any task the agent completed (the history has done ones of its own)
    completed = {e.args.get("id") for e in world.audit.calls("todo.complete")}
    wrong = [
        t["title"]
        for rid, t in items.items()
        if rid != facts["target"] and t["done"] and (rid in facts["others"] or rid in completed)
    ]
    g.forbid("ticked off a task that is not done", bool(wrong), ", ".join(wrong))


def oracle(world: World, facts: dict[str, Any]) -> list[str]:
    return [A.api("todo.list"), A.api("todo.complete", id=facts["target"]), A.finish("Ticked it off.")]


FAMILY = Family(
    name="tutorial-todo",
    kind="reactive",
    services=("todo",),
    summary="The task the user finished is marked done; no other task is.",
    generate=generate,
    check=check,
    oracle=oracle,
    variants=("tick",),
    tasks_per_variant=50,
    max_steps=8,
    tags=("tutorial",),
    footprint=Footprint(owns=(Own("todo.items", ids=("target",)),)),
)
