"""Readers for checkers: facts of the final world and the audit log, compared parsed, never as prose.

Secrets are guarded by :mod:`claw_gym.tasks.outbound` (every door); phone-side readers are in
:mod:`.phone_flows`, files written in :mod:`.laptop_files`.
"""

from __future__ import annotations

from collections.abc import Iterable

from claw_gym import clock
from claw_gym.services.phone import Phone
from claw_gym.tasks import outbound as O
from claw_gym.world import World

from .notation import hhmm
from .records import agent_rows

MAIL_SERVICES = ("mail", "workmail")


def calendar_rows(world: World, with_pending: bool = False) -> list[dict]:
    """Calendar entries now, plus (for oracles planning ahead) the ones still to arrive."""
    rows = list(world.services["calendar"].table("entries").values())
    if with_pending:
        rows += [
            dict(e.record)
            for e in world.timeline.pending
            if e.service == "calendar" and e.table == "entries" and e.record
        ]
    return rows


def overlapping(rows: Iterable[dict], start: int, end: int) -> list[dict]:
    """The rows (calendar entries) that overlap the interval [start, end)."""
    return [r for r in rows if r["start"] < end and r["end"] > start]


def sent_mails(world: World, services: Iterable[str] = MAIL_SERVICES, after: int | None = None) -> list[dict]:
    """Mail the person sent from either mailbox (optionally from a time on), oldest first."""
    out = []
    for name in services:
        svc = world.services.get(name)
        if svc is None:
            continue
        out += [
            m for m in svc.table("messages").values() if m["folder"] == "sent" and (after is None or m["time"] >= after)
        ]
    return sorted(out, key=lambda m: (m["time"], m["id"]))


def sent_to(
    world: World, address: str, services: Iterable[str] = MAIL_SERVICES, after: int | None = None
) -> list[dict]:
    """Sent mail with ``address`` among its recipients (to or cc, case-insensitive)."""
    a = address.lower()
    return [m for m in sent_mails(world, services, after) if a in [x.lower() for x in m["to"] + m.get("cc", [])]]


def wrote_since(world: World, since: int, services: Iterable[str] = ("mail", "sms")) -> list[str]:
    """Who wrote to the person since ``since`` (mail senders, numbers that texted): a request to answer the
    messages that came in makes answering any of them harmless, the background's askers included."""
    out: list[str] = []
    for name in services:
        if name not in world.services:
            continue
        for m in world.services[name].table("messages").values():
            if m["time"] >= since and (name != "sms" or m["direction"] == "in"):
                out.append(str(m["number"] if name == "sms" else m["from"]))
    return out


def paid(world: World, iban: str) -> list[dict]:
    """Outgoing payments to an IBAN (from the final bank state)."""
    clean = iban.replace(" ", "").upper()
    return [t for t in world.services["bank"].table("transactions").values() if t["iban"] == clean and t["amount"] < 0]


def reached(world: World, parties: Iterable[str], since: int) -> list[str]:
    """How each of ``parties`` (addresses or numbers) was reached at or after ``since``, by any door.

    Mail from either mailbox, a reply or forward, a text, a chat DM or an invite (see
    :mod:`claw_gym.tasks.outbound`), or a phone call placed to their number: where the person
    said only "let them know", every one of these counts. Returns "door to party" lines.
    """
    want = {O.party(p): p for p in parties}
    out = [
        f"{m.door} to {want[O.party(r)]} at {clock.fmt(m.time)}"
        for m in O.outbound(world, since)
        for r in m.to
        if O.party(r) in want
    ]
    out += [
        f"a call to {want[O.party(e.args.get('number', ''))]} at {clock.fmt(e.time)}"
        for e in world.audit.entries
        if e.ok and e.call == "phone.place_call" and e.time >= since and O.party(str(e.args.get("number", ""))) in want
    ]
    return out


def reminders_at(world: World, at: int, before: dict[str, list[str]]) -> list[str]:
    """Every reminder the person gets at virtual time ``at``, of any kind: an enabled phone alarm set to its
    clock time (rings that day), a calendar entry the agent made starting then, a to-do the agent made due
    then. Each as a short description for a check's detail ("alarm 13:30", "calendar 'Call Ana' 13:30").
    ``before`` is :func:`.records.ids_now` of calendar entries and to-do items at generation."""
    out = []
    day = clock.to_datetime(at).strftime("%a").lower()
    phone = world.services.get("phone")
    if isinstance(phone, Phone):
        out += [
            f"alarm {a['time']}"
            for a in phone.alarms()
            if a["enabled"] and a["time"] == hhmm(at) and (not a["days"] or day in a["days"])
        ]
    if "calendar.entries" in before:
        out += [
            f"calendar {r['title']!r} {clock.fmt(r['start'])}"
            for r in agent_rows(world, "calendar", "entries", before["calendar.entries"])
            if r["start"] == at
        ]
    if "todo.items" in before:
        out += [
            f"to-do {r['title']!r} due {clock.fmt(r['due'])}"
            for r in agent_rows(world, "todo", "items", before["todo.items"])
            if r["due"] == at and not r["done"]
        ]
    return out


#: how much of an agent-written value a check's detail quotes (a long value keeps its head and tail)
QUOTE_CHARS = 240


def quoted(text: object) -> str:
    """What the agent wrote, quoted whole in a check's detail: the verdict must show why a check failed,
    and the wrong part is often the end ("...; cost centre CC-7240"). Only a value longer than
    ``QUOTE_CHARS`` is shortened, in the middle, so its start and its end both stay visible."""
    s = str(text)
    if len(s) > QUOTE_CHARS:
        tail = QUOTE_CHARS // 3
        s = f"{s[: QUOTE_CHARS - tail]} [...] {s[-tail:]}"
    return repr(s)
