"""Helpdesk: support tickets with comments, status and priority."""

from __future__ import annotations

from typing import Any, Literal

from .. import clock
from ..plural import count
from .base import OWN, Record, Service, endpoint

STATUSES = ("open", "pending", "solved")
PRIORITIES = ("low", "normal", "high", "urgent")


class Helpdesk(Service):
    name = "helpdesk"
    title = "Helpdesk"
    tables_spec = {"tickets": "tk"}

    def _view(self, t: Record, full: bool = False) -> dict[str, Any]:
        out = {
            "id": t["id"],
            "subject": t["subject"],
            "requester": t["requester"],
            "status": t["status"],
            "priority": t["priority"],
            "opened": clock.fmt(t["time"]),
        }
        if full:
            out["body"] = t["body"]
            out["comments"] = t["comments"]
        return out

    def open_ticket(
        self, subject: str, requester: str, body: str, priority: str = "normal", time: int | None = None
    ) -> Record:
        return self.insert(
            "tickets",
            {
                "subject": subject,
                "requester": requester,
                "body": body,
                "status": "open",
                "priority": priority,
                "time": self.now if time is None else time,
                "comments": [],
            },
        )

    @endpoint("List tickets, optionally by status.", reads=(OWN,))
    def list(self, status: str = "", limit: int = 50, offset: int = 0) -> dict:
        rows = sorted(
            (t for t in self.table("tickets").values() if not status or t["status"] == status),
            key=lambda t: (t["time"], t["id"]),
        )
        return self.page(rows, limit, offset, view=self._view)

    @endpoint("Read a ticket with its comments.", reads=(OWN,))
    def get(self, id: str) -> dict:
        return self._view(self.record("tickets", id), full=True)

    @endpoint("Add a comment to a ticket (public: the requester sees it).", mutates=True, reads=(OWN,))
    def comment(self, id: str, text: str, public: bool = True) -> dict:
        t = self.record("tickets", id)
        self.require(text.strip() != "", "text must not be empty")
        self.modify(t, comments=t["comments"] + [{"time": clock.fmt(self.now), "text": text, "public": public}])
        return {"commented": id}

    @endpoint("Change a ticket's status or priority.", mutates=True, reads=(OWN,))
    def update(
        self,
        id: str,
        status: Literal[STATUSES] | None = None,  # type: ignore[valid-type]  # the schema lists the values
        priority: Literal[PRIORITIES] | None = None,  # type: ignore[valid-type]
    ) -> dict:
        t = self.record("tickets", id)
        if status is not None:
            self.require(status in STATUSES, f"status must be one of {', '.join(STATUSES)}")
        if priority is not None:
            self.require(priority in PRIORITIES, f"priority must be one of {', '.join(PRIORITIES)}")
        self.modify(t, **{k: v for k, v in (("status", status), ("priority", priority)) if v is not None})
        return self._view(t)

    def summary(self) -> str:
        n = sum(1 for t in self.table("tickets").values() if t["status"] != "solved")
        return f"helpdesk: {count(n, 'unsolved ticket')}"
