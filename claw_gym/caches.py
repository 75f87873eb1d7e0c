"""Process-wide bounded caches, registered in one place so leak checks can empty them all.

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


def clear_all() -> None:
    for clear in _CLEARERS:
        clear()


__all__ = ["register", "bounded", "clear_all"]
