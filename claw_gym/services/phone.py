"""The phone's own storage: alarms, device settings, call log, SIM contacts, notifications.

Unlike the other services this state lives on the device, so it is ``device_only``:
:meth:`World.call` accepts its endpoints only from the phone's apps (``source="gui"``).
An agent changes an alarm or a setting by using the phone, as a person would; the
API and the laptop's ``claw`` command are refused with a message saying so. Checkers
read the state directly.
"""

from __future__ import annotations

import re
from typing import Any

from .. import clock
from ..plural import count
from .base import OWN, Record, Service, endpoint

#: Device settings and their factory values (what the Settings app shows, in this order).
SETTINGS: dict[str, bool] = {
    "wifi": True,
    "bluetooth": False,
    "mobile_data": True,
    "airplane_mode": False,
    "do_not_disturb": False,
    "location": False,
    "battery_saver": False,
    "dark_theme": False,
}
SETTING_TITLES: dict[str, str] = {
    "wifi": "Wi-Fi",
    "bluetooth": "Bluetooth",
    "mobile_data": "Mobile data",
    "airplane_mode": "Airplane mode",
    "do_not_disturb": "Do not disturb",
    "location": "Location",
    "battery_saver": "Battery saver",
    "dark_theme": "Dark theme",
}
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_HHMM = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


def parse_hhmm(text: str) -> str | None:
    """'6:15' -> '06:15'; None if it is not a time of day."""
    m = _HHMM.match(text.strip())
    return f"{int(m.group(1)):02d}:{m.group(2)}" if m else None


