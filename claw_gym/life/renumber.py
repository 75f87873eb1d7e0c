"""Record ids in time order: after the family ran, every table is renumbered so ids never tell who placed a record.

The history gets its ids in time order at delivery, the family's records get theirs when it places
them, after the whole history: a mail with an old date and the highest id of the mailbox stands out.
:func:`renumber` runs once per build, after :meth:`claw_gym.life.Life.settle`, and hands each table's
ids (stored rows and pending arrivals) out again in the order of the records' times, as a permutation
of the ids the table already holds: ``next_id`` stays, so an oracle that predicts the next id holds.

Every reference follows: record fields (exact and word-boundary matches inside text, recursively in
lists and dicts), event lines, the scenario's facts (exact string matches, recursively), its
instruction and trigger text, and the life's own id-bearing facts. Background texts rendered lazily
never name a record id (their templates take none), so they are not rendered here.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..rng import derive_rng
from .plan import LINK_KEYS
from .text import Lazy

if TYPE_CHECKING:
    from ..tasks.family import Scenario
    from ..world import World

#: record fields holding the moment a record appeared, in order of preference
TIME_KEYS = ("time", "modified", "updated", "start")
_ID = re.compile(r"\b([a-z]+)(\d{4,})\b")


def record_time(rec: dict, created: dict[int, int]) -> int | None:
    """When a record appeared: its creation event on the timeline, else its own time field, else None."""
    t = created.get(id(rec))
    if t is not None:
        return t
    for k in TIME_KEYS:
        v = dict.get(rec, k)
        if type(v) is int:
            return v
    return None


def plan(world: World) -> dict[str, str]:
    """old id -> new id for every record id that moves (tables sharing a prefix are left alone)."""
    tl = world.timeline
    # the earliest event that placed each record; a record placed without a creation event (the
    # life's moved meeting) dates from its first mention. One pass: the first time seen is kept.
    placed: dict[int, int] = {}
    mentioned: dict[int, int] = {}
    for events in (tl.history, tl.pending):
        for e in events:
            rec = e.record
            if rec is not None:
                seen = placed if e.table is not None else mentioned
                if (k := id(rec)) not in seen:
                    seen[k] = e.time
    created = {**mentioned, **placed}
    prefixes: dict[str, int] = defaultdict(int)
    for svc in world.services.values():
        for tab in svc.tables.values():
            prefixes[tab.prefix] += 1
    pending: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for e in tl.pending:
        if e.table is not None and e.record is not None and "id" in e.record:
            pending[(e.service, e.table)].append(e.record)
    rng = derive_rng(world.task_id, world.seed, "renumber")
    mapping: dict[str, str] = {}
    for sname, svc in world.services.items():
        for tname, tab in svc.tables.items():
            if prefixes[tab.prefix] > 1 or not (tab.rows or (sname, tname) in pending):
                continue
            recs = [*tab.rows.values(), *pending.get((sname, tname), ())]
            mapping.update(_table_plan(tab.prefix, recs, created, rng))
    return mapping


def _table_plan(prefix: str, recs: list[dict], created: dict[int, int], rng: Any) -> dict[str, str]:
    """The table's ids handed out again in time order (untimed records at drawn places)."""
    n = len(prefix)
    dget, cget = dict.get, created.get
    when = _when_plain(prefix, [dget(rec, "id") for rec in recs], [cget(id(rec)) for rec in recs])
    if when is None:
        when = _when_general(prefix, recs, created)
    if len(when) < 2:
        return {}
    nums = [int(rid[n:]) for rid in when]
    # rows are kept in id order: then the ids need no sort (sorted() of sorted ints is one pass)
    ids = list(when) if nums == sorted(nums) else sorted(when, key=lambda rid: int(rid[n:]))
    times = [when[rid] for rid in ids]
    if None not in times and times == sorted(times):  # type: ignore[type-var]  # (no None: all ints)
        return {}  # already in time order (most of the life's tables): nothing moves, nothing drawn
    known = [t for t in times if t is not None]
    lo, hi = (min(known), max(known)) if known else (0, 1)
    untimed = len(ids) - len(known)
    draws = iter(rng.integers(lo, hi + 1, size=untimed).tolist()) if untimed else iter(())
    keyed = [((t if t is not None else next(draws)), k) for k, t in enumerate(times)]
    keyed.sort()
    return {ids[k]: new for (_, k), new in zip(keyed, ids) if ids[k] != new}


def _when_general(prefix: str, recs: list[dict], created: dict[int, int]) -> dict[str, int | None]:
    """id -> when the record appeared (:func:`record_time`; None: untimed), for the table's records
    whose id is ``<prefix><digits>``; an id held by several records takes the earliest time."""
    when: dict[str, int | None] = {}
    n = len(prefix)
    for rec in recs:
        rid = dict.get(rec, "id")
        if type(rid) is not str or rid[:n] != prefix or not rid[n:].isdigit():
            continue
        t = record_time(rec, created)
        if rid in when:  # one id, several records (a stored row and its pending replacement)
            old = when[rid]
            t = old if t is None else (t if old is None else min(old, t))
        when[rid] = t
    return when


def _when_plain(prefix: str, rids: list[Any], times: list[int | None]) -> dict[str, int | None] | None:
    """id -> creation time when the table is plain (every record has a distinct ``<prefix><digits>`` id
    and a creation event): the general loop's result in a few C-level passes; else None."""
    if None in times:
        return None
    try:
        joined = _SEP.join(rids)
    except TypeError:  # an id that is not a string
        return None
    if joined.count(_SEP) != len(rids) - 1 or len(set(rids)) != len(rids):
        return None
    p = re.escape(prefix)
    if re.fullmatch(rf"{p}\d+(?:{_SEP}{p}\d+)*", joined) is None:
        return None
    return dict(zip(rids, times))


