"""The virtual clock. Time is an int of seconds (UTC); the wall clock is never read."""

from __future__ import annotations

import re
from datetime import datetime, timezone

from . import caches

MINUTE = 60
HOUR = 3600
DAY = 86400

_PARSE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?Z?$")


def to_datetime(t: int) -> datetime:
    return datetime.fromtimestamp(t, tz=timezone.utc)


def from_datetime(d: datetime) -> int:
    return int(d.replace(tzinfo=timezone.utc).timestamp()) if d.tzinfo is None else int(d.timestamp())


# Formatting is pure and the same timestamps are shown again and again (list views,
# summaries, event lines, the obs header every step): strftime was the top cost of a
# step. The formats show minutes at most, so the caches are keyed by the minute / day.
def fmt(t: int) -> str:
    """'2026-03-02 09:30', the one format agents see and type."""
    return _fmt_minute(t - t % MINUTE)


def fmt_date(t: int) -> str:
    return _fmt_day(t - t % DAY)


def fmt_long(t: int) -> str:
    """'Mon 2026-03-02 09:30' for headers and summaries."""
    return _fmt_long_minute(t - t % MINUTE)


@caches.bounded(1 << 13)
def _fmt_minute(t: int) -> str:
    return to_datetime(t).strftime("%Y-%m-%d %H:%M")


@caches.bounded(1 << 10)
def _fmt_day(t: int) -> str:
    return to_datetime(t).strftime("%Y-%m-%d")


@caches.bounded(1 << 10)
def _fmt_long_minute(t: int) -> str:
    return to_datetime(t).strftime("%a %Y-%m-%d %H:%M")


def parse_time(text: str) -> int:
    """Parse 'YYYY-MM-DD', 'YYYY-MM-DD HH:MM[:SS]' or the ISO 'T' form. Raises ValueError."""
    m = _PARSE.match(text.strip()) if isinstance(text, str) else None
    if not m:
        raise ValueError(f"bad time {text!r}: use 'YYYY-MM-DD' or 'YYYY-MM-DD HH:MM'")
    y, mo, d, h, mi, s = (int(g) if g else 0 for g in m.groups())
    try:
        return from_datetime(datetime(y, mo, d, h, mi, s))
    except ValueError as exc:
        raise ValueError(f"bad time {text!r}: {exc}") from None


def day_start(t: int) -> int:
    return t - t % DAY


def weekday(t: int) -> int:
    """0 = Monday."""
    return to_datetime(t).weekday()


class Clock:
    """Monotonic virtual time of one world."""

    __slots__ = ("now", "start")

    def __init__(self, start: int) -> None:
        self.start = start
        self.now = start

    def advance(self, seconds: int) -> int:
        if seconds < 0:
            raise ValueError("time does not run backwards")
        self.now += int(seconds)
        return self.now

    def snapshot(self) -> tuple[int, int]:
        return (self.start, self.now)

    def restore(self, state: tuple[int, int]) -> None:
        self.start, self.now = state

    def __repr__(self) -> str:
        return f"Clock({fmt(self.now)})"


def add_days(t: int, days: int) -> int:
    return t + days * DAY


__all__ = [
    "Clock",
    "fmt",
    "fmt_date",
    "fmt_long",
    "parse_time",
    "to_datetime",
    "from_datetime",
    "day_start",
    "weekday",
    "add_days",
    "MINUTE",
    "HOUR",
    "DAY",
]
