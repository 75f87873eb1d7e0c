"""Action menus with masks: ``Discrete(N)`` over the actions an agent can form from what it sees.

The text action space is too large for RL policies. This wrapper offers, at every step, a
menu of concrete actions built from the current observation and the env's capabilities,
in a **fixed slot layout** so that an index keeps its meaning across steps and episodes:

- block ``core``: ``finish``, a few ``wait`` lengths (waking at arrivals), a few sleeps
  (``wait`` with ``wake=False``), ``help``;
- one block of ``per_endpoint`` slots for every endpoint of every registered service
  (``claw_gym.services.SERVICES``, discovered, not listed here): slot k of a block is the
  k-th valid way to fill the endpoint's required arguments from visible values (record ids
  in obs["result"]/events/services and the last ``recall`` results, addresses, times, also
  written in prose, amounts, instruction keywords); ids most related to the request first;
- block ``gui`` (when the observation has a ``ui`` key): taps on the elements listed there,
  and the back/home keys;
- block ``shell`` (when the task's devices include the laptop): a few fixed shell templates, then
  commands over visible facts (``claw SERVICE ENDPOINT ID`` for id-only endpoints, ``cat`` of a
  seen path, ``ls`` of its folder: :mod:`.menu_shell`).

**Valid** (what ``action_masks()`` marks True): the slot holds a candidate this step, and
- an API candidate passes the world's dry run (``World.check_call``: the API door's gates and
  the endpoint's own checks, up to its first change, which the world stops; nothing changes,
  nothing is audited). A verdict is kept while the world's version (and the budget) stays the
  same, and the clock too when the endpoint read it before its first change: a wait, a tap or
  a read that changes nothing leaves the menu's verdicts as they were (the cache rule,
  :mod:`claw_gym.caches`). Read-only calls without record ids or paths are dry-run once per episode and
  remembered: their validity depends on their arguments (dates, ranges), not on the changing state.
  A whole endpoint block is kept as it was when neither the state nor the first ``per_endpoint``
  values of the fields it is filled from (ids of its service, times, addresses, ...) moved;
- ``finish``, ``wait`` and ``help`` always;
- a GUI tap names a clickable element of the current ``obs["ui"]``; back/home keys are
  always offered with the phone. GUI slots are not dry-run (the phone has no side-effect-free
  preview), so a tap the phone refuses (back on the home screen) is the one case where a
  valid slot can answer ``error:``; the world is unchanged then, as for any refused action;
- a shell template when the laptop is a device of the task.

An invalid index still costs a step, as any bad action does: it reaches the env as an
unknown action kind (world unchanged) and ``obs["result"]`` says which slots were open.
"""

from __future__ import annotations

import itertools
import json
import re
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, SupportsFloat

import gymnasium as gym
import numpy as np
from gymnasium import spaces

from claw_gym import actions as A
from claw_gym import caches, clock
from claw_gym.limits import text_size
from claw_gym.services import OWN, SERVICES, TIMELINE

from . import menu_facts as F
from .menu_shell import SHELL_SLOTS, shell_commands
from .menu_templates import GUI_SLOTS, composed_texts, gui_texts, tap_order
from .menu_templates import READS as COMPOSED_READS

ID_RE = re.compile(r"\b[a-z]{1,4}\d{4,6}\b")
EMAIL_RE = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
PHONE_RE = re.compile(r"(?<![\w:-])\+?\d[\d ()-]{6,}\d\b")
TIME_RE = re.compile(r"\b\d{4}-\d{2}-\d{2} \d{2}:\d{2}\b")
MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
# times people write: "Tuesday Mar 17 at 10:30", "Mar 17, 10:30", "March 3rd at 9:05"
PROSE_TIME_RE = re.compile(
    r"\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.? (\d{1,2})(?:st|nd|rd|th)?,? "
    r"(?:at )?(\d{1,2}):(\d{2})\b"
)
DATE_RE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
AMOUNT_RE = re.compile(r"(?<![\d.])\d{1,7}\.\d{2}\b")
WORD_RE = re.compile(r"[A-Za-z][A-Za-z'-]{3,}")
UI_LINE_RE = re.compile(r"^(e\d{1,4})\b(.*)$", re.MULTILINE)  # the phone's listing: "e12 Button "Save" ... click"
QUOTED_RE = re.compile(r'"[^"]*"')
STOPWORDS = frozenset(
    """about after again also back before being between could does done from have into just
    know last like make more most much need next only other over please really same should since some such sure
    take than thanks that their them then there these they thing this those through today tomorrow under until
    very want were what when where which while will with would your yours can you let them sort care handle""".split()
)

ID_PARAMS = ("id",)
ID_LIST_PARAMS = frozenset({"ids"})
TIME_PARAMS = frozenset({"start", "end", "due", "date", "time", "when", "since", "until", "at"})
QUERY_PARAMS = frozenset({"query", "q", "text", "keyword", "keywords", "search"})
BODY_PARAMS = frozenset({"body", "message", "content", "comment", "note", "reply"})
ADDRESS_LIST_PARAMS = frozenset({"to", "cc", "bcc", "recipients", "attendees"})
PHONE_PARAMS = frozenset({"number", "phone", "to"})
AMOUNT_PARAMS = frozenset({"amount", "total", "value", "price"})
SUBJECT_PARAMS = frozenset({"subject"})
TEXT_PARAMS = frozenset({"text"})  # a query of a read, a message of a change
TITLE_PARAMS = frozenset({"title", "name"})
PATH_PARAMS = frozenset({"path", "file"})
FOLDER_PARAMS = frozenset({"dir", "directory"})


@dataclass(frozen=True)
class Choice:
    """One menu entry: a label a person can read and the action text the env receives."""

    label: str
    action: str


#: what endpoint args use; the menu compares the first ``per_endpoint`` values of each to keep a block
VISIBLE_FIELDS = (
    "ids", "emails", "phones", "times", "dates", "amounts", "keywords", "paths", "folders", "quotes", "names",
    "durations",
)  # fmt: skip
#: Visible fields a filler may read beyond their first ``per_endpoint`` values (compared whole)
WHOLE_FIELDS = ("fields",)


