"""The event timeline of a world: history already delivered, and events still to come.

An event is a line of the person's life ("mail from Ana: Invoice INV-2231"). Most
events carry a record that lands in a service when the event is delivered (a mail
event puts the mail into the mailbox), so the stream and the service state never
disagree. Events after "now" wait in ``pending`` and are delivered by
:meth:`Timeline.advance` when the virtual clock passes their time.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import chain
from operator import attrgetter
from typing import TYPE_CHECKING, Any

from . import clock
from .caches import VersionClock
from .snapshot import freeze, thaw

if TYPE_CHECKING:
    from .world import World


@dataclass
class Event:
    time: int
    service: str
    kind: str  # "mail.received", "calendar.changed", "bank.transaction", "notification", ...
    text: str  # one line shown to the agent
    table: str | None = None  # service table the record lands in
    record: dict[str, Any] | None = None
    id: str = ""
    seq: int = 0  # tie-breaker: insertion order
    person: str = ""  # who the event is from/about (name), for events.search(person=...)

    def line(self) -> str:
        ref = f" ({self.record['id']})" if self.record and "id" in self.record else ""
        return f"[{clock.fmt(self.time)}] {self.service}: {self.text}{ref}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "time": clock.fmt(self.time),
            "service": self.service,
            "kind": self.kind,
            "text": self.text,
            "person": self.person,
            "record": self.record["id"] if self.record and "id" in self.record else None,
        }


@dataclass
class Timeline:
    history: list[Event] = field(default_factory=list)
    pending: list[Event] = field(default_factory=list)
    _seq: int = 0
    #: where versions come from: the world's clock (a world's parts share it; see claw_gym.caches)
    versions: VersionClock = field(default_factory=VersionClock, repr=False, compare=False)
    version: int = 0  # drawn whenever history changes (search indexes key on it)
    # Snapshots reuse the frozen pending list while it is unchanged: _ptoken is the pending list's
    # version (drawn from the same clock, so a token is never reused).
    _ptoken: int = field(default=0, repr=False, compare=False)
    _pfrozen: Any = field(default=None, repr=False, compare=False)
    # The delivered history as last snapshotted, keyed by the list, its version and length: reused
    # (no copy of thousands of events) while nothing was delivered.
    _hfrozen: Any = field(default=None, repr=False, compare=False)
    # Whether ``history`` is known to be in (time, seq) order: then an event scheduled into the past
    # is inserted at its place (a bisect) instead of re-sorting thousands of events, with the same result.
    # False after a delivery out of order or a restore (an unknown list); the next sort makes it True.
    _in_order: bool = field(default=True, repr=False, compare=False)

    def _pending_changed(self) -> None:
        self._ptoken = self.versions.next()

    def _history_changed(self) -> None:
        self.version = self.versions.next()

    def schedule(self, world: World, event: Event) -> Event:
        """Add an event; deliver it at once if its time is not after now."""
        self._seq += 1
        event.seq = self._seq
        if not event.id:
            event.id = f"ev{self._seq:05d}"
        if event.time <= world.clock.now:
            self._deliver(world, event, placing=True)
        elif not self.pending or (self.pending[-1].time, self.pending[-1].seq) <= (event.time, event.seq):
            self.pending.append(event)  # the common case: generators schedule in time order
            self._pending_changed()
        else:
            bisect.insort_right(self.pending, event, key=_order)
            self._pending_changed()
        return event

    def advance(self, world: World) -> list[Event]:
        """Deliver every pending event whose time has come. Returns them in order."""
        now = world.clock.now
        n = 0
        while n < len(self.pending) and self.pending[n].time <= now:
            n += 1
        if not n:
            return []
        due = self.pending[:n]
        del self.pending[:n]  # in place (a memmove), no copy of the rest of a long future
        self._pending_changed()
        for ev in due:
            self._deliver(world, ev)
        return due

    def next_time(self) -> int | None:
        return self.pending[0].time if self.pending else None

    def _deliver(self, world: World, event: Event, placing: bool = False) -> None:
        """Store the event's record and add it to history; ``placing`` (a schedule into the past) keeps
        history sorted, as a full sort would: a bisect when the rest is known to be in order."""
        if event.record is not None and event.table is not None:
            svc = world.services.get(event.service)
            if svc is not None:
                event.record = svc.insert(event.table, event.record)
        history = self.history
        if history and (history[-1].time, history[-1].seq) > (event.time, event.seq):
            if not placing:
                history.append(event)  # delivered late (the clock moved past it): sorted on the next placing
                self._in_order = False
            elif self._in_order:
                bisect.insort_right(history, event, key=_order)
            else:
                history.append(event)
                history.sort(key=_order)
                self._in_order = True
        else:
            history.append(event)
        self._history_changed()

    def extend(self, past: list[Event], future: list[Event]) -> None:
        """Bulk-add already delivered ``past`` events and not-yet-due ``future`` ones.

        For generators that place thousands of records themselves (the life history):
        one sort instead of a bisect per event. Events get ids and seqs as in ``schedule``.
        """
        last = self._seq
        ids = _event_ids(last + len(past) + len(future))
        for last, ev in enumerate(chain(past, future), start=self._seq + 1):
            ev.seq = last
            if not ev.id:
                ev.id = ids[last - 1]
        self._seq = last
        self.history = _merged(self.history, past)
        self.pending = _merged(self.pending, future)
        if future:
            self._pending_changed()
        self._history_changed()

    def number_in_time_order(self) -> None:
        """Give every event its id by its place in time (history, then the coming events).

        Ids are drawn when an event is scheduled, and a family schedules its events after the
        life's thousands: without this, the highest ids of the history would be the task's own
        records whatever their date. Events scheduled later (in the episode) keep drawing from
        ``_seq``, which is at least the number renumbered here, so ids never collide.
        """
        events = self.history + self.pending
        for ev, eid in zip(events, _event_ids(len(events))):  # (zip stops at the last event)
            ev.id = eid
        self._seq = max(self._seq, len(self.history) + len(self.pending))
        self._pending_changed()
        self._history_changed()

    def state(self) -> dict[str, Any]:
        return {"delivered": len(self.history), "pending": [(e.time, e.id) for e in self.pending]}

    # ---- snapshot participant (see claw_gym/snapshot.py) ----------------------------------
    def snapshot(self) -> tuple[Any, ...]:
        # Delivered events are never changed again: a shallow copy of the list is enough.
        # Pending events change on delivery (their record is stored), so they are frozen,
        # once per state of the pending list (most steps deliver nothing and reuse it).
        if self._pfrozen is None or self._pfrozen[0] != self._ptoken:
            self._pfrozen = (
                self._ptoken,
                tuple(type(e) for e in self.pending),
                freeze([vars(e) for e in self.pending]),
            )
        return (self._history_tuple(), self._pfrozen, self._seq)

    def _history_key(self) -> tuple[int, int, int]:
        return (id(self.history), self.version, len(self.history))

    def _history_tuple(self) -> tuple[Event, ...]:
        if self._hfrozen is None or self._hfrozen[0] != self._history_key():
            self._hfrozen = (self._history_key(), tuple(self.history))
        return self._hfrozen[1]

    def restore(self, state: tuple[Any, ...]) -> None:
        history, frozen_pending, self._seq = state
        if self._hfrozen is None or self._hfrozen[1] is not history or self._hfrozen[0] != self._history_key():
            self.history[:] = history
            self._in_order = False  # the snapshot's list, whatever its order: the next placing sorts
            self._history_changed()  # search indexes rebuild
            self._hfrozen = (self._history_key(), history)
        token, classes, pending = frozen_pending
        if token != self._ptoken:  # else the pending list is still exactly the snapshot's
            self.pending[:] = [_revive(cls, fields) for cls, fields in zip(classes, thaw(pending))]
            self._ptoken, self._pfrozen = token, frozen_pending


#: an event's place in time, (time, seq): the sort key of history and pending (C-level, no frame per call)
_order: Callable[[Event], tuple[int, int]] = attrgetter("time", "seq")


#: "ev00001", "ev00002", ...: the same strings for every world, formatted once (a tuple, rebound whole
#: when it grows, so threads building worlds at once never see a half-made one)
_EVENT_IDS: tuple[str, ...] = ()


def _event_ids(n: int) -> tuple[str, ...]:
    """At least the first ``n`` event ids, in order (every build numbers ~1,500 events)."""
    global _EVENT_IDS
    ids = _EVENT_IDS
    if len(ids) < n:
        ids = _EVENT_IDS = (*ids, *(f"ev{k:05d}" for k in range(len(ids) + 1, max(n, 2 * len(ids)) + 1)))
    return ids


def _merged(base: list[Event], new: list[Event]) -> list[Event]:
    """``base`` (sorted) with ``new`` added in order: a few inserts, or one sort for many."""
    if not new:
        return base
    if not base:
        return sorted(new, key=_order)  # already sorted when it comes from a plan: a linear pass
    if len(new) <= 32:
        out = list(base)
        for ev in sorted(new, key=_order):
            bisect.insort(out, ev, key=_order)
        return out
    return sorted(base + new, key=_order)


def _revive(cls: type[Any], fields: dict[str, Any]) -> Any:
    obj = object.__new__(cls)  # the event classes are plain: no __new__ of their own, no slots
    obj.__dict__.update(fields)
    return obj
