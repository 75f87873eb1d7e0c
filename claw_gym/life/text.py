"""Lazy text: history bodies are rendered when something reads them, not at reset.

A world carries ~150k words of history; writing them all at reset would cost far more
than the reset budget. So a long field (a mail body, a note, a file) is stored as a
:class:`Lazy`: a renderer key, its small arguments and a seed. The record holding it is
a :class:`LazyRecord`, a ``dict`` that renders a lazy value the first time any reader
reaches it (``rec["body"]``, ``.get``, ``.items()``, ``dict(rec)``, ``{**rec}``,
``json.dumps``) and stores the text in place. Readers therefore only ever see plain
strings; ``copy.deepcopy`` and pickle keep unrendered values lazy (cheap snapshots).

Rendering is a pure function of (key, args, seed) through :class:`Mix`, a tiny
splitmix64 generator: the same text in every process, whatever the order of reads.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

_MASK = (1 << 64) - 1

#: renderer key -> function(mix, *args) -> str
RENDERERS: dict[str, Callable[..., str]] = {}


def renderer(key: str) -> Callable[[Callable[..., str]], Callable[..., str]]:
    """Register a text renderer under ``key`` (keys are part of the determinism contract)."""

    def mark(fn: Callable[..., str]) -> Callable[..., str]:
        RENDERERS[key] = fn
        return fn

    return mark


class Mix:
    """splitmix64: a few integer ops per draw, identical on every platform and process."""

    __slots__ = ("s",)

    def __init__(self, seed: int) -> None:
        self.s = seed & _MASK

    def next(self) -> int:
        self.s = (self.s + 0x9E3779B97F4A7C15) & _MASK
        z = self.s
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK
        return z ^ (z >> 31)

    def below(self, n: int) -> int:
        return self.next() % n

    def pick(self, seq: Sequence[Any]) -> Any:
        return seq[self.next() % len(seq)]

    def random(self) -> float:
        return (self.next() >> 11) * (1.0 / (1 << 53))

    def chance(self, p: float) -> bool:
        return self.random() < p


class Lazy:
    """A text not written yet: ``RENDERERS[key](Mix(seed), *args)``; cached once rendered."""

    __slots__ = ("key", "args", "seed", "_text")

    def __init__(self, key: str, args: tuple[Any, ...], seed: int) -> None:
        self.key, self.args, self.seed = key, args, seed
        self._text: str | None = None

    def render(self) -> str:
        if self._text is None:
            self._text = RENDERERS[self.key](Mix(self.seed), *self.args)
        return self._text

    __str__ = render

    def __repr__(self) -> str:
        return f"Lazy({self.key!r}, seed={self.seed})"

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Lazy):
            return (self.key, self.args, self.seed) == (other.key, other.args, other.seed)
        if isinstance(other, str):
            return self.render() == other
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.render())

    def __reduce__(self) -> tuple[Any, ...]:
        return (Lazy, (self.key, self.args, self.seed))

    def __deepcopy__(self, memo: dict[int, Any]) -> Lazy:
        return self  # immutable in meaning; sharing keeps snapshots cheap


def resolve(value: Any) -> Any:
    return value.render() if type(value) is Lazy else value


class LazyRecord(dict):
    """A record dict whose lazy values turn into plain strings on first read.

    Overriding ``__iter__`` sends ``dict(rec)``, ``{**rec}`` and ``f(**rec)`` through
    ``keys()``/``__getitem__`` (CPython's fast copy path reads raw storage otherwise).
    """

    __slots__ = ()

    def __getitem__(self, key: Any) -> Any:
        v = dict.__getitem__(self, key)
        if type(v) is Lazy:
            v = v.render()
            dict.__setitem__(self, key, v)
        return v

    def __iter__(self) -> Iterator[Any]:
        return dict.__iter__(self)

    def get(self, key: Any, default: Any = None) -> Any:
        return self[key] if dict.__contains__(self, key) else default

    def resolve(self) -> LazyRecord:
        for k, v in dict.items(self):
            if type(v) is Lazy:
                dict.__setitem__(self, k, v.render())
        return self

    def is_rendered(self) -> bool:
        return not any(type(v) is Lazy for v in dict.values(self))

    def items(self) -> Any:
        return dict.items(self.resolve())

    def values(self) -> Any:
        return dict.values(self.resolve())

    def pop(self, key: Any, *default: Any) -> Any:
        return resolve(dict.pop(self, key, *default))

    def setdefault(self, key: Any, default: Any = None) -> Any:
        return resolve(dict.setdefault(self, key, default))

    def popitem(self) -> tuple[Any, Any]:
        k, v = dict.popitem(self)
        return k, resolve(v)

    def copy(self) -> LazyRecord:
        return LazyRecord(dict.items(self))

    def __copy__(self) -> LazyRecord:
        return self.copy()

    def __deepcopy__(self, memo: dict[int, Any]) -> LazyRecord:
        import copy

        out = LazyRecord()
        memo[id(self)] = out
        for k, v in dict.items(self):
            dict.__setitem__(out, k, v if type(v) is Lazy else copy.deepcopy(v, memo))
        return out

    def __reduce__(self) -> tuple[Any, ...]:
        return (LazyRecord, (list(dict.items(self)),))

    def __repr__(self) -> str:
        return dict.__repr__(self.resolve())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, dict):
            return dict.__eq__(self.resolve(), other.resolve() if isinstance(other, LazyRecord) else other)
        return NotImplemented

    def __ne__(self, other: object) -> bool:
        eq = self.__eq__(other)
        return eq if eq is NotImplemented else not eq

    __hash__ = None


def words(text: str) -> int:
    return len(text.split())