@dataclass
class Visible:
    """Values an agent can read in the current observation, newest first."""

    ids: list[str]
    emails: list[str]
    phones: list[str]
    times: list[str]
    dates: list[str]
    amounts: list[float]
    keywords: list[str]
    ui_elements: list[tuple[str, str]]  # (element id, its line) of clickable elements
    fields: list[tuple[str, str]] = field(default_factory=list)  # (key, value) of visible records' fields
    paths: list[str] = field(default_factory=list)  # paths written anywhere visible
    folders: list[str] = field(default_factory=list)  # their folders
    quotes: list[str] = field(default_factory=list)  # phrases the request quotes
    names: list[str] = field(default_factory=list)  # full names the request writes
    durations: list[int] = field(default_factory=list)  # lengths written in prose, in seconds
    windows: list[tuple[str, str]] | None = None
    spans: list[tuple[str, str]] | None = None  # (start, end) of an event, from times and lengths
    owned: dict[str, list[str]] = field(default_factory=dict)  # service -> the ids it holds (filled lazily)
    #: service -> its answers of ``has_record`` so far, for its current state (:class:`Holdings`)
    held: Callable[[Any], dict[str, bool]] | None = None

    def _memo(self, service: Any) -> dict[str, bool]:
        """``service``'s answers of ``has_record`` so far (a fresh dict when none are kept)."""
        return self.held(service) if self.held is not None else {}

    def first_ids(self, service: Any, n: int) -> tuple[str, ...]:
        """The first ``n`` of :meth:`ids_of` (stops scanning once it has them)."""
        hit = self.owned.get(service.name)
        if hit is not None:
            return tuple(hit[:n])
        out: list[str] = []
        memo = self._memo(service)
        for i in self.ids:
            if len(out) == n:
                break
            holds = memo.get(i)
            if holds is None:
                holds = memo[i] = service.has_record(i)
            if holds:
                out.append(i)
        return tuple(out)

    def ids_of(self, service: Any) -> list[str]:
        """The visible ids that name records of ``service`` (computed once a step per service)."""
        hit = self.owned.get(service.name)
        if hit is None:
            memo = self._memo(service)
            hit = []
            for i in self.ids:
                holds = memo.get(i)
                if holds is None:
                    holds = memo[i] = service.has_record(i)
                if holds:
                    hit.append(i)
            self.owned[service.name] = hit
        return hit


class Holdings:
    """Which ids each service of a world holds, remembered while the service's version stays the
    same (the cache rule, :mod:`claw_gym.caches`: a version is never drawn twice, and records change
    only with a new version): the same visible ids are looked up again at every step."""

    def __init__(self) -> None:
        self._memo: dict[str, tuple[tuple[Any, int], dict[str, bool]]] = {}

    def of(self, world: Any) -> Callable[[Any], dict[str, bool]]:
        uid = world.uid

        def held(service: Any) -> dict[str, bool]:
            key = (uid, service.version)
            hit = self._memo.get(service.name)
            if hit is None or hit[0] != key:
                hit = self._memo[service.name] = (key, {})
            return hit[1]

        return held


def _uniq(seq: Any) -> list[Any]:
    return list(dict.fromkeys(seq))


def prose_times(text: str, now: int | None) -> list[str]:
    """Times written in prose, as 'YYYY-MM-DD HH:MM' (the year of ``now``; a month more than
    six months back is taken as next year's)."""
    if now is None:
        return []
    today = clock.to_datetime(now)
    out = []
    for mon, day, hh, mm in PROSE_TIME_RE.findall(text):
        month, year = MONTHS.index(mon.lower()) + 1, today.year
        if month < today.month - 6:
            year += 1
        try:
            out.append(clock.fmt(clock.parse_time(f"{year:04d}-{month:02d}-{int(day):02d} {int(hh):02d}:{mm}")))
        except ValueError:
            continue
    return out


@caches.bounded(64)
def _scanned(text: str) -> tuple[tuple[Any, ...], ...]:
    """The values of one text: (emails, phones, times, dates, amounts) in order of appearance.

    Texts recur from step to step (the instruction, the services, earlier results): each is
    scanned once. The patterns never cross a line break, so the values of texts joined by
    newlines are the concatenation of each text's values.
    """
    return (
        tuple(EMAIL_RE.findall(text)),
        tuple(p.strip() for p in PHONE_RE.findall(text) if not DATE_RE.match(p.strip())),
        tuple(TIME_RE.findall(text)),
        tuple(DATE_RE.findall(text)),
        tuple(float(a) for a in AMOUNT_RE.findall(text)),
    )


@caches.bounded(64)
def _prose_times(text: str, year: int, month: int, now: int) -> tuple[str, ...]:
    return tuple(prose_times(text, now))


@caches.bounded(16)
def _keywords(instruction: str) -> tuple[str, ...]:
    words = [w.lower().strip("'-").removesuffix("'s") for w in WORD_RE.findall(instruction)]
    return tuple(_uniq(w for w in words if w not in STOPWORDS))


def visible_values(obs: dict[str, Any], recalled: list[str] | tuple[str, ...] = ()) -> Visible:
    """Scan the text fields: the last result first, then events newest first, then the rest,
    then ``recalled`` texts (earlier results, newest first)."""
    events = "\n".join(reversed(str(obs.get("events", "")).splitlines()))
    texts = [str(obs.get("result", "")), events, str(obs.get("services", "")), str(obs.get("instruction", ""))]
    texts += recalled
    blob = "\n".join(texts)
    now = _now(obs)
    today = clock.fmt_date(now) if now is not None else None
    keywords = list(_keywords(str(obs.get("instruction", ""))))
    scans = [_scanned(t) for t in texts]
    if now is None:
        prose: list[str] = []
    else:
        day = clock.to_datetime(now)  # prose_times reads the year and the month of now only
        prose = [p for t in texts for p in _prose_times(t, day.year, day.month, now - now % clock.DAY)]
    instruction = str(obs.get("instruction", ""))
    found_paths = _uniq(p for t in texts for p in F.paths(t))
    return Visible(
        ids=ranked_ids(blob, keywords, texts),
        emails=_uniq(v for sc in scans for v in sc[0]),
        phones=_uniq(v for sc in scans for v in sc[1]),
        times=_uniq(prose + [v for sc in scans for v in sc[2]]),
        dates=_uniq(([today] if today else []) + [v for sc in scans for v in sc[3]]),
        amounts=_uniq(v for sc in scans for v in sc[4]),
        keywords=keywords,
        ui_elements=clickable_elements(str(obs.get("ui", ""))),
        fields=_uniq(f for t in texts for f in F.record_fields(t)),
        paths=found_paths,
        folders=F.folders(found_paths),
        quotes=list(F.quoted(instruction)),
        names=list(F.names(instruction)),
        durations=_uniq(d for t in texts for d in F.durations(t)),
    )


