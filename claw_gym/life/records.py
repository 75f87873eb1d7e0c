"""Record builders: one function per kind of trace a life leaves, in each service's own shape.

They only plan (see :class:`~claw_gym.life.plan.Plan`); fields match what the services'
own helpers (``mail.deliver``, ``bank.post``, ``sms.receive``, ...) would store, so every
history record is valid in its service.
"""

from __future__ import annotations

from typing import Any

from .. import clock
from ..events import Event
from ..services.files import Files
from .plan import Plan, fmt


def _read(p: Plan, t: int) -> bool:
    """Read when older than two days, a third of the time when recent; never before it arrived."""
    if t > p.now:
        return False
    return t < p.now - 2 * clock.DAY or bool(p.rng.random() < 0.35)


def mail_in(
    p: Plan,
    svc: str,
    t: int,
    sender: str,
    subject: str,
    body: Any,
    *,
    words: int = 0,
    who: str = "",
    folder: str = "inbox",
    attachments: tuple[str, ...] = (),
    read: bool | None = None,
    **extra: Any,
) -> Event | None:
    if svc not in p.present:
        return None
    me = p.addresses[svc]
    fields = {
        "time": t,
        "from": sender,
        "to": [me],
        "cc": [],
        "subject": subject,
        "body": body,
        "folder": folder,
        "read": _read(p, t) if read is None else read,
        "attachments": list(attachments),
        **extra,
    }
    return p.add(t, svc, "mail.received", f"from {who or sender}: {subject}", "messages", fields, who, words)


def mail_out(
    p: Plan, svc: str, t: int, to: str, subject: str, body: Any, *, words: int = 0, who: str = "", **extra: Any
) -> Event | None:
    if svc not in p.present:
        return None
    me = p.addresses[svc]
    fields = {
        "time": t,
        "from": me,
        "to": [to],
        "cc": [],
        "subject": subject,
        "body": body,
        "folder": "sent",
        "read": True,
        "attachments": [],
        **extra,
    }
    return p.add(t, svc, "mail.sent", f"to {who or to}: {subject}", "messages", fields, who, words)


def sms(p: Plan, t: int, number: str, body: str, *, incoming: bool = True, who: str = "") -> Event | None:
    fields = {
        "time": t,
        "number": number,
        "direction": "in" if incoming else "out",
        "body": body,
        "read": True if not incoming else _read(p, t),
    }
    text = f"text {'from' if incoming else 'to'} {who or number}: {body[:60]}"
    row = p.add(
        t, "sms", "sms.received" if incoming else "sms.sent", text, "messages", fields, who, body.count(" ") + 1
    )
    if row is not None and incoming and p.random() < 0.5:  # the phone's notification for it
        device(p, t + 2, "notification", "Messages", f"{who or number}: {body[:50]}", who=who)
    return row


def chat(p: Plan, t: int, channel: str, sender: str, text: str) -> Event | None:
    return p.add(
        t,
        "chat",
        "chat.message",
        f"#{channel} {sender}: {text[:60]}",
        "messages",
        {"time": t, "channel": channel, "sender": sender, "text": text},
        sender,
        text.count(" ") + 1,
    )


def tx(p: Plan, t: int, amount: float, counterparty: str, reference: str, iban: str = "") -> Event | None:
    fields = {
        "time": t,
        "amount": round(float(amount) + 0.0, 2),
        "counterparty": counterparty,
        "reference": reference,
        "status": "posted",
        "iban": iban,
    }
    return p.add(
        t, "bank", "bank.transaction", f"{counterparty} {amount:+.2f} EUR ({reference})", "transactions", fields
    )


def device(p: Plan, t: int, kind: str, app: str, text: str, dev: str = "phone", who: str = "") -> Event | None:
    """A notification or a system log line; ``who`` names the person a notification is about."""
    label = f"{app} notification: {text}" if kind == "notification" else f"{dev} {kind}: {text}"
    return p.add(
        t,
        "device",
        f"device.{kind}",
        label,
        "log",
        {"time": t, "device": dev, "kind": kind, "app": app, "text": text},
        who,
    )


def call(
    p: Plan, t: int, number: str, *, incoming: bool = True, missed: bool = False, duration: int = 0, who: str = ""
) -> Event | None:
    """A phone call in the phone's call log (the ``phone`` service's ``calls``, as ``phone.log_call`` stores)."""
    way = "missed call from" if missed else ("call from" if incoming else "call to")
    return p.add(
        t,
        "phone",
        "phone.call",
        f"{way} {who or number}",
        "calls",
        {
            "time": t,
            "number": number,
            "direction": "in" if incoming else "out",
            "duration": 0 if missed else duration,
            "missed": missed,
        },
        who,
    )


