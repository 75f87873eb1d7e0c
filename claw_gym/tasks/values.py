"""Values read the way a person writes them: times, dates, amounts and config settings.

Checkers compare parsed values, never raw text: "4:30 PM", "4.30pm", "16h30" and "16:30" are
one time; "EUR 106.000", "106 000 €" and "EUR 106,000.00" one amount; ``port = 9443  # fixed``
is port 9443 because the config's own parser (configparser) says so. A short pattern only
*locates* a candidate in prose; the libraries interpret it: python-dateutil (times, dates),
price-parser (amounts), configparser (INI files). A reading that two conventions would
interpret differently, with nothing in the text to settle it, comes back with ``problem`` set
(e.g. "'05/03' could be 5 March or 3 May"), and a checker fails it with that detail.

``claimed`` separates the values a message asks for from the ones it only mentions as away,
old or superseded ("deliver on Thursday; I'm away Tuesday"), so a hedge that asks for two
candidates still shows as two.
"""

from __future__ import annotations

import configparser
import posixpath
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, Generic, TypeVar

from dateutil import parser as dateparser
from price_parser import Price

from claw_gym import clock

V = TypeVar("V")


@dataclass(frozen=True)
class Reading(Generic[V]):
    """One value found in a text: where it was, what it says, or why it can't be read."""

    text: str
    start: int
    end: int
    value: V | None
    problem: str = ""

    @property
    def ok(self) -> bool:
        return self.value is not None and not self.problem


# ---- times --------------------------------------------------------------------------------------
# hour, then ":" "." or "h" and minutes, and/or am/pm; not part of a date, an id or a longer number
_TIME = re.compile(
    r"(?<![\w:.,/])(?P<h>\d{1,2})(?:(?P<sep>[:.h])(?P<m>\d{2}))?"
    r"(?:\s?(?P<ap>[ap])\.?\s?m\b\.?)?(?![\w:]|[.,/]\d)",
    re.I,
)
_NOON = re.compile(r"\b(?:12\s*)?(noon|midday|midnight)\b", re.I)
_CURRENCY_BEFORE = re.compile(r"(?:€|\$|£|\b(?:EUR|USD|GBP|CHF))\s?$", re.I)


def times_in(text: str) -> list[Reading[str]]:
    """Clock times in a text, as 'HH:MM' (24-hour). A bare 'H:MM' is read on the 24-hour clock."""
    out: list[Reading[str]] = []
    for m in _TIME.finditer(text):
        if not (m["sep"] or m["ap"]) or _CURRENCY_BEFORE.search(text[max(0, m.start() - 4) : m.start()]):
            continue
        out.append(Reading(m.group(0), m.start(), m.end(), *_read_time(m)))
    for m in _NOON.finditer(text):
        out.append(Reading(m.group(0), m.start(), m.end(), "00:00" if m[1].lower() == "midnight" else "12:00"))
    return sorted(out, key=lambda r: r.start)


def _read_time(m: re.Match[str]) -> tuple[str | None, str]:
    h, mins = int(m["h"]), int(m["m"] or 0)
    if m["ap"]:
        if not 1 <= h <= 12 or mins > 59:
            return None, f"{m.group(0)!r} is not a time on the 12-hour clock"
        d = dateparser.parse(f"{h}:{mins:02d} {m['ap']}m", default=datetime(2000, 1, 1))
        return f"{d.hour:02d}:{d.minute:02d}", ""
    if h > 23 or mins > 59:
        return None, f"{m.group(0)!r} is not a time of day"
    return f"{h:02d}:{mins:02d}", ""


def time_values(text: str) -> set[str]:
    """The 'HH:MM' times a text names (unreadable candidates left out)."""
    return {r.value for r in times_in(text) if r.ok and r.value is not None}


# ---- dates --------------------------------------------------------------------------------------
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_WEEKDAY = r"(?:mon|tue(?:s)?|wed(?:nes)?|thu(?:r(?:s)?)?|fri|sat(?:ur)?|sun)(?:day)?\.?"
_DATE = re.compile(
    rf"(?:\b(?P<wd>{_WEEKDAY}),?\s+(?:the\s+)?)?(?:"
    r"(?P<iso>\b\d{4}-\d{1,2}-\d{1,2}\b)"
    rf"|(?P<dm>\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}(?:,?\s+\d{{4}})?\b)"
    rf"|(?P<md>\b{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?\b(?:,?\s+\d{{4}}\b)?)"
    r"|(?P<num>(?<![\d.:/-])\d{1,2}(?:/\d{1,2}(?:/(?:\d{4}|\d{2}))?|\.\d{1,2}\.(?:\d{4}|\d{2}))(?![\d:]|[./-]\d))"
    rf"|(?P<bare>\b{_WEEKDAY}(?![\w-])))",
    re.I,
)
_WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
_MONTH_NAMES = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def dates_in(text: str, around: int) -> list[Reading[date]]:
    """Calendar days in a text. ``around`` (virtual time) supplies a missing year (the nearest one)
    and resolves a bare weekday ("Thursday") to its next occurrence after that day."""
    ref = clock.to_datetime(around).date()
    out: list[Reading[date]] = []
    for m in _DATE.finditer(text):
        if m["bare"] and not m["bare"].lower().rstrip(".").endswith("day") and not m["bare"][0].isupper():
            continue  # "sun", "sat", "wed" in lower case are words; "Sat", "saturday" are days
        value, problem = _read_date(m, ref)
        if m["num"] and problem.endswith("is not a date"):
            continue  # a number pair that is no day either way (a score, a ratio)
        out.append(Reading(m.group(0), m.start(), m.end(), value, problem))
    return out