def ranked_ids(blob: str, keywords: list[str] | tuple[str, ...], texts: list[str] | None = None) -> list[str]:
    """Record ids in order of relevance to the request, then of appearance (newest first).

    An id's context is its record: from the id to the next id when it opens a JSON object
    (``"id": "t0002", "title": ...``), else from the previous id up to it (event lines end
    with the record id). Its score is how many instruction keywords the context contains,
    so the first slot of ``todo.complete`` tends to hold the to-do the user named.

    ``texts``: the parts ``blob`` joins with newlines. Each part is then scored on its own, once
    per text (:func:`_text_scores`: the texts recur from step to step), and the parts merged: the
    same scores as the whole blob's, since a context never crosses a line break but where a JSON
    record runs to its part's end (that blob is scored whole).
    """
    words = tuple(keywords)
    if texts is not None:
        parts = [_text_scores(t, words) for t in texts]
        if all(safe for _, safe in parts[:-1]):
            best: dict[str, int] = {}
            for scores, _ in parts:
                for i, score in scores:
                    if score > best.get(i, -1):
                        best[i] = score
            return sorted(best, key=lambda i: -best[i])
    whole, _ = _scores(blob, words)
    return sorted(whole, key=lambda i: -whole[i])


@caches.bounded(128)
def _text_scores(text: str, keywords: tuple[str, ...]) -> tuple[tuple[tuple[str, int], ...], bool]:
    """(each id's best score in ``text`` alone, in order of first appearance; whether those are its
    scores inside any blob that joins it with a newline and more text: no JSON record runs to its
    end unclosed, and no final sigma, whose lower case depends on what follows)."""
    scores, last = _scores(text, keywords)
    safe = "\u03a3" not in text
    if safe and last is not None and text[max(0, last.start() - 7) : last.start()] == '"id": "':
        safe = "}" in text[last.end() :] or last.end() + 400 <= len(text)
    return tuple(scores.items()), safe


def _scores(blob: str, keywords: tuple[str, ...]) -> tuple[dict[str, int], re.Match[str] | None]:
    """Each id's best score in ``blob``, in order of first appearance (see :func:`ranked_ids`), and
    the last id found."""
    hits = list(ID_RE.finditer(blob))
    low = blob.lower()
    if len(low) != len(blob):  # a character whose lower case is longer: slice, then lower, as written
        low = ""
    best: dict[str, int] = {}
    for k, m in enumerate(hits):
        if blob[max(0, m.start() - 7) : m.start()] == '"id": "':
            nxt = hits[k + 1].start() if k + 1 < len(hits) else len(blob)
            end = blob.find("}", m.end(), nxt)
            lo, hi = m.end(), min(nxt, m.end() + 400, end if end >= 0 else nxt)
        else:
            prev = hits[k - 1].end() if k else 0
            lo, hi = max(prev, m.start() - 400, blob.rfind("\n", prev, m.start()) + 1), m.start()
        context = low[lo:hi] if low else blob[lo:hi].lower()
        score = sum(1 for w in keywords if w in context)
        if score > best.get(m.group(0), -1):
            best[m.group(0)] = score
    return best, hits[-1] if hits else None


def clickable_elements(ui: str) -> list[tuple[str, str]]:
    """Elements of the phone's listing flagged ``click`` (flags outside quoted text)."""
    return list(_clickable(ui))


@caches.bounded(8)
def _clickable(ui: str) -> tuple[tuple[str, str], ...]:
    """The listing rarely changes from one step to the next: each is read once."""
    out = []
    for el, rest in UI_LINE_RE.findall(ui):
        if re.search(r"\bclick\b", QUOTED_RE.sub("", rest)):
            out.append((el, rest.split(" [")[0].strip()[:48]))
    return tuple(out)


def _now(obs: dict[str, Any]) -> int | None:
    m = TIME_RE.search(str(obs.get("time", "")))
    return clock.parse_time(m.group(0)) if m else None


# ---- dry run -------------------------------------------------------------------------------------
class StaleVerdictError(AssertionError):
    """``check_reads`` mode found a kept verdict that a fresh dry run contradicts: an endpoint's
    ``reads`` declaration misses a part of the world its verdict depends on (a bug to fix there)."""


def _fits(budget: Any, size: int) -> bool:
    """The budget's answer for a mutating call of ``size`` characters (``Budget.check``)."""
    return bool(budget.chars + size <= budget.limits.chars)


def _read_parts(world: Any, svc: Any, ep: Any) -> tuple[Any, ...] | None:
    """The parts of ``world`` (objects with a ``version``) whose state ``ep``'s verdicts depend on,
    from its ``reads`` declaration; None when it declares nothing (the whole world, then). A
    declared service this world lacks adds nothing: its absence is fixed for the world's life."""
    if ep.reads is None:
        return None
    parts = []
    for name in ep.reads:
        if name == OWN:
            parts.append(svc)
        elif name == TIMELINE:
            parts.append(world.timeline)
        elif name in world.services:
            parts.append(world.services[name])
    return tuple(parts)


def call_is_valid(world: Any, call: str, args: dict[str, Any]) -> bool:
    """Would ``world.call(call, args, source="api")`` succeed now? The world's own dry run decides,
    through the same door as an API action, and changes nothing."""
    return bool(world.check_call(call, args, "api").accepted)


