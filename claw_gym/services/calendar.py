"""Calendar: events with attendees; the source of truth for the phone's Calendar app."""

from __future__ import annotations

from typing import Any

from .. import clock
from .base import OWN, Record, Service, endpoint


class Calendar(Service):
    name = "calendar"
    title = "Calendar"
    tables_spec = {"entries": "cal"}

    def _view(self, e: Record) -> dict[str, Any]:
        return {
            "id": e["id"],
            "title": e["title"],
            "start": clock.fmt(e["start"]),
            "end": clock.fmt(e["end"]),
            "location": e.get("location", ""),
            "attendees": e.get("attendees", []),
            "notes": e.get("notes", ""),
        }

    def entries(self) -> list[Record]:
        return sorted(self.table("entries").values(), key=lambda e: (e["start"], e["id"]))

    def overlapping(self, start: int, end: int, exclude: str | None = None) -> list[Record]:
        return [e for e in self.entries() if e["start"] < end and e["end"] > start and e["id"] != exclude]

    def add(self, title: str, start: int, end: int, **fields: Any) -> Record:
        return self.insert(
            "entries",
            {"title": title, "start": start, "end": end, "location": "", "attendees": [], "notes": "", **fields},
        )

    def _span(self, start: str, end: str) -> tuple[int, int]:
        s, e = self.parse_time(start, "start"), self.parse_time(end, "end")
        self.require(e > s, "end must be after start")
        return s, e

    @endpoint(
        "List events overlapping [start, end) (dates or 'YYYY-MM-DD HH:MM'), optionally matching words.", reads=(OWN,)
    )
    def list_events(self, start: str, end: str, query: str = "", limit: int = 50, offset: int = 0) -> dict:
        s, e = self._span(start, end)
        words = query.lower().split()
        rows = [
            x
            for x in self.overlapping(s, e)
            if all(w in (x["title"] + " " + x.get("notes", "") + " " + x.get("location", "")).lower() for w in words)
        ]
        return self.page(rows, limit, offset, view=self._view)

    @endpoint("Read one event.", reads=(OWN,))
    def get(self, id: str) -> dict:
        return self._view(self.record("entries", id))

    @endpoint("Create an event.", mutates=True, reads=())
    def create_event(
        self,
        title: str,
        start: str,
        end: str,
        attendees: list[str] = [],  # noqa: B006
        location: str = "",
        notes: str = "",
    ) -> dict:
        s, e = self._span(start, end)
        self.require(title.strip() != "", "title must not be empty")
        rec = self.add(title, s, e, attendees=list(attendees), location=location, notes=notes)
        clashes = [x["id"] for x in self.overlapping(s, e, exclude=rec["id"])]
        return {"created": rec["id"], "conflicts_with": clashes}

    @endpoint("Change an event's title, time, place or notes (omitted fields stay).", mutates=True, reads=(OWN,))
    def update_event(
        self,
        id: str,
        title: str | None = None,
        start: str | None = None,
        end: str | None = None,
        location: str | None = None,
        notes: str | None = None,
    ) -> dict:
        rec = self.record("entries", id)
        s = self.parse_time(start, "start") if start is not None else rec["start"]
        e = (
            self.parse_time(end, "end")
            if end is not None
            else (s + rec["end"] - rec["start"] if start is not None else rec["end"])
        )
        self.require(e > s, "end must be after start")
        changes: dict[str, Any] = {"start": s, "end": e}
        for k, v in (("title", title), ("location", location), ("notes", notes)):
            if v is not None:
                changes[k] = v
        self.modify(rec, **changes)
        return {"updated": id, **self._view(rec), "conflicts_with": [x["id"] for x in self.overlapping(s, e, id)]}

    @endpoint("Delete an event.", mutates=True, reads=(OWN,))
    def delete_event(self, id: str) -> dict:
        self.record("entries", id)
        self.remove("entries", id)
        return {"deleted": id}

    @endpoint("Free slots of at least `minutes` between 08:00 and 18:00 on a date.", reads=(OWN,))
    def find_free(self, date: str, minutes: int = 30) -> dict:
        day = clock.day_start(self.parse_time(date, "date"))
        self.require(0 < minutes <= 600, "minutes must be between 1 and 600")
        t, end, slots = day + 8 * clock.HOUR, day + 18 * clock.HOUR, []
        for e in self.overlapping(t, end):
            if e["start"] - t >= minutes * 60:
                slots.append({"start": clock.fmt(t), "end": clock.fmt(e["start"])})
            t = max(t, e["end"])
        if end - t >= minutes * 60:
            slots.append({"start": clock.fmt(t), "end": clock.fmt(end)})
        return {"date": clock.fmt_date(day), "free": slots}

    def summary(self) -> str:
        day = clock.day_start(self.now)
        today = list(self.overlapping(day, day + clock.DAY))
        items = "; ".join(f"{clock.to_datetime(e['start']):%H:%M} {e['title']}" for e in today[:4])
        more = f" (+{len(today) - 4} more)" if len(today) > 4 else ""
        return f"calendar: {len(today)} today" + (f": {items}{more}" if today else "")
