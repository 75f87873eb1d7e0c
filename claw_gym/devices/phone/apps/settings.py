"""Settings: device toggles (``phone.settings``) that tasks can require."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from ....services.phone import SETTING_TITLES
from ..widgets import Screen
from .base import App

if TYPE_CHECKING:
    from ..device import SimPhone
    from ..layout import Page


class SettingsApp(App):
    package, label, glyph, color, needs = "com.claw.settings", "Settings", "S", (95, 99, 104), ("phone",)

    def view_main(self, phone: SimPhone, screen: Screen) -> Page:
        page = self.page(phone, screen, "Settings", back=False)
        phone.shown("phone")
        for key, on in phone.settings().items():
            page.switch(
                SETTING_TITLES[key],
                on,
                rid=f"switch_{key}",
                on_tap=partial(phone.call, "phone.set_setting", {"name": key, "on": not on}),
            )
        page.row(
            "About phone",
            "Claw Phone 1 · Android 14 (simulated)",
            rid="about",
            on_tap=lambda: self.open(phone, "about"),
        )
        return page

    def view_about(self, phone: SimPhone, screen: Screen) -> Page:
        page = self.page(phone, screen, "About phone")
        for k, v in (
            ("Model", "Claw Phone 1"),
            ("Android version", "14 (simulated)"),
            ("Screen", f"{phone.width} x {phone.height}"),
            ("Installed apps", str(len(phone.apps))),
        ):
            page.row(v, k, rid="info")
        return page