# ---- argument filling ------------------------------------------------------------------------------
def _fills(param: Any, tname: str, service: Any, seen: Visible, mutates: bool = False) -> list[Any] | None:
    """Candidate values for one required parameter (``tname``: its type name), or None if nothing
    visible fits. ``mutates``: the endpoint changes the world (its ``text`` is a message, not a query)."""
    name = param.name
    if name in ID_PARAMS or name.endswith("_id"):
        return seen.ids_of(service) or None
    if tname == "list[string]" and name in ID_LIST_PARAMS:  # one record, or a batch of the newest, in id order
        ids = seen.ids_of(service)
        return [[i] for i in ids[:2]] + [sorted(ids[:k]) for k in (2, 3) if len(ids) >= k] or None
    if tname == "list[string]" and name in ADDRESS_LIST_PARAMS:
        return [[e] for e in seen.emails] or None
    if tname == "string" and name in PHONE_PARAMS and seen.phones:
        return list(seen.phones)
    if tname == "string" and (name in ADDRESS_LIST_PARAMS or name == "email"):
        return list(seen.emails) or None
    if tname == "string" and (name == "date" or name.endswith("_date")):
        return seen.dates + seen.times or None
    if tname == "string" and (name in TIME_PARAMS or name.endswith("_time")):
        return seen.times + seen.dates or None
    if tname == "string" and (name in BODY_PARAMS or (mutates and name in TEXT_PARAMS)):
        return composed_texts(seen)
    if tname == "string" and name in QUERY_PARAMS:
        return [""] + seen.names[:2] + seen.keywords[:3]
    if tname == "string" and name in SUBJECT_PARAMS:
        return F.subjects(seen.fields) + ["Update"]
    if tname == "number" and name in AMOUNT_PARAMS:
        return list(seen.amounts) or None
    if param.choices:
        return _named_first(param.choices, seen)
    if tname == "string" and name in TITLE_PARAMS:
        return list(seen.quotes) or None  # a phrase the request quotes (not an existing record's title)
    if tname == "string" and name in PATH_PARAMS:
        return _uniq(F.field_values(seen.fields, name) + seen.paths) or None
    if tname == "string" and name in FOLDER_PARAMS:
        return seen.folders or None
    if tname == "string":  # a field of a visible record of the same name (a channel, a merchant, ...)
        return F.field_values(seen.fields, name) or None
    return None


def _named_first(choices: tuple[str, ...], seen: Visible) -> list[str]:
    """An enumeration's values, those the request names first (``urgent``, ``meals``), else in
    their declared order."""
    named = set(seen.keywords[:NAMED_WORDS])
    return sorted(choices, key=lambda v: v.lower() not in named)


def _optional_fills(param: Any, tname: str, seen: Visible, mutates: bool) -> list[Any]:
    """Values an optional parameter is also offered with (each alone, besides leaving it out): a
    flag set, an enumeration's values (the endpoint's declared schema), and for a read a query by
    the request's names and words or a folder seen in a path."""
    if tname == "boolean":
        return [True]
    if param.choices:
        return _named_first(param.choices, seen)
    if mutates or tname != "string":
        return []
    if param.name in QUERY_PARAMS:
        return seen.names[:2] + seen.keywords[:3]
    if param.name in FOLDER_PARAMS:
        return list(seen.folders)
    return F.field_values(seen.fields, param.name)  # a filter by a value the records show ("kind": "signin")


#: optional parameters of a read never offered set (a range, a phone number: their own rules cover them)
READ_RANGE_PARAMS = TIME_PARAMS | PHONE_PARAMS | {"sender", "pattern"}
NAMED_WORDS = 8  # request words an enumeration's values are looked up in
#: Visible fields whose values a read's validity cannot depend on the state for (not ids, paths, fields)
ARGUMENT_ONLY = frozenset({"dates", "times", "keywords", "names", "emails", "phones", "amounts"})
#: the Visible fields of the template facts (the menu keeps a block while they stay the same)
FACT_DEPS = frozenset({"fields", "paths", "folders", "quotes", "names", "keywords"})  # keywords: enumerations


def _param_deps(name: str, tname: str, mutates: bool = False) -> frozenset[str]:
    """The ``Visible`` fields :func:`_fills` (and :func:`_optional_fills`) may read for one
    parameter (its rules, in its order: a rule that can fall through to the next one adds its
    field and goes on). Over-approximated: a block rebuilt for nothing costs a little time, a block
    kept when its inputs moved would offer a stale slot."""
    deps: set[str] = set()
    if name in ID_PARAMS or name.endswith("_id") or (tname == "list[string]" and name in ID_LIST_PARAMS):
        return frozenset({"ids"})
    if tname == "list[string]" and name in ADDRESS_LIST_PARAMS:
        return frozenset({"emails"})
    if tname == "string" and name in PHONE_PARAMS:
        deps.add("phones")  # taken only when a phone number is visible
    if tname == "string" and (name in ADDRESS_LIST_PARAMS or name == "email"):
        deps.add("emails")
    elif tname == "string" and (name == "date" or name.endswith(("_date", "_time")) or name in TIME_PARAMS):
        deps |= {"dates", "times"}
    elif tname == "string" and (name in BODY_PARAMS or (mutates and name in TEXT_PARAMS)):
        deps |= COMPOSED_READS
    elif tname == "string" and name in QUERY_PARAMS:
        deps |= {"keywords", "names"}
    elif tname == "number" and name in AMOUNT_PARAMS:
        deps.add("amounts")
    elif tname == "string":
        deps |= FACT_DEPS
    return frozenset(deps)


def _windows(seen: Visible) -> list[tuple[str, str]]:
    """(start, end) date windows around today, for endpoints that need both (computed once a step)."""
    if seen.windows is None:
        seen.windows = []
        if seen.dates:
            day = clock.parse_time(seen.dates[0])
            spans = ((0, 1), (0, 8), (-30, 30))  # today; the week through next <weekday>; two months
            seen.windows = [
                (clock.fmt_date(day + a * clock.DAY), clock.fmt_date(day + b * clock.DAY)) for a, b in spans
            ]
    return seen.windows


def _spans(seen: Visible) -> list[tuple[str, str]]:
    """(start, end) of an event from visible times and lengths (computed once a step)."""
    if seen.spans is None:
        # from the first times and lengths only: the menu keeps a block while those stay the same
        seen.spans = F.spans(seen.times[: F.SPAN_TIMES], seen.durations[: F.SPAN_LENGTHS], F.SPAN_STARTS)
    return seen.spans


