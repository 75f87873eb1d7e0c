"""The observation: a Dict of bounded text fields.

Keys (stable; later issues add keys, never rename): ``instruction``, ``time``,
``events``, ``services``, ``result``. No field ever exceeds its limit: longer text
is cut and ends with a visible marker.
"""

from __future__ import annotations

from gymnasium import spaces

from . import caches
from .spaces import UnicodeText, printable

LIMITS: dict[str, int] = {
    "instruction": 4_000,
    "time": 64,
    "events": 8_000,
    "services": 4_000,
    "result": 16_000,
}


def truncation_marker(dropped: int) -> str:
    return f"\n...[truncated {dropped} chars]"


@caches.bounded(16)
def bound(text: str, limit: int) -> str:
    """Printable text of at most ``limit`` characters, cut with a marker if needed.

    Most fields are the very same string from one step to the next (the instruction, a cached
    listing, the phone's UI text): those are checked once, not every step (a pure function, cached
    on its arguments; a string's hash is kept in the string, so a repeat costs a lookup).
    """
    return _bound(text, limit)


def _bound(text: str, limit: int) -> str:
    text = printable(text)
    if len(text) <= limit:
        return text
    marker = truncation_marker(len(text) - limit)
    marker = truncation_marker(len(text) - (limit - len(marker)))
    return text[: limit - len(marker)] + marker


def bound_lines_tail(lines: list[str], limit: int, hint: str) -> str:
    """Keep the newest lines that fit (the end of the list); say how many were left out."""
    if not lines:  # most steps deliver no event
        return ""
    kept: list[str] = []
    size = 0
    reserve = len(hint) + 48
    for line in reversed(lines):
        line = printable(line)[: limit // 2]
        if size + len(line) + 1 > limit - reserve:
            break
        kept.append(line)
        size += len(line) + 1
    dropped = len(lines) - len(kept)
    head = [f"[{dropped} earlier not shown; {hint}]"] if dropped else []
    return bound("\n".join(head + kept[::-1]), limit)


def observation_space() -> spaces.Dict:
    return spaces.Dict({k: UnicodeText(n) for k, n in LIMITS.items()})
