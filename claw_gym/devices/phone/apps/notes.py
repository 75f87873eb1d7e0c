"""Notes: list, read, append a line, create (over the ``notes`` service)."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from .... import clock
from ..widgets import Screen
from .base import App

if TYPE_CHECKING:
    from ..device import SimPhone
    from ..layout import Page


class NotesApp(App):
    package, label, glyph, color, needs = "com.claw.notes", "Notes", "N", (249, 171, 0), ("notes",)

    def view_main(self, phone: SimPhone, screen: Screen) -> Page:
        page = self.page(phone, screen, "Notes", back=False)
        notes = phone.shown("notes").list(limit=200)["items"]
        if not notes:
            page.empty("No notes")
        for n in notes:
            page.row(
                n["title"],
                f"{n['folder'] + ' · ' if n['folder'] else ''}{n['updated']}",
                rid="note",
                on_tap=partial(self.open, phone, "note", id=n["id"]),
            )
        page.fab("New note", lambda: self.open(phone, "new"), rid="new_note")
        return page

    def view_note(self, phone: SimPhone, screen: Screen) -> Page:
        n, page = self.record_page(phone, screen, "notes", "notes", "Note", "This note is gone")
        if n is None:
            return page
        page.row(n["title"], "Edited " + clock.fmt(n["updated"]), rid="title")
        page.text(n["body"] or " ", rid="body")
        page.field("line", "Add a line", rid="add_line")

        def add() -> str:
            phone.call("notes.append", {"id": n["id"], "text": screen.fields.get("line", "")})
            screen.fields["line"] = ""
            return "Line added"

        page.button("Add", add, rid="add")
        page.on_enter = add
        return page

    def view_new(self, phone: SimPhone, screen: Screen) -> Page:
        page = self.page(phone, screen, "New note")
        page.fields([("title", "Title"), ("body", "Note")])
        page.button(
            "Save",
            lambda: self.submit(
                phone,
                "notes.create",
                {"title": screen.fields.get("title", ""), "body": screen.fields.get("body", "")},
                "Note saved",
            ),
            rid="save",
        )
        return page
