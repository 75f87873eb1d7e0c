"""Build the world of one episode from (task spec, seed)."""

from __future__ import annotations

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
    alive. The build leaves the cyclic GC alone: switching it off is process-wide (other threads
    and the user's own code would see it), so the cost of its passes stays on the reset path.
    """
    rng = derive_rng(spec.task_id, seed, "build")
    world = World(spec.task_id, seed, spec.services, start_time(int(rng.integers(0, 2**31))))
    world.persona = make_persona(world.rng)
    life = Life(world, spec.difficulty)  # cast, contacts, 90+ days of history, the coming days
    scenario = family.generate(Ctx(spec, world, rng))
    life.settle()  # the background steps aside around the family's records; they join the timeline
    renumber(world, scenario)  # ids in time order in every table: they never tell who placed a record
    world.timeline.number_in_time_order()  # the events' ids too
    return world, scenario
