"""The plan of a life: event metadata collected cheaply, then placed in bulk.

Generators (routines, threads, noise, conflicts, stream) call :meth:`Plan.add` with a
time, a service, a one-line text and the record's fields (long fields as
:class:`~claw_gym.life.text.Lazy`). :meth:`Plan.deliver` then sorts once, gives every
record its id in time order, stores it as a :class:`LazyRecord` in its table and adds
the timeline events in bulk: past ones to history, future ones to pending (their ids
reserved now, so a family's oracle that predicts the next id is not thrown off).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from .. import clock
from ..events import Event
from .cast import Cast
from .text import Lazy, LazyRecord

if TYPE_CHECKING:
    from ..world import World


#: record fields that may name another planned record (a Row): replaced by its id at delivery
LINK_KEYS = ("deal", "in_reply_to", "tx_id")


class Row:
    """One planned event; ``fields`` None means the event refers to ``target``'s record."""

    __slots__ = ("time", "service", "kind", "text", "table", "fields", "person", "target", "rec", "words", "lazy")

    def __init__(self, time: int, service: str, kind: str, text: str, table: str | None,
                 fields: dict[str, Any] | None, person: str, target: Any, words: int) -> None:
        self.time, self.service, self.kind, self.text, self.table = time, service, kind, text, table
        self.fields, self.person, self.target, self.rec, self.words = fields, person, target, None, words
        self.lazy = fields is not None and any(type(v) is Lazy for v in fields.values())


@dataclass
class Plan:
    world: "World"
    cast: Cast
    rng: np.random.Generator
    difficulty: int
    start: int  # first moment of history
    now: int
    horizon: int  # streaming: background events keep coming until now + horizon
    rows: list[Row] = field(default_factory=list)
    planned_words: int = 0

    def __post_init__(self) -> None:
        self.present = set(self.world.services)
        # scalar draws come from a buffer of numpy uniforms (a list index, not a ~5 us numpy
        # scalar call each); vectorized draws (card payments, banter) use the generator itself.
        self._u: list[float] = []
        self._i = 0
        self.addresses = {n: svc.address() for n, svc in self.world.services.items()  # type: ignore[attr-defined]
                          if n in ("mail", "workmail")}

    # ---- drawing ----------------------------------------------------------------------------
    def has(self, *services: str) -> bool:
        return all(s in self.present for s in services)

    def random(self) -> float:
        i = self._i
        if i >= len(self._u):
            self._u = self.rng.random(4096).tolist()
            i = 0
        self._i = i + 1
        return self._u[i]

    def seed(self) -> int:
        return int(self.random() * 2**53)

    def randint(self, lo: int, hi: int) -> int:
        """An int in [lo, hi)."""
        return lo + int(self.random() * max(1, hi - lo))

    def uniform(self, lo: float, hi: float) -> float:
        return lo + (hi - lo) * self.random()

    def sample(self, n: int, k: int) -> list[int]:
        """k distinct ints of range(n)."""
        pool = list(range(n))
        return [pool.pop(int(self.random() * len(pool))) for _ in range(min(k, n))]

    def lazy(self, key: str, *args: Any, words: int = 0) -> Lazy:
        self.planned_words += words
        return Lazy(key, args, self.seed())

    def pick(self, seq: Any) -> Any:
        return seq[int(self.random() * len(seq))]

    def at(self, day: int, hour: float) -> int:
        """Time of ``hour`` (may be fractional) on history day ``day`` (0 = first day)."""
        return clock.day_start(self.start) + day * clock.DAY + int(hour * clock.HOUR)

    @property
    def days(self) -> int:
        return (clock.day_start(self.now) - clock.day_start(self.start)) // clock.DAY

    def me(self) -> str:
        return self.cast.persona.me.name

    def me_first(self) -> str:
        return self.cast.persona.me.first

    # ---- adding ------------------------------------------------------------------------------
    def add(self, time: int, service: str, kind: str, text: str, table: str | None, fields: dict[str, Any],
            person: str = "", words: int = 0) -> Row | None:
        """Plan an event whose record is new. Returns None when the service is not in the world."""
        if service not in self.present:
            return None
        row = Row(int(time), service, kind, text, table, fields, person, None, words)
        self.rows.append(row)
        return row

    def ref(self, time: int, service: str, kind: str, text: str, target: Any, person: str = "") -> Row | None:
        """Plan an event about an existing record (a Row planned before, or a stored dict)."""
        if service not in self.present or target is None:
            return None
        row = Row(int(time), service, kind, text, None, None, person, target, 0)
        self.rows.append(row)
        return row

    # ---- placing -----------------------------------------------------------------------------
    def deliver(self) -> tuple[list[Event], list[Event]]:
        """Create every record (ids in time order) and the timeline events; returns (past, future)."""
        rows = sorted(self.rows, key=_row_time)
        services = self.world.services
        now = self.now
        for r in rows:
            f = r.fields
            if f is None:
                continue
            for k in LINK_KEYS:
                v = f.get(k)
                if type(v) is Row:
                    f[k] = v.rec["id"] if v.rec is not None else ""
            tab = services[r.service].tables[r.table]  # type: ignore[index]
            rid = tab.new_id()  # future records: the id is reserved now, the record lands on arrival
            rec = LazyRecord(f) if r.lazy else f  # only records with a lazy field need the subclass
            rec["id"] = rid
            if r.time <= now:
                tab.rows[rid] = rec
            r.rec = rec
        past: list[Event] = []
        future: list[Event] = []
        for r in rows:
            if r.fields is None:  # refs point back in time, so their target exists by now
                target = r.target.rec if type(r.target) is Row else r.target
                ev = Event(r.time, r.service, r.kind, r.text, None, target, "", 0, r.person)
            else:
                ev = Event(r.time, r.service, r.kind, r.text, r.table, r.rec, "", 0, r.person)
            (past if r.time <= now else future).append(ev)
        self.world.touch()
        return past, future


def weekday(t: int) -> int:
    """0 = Monday; arithmetic (1970-01-01 was a Thursday), ~20x cheaper than datetime."""
    return (t // clock.DAY + 3) % 7


def _row_time(r: Row) -> int:
    return r.time
