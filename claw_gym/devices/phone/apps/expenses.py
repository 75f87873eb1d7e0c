"""Expenses: claims over the ``expenses`` service; new claim, submit, delete a draft (confirmed)."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from .... import clock
from ....services.expenses import CATEGORIES
from ..widgets import Dialog, GuiError, Screen
from .base import App

if TYPE_CHECKING:
    from ..device import SimPhone
    from ..layout import Page


class ExpensesApp(App):
    package, label, glyph, color, needs = "com.claw.expenses", "Expenses", "Ex", (194, 24, 91), ("expenses",)

    def view_main(self, phone: SimPhone, screen: Screen) -> Page:
        page = self.page(phone, screen, "Expenses", back=False)
        claims = phone.shown("expenses").list(limit=200)["items"][::-1]
        if not claims:
            page.empty("No expense claims")
        for x in claims:
            page.row(
                f"{x['merchant']}  {x['amount']:,.2f}",
                f"{x['date']} · {x['category']} · {x['status']}",
                rid="claim",
                on_tap=partial(self.open, phone, "claim", id=x["id"]),
            )
        page.fab("New claim", lambda: self.open(phone, "new"), rid="new_claim")
        return page

    def view_claim(self, phone: SimPhone, screen: Screen) -> Page:
        x, page = self.record_page(phone, screen, "expenses", "claims", "Claim", "This claim is gone")
        if x is None:
            return page
        page.big(f"{x['amount']:,.2f}", rid="amount")
        for label, value in (
            ("Merchant", x["merchant"]),
            ("Date", clock.fmt_date(x["time"])),
            ("Category", x["category"]),
            ("Status", x["status"]),
            ("Bank transaction", x["tx_id"] or "not linked"),
            ("Notes", x["notes"]),
        ):
            if value:
                page.row(value, label, rid=label.lower().replace(" ", "_"))
        if x["status"] == "draft":
            page.gap(8)
            page.buttons(
                [
                    (
                        "Submit",
                        lambda: self.submit(phone, "expenses.submit", {"ids": [x["id"]]}, "Claim submitted", pop=0),
                        "submit",
                    ),
                    (
                        "Delete",
                        lambda: phone.ask(
                            Dialog(
                                "Delete claim?",
                                f"The draft claim for {x['merchant']} will be deleted.",
                                "Delete",
                                lambda: self.submit(phone, "expenses.delete", {"id": x["id"]}, "Claim deleted"),
                            )
                        ),
                        "delete",
                    ),
                ]
            )
        return page

    def view_new(self, phone: SimPhone, screen: Screen) -> Page:
        page = self.page(phone, screen, "New claim")
        f = screen.fields
        page.fields(
            [
                ("merchant", "Merchant"),
                ("amount", "Amount, e.g. 42.50"),
                ("date", f"Date (YYYY-MM-DD), e.g. {clock.fmt_date(phone.now)}"),
                ("category", f"Category: {', '.join(CATEGORIES)}"),
                ("notes", "Notes"),
            ]
        )

        def save() -> str:
            try:
                amount = float(f.get("amount", "").replace(",", "").strip())
            except ValueError:
                raise GuiError(f"amount {f.get('amount', '')!r} is not a number") from None
            return self.submit(
                phone,
                "expenses.create",
                {
                    "date": f.get("date", "").strip(),
                    "merchant": f.get("merchant", ""),
                    "amount": amount,
                    "category": f.get("category", "").strip().lower(),
                    "notes": f.get("notes", ""),
                },
                "Claim saved",
            )

        page.button("Save", save, rid="save")
        return page
