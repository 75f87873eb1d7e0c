"""Records that land in their service when the virtual clock passes their time (proactive triggers).

Each helper reserves the record's id at generation time, so the oracle (computed at reset) and the
checker can name it, and schedules a timeline event that inserts it. Returns the reserved id.

They build their records, event lines and companions through the background's own builders
(:mod:`claw_gym.life.records`, placed by :class:`claw_gym.life.sink.Sink`): the sender's contact name
in the event line, the text's preview, the phone's notification for a text as often as the background
has one, the bank app's push for a card payment, so an arrival looks like any other record of its kind.
The build renumbers ids in time order afterwards and rewrites the ids in the facts (keep them there).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from claw_gym.events import Event
from claw_gym.life import records as R
from claw_gym.life.sink import display_name, is_personal, sink
from claw_gym.tasks import Ctx

#: card payments above this get the bank app's push notification, as the background's do
BANK_PUSH_ABOVE = 25.0


def _id(ev: Event | None, what: str) -> str:
    if ev is None or ev.record is None:
        raise ValueError(f"{what}: the service is not in this world")
    return str(ev.record["id"])


def arrive_mail(
    ctx: Ctx,
    service: str,
    t: int,
    sender: str,
    subject: str,
    body: str,
    *,
    attachments: Iterable[str] = (),
    who: str | None = None,
    cc: Iterable[str] = (),
    notify: bool | None = None,
) -> str:
    """A mail into ``service``'s inbox (``mail`` or ``workmail``), unread.

    ``who``: the sender's display name in the event line (default: their contact name, else the
    address, as the background's unknown senders show). ``notify``: the phone's "new message" push
    (default: for the persona's private people writing to ``mail``, as the background does).
    """
    p = sink(ctx.world)
    name = display_name(ctx.world, sender) if who is None else who
    extra: dict[str, Any] = {"cc": list(cc)} if cc else {}
    ev = R.mail_in(p, service, t, sender, subject, body, who=name, attachments=tuple(attachments), read=False, **extra)
    if notify if notify is not None else (service == "mail" and is_personal(ctx.world, sender)):
        R.device(p, t + 3, "notification", "Mail", f"{name or sender}: new message", who=name)
    return _id(ev, "arrive_mail")


def arrive_charge(
    ctx: Ctx, t: int, amount: float, counterparty: str, reference: str, *, notify: bool | None = None
) -> str:
    """A posted card payment (a negative bank transaction), with the bank app's push above 25 EUR
    (``notify`` forces it on or off). The background's card payments say ``"card payment"``."""
    p = sink(ctx.world)
    a = round(abs(amount), 2)
    ev = R.tx(p, t, -a, counterparty, reference)
    if notify if notify is not None else a > BANK_PUSH_ABOVE:
        R.device(p, t + 5, "notification", "Bank", f"You paid {a:.2f} EUR at {counterparty}")
    return _id(ev, "arrive_charge")


def arrive_ticket(ctx: Ctx, t: int, subject: str, requester: str, body: str, *, priority: str = "normal") -> str:
    """An open helpdesk ticket."""
    p = sink(ctx.world)
    return _id(R.ticket(p, t, subject, requester, body, priority=priority), "arrive_ticket")


def arrive_sms(ctx: Ctx, t: int, number: str, body: str, *, who: str | None = None) -> str:
    """An incoming, unread text; the phone's notification for it as often as the background's texts
    have one. ``who``: the name in the event line (default: the contact's name, else the number)."""
    p = sink(ctx.world)
    name = display_name(ctx.world, number) if who is None else who
    return _id(R.sms(p, t, number, body, who=name), "arrive_sms")


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
    what the card says is read on the phone, as a person would. Built as the background's app cards
    are (:func:`claw_gym.life.records.card`).
    """
    ev = R.card(
        sink(ctx.world), t, app, title, text, actions=tuple(actions), package=package, summary=summary, extra=extra
    )
    return _id(ev, "arrive_notification")


def arrive_missed_call(ctx: Ctx, t: int, number: str, *, who: str | None = None) -> str:
    """A missed call in the phone's call log, as the background's calls are logged: the event line names the
    caller (contact name, else number), as every background missed call does."""
    p = sink(ctx.world)
    name = display_name(ctx.world, number) if who is None else who
    return _id(R.call(p, t, number, missed=True, who=name), "arrive_missed_call")


def arrive_device_log(ctx: Ctx, t: int, kind: str, app: str, text: str, device: str = "phone") -> str:
    """A line in the device log (a sign-in, an install), with the background's event line."""
    return _id(R.device(sink(ctx.world), t, kind, app, text, dev=device), "arrive_device_log")


def arrive_file(ctx: Ctx, t: int, path: str, content: str) -> str:
    """A file that lands in the laptop's home (a download, a synced share)."""
    p = sink(ctx.world)
    ev = p.add(t, "files", "file.saved", f"saved {path}", "files", {"path": path, "content": content, "modified": t})
    return _id(ev, "arrive_file")
