"""One pass after the family: its records get what the background's records of their kind have.

A family places records in many ways (the services' helpers, :mod:`claw_gym.envs.kit.plant`, raw
inserts). The background's builders (:mod:`claw_gym.life.records`) give every record an event line
naming the person (the contact's name, or the sender's display name, never a bare address), a read
flag by age, and companions (an SMS's phone notification about half the time, a personal mail's
push). Records without them stand out to a simple classifier (``python -m claw_gym.runs.camouflage``)
however well the family words them, so :func:`blend` adds them in one place, after
:meth:`claw_gym.life.Life.settle` and before ids are renumbered (an added creation line dates a
record that has no time field of its own, as the background's do).

It never changes a time, amount, text, address or id of a record (checks and oracles read those):
it adds timeline lines and companion notifications, names the person in a line that shows a raw
address, and marks mails and texts older than two days read, as a person who keeps up does.
Deterministic: its draws come from the world's own stream for it.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .. import caches, clock
from ..events import Event
from ..rng import derive_rng
from .plan import fmt

if TYPE_CHECKING:
    from numpy.random import Generator

    from ..world import World

#: the share of incoming texts from contacts the phone shows a notification for (records.sms's rate)
SMS_PUSH = 0.5
#: how long before now a record is old enough to have been read (records._read)
READ_AFTER = 2 * clock.DAY
_ROLE = re.compile(r"^[a-z]+$")


def display_name(address: str) -> str:
    """The name a mail client shows for an address outside the contacts: the person's name for
    ``first.last@``, else the organisation's (the domain's first label), as the background's
    vendor mails show their brand."""
    local, _, domain = address.strip().lower().partition("@")
    if not domain:
        return ""
    parts = [x for x in re.split(r"[._]", local) if x]
    if len(parts) == 2 and all(x.isalpha() for x in parts) and not _ROLE.fullmatch(local):
        return " ".join(x.capitalize() for x in parts)
    label = domain.split(".")[0]
    return " ".join(w.capitalize() for w in re.split(r"[-_]", label) if w)


#: the letters a look-alike domain swaps in (digits for letters)
_SWAPS = str.maketrans("0135", "olie")


def _fold(label: str) -> str:
    """A domain label as a reader skims it: no hyphens or dots, digits read as the letters they mimic."""
    return label.lower().translate(_SWAPS).replace("-", "").replace(".", "")


def _near(a: str, b: str) -> bool:
    """Whether ``a`` and ``b`` differ by at most two single-letter edits (and are not equal)."""
    if a == b or abs(len(a) - len(b)) > 2:
        return False
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1] <= 2


def _organisations(world: World, planted: set[int]) -> dict[str, str]:
    """The name each organisation's domain of the world goes by (a contact's company, else the
    display name of the background's role senders: billing@, no-reply@), by domain without its top level."""
    out: dict[str, str] = {}
    if "contacts" in world.services:
        for c in world.services["contacts"].table("people").values():
            email = str(c.get("email") or "").lower()
            if "@" in email:
                label = email.split("@", 1)[1].rsplit(".", 1)[0]
                if c.get("company"):  # a friend's mail provider names no organisation
                    out.setdefault(label, str(c["company"]))
    for sname in ("mail", "workmail"):
        if sname in world.services:
            for r in world.services[sname].table("messages").values():
                if id(r) not in planted and (org := _role_sender(str(dict.get(r, "from") or ""))) is not None:
                    out.setdefault(*org)
    return out


@caches.bounded(4096)
def _role_sender(sender: str) -> tuple[str, str] | None:
    """(domain label, display name) of a role address (billing@, no-reply@), else None; cached: the
    background's hundreds of mails come from a few dozen senders."""
    sender = sender.lower()
    if "@" in sender and _ROLE.fullmatch(sender.split("@")[0].replace("-", "")):
        return sender.split("@", 1)[1].rsplit(".", 1)[0], display_name(sender)
    return None


def impostor_name(address: str, organisations: dict[str, str]) -> str:
    """The name a sender at a look-alike domain shows: the real organisation's (a role address) or
    the person's own; "" when the domain is one of the world's or no look-alike of one. A name
    spelled from the odd domain would give the trick away (no impostor signs "Heatw1se")."""
    local, _, domain = address.strip().lower().partition("@")
    label = domain.rsplit(".", 1)[0]
    if not domain or label in organisations:
        return ""
    folded = _fold(label)
    if len(folded) < 5:
        return ""
    real = next((n for k, n in organisations.items() if n and (_fold(k) == folded or _near(folded, _fold(k)))), "")
    if not real:
        return ""
    parts = [x for x in re.split(r"[._]", local) if x]
    return display_name(address) if len(parts) == 2 and all(x.isalpha() for x in parts) else real