def remap_text(mapping: dict[str, str]) -> Callable[[str], str]:
    """A function that replaces every whole-word id of ``mapping`` in a text, all at once."""
    get = mapping.get

    def sub(m: re.Match[str]) -> str:
        return get(m.group(0), m.group(0))

    def remap(s: str) -> str:
        return _ID.sub(sub, s)

    return remap


def remap_value(v: Any, text: Callable[[str], str], exact: dict[str, str] | None) -> Any:
    """``v`` with ids replaced: in strings by ``text`` (word-boundary), or only whole strings when
    ``exact`` is given; recursively through lists, tuples, sets and dicts (keys too). Lazy texts stay."""
    t = type(v)
    if t is str:
        return exact.get(v, v) if exact is not None else text(v)
    if t is list:
        return [remap_value(x, text, exact) for x in v]
    if t is tuple:
        return tuple(remap_value(x, text, exact) for x in v)
    if t in (set, frozenset):
        return t(remap_value(x, text, exact) for x in v)
    if isinstance(v, dict) and t is not Lazy:
        return {remap_value(k, text, exact): remap_value(x, text, exact) for k, x in dict.items(v)}
    return v


def renumber(world: World, scenario: Scenario) -> dict[str, str]:
    """Renumber every table in time order and remap every reference; returns the mapping applied.

    The life's own records (:meth:`claw_gym.life.Life.is_background`) carry ids only in ``id`` and
    the link fields (their texts come from templates that name none): only those are looked up.
    Every other record is remapped field by field, texts included.
    """
    mapping = plan(world)
    if not mapping:
        return mapping
    text = remap_text(mapping)
    get = mapping.get
    life = world.life
    background: set[int] = (life.own | life.preset) if life is not None else set()
    tl = world.timeline
    done: set[int] = set()  # the family's records remapped so far (one may be stored and pending)

    def remap(rec: dict) -> bool:
        if id(rec) in background:
            changed = False
            for k in _LINKS:
                v = dict.get(rec, k)
                if type(v) is str and (new := get(v)) is not None:
                    dict.__setitem__(rec, k, new)
                    changed = True
            return changed
        if id(rec) in done:
            return False
        done.add(id(rec))
        return _remap_record(rec, text)

    for svc in world.services.values():
        touched = False
        for tab in svc.tables.values():
            rows = tab.rows
            if rows and _remap_rows(rows, background, get, remap):
                touched = True
                n = len(tab.prefix)
                recs = sorted(rows.values(), key=lambda r: int(r["id"][n:]) if r["id"][n:].isdigit() else 0)
                rows.clear()
                rows.update((r["id"], r) for r in recs)
        if touched:
            svc.changed()  # edited in bulk, in place: tell the service, as insert() would
    for e in tl.pending:
        if e.table is not None and e.record is not None:
            remap(e.record)
    # the life's lines name no id (templates again): only the family's and the record-less ones are read
    _remap_lines([e for e in tl.history + tl.pending if e.record is None or id(e.record) not in background], text)
    tl._pending_changed()  # pending records and lines changed in place: new states for snapshots and indexes
    tl._history_changed()
    scenario.facts = remap_value(scenario.facts, text, mapping)
    if scenario.instruction:
        scenario.instruction = text(scenario.instruction)
    if scenario.trigger:
        scenario.trigger = text(scenario.trigger)
    if life is not None:
        life.signals = remap_value(life.signals, text, mapping)
        life.contacts_ids = {get(i, i) for i in life.contacts_ids}
    return mapping


#: fields of the life's records that hold another record's id (plus the record's own)
_LINKS = ("id", *LINK_KEYS)
_LINK_SET = frozenset(LINK_KEYS)
_SEP = "\x1f"  # joins event lines for one pass of the pattern (no line holds it)


def _remap_rows(
    rows: dict[str, dict], background: set[int], get: Callable[[str], str | None], remap: Callable[[dict], bool]
) -> bool:
    """Remap a table's records in place; whether any changed. The life's records (most of them) are
    done inline: only their id and link fields can name another record."""
    changed = False
    setitem, dget, unlinked = dict.__setitem__, dict.get, _LINK_SET.isdisjoint
    for rec in rows.values():
        if id(rec) in background:
            if type(v := dget(rec, "id")) is str and (new := get(v)) is not None:
                setitem(rec, "id", new)
                changed = True
            if not unlinked(rec):  # the few with a link field
                for k in LINK_KEYS:
                    if type(v := dget(rec, k)) is str and (new := get(v)) is not None:
                        setitem(rec, k, new)
                        changed = True
        elif remap(rec):
            changed = True
    return changed


def _remap_lines(events: list[Any], text: Callable[[str], str]) -> None:
    """Event lines with ids remapped: one regex pass over all of them, then only changed lines are set."""
    old = _SEP.join([e.text for e in events])
    new = text(old)
    if new == old:
        return
    for e, line in zip(events, new.split(_SEP)):
        if line != e.text:
            e.text = line


def _remap_record(rec: dict, text: Callable[[str], str]) -> bool:
    """Remap one record's fields in place (lazy texts stay); whether anything changed."""
    changed = False
    for k, v in list(dict.items(rec)):
        if type(v) is Lazy:
            continue
        new = remap_value(v, text, None)
        if new != v:
            dict.__setitem__(rec, k, new)
            changed = True
    return changed
