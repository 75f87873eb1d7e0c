"""The plan of a life: event metadata collected cheaply, then placed in bulk.

Generators (routines, threads, noise, conflicts, stream) call :meth:`Plan.add` with a
time, a service, a one-line text and the record's fields (long fields as
:class:`~claw_gym.life.text.Lazy`); it returns the timeline :class:`Event` carrying the
record (or None when the world has no such service). :meth:`Plan.deliver` then sorts
once, gives every record its id in time order, stores it in its table and hands back
the events: past ones for history, future ones for pending (their ids reserved now, so
a family's oracle that predicts the next id is not thrown off).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import chain
from operator import attrgetter
from typing import TYPE_CHECKING, Any

import numpy as np

from .. import caches, clock
from ..events import Event
from ..services.mail import Mail
from .cast import Cast
from .text import Lazy, LazyRecord

if TYPE_CHECKING:
    from ..world import World


@caches.bounded(1024)
def _date(day: int) -> str:
    return clock.fmt_date(day * clock.DAY)


def fmt(t: int) -> str:
    """``clock.fmt`` without building a datetime each time (dates are cached)."""
    day, sec = divmod(t, clock.DAY)
    return f"{_date(day)} {sec // 3600:02d}:{sec % 3600 // 60:02d}"


#: record fields that may name another planned record (its Event): replaced by its id at delivery
LINK_KEYS = ("deal", "in_reply_to", "tx_id")
#: the fields that may hold a Lazy text (their records are LazyRecords)
LAZY_KEYS = ("body", "notes", "content")
_LINK_SET = frozenset(LINK_KEYS)


@dataclass
class Plan:
    world: World
    cast: Cast
    rng: np.random.Generator
    difficulty: int
    start: int  # first moment of history
    now: int
    horizon: int  # streaming: background events keep coming until now + horizon
    events: list[Event] = field(default_factory=list)
    planned_words: int = 0

    def __post_init__(self) -> None:
        self.present = set(self.world.services)
        # scalar draws come from buffers of 4096 numpy uniforms, drawn when the previous one runs
        # out; vectorized draws (card payments, banter) use the generator itself, in between.
        # ``random`` is the chain's C-level ``__next__``: no Python frame per draw (thousands a world).
        rng = self.rng
        self.random: Callable[[], float] = chain.from_iterable(iter(lambda: rng.random(4096).tolist(), None)).__next__
        self.addresses = {
            n: self.world.service_as(n, Mail).address() for n in self.world.services if n in ("mail", "workmail")
        }

    # ---- drawing ----------------------------------------------------------------------------
    def has(self, *services: str) -> bool:
        return all(s in self.present for s in services)

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
        """Plan an event whose record is new. Returns None when the service is not in the world."""
        if service not in self.present:
            return None
        get = fields.get
        if type(get("body")) is Lazy or type(get("notes")) is Lazy or type(get("content")) is Lazy:
            fields = LazyRecord(fields)  # only records with a lazy field need the subclass
        ev = Event(int(time), service, kind, text, table, fields, "", 0, person)
        self.events.append(ev)
        return ev

    def ref(self, time: int, service: str, kind: str, text: str, target: Any, person: str = "") -> Event | None:
        """Plan an event about an existing record (a planned Event's, or a stored dict)."""
        if service not in self.present or target is None:
            return None
        rec = target.record if type(target) is Event else target
        ev = Event(int(time), service, kind, text, None, rec, "", 0, person)
        self.events.append(ev)
        return ev

    # ---- placing -----------------------------------------------------------------------------
    def deliver(self) -> tuple[list[Event], list[Event]]:
        """Give every new record its id (in time order) and store the past ones; (past, future).

        One pass over ~1,500 events: ids are drawn as ``Table.new_id`` would (inlined, each table's
        counter written back at the end), and only records with a link field look their links up.
        """
        services = self.world.services
        now = self.now
        past: list[Event] = []
        future: list[Event] = []
        touched: set[str] = set()
        tables: dict[tuple[str, str], list[Any]] = {}  # (service, table) -> [table, its rows, next id]
        get = dict.get
        links_absent = _LINK_SET.isdisjoint
        self.events.sort(key=_time)
        for ev in self.events:
            if ev.table is not None:
                rec = ev.record
                assert rec is not None  # add() gives every event with a table its record
                if not links_absent(rec):
                    for k in LINK_KEYS:
                        v = get(rec, k)  # raw: links are never lazy
                        if type(v) is Event:  # planned earlier in time, so it has its id already
                            link = v.record
                            assert link is not None  # a link is to a planned record (add()), not a notice
                            rec[k] = link.get("id", "")
                key = (ev.service, ev.table)
                slot = tables.get(key)
                if slot is None:
                    tab = services[ev.service].tables[ev.table]
                    slot = tables[key] = [tab, tab.rows, tab.next_id]
                n = slot[2]
                slot[2] = n + 1
                rid = f"{slot[0].prefix}{n:04d}"  # future records: the id is reserved now, lands on arrival
                rec["id"] = rid
                if ev.time <= now:
                    slot[1][rid] = rec
                    touched.add(ev.service)
                    past.append(ev)
                else:
                    future.append(ev)
            elif ev.time <= now:
                past.append(ev)
            else:
                future.append(ev)
        for tab, _, n in tables.values():
            tab.next_id = n
        for name in sorted(touched):  # placed in bulk: tell each service, as insert() would
            services[name].changed()
        return past, future


def weekday(t: int) -> int:
    """0 = Monday; arithmetic (1970-01-01 was a Thursday), ~20x cheaper than datetime."""
    return (t // clock.DAY + 3) % 7


_time = attrgetter("time")
