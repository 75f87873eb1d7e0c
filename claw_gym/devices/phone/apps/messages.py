"""Messages: SMS threads over the ``sms`` service (read, reply, compose)."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from ....clock import fmt
from ..widgets import Screen
from .base import App

if TYPE_CHECKING:
    from ..device import SimPhone
    from ..layout import Page

END = 10**6  # scroll offset meaning "the bottom" (clamped when placed)


class MessagesApp(App):
    package, label, glyph, color, needs = "com.claw.messages", "Messages", "Ms", (11, 128, 67), ("sms",)

    def view_main(self, phone: SimPhone, screen: Screen) -> Page:
        page = self.page(phone, screen, "Messages", back=False)
        sms = phone.shown("sms")
        threads = sms.threads()
        if not threads:
            page.empty("No conversations")
        for m in threads:
            unread = sum(1 for x in sms.messages() if x["number"] == m["number"] and not x["read"])
            name = phone.name_for(m["number"]) + (f" ({unread} new)" if unread else "")
            prefix = "You: " if m["direction"] == "out" else ""
            page.row(name, prefix + m["body"], rid="conversation", on_tap=partial(self.show_thread, phone, m["number"]))
        page.fab("New message", lambda: self.open(phone, "compose"), rid="new_message")
        return page

    def show_thread(self, phone: SimPhone, number: str, fresh: bool = False) -> None:
        sms = phone.service("sms")
        for m in sms.messages():
            if m["number"] == number and not m["read"]:
                phone.call("sms.mark_read", {"id": m["id"]})
        phone.foreground(self.package)
        phone.open_screen(Screen(self.package, "thread", {"number": number}, scroll=END), fresh=fresh)

    def view_thread(self, phone: SimPhone, screen: Screen) -> Page:
        number = screen.params["number"]
        page = self.page(phone, screen, phone.name_for(number))
        sms = phone.shown("sms")
        msgs = [m for m in sms.messages() if m["number"] == number][:30][::-1]
        for m in msgs:
            page.bubble(m["body"], fmt(m["time"]), m["direction"] == "out")
        page.gap(8)
        page.field("reply", "Text message", rid="compose_text")
        page.button("Send", lambda: self.send(phone, screen, number), rid="send")
        page.on_enter = lambda: self.send(phone, screen, number)
        return page

    def send(self, phone: SimPhone, screen: Screen, number: str) -> str:
        phone.call("sms.send", {"to": number, "body": screen.fields.get("reply", "")})
        screen.fields["reply"] = ""
        screen.scroll = END
        return "Message sent"

    def view_compose(self, phone: SimPhone, screen: Screen) -> Page:
        page = self.page(phone, screen, "New message")
        page.field("to", "To: name or number", rid="recipient")
        page.field("body", "Text message", rid="compose_text")
        page.button("Send", lambda: self.send_new(phone, screen), rid="send")
        return page

    def send_new(self, phone: SimPhone, screen: Screen) -> str:
        to = screen.fields.get("to", "").strip()
        match = next((p for p in phone.contacts() if p["name"].lower() == to.lower() and p.get("phone")), None)
        number = to
        if match:  # the address book turned the name into a number: a read of it
            phone.shown(phone.book(match))
            number = match["phone"]
        phone.call("sms.send", {"to": number, "body": screen.fields.get("body", "")})
        phone.open_screen(Screen(self.package, "thread", {"number": number}, scroll=END), fresh=True)
        return "Message sent"