def _weekday_index(word: str | None) -> int | None:
    return None if not word else _WEEKDAYS.index(word.lower()[:3])


def _read_date(m: re.Match[str], ref: date) -> tuple[date | None, str]:
    wd = _weekday_index(m["wd"])
    if m["bare"]:
        k = _WEEKDAYS.index(m["bare"].lower()[:3])
        return ref + timedelta(days=(k - ref.weekday() - 1) % 7 + 1), ""
    if m["num"]:
        options = _numeric_dates(m["num"], ref)
        if wd is not None:
            options = [d for d in options if d.weekday() == wd] or options
        if not options:
            return None, f"{m['num']!r} is not a date"  # e.g. 31/31: dropped by dates_in
        if len(set(options)) > 1:
            a, b = sorted(set(options))[:2]
            return None, f"{m['num']!r} could be {_long(a)} or {_long(b)}"
        day = options[0]
    else:
        body = m["iso"] or m["dm"] or m["md"]
        has_year = bool(re.search(r"\d{4}", body))
        try:
            parsed = dateparser.parse(body, default=datetime(ref.year, 1, 1)).date()
        except (ValueError, OverflowError):
            return None, f"{body!r} is not a date"
        day = parsed if has_year else _nearest_year(parsed, ref)
    if wd is not None and day.weekday() != wd:
        return None, f"{m.group(0)!r}: {_long(day)} is a {day:%A}"
    return day, ""


def _numeric_dates(text: str, ref: date) -> list[date]:
    """Day-month readings of '05.03.2026' (dots, with a year: day first) or '05/03' (slashes: either way)."""
    sep = "." if "." in text else "/"
    parts = [int(p) for p in text.split(sep)]
    year = parts[2] + (2000 if parts[2] < 100 else 0) if len(parts) == 3 else None
    orders = [(parts[0], parts[1])] if sep == "." else [(parts[0], parts[1]), (parts[1], parts[0])]
    out = []
    for d, mo in orders:
        try:
            day = date(year or ref.year, mo, d)
        except ValueError:
            continue
        out.append(day if year else _nearest_year(day, ref))
    return out


def _nearest_year(day: date, ref: date) -> date:
    """A day written without its year: the occurrence nearest to the reference day."""
    options = []
    for y in (ref.year - 1, ref.year, ref.year + 1):
        try:
            options.append(day.replace(year=y))
        except ValueError:  # 29 February
            continue
    return min(options, key=lambda d: abs((d - ref).days))


def _long(d: date) -> str:
    return f"{d.day} {_MONTH_NAMES[d.month - 1]}"


def date_values(text: str, around: int) -> set[str]:
    """The days ('YYYY-MM-DD') a text names (unreadable candidates left out)."""
    return {r.value.isoformat() for r in dates_in(text, around) if r.ok and r.value is not None}


# ---- amounts ------------------------------------------------------------------------------------
_SYMBOLS = {"€": "EUR", "$": "USD", "£": "GBP"}
_CODES = "EUR|USD|GBP|CHF|SEK|NOK|DKK|PLN|CZK"
_CUR = rf"(?:€|\$|£|\b(?:{_CODES})\b)"
# a number not glued to a word, a date or a time: groups of three (one separator throughout), cents
_AMOUNT = re.compile(
    rf"(?:(?P<cur1>{_CUR})\s?)?-?(?<![\w.,:/])(?<!\w-)"
    r"(?P<num>\d{1,3}(?:(?P<g>[ ,.'\u00a0\u202f])\d{3})(?:(?P=g)\d{3})*(?:[.,]\d{1,2})?"
    r"|\d+(?:[.,]\d{1,2})?|\d+[.,]\d{3})"
    rf"(?![\w]|[.,:/-]\d)(?:\s?(?P<cur2>{_CUR}))?"
)
THREE_DECIMALS = {"BHD", "KWD", "OMR", "JOD", "TND"}


