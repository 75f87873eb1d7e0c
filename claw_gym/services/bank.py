"""Bank: accounts, posted transactions and outgoing payments (the finance service)."""

from __future__ import annotations

import re
from typing import Any

from .. import clock
from ..plural import count
from .base import OWN, Record, Service, endpoint

_IBAN = re.compile(r"^[A-Z]{2}\d{2}[A-Z0-9]{8,30}$")


def money(x: float) -> float:
    return round(float(x) + 0.0, 2)


class Bank(Service):
    name = "bank"
    title = "Bank"
    tables_spec = {"transactions": "tx"}
    state_attrs = ("opening_balance",)  # beyond the tables, what snapshots cover
    currency = "EUR"

    def __init__(self, world: Any) -> None:
        super().__init__(world)
        self.opening_balance = 0.0  # a declared state attribute (state_attrs): snapshots cover it

    def _view(self, t: Record) -> dict[str, Any]:
        return {
            "id": t["id"],
            "date": clock.fmt(t["time"]),
            "amount": t["amount"],
            "counterparty": t["counterparty"],
            "reference": t["reference"],
            "status": t["status"],
        }

    def post(self, amount: float, counterparty: str, reference: str, time: int | None = None, **extra: Any) -> Record:
        """A posted transaction (negative = money out)."""
        return self.insert(
            "transactions",
            {
                "time": self.now if time is None else time,
                "amount": money(amount),
                "counterparty": counterparty,
                "reference": reference,
                "status": "posted",
                "iban": "",
                **extra,
            },
        )

    def balance_value(self) -> float:
        return money(
            self.opening_balance
            + sum(t["amount"] for t in self.table("transactions").values() if t["status"] != "disputed")
        )

    def state(self) -> dict[str, Any]:
        return {**super().state(), "opening_balance": self.opening_balance}

    @endpoint("Current balance.", reads=(OWN,))
    def balance(self) -> dict:
        return {"balance": self.balance_value(), "currency": self.currency}

    @endpoint(
        "Transactions newest first, filtered by time range [start, end) (dates or 'YYYY-MM-DD HH:MM'; an end date "
        "is not included: end 2026-04-01 for all of March) and words.",
        reads=(OWN,),
    )
    def transactions(self, start: str = "", end: str = "", query: str = "", limit: int = 20, offset: int = 0) -> dict:
        s = self.parse_time(start, "start") if start else None
        e = self.parse_time(end, "end") if end else None
        words = query.lower().split()
        rows = sorted(
            (
                t
                for t in self.table("transactions").values()
                if (s is None or t["time"] >= s)
                and (e is None or t["time"] < e)
                and all(w in (t["counterparty"] + " " + t["reference"]).lower() for w in words)
            ),
            key=lambda t: (t["time"], t["id"]),
            reverse=True,
        )
        return self.page(rows, limit, offset, view=self._view)

    @endpoint("Read one transaction.", reads=(OWN,))
    def get(self, id: str) -> dict:
        return {**self._view(self.record("transactions", id)), "iban": self.record("transactions", id)["iban"]}

    @endpoint("Pay an amount to an IBAN with a reference.", mutates=True, reads=(OWN,))
    def pay(self, iban: str, amount: float, reference: str, name: str = "") -> dict:
        iban_clean = iban.replace(" ", "").upper()
        self.require(bool(_IBAN.match(iban_clean)), f"{iban!r} is not a valid IBAN")
        self.require(0 < amount <= 50_000, "amount must be positive and at most 50000")
        self.require(self.balance_value() >= amount, "insufficient funds")
        t = self.post(-amount, name or iban_clean, reference, iban=iban_clean)
        return {"paid": t["id"], "amount": money(amount), "balance": self.balance_value()}

    @endpoint("Dispute a transaction (e.g. a duplicate or fraudulent charge).", mutates=True, reads=(OWN,))
    def dispute(self, id: str, reason: str) -> dict:
        t = self.record("transactions", id)
        self.require(t["status"] == "posted", f"transaction {id} is {t['status']}, cannot dispute")
        self.require(reason.strip() != "", "give a reason")
        self.modify(t, status="disputed", dispute_reason=reason)
        return {"disputed": id}

    def summary(self) -> str:
        n = count(len(self.table("transactions")), "transaction")
        return f"bank: balance {self.balance_value():,.2f} {self.currency}, {n}"