def calendar(
    p: Plan,
    t_created: int,
    title: str,
    start: int,
    end: int,
    *,
    location: str = "",
    attendees: list[str] | None = None,
    notes: Any = "",
    words: int = 0,
) -> Event | None:
    """An entry created at ``t_created`` (the invitation/booking moment)."""
    fields = {
        "title": title,
        "start": start,
        "end": end,
        "location": location,
        "attendees": attendees or [],
        "notes": notes,
    }
    return p.add(t_created, "calendar", "calendar.created", f"{title} on {fmt(start)}", "entries", fields, words=words)


def file(p: Plan, t: int, path: str, content: Any, words: int = 0) -> Event | None:
    if "files" not in p.present or p.world.service_as("files", Files).find(path) is not None:
        return None
    return p.add(
        t,
        "files",
        "file.saved",
        f"saved {path}",
        "files",
        {"path": path, "content": content, "modified": t},
        words=words,
    )


def todo(
    p: Plan, t: int, title: str, due: int | None, *, done: bool = False, notes: str = "", list_name: str = "inbox"
) -> Event | None:
    return p.add(
        t,
        "todo",
        "todo.added",
        f"task added: {title}",
        "items",
        {"title": title, "due": due, "done": done, "list": list_name, "notes": notes},
    )


def note(p: Plan, t: int, title: str, body: Any, *, folder: str = "", words: int = 0) -> Event | None:
    return p.add(
        t,
        "notes",
        "notes.created",
        f"note: {title}",
        "notes",
        {"title": title, "body": body, "folder": folder, "updated": t},
        words=words,
    )


def ticket(
    p: Plan,
    t: int,
    subject: str,
    requester: str,
    body: Any,
    *,
    status: str = "open",
    priority: str = "normal",
    comments: list[dict] | None = None,
    words: int = 0,
) -> Event | None:
    """A helpdesk ticket opened at ``t`` (comments: ``{"time": fmt, "text", "public"}``)."""
    return p.add(
        t,
        "helpdesk",
        "ticket.opened",
        f"ticket from {requester}: {subject}",
        "tickets",
        {
            "subject": subject,
            "requester": requester,
            "body": body,
            "status": status,
            "priority": priority,
            "time": t,
            "comments": comments if comments is not None else [],
        },
        words=words,
    )


def crm_activity(p: Plan, t: int, deal: Any, account: str, text: str) -> Event | None:
    """A CRM activity on ``deal`` (a planned deal's Event, or a stored deal's id)."""
    return p.add(
        t,
        "crm",
        "crm.activity",
        f"{account}: {text}",
        "activities",
        {"deal": deal, "time": t, "text": text},
        words=len(text.split()),
    )


def deal(
    p: Plan,
    t: int,
    account: str,
    title: str,
    stage: str,
    amount: float,
    contact: str,
    close: int,
    next_step: str = "",
) -> Event | None:
    """A CRM deal opened at ``t`` (its line: "new deal: <account>")."""
    return p.add(
        t,
        "crm",
        "crm.deal",
        f"new deal: {account}",
        "deals",
        {
            "account": account,
            "title": title,
            "stage": stage,
            "amount": amount,
            "contact": contact,
            "close": close,
            "next_step": next_step,
        },
    )


def card(
    p: Plan,
    t: int,
    app: str,
    title: str,
    text: str,
    *,
    actions: tuple[str, ...] | list[str] = (),
    package: str = "",
    summary: str = "",
    dismissed: bool = False,
    response: str | None = None,
    extra: dict[str, Any] | None = None,
) -> Event | None:
    """A phone-only app card in the phone's shade (``phone.notifications``) with its ``phone / notification``
    line, which says only which app notified (``summary``, default "<app> notification"): what the card says
    is read on the phone; ``extra``: more fields (``responded_at``). The families' in-episode cards
    (``kit.arrivals.arrive_notification``) come through here too."""
    fields = {
        "time": t,
        "app": app,
        **({"package": package} if package else {}),  # (an app's own package name, when the card carries one)
        "title": title,
        "text": text,
        "actions": list(actions),
        "dismissed": dismissed,
        "response": response,
        **(extra or {}),
    }
    return p.add(t, "phone", "notification", summary or f"{app} notification", "notifications", fields)
