"""Records that land in their service when the virtual clock passes their time (proactive triggers).

Each helper reserves the record's id at generation time, so the oracle (computed at reset) and the
checker can name it, and schedules a timeline event that inserts it. Returns the reserved id.
"""

from __future__ import annotations

from collections.abc import Iterable

from claw_gym.events import Event
from claw_gym.tasks import Ctx

from .records import reserve


def arrive_mail(
    ctx: Ctx, service: str, t: int, sender: str, subject: str, body: str, *, attachments: Iterable[str] = ()
) -> str:
    """A mail into ``service``'s inbox (``mail`` or ``workmail``)."""
    svc = ctx.svc(service)
    rid = reserve(svc, "messages")
    rec = {
        "id": rid,
        "time": t,
        "from": sender,
        "to": [svc.address()],
        "cc": [],
        "subject": subject,
        "body": body,
        "folder": "inbox",
        "read": False,
        "attachments": list(attachments),
    }
    ctx.world.schedule(Event(t, service, "mail.received", f"from {sender}: {subject}", "messages", rec))
    return rid


def arrive_charge(ctx: Ctx, t: int, amount: float, counterparty: str, reference: str) -> str:
    """A posted card payment (a negative bank transaction)."""
    bank = ctx.svc("bank")
    rid = reserve(bank, "transactions")
    rec = {
        "id": rid,
        "time": t,
        "amount": round(-abs(amount), 2),
        "counterparty": counterparty,
        "reference": reference,
        "status": "posted",
        "iban": "",
    }
    ctx.world.schedule(
        Event(t, "bank", "bank.transaction", f"card payment {counterparty} {-abs(amount):.2f}", "transactions", rec)
    )
    return rid


def arrive_ticket(ctx: Ctx, t: int, subject: str, requester: str, body: str) -> str:
    """An open helpdesk ticket."""
    hd = ctx.svc("helpdesk")
    rid = reserve(hd, "tickets")
    rec = {
        "id": rid,
        "subject": subject,
        "requester": requester,
        "body": body,
        "status": "open",
        "priority": "normal",
        "time": t,
        "comments": [],
    }
    ctx.world.schedule(Event(t, "helpdesk", "ticket.opened", f"new ticket from {requester}: {subject}", "tickets", rec))
    return rid


def arrive_sms(ctx: Ctx, t: int, number: str, body: str) -> str:
    """An incoming, unread text."""
    sms = ctx.svc("sms")
    rid = reserve(sms, "messages")
    rec = {"id": rid, "time": t, "number": number, "direction": "in", "body": body, "read": False}
    ctx.world.schedule(Event(t, "sms", "sms.received", f"text from {number}", "messages", rec))
    return rid


def arrive_notification(
    ctx: Ctx,
    t: int,
    app: str,
    title: str,
    text: str,
    *,
    actions: Iterable[str] = (),
    package: str = "",
    summary: str = "",
    **extra: object,
) -> str:
    """A phone-only notification that pops up at ``t`` (no other door shows it).

    The event line says only which app notified (``summary``, default "<app> notification"):
    what the card says is read on the phone, as a person would.
    """
    phone = ctx.svc("phone")
    rid = reserve(phone, "notifications")
    rec = {
        "id": rid,
        "time": t,
        "app": app,
        "package": package,
        "title": title,
        "text": text,
        "actions": list(actions),
        "dismissed": False,
        "response": None,
        **extra,
    }
    ctx.world.schedule(Event(t, "phone", "notification", summary or f"{app} notification", "notifications", rec))
    return rid


def arrive_missed_call(ctx: Ctx, t: int, number: str, *, summary: str = "") -> str:
    """A missed call in the phone's call log. The event line names the number unless ``summary`` says
    otherwise (a family where the agent must look on the phone passes just "missed call")."""
    rid = reserve(ctx.svc("phone"), "calls")
    rec = {"id": rid, "time": t, "number": number, "direction": "in", "duration": 0, "missed": True}
    ctx.world.schedule(Event(t, "phone", "call.missed", summary or f"missed call from {number}", "calls", rec))
    return rid


def arrive_device_log(ctx: Ctx, t: int, kind: str, app: str, text: str, device: str = "phone") -> str:
    """A line in the device log (a sign-in, an install)."""
    rid = reserve(ctx.svc("device"), "log")
    rec = {"id": rid, "time": t, "device": device, "kind": kind, "app": app, "text": text}
    ctx.world.schedule(Event(t, "device", f"device.{kind}", f"{app}: {text[:60]}", "log", rec))
    return rid


def arrive_file(ctx: Ctx, t: int, path: str, content: str) -> str:
    """A file that lands in the laptop's home (a download, a synced share)."""
    rid = reserve(ctx.svc("files"), "files")
    rec = {"id": rid, "path": path, "content": content, "modified": t}
    ctx.world.schedule(Event(t, "files", "file.saved", f"new file ~/{path}", "files", rec))
    return rid
