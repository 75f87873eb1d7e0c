"""Phone: a keypad and the call log (``phone.calls``)."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from ..widgets import Node, Screen
from .base import App

if TYPE_CHECKING:
    from ..device import SimPhone
    from ..layout import Page

KEYS = "123456789*0#"


class DialerApp(App):
    package, label, glyph, color, needs = "com.claw.dialer", "Phone", "Ph", (30, 142, 62), ("phone",)

    def dial(self, phone: SimPhone, number: str) -> str:
        phone.call("phone.place_call", {"number": number})
        return f"Calling {phone.name_for(number)}"

    def _tabs(self, phone: SimPhone, page: Page, screen: Screen, tab: str) -> None:
        def go(view: str) -> None:
            screen.view = view
            phone.changed()

        page.chips(
            [
                ("Keypad", tab == "keypad", lambda: go("main"), "tab_keypad"),
                ("Recents", tab == "recents", lambda: go("recents"), "tab_recents"),
            ]
        )

    def view_main(self, phone: SimPhone, screen: Screen) -> Page:
        page = self.page(phone, screen, "Phone", back=False)
        self._tabs(phone, page, screen, "keypad")
        screen.focus = screen.focus or "number"
        number = screen.fields.get("number", "")
        disp = page.add(
            "EditText",
            64,
            text=number,
            sub="Enter a number",
            style="display",
            rid="digits",
            focused=screen.focus == "number",
            focusable=True,
            on_tap=lambda: phone.focus("number"),
        )
        disp.color = self.color
        y0 = page.y
        for i, k in enumerate(KEYS):
            r, c = divmod(i, 3)
            page.items.append(
                Node(
                    "android.widget.Button",
                    (c * 120, y0 + r * 72, (c + 1) * 120, y0 + (r + 1) * 72),
                    text=k,
                    rid=page.rid(f"key_{'star' if k == '*' else 'pound' if k == '#' else k}"),
                    package=self.package,
                    style="key",
                    on_tap=partial(self._press, phone, screen, k),
                )
            )
        page.y = y0 + 4 * 72 + 8
        page.buttons(
            [
                ("Call", lambda: self.dial(phone, screen.fields.get("number", "")), "call"),
                ("Delete", lambda: self._press(phone, screen, None), "delete"),
            ]
        )
        page.on_enter = lambda: self.dial(phone, screen.fields.get("number", ""))
        return page

    def _press(self, phone: SimPhone, screen: Screen, key: str | None) -> None:
        cur = screen.fields.get("number", "")
        screen.fields["number"] = cur + key if key is not None else cur[:-1]
        phone.changed()

    def view_recents(self, phone: SimPhone, screen: Screen) -> Page:
        page = self.page(phone, screen, "Phone", back=False)
        self._tabs(phone, page, screen, "recents")
        calls = phone.shown("phone").call_log(limit=200)["items"]
        if not calls:
            page.empty("No recent calls")
        for c in calls:
            kind = "Missed" if c.get("missed") else "Outgoing" if c["direction"] == "out" else "Incoming"
            page.row(
                phone.name_for(c["number"]),
                f"{kind} · {c['time']}",
                rid="call_log_entry",
                on_tap=partial(self.dial, phone, c["number"]),
            )
        return page
