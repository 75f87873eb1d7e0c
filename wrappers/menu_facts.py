"""Visible facts the action menu fills arguments from, beyond ids, times and amounts.

An endpoint whose arguments are a title, a channel, a path or an end time cannot be put on a
menu from ids and times alone. Each function here reads one kind of fact from what the
observation shows (a record's fields in a result, a path in a listing, a name or a quoted
phrase of the request, a length written in prose) so that the menu's argument filler can offer
it. Nothing here knows a family or a service: a record field is offered to the parameter of
the same name, whatever the service.
"""

from __future__ import annotations

import re

from claw_gym import caches, clock

#: ``"key": "value"`` in a JSON result (a record's field as the service wrote it)
FIELD_RE = re.compile(r'"([a-z][a-z_]{1,23})": "((?:[^"\\]|\\.){1,160})"')
#: a relative or home path without spaces: ``Documents/Receipts/x.txt``, ``~/Downloads``
PATH_RE = re.compile(r"(?<![\w/.~-])~?/?(?:[A-Za-z0-9_.-]+/)+[A-Za-z0-9_.-]*[A-Za-z0-9_]")
#: a phrase the request puts in quotes ('post the present', "Q3 review")
QUOTE_RE = re.compile(r"(?<!\w)'([^'\n]{3,60})'(?!\w)|\"([^\"\n]{3,60})\"")
#: a full name the request writes: two capitalised words
NAME_RE = re.compile(r"\b([A-Z][a-z]+ [A-Z][a-z]+(?:-[A-Z][a-z]+)?)\b")
#: lengths written in prose: "30 min", "45-minute", "one-hour", "an hour", "2 hours"
MINUTES_RE = re.compile(r"\b(\d{1,3})[ -]?min(?:ute)?s?\b", re.IGNORECASE)
HOURS_RE = re.compile(r"\b(an|one|two|three|\d)[ -]hours?\b", re.IGNORECASE)
WORD_NUMBERS = {"an": 1, "one": 1, "two": 2, "three": 3}
#: how many visible times an event's (start, end) pairs start at, end at, and lengths they take
SPAN_STARTS, SPAN_TIMES, SPAN_LENGTHS = 4, 8, 2
#: record fields never offered as a value of a parameter of the same name (the filler has its own rule)
SKIP_FIELDS = frozenset({"id", "time", "date", "start", "end", "due", "updated", "modified", "created"})
#: a capitalised first word that opens a sentence, not a name
NAME_STOP = frozenset({"Can", "Could", "Please", "Before", "After", "When", "Go", "Put", "Send", "Check", "The"})


@caches.bounded(64)
def record_fields(text: str) -> tuple[tuple[str, str], ...]:
    """(key, value) of the string fields of the JSON records in ``text``, in order of appearance,
    without repeats (escaped quotes and backslashes decoded)."""
    out: dict[tuple[str, str], None] = {}
    for key, value in FIELD_RE.findall(text):
        if key in SKIP_FIELDS or not value.strip():
            continue
        out[(key, value.replace('\\"', '"').replace("\\\\", "\\"))] = None
    return tuple(out)


@caches.bounded(64)
def paths(text: str) -> tuple[str, ...]:
    """Paths written in ``text`` (listings, file records, the request), in order, without repeats."""
    return tuple(dict.fromkeys(p.rstrip(".") for p in PATH_RE.findall(text) if "/" in p.strip("/")))


def folders(found: list[str]) -> list[str]:
    """The folders of ``found`` paths (each path's parent, then the path itself when it has no
    extension: a folder the request names), in order, without repeats."""
    out: list[str] = []
    for p in found:
        head, _, tail = p.rpartition("/")
        if "." not in tail:
            out.append(p)
        if head:
            out.append(head)
    return list(dict.fromkeys(out))


@caches.bounded(16)
def quoted(instruction: str) -> tuple[str, ...]:
    """Phrases the request quotes, first letter capitalised (a title a person asked for)."""
    out = []
    for a, b in QUOTE_RE.findall(instruction):
        phrase = (a or b).strip()
        out.append(phrase[:1].upper() + phrase[1:])
    return tuple(dict.fromkeys(out))


@caches.bounded(16)
def names(instruction: str) -> tuple[str, ...]:
    """Full names the request writes (``Umar Berg``), for a search by name."""
    found = [n for n in NAME_RE.findall(instruction) if n.split()[0] not in NAME_STOP]
    return tuple(dict.fromkeys(found))


@caches.bounded(64)
def durations(text: str) -> tuple[int, ...]:
    """Lengths in seconds written in ``text``, in order, without repeats."""
    found = [(m.start(), int(m.group(1)) * clock.MINUTE) for m in MINUTES_RE.finditer(text)]
    for m in HOURS_RE.finditer(text):
        word = m.group(1).lower()
        found.append((m.start(), WORD_NUMBERS.get(word, int(word) if word.isdigit() else 1) * clock.HOUR))
    return tuple(dict.fromkeys(s for _, s in sorted(found) if 0 < s <= 12 * clock.HOUR))


def spans(times: list[str], lengths: list[int], limit: int) -> list[tuple[str, str]]:
    """(start, end) pairs for an event: each of the first ``limit`` visible times as the start, its
    end a later visible time of the same day or the start plus a length written in prose."""
    out: list[tuple[str, str]] = []
    parsed = []
    for t in times:
        try:
            parsed.append((t, clock.parse_time(t)))
        except ValueError:
            continue
    for start, at in parsed[:limit]:
        ends = [clock.fmt(at + s) for s in lengths]
        ends += [t for t, x in parsed if at < x and t[:10] == start[:10]]
        out += [(start, e) for e in dict.fromkeys(ends)]
    return out


def subjects(fields: list[tuple[str, str]]) -> list[str]:
    """Subjects of the visible messages, each as a reply's (``Re: ...``), then as written."""
    seen = [v for k, v in fields if k == "subject"]
    replies = [s if s.startswith("Re: ") else f"Re: {s}" for s in seen]
    return list(dict.fromkeys(replies + seen))


def field_values(fields: list[tuple[str, str]], key: str) -> list[str]:
    """The values visible records hold under ``key``, newest first (as the fields are ordered)."""
    return [v for k, v in fields if k == key]