@dataclass(frozen=True)
class _Plan:
    """What of an endpoint's signature the filler needs (computed once per endpoint)."""

    required: tuple[tuple[Any, str], ...]  # (parameter, its type name)
    pair: bool  # needs both 'start' and 'end'
    optional_times: tuple[str, ...]  # optional 'start'/'due' an id-only editor may move
    id_editor: bool
    static: bool  # a read without record ids or paths: its validity depends on the arguments only
    deps: frozenset[str]  # the Visible fields its candidates are built from
    mutates: bool  # its verdict also depends on the episode's budget
    optional: tuple[tuple[Any, str], ...] = ()  # optional parameters offered set (flags, enumerations, ...)
    moves_span: bool = False  # an id-only editor with optional 'start' and 'end': it may move both

    @cached_property
    def seen_deps(self) -> frozenset[str]:
        """``deps`` but "ids" and "fields", which the menu compares per block: an id parameter takes
        only the visible ids its own service holds (``Visible.ids_of``: ``ids:<service>``), and the
        records' fields are read only under the names in :attr:`field_keys`."""
        return self.deps - _PER_BLOCK

    @cached_property
    def field_keys(self) -> frozenset[str]:
        """The record fields' names the filler may read (``F.field_values`` by a parameter's name,
        ``F.subjects``): every parameter's name and "subject" (over-approximated)."""
        return frozenset({p.name for p, _ in self.required + self.optional} | {"subject"})

    @classmethod
    def of(cls, ep: Any) -> _Plan:
        required = tuple((p, p.type_name()) for p in ep.params if p.required)
        names = {p.name for p, _ in required}
        pair = {"start", "end"} <= names
        optional_times = tuple(p.name for p in ep.params if not p.required and p.name in ("start", "due"))
        id_editor = bool(ep.mutates and names and names <= set(ID_PARAMS))
        moves_span = id_editor and {"start", "end"} <= {p.name for p in ep.params if not p.required}
        optional = tuple(
            (p, p.type_name())
            for p in ep.params
            if not p.required
            and (
                p.type_name() == "boolean"
                or p.choices
                or (not ep.mutates and p.type_name() == "string" and p.name not in READ_RANGE_PARAMS)
            )
        )
        deps: set[str] = {"dates"} if pair else set()
        if pair and ep.mutates:
            deps |= {"times", "durations"}
        for p, tname in required:
            if not (pair and p.name in ("start", "end")):
                deps |= _param_deps(p.name, tname, bool(ep.mutates))
        for p, tname in optional:
            deps |= _param_deps(p.name, tname, bool(ep.mutates)) | ({"folders"} if p.name in FOLDER_PARAMS else set())
        if id_editor and optional_times:
            deps.add("times")
        if moves_span:
            deps |= {"times", "durations"}
        return cls(
            required,
            pair,
            optional_times,
            id_editor,
            not ep.mutates
            and all(_param_deps(p.name, t) <= ARGUMENT_ONLY for p, t in required)
            and not any(p.name in FOLDER_PARAMS | PATH_PARAMS for p, _ in optional),  # a folder may come or go
            frozenset(deps),
            bool(ep.mutates),
            optional,
            moves_span,
        )


_PER_BLOCK = frozenset({"ids", "fields"})


def _combines(ep: Any) -> bool:
    """Does ``ep`` change the world from a combination of arguments (more than one to fill)?"""
    plan = _Plan.of(ep)
    return plan.mutates and len(plan.required) + len(plan.optional) + plan.moves_span >= 2


def _ranked(sizes: list[int], total: int) -> Iterator[tuple[int, ...]]:
    """Index tuples (one index per list of ``sizes``) whose indices add up to ``total``, in order."""
    if not sizes:
        if total == 0:
            yield ()
        return
    rest = sum(n - 1 for n in sizes[1:])
    for i in range(max(0, total - rest), min(sizes[0] - 1, total) + 1):
        for tail in _ranked(sizes[1:], total - i):
            yield (i, *tail)


def _diagonal(sizes: list[int]) -> Iterator[tuple[int, ...]]:
    """Every index tuple, those of the first values of each list first (by the sum of the indices):
    the first slots of a block hold the first id with the first text, then the second id or the
    second text, rather than one id with every text."""
    for total in range(sum(n - 1 for n in sizes) + 1):
        yield from _ranked(sizes, total)


@caches.bounded(256)
def _diagonal_prefix(sizes: tuple[int, ...], n: int) -> tuple[tuple[int, ...], ...]:
    """The first ``n`` index tuples of :func:`_diagonal` (the same few shapes recur every step)."""
    return tuple(itertools.islice(_diagonal(list(sizes)), n))


def endpoint_args(
    ep: Any, service: Any, seen: Visible, limit: int, plan: _Plan | None = None
) -> Iterator[dict[str, Any]]:
    """Argument dicts for ``ep`` built from visible values, in a stable order (newest first)."""
    plan = plan if plan is not None else _Plan.of(ep)
    lists: list[list[tuple[str, Any]]] = []
    if plan.pair:
        if plan.mutates:  # an event to create: a visible time and its end
            lists.append([("__window__", s) for s in _spans(seen)[: limit * 2]])
        else:  # a range to read: windows around today
            lists.append([("__window__", w) for w in _windows(seen)])
        if not lists[-1]:
            return
    for p, tname in plan.required:
        if plan.pair and p.name in ("start", "end"):
            continue
        vals = _fills(p, tname, service, seen, plan.mutates)
        if not vals:
            return
        lists.append([(p.name, v) for v in vals[:limit]])
    # endpoints that edit a record: also offer moving it to a visible time (optional 'start'/'due'),
    # or both its start and its end (a visible time and its end)
    if plan.id_editor and (plan.optional_times or plan.moves_span) and seen.times:
        moves: list[tuple[str, Any]] = [("", None)]
        if plan.moves_span:
            moves += [("__window__", s) for s in _spans(seen)[:limit]]
        moves += [(n, t) for n in plan.optional_times for t in seen.times[:limit]]
        lists.append(moves)
    # optional parameters, one at a time (a flag, a value of an enumeration, a query)
    extra = [(p.name, v) for p, tname in plan.optional for v in _optional_fills(p, tname, seen, plan.mutates)[:limit]]
    if extra:
        lists.append([("", None), *extra])
    # an editor edits the most relevant record first: every edit of the first id, then the next id's;
    # other endpoints combine their first values first (the first id with the first text, then the
    # second id or the second text)
    if plan.id_editor:
        order: Iterable[tuple[int, ...]] = itertools.product(*[range(len(x)) for x in lists])
    else:  # no combination is skipped: the first limit * 4 are all it takes
        order = _diagonal_prefix(tuple([len(x) for x in lists]), limit * 4)
    made = 0
    for combo in order:
        if made == limit * 4:
            break
        args: dict[str, Any] = {}
        for at, k in enumerate(combo):
            key, value = lists[at][k]
            if key == "__window__":
                args["start"], args["end"] = value
            elif key:
                args[key] = value
        if plan.id_editor and len(lists) > len(plan.required) and set(args) <= set(ID_PARAMS):
            continue  # an editor's call that edits nothing (kept only when there is nothing to edit)
        made += 1
        yield args


