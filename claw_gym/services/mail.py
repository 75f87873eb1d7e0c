"""Mail: personal mailbox (``mail``) and work mailbox (``workmail``), same mechanism."""

from __future__ import annotations

import builtins
from typing import Any

from .. import clock
from .base import OWN, Record, Service, ServiceError, endpoint
from .files import Files

FOLDERS = ("inbox", "sent", "archive", "trash", "drafts", "spam")


class Mail(Service):
    name = "mail"
    title = "Mail"
    tables_spec = {"messages": "m"}

    def address(self) -> str:
        p = self.world.persona
        return p.me.email if p else "me@example.org"

    def _brief(self, m: Record) -> dict[str, Any]:
        return {
            "id": m["id"],
            "time": clock.fmt(m["time"]),
            "from": m["from"],
            "subject": m["subject"],
            "read": m["read"],
            "folder": m["folder"],
            "attachments": list(m.get("attachments", [])),
        }

    def _full(self, m: Record) -> dict[str, Any]:
        return {
            **self._brief(m),
            "to": m["to"],
            "cc": m.get("cc", []),
            "body": m["body"],
            "in_reply_to": m.get("in_reply_to"),
        }

    def messages(self, folder: str | None = None) -> tuple[Record, ...]:
        """Newest first (kept until the mailbox changes: listings no longer sort 90 days per call)."""

        def build() -> tuple[Record, ...]:
            rows = self.table("messages").values()
            return tuple(
                sorted(
                    (m for m in rows if folder is None or m["folder"] == folder),
                    key=lambda m: (m["time"], m["id"]),
                    reverse=True,
                )
            )

        return self.derived(("messages", folder), build)

    def unread(self, folder: str = "inbox") -> tuple[Record, ...]:
        """Unread messages of a folder, newest first (kept until the mailbox changes; the phone's
        notifications ask for them on every redraw)."""
        return self.derived(("unread", folder), lambda: tuple(m for m in self.messages(folder) if not m["read"]))

    @endpoint("List messages in a folder, newest first.", cached=True, reads=(OWN,))
    def list(self, folder: str = "inbox", unread_only: bool = False, limit: int = 20, offset: int = 0) -> dict:
        self.require(folder in FOLDERS, f"unknown folder {folder!r}; folders: {', '.join(FOLDERS)}")
        rows = self.unread(folder) if unread_only else self.messages(folder)
        return self.page(rows, limit, offset, view=self._brief)

    @endpoint("Search all folders by words in sender, subject or body.", cached=True, reads=(OWN,))
    def search(self, query: str, sender: str = "", limit: int = 20, offset: int = 0) -> dict:
        self.checked(limit, offset)  # only the page's checks can refuse: a dry run reads no message
        words = query.lower().split()
        hits = [
            m
            for m in self.messages()
            if all(w in (m["subject"] + " " + m["body"] + " " + m["from"]).lower() for w in words)
            and sender.lower() in m["from"].lower()
        ]
        return self.page(hits, limit, offset, view=self._brief)

    @endpoint("Read one message in full (marks it read).", mutates=True, reads=(OWN,))
    def get(self, id: str) -> dict:
        m = self.get_record(id)
        if not m["read"]:
            self.modify(m, read=True)
        return self._full(m)

    def get_record(self, rid: str) -> Record:
        return self.record("messages", rid)

    def deliver(
        self,
        sender: str,
        subject: str,
        body: str,
        *,
        to: builtins.list[str] | None = None,
        time: int | None = None,
        folder: str = "inbox",
        read: bool = False,
        attachments: builtins.list[str] | None = None,
        **extra: Any,
    ) -> Record:
        """Put a received message into the mailbox (used by generators and event delivery)."""
        return self.insert(
            "messages",
            {
                "time": self.now if time is None else time,
                "from": sender,
                "to": to or [self.address()],
                "cc": [],
                "subject": subject,
                "body": body,
                "folder": folder,
                "read": read,
                "attachments": attachments or [],
                **extra,
            },
        )

    def _check_addresses(self, addrs: builtins.list[str], what: str) -> None:
        for a in addrs:
            if "@" not in a or " " in a.strip() or a.startswith("@") or a.endswith("@"):
                raise ServiceError(f"{what}: {a!r} is not an email address")

    def _check_attachments(self, attachments: builtins.list[str]) -> None:
        files = self.world.services.get("files")
        for path in attachments:
            if not isinstance(files, Files) or files.find(path) is None:
                raise ServiceError(f"attachment {path!r} not found in files")

    @endpoint("Send a new message.", mutates=True, reads=("files",))
    def send(
        self,
        to: builtins.list[str],
        subject: str,
        body: str,
        cc: builtins.list[str] = [],  # noqa: B006 (never mutated)
        attachments: builtins.list[str] = [],  # noqa: B006 (never mutated)
    ) -> dict:
        self.require(len(to) > 0, "send needs at least one recipient in 'to'")
        self._check_addresses(to, "to")
        self._check_addresses(cc, "cc")
        self._check_attachments(attachments)
        m = self.insert(
            "messages",
            {
                "time": self.now,
                "from": self.address(),
                "to": list(to),
                "cc": list(cc),
                "subject": subject,
                "body": body,
                "folder": "sent",
                "read": True,
                "attachments": list(attachments),
            },
        )
        return {"sent": m["id"]}

    @endpoint("Reply to a message (to its sender; cc others).", mutates=True, reads=(OWN, "files"))
    def reply(
        self,
        id: str,
        body: str,
        attachments: builtins.list[str] = [],  # noqa: B006 (never mutated)
        cc: builtins.list[str] = [],  # noqa: B006 (never mutated)
    ) -> dict:
        orig = self.get_record(id)
        self._check_addresses(cc, "cc")
        self._check_attachments(attachments)
        subject = orig["subject"] if orig["subject"].lower().startswith("re:") else f"Re: {orig['subject']}"
        m = self.insert(
            "messages",
            {
                "time": self.now,
                "from": self.address(),
                "to": [orig["from"]],
                "cc": list(cc),
                "subject": subject,
                "body": body,
                "folder": "sent",
                "read": True,
                "attachments": list(attachments),
                "in_reply_to": orig["id"],
            },
        )
        return {"sent": m["id"]}

    @endpoint("Forward a message to new recipients.", mutates=True, reads=(OWN,))
    def forward(
        self,
        id: str,
        to: builtins.list[str],
        body: str = "",
        cc: builtins.list[str] = [],  # noqa: B006 (never mutated)
    ) -> dict:
        orig = self.get_record(id)
        self.require(len(to) > 0, "forward needs at least one recipient")
        self._check_addresses(to, "to")
        self._check_addresses(cc, "cc")
        m = self.insert(
            "messages",
            {
                "time": self.now,
                "from": self.address(),
                "to": list(to),
                "cc": list(cc),
                "subject": f"Fwd: {orig['subject']}",
                "body": f"{body}\n\n---------- Forwarded message ----------\n{orig['body']}",
                "folder": "sent",
                "read": True,
                "attachments": list(orig.get("attachments", [])),
                "forwarded_from": orig["id"],
            },
        )
        return {"sent": m["id"]}

    @endpoint("Move a message to another folder.", mutates=True, reads=(OWN,))
    def move(self, id: str, folder: str) -> dict:
        m = self.get_record(id)
        self.require(folder in FOLDERS, f"unknown folder {folder!r}; folders: {', '.join(FOLDERS)}")
        self.modify(m, folder=folder)
        return {"moved": id, "folder": folder}

    @endpoint("Mark a message read or unread.", mutates=True, reads=(OWN,))
    def mark_read(self, id: str, read: bool = True) -> dict:
        self.modify(self.get_record(id), read=read)
        return {"id": id, "read": read}

    def summary(self) -> str:
        inbox = [m["read"] for m in self.table("messages").values() if m["folder"] == "inbox"]  # no sort needed
        return f"{self.name}: {inbox.count(False)} unread of {len(inbox)} in inbox"


class WorkMail(Mail):
    name = "workmail"
    title = "Work Mail"
    tables_spec = {"messages": "w"}

    def address(self) -> str:
        p = self.world.persona
        return f"{p.me.name.lower().replace(' ', '.')}@{p.work_domain}" if p else "me@work.example"
