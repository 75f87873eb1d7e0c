"""Three months of a life: the history every world carries, and what keeps arriving.

Two phases around the family's generator (see :func:`claw_gym.tasks.build.build`):

1. :class:`Life` (before the family): the cast and their writing styles, contacts, the
   bank's balance, the upcoming meetings of every weekly series, a meeting that was moved
   twice, and >= 90 days of history across the world's services (routines, threads,
   noise, conflicts) plus a few days of future background arrivals, all planned as cheap
   metadata and placed in bulk; long texts stay :class:`~claw_gym.life.text.Lazy` until
   read. Placing it first means a family sees the whole world it lives in: its "ids
   before" snapshots, free-slot searches and next-id predictions all include the history.
2. :meth:`Life.settle` (after the family): the background steps aside where it could
   mimic or blur the family's signal. Background records with a title/subject/account
   the family uses are removed, and so are background mails/texts *from "me" to* the
   people the family's records involve, and their background traffic of the last week
   and of the coming days; the family's own records are mirrored into the timeline so
   ``events.search`` finds them.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .. import clock
from ..events import Event
from ..rng import derive_rng
from ..services.base import WorldRef
from ..services.contacts import Contacts
from . import apps, clutter, conflicts, noise, recent, routines, stream, threads, variety
from . import blend as blending
from . import records as R
from . import render as _render  # noqa: F401  (registers the renderers)
from .cast import Cast, business_contacts, make_cast
from .corpus import JOT_TITLES
from .plan import Plan
from .text import words

if TYPE_CHECKING:
    from ..world import World

HISTORY_DAYS = 92
STREAM_DAYS = 3  # background arrivals planned after "now"
QUIET_DAYS = 7  # the family's people get no background traffic this close to "now"
#: a calendar entry this long is days away (a trip): the background keeps none over a family's own
AWAY = 20 * clock.HOUR
#: plain titles of pages of notes-to-self, which the background and a family's rule page share
PAGE_TITLES = frozenset(t.lower() for titles in JOT_TITLES.values() for t in titles)
OVERSHOOT = 1.1  # rendered words per planned word (measured)


def target_words(difficulty: int) -> int:
    """Words of history a world aims for: 130k at difficulty 1, +35k per level (mean 200k, so the suite
    averages >= 192k, the reference benchmark's figure, and the hard end has the most to search)."""
    return 130_000 + 35_000 * (max(1, min(5, difficulty)) - 1)


class Life(WorldRef):
    """The persona's life in one world: phase 1 runs in ``__init__``, phase 2 is :meth:`settle`."""

    def __init__(self, world: World, difficulty: int) -> None:
        assert world.persona is not None, "the persona comes first"
        self._world = weakref.ref(world)  # world.life points here: no cycle back (see Service)
        self.difficulty = difficulty
        self.rng = derive_rng(world.task_id, world.seed, "life")
        self.cast: Cast = make_cast(world.persona, self.rng)
        self.stats: dict[str, Any] = {}
        #: the background's own conflicting signals, as facts a family may build on:
        #: "moved_meeting" {title, entry id, final start}, "moved_house" {person, old, new, moved}
        self.signals: dict[str, Any] = {}
        s = world.services
        #: records the world held before the life began (the services' own initial state)
        self.preset: set[int] = {id(r) for svc in s.values() for tab in svc.tables.values() for r in tab.rows.values()}
        if "contacts" in s:
            contacts = world.service_as("contacts", Contacts)
            for p in world.persona.people:
                contacts.add(
                    p.name,
                    p.email,
                    p.phone,
                    relation=p.relation,
                    company=p.company,
                    address=self.cast.addresses.get(p.name, ""),
                )
            acc = self.cast.accountant
            contacts.add(acc.name, acc.email, acc.phone, relation=acc.relation, company=acc.company)
            contacts.add(self.cast.landlord, self.cast.landlord_email, "", relation="landlord")
            for b in business_contacts(derive_rng(world.task_id, world.seed, "business")):
                contacts.add(b.name, b.email, b.phone, relation=b.relation, company=b.company)
        self.contacts_ids = set(s["contacts"].table("people")) if "contacts" in s else set()
        if "contacts" in s:
            self.preset.update(id(r) for r in s["contacts"].table("people").values())
        self.upcoming = routines.upcoming(world, self.cast)
        self.moved = conflicts.upcoming_moved(world, self.cast, self.rng)
        if self.moved:
            self.upcoming.append(self.moved["entry"])
            self.signals["moved_meeting"] = {
                "title": self.moved["title"],
                "entry": self.moved["entry"]["id"],
                "final": self.moved["final"],
            }
        self.own: set[int] = {id(r) for r in self.upcoming}  # every background record, by identity
        world.life = self
        self._history()

    # ---- phase 1: the history ------------------------------------------------------------------
    def _history(self) -> None:
        w = self.world
        now = w.clock.now
        p = Plan(
            w,
            self.cast,
            self.rng,
            self.difficulty,
            start=clock.day_start(now) - HISTORY_DAYS * clock.DAY,
            now=now,
            horizon=STREAM_DAYS * clock.DAY,
        )
        d = self.difficulty
        f = 0.6 + 0.2 * d  # more of everything with difficulty
        end = now + p.horizon
        routines.meetings(p)
        routines.money(p)
        routines.habits(p)
        routines.standup_chat(p)
        routines.card_payments(p, p.start, end, 1.0 * f)
        routines.device_life(p, p.start, end)
        threads.projects(p, 2 + d)
        threads.family_and_friends(p, 1.2 * f)
        for day in sorted({int(x) for x in self.rng.integers(15, HISTORY_DAYS - 10, size=1 + d // 2)}):
            threads.trip(p, day)
        threads.tickets(p, int(8 * f))
        threads.deals(p, int(5 * f))
        threads.chores(p, int(8 * f), int(5 * f))
        variety.messages(p, 1.5 * f)
        variety.open_tickets(p, int(10 * f))
        variety.loose_ends(p, int(4 * f))
        variety.purchases(p, 8 * f)
        recent.last_days(p, 2 + d)
        recent.strangers(p, 0.8 * f)
        clutter.blocks(p, int(100 * f))
        clutter.one_liners(p, 2 + d)
        clutter.downloads(p, 2 + d)
        noise.promotions(p, p.start, end, 2.5 * f)
        noise.spam(p, int(15 * f))
        noise.announcements(p, int(8 * f))
        noise.banter(p, p.start, end, 1.2 * f)
        noise.soon(p)
        conflicts.past_moved(p)
        if self.moved:
            m = self.moved
            conflicts.moved_twice(
                p, m["title"], m["final"], m["entry"], now - int(self.rng.integers(6, 10)) * clock.DAY
            )
        self.signals["moved_house"] = conflicts.moved_house(p)
        self._fill_words(p, end)
        routines.statements(p)
        routines.calls(p, 0.5 * f)
        recent.calls(p, 0.8 * f)
        stream.fyi(p, 1.0 * f, end)
        stream.notices(p, 1.5 * f, end)
        stream.abroad(p, int(3 * f))
        stream.lists(p, 2 + d)
        stream.service_texts(p, 2.0 * f, end)
        kept = apps.plan(p)  # (its own draw stream: the history above keeps its draws)
        past, future = p.deliver()
        apps.store(w, kept, self.own)
        # indexes for settle(): new records by (stripped, lower-cased) title and by person
        self._by_title: dict[str, list[Event]] = {}
        self._by_person: dict[str, list[Event]] = {}
        own, by_title, by_person, get = self.own, self._by_title, self._by_person, dict.get
        for r in p.events:
            if r.table is None:
                continue
            rec = r.record
            assert rec is not None  # Plan.add gives every event with a table its record
            own.add(id(rec))
            for key in ("title", "subject", "account"):
                v = get(rec, key)  # raw read: these fields are never lazy
                if v is not None:
                    k = v.lower()
                    if k[:3] in ("re:", "fw:", "fwd"):
                        k = _strip_prefix(k)
                    if (same := get(by_title, k)) is None:  # (setdefault would build a list per call)
                        by_title[k] = [r]
                    else:
                        same.append(r)
            if r.person:
                if (theirs := get(by_person, r.person)) is None:
                    by_person[r.person] = [r]
                else:
                    theirs.append(r)
        w.timeline.extend(past, future)
        if "bank" in w.services:  # an opening balance that leaves 2,500-9,000 EUR today
            paid = sum(
                e.record["amount"] for e in past if e.service == "bank" and e.table is not None and e.record is not None
            )
            w.services["bank"].set_state("opening_balance", round(float(self.rng.uniform(2500, 9000)) - paid, 2))
        self.stats.update(planned_words=p.planned_words, events=len(past), future=len(future))

    def _fill_words(self, p: Plan, end: int) -> None:
        """Newsletters (or, without mail, long notes/documents) fill the word budget."""
        # Rendered text runs ~10% over the planned word counts (greetings, headers, the last
        # sentence); event lines and short fields add ~12 words per row.
        expected = OVERSHOOT * p.planned_words + 12 * len(p.events)
        missing = (target_words(self.difficulty) - expected) / OVERSHOOT
        if missing <= 0:
            return
        each = 2000  # long issues, fewer of them: the inbox is not only newsletters
        weeks = max(1.0, (end - p.start) / (7 * clock.DAY))
        if p.has("mail") and p.cast.newsletters:
            factor = sum(0.6 + 0.3 * k for k in range(len(p.cast.newsletters)))
            noise.newsletters(p, p.start, end, each, missing / each / weeks / factor)
        elif p.has("notes") or p.has("files") or p.has("workmail"):
            n, days = max(1, int(missing // each)), max(1, (p.now - p.start) // clock.DAY)
            for k in range(n):
                # written in waking hours, under the one title a diary's pages share
                t = min(p.now - 60, p.start + int(self.rng.integers(0, days)) * clock.DAY)
                t = min(p.now - 60, t + int(self.rng.integers(7 * clock.HOUR, 22 * clock.HOUR)))
                date = clock.fmt_date(t)
                if p.has("notes"):
                    R.note(
                        p,
                        t,
                        "Journal",
                        p.lazy("journal", date, each, words=each),
                        folder="journal",
                        words=each,
                    )
                elif p.has("files"):
                    R.file(
                        p,
                        t,
                        f"Documents/journal/{date}-{k + 1}.txt",
                        p.lazy("journal", date, each, words=each),
                        words=each,
                    )
                else:
                    R.mail_in(
                        p,
                        "workmail",
                        t,
                        f"digest@{p.cast.persona.work_domain}",
                        f"Company digest {date}",
                        p.lazy("newsletter", "Company digest", k + 1, each, p.cast.persona.employer, words=each),
                        words=each,
                        who="Company digest",
                    )

    # ---- phase 2: around the family -------------------------------------------------------------
    def settle(self) -> None:
        """After the family generated: step aside where the noise could mimic it; index its records."""
        w = self.world
        avoid, busy, theirs = self._family_footprint()
        gone = self._remove(avoid, busy)
        gone |= apps.step_aside(w, self.own, self._blob)
        self.stats["removed"] = len(gone)
        if self.moved and id(self.moved["entry"]) in gone:
            self.signals.pop("moved_meeting", None)
        past = self._mirror(theirs)
        tl = w.timeline
        if gone:
            tl.history = [e for e in tl.history if id(e.record) not in gone]
            tl.pending = [e for e in tl.pending if id(e.record) not in gone]
        preset, own = self.preset, self.own  # the family's records, from the footprint's walk (no second one)
        planted = [x for x in theirs if id(x[2]) not in preset]
        planted += [
            (e.service, e.table, e.record)
            for e in tl.pending
            if e.table is not None and e.record is not None and id(e.record) not in own and id(e.record) not in preset
        ]
        past += blending.blend(w, planted, past)  # the family's records get the background's lines and companions
        if past or gone:
            tl.extend(past, [])

    def is_background(self, rec: dict) -> bool:
        """Whether a record is the life's (history, stream, contacts, the world's initial state), not the family's."""
        return id(rec) in self.own or id(rec) in self.preset

    def planted(self) -> list[tuple[str, str, dict]]:
        """(service, table, record) of every record the family placed: stored rows, then pending arrivals."""
        w = self.world
        out = [
            (sname, tname, rec)
            for sname, svc in w.services.items()
            for tname, tab in svc.tables.items()
            for rec in tab.rows.values()
            if not self.is_background(rec)
        ]
        seen = {id(r) for _, _, r in out}
        for e in w.timeline.pending:
            rec = e.record
            if e.table is not None and rec is not None and id(rec) not in seen and not self.is_background(rec):
                seen.add(id(rec))
                out.append((e.service, e.table, rec))
        return out

    def _family_footprint(self) -> tuple[set[str], set[str], list[tuple[str, str, dict]]]:
        """Titles/subjects the family used, the names of the people its records involve, its records."""
        avoid: set[str] = set()
        text_parts: list[str] = []
        theirs: list[tuple[str, str, dict]] = []
        own = self.own
        recs: list[dict] = []
        for sname, svc in self.world.services.items():
            for tname, tab in svc.tables.items():
                for rid, rec in tab.rows.items():
                    if id(rec) in own or (sname == "contacts" and rid in self.contacts_ids):
                        continue
                    theirs.append((sname, tname, rec))
                    recs.append(rec)
        recs += [e.record for e in self.world.timeline.pending if e.record is not None and id(e.record) not in own]
        for rec in recs:
            for key in ("title", "subject", "account"):
                v = rec.get(key)
                if isinstance(v, str) and v:
                    avoid.add(_strip_prefix(v).lower())
            text_parts.append(" ".join(str(v) for v in rec.values()))
        blob = "\n".join(text_parts)
        self._blob = blob.lower()
        persona = self.world.persona
        assert persona is not None  # the build sets the persona before the history
        busy = {
            p.name
            for p in persona.people
            if p.name in blob or p.email in blob or p.phone in blob or re.search(rf"\b{p.first}\b", blob)
        }
        return avoid, busy, theirs

    def _remove(self, avoid: set[str], busy: set[str]) -> set[int]:
        """Remove background records that mimic the family or talk to/from its people lately.

        Looks records up in the indexes built at delivery (by title and by person), so the
        cost follows the family's footprint, not the size of the history.
        """
        w = self.world
        now = w.clock.now
        quiet_from = now - QUIET_DAYS * clock.DAY
        # a page of notes-to-self shares its plain title ("Misc") with the family's rule page on purpose
        doomed: list[Any] = [r for key in avoid - PAGE_TITLES for r in self._by_title.get(key, ())]
        for name in busy:  # (a colleague's direct messages, of any age: the family talks to them there)
            doomed += [
                r
                for r in self._by_person.get(name, ())
                if r.kind.endswith(".sent") or r.time >= quiet_from or r.kind == "chat.message" and r.text[:4] == "#dm-"
            ]
        doomed += self._overlapping_trips()
        gone: set[int] = set()
        removed_ids: set[str] = set()
        changed: set[str] = set()  # services whose records were removed or edited in place
        entries = w.services["calendar"].table("entries") if "calendar" in w.services else {}
        for rec in self.upcoming:  # placed before the plan: not in the index
            if rec["title"].lower() in avoid and entries.get(rec["id"]) is rec:
                del entries[rec["id"]]
                gone.add(id(rec))
                changed.add("calendar")
        for r in doomed:
            rec = r.record
            if id(rec) in gone:
                continue
            gone.add(id(rec))
            rows = w.services[r.service].tables[r.table].rows
            rid = rec["id"]
            removed_ids.add(rid)
            if rows.get(rid) is rec:
                del rows[rid]
                changed.add(r.service)
            if r.service == "crm":  # a removed deal takes its activities along
                acts = w.services["crm"].table("activities")
                for aid in [a for a, act in acts.items() if act.get("deal") == rid and id(act) in self.own]:
                    gone.add(id(acts[aid]))
                    del acts[aid]
                    changed.add("crm")
        for sname in ("mail", "workmail"):  # threads keep no pointer to a removed message
            if removed_ids and sname in w.services:
                for rec in w.services[sname].table("messages").values():
                    if dict.get(rec, "in_reply_to") in removed_ids and id(rec) in self.own:
                        rec["in_reply_to"] = None
                        changed.add(sname)
        for sname in sorted(changed):  # removed in place: tell each service, as remove() would
            w.services[sname].changed()
        return gone

    def _overlapping_trips(self) -> list[Event]:
        """The background's days away (a trip's calendar block and its packing to-do) that overlap a
        family's: nobody is in two cities at once, and the family's trip decides which days (and so
        which charges) are the trip's."""
        w = self.world
        if "calendar" not in w.services:
            return []
        rows = list(w.services["calendar"].table("entries").values())
        away = [(r["start"], r["end"]) for r in rows if not self.is_background(r) and r["end"] - r["start"] >= AWAY]
        out: list[Event] = []
        for r in rows:
            if not (self.is_background(r) and r["end"] - r["start"] >= AWAY):
                continue
            if not any(r["start"] < end and start < r["end"] for start, end in away):
                continue
            out += [e for e in self._by_title.get(_strip_prefix(str(r["title"])).lower(), ()) if e.record is r]
            packing = f"pack for {r.get('location', '')}".lower()
            out += [
                e
                for e in self._by_title.get(packing, ())
                if e.record is not None and e.record.get("due") == r["start"] - clock.DAY
            ]
        return out

    def _mirror(self, theirs: list[tuple[str, str, dict]]) -> list[Event]:
        """Timeline events for the family's past records that have none, so events.search finds them."""
        referenced = {id(e.record) for e in self.world.timeline.history if e.record is not None}
        now = self.world.clock.now
        names: dict[str, str] = {}
        persona = self.world.persona
        assert persona is not None  # the build sets the persona before the history
        services = self.world.services
        if "contacts" in services:
            for c in services["contacts"].table("people").values():
                for key in (c.get("email"), c.get("phone")):
                    if key:
                        names[str(key).lower()] = str(c["name"])
        for p in persona.people:
            names[p.email.lower()] = names[p.phone] = p.name
        if "crm" in services:
            for did, d in services["crm"].table("deals").items():
                names[f"deal:{did}"] = str(d.get("account", ""))
        out = []
        for sname, tname, rec in theirs:
            if id(rec) in referenced:
                continue
            made = _mirror_line(sname, tname, rec, lambda k: names.get(str(k).lower(), ""))
            if made is None or made[0] > now:
                continue
            t, kind, text, person = made
            out.append(Event(t, sname, kind, text, None, rec, "", 0, person))
        return out


def _strip_prefix(s: str) -> str:
    while s[:4].lower() in ("re: ", "fw: ") or s[:5].lower() == "fwd: ":
        s = s[5:] if s[:5].lower() == "fwd: " else s[4:]
    return s


def _mirror_line(sname: str, tname: str, r: dict, name: Callable[[str], str]) -> tuple[int, str, str, str] | None:
    """(time, kind, line, person) for a family record, as the background's builder (life/records.py)
    writes the line for its kind (``name``: the contact's name for an address or number, else ""),
    or None for kinds without one."""
    if sname in ("mail", "workmail") and tname == "messages":
        if r.get("folder") == "sent":
            to = r["to"][0] if len(r["to"]) == 1 else ""
            return r["time"], "mail.sent", f"to {name(to) or ', '.join(r['to'])}: {r['subject']}", name(to)
        who = name(r["from"])
        return r["time"], "mail.received", f"from {who or r['from']}: {r['subject']}", who
    if sname == "sms":
        way = "from" if r.get("direction") == "in" else "to"
        who = name(r["number"])
        return (
            r["time"],
            f"sms.{'received' if way == 'from' else 'sent'}",
            f"text {way} {who or r['number']}: {str(r['body'])[:60]}",
            who,
        )
    if sname == "chat":
        return r["time"], "chat.message", f"#{r['channel']} {r['sender']}: {str(r['text'])[:60]}", r["sender"]
    if sname == "bank":
        return r["time"], "bank.transaction", f"{r['counterparty']} {r['amount']:+.2f} EUR ({r['reference']})", ""
    if sname == "helpdesk":
        return r["time"], "ticket.opened", f"ticket from {r['requester']}: {r['subject']}", ""
    if sname == "crm" and tname == "activities":
        account = name(f"deal:{r.get('deal')}")
        return r["time"], "crm.activity", f"{account}: {r['text']}" if account else str(r["text"])[:80], ""
    if sname == "phone" and tname == "notifications":
        return r["time"], "notification", f"{r['app']} notification", ""
    if sname == "notes":
        return r["updated"], "notes.created", f"note: {r['title']}", ""
    if sname == "files":
        return r["modified"], "file.saved", f"saved {r['path']}", ""
    if sname == "device":
        if r["kind"] == "notification":
            return r["time"], "device.notification", f"{r['app']} notification: {r['text']}", ""
        return r["time"], f"device.{r['kind']}", f"{r['device']} {r['kind']}: {r['text']}", ""
    return None


# ---- reading the whole history -------------------------------------------------------------
def record_text(rec: dict) -> str:
    """The text a record carries (its string fields, rendered)."""
    return "\n".join(v for k, v in rec.items() if isinstance(v, str) and k != "id")


def history_text(world: World) -> str:
    """Every history line with its record's text once: what 'reading everything' means."""
    seen: set[int] = set()
    parts: list[str] = []
    for ev in world.timeline.history:
        parts.append(ev.line())
        rec = ev.record
        if rec is not None and id(rec) not in seen:
            seen.add(id(rec))
            parts.append(record_text(rec))
    return "\n".join(parts)


def history_words(world: World) -> int:
    return words(history_text(world))


__all__ = ["Life", "history_text", "history_words", "target_words", "HISTORY_DAYS", "STREAM_DAYS"]
