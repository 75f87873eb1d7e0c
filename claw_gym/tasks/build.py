"""Build the world of one episode from (task spec, seed)."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

from .. import clock
from ..life import Life
from ..life.renumber import renumber
from ..persona import make_persona
from ..rng import derive_rng
from ..world import World
from .family import Ctx, Family, Scenario
from .spec import TaskSpec

# Episodes start on a weekday morning in the first half of 2026.
_BASE = clock.parse_time("2026-01-05")  # a Monday


def start_time(rng_value: int) -> int:
    week = rng_value % 24
    day = (rng_value // 24) % 5
    minute = (rng_value // 120) % 90
    return _BASE + (week * 7 + day) * clock.DAY + 8 * clock.HOUR + minute * clock.MINUTE


def build(family: Family, spec: TaskSpec, seed: int) -> tuple[World, Scenario]:
    """The world and scenario of (spec, seed): the same bytes in every process.

    A world holds thousands of new container objects (events, records, their lists); they are
    long-lived, and no cycle keeps a dropped world alive (services reach it through weak
    references), so reference counting frees it at once and the GC's passes only ever find it
    alive. Callers that build many worlds run this under :func:`gc_paused`.
    """
    rng = derive_rng(spec.task_id, seed, "build")
    world = World(spec.task_id, seed, spec.services, start_time(int(rng.integers(0, 2**31))))
    world.persona = make_persona(world.rng)
    life = Life(world, spec.difficulty)  # cast, contacts, 90+ days of history, the coming days
    scenario = family.generate(Ctx(spec, world, rng))
    life.settle()  # the background steps aside around the family's records; they join the timeline
    renumber(world, scenario)  # ids in time order in every table: they never tell who placed a record
    return world, scenario


@contextmanager
def gc_paused() -> Iterator[None]:
    """The cyclic GC off for the block, then back as it was.

    A cold reset allocates ~50,000 objects; with the GC on, they trigger ~5 young and one
    middle collection per reset and, every few resets, a full pass over the whole heap, which
    only ever finds them alive (see :func:`build`): measured, those passes were a third of a
    reset's time. Only the block is affected, and only when the GC was on (a user who turned
    it off keeps it off); objects that become garbage meanwhile wait for the next pass.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
