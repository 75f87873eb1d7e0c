"""A family's past records, shaped exactly like the background's (the camouflage rule of issue 21).

The services' own helpers (``mail.deliver``, ``bank.post``, ``sms.receive``...) store a record with
no event line, a raw address where the background shows a contact's name, no companion
notification, minutes on the hour: a classifier (``python -m claw_gym.runs.camouflage``) tells such
records from the background's at a glance. These helpers place them through the background's own
builders (:mod:`claw_gym.life.records`, via :class:`claw_gym.life.sink.Sink`): the same fields in the
same order, the same event line (sender's contact name, the text's preview), the same companions (an
SMS's phone notification half the time, the bank app's push above 25 EUR, a friend's mail push), the
same read flag by age. Each returns the stored record (``["id"]`` for the facts: the build renumbers
ids in time order afterwards and rewrites them there). A time in the future makes it an arrival.

Times: every helper puts a past time planned on the whole minute at a random second of that minute
(:func:`second`); :func:`jitter` moves a planned moment off the round minute altogether, as people's
messages are. Neither draws from the family's ``ctx.rng``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from claw_gym import clock
from claw_gym.events import Event
from claw_gym.life import records as R
from claw_gym.life import threads
from claw_gym.life.sink import display_name, is_personal, sink
from claw_gym.rng import derive_rng
from claw_gym.tasks import Ctx

from .arrivals import BANK_PUSH_ABOVE

#: the reference the background's everyday card payments carry
CARD_PAYMENT = "card payment"


def _rec(ev: Event | None, what: str) -> dict:
    if ev is None or ev.record is None:
        raise ValueError(f"plant.{what}: the service is not in this world")
    return ev.record


def jitter(ctx: Ctx, t: int, minutes: int = 25) -> int:
    """``t`` moved by up to ``minutes`` either way, to a random second: never on a round minute.

    Deterministic from (world, ``t``), and it leaves the family's ``ctx.rng`` alone.
    """
    rng = derive_rng(ctx.world.task_id, ctx.world.seed, "jitter", t)
    out = t + int(rng.integers(-minutes * 60, minutes * 60 + 1))
    if out % 60 == 0 or out // 60 % 30 == 0:
        out += 60 + int(rng.integers(1, 59))
    return out


def second(ctx: Ctx, t: int) -> int:
    """A past ``t`` on the whole minute moved to a random second of the same minute; any other
    ``t`` (off the minute, or still to come) unchanged.

    Every helper here passes its times through it: families plan their moments in minutes, people's
    messages land at any second, and a whole-minute time marked a record as planted. The displayed
    minute stays, so no text quoting the time goes stale; a future time (an arrival the oracle may
    wait for) keeps its exact moment. Deterministic from (world, ``t``): records planted at one
    moment keep their order.
    """
    if t % 60 or t > ctx.world.clock.now:
        return t
    return t + int(derive_rng(ctx.world.task_id, ctx.world.seed, "second", t).integers(1, 60))


def arrival(ctx: Ctx, t: int) -> int:
    """``t`` on the whole minute moved to a random second of that minute, past or future: for the
    moment a family's trigger arrives. The family keeps the returned time in its facts (the oracle
    waits for it, the checks count from it), and times it derives by whole minutes share the second.
    """
    if t % 60:
        return t
    return t + int(derive_rng(ctx.world.task_id, ctx.world.seed, "arrival", t).integers(1, 60))


def mail_in(
    ctx: Ctx,
    service: str,
    t: int,
    sender: str,
    subject: str,
    body: str,
    *,
    who: str | None = None,
    attachments: Iterable[str] = (),
    cc: Iterable[str] = (),
    folder: str = "inbox",
    read: bool | None = None,
    notify: bool | None = None,
    **extra: Any,
) -> dict:
    """A received mail in ``service`` (``mail``/``workmail``); read by age unless ``read`` says.

    ``who``: the sender's display name in the event line (default: their contact name, else the
    address). ``notify``: the phone's "new message" push (default: a private contact writing to ``mail``).
    """
    p = sink(ctx.world)
    name = display_name(ctx.world, sender) if who is None else who
    if cc:
        extra["cc"] = list(cc)
    t = second(ctx, t)
    _thread(ctx, service, t, subject, sender, extra)
    ev = R.mail_in(
        p,
        service,
        t,
        sender,
        subject,
        body,
        who=name,
        folder=folder,
        attachments=tuple(attachments),
        read=read,
        **extra,
    )
    if notify if notify is not None else (service == "mail" and is_personal(ctx.world, sender)):
        R.device(p, t + 3, "notification", "Mail", f"{name or sender}: new message", who=name)
    return _rec(ev, "mail_in")


def _thread(ctx: Ctx, service: str, t: int, subject: str, other: str, extra: dict[str, Any]) -> None:
    """A reply ("Re: <subject>") joins its thread as the background's replies do: ``in_reply_to``
    names the latest earlier message of the thread with ``other`` (the sender or the recipient),
    unless the family set it. Nothing for a mail that starts a thread."""
    if "in_reply_to" in extra or service not in ctx.world.services or subject[:3].lower() != "re:":
        return
    base = _base(subject)
    other = other.lower()
    best: tuple[int, str] | None = None
    for r in ctx.svc(service).table("messages").values():
        when = dict.get(r, "time")
        people = [str(dict.get(r, "from", "")).lower(), *(str(x).lower() for x in dict.get(r, "to") or [])]
        if not isinstance(when, int) or when >= t or other not in people or (best and when <= best[0]):
            continue
        if _base(str(dict.get(r, "subject", ""))) == base:
            best = (when, str(r["id"]))
    if best is not None:
        extra["in_reply_to"] = best[1]


def _base(subject: str) -> str:
    """A subject without its "Re:"/"Fwd:" prefixes, lower-cased."""
    s = subject.strip()
    while s[:3].lower() in ("re:", "fw:") or s[:4].lower() == "fwd:":
        s = s[4:].strip() if s[:4].lower() == "fwd:" else s[3:].strip()
    return s.lower()


def mail_out(
    ctx: Ctx, service: str, t: int, to: str, subject: str, body: str, *, who: str | None = None, **extra: Any
) -> dict:
    """A mail the persona sent (folder "sent")."""
    name = display_name(ctx.world, to) if who is None else who
    _thread(ctx, service, t, subject, to, extra)
    return _rec(R.mail_out(sink(ctx.world), service, second(ctx, t), to, subject, body, who=name, **extra), "mail_out")


def sms(ctx: Ctx, t: int, number: str, body: str, *, incoming: bool = True, who: str | None = None) -> dict:
    """A text from (or to) ``number``; an incoming one brings the phone's notification half the time."""
    name = display_name(ctx.world, number) if who is None else who
    return _rec(R.sms(sink(ctx.world), second(ctx, t), number, body, incoming=incoming, who=name), "sms")


