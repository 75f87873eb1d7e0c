"""Todo: tasks with due dates and lists."""

from __future__ import annotations

from typing import Any

from .. import clock
from .base import OWN, Record, Service, endpoint


class Todo(Service):
    name = "todo"
    title = "Tasks"
    tables_spec = {"items": "t"}

    def _view(self, t: Record) -> dict[str, Any]:
        return {
            "id": t["id"],
            "title": t["title"],
            "due": clock.fmt(t["due"]) if t["due"] is not None else None,
            "done": t["done"],
            "list": t["list"],
            "notes": t["notes"],
        }

    def add(
        self, title: str, due: int | None = None, list_name: str = "inbox", notes: str = "", done: bool = False
    ) -> Record:
        return self.insert("items", {"title": title, "due": due, "done": done, "list": list_name, "notes": notes})

    @endpoint("List tasks (open ones unless include_done), soonest due first.", cached=True, reads=(OWN,))
    def list(self, include_done: bool = False, list_name: str = "", limit: int = 50, offset: int = 0) -> dict:
        rows = sorted(
            (
                t
                for t in self.table("items").values()
                if (include_done or not t["done"]) and (not list_name or t["list"] == list_name)
            ),
            key=lambda t: (t["due"] is None, t["due"] or 0, t["id"]),
        )
        return self.page(rows, limit, offset, view=self._view)

    @endpoint("Add a task; due is optional ('YYYY-MM-DD [HH:MM]').", mutates=True, reads=())
    def add_task(self, title: str, due: str = "", list_name: str = "inbox", notes: str = "") -> dict:
        self.require(title.strip() != "", "title must not be empty")
        d = self.parse_time(due, "due") if due else None
        return {"created": self.add(title, d, list_name, notes)["id"]}

    @endpoint("Mark a task done.", mutates=True, reads=(OWN,))
    def complete(self, id: str) -> dict:
        self.modify(self.record("items", id), done=True)
        return {"id": id, "done": True}

    @endpoint("Change a task's title, due date or notes.", mutates=True, reads=(OWN,))
    def update_task(self, id: str, title: str | None = None, due: str | None = None, notes: str | None = None) -> dict:
        rec = self.record("items", id)
        changes: dict[str, Any] = {}
        if due is not None:
            changes["due"] = self.parse_time(due, "due") if due else None
        if title is not None:
            changes["title"] = title
        if notes is not None:
            changes["notes"] = notes
        self.modify(rec, **changes)
        return self._view(rec)

    def summary(self) -> str:
        open_items = [t for t in self.table("items").values() if not t["done"]]
        end = clock.day_start(self.now) + clock.DAY
        due = sum(1 for t in open_items if t["due"] is not None and t["due"] < end)
        return f"todo: {len(open_items)} open, {due} due by today"
