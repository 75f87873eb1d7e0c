"""Small shared helpers for the task families: scheduled arrivals, id bookkeeping, readers.

Generators use the ``arrive_*`` helpers to put a record into the timeline so it lands in
its service when the virtual clock passes its time (a proactive trigger). The record's
id is reserved at generation time, so the oracle (computed at reset) can name it.
Checkers use the readers (``sent_to``, ``amounts_in``) to compare parsed facts of the final
world and the audit log; secrets are guarded by :mod:`claw_gym.tasks.outbound` (every door).
"""

from __future__ import annotations

import re
from typing import Callable, Iterable

from claw_gym import clock
from claw_gym.events import Event
from claw_gym.services import Service, ServiceError
from claw_gym.services.files import clean_path
from claw_gym.tasks import Ctx, Grader, values
from claw_gym.tasks import outbound as O
from claw_gym.world import World

MAIL_SERVICES = ("mail", "workmail")


# ---- ids --------------------------------------------------------------------------------------
def reserve(svc: Service, table: str) -> str:
    """Take the next id of a table now, for a record that arrives later."""
    return svc.tables[table].new_id()


def next_id(svc: Service, table: str) -> str:
    """The id the next insert into ``table`` will get (for oracles that create then use a record)."""
    tab = svc.tables[table]
    return f"{tab.prefix}{tab.next_id:04d}"


# ---- arrivals (events that land in a service when the clock passes them) --------------------------
def arrive_mail(ctx: Ctx, service: str, t: int, sender: str, subject: str, body: str, *,
                attachments: Iterable[str] = ()) -> str:
    svc = ctx.svc(service)
    rid = reserve(svc, "messages")
    rec = {"id": rid, "time": t, "from": sender, "to": [svc.address()], "cc": [], "subject": subject,
           "body": body, "folder": "inbox", "read": False, "attachments": list(attachments)}
    ctx.world.schedule(Event(t, service, "mail.received", f"from {sender}: {subject}", "messages", rec))
    return rid


def arrive_charge(ctx: Ctx, t: int, amount: float, counterparty: str, reference: str) -> str:
    bank = ctx.svc("bank")
    rid = reserve(bank, "transactions")
    rec = {"id": rid, "time": t, "amount": round(-abs(amount), 2), "counterparty": counterparty,
           "reference": reference, "status": "posted", "iban": ""}
    ctx.world.schedule(Event(t, "bank", "bank.transaction", f"card payment {counterparty} {-abs(amount):.2f}",
                             "transactions", rec))
    return rid


def arrive_ticket(ctx: Ctx, t: int, subject: str, requester: str, body: str) -> str:
    hd = ctx.svc("helpdesk")
    rid = reserve(hd, "tickets")
    rec = {"id": rid, "subject": subject, "requester": requester, "body": body, "status": "open",
           "priority": "normal", "time": t, "comments": []}
    ctx.world.schedule(Event(t, "helpdesk", "ticket.opened", f"new ticket from {requester}: {subject}",
                             "tickets", rec))
    return rid


def arrive_sms(ctx: Ctx, t: int, number: str, body: str) -> str:
    sms = ctx.svc("sms")
    rid = reserve(sms, "messages")
    rec = {"id": rid, "time": t, "number": number, "direction": "in", "body": body, "read": False}
    ctx.world.schedule(Event(t, "sms", "sms.received", f"text from {number}", "messages", rec))
    return rid


def trigger_time(ctx: Ctx, earliest_min: int = 20, spread_min: int = 40) -> int:
    """When a proactive trigger arrives: later with difficulty, seeded within a window."""
    base = earliest_min + 15 * (ctx.difficulty - 1)
    return ctx.now + (base + int(ctx.rng.integers(0, spread_min))) * clock.MINUTE


#: The least time an agent has after a trigger whose content names no deadline (the documented floor).
MIN_DEADLINE = 2 * clock.HOUR


def deadline_after(ctx: Ctx, trigger: int, *, content: int | None = None) -> int:
    """When a proactive task is judged: the default is ``trigger`` + (6 - difficulty) hours, never
    less than 2 hours (level 1: 5 h ... level 4 and 5: 2 h). ``content`` is a time the content itself
    sets (a meeting's start, a call-back time, a window's end): the deadline is never before it."""
    default = trigger + max(MIN_DEADLINE, (6 - ctx.difficulty) * clock.HOUR)
    return default if content is None else max(default, content)


