"""Clock: alarms on the phone (``phone.alarms``); tap a switch to toggle, long-press to delete."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

from ..widgets import Dialog, Screen
from .base import App

if TYPE_CHECKING:
    from ..device import SimPhone
    from ..layout import Page


class ClockApp(App):
    package, label, glyph, color, needs = "com.claw.clock", "Clock", "Cl", (103, 58, 183), ("phone",)

    def view_main(self, phone: SimPhone, screen: Screen) -> Page:
        page = self.page(phone, screen, "Alarms", back=False)
        alarms = phone.shown("phone").alarms()
        if not alarms:
            page.empty("No alarms")
        for a in alarms:
            sub = " · ".join(x for x in (a["label"], " ".join(d.title() for d in a["days"]) or "Once") if x)
            page.switch(
                a["time"],
                a["enabled"],
                rid="alarm",
                sub=sub,
                on_tap=partial(phone.call, "phone.toggle_alarm", {"id": a["id"], "enabled": not a["enabled"]}),
                on_long=partial(self.ask_delete, phone, a),
            )
        page.fab("Add alarm", lambda: self.open(phone, "new"), rid="add_alarm")
        return page

    def ask_delete(self, phone: SimPhone, a: dict[str, Any]) -> None:
        """The long-press on an alarm: confirm before deleting it."""
        phone.ask(
            Dialog(
                "Delete alarm?",
                f"The {a['time']} alarm will be deleted.",
                "Delete",
                lambda: phone.call("phone.delete_alarm", {"id": a["id"]}) and "Alarm deleted",
            )
        )

    def view_new(self, phone: SimPhone, screen: Screen) -> Page:
        page = self.page(phone, screen, "New alarm")
        f = screen.fields
        page.fields(
            [("time", "Time (HH:MM, 24 h)"), ("label", "Label"), ("days", "Repeat (e.g. mon tue), empty = once")]
        )
        page.button(
            "Save",
            lambda: self.submit(
                phone,
                "phone.set_alarm",
                {
                    "time": f.get("time", ""),
                    "label": f.get("label", ""),
                    "days": [d[:3].lower() for d in f.get("days", "").replace(",", " ").split()],
                },
                f"Alarm set for {f.get('time', '').strip()}",
            ),
            rid="save",
        )
        return page