def tx(ctx: Ctx, t: int, amount: float, counterparty: str, reference: str, *, iban: str = "") -> dict:
    """A posted bank transaction of ``amount`` (signed: a payment is negative), as the background posts."""
    return _rec(R.tx(sink(ctx.world), second(ctx, t), amount, counterparty, reference, iban), "tx")


def charge(
    ctx: Ctx, t: int, amount: float, counterparty: str, reference: str = CARD_PAYMENT, *, notify: bool | None = None
) -> dict:
    """A card payment of ``amount`` (given positive or negative) at ``counterparty``, with the bank
    app's push above 25 EUR as the background's (``notify`` forces it on or off)."""
    p = sink(ctx.world)
    a = round(abs(amount), 2)
    t = second(ctx, t)
    ev = R.tx(p, t, -a, counterparty, reference)
    if notify if notify is not None else a > BANK_PUSH_ABOVE:
        R.device(p, t + 5, "notification", "Bank", f"You paid {a:.2f} EUR at {counterparty}")
    return _rec(ev, "charge")


def ticket(
    ctx: Ctx,
    t: int,
    subject: str,
    requester: str,
    body: str,
    *,
    status: str = "open",
    priority: str = "normal",
    comments: Iterable[tuple[int, str]] = (),
) -> dict:
    """A helpdesk ticket opened at ``t``; ``comments`` are (time, text), public, as the background's."""
    rows = [{"time": clock.fmt(ct), "text": text, "public": True} for ct, text in comments]
    return _rec(
        R.ticket(
            sink(ctx.world), second(ctx, t), subject, requester, body, status=status, priority=priority, comments=rows
        ),
        "ticket",
    )


