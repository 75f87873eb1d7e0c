"""Bank: balance, transactions, and disputing a charge (after a confirmation)."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

from .... import clock
from ..widgets import Dialog, Screen
from .base import App

if TYPE_CHECKING:
    from ..device import SimPhone
    from ..layout import Page


class BankApp(App):
    package, label, glyph, color, needs = "com.claw.bank", "Bank", "B", (0, 105, 92), ("bank",)

    def view_main(self, phone: SimPhone, screen: Screen) -> Page:
        page = self.page(phone, screen, "Bank", back=False)
        bank = phone.shown("bank")
        page.big(f"{bank.balance_value():,.2f} {bank.currency}", rid="balance")
        page.header("Transactions")
        rows = bank.transactions(limit=200)["items"]
        for t in rows:
            status = "" if t["status"] == "posted" else f" · {t['status']}"
            page.row(
                f"{t['counterparty']}  {t['amount']:+,.2f}",
                f"{t['date']} · {t['reference']}{status}",
                rid="transaction",
                on_tap=partial(self.open, phone, "tx", id=t["id"]),
            )
        return page

    def view_tx(self, phone: SimPhone, screen: Screen) -> Page:
        t, page = self.record_page(phone, screen, "bank", "transactions", "Transaction", "No such transaction")
        if t is None:
            return page
        page.big(f"{t['amount']:+,.2f}", rid="amount")
        page.row(t["counterparty"], "Counterparty", rid="counterparty")
        page.row(clock.fmt(t["time"]), "Date", rid="date")
        page.row(t["reference"] or "-", "Reference", rid="reference")
        page.row(t["status"], "Status", rid="status")
        if t["status"] == "posted":
            page.field("reason", "Reason for a dispute", rid="reason")
            page.button(
                "Dispute",
                lambda: phone.ask(
                    Dialog(
                        "Dispute this charge?",
                        f"{t['counterparty']} {t['amount']:+,.2f} will be reported to the bank.",
                        "Dispute",
                        partial(self.dispute, phone, t),
                    )
                ),
                rid="dispute",
                color=(217, 48, 37),
            )
        return page

    def dispute(self, phone: SimPhone, t: dict[str, Any]) -> str:
        """The dispute dialog's confirm: the reason is read from the screen showing the dialog now."""
        s = phone.screen
        assert s is not None  # a dialog is confirmed on the app screen that asked it
        args = {"id": t["id"], "reason": s.fields.get("reason", "")}
        return self.submit(phone, "bank.dispute", args, "Dispute filed", pop=0)
