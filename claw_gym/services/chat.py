"""Chat: team and group channels (a Slack-like app)."""

from __future__ import annotations

from typing import Any

from .. import clock
from ..plural import count
from .base import OWN, Record, Service, endpoint


class Chat(Service):
    name = "chat"
    title = "Chat"
    tables_spec = {"messages": "ch"}

    def _view(self, m: Record) -> dict[str, Any]:
        return {
            "id": m["id"],
            "time": clock.fmt(m["time"]),
            "channel": m["channel"],
            "sender": m["sender"],
            "text": m["text"],
        }

    def post_as(self, channel: str, sender: str, text: str, time: int | None = None) -> Record:
        return self.insert(
            "messages", {"time": self.now if time is None else time, "channel": channel, "sender": sender, "text": text}
        )

    def channel_names(self) -> list[str]:
        return sorted({m["channel"] for m in self.table("messages").values()})

    @endpoint("List channels with their message counts.", cached=True, reads=(OWN,))
    def list_channels(self) -> list:
        counts: dict[str, int] = {}
        for m in self.table("messages").values():
            counts[m["channel"]] = counts.get(m["channel"], 0) + 1
        return [{"channel": c, "messages": counts[c]} for c in sorted(counts)]

    @endpoint("Messages of a channel, newest first.", cached=True, reads=(OWN,))
    def history(self, channel: str, limit: int = 20, offset: int = 0) -> dict:
        self.require(channel in self.channel_names(), f"no channel {channel!r}; channels: {self.channel_names()}")
        rows = sorted(
            (m for m in self.table("messages").values() if m["channel"] == channel),
            key=lambda m: (m["time"], m["id"]),
            reverse=True,
        )
        return self.page(rows, limit, offset, view=self._view)

    @endpoint("Post a message to a channel.", mutates=True, reads=(OWN,))
    def post(self, channel: str, text: str) -> dict:
        self.require(channel in self.channel_names(), f"no channel {channel!r}; channels: {self.channel_names()}")
        self.require(text.strip() != "", "text must not be empty")
        me = self.world.persona.me.name if self.world.persona else "me"
        return {"posted": self.post_as(channel, me, text)["id"]}

    def summary(self) -> str:
        return f"chat: {count(len(self.channel_names()), 'channel')}"
