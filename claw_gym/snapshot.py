"""World snapshots: freeze the whole state of an episode and put it back later.

Search-based RL (MCTS, beam search) and branching evaluations need to go back to a
state many times; a fresh replay or ``copy.deepcopy`` of the world costs milliseconds.
A snapshot is built from *participants*: every part of the world that holds state
(each service, the clock, the timeline, the audit log, the budget, the phone's UI
state, the laptop's home) implements :class:`Participant` and registers with the world
under a name. Each declares what its snapshot holds: a service its tables plus its
``state_attrs``, the phone its UI state, the laptop its home; nothing is taken implicitly.
What a live laptop shell holds beyond its home (variables, jobs) is not covered: see
claw_gym/devices/laptop/laptop.py.

Service data are JSON-like trees (dicts, lists, strings, numbers), so they are frozen
with :mod:`marshal` (C speed, an immutable ``bytes`` object: restoring the same
snapshot twice gives two independent copies). Anything marshal refuses falls back to
pickle, so a participant may hold arbitrary picklable objects.
"""

from __future__ import annotations

import marshal
import pickle
from dataclasses import dataclass, field
from typing import Any, NamedTuple, Protocol, runtime_checkable


@runtime_checkable
class Participant(Protocol):
    """A part of the world whose state a snapshot covers.

    ``snapshot()`` returns an opaque value that must not change afterwards (freeze it
    with :func:`freeze` if it holds mutable data); ``restore(value)`` puts that state
    back and may be called several times with the same value.
    """

    def snapshot(self) -> Any: ...

    def restore(self, state: Any) -> None: ...


class Frozen(NamedTuple):
    """An immutable serialized tree; :func:`thaw` gives a fresh mutable copy each time.
    (A named tuple: built and compared at C speed, snapshots make and compare many.)"""

    data: bytes
    codec: str  # "marshal" | "pickle"


EMPTY = Frozen(marshal.dumps({}), "marshal")  # the frozen empty dict, shared


def freeze(tree: Any) -> Frozen:
    """Serialize a JSON-like tree (marshal), or any picklable object (pickle fallback)."""
    if not tree and type(tree) is dict:
        return EMPTY
    try:
        return Frozen(marshal.dumps(tree), "marshal")
    except ValueError:  # a type marshal does not know (dataclass, set of objects, ...)
        return Frozen(pickle.dumps(tree, protocol=pickle.HIGHEST_PROTOCOL), "pickle")


def thaw(frozen: Frozen) -> Any:
    return marshal.loads(frozen.data) if frozen.codec == "marshal" else pickle.loads(frozen.data)


@dataclass(frozen=True)
class WorldSnapshot:
    """What :meth:`World.snapshot` returns: one entry per participant, by name."""

    parts: dict[str, Any] = field(default_factory=dict)
    world_uid: int = 0  # the world it was taken from (restore refuses any other)

    def nbytes(self) -> int:
        """Approximate size of the frozen data (for benchmarks and memory budgets)."""
        return sum(len(p.data) for p in _frozen_in(self.parts))


def _frozen_in(value: Any) -> list[Frozen]:
    if isinstance(value, Frozen):
        return [value]
    if isinstance(value, dict):
        return [f for v in value.values() for f in _frozen_in(v)]
    if isinstance(value, (list, tuple)):
        return [f for v in value for f in _frozen_in(v)]
    return []


__all__ = ["Participant", "Frozen", "EMPTY", "freeze", "thaw", "WorldSnapshot"]
