"""Events: search over the whole delivered timeline (the long history agents must dig in)."""

from __future__ import annotations

from typing import Any

from .base import Service, endpoint


class Events(Service):
    name = "events"
    title = "Activity"
    tables_spec = {}

    @endpoint("Search delivered events by words, service, person and time range; page with cursor.")
    def search(self, text: str = "", service: str = "", person: str = "", start: str = "", end: str = "",
               limit: int = 20, cursor: int = 0) -> dict:
        s = self.parse_time(start, "start") if start else None
        e = self.parse_time(end, "end") if end else None
        words, who = text.lower().split(), person.lower()
        hits = [ev for ev in reversed(self.world.timeline.history)
                if (not service or ev.service == service) and (s is None or ev.time >= s)
                and (e is None or ev.time < e) and (not words or all(w in ev.text.lower() for w in words))
                and (not who or who in ev.text.lower())]
        page = self.page(hits, limit, cursor, view=lambda ev: ev.as_dict())
        if "next_offset" in page:
            page["next_cursor"] = page.pop("next_offset")
        return page

    @endpoint("Read one event by id.")
    def get(self, id: str) -> dict:
        ev = next((x for x in self.world.timeline.history if x.id == id), None)
        self.require(ev is not None, f"no delivered event {id!r}")
        return ev.as_dict()  # type: ignore[union-attr]

    def state(self) -> dict[str, Any]:
        return {}

    def summary(self) -> str:
        return f"events: {len(self.world.timeline.history)} in history"