def _names(world: World) -> dict[str, str]:
    """Contact name by lower-cased address and by number."""
    out: dict[str, str] = {}
    if "contacts" in world.services:
        for c in world.services["contacts"].table("people").values():
            for key in (c.get("email"), c.get("phone")):
                if key:
                    out[str(key).lower()] = str(c["name"])
    if world.persona is not None:
        for p in world.persona.people:
            out[p.email.lower()] = out[p.phone] = p.name
    return out


def _created(sname: str, tname: str, r: dict, now: int, rng: Generator) -> tuple[int, str, str] | None:
    """(time, kind, line) of the creation line the background writes for a record of this kind that
    carries no time of its own worth showing, or None (kinds whose line the family already has)."""
    back = int(rng.integers(1, 8)) * clock.DAY + int(rng.integers(-4 * 3600, 4 * 3600))
    if sname == "calendar" and tname == "entries":
        start = dict.get(r, "start")
        if not isinstance(start, int):
            return None
        t = min(start - back, now - int(rng.integers(3600, 3 * clock.DAY)))
        return t, "calendar.created", f"{r.get('title', '')} on {fmt(start)}"
    if sname == "todo" and tname == "items":
        due = dict.get(r, "due")
        t = (due if isinstance(due, int) else now) - back
        return min(t, now - int(rng.integers(600, 2 * clock.DAY))), "todo.added", f"task added: {r.get('title', '')}"
    if sname == "crm" and tname == "deals":
        close = dict.get(r, "close")
        t = (close if isinstance(close, int) else now) - back - int(rng.integers(10, 60)) * clock.DAY
        return min(t, now - int(rng.integers(1, 20)) * clock.DAY), "crm.deal", f"new deal: {r.get('account', '')}"
    if sname == "phone" and tname == "calls":
        t0 = dict.get(r, "time")
        if not isinstance(t0, int):
            return None
        return t0, "phone.call", ""  # the line needs the caller's name: filled in by the caller
    return None


#: the share of open to-dos whose due date the background moves once (threads.chores)
TODO_MOVED = 0.3
#: the share of meetings with guests that show the phone's 10-minute reminder in the history
MEETING_REMINDER = 0.3


def lifecycle(world: World, sname: str, tname: str, r: dict, t0: int, rng: Generator) -> list[Event]:
    """The later lines the background's records of this kind carry after their creation at ``t0``,
    for a family's record: a to-do moved or ticked off, a ticket solved, a meeting's reminder.
    Only past lines (nothing new arrives in the episode), and only what the record's own state
    already says: a to-do is "done" in a line only when it is done, a ticket "solved" only when
    solved. The record itself is left as it is.
    """
    now = world.clock.now
    out: list[Event] = []

    def line(t: int, kind: str, text: str) -> None:
        if t0 < t <= now:
            out.append(Event(int(t), sname, kind, text, None, r, "", 0, ""))

    soon = t0 + int(rng.integers(2 * clock.HOUR, 3 * clock.DAY))
    if sname == "todo" and tname == "items":
        title = str(dict.get(r, "title", ""))
        if rng.random() < TODO_MOVED:
            line(t0 + clock.DAY + int(rng.integers(-3600, 3600)), "todo.changed", f"task due date changed: {title}")
        if dict.get(r, "done") is True:
            due = dict.get(r, "due")
            at = due if isinstance(due, int) and t0 < due < now else soon
            line(min(at, now - int(rng.integers(60, 3600))), "todo.completed", f"task done: {title}")
    elif sname == "helpdesk" and tname == "tickets":
        if dict.get(r, "status") in ("solved", "closed"):
            at = t0 + 2 * clock.DAY
            if at > now - 600:  # opened lately: solved some time since
                at = t0 + int((now - t0) * rng.uniform(0.2, 0.9))
            line(at, "ticket.solved", f"ticket solved: {dict.get(r, 'subject', '')}")
    elif sname == "calendar" and tname == "entries":
        start = dict.get(r, "start")
        if isinstance(start, int) and dict.get(r, "attendees") and rng.random() < MEETING_REMINDER:
            line(start - 10 * clock.MINUTE, "calendar.reminder", f"in 10 min: {dict.get(r, 'title', '')}")
    return out


def _call_line(r: dict, who: str) -> str:
    missed = bool(dict.get(r, "missed"))
    way = "missed call from" if missed else ("call from" if dict.get(r, "direction") == "in" else "call to")
    return f"{way} {who or r.get('number', '')}"


