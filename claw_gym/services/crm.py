"""CRM: customer accounts and deals with stages (the work side of the person's life)."""

from __future__ import annotations

from typing import Any, Literal

from .. import clock
from ..plural import count
from .base import OWN, Record, Service, endpoint

STAGES = ("lead", "qualified", "proposal", "negotiation", "won", "lost")


class Crm(Service):
    name = "crm"
    title = "CRM"
    tables_spec = {"deals": "d", "activities": "act"}

    def _view(self, d: Record) -> dict[str, Any]:
        return {
            "id": d["id"],
            "account": d["account"],
            "title": d["title"],
            "stage": d["stage"],
            "amount": d["amount"],
            "contact": d["contact"],
            "close_date": clock.fmt_date(d["close"]),
            "next_step": d["next_step"],
        }

    def add_deal(
        self, account: str, title: str, stage: str, amount: float, contact: str, close: int, next_step: str = ""
    ) -> Record:
        return self.insert(
            "deals",
            {
                "account": account,
                "title": title,
                "stage": stage,
                "amount": amount,
                "contact": contact,
                "close": close,
                "next_step": next_step,
            },
        )

    @endpoint("List deals, optionally by stage or account words.", reads=(OWN,))
    def list_deals(self, stage: str = "", query: str = "", limit: int = 50, offset: int = 0) -> dict:
        q = query.lower()
        rows = sorted(
            (
                d
                for d in self.table("deals").values()
                if (not stage or d["stage"] == stage) and q in (d["account"] + " " + d["title"]).lower()
            ),
            key=lambda d: (d["close"], d["id"]),
        )
        return self.page(rows, limit, offset, view=self._view)

    @endpoint("Read a deal with its activity log.", reads=(OWN,))
    def get_deal(self, id: str) -> dict:
        d = self.record("deals", id)
        acts = [
            {"time": clock.fmt(a["time"]), "text": a["text"]}
            for a in self.table("activities").values()
            if a["deal"] == id
        ]
        return {**self._view(d), "activities": acts}

    @endpoint("Change a deal's stage, amount, close date or next step.", mutates=True, reads=(OWN,))
    def update_deal(
        self,
        id: str,
        stage: Literal[STAGES] | None = None,  # type: ignore[valid-type]  # the schema lists the values
        amount: float | None = None,
        close_date: str | None = None,
        next_step: str | None = None,
    ) -> dict:
        d = self.record("deals", id)
        changes: dict[str, Any] = {}
        if stage is not None:
            self.require(stage in STAGES, f"stage must be one of {', '.join(STAGES)}")
            changes["stage"] = stage
        if amount is not None:
            self.require(amount >= 0, "amount must be >= 0")
            changes["amount"] = amount
        if close_date is not None:
            changes["close"] = self.parse_time(close_date, "close_date")
        if next_step is not None:
            changes["next_step"] = next_step
        self.modify(d, **changes)
        return self._view(d)

    @endpoint("Log an activity (call, meeting, note) on a deal.", mutates=True, reads=(OWN,))
    def log_activity(self, deal_id: str, text: str) -> dict:
        self.record("deals", deal_id)
        self.require(text.strip() != "", "text must not be empty")
        a = self.insert("activities", {"deal": deal_id, "time": self.now, "text": text})
        return {"logged": a["id"]}

    def summary(self) -> str:
        open_deals = sum(1 for d in self.table("deals").values() if d["stage"] not in ("won", "lost"))
        return f"crm: {count(open_deals, 'open deal')}"