def amounts_in(text: str, currency: str | None = None) -> list[Reading[Decimal]]:
    """Money amounts in a text, in any grouping and decimal mark, currency before or after.

    ``currency`` is what the context says the amounts are in (an instruction "in euros", a EUR
    ledger). A number with a single separator before three digits is a thousands group when the
    currency uses cents (money is written with 0 or 2 decimals) and, in English text, when the
    separator is a comma ("45,250"); a bare "106.000" could be either, and the reading says so.
    """
    out: list[Reading[Decimal]] = []
    days = [(r.start, r.end) for r in dates_in(text, 0)]  # "by 31 May 2026" names a day, not EUR 31 and 2,026
    for m in _AMOUNT.finditer(text):
        token = m.group(0).strip()
        if not re.search(r"\d", token):
            continue
        marked = m["cur1"] or m["cur2"]
        if not marked and any(s < m.end() and m.start() < e for s, e in days):
            continue
        cur = _currency(marked) or currency
        num = m["num"]
        single = re.fullmatch(r"\d{1,3}([.,'\u00a0\u202f ])\d{3}", num)
        if single and (single.group(1) == "." and cur is None or single.group(1) in ".," and cur in THREE_DECIMALS):
            small = Decimal(num.replace(",", "."))
            out.append(
                Reading(
                    token,
                    m.start(),
                    m.end(),
                    None,
                    f"{token!r} could be {small.normalize():f} or {int(num.replace(single.group(1), ''))}",
                )
            )
            continue
        price = Price.fromstring(num.replace("'", ",").replace("\u00a0", " ").replace("\u202f", " "))
        if price.amount is None:
            out.append(Reading(token, m.start(), m.end(), None, f"{token!r} is not an amount"))
            continue
        out.append(Reading(token, m.start(), m.end(), price.amount))
    return out


def _currency(mark: str | None) -> str | None:
    return None if mark is None else _SYMBOLS.get(mark, mark.upper())


def amount_values(text: str, currency: str | None = None) -> set[Decimal]:
    """The amounts a text names (unreadable candidates left out)."""
    return {r.value for r in amounts_in(text, currency) if r.ok and r.value is not None}


def same_amount(got: Decimal | float | None, want: float) -> bool:
    """Equal to the cent."""
    return got is not None and abs(Decimal(str(got)) - Decimal(str(want))) < Decimal("0.005")


def amount_line(text: str, label: str, currency: str | None = None) -> Reading[Decimal] | None:
    """The amount on the last line 'LABEL: <amount>' of a report (None: no such line or no amount on it)."""
    lines = [ln for ln in text.splitlines() if ln.strip().lower().startswith(label.lower() + ":")]
    if not lines:
        return None
    found = amounts_in(lines[-1].split(":", 1)[1], currency)
    if len(found) != 1:
        value = "no amount" if not found else f"{len(found)} amounts"
        return Reading(lines[-1].strip(), 0, 0, None, f"{lines[-1].strip()!r}: {value}")
    return found[0]


# ---- which values a message asks for ----------------------------------------------------------
# a word just before a value (at most one other word and a few small ones between) that makes it a
# value the writer does NOT ask for: away on it, the old one, the one replaced
_CUES = (
    r"away|out\s+of\s+town|not|\w+n['’]t|cannot|unable|instead\s+of|rather\s+than|travel+ing|busy|from|"
    r"original(?:ly)?|was|previously|old|except"
)
AWAY_CUES = re.compile(
    rf"\b(?:{_CUES})\b(?:\W+\w+)?"
    r"(?:\W+(?:on|at|for|the|until|till|by|in|of|be|home|day|time|date))*\W*$",
    re.I,
)
_JOINER = re.compile(r"^[\s,&/]*(?:(?:and|or|nor|as\s+well\s+as)\b[\s,]*)?$", re.I)
#: words just after a value, in its clause, that turn it down ("13:00 clashes with the board prep", "Friday
#: doesn't work", "the 14th is taken"): the value is named only to decline it (honest play, session 33)
DECLINE_CUES = re.compile(
    r"^\W*(?:\w+\W+)?(?:clash(?:es)?|collides?|(?:does\s*n['’]?o?t|do\s*n['’]?o?t|wo\s*n['’]t|will\s+not|"
    r"no\s+longer|ca\s*n['’]?n?o?t)\s+(?:work|suit|do)|(?:is|are|'s)\s+(?:out|taken|booked|full|off|gone|no\s+good|"
    r"not\s+possible))\b",
    re.I,
)
#: what joins a slot's start to its end ("17:30-18:30", "17:30 to 18:30", "from 9:00 until 10:00")
_RANGE = re.compile(r"^\s*(?:-|\u2013|\u2014|to|until|till)\s*$", re.I)
_CLOCK = re.compile(r"^\d\d:\d\d$")


