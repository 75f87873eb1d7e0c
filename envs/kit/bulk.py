"""Mass mail a family sends as noise (a city newsletter, a shop's news), written as the background writes it.

A one-line newsletter ("Markets and openings.") among the background's issues of several thousand words
is a record a classifier picks out at once. :func:`newsletter` renders an issue with the background's own
renderer (:func:`claw_gym.life.render.newsletter`: contents, sections, legal lines), deterministic from
(world, brand, subject) and without touching the family's ``ctx.rng``.
"""

from __future__ import annotations

from claw_gym.life import render
from claw_gym.life.text import Mix
from claw_gym.rng import derive_seed
from claw_gym.tasks import Ctx


def newsletter(ctx: Ctx, brand: str, subject: str) -> str:
    """One issue of ``brand``'s newsletter: 400-1200 words on the background's topics."""
    seed = derive_seed(ctx.world.task_id, ctx.world.seed, "newsletter", brand, subject)
    mix = Mix(seed)
    words = 400 + mix.below(800)
    return render.newsletter(mix, brand, 100 + mix.below(300), words, f"{ctx.persona.city}")
