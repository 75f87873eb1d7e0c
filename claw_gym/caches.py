"""Caches: the one rule they all follow, and the process-wide bounded ones.

The cache rule
--------------
State changes only through versioned operations, and every cache keys on versions.

- A service's records change only through its table operations (``insert``, ``modify``,
  ``remove``, and ``changed`` for records a generator placed in bulk); its other state only
  through the declared setter ``set_state``. Each of them draws a new version from the
  world's :class:`VersionClock` into ``service.version``. The timeline draws one when its
  history or pending list changes, and ``World.restore`` draws one for the world.
- ``world.version`` is the last version drawn anywhere in the world: it moves on any change.
  A version is never drawn twice, so equal versions mean equal state (a restore may bring
  back an older service version together with that version's records).
- Every cache keys on the versions of what it reads: a service's derived views and cached
  endpoint results on ``service.version``, service summaries on it (and the day they may
  name), the phone's view tree, frames and UI text on ``world.version`` (and the phone's own
  UI version), the action menu's dry-run verdicts on the versions of what each endpoint
  declares it reads (``@endpoint(..., reads=...)``; ``world.version`` when it declares nothing). Caches of pure
  functions (formatting, bounding text, layout) key on their inputs themselves.
- Nothing else invalidates anything: there is no "touch" to call. Code that edits state
  behind these operations breaks every cache at once, so it is a bug, and the dry run
  (``World.call(..., dry_run=True)``) relies on the same operations to stop at the first change.

Process-wide bounded caches
---------------------------
Formatting, text layout and screen tiles are cached per process (they are pure functions of
their keys and bounded). A soak that wants to see real growth empties them with
:func:`clear_all` before each measurement: a bounded cache filling up is not a leak.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])

_CLEARERS: list[Callable[[], None]] = []


def register(clear: Callable[[], None]) -> Callable[[], None]:
    """Register a function that empties one cache; returns it (usable as a decorator)."""
    _CLEARERS.append(clear)
    return clear


def bounded(maxsize: int) -> Callable[[F], F]:
    """``functools.lru_cache(maxsize)`` that :func:`clear_all` empties."""

    def wrap(fn: F) -> F:
        cached = lru_cache(maxsize=maxsize)(fn)
        register(cached.cache_clear)
        return cached  # type: ignore[return-value]  # lru_cache's wrapper calls like fn; typeshed types it apart

    return wrap


class VersionClock:
    """Hands out the versions of one world's parts: increasing, never repeated, deterministic."""

    __slots__ = ("last",)

    def __init__(self) -> None:
        self.last = 0

    def next(self) -> int:
        self.last += 1
        return self.last

    def __getstate__(self) -> tuple[int]:
        return (self.last,)  # a tuple: a falsy state (0) would skip __setstate__

    def __setstate__(self, state: tuple[int]) -> None:
        (self.last,) = state


def clear_all() -> None:
    for clear in _CLEARERS:
        clear()


__all__ = ["register", "bounded", "clear_all", "VersionClock"]