def _freeze(args: dict[str, Any]) -> tuple[Any, ...]:
    """A hashable key for an argument dict (values are strings, numbers or lists of strings)."""
    return tuple((k, tuple(v) if isinstance(v, list) else v) for k, v in args.items())


def _label(call: str, args: dict[str, Any]) -> str:
    inner = ", ".join(f"{k}={json.dumps(v, ensure_ascii=False)}" for k, v in args.items())
    return f"{call}({inner})"


# ---- the wrapper -----------------------------------------------------------------------------------
Block = tuple[str, int]  # (name, number of slots)


class ActionMenu(gym.Wrapper):
    """``Discrete(N)`` actions over a per-step menu; ``action_masks()`` for MaskablePPO.

    ``info["menu"]`` lists the label of every slot ("" when empty) and
    ``info["action_mask"]`` the mask, at reset and after every step.

    Args:
        per_endpoint: slots per endpoint block.
        per_change: slots of the block of an endpoint that changes the world and takes several
            arguments (an id and a message, a title and a time): its candidates are combinations,
            and the right one is rarely among the first ``per_endpoint``.
        waits: lengths (virtual seconds) of the offered ``wait`` actions; each ends early at the
            first arrival (a new event), as ``wait`` does by default.
        sleeps: lengths of the offered ``wait`` actions with ``wake=False`` (they sleep through
            arrivals, e.g. to let a known time come).
        finish_message: the message of the ``finish`` action.
        services: service names to give blocks to (default: every registered service).
        ui_slots: element taps offered when the observation has a ``ui`` key.
        shell_templates: commands offered when the laptop is a device of the task.
        recall: how many earlier results still count as seen (an id read two steps ago can
            be combined with a time read now).
        check_reads: debug mode: every kept dry-run verdict is checked against a fresh dry run and
            every block is refilled; a difference raises :class:`StaleVerdictError` (an endpoint's
            ``reads`` declaration misses something). Slower; for tests.
    """

    def __init__(
        self,
        env: gym.Env,
        per_endpoint: int = 4,
        per_change: int = 8,
        waits: tuple[int, ...] = (600, 3600),
        sleeps: tuple[int, ...] = (3600,),
        finish_message: str = "Done.",
        services: list[str] | None = None,
        ui_slots: int = 16,
        shell_templates: tuple[str, ...] = ("pwd", "ls -la"),
        recall: int = 3,
        check_reads: bool = False,
    ) -> None:
        super().__init__(env)
        self.check_reads = check_reads
        self._recalled: deque[str] = deque(maxlen=recall)  # earlier results, newest first
        self._last_result = ""
        self.per_endpoint, self.per_change = per_endpoint, max(per_change, per_endpoint)
        self.waits, self.sleeps, self.finish_message = tuple(waits), tuple(sleeps), finish_message
        self.service_names = sorted(services if services is not None else SERVICES)
        self.ui_slots, self.shell_templates = ui_slots, tuple(shell_templates)
        self.stable_taps = False  # menu_templates.tap_order: True places taps by what they show
        self.relevant_taps = False  # ... and True here keeps its first slots for what the request names
        self.blocks: list[Block] = [("core", 2 + len(self.waits) + len(self.sleeps))]
        for name in self.service_names:
            for ep in SERVICES[name].endpoints.values():
                self.blocks.append((f"{name}.{ep.name}", self.per_change if _combines(ep) else per_endpoint))
        self.blocks += [("gui", ui_slots + 2 + GUI_SLOTS), ("shell", len(self.shell_templates) + SHELL_SLOTS)]
        self._offset: dict[str, int] = {}
        self._size = dict(self.blocks)
        self._empty: list[Choice | None] = [None] * max(self._size.values())
        n = 0
        for name, size in self.blocks:
            self._offset[name] = n
            n += size
        self.action_space = spaces.Discrete(n)
        # the fixed entries, built once (each is a JSON text): core, the phone's keys, shell templates
        self._core = [Choice(f"finish({finish_message!r})", A.finish(finish_message))]
        self._core += [Choice(f"wait({s})", A.wait(s)) for s in self.waits]
        self._core += [Choice(f"wait({s}, wake=False)", A.wait(s, wake=False)) for s in self.sleeps]
        self._core.append(Choice("help()", A.api("help")))
        self._keys = (Choice("key(back)", A.key("back")), Choice("key(home)", A.key("home")))
        self._shell = [Choice(f"shell({cmd!r})", A.shell(cmd)) for cmd in self.shell_templates]
        self._taps: dict[tuple[str, str], Choice] = {}  # (element, its line) -> its tap
        self._choices: list[Choice | None] = [None] * n
        self._labels: list[str] = [""] * n  # each slot's label, "" when empty (what menu() lists)
        self._no_labels: list[str] = [""] * max(self._size.values())
        self._mask = np.zeros(n, dtype=bool)
        self._static_valid: dict[tuple[str, Any], bool] = {}
        self._choice_cache: dict[tuple[str, Any], Choice] = {}  # the same candidates recur every step
        self._holdings = Holdings()  # which visible ids each service holds, per version
        self._plans: dict[str, _Plan] = {}  # block -> what the filler needs of the endpoint's signature
        # the state of the last build: (world uid, version, budget); None: build every block afresh
        self._state: tuple[Any, ...] | None = None
        # per block, the dry-run verdicts of the current state of what its endpoint reads: per candidate,
        # (accepted, the clock when it read it or None, its size, the budget's answer for that size)
        self._verdicts: dict[str, dict[tuple[str, Any], tuple[bool, int | None, int, bool | None]]] = {}
        self._block_state: dict[str, tuple[Any, ...]] = {}  # block -> the key its verdicts hold for
        self._block_size: dict[str, int] = {}  # block -> its largest dry-run candidate, in characters
        # the endpoint blocks as built last: their slots stand while the state and the Visible fields
        # they are built from stay the same (and the clock, for a block whose verdicts read it)
        self._api_blocks = [b for b, _ in self.blocks if b not in ("core", "gui", "shell")]
        self._seen_fields: dict[str, tuple[Any, ...]] | None = None
        self._block_clock: dict[str, int] = {}  # block -> the clock its verdicts read
        self._block_fields: dict[str, tuple[Any, ...]] = {}  # block -> the record fields it was built from
        self._table: tuple[Any, list[tuple[Any, Any, str, _Plan, tuple[Any, ...] | None]]] = (None, [])

    # ---- capabilities, discovered from the env and the observation -----------------------------
    def _world(self) -> Any:
        return getattr(self.env.unwrapped, "world", None)

    def has_shell(self) -> bool:
        task = getattr(self.env.unwrapped, "task", None)
        return task is not None and "laptop" in getattr(task, "devices", ())

    # ---- building -----------------------------------------------------------------------------
    def _clear(self, block: str) -> None:
        start = self._offset[block]
        end = start + self._size[block]
        self._choices[start:end] = self._empty[: end - start]
        self._labels[start:end] = self._no_labels[: end - start]
        self._mask[start:end] = False

    def _put(self, block: str, k: int, choice: Choice) -> None:
        at = self._offset[block] + k
        self._choices[at] = choice
        self._labels[at] = choice.label
        self._mask[at] = True

    def build(self, obs: dict[str, Any]) -> None:
        """Fill the slots from the observation and the world (called after reset and step)."""
        for block in ("gui", "shell"):
            self._clear(block)
        for k, choice in enumerate(self._core):  # always all of them
            self._put("core", k, choice)
        seen = visible_values(obs, tuple(self._recalled))
        world = self._world()
        if world is not None:
            seen.held = self._holdings.of(world)
            self._build_api(world, seen)
        else:
            self._state = None
            for block in self._api_blocks:
                self._clear(block)
        if "ui" in obs:
            ranked = seen.keywords if self.relevant_taps else ()
            for k, (el, what) in tap_order(seen.ui_elements, self.ui_slots, self.stable_taps, ranked):
                tap = self._taps.get((el, what))
                if tap is None:
                    if len(self._taps) > 4096:  # bounded: element lines of screens long gone
                        self._taps.clear()
                    tap = self._taps[(el, what)] = Choice(f"tap({el} {what})", A.tap(element=el))
                self._put("gui", k, tap)
            self._put("gui", self.ui_slots, self._keys[0])
            self._put("gui", self.ui_slots + 1, self._keys[1])
            for k, label, fields in gui_texts(obs):  # typed names and codes, gestures
                self._put("gui", self.ui_slots + 2 + k, Choice(label, json.dumps({"kind": "gui", **fields})))
        if self.has_shell():
            for k, choice in enumerate(self._shell):
                self._put("shell", k, choice)
            held = [world.services[n] for n in self.service_names if n in world.services] if world is not None else []
            for k, cmd in shell_commands(held, seen):  # commands over visible ids and paths
                self._put("shell", len(self._shell) + k, Choice(f"shell({cmd!r})", A.shell(cmd)))

    def _valid(
        self, world: Any, call: str, key: tuple[str, Any], args: dict[str, Any], plan: _Plan, verdicts: dict
    ) -> bool:
        """The world's dry run, once per candidate and state of what the endpoint reads (see the
        module's doc); read-only calls without record ids once per episode: their validity depends
        on the arguments only. ``verdicts``: the block's verdicts of the current state of its reads."""
        if plan.static:
            hit = self._static_valid.get(key)
            if hit is None:
                hit = self._static_valid[key] = bool(world.check_call(call, args, "api").accepted)
            return hit
        now = world.clock.now
        verdict = verdicts.get(key)
        if verdict is not None and verdict[1] is not None and verdict[1] != now:
            verdict = None  # it read the clock, which moved
        if verdict is not None and plan.mutates and verdict[3] != _fits(world.budget, verdict[2]):
            verdict = None  # the budget's answer for this call's size moved
        if verdict is not None and self.check_reads:
            self._recheck(world, call, args, verdict[0])
        if verdict is None:
            found = world.check_call(call, args, "api")
            size = text_size(args) if plan.mutates else 0
            verdict = verdicts[key] = (
                found.accepted,
                now if found.reads_clock else None,
                size,
                _fits(world.budget, size) if plan.mutates else None,
            )
            if plan.mutates and size > self._block_size.get(call, 0):
                self._block_size[call] = size
        if verdict[1] is not None:
            self._block_clock[call] = now  # this block's slots hold for this clock only
        return verdict[0]

    def _recheck(self, world: Any, call: str, args: dict[str, Any], kept: bool) -> None:
        """``check_reads`` mode: a kept verdict must be what a fresh dry run says now, else the
        endpoint's ``reads`` declaration missed a part of the world its verdict depends on."""
        fresh = world.check_call(call, args, "api")
        if fresh.accepted != kept:
            ep = SERVICES[call.partition(".")[0]].endpoints[call.partition(".")[2]]
            raise StaleVerdictError(
                f"{call}({_freeze(args)}): the menu kept verdict {kept} but a dry run now says {fresh.accepted} "
                f"({fresh.error}); its declared reads {ep.reads} miss what changed"
            )

    def _block_key(self, world: Any, block: str, plan: _Plan, parts: tuple[Any, ...] | None) -> tuple[Any, ...]:
        """What a block's verdicts depend on besides the clock: the versions of the parts its endpoint
        reads (the whole world's when undeclared) and, for a mutating endpoint, the budget's answer
        for the largest candidate it dry-ran (exact: each verdict checks its own size again)."""
        versions = (world.version,) if parts is None else tuple([p.version for p in parts])
        if not plan.mutates:
            return versions
        budget = world.budget
        room = _fits(budget, self._block_size.get(block, 0))
        return (*versions, budget.records_spent, None if room else budget.chars)

    def _build_api(self, world: Any, seen: Visible) -> None:
        """Rebuild the endpoint blocks whose slots may have changed since the last build.

        A block's slots are a function of the state of what its endpoint reads (the verdicts), of
        the first ``per_endpoint`` values of each Visible field its plan reads (the filler uses no
        more; of the ids, those its own service holds; of the records' fields, those under the names
        in ``plan.field_keys``), and, when a verdict read it, of the clock: a block none of these
        moved for keeps its slots. A new world or episode rebuilds every block.
        """
        limit = max(self.per_change, F.SPAN_TIMES, NAMED_WORDS)  # the most values of a field a filler takes
        fields = {name: tuple(getattr(seen, name)[:limit]) for name in VISIBLE_FIELDS}
        fields.update({name: tuple(getattr(seen, name)) for name in WHOLE_FIELDS})
        now = world.clock.now
        last = self._seen_fields or {}
        fresh = self._state is None or self._state[0] != world.uid or self._seen_fields is None
        if fresh:  # another world or episode: start over
            self._verdicts, self._block_clock, self._block_state, self._block_size = {}, {}, {}, {}
            self._block_fields = {}
            for block in self._api_blocks:
                self._clear(block)
            moved: set[str] = set()
        else:
            moved = {name for name, value in fields.items() if value != last.get(name)}
        # nothing changed anywhere (a wait with no arrival, a read): every block's reads are as they were
        same_world = not fresh and self._state == (world.uid, world.version, world.budget.snapshot())
        self._state = (world.uid, world.version, world.budget.snapshot())
        self._seen_fields = fields
        check = self.check_reads
        record_fields = fields["fields"]
        sliced: dict[frozenset[str], tuple[Any, ...]] = {}  # field names -> the visible fields of those names

        def fields_of(keys: frozenset[str]) -> tuple[Any, ...]:
            hit = sliced.get(keys)
            if hit is None:
                hit = sliced[keys] = tuple([kv for kv in record_fields if kv[0] in keys])
            return hit

        for svc, ep, block, plan, parts in self._endpoints(world):
            if "ids" in plan.deps:
                ids_key = f"ids:{svc.name}"  # an id parameter takes the visible ids this service holds
                if ids_key not in fields:
                    fields[ids_key] = seen.first_ids(svc, limit)
                    if fields[ids_key] != last.get(ids_key):
                        moved.add(ids_key)
            built = self._block_state.get(block)
            if built is None:
                key = None  # never built in this episode
            elif same_world and not check:
                key = built
            else:
                key = self._block_key(world, block, plan, parts)
            if key is None or key != built:  # the verdicts of another state of its reads
                self._verdicts[block] = {}
                self._clear(block)
                self._block_clock.pop(block, None)
            else:
                read = self._block_clock.get(block)
                if (
                    (read is None or read == now)
                    and not (plan.seen_deps & moved)
                    and not ("ids" in plan.deps and f"ids:{svc.name}" in moved)
                    and not (
                        "fields" in plan.deps
                        and "fields" in moved
                        and fields_of(plan.field_keys) != self._block_fields.get(block)
                    )
                    and not check
                ):
                    continue  # the same inputs: the same slots
                self._clear(block)
                self._block_clock.pop(block, None)
            verdicts = self._verdicts[block]
            k, size = 0, self._size[block]
            for args in endpoint_args(ep, svc, seen, size, plan):
                if k == size:
                    break
                ckey = (block, _freeze(args))
                if self._valid(world, block, ckey, args, plan, verdicts):
                    choice = self._choice_cache.get(ckey)
                    if choice is None:
                        choice = Choice(_label(block, args), A.api(block, **args))
                        self._choice_cache[ckey] = choice
                    self._put(block, k, choice)
                    k += 1
            self._block_state[block] = self._block_key(world, block, plan, parts)
            if "fields" in plan.deps:
                self._block_fields[block] = fields_of(plan.field_keys)

    def _endpoints(self, world: Any) -> list[tuple[Any, Any, str, _Plan, tuple[Any, ...] | None]]:
        """(service, endpoint, block, plan, the parts its verdicts read or None) of every block this
        world serves through the API door, in slot order (listed once per world)."""
        if self._table[0] != world.uid:
            rows = []
            for name in self.service_names:
                svc = world.services.get(name)
                if svc is None:
                    continue
                for ep in svc.endpoints.values():
                    block = f"{name}.{ep.name}"
                    if block not in self._offset or not svc.serves(ep.name, "api"):
                        continue
                    plan = self._plans.get(block)
                    if plan is None:
                        plan = self._plans[block] = _Plan.of(ep)
                    rows.append((svc, ep, block, plan, _read_parts(world, svc, ep)))
            self._table = (world.uid, rows)
        return self._table[1]

    # ---- gym API --------------------------------------------------------------------------------
    def action_masks(self) -> np.ndarray:
        return self._mask.copy()

    def menu(self) -> list[str]:
        return self._labels.copy()  # kept slot by slot as the slots are filled and cleared

    def choice(self, index: int) -> Choice | None:
        return self._choices[int(index)] if 0 <= int(index) < len(self._choices) else None

    def _annotate(self, info: dict[str, Any]) -> dict[str, Any]:
        info = dict(info)
        info["menu"] = self.menu()
        info["action_mask"] = self.action_masks()
        return info

    def reset(self, *, seed: int | None = None, options: dict[str, Any] | None = None) -> tuple[Any, dict]:
        obs, info = self.env.reset(seed=seed, options=options)
        self._static_valid, self._choice_cache = {}, {}
        self._state = None  # a new episode: every block is built afresh
        self._recalled.clear()
        self._last_result = obs.get("result", "")
        self.build(obs)
        return obs, self._annotate(info)

    def step(self, action: Any) -> tuple[Any, SupportsFloat, bool, bool, dict[str, Any]]:
        index = int(np.asarray(action).item()) if not isinstance(action, (int, np.integer)) else int(action)
        choice = self.choice(index) if 0 <= index < len(self._mask) and self._mask[index] else None
        if choice is None:
            obs, reward, terminated, truncated, info = self.env.step(json.dumps({"kind": "menu", "slot": index}))
            open_slots = int(self._mask.sum())
            obs = dict(obs)
            obs["result"] = (
                f"error: menu slot {index} is not available this step ({open_slots} slots are; "
                "see info['action_mask'] and info['menu'])"
            )
            info = dict(info, error=obs["result"][7:])
        else:
            obs, reward, terminated, truncated, info = self.env.step(choice.action)
        if self._last_result and not self._last_result.startswith("error:"):
            self._recalled.appendleft(self._last_result)
        self._last_result = obs.get("result", "")
        self.build(obs)
        return obs, reward, terminated, truncated, self._annotate(info)