class Phone(Service):
    name = "phone"
    title = "Phone"
    device_only = True  # World.call accepts these endpoints only from source="gui" (Service.serves)
    tables_spec = {"alarms": "al", "calls": "call", "contacts": "pc", "notifications": "nt"}
    state_attrs = ("settings",)  # beyond the tables, what snapshots cover

    def __init__(self, world: Any) -> None:
        super().__init__(world)
        self.settings: dict[str, bool] = dict(SETTINGS)

    def state(self) -> dict[str, Any]:
        return {**super().state(), "settings": dict(self.settings)}

    # ---- generator helpers (not endpoints) ----------------------------------------------------
    def add_contact_record(self, name: str, phone: str) -> Record:
        return self.insert("contacts", {"name": name, "phone": phone})

    def add_alarm_record(
        self, time: str, label: str = "", days: list[str] | tuple[str, ...] = (), *, enabled: bool = True, created: int
    ) -> Record:
        """An alarm the person set earlier (generators: the background's and a family's, as ``set_alarm`` stores)."""
        return self.insert(
            "alarms",
            {
                "time": time,
                "label": label,
                "days": [d for d in DAYS if d in days],
                "enabled": enabled,
                "created": created,
            },
        )

    def notify(
        self, app: str, title: str, text: str, actions: list[str] | None = None, time: int | None = None, **extra: Any
    ) -> Record:
        return self.insert(
            "notifications",
            {
                "time": self.now if time is None else time,
                "app": app,
                "title": title,
                "text": text,
                "actions": list(actions or []),
                "dismissed": False,
                "response": None,
                **extra,
            },
        )

    def log_call(
        self, number: str, direction: str = "in", missed: bool = False, duration: int = 0, time: int | None = None
    ) -> Record:
        """A call in the log (generators: incoming and missed calls)."""
        return self.insert(
            "calls",
            {
                "time": self.now if time is None else time,
                "number": number,
                "direction": direction,
                "duration": duration,
                "missed": missed,
            },
        )

    def alarms(self) -> list[Record]:
        return sorted(self.table("alarms").values(), key=lambda a: (a["time"], a["id"]))

    def active_notifications(self) -> list[Record]:
        rows = [n for n in self.table("notifications").values() if not n["dismissed"]]
        return sorted(rows, key=lambda n: (n["time"], n["id"]), reverse=True)

    # ---- alarms --------------------------------------------------------------------------------
    @endpoint("List alarms.", reads=(OWN,))
    def list_alarms(self) -> list:
        return [dict(a) for a in self.alarms()]

    @endpoint("Add an alarm at HH:MM with an optional label and repeat days (mon..sun).", mutates=True, reads=(OWN,))
    def set_alarm(self, time: str, label: str = "", days: list[str] = []) -> dict:  # noqa: B006
        hhmm = parse_hhmm(time)
        self.require(hhmm is not None, f"{time!r} is not a time of day; use HH:MM (24 h)")
        bad = [d for d in days if d not in DAYS]
        self.require(not bad, f"unknown day(s) {bad}; days: {', '.join(DAYS)}")
        rec = self.insert(
            "alarms",
            {
                "time": hhmm,
                "label": label.strip(),
                "days": [d for d in DAYS if d in days],
                "enabled": True,
                "created": self.now,
            },
        )
        return {"created": rec["id"], "time": hhmm}

    @endpoint("Turn an alarm on or off.", mutates=True, reads=(OWN,))
    def toggle_alarm(self, id: str, enabled: bool) -> dict:
        self.modify(self.record("alarms", id), enabled=enabled)
        return {"id": id, "enabled": enabled}

    @endpoint("Delete an alarm.", mutates=True, reads=(OWN,))
    def delete_alarm(self, id: str) -> dict:
        self.record("alarms", id)
        self.remove("alarms", id)
        return {"deleted": id}

    # ---- settings ------------------------------------------------------------------------------
    @endpoint("Device settings (on/off).", reads=(OWN,))
    def get_settings(self) -> dict:
        return dict(self.settings)

    @endpoint("Turn a device setting on or off.", mutates=True, reads=(OWN,))
    def set_setting(self, name: str, on: bool) -> dict:
        self.require(name in self.settings, f"unknown setting {name!r}; settings: {', '.join(self.settings)}")
        self.set_state("settings", {**self.settings, name: on})  # the declared setter: a new version
        return {name: on}

    # ---- calls ---------------------------------------------------------------------------------
    @endpoint("The call log, newest first.", reads=(OWN,))
    def call_log(self, limit: int = 20, offset: int = 0) -> dict:
        rows = sorted(self.table("calls").values(), key=lambda c: (c["time"], c["id"]), reverse=True)
        return self.page([{**c, "time": clock.fmt(c["time"])} for c in rows], limit, offset)

    @endpoint("Place a call to a number (it appears in the call log).", mutates=True, reads=(OWN,))
    def place_call(self, number: str) -> dict:
        digits = [c for c in number if c.isdigit()]
        self.require(
            len(digits) >= 3 and all(c.isdigit() or c in "+ -()*#" for c in number), f"{number!r} is not a phone number"
        )
        rec = self.log_call(number.strip(), "out")
        return {"calling": number.strip(), "id": rec["id"]}

    # ---- SIM contacts --------------------------------------------------------------------------
    @endpoint("Contacts stored on the phone only (not synced to the contacts service).", reads=(OWN,))
    def list_contacts(self) -> list:
        return sorted((dict(c) for c in self.table("contacts").values()), key=lambda c: (c["name"], c["id"]))

    @endpoint("Save a contact on the phone.", mutates=True, reads=(OWN,))
    def add_contact(self, name: str, phone: str) -> dict:
        self.require(name.strip() != "", "name must not be empty")
        self.require(sum(c.isdigit() for c in phone) >= 3, f"{phone!r} is not a phone number")
        return {"created": self.add_contact_record(name.strip(), phone.strip())["id"]}

    @endpoint(
        "Change the name or number of a contact stored on the phone (omitted fields stay).", mutates=True, reads=(OWN,)
    )
    def update_contact(self, id: str, name: str | None = None, phone: str | None = None) -> dict:
        rec = self.record("contacts", id)
        self.require(name is None or name.strip() != "", "name must not be empty")
        self.require(phone is None or sum(c.isdigit() for c in phone) >= 3, f"{phone!r} is not a phone number")
        changes = {k: v.strip() for k, v in (("name", name), ("phone", phone)) if v is not None}
        self.modify(rec, **changes)
        return {"updated": id, **rec}

    @endpoint("Delete a contact stored on the phone.", mutates=True, reads=(OWN,))
    def delete_contact(self, id: str) -> dict:
        rec = self.record("contacts", id)
        self.remove("contacts", id)
        return {"deleted": id, "name": rec["name"]}

    # ---- notifications -------------------------------------------------------------------------
    @endpoint("Active notifications, newest first.", reads=(OWN,))
    def notifications(self) -> list:
        return [dict(n) for n in self.active_notifications()]

    @endpoint("Dismiss a notification.", mutates=True, reads=(OWN,))
    def dismiss(self, id: str) -> dict:
        n = self.record("notifications", id)
        self.require(not n["dismissed"], f"notification {id} is already dismissed")
        self.modify(n, dismissed=True)
        return {"dismissed": id}

    @endpoint(
        "Answer a notification with one of its action buttons (this also dismisses it).", mutates=True, reads=(OWN,)
    )
    def respond(self, id: str, action: str) -> dict:
        n = self.record("notifications", id)
        self.require(not n["dismissed"], f"notification {id} is already dismissed")
        self.require(action in n["actions"], f"notification {id} has no action {action!r}; actions: {n['actions']}")
        self.modify(n, response=action, dismissed=True, responded_at=self.now)
        return {"id": id, "response": action}

    def summary(self) -> str:
        on = [SETTING_TITLES[k] for k, v in self.settings.items() if v]
        alarms = sum(1 for a in self.table("alarms").values() if a["enabled"])
        return (
            f"phone: {count(alarms, 'alarm')} on, {count(len(self.active_notifications()), 'notification')}; "
            f"on: {', '.join(on) or 'nothing'}"
        )
