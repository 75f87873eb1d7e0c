"""Contacts: the synced address book (``contacts``) plus contacts saved on the phone only.

A contact's detail screen offers Edit (a form prefilled with its fields: name, phone,
email, company and address for a synced contact; name and phone for one stored on the
phone) and Delete (after a confirmation dialog). Both kinds go through ``World.call``
like every app: ``contacts.update`` / ``contacts.delete`` and ``phone.update_contact`` /
``phone.delete_contact``.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

from ..widgets import Dialog, Handler, Screen
from .base import App
from .dialer import DialerApp
from .mail import MailApp

if TYPE_CHECKING:
    from ..device import SimPhone
    from ..layout import Page


#: the fields the edit form shows, by where the contact is stored: (key, hint)
EDIT_FIELDS: dict[str, list[tuple[str, str]]] = {
    "synced": [
        ("name", "Name"),
        ("phone", "Phone"),
        ("email", "Email"),
        ("company", "Company"),
        ("address", "Address"),
    ],
    "phone": [("name", "Name"), ("phone", "Phone")],
}


class ContactsApp(App):
    package, label, glyph, color, needs = "com.claw.contacts", "Contacts", "Ct", (26, 115, 232), ("contacts",)

    def view_main(self, phone: SimPhone, screen: Screen) -> Page:
        page = self.page(phone, screen, "Contacts", back=False)
        page.field("query", "Search contacts", rid="search")
        q = screen.fields.get("query", "").strip().lower()
        people = [
            p
            for p in phone.contacts()
            if q in (p["name"] + " " + p.get("phone", "") + " " + p.get("email", "")).lower()
        ]
        if not people:
            page.empty("No contacts found")
        for p in people:
            phone.shown(phone.book(p))
            sub = p.get("phone") or p.get("email", "")
            if p["where"] == "phone":
                sub += "  (on this phone)"
            page.row(
                p["name"],
                sub,
                rid="contact",
                on_tap=partial(self.open, phone, "detail", id=p["id"], where=p["where"]),
            )
        page.fab("Add contact", lambda: self.open(phone, "add"), rid="add_contact")
        return page

    def _person(self, phone: SimPhone, screen: Screen) -> dict[str, Any] | None:
        return next((p for p in phone.contacts() if p["id"] == screen.params["id"]), None)

    def view_detail(self, phone: SimPhone, screen: Screen) -> Page:
        p = self._person(phone, screen)
        page = self.page(phone, screen, p["name"] if p else "Contact")
        if p is None:
            page.empty("This contact no longer exists")
            return page
        phone.shown(phone.book(p))
        page.big(p["name"], rid="name")
        for label, key in (("Phone", "phone"), ("Email", "email"), ("Company", "company"), ("Address", "address")):
            if p.get(key):
                page.row(p[key], label, rid=key)
        if p["where"] == "phone":
            page.row("Stored on this phone only", "Not synced to your account", rid="storage")
        specs: list[tuple[str, Handler, str]] = []
        if p.get("phone") and phone.has_service("phone"):
            specs.append(("Call", lambda: phone.app("com.claw.dialer", DialerApp).dial(phone, p["phone"]), "call"))
        if p.get("phone") and "com.claw.messages" in phone.apps:
            specs.append(("Message", lambda: phone.open_thread(p["phone"]), "message"))
        if p.get("email") and "com.claw.mail" in phone.apps:
            specs.append(("Email", lambda: phone.app("com.claw.mail", MailApp).compose_to(phone, p["email"]), "email"))
        if specs:
            page.gap(8)
            page.buttons(specs)
        page.gap(8)
        page.buttons(
            [
                ("Edit", lambda: self._edit(phone, p), "edit"),
                ("Delete", lambda: self._confirm_delete(phone, p), "delete"),
            ]
        )
        return page

    def _edit(self, phone: SimPhone, p: dict[str, Any]) -> None:
        keys = [k for k, _ in EDIT_FIELDS[p["where"]]]
        phone.push(
            Screen(
                self.package,
                "edit",
                {"id": p["id"], "where": p["where"]},
                fields={k: str(p.get(k) or "") for k in keys},
            )
        )

    def _confirm_delete(self, phone: SimPhone, p: dict[str, Any]) -> None:
        where = "your synced address book" if p["where"] == "synced" else "this phone"
        phone.ask(
            Dialog(
                "Delete contact",
                f"Delete {p['name']} from {where}? This cannot be undone.",
                "Delete",
                lambda: self._delete(phone, p),
            )
        )

    def _delete(self, phone: SimPhone, p: dict[str, Any]) -> str:
        call = "contacts.delete" if p["where"] == "synced" else "phone.delete_contact"
        phone.call(call, {"id": p["id"]})
        phone.pop()
        return f"Deleted {p['name']}"

    def view_edit(self, phone: SimPhone, screen: Screen) -> Page:
        p = self._person(phone, screen)
        page = self.page(phone, screen, "Edit contact")
        if p is None:
            page.empty("This contact no longer exists")
            return page
        where = p["where"]
        page.fields(EDIT_FIELDS[where])
        if where == "phone":
            page.row("Stored on this phone only", "Not synced to your account", rid="storage")
        f = screen.fields
        call = "contacts.update" if where == "synced" else "phone.update_contact"
        page.button(
            "Save",
            lambda: self.submit(
                phone,
                call,
                {"id": p["id"], **{k: f.get(k, "").strip() for k, _ in EDIT_FIELDS[where]}},
                "Contact updated",
            ),
            rid="save",
        )
        return page

    def view_add(self, phone: SimPhone, screen: Screen) -> Page:
        page = self.page(phone, screen, "New contact")
        page.fields([("name", "Name"), ("phone", "Phone"), ("email", "Email")])
        f = screen.fields
        page.button(
            "Save",
            lambda: self.submit(
                phone,
                "contacts.create",
                {"name": f.get("name", ""), "phone": f.get("phone", ""), "email": f.get("email", "")},
                "Contact saved",
            ),
            rid="save",
        )
        if phone.has_service("phone"):
            page.gap(8)
            page.button(
                "Save on phone only",
                lambda: self.submit(
                    phone,
                    "phone.add_contact",
                    {"name": f.get("name", ""), "phone": f.get("phone", "")},
                    "Contact saved on phone",
                ),
                rid="save_local",
            )
        return page