def chat(ctx: Ctx, t: int, channel: str, sender: str, text: str) -> dict:
    """A chat message in ``channel`` by ``sender`` (a display name, as the background's)."""
    return _rec(R.chat(sink(ctx.world), second(ctx, t), channel, sender, text), "chat")


def calendar(
    ctx: Ctx,
    created: int,
    title: str,
    start: int,
    end: int,
    *,
    location: str = "",
    attendees: Iterable[str] = (),
    notes: str = "",
) -> dict:
    """A calendar entry booked at ``created`` (its event line: "<title> on <start>"). Work meetings in
    the background list their attendees' addresses: pass them."""
    ev = R.calendar(
        sink(ctx.world),
        second(ctx, created),
        title,
        start,
        end,
        location=location,
        attendees=list(attendees),
        notes=notes,
    )
    return _rec(ev, "calendar")


def deal(
    ctx: Ctx,
    t: int,
    account: str,
    title: str,
    stage: str,
    amount: float,
    contact: str,
    close: int,
    next_step: str = "",
) -> dict:
    """A CRM deal opened at ``t`` (the background's "new deal: <account>" line; office hours, any minute)."""
    return _rec(
        R.deal(sink(ctx.world), second(ctx, t), account, title, stage, amount, contact, close, next_step), "deal"
    )


def crm_activity(ctx: Ctx, t: int, deal: str, text: str) -> dict:
    """An activity on the stored deal ``deal`` (its id), with the background's "<account>: <text>" line."""
    account = str(ctx.svc("crm").table("deals")[deal]["account"])
    return _rec(R.crm_activity(sink(ctx.world), second(ctx, t), deal, account, text), "crm_activity")


#: the share of a work world's notes filed under "work", as the background's meeting notes and pages are
WORK_FOLDER = threads.WORK_FOLDER


def note(ctx: Ctx, t: int, title: str, body: str, *, folder: str | None = None) -> dict:
    """A note written at ``t``. ``folder`` None: filed as the background's are (in a world with work
    mail, under "work" half the time; else unfiled), drawn from the world, not ``ctx.rng``."""
    if folder is None:
        draw = derive_rng(ctx.world.task_id, ctx.world.seed, "folder", t).random()
        folder = "work" if "workmail" in ctx.world.services and draw < WORK_FOLDER else ""
    return _rec(R.note(sink(ctx.world), second(ctx, t), title, body, folder=folder), "note")


def todo(
    ctx: Ctx, t: int, title: str, due: int | None, *, done: bool = False, notes: str = "", list_name: str = "inbox"
) -> dict:
    return _rec(
        R.todo(sink(ctx.world), second(ctx, t), title, due, done=done, notes=notes, list_name=list_name), "todo"
    )


def call(
    ctx: Ctx,
    t: int,
    number: str,
    *,
    incoming: bool = True,
    missed: bool = False,
    duration: int = 0,
    who: str | None = None,
) -> dict:
    """A call in the phone's call log; the event line names the caller's contact name, else the number."""
    name = display_name(ctx.world, number) if who is None else who
    ev = R.call(sink(ctx.world), second(ctx, t), number, incoming=incoming, missed=missed, duration=duration, who=name)
    return _rec(ev, "call")


def file(ctx: Ctx, t: int, path: str, content: str) -> dict:
    """A file saved at ``t`` (ValueError if the path exists)."""
    return _rec(R.file(sink(ctx.world), second(ctx, t), path, content), "file")


def device(ctx: Ctx, t: int, kind: str, app: str, text: str, *, dev: str = "phone", who: str = "") -> dict:
    """A device log line (a notification, a sign-in, an install) as the background logs them."""
    return _rec(R.device(sink(ctx.world), second(ctx, t), kind, app, text, dev=dev, who=who), "device")