# ---- readers for checkers -----------------------------------------------------------------------
def timeline_ids(world: World, service: str, table: str) -> set[str]:
    """Ids of records that came (or will come) through the timeline: the person's life, not the agent."""
    return {e.record["id"] for e in world.timeline.history + world.timeline.pending
            if e.service == service and e.table == table and e.record and "id" in e.record}


def agent_rows(world: World, service: str, table: str, before: Iterable[str]) -> list[dict]:
    """Records the agent created: not there when the family built its world, not from the timeline.

    The background history may add records after the family's generator ran, always
    through timeline events; ``before`` is the family's snapshot of ids at generation.
    """
    skip = set(before) | timeline_ids(world, service, table)
    return [r for i, r in world.services[service].table(table).items() if i not in skip]


def calendar_rows(world: World, with_pending: bool = False) -> list[dict]:
    """Calendar entries now, plus (for oracles planning ahead) the ones still to arrive."""
    rows = list(world.services["calendar"].table("entries").values())
    if with_pending:
        rows += [dict(e.record) for e in world.timeline.pending
                 if e.service == "calendar" and e.table == "entries" and e.record]
    return rows


def overlapping(rows: Iterable[dict], start: int, end: int) -> list[dict]:
    return [r for r in rows if r["start"] < end and r["end"] > start]


def sent_mails(world: World, services: Iterable[str] = MAIL_SERVICES, after: int | None = None) -> list[dict]:
    out = []
    for name in services:
        svc = world.services.get(name)
        if svc is None:
            continue
        out += [m for m in svc.table("messages").values()
                if m["folder"] == "sent" and (after is None or m["time"] >= after)]
    return sorted(out, key=lambda m: (m["time"], m["id"]))


def sent_to(world: World, address: str, services: Iterable[str] = MAIL_SERVICES, after: int | None = None
            ) -> list[dict]:
    a = address.lower()
    return [m for m in sent_mails(world, services, after)
            if a in [x.lower() for x in m["to"] + m.get("cc", [])]]


def amounts_in(text: str) -> set[float]:
    """Money amounts in a text, in any common format (``EUR 1,234.50``, ``1.234,50 €``), as floats."""
    return {float(a) for a in values.amount_values(text)}


def times_in(text: str) -> set[str]:
    """Clock times named in a text (``16:30``, ``4:30 PM``, ``16h30``), as ``HH:MM``."""
    return values.time_values(text)


def norm_phone(number: str) -> str:
    return re.sub(r"\D", "", number)


def hhmm(t: int) -> str:
    return clock.to_datetime(t).strftime("%H:%M")


def day_text(t: int) -> str:
    d = clock.to_datetime(t)
    return f"{d:%A} {d:%b} {d.day}"


def paid(world: World, iban: str) -> list[dict]:
    """Outgoing payments to an IBAN (from the final bank state)."""
    clean = iban.replace(" ", "").upper()
    return [t for t in world.services["bank"].table("transactions").values()
            if t["iban"] == clean and t["amount"] < 0]


# ---- cross-device helpers (phone notifications that arrive mid-episode) ---------------------------
def arrive_notification(ctx: Ctx, t: int, app: str, title: str, text: str, *, actions: Iterable[str] = (),
                        package: str = "", summary: str = "", **extra: object) -> str:
    """A phone-only notification that pops up at ``t`` (reserved id, for oracles and checkers).

    The event line says only which app notified (``summary``, default "<app> notification"):
    what the card says is read on the phone, as a person would.
    """
    phone = ctx.svc("phone")
    rid = reserve(phone, "notifications")
    rec = {"id": rid, "time": t, "app": app, "package": package, "title": title, "text": text,
           "actions": list(actions), "dismissed": False, "response": None, **extra}
    ctx.world.schedule(Event(t, "phone", "notification", summary or f"{app} notification", "notifications", rec))
    return rid


# ---- what the agent did, and when (files written, parties reached) -------------------------------
def first_written(world: World, path: str, holds: Callable[[str], bool]) -> int | None:
    """When the file at ``path`` first held content for which ``holds`` is true, by any door.

    Read from the audit log (the laptop's shell syncs its writes through ``files.write``, as the
    API does; a move onto the path counts too), so a line written at t=0 and kept shows t=0:
    the time a proactive checker compares with its trigger.
    """
    files = world.services["files"]
    for e in world.audit.entries:
        if not e.ok:
            continue
        if e.call == "files.write" and _same_path(str(e.args.get("path", "")), path) \
                and holds(str(e.args.get("content", ""))):
            return e.time
        if e.call == "files.move" and _same_path(str(e.args.get("dst", "")), path):  # content as it is now
            rec = files.find(path)
            if rec is not None and holds(rec["content"]):
                return e.time
    return None


