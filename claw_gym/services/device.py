"""Device: the devices' system log: past notifications, battery, installs, sign-ins.

Every world has it (like ``events``): a life leaves traces on its devices. Records are
notifications apps posted in the past (``kind="notification"``, with the app that raised
them) and log lines (``battery``, ``install``, ``update``, ``signin``, ``backup``). It is a
read-only record: the shade's live, answerable notifications are ``phone.notifications``
(device-only), the one source of truth for what a notification asks now (docs/phone.md).
"""

from __future__ import annotations

from typing import Any

from .. import clock
from ..plural import count
from .base import OWN, Record, Service, endpoint

KINDS = ("notification", "battery", "install", "update", "signin", "backup")


class Device(Service):
    name = "device"
    title = "Device log"
    tables_spec = {"log": "dv"}

    def _view(self, r: Record) -> dict[str, Any]:
        return {
            "id": r["id"],
            "time": clock.fmt(r["time"]),
            "device": r["device"],
            "kind": r["kind"],
            "app": r["app"],
            "text": r["text"],
        }

    def log_line(self, kind: str, app: str, text: str, time: int | None = None, device: str = "phone") -> Record:
        return self.insert(
            "log",
            {"time": self.now if time is None else time, "device": device, "kind": kind, "app": app, "text": text},
        )

    @endpoint(
        "Device log newest first: notifications, battery, installs, updates, sign-ins; filter by kind/app.",
        reads=(OWN,),
    )
    def log(self, kind: str = "", app: str = "", limit: int = 20, offset: int = 0) -> dict:
        self.require(not kind or kind in KINDS, f"unknown kind {kind!r}; kinds: {', '.join(KINDS)}")
        rows = sorted(
            (
                r
                for r in self.table("log").values()
                if (not kind or r["kind"] == kind) and (not app or r["app"].lower() == app.lower())
            ),
            key=lambda r: (r["time"], r["id"]),
            reverse=True,
        )
        return self.page([self._view(r) for r in rows], limit, offset)

    def summary(self) -> str:
        day = clock.day_start(self.now)
        today = sum(1 for r in self.table("log").values() if r["kind"] == "notification" and r["time"] >= day)
        return f"device: {count(today, 'notification')} today"
