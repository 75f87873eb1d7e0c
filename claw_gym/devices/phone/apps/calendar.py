"""Calendar: an agenda over the ``calendar`` service; add, read and delete events."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from .... import clock
from ..widgets import Dialog, Screen
from .base import App

if TYPE_CHECKING:
    from ..device import SimPhone
    from ..layout import Page

DAYS_SHOWN = 14


class CalendarApp(App):
    package, label, glyph, color, needs = "com.claw.calendar", "Calendar", "31", (66, 133, 244), ("calendar",)

    def view_main(self, phone: SimPhone, screen: Screen) -> Page:
        page = self.page(phone, screen, "Calendar", back=False)
        cal = phone.shown("calendar")
        day = clock.day_start(phone.now)
        entries = cal.overlapping(day, day + DAYS_SHOWN * clock.DAY)
        current = None
        if not entries:
            page.empty(f"Nothing in the next {DAYS_SHOWN} days")
        for e in entries:
            d = clock.day_start(e["start"])
            if d != current:
                current = d
                page.header(clock.to_datetime(max(d, day)).strftime("%a %d %b"))
            s, t = clock.to_datetime(e["start"]), clock.to_datetime(e["end"])
            page.row(
                e["title"],
                f"{s:%H:%M}-{t:%H:%M}" + (f" · {e['location']}" if e.get("location") else ""),
                rid="event",
                on_tap=partial(self.open, phone, "event", id=e["id"]),
            )
        page.fab("New event", lambda: self.open(phone, "new"), rid="new_event")
        return page

    def view_event(self, phone: SimPhone, screen: Screen) -> Page:
        e, page = self.record_page(phone, screen, "calendar", "entries", "Event", "This event was deleted")
        if e is None:
            return page
        page.big(e["title"], rid="title")
        page.row(f"{clock.fmt_long(e['start'])} - {clock.to_datetime(e['end']):%H:%M}", "When", rid="when")
        if e.get("location"):
            page.row(e["location"], "Where", rid="where")
        for a in e.get("attendees", []):
            page.row(a, "Guest", rid="attendee")
        if e.get("notes"):
            page.text(e["notes"], rid="notes")
        page.gap(8)
        page.button(
            "Delete",
            lambda: phone.ask(
                Dialog(
                    "Delete event?",
                    f'"{e["title"]}" will be removed from your calendar.',
                    "Delete",
                    lambda: self.submit(phone, "calendar.delete_event", {"id": e["id"]}, "Event deleted"),
                )
            ),
            rid="delete",
            color=(217, 48, 37),
        )
        return page

    def view_new(self, phone: SimPhone, screen: Screen) -> Page:
        page = self.page(phone, screen, "New event")
        f = screen.fields
        page.fields(
            [
                ("title", "Title"),
                ("date", f"Date (YYYY-MM-DD), e.g. {clock.fmt_date(phone.now)}"),
                ("start", "Starts (HH:MM)"),
                ("end", "Ends (HH:MM)"),
                ("location", "Location"),
            ]
        )

        def save() -> str:
            date = f.get("date", "").strip()
            return self.submit(
                phone,
                "calendar.create_event",
                {
                    "title": f.get("title", ""),
                    "start": f"{date} {f.get('start', '').strip()}".strip(),
                    "end": f"{date} {f.get('end', '').strip()}".strip(),
                    "location": f.get("location", ""),
                },
                "Event saved",
            )

        page.button("Save", save, rid="save")
        return page
