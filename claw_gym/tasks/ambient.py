"""Ambient services: the rest of a person's digital life around a task.

A family declares the services its story needs (5-7); a real assistant works in a world
with more apps than the task touches (the reference benchmark's worlds average 10.1
services). Each task's world gets ambient services drawn from the task id, more at
higher difficulty ("more services involved"); the life generator fills their history, so
they carry real noise. One ambient service per family is reserved for the held-out split:
train and test never see the family next to it, held-out tasks always do.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..rng import derive_rng, derive_seed
from ..services import SERVICES

if TYPE_CHECKING:
    from .family import Family

#: In every world whatever the task (World adds them): never drawn as ambient.
ALWAYS = ("device", "events")
AMBIENT_BASE = 2  # a task of difficulty d gets AMBIENT_BASE + d ambient services (when the pool allows)


def pool(f: Family) -> list[str]:
    """Services that may join a family's worlds: registered, not its own, not declared unfit."""
    excluded = set(ALWAYS) | set(f.services) | set(f.no_ambient)
    return sorted(set(SERVICES) - excluded)


def heldout_service(f: Family) -> str | None:
    """The one ambient service train and test never pair with this family (None: no pool)."""
    p = pool(f)
    return p[derive_seed("heldout-service", f.name) % len(p)] if p else None


def ambient(f: Family, task_id: str, difficulty: int, heldout: bool) -> tuple[str, ...]:
    """The ambient services of one task (deterministic in the task id)."""
    p, reserved = pool(f), heldout_service(f)
    rest = [s for s in p if s != reserved]
    want = min(AMBIENT_BASE + difficulty, len(p))
    rng = derive_rng("ambient", task_id)
    lead = [reserved] if heldout and reserved is not None else []
    k = min(want - len(lead), len(rest))
    picked = [rest[int(i)] for i in rng.choice(len(rest), size=k, replace=False)] if k > 0 else []
    return tuple(sorted(lead + picked))


def world_services(f: Family, task_id: str, difficulty: int, heldout: bool) -> tuple[str, ...]:
    """Everything in the task's world: the family's services, the ambient ones, and ALWAYS."""
    return tuple(sorted(set(f.services) | set(ALWAYS) | set(ambient(f, task_id, difficulty, heldout))))
