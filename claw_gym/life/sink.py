"""A plan that places each record at once: the background's record builders, for a family's own records.

The builders of :mod:`claw_gym.life.records` shape a record, its event line and its companions (an
SMS's phone notification, a read flag by age) for a :class:`~claw_gym.life.plan.Plan`. A family's
records built through them look exactly like the background's. :class:`Sink` is the Plan whose
``add`` takes the table's next id and schedules the record on the timeline at once: a past record
lands in its table and the history now, a future one arrives when the clock passes it.

Its draws come from their own stream (derived from the world and a per-world counter), so using
it never shifts the family's own ``ctx.rng`` draws.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..events import Event
from ..rng import derive_rng
from .plan import Plan
from .text import Lazy, LazyRecord

if TYPE_CHECKING:
    from ..world import World


@dataclass
class Sink(Plan):
    """A :class:`Plan` whose records go straight onto the world's timeline (see the module doc)."""

    def add(
        self,
        time: int,
        service: str,
        kind: str,
        text: str,
        table: str,
        fields: dict[str, Any],
        person: str = "",
        words: int = 0,
    ) -> Event | None:
        if service not in self.present:
            return None
        if any(type(dict.get(fields, k)) is Lazy for k in ("body", "notes", "content")):
            fields = LazyRecord(fields)
        fields["id"] = self.world.services[service].tables[table].new_id()  # last, as delivery sets it
        return self.world.schedule(Event(int(time), service, kind, text, table, fields, "", 0, person))


def sink(world: World) -> Sink:
    """A fresh :class:`Sink` for ``world``, with the next draw stream of the world's family."""
    life = world.life
    n = 0
    if life is not None:
        n = life.placed = getattr(life, "placed", 0) + 1
    now = world.clock.now
    cast: Any = life.cast if life is not None else None
    difficulty = life.difficulty if life is not None else 1
    return Sink(world, cast, derive_rng(world.task_id, world.seed, "sink", n), difficulty, now, now, 0)


def display_name(world: World, who: str) -> str:
    """The contact's name for an address or number, as the background's event lines show it; else ""."""
    if "contacts" in world.services:
        key = who.strip().lower()
        for p in world.services["contacts"].table("people").values():
            if key and (str(p.get("email", "")).lower() == key or str(p.get("phone", "")) == who.strip()):
                return str(p["name"])
    persona = world.persona
    if persona is not None:
        for person in persona.people:
            if who in (person.email, person.phone):
                return person.name
    return ""


def is_personal(world: World, who: str) -> bool:
    """Whether ``who`` (an address or number) is one of the persona's people outside work."""
    persona = world.persona
    return persona is not None and any(
        who in (p.email, p.phone) and p.relation not in ("manager", "colleague") for p in persona.people
    )