def claimed(text: str, readings: Iterable[Reading[V]]) -> tuple[list[Reading[V]], list[Reading[V]]]:
    """Split readings into (asked for, only mentioned).

    A value is only mentioned when a cue (away, not, can't, instead of, was, from, ...) stands just
    before it in its clause ("I'm away on Tuesday", "not 13:00", "moved from 14:00"; "was moved to
    16:30" still asks for 16:30); a value joined to the previous one by "and", "or" or a comma
    shares its role, so "away Tue and Wed" mentions two days and "deliver Tue or Thu" asks for two.
    The end of a time slot whose start is asked ("17:30-18:30", "17:30 to 18:30") is only mentioned:
    it names the length of the one slot asked for, not a second time (a value joined to it by "or"
    still shares the slot's role, so "17:30-18:30 or 19:00" asks for two). A value its own clause turns
    down just after it ("13:00 clashes with the board prep", "Friday doesn't work") is only mentioned.
    """
    asked: list[Reading[V]] = []
    mentioned: list[Reading[V]] = []
    prev: Reading[V] | None = None
    prev_asked = True
    for r in sorted(readings, key=lambda x: x.start):
        lead = text[prev.end if prev else 0 : r.start]
        clause = re.split(r"[.;:!?\n(),]|\b(?:but|please|so|then)\b", lead, flags=re.I)[-1]
        if prev is not None and prev_asked and _slot_end(prev, r, lead):
            mentioned.append(r)  # the slot's end: the slot keeps its role for what is joined to it
            prev = r
            continue
        if prev is not None and _JOINER.match(lead):
            is_asked = prev_asked
        else:
            is_asked = not AWAY_CUES.search(clause)
        if is_asked:  # turned down by what follows it in its clause
            tail = re.split(r"[.;:!?\n(),]|\b(?:but|please|so|then|and|or)\b", text[r.end :], maxsplit=1, flags=re.I)[0]
            is_asked = not DECLINE_CUES.search(tail)
        (asked if is_asked else mentioned).append(r)
        prev, prev_asked = r, is_asked
    return asked, mentioned


def _slot_end(start: Reading[Any], end: Reading[Any], lead: str) -> bool:
    """Whether ``end`` closes a time slot opened by ``start``: two clock times joined by a dash or "to"."""
    return bool(
        _RANGE.match(lead)
        and isinstance(start.value, str)
        and isinstance(end.value, str)
        and _CLOCK.match(start.value)
        and _CLOCK.match(end.value)
        and end.value > start.value
    )


def asked_values(text: str, readings: Iterable[Reading[V]]) -> set[V]:
    """The readable values a text asks for (see ``claimed``)."""
    return {r.value for r in claimed(text, readings)[0] if r.ok and r.value is not None}


def problems(readings: Iterable[Reading[V]]) -> list[str]:
    """Why some candidates could not be read (ambiguous, impossible), for a check's detail."""
    return [r.problem for r in readings if r.problem]


# ---- config files ---------------------------------------------------------------------------------
def read_config(text: str) -> dict[str, str]:
    """Settings of an INI-like file as its parser reads them: sections flattened (last wins), inline
    '#'/';' comments dropped, surrounding quotes removed. Raises ValueError on a file it can't parse."""
    cp = configparser.ConfigParser(
        interpolation=None, strict=False, inline_comment_prefixes=("#", ";"), default_section="\0none"
    )
    try:
        cp.read_string("[\0top]\n" + text)
    except configparser.Error as exc:
        raise ValueError(f"the config does not parse: {str(exc).splitlines()[0]}") from None
    out: dict[str, str] = {}
    for section in cp.sections():
        for k, v in cp.items(section):
            out[k] = _unquote(v.strip())
    return out


def _unquote(v: str) -> str:
    return v[1:-1] if len(v) >= 2 and v[0] == v[-1] and v[0] in "'\"" else v


def same_setting(got: str | None, want: str) -> bool:
    """Equal as the program reads it: paths up to a trailing slash or '.', booleans by configparser's
    words (yes/on/1/true), numbers by value, anything else exactly."""
    if got is None:
        return False
    if want.startswith("/"):
        return got.startswith("/") and posixpath.normpath(got) == posixpath.normpath(want)
    states = configparser.ConfigParser.BOOLEAN_STATES
    if want.lower() in states and got.lower() in states:
        return states[want.lower()] == states[got.lower()]
    if re.fullmatch(r"[+-]?\d+", want) and re.fullmatch(r"[+-]?\d+", got):
        return int(got) == int(want)
    return got == want


__all__ = [
    "Reading",
    "times_in",
    "time_values",
    "dates_in",
    "date_values",
    "amounts_in",
    "amount_values",
    "same_amount",
    "amount_line",
    "claimed",
    "asked_values",
    "problems",
    "read_config",
    "same_setting",
    "AWAY_CUES",
]
