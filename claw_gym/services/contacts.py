"""Contacts: the address book every other service resolves names against."""

from __future__ import annotations

from ..plural import count
from .base import OWN, Record, Service, endpoint


class Contacts(Service):
    name = "contacts"
    title = "Contacts"
    tables_spec = {"people": "c"}

    def add(self, name: str, email: str = "", phone: str = "", **fields: object) -> Record:
        return self.insert(
            "people",
            {
                "name": name,
                "email": email,
                "phone": phone,
                "relation": "",
                "company": "",
                "address": "",
                "notes": "",
                **fields,
            },
        )

    def by_name(self, name: str) -> Record | None:
        return next((p for p in self.table("people").values() if p["name"].lower() == name.lower()), None)

    @endpoint("Search contacts by name, email, phone, company or notes.", cached=True, reads=(OWN,))
    def search(self, query: str = "", limit: int = 20, offset: int = 0) -> dict:
        q = query.lower()
        rows = sorted(
            (
                p
                for p in self.table("people").values()
                if q in " ".join(str(p[k]) for k in ("name", "email", "phone", "company", "notes")).lower()
            ),
            key=lambda p: (p["name"], p["id"]),
        )
        return self.page(rows, limit, offset)

    @endpoint("Read one contact.", reads=(OWN,))
    def get(self, id: str) -> dict:
        return dict(self.record("people", id))

    @endpoint("Create a contact.", mutates=True, reads=())
    def create(self, name: str, email: str = "", phone: str = "", company: str = "", notes: str = "") -> dict:
        self.require(name.strip() != "", "name must not be empty")
        return {"created": self.add(name, email, phone, company=company, notes=notes)["id"]}

    @endpoint("Change fields of a contact (omitted fields stay).", mutates=True, reads=(OWN,))
    def update(
        self,
        id: str,
        name: str | None = None,
        email: str | None = None,
        phone: str | None = None,
        address: str | None = None,
        company: str | None = None,
        notes: str | None = None,
    ) -> dict:
        rec = self.record("people", id)
        self.require(name is None or name.strip() != "", "name must not be empty")
        changes = {
            k: v
            for k, v in (
                ("name", None if name is None else name.strip()),
                ("email", email),
                ("phone", phone),
                ("address", address),
                ("company", company),
                ("notes", notes),
            )
            if v is not None
        }
        self.modify(rec, **changes)
        return {"updated": id, **rec}

    @endpoint("Delete a contact.", mutates=True, reads=(OWN,))
    def delete(self, id: str) -> dict:
        rec = self.record("people", id)
        self.remove("people", id)
        return {"deleted": id, "name": rec["name"]}

    def summary(self) -> str:
        return f"contacts: {count(len(self.table('people')), 'person')}"
