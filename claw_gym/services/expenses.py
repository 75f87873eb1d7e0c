"""Expenses: expense claims that refer to bank transactions and receipts."""

from __future__ import annotations

import builtins
from typing import Any, Literal

from .. import clock
from ..plural import count
from .bank import money
from .base import OWN, Record, Service, endpoint

CATEGORIES = ("travel", "meals", "software", "office", "training", "other")


class Expenses(Service):
    name = "expenses"
    title = "Expenses"
    tables_spec = {"claims": "x"}

    def _view(self, x: Record) -> dict[str, Any]:
        return {
            "id": x["id"],
            "date": clock.fmt_date(x["time"]),
            "merchant": x["merchant"],
            "amount": x["amount"],
            "category": x["category"],
            "status": x["status"],
            "tx_id": x["tx_id"],
            "notes": x["notes"],
        }

    def add(self, time: int, merchant: str, amount: float, category: str, **fields: Any) -> Record:
        return self.insert(
            "claims",
            {
                "time": time,
                "merchant": merchant,
                "amount": money(amount),
                "category": category,
                "status": "draft",
                "tx_id": "",
                "notes": "",
                **fields,
            },
        )

    @endpoint("List expense claims, optionally by status (draft, submitted, approved).", reads=(OWN,))
    def list(self, status: str = "", limit: int = 50, offset: int = 0) -> dict:
        rows = sorted(
            (x for x in self.table("claims").values() if not status or x["status"] == status),
            key=lambda x: (x["time"], x["id"]),
        )
        return self.page(rows, limit, offset, view=self._view)

    @endpoint("Create a draft claim; link the bank transaction with tx_id.", mutates=True, reads=(OWN, "bank"))
    # Literal[CATEGORIES]: the tuple is unpacked at run time (Literal["travel", ...]), which mypy can't follow
    def create(
        self,
        date: str,
        merchant: str,
        amount: float,
        category: Literal[CATEGORIES],  # type: ignore[valid-type]  # from the one tuple the schema and checks share
        tx_id: str = "",
        notes: str = "",
    ) -> dict:
        t = self.parse_time(date, "date")
        self.require(0 < amount <= 100_000, "amount must be positive")
        if tx_id:
            bank = self.world.services.get("bank")
            self.require(bank is not None and tx_id in bank.table("transactions"), f"no bank transaction {tx_id!r}")
            self.require(
                not any(x["tx_id"] == tx_id for x in self.table("claims").values()),
                f"transaction {tx_id} is already claimed",
            )
        return {"created": self.add(t, merchant, amount, category, tx_id=tx_id, notes=notes)["id"]}

    @endpoint("Submit draft claims for approval.", mutates=True, reads=(OWN,))
    def submit(self, ids: builtins.list[str]) -> dict:
        self.require(len(ids) > 0, "give at least one id")
        recs = [self.record("claims", i) for i in ids]
        for x in recs:
            self.require(x["status"] == "draft", f"claim {x['id']} is already {x['status']}")
        for x in recs:
            self.modify(x, status="submitted")
        return {"submitted": list(ids)}

    @endpoint("Delete a draft claim.", mutates=True, reads=(OWN,))
    def delete(self, id: str) -> dict:
        x = self.record("claims", id)
        self.require(x["status"] == "draft", f"claim {id} is {x['status']}; only drafts can be deleted")
        self.remove("claims", id)
        return {"deleted": id}

    def summary(self) -> str:
        drafts = sum(1 for x in self.table("claims").values() if x["status"] == "draft")
        return f"expenses: {count(drafts, 'draft claim')}"
