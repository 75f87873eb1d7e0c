"""Events: search over the whole delivered timeline (the long history agents must dig in).

A world holds thousands of events; the search keeps a small index (time array, events
per service, lower-cased haystacks, ids) rebuilt only when the timeline changed, so a
query is a bisect plus a scan of the matching window, and only the returned page is
turned into dicts.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from typing import Any

from ..events import Event
from .base import TIMELINE, Service, ServiceError, endpoint


class _Index:
    __slots__ = ("key", "times", "by_service", "hay", "ids")

    def __init__(self, key: tuple[int, ...], history: list[Event]) -> None:
        self.key = key
        self.times = [e.time for e in history]
        self.by_service: dict[str, list[int]] = {}
        for i, e in enumerate(history):
            self.by_service.setdefault(e.service, []).append(i)
        self.hay = [f"{e.text} {e.person} {e.kind}".lower() for e in history]
        self.ids = {e.id: i for i, e in enumerate(history)}


class Events(Service):
    name = "events"
    title = "Activity"
    tables_spec = {}

    def __init__(self, world: Any) -> None:
        super().__init__(world)
        self._index: _Index | None = None

    def index(self) -> _Index:
        tl = self.world.timeline
        h = tl.history
        # version catches appends and sorts; length and last event also catch a history put
        # back in place (a snapshot restore) without a version bump
        key = (id(h), tl.version, len(h), id(h[-1]) if h else 0)
        if self._index is None or self._index.key != key:
            self._index = _Index(key, tl.history)
        return self._index

    @endpoint(
        "Search delivered events (newest first) by words, service, person and time range [start, end); "
        "page with cursor.",
        reads=(TIMELINE,),
    )
    def search(
        self,
        text: str = "",
        service: str = "",
        person: str = "",
        start: str = "",
        end: str = "",
        limit: int = 20,
        cursor: int = 0,
    ) -> dict:
        s = self.parse_time(start, "start") if start else None
        e = self.parse_time(end, "end") if end else None
        self.require(
            not service or service in self.world.services,
            f"unknown service {service!r}; this world has: {', '.join(self.world.services)}",
        )
        self.require(1 <= limit <= 200, "limit must be between 1 and 200")
        self.require(cursor >= 0, "cursor must be >= 0")
        idx = self.index()
        history = self.world.timeline.history
        lo = 0 if s is None else bisect.bisect_left(idx.times, s)
        hi = len(history) if e is None else bisect.bisect_left(idx.times, e)
        if service:
            cand: Sequence[int] = idx.by_service.get(service, [])
            cand = cand[bisect.bisect_left(cand, lo) : bisect.bisect_left(cand, hi)]
        else:
            cand = range(lo, hi)
        hay = idx.hay
        hits = list(cand)
        for w in text.lower().split() + ([person.lower().strip()] if person.strip() else []):
            hits = [i for i in hits if w in hay[i]]  # one plain pass per word: no per-item generator
        hits.reverse()
        chunk = hits[cursor : cursor + limit]
        out: dict[str, Any] = {"total": len(hits), "items": [history[i].as_dict() for i in chunk]}
        if cursor + limit < len(hits):
            out["next_cursor"] = cursor + limit
        return out

    @endpoint(
        "Read one event by its id (ev...), or by the id of the record it delivered (the id event lines end "
        "with), with that record.",
        reads=(TIMELINE,),
    )
    def get(self, id: str) -> dict:
        i = self.index().ids.get(id)
        if i is None:
            i = self._by_record(id)
        if i is None:
            raise ServiceError(f"no delivered event {id!r} (an event id or the id of a record it delivered)")
        ev = self.world.timeline.history[i]
        out = ev.as_dict()
        source = self.world.services.get(ev.service)
        if ev.record is not None and source is not None and source.device_only:
            out["data"] = "stored on the phone itself: open it there"  # device-only records stay on the device
        elif ev.record is not None:
            out["data"] = dict(ev.record)
        return out

    def _by_record(self, record_id: str) -> int | None:
        """The newest delivered event that carried record ``record_id`` (what the event lines show)."""
        history = self.world.timeline.history
        for i in range(len(history) - 1, -1, -1):
            rec = history[i].record
            if rec is not None and rec.get("id") == record_id and history[i].table is not None:
                return i
        return None

    def state(self) -> dict[str, Any]:
        return {}

    def summary(self) -> str:
        return f"events: {len(self.world.timeline.history)} in history"
