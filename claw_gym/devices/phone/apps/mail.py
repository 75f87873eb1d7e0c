"""Mail and Work Mail: folders, reading, replying, composing, deleting (with a confirmation)."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from .... import clock
from ..widgets import Dialog, Handler, Screen
from .base import App

if TYPE_CHECKING:
    from ..device import SimPhone
    from ..layout import Page

FOLDER_TABS = (("Inbox", "inbox"), ("Archive", "archive"), ("Sent", "sent"))


class MailApp(App):
    package, label, glyph, color, needs = "com.claw.mail", "Mail", "@", (217, 48, 37), ("mail",)
    service = "mail"

    def view_main(self, phone: SimPhone, screen: Screen) -> Page:
        page = self.page(phone, screen, self.label, back=False)
        folder = screen.params.get("folder", "inbox")

        def go(f: str) -> None:
            screen.params["folder"], screen.scroll = f, 0
            phone.changed()

        page.chips([(label, folder == f, partial(go, f), f"tab_{f}") for label, f in FOLDER_TABS])
        rows = phone.shown(self.service).messages(folder)[:60]
        if not rows:
            page.empty(f"No mail in {folder}")
        for m in rows:
            who = m["from"] if folder != "sent" else "To: " + ", ".join(m["to"])
            mark = "" if m["read"] else "* "
            page.row(
                mark + m["subject"],
                f"{who} · {clock.fmt(m['time'])}",
                rid="message",
                on_tap=partial(self.open_message, phone, m["id"]),
            )
        page.fab("Compose", lambda: self.open(phone, "compose"), rid="compose")
        return page

    def open_message(self, phone: SimPhone, mid: str, fresh: bool = False) -> None:
        phone.call(f"{self.service}.get", {"id": mid})  # reading marks it read, as the API does
        if fresh:
            phone.open_app_view(self.package, "read", id=mid)
        else:
            self.open(phone, "read", id=mid)

    def compose_to(self, phone: SimPhone, address: str) -> None:
        phone.start_app(self.package)
        phone.push(Screen(self.package, "compose", fields={"to": address}))

    def view_read(self, phone: SimPhone, screen: Screen) -> Page:
        m, page = self.record_page(phone, screen, self.service, "messages", self.label, "This message is gone")
        if m is None:
            return page
        page.text(m["subject"], rid="subject")
        page.row(m["from"], f"to {', '.join(m['to'])} · {clock.fmt(m['time'])}", rid="sender")
        page.text(m["body"], rid="body")
        for a in m.get("attachments", []):
            page.row(a, "Attachment", rid="attachment")
        page.gap(8)
        specs: list[tuple[str, Handler, str]] = [("Reply", lambda: self.open(phone, "reply", id=m["id"]), "reply")]
        if m["folder"] != "archive":
            specs.append(
                (
                    "Archive",
                    lambda: self.submit(
                        phone, f"{self.service}.move", {"id": m["id"], "folder": "archive"}, "Archived"
                    ),
                    "archive",
                )
            )
        if m["folder"] != "trash":
            specs.append(
                (
                    "Delete",
                    lambda: phone.ask(
                        Dialog(
                            "Delete message?",
                            f'"{m["subject"]}" will be moved to the trash.',
                            "Delete",
                            lambda: self.submit(
                                phone, f"{self.service}.move", {"id": m["id"], "folder": "trash"}, "Deleted"
                            ),
                        )
                    ),
                    "delete",
                )
            )
        page.buttons(specs)
        return page

    def view_reply(self, phone: SimPhone, screen: Screen) -> Page:
        m = phone.shown(self.service).table("messages").get(screen.params["id"])
        page = self.page(phone, screen, "Reply")
        if m is not None:
            page.row(m["from"], "Re: " + m["subject"], rid="to")
        page.field("body", "Write your reply", rid="body")
        page.button(
            "Send",
            lambda: self.submit(
                phone,
                f"{self.service}.reply",
                {"id": screen.params["id"], "body": screen.fields.get("body", "")},
                "Reply sent",
                pop=2,
            ),
            rid="send",
        )
        return page

    def view_compose(self, phone: SimPhone, screen: Screen) -> Page:
        page = self.page(phone, screen, "Compose")
        f = screen.fields
        page.fields([("to", "To (addresses, comma separated)"), ("subject", "Subject"), ("body", "Message")])
        page.button(
            "Send",
            lambda: self.submit(
                phone,
                f"{self.service}.send",
                {
                    "to": [a.strip() for a in f.get("to", "").split(",") if a.strip()],
                    "subject": f.get("subject", ""),
                    "body": f.get("body", ""),
                },
                "Mail sent",
            ),
            rid="send",
        )
        return page


class WorkMailApp(MailApp):
    package, label, glyph, color, needs = "com.claw.workmail", "Work Mail", "W@", (95, 99, 104), ("workmail",)
    service = "workmail"
