"""Events: search over the whole delivered timeline (the long history agents must dig in).

A world holds thousands of events; the search keeps an index (time array, events per
service, the history's lower-cased text in one string, ids) rebuilt only when the timeline
or a service's records changed, so a query is a bisect plus ``str.find`` over the matching
window, and only the returned page is turned into dicts. Words match an event's line and
its record's full text (a chat message whose line shows only its first words is found by a
word near its end); device-only records (the phone's own) are not read.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from typing import Any

from ..events import Event
from .base import MAX_PAGE, TIMELINE, Service, ServiceError, endpoint

_SEP = "\x00"  # between events in the joined text: no query word contains it, so no match spans two events


def record_text(record: dict[str, Any] | None) -> str:
    """The words of a delivered record that a search reads: its string fields (a mail's subject and
    body, a chat message's text, a note's body, a file's content...), strings in its lists (a
    mail's recipients) and the string fields of records in its lists (a ticket's comments), not its
    id. Read by key, so a history text not written yet is written now
    (``claw_gym.life.text.LazyRecord``), as a mailbox search does."""
    if not record:
        return ""
    parts: list[str] = []
    for k in record:
        if k == "id":
            continue
        v = record[k]
        if isinstance(v, str):
            parts.append(v)
        elif isinstance(v, (list, tuple)):
            for x in v:
                if isinstance(x, str):
                    parts.append(x)
                elif isinstance(x, dict):
                    parts.extend(y for y in x.values() if isinstance(y, str))
    return " ".join(parts)


#: an event's searched text, kept with what it was made from: the event, whether its service is
#: device-only, and its record's values (an edit replaces a value: ``Service.modify``)
_Hay = tuple[Event, bool, tuple[Any, ...], bytes]


def _hay(e: Event, private: bool, kept: _Hay | None) -> _Hay:
    rec = e.record
    if kept is not None and kept[0] is e and kept[1] == private and (rec is None or kept[2] == tuple(dict.values(rec))):
        return kept  # tuple equality tries identity first: an unchanged record costs one C loop
    words = "" if private else record_text(rec).lower()  # renders lazy texts: take the values after
    text = f"{e.text} {e.person} {e.kind}".lower() + " " + words
    return (e, private, tuple(dict.values(rec)) if rec else (), text.replace(_SEP, " ").encode())


class _Index:
    """The history as one lower-cased text (event line, person, kind and the record's words per
    event, joined by a separator), so a word is found by ``bytes.find`` in C rather than a Python
    loop over thousands of events; ``starts`` maps a position back to its event. Each event's text
    is reused from the last index while its record is unchanged, so a rebuild after a delivery or
    an edit recomputes only what changed."""

    __slots__ = ("key", "times", "by_service", "lines", "text", "starts", "ids", "hays")

    def __init__(
        self, key: tuple[Any, ...], history: list[Event], private: frozenset[str], last: _Index | None = None
    ) -> None:
        self.key = key
        self.times = [e.time for e in history]
        self.by_service: dict[str, list[int]] = {}
        for i, e in enumerate(history):
            self.by_service.setdefault(e.service, []).append(i)
        self.lines = [f"{e.text} {e.person} {e.kind}".lower() for e in history]  # what person= matches
        kept = last.hays if last is not None else {}
        # lower-cased, then UTF-8: offsets are taken on the bytes searched (bytes.find beats str.find
        # on text with an emoji in it, which makes every character four bytes wide, and lower() may
        # change a text's length)
        self.hays: dict[int, _Hay] = {id(e): _hay(e, e.service in private, kept.get(id(e))) for e in history}
        hays = [self.hays[id(e)][3] for e in history]
        self.starts: list[int] = []
        pos = 0
        for h in hays:
            self.starts.append(pos)
            pos += len(h) + 1
        self.starts.append(pos)  # the end of the last event (one past its separator)
        self.text = _SEP.encode().join(hays)
        self.ids = {e.id: i for i, e in enumerate(history)}

    def having(self, word: str, lo: int, hi: int) -> list[int]:
        """Indexes of the events in [lo, hi) whose text contains ``word`` (lower case), ascending."""
        text, starts = self.text, self.starts
        out: list[int] = []
        needle = word.replace(_SEP, " ").encode()
        pos, end = starts[lo], starts[hi]
        while True:
            pos = text.find(needle, pos, end)
            if pos < 0:
                return out
            i = bisect.bisect_right(starts, pos) - 1
            out.append(i)
            pos = starts[i + 1]  # one hit per event is enough: go on from the next one


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
        # back in place (a snapshot restore) without a version bump. The services' versions: the
        # index holds their records' words, which an edit (a note rewritten) changes in place.
        services = self.world.services
        key = (
            id(h),
            tl.version,
            len(h),
            id(h[-1]) if h else 0,
            tuple(svc.version for svc in services.values() if svc is not self),
        )
        if self._index is None or self._index.key != key:
            private = frozenset(name for name, svc in services.items() if svc.device_only)
            self._index = _Index(key, tl.history, private, self._index)
        return self._index

    @endpoint(
        "Search delivered events (newest first) by words (matched in each event's line and in its record's "
        "full text: a mail's body, a message's text, a note, a file), service, person (the event's sender or "
        "subject) and time range [start, end); page with cursor.",
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
        self.require(
            1 <= limit <= MAX_PAGE,
            f"limit must be between 1 and {MAX_PAGE}, got {limit}; for more, page on: "
            "pass each page's next_cursor as the next call's cursor",
        )
        self.require(cursor >= 0, "cursor must be >= 0")
        self.checked()  # nothing below refuses: a dry run stops before the index is (re)built
        idx = self.index()
        history = self.world.timeline.history
        lo = 0 if s is None else bisect.bisect_left(idx.times, s)
        hi = len(history) if e is None else bisect.bisect_left(idx.times, e)
        if service:
            cand: Sequence[int] = idx.by_service.get(service, [])
            cand = cand[bisect.bisect_left(cand, lo) : bisect.bisect_left(cand, hi)]
        else:
            cand = range(lo, hi)
        hits: list[int] = list(cand)
        for w in text.lower().split():
            keep = set(idx.having(w, lo, hi))  # found by str.find over the window's joined text
            hits = [i for i in hits if i in keep]
        who = person.lower().strip()
        if who:
            lines = idx.lines
            hits = [i for i in hits if who in lines[i]]  # the person: the event's line and name, not the record
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
        """The newest delivered event that carried record ``record_id`` (what the event lines show): the one
        that stored it, else the newest line about it (a record stored by the task, announced by an event
        that names it: its line ends with the id too)."""
        history = self.world.timeline.history
        about = None
        for i in range(len(history) - 1, -1, -1):
            rec = history[i].record
            if rec is not None and rec.get("id") == record_id:
                if history[i].table is not None:
                    return i
                about = i if about is None else about
        return about

    def state(self) -> dict[str, Any]:
        return {}

    def summary(self) -> str:
        return f"events: {len(self.world.timeline.history)} in history"