def blend(world: World, planted: list[tuple[str, str, dict]], lines: list[Event]) -> list[Event]:
    """Companions and lines for the family's ``planted`` records (see the module doc); ``lines``:
    the events about them not yet on the timeline (settle's mirror lines).

    Returns the new creation lines (past events about records already stored: the caller merges
    them into the history); companion notifications are scheduled on the timeline here (stored when
    past, pending when future). Edits event lines and read flags in place.
    """
    tl = world.timeline
    now = world.clock.now
    rng = derive_rng(world.task_id, world.seed, "blend")
    names = _names(world)
    organisations = _organisations(world, {id(r) for _, _, r in planted})
    by_rec: dict[int, list[Event]] = {id(r): [] for _, _, r in planted}  # only the family's records
    get = by_rec.get
    for events in (tl.history, tl.pending, lines):
        for e in events:
            if (mine := get(id(e.record))) is not None:
                mine.append(e)
    pushes: set[tuple[str, int]] = set()
    if "device" in world.services and any(s == "sms" for s, _, _ in planted):
        stored = world.services["device"].table("log").values()
        scheduled = (e.record for e in tl.pending if e.service == "device" and e.record is not None)
        for d in (*stored, *scheduled):  # a future arrival's push is still pending: count it too
            if dict.get(d, "app") == "Messages":
                pushes.add(("Messages", int(dict.get(d, "time") or 0)))
    past: list[Event] = []
    pushes_made: list[Event] = []
    changed: set[str] = set()
    later = derive_rng(world.task_id, world.seed, "blend-lifecycle")  # its own stream: the lines above keep theirs
    for sname, tname, r in planted:
        events = by_rec.get(id(r), [])
        if events and events[0].table is not None:
            past += lifecycle(world, sname, tname, r, events[0].time, later)
        if sname in ("mail", "workmail") and tname == "messages":
            _name_mail(r, events, names, organisations)
            if _read_by_age(r, now):
                changed.add(sname)
        elif sname == "sms" and tname == "messages":
            who = names.get(str(dict.get(r, "number", "")), "")
            if _read_by_age(r, now):
                changed.add(sname)
            t = dict.get(r, "time")
            if (
                who
                and dict.get(r, "direction") == "in"
                and isinstance(t, int)
                and not any(("Messages", t + d) in pushes for d in range(11))
                and rng.random() < SMS_PUSH
            ):
                text = f"{who}: {str(r.get('body', ''))[:50]}"
                push = _push(world, t + 2, "Messages", text, who)
                if push is not None:
                    pushes_made.append(push)
        elif not events:
            made = _created(sname, tname, r, now, rng)
            if made is None:
                continue
            t, kind, line = made
            if kind != "phone.call":  # people plan in waking hours: the same day, 08:00-21:00
                t = min(clock.day_start(t) + int(rng.integers(8 * 3600, 21 * 3600)), now - int(rng.integers(60, 3600)))
            person = ""
            if kind == "phone.call":
                person = names.get(str(dict.get(r, "number", "")), "")
                line = _call_line(r, person)
            if t <= now:
                past.append(Event(int(t), sname, kind, line, tname, r, "", 0, person))
                past += lifecycle(world, sname, tname, r, int(t), later)
    for ev in pushes_made:  # stored (past) or pending (future), as the Sink places a companion
        world.schedule(ev)
    for sname in sorted(changed):
        world.services[sname].changed()
    return past


def _name_mail(r: dict, events: list[Event], names: dict[str, str], organisations: dict[str, str]) -> None:
    """The mail's line names its sender, or a sent mail's one recipient (contact name, else the
    name a look-alike sender would show, else display name), not the address."""
    if dict.get(r, "folder") == "sent":
        to = dict.get(r, "to") or []
        if len(to) != 1:
            return
        way, addr = "to", str(to[0])
    else:
        way, addr = "from", str(dict.get(r, "from", ""))
    who = names.get(addr.lower()) or impostor_name(addr, organisations) or display_name(addr)
    if not who:
        return
    raw = f"{way} {addr}:"
    for e in events:
        if e.text.startswith(raw):
            e.text = f"{way} {who}:" + e.text[len(raw) :]
            e.person = e.person or who


def _read_by_age(r: dict, now: int) -> bool:
    """Mark a received message read when it is older than two days (the background's rule); True if changed."""
    t = dict.get(r, "time")
    if (
        dict.get(r, "read") is False
        and isinstance(t, int)
        and t < now - READ_AFTER
        and dict.get(r, "folder", "inbox") in ("inbox", None)
        and dict.get(r, "direction", "in") == "in"
    ):
        r["read"] = True
        return True
    return False


def _push(world: World, t: int, app: str, text: str, who: str) -> Event | None:
    """A phone notification record (the device log's shape) with its line, not yet placed."""
    if "device" not in world.services:
        return None
    rec = {"time": t, "device": "phone", "kind": "notification", "app": app, "text": text}
    rec["id"] = world.services["device"].tables["log"].new_id()
    return Event(t, "device", "device.notification", f"{app} notification: {text}", "log", rec, "", 0, who)
