"""SMS: text messages by phone number; what the phone's Messages app shows."""

from __future__ import annotations

import builtins
from typing import Any

from .. import clock
from .base import OWN, Record, Service, endpoint


class Sms(Service):
    name = "sms"
    title = "Messages"
    tables_spec = {"messages": "s"}

    def _view(self, m: Record) -> dict[str, Any]:
        return {
            "id": m["id"],
            "time": clock.fmt(m["time"]),
            "number": m["number"],
            "direction": m["direction"],
            "body": m["body"],
            "read": m["read"],
        }

    def receive(self, number: str, body: str, time: int | None = None, read: bool = False) -> Record:
        return self.insert(
            "messages",
            {
                "time": self.now if time is None else time,
                "number": number,
                "direction": "in",
                "body": body,
                "read": read,
            },
        )

    def messages(self) -> tuple[Record, ...]:
        """Newest first (kept until the messages change)."""
        return self.derived(
            "messages",
            lambda: tuple(sorted(self.table("messages").values(), key=lambda m: (m["time"], m["id"]), reverse=True)),
        )

    def unread_incoming(self) -> tuple[Record, ...]:
        """Received messages not yet read, newest first (kept until the messages change)."""
        return self.derived(
            "unread incoming", lambda: tuple(m for m in self.messages() if m["direction"] == "in" and not m["read"])
        )

    @endpoint("List messages newest first, optionally for one number or only unread.", cached=True, reads=(OWN,))
    def list(self, number: str = "", unread_only: bool = False, limit: int = 20, offset: int = 0) -> dict:
        rows = [
            m for m in self.messages() if (not number or m["number"] == number) and (not unread_only or not m["read"])
        ]
        return self.page(rows, limit, offset, view=self._view)

    @endpoint("Conversations: one line per number with the latest message.", cached=True, reads=(OWN,))
    def threads(self) -> builtins.list:
        seen: dict[str, Record] = {}
        for m in self.messages():
            seen.setdefault(m["number"], m)
        return [self._view(m) for m in seen.values()]

    @endpoint("Mark a message read.", mutates=True, reads=(OWN,))
    def mark_read(self, id: str) -> dict:
        self.modify(self.record("messages", id), read=True)
        return {"id": id, "read": True}

    @endpoint("Send a text message to a phone number.", mutates=True, reads=())
    def send(self, to: str, body: str) -> dict:
        digits = [c for c in to if c.isdigit()]
        self.require(len(digits) >= 5 and all(c.isdigit() or c in "+ -()" for c in to), f"{to!r} is not a phone number")
        self.require(body.strip() != "", "message body must not be empty")
        m = self.insert("messages", {"time": self.now, "number": to, "direction": "out", "body": body, "read": True})
        return {"sent": m["id"]}

    def summary(self) -> str:
        unread = sum(1 for m in self.table("messages").values() if not m["read"])
        return f"sms: {unread} unread"
