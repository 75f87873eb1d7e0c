"""Notes: free text the person keeps (trip plans, passwords they should not share, lists)."""

from __future__ import annotations

from typing import Any

from .. import clock
from ..plural import count
from .base import OWN, Record, Service, endpoint


class Notes(Service):
    name = "notes"
    title = "Notes"
    tables_spec = {"notes": "n"}

    def _view(self, n: Record, full: bool = False) -> dict[str, Any]:
        out = {"id": n["id"], "title": n["title"], "folder": n["folder"], "updated": clock.fmt(n["updated"])}
        if full:
            out["body"] = n["body"]
        return out

    def add(self, title: str, body: str, folder: str = "", time: int | None = None) -> Record:
        return self.insert(
            "notes", {"title": title, "body": body, "folder": folder, "updated": self.now if time is None else time}
        )

    @endpoint("List or search notes by words in title or body.", cached=True, reads=(OWN,))
    def list(self, query: str = "", limit: int = 20, offset: int = 0) -> dict:
        words = query.lower().split()
        rows = sorted(
            (
                n
                for n in self.table("notes").values()
                if all(w in (n["title"] + " " + n["body"]).lower() for w in words)
            ),
            key=lambda n: (-n["updated"], n["id"]),
        )
        return self.page(rows, limit, offset, view=self._view)

    @endpoint("Read a note.", reads=(OWN,))
    def get(self, id: str) -> dict:
        return self._view(self.record("notes", id), full=True)

    @endpoint("Create a note.", mutates=True, reads=())
    def create(self, title: str, body: str, folder: str = "") -> dict:
        self.require(title.strip() != "", "title must not be empty")
        return {"created": self.add(title, body, folder)["id"]}

    @endpoint("Append a line of text to a note.", mutates=True, reads=(OWN,))
    def append(self, id: str, text: str) -> dict:
        n = self.record("notes", id)
        self.modify(n, body=n["body"].rstrip("\n") + "\n" + text, updated=self.now)
        return {"updated": id}

    def summary(self) -> str:
        return f"notes: {count(len(self.table('notes')), 'note')}"