def _same_path(a: str, b: str) -> bool:
    try:
        return clean_path(a) == clean_path(b)
    except ServiceError:  # a path the service refused: never the file
        return False


def reached(world: World, parties: Iterable[str], since: int) -> list[str]:
    """How each of ``parties`` (addresses or numbers) was reached at or after ``since``, by any door.

    Mail from either mailbox, a reply or forward, a text, a chat DM or an invite (see
    :mod:`claw_gym.tasks.outbound`), or a phone call placed to their number: where the person
    said only "let them know", every one of these counts. Returns "door to party" lines.
    """
    want = {O.party(p): p for p in parties}
    out = [f"{m.door} to {want[O.party(r)]} at {clock.fmt(m.time)}" for m in O.outbound(world, since)
           for r in m.to if O.party(r) in want]
    out += [f"a call to {want[O.party(e.args.get('number', ''))]} at {clock.fmt(e.time)}"
            for e in world.audit.entries if e.ok and e.call == "phone.place_call" and e.time >= since
            and O.party(str(e.args.get("number", ""))) in want]
    return out


# ---- records the agent made, and reminders of any kind ------------------------------------------
def _id_number(rid: str) -> int:
    digits = "".join(c for c in rid if c.isdigit())
    return int(digits) if digits else -1


def made_rows(world: World, service: str, table: str, first: str) -> list[dict]:
    """Records the agent made in ``table``: ids from ``first`` (the table's next id when the family built the
    world) on, minus the ones the timeline brought. Empty when the service is not in this world."""
    if service not in world.services:
        return []
    skip = timeline_ids(world, service, table)
    n = _id_number(first)
    return [r for i, r in world.services[service].table(table).items() if _id_number(i) >= n and i not in skip]


def first_ids(ctx: Ctx, *pairs: tuple[str, str]) -> dict[str, str]:
    """The next id of each (service, table) present in the world, keyed 'service.table' (for ``made_rows``)."""
    return {f"{s}.{t}": next_id(ctx.svc(s), t) for s, t in pairs if s in ctx.world.services}


def reminders_at(world: World, at: int, first: dict[str, str]) -> list[str]:
    """Every reminder the person gets at virtual time ``at``, of any kind: an enabled phone alarm set to its
    clock time (rings that day), a calendar entry the agent made starting then, a to-do the agent made due
    then. Each as a short description for a check's detail ("alarm 13:30", "calendar 'Call Ana' 13:30")."""
    out = []
    day = clock.to_datetime(at).strftime("%a").lower()
    if "phone" in world.services:
        out += [f"alarm {a['time']}" for a in world.services["phone"].alarms()  # type: ignore[attr-defined]
                if a["enabled"] and a["time"] == hhmm(at) and (not a["days"] or day in a["days"])]
    if "calendar.entries" in first:
        out += [f"calendar {r['title']!r} {clock.fmt(r['start'])}"
                for r in made_rows(world, "calendar", "entries", first["calendar.entries"]) if r["start"] == at]
    if "todo.items" in first:
        out += [f"to-do {r['title']!r} due {clock.fmt(r['due'])}"
                for r in made_rows(world, "todo", "items", first["todo.items"])
                if r["due"] == at and not r["done"]]
    return out


# ---- config files the person's tools read ---------------------------------------------------------
def parse_conf(text: str) -> dict[str, str]:
    """The settings as an INI parser reads them (inline comments, quotes); {} if the file doesn't parse."""
    try:
        return values.read_config(text)
    except ValueError:
        return {}


def expect_config_fixed(world: World, g: Grader, path: str, key: str, want: str, before: dict[str, str], *,
                        fixed: tuple[str, str], rest: tuple[str, str]) -> None:
    """Two checks on the config at ``path``: ``key`` reads as ``want`` (as the file's parser reads it),
    and every other key of ``before`` is unchanged. ``fixed`` and ``rest`` are each check's
    (name, because)."""
    rec = world.services["files"].find(path)
    conf = parse_conf(rec["content"]) if rec else {}
    missing = f"no {path.rsplit('/', 1)[-1]}"
    g.expect(fixed[0], values.same_setting(conf.get(key), want),
             missing if rec is None else f"{key} = {conf.get(key)!r}", because=fixed[1])
    others = [k for k in before if k != key]
    changed = sorted(k for k in others if not values.same_setting(conf.get(k), before[k]))
    g.expect(rest[0], rec is not None and not changed,
             missing if rec is None else (f"changed: {', '.join(changed)}" if changed
                                          else f"{', '.join(others)} as they were"),
             because=rest[1])
