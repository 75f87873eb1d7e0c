"""The observation: a Dict of bounded text fields.

Keys (stable; later issues add keys, never rename): ``instruction``, ``time``,
``events``, ``services``, ``result``. No field ever exceeds its limit: longer text
is cut and ends with a visible marker.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

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


def is_paged(result: Any, args: dict[str, Any]) -> bool:
    """A page of a listing that pages on (a cursor or an offset), with items to cut between."""
    if not isinstance(result, dict) or not isinstance(result.get("items"), list) or len(result["items"]) < 2:
        return False
    return bool({"next_cursor", "next_offset"} & result.keys() or {"cursor", "offset"} & args.keys())


def fit_page(result: dict[str, Any], args: dict[str, Any], limit: int, encode: Callable[[Any], str]) -> dict[str, Any]:
    """A listing page whose JSON is longer than ``limit``, cut at an item (never inside one) with its
    paging field pointing at the first item left out: a cut mid-string was no JSON and lost the page's
    ``next_cursor``. The page field is the one the endpoint pages with (``cursor`` or ``offset``)."""
    items = result["items"]
    key = "cursor" if "next_cursor" in result or "cursor" in args else "offset"
    start = args.get(key) or 0
    start = start if isinstance(start, int) and not isinstance(start, bool) else 0
    rest = {k: v for k, v in result.items() if k not in ("items", "next_cursor", "next_offset")}

    def page(kept: int) -> dict[str, Any]:
        left = len(items) - kept
        note = f"{left} more item{'s' if left != 1 else ''} of this page did not fit the result field: "
        note += f"page on with {key}={start + kept}, or ask for a smaller limit"
        return {**rest, "items": items[:kept], f"next_{key}": start + kept, "note": note}

    lo, hi = 1, len(items) - 1  # the most items that fit, at least one (a single long one is cut as text)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if len(encode(page(mid))) <= limit:
            lo = mid
        else:
            hi = mid - 1
    return page(lo)


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


class Pending:
    """A value drawn when first read (the phone's frame): see :class:`Observation`."""

    __slots__ = ("draw",)

    def __init__(self, draw: Callable[[], Any]) -> None:
        self.draw = draw


class Observation(dict[str, Any]):
    """The observation dict, whose :class:`Pending` values are computed on first read.

    Drawing the phone's frame is the largest part of a raw step or a reset's observation, and
    an API-only agent never looks at it. Every way of reading the dict (item access, ``get``,
    iteration, ``items``/``values``, copies, ``dict(obs)``, ``{**obs}``, ``==``, pickling) fills
    the pending values first, and each is drawn from the state it was observed in, so the
    values are those an eager observation would hold. Pickles and copies are plain dicts.
    """

    __slots__ = ("_pending",)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        pending = [k for k, v in dict.items(self) if type(v) is Pending]
        self._pending: list[str] | None = pending or None

    def fill(self) -> None:
        """Compute the pending values (once)."""
        pending, self._pending = self._pending, None
        for k in pending or ():
            v = dict.__getitem__(self, k)
            if type(v) is Pending:
                dict.__setitem__(self, k, v.draw())

    @property
    def pending(self) -> bool:
        """Whether a value is still to be drawn (for tests and benchmarks)."""
        return self._pending is not None

    def __getitem__(self, key: str) -> Any:
        if self._pending is not None and key in self._pending:
            self.fill()
        return dict.__getitem__(self, key)

    def get(self, key: str, default: Any = None) -> Any:
        if self._pending is not None and key in self._pending:
            self.fill()
        return dict.get(self, key, default)

    def __iter__(self) -> Iterator[str]:  # overridden, so dict(obs) and {**obs} read through __getitem__
        return dict.__iter__(self)

    def items(self) -> Any:
        self.fill()
        return dict.items(self)

    def values(self) -> Any:
        self.fill()
        return dict.values(self)

    def copy(self) -> dict[str, Any]:
        self.fill()
        return dict(dict.items(self))

    def pop(self, key: str, *default: Any) -> Any:
        self.fill()
        return dict.pop(self, key, *default)

    def popitem(self) -> tuple[str, Any]:
        self.fill()
        return dict.popitem(self)

    def setdefault(self, key: str, default: Any = None) -> Any:
        self.fill()
        return dict.setdefault(self, key, default)

    def __eq__(self, other: object) -> bool:
        self.fill()
        if isinstance(other, Observation):
            other.fill()
        return dict.__eq__(self, other)

    def __ne__(self, other: object) -> bool:
        return not self == other

    __hash__ = None  # a dict: unhashable

    def __or__(self, other: Any) -> dict[str, Any]:  # type: ignore[override]  # any mapping, like dict's
        return self.copy() | other

    def __ror__(self, other: Any) -> dict[str, Any]:  # type: ignore[override]  # any mapping, like dict's
        self.fill()
        return dict(other) | dict(dict.items(self))

    def __repr__(self) -> str:
        self.fill()
        return dict.__repr__(self)

    def __reduce__(self) -> Any:
        return (dict, (self.copy(),))

    def __copy__(self) -> dict[str, Any]:
        return self.copy()

    def __deepcopy__(self, memo: dict[int, Any]) -> dict[str, Any]:
        import copy

        return copy.deepcopy(self.copy(), memo)
