"""Text spaces for printable unicode.

Gymnasium's ``Text`` keeps its charset as a frozenset, a tuple and a dict; a charset
covering all of printable unicode would cost megabytes per space. ``UnicodeText``
keeps a small charset for *sampling* (JSON punctuation, letters, a few non-ASCII
characters) but *contains* any printable string (plus newline and tab), which is
what the env emits and what agents type.
"""

from __future__ import annotations

import string
from collections.abc import Sequence
from typing import Any

import numpy as np
from gymnasium import spaces

SAMPLE_CHARSET = string.ascii_letters + string.digits + string.punctuation + " \n" + "éüß€中文—"


def is_printable_text(text: str) -> bool:
    """True for strings of printable characters, newlines and tabs (no lone surrogates)."""
    return text.isprintable() or text.replace("\n", "").replace("\t", "").isprintable()


def printable(text: str) -> str:
    """Replace characters outside :func:`is_printable_text` with U+FFFD."""
    if is_printable_text(text):
        return text
    return "".join(c if c.isprintable() or c in "\n\t" else "\ufffd" for c in text)


class UnicodeText(spaces.Text):
    """A ``Text`` space whose members are printable unicode strings of bounded length."""

    def __init__(self, max_length: int, *, min_length: int = 0, seed: Any = None) -> None:
        super().__init__(max_length, min_length=min_length, charset=SAMPLE_CHARSET, seed=seed)

    def contains(self, x: Any) -> bool:
        return isinstance(x, str) and self.min_length <= len(x) <= self.max_length and is_printable_text(x)

    def __repr__(self) -> str:
        return f"UnicodeText({self.min_length}, {self.max_length})"

    def __eq__(self, other: Any) -> bool:
        return (
            isinstance(other, UnicodeText)
            and self.min_length == other.min_length
            and self.max_length == other.max_length
        )

    __hash__ = None  # type: ignore[assignment]  # unhashable, as __eq__ is defined: typeshed wants a method


# ---- AsyncVectorEnv shared memory for UnicodeText ----------------------------------------------
# Gymnasium's Text codec stores indices into the space's charset (text outside the small sampling
# charset cannot cross) and reads the buffer once into immutable strings, so the batch never
# changes. UnicodeText stores code points (0 = padding; printable text has no NUL) and reads into
# a live view that decodes on access; AsyncVectorEnv deep-copies its batch by default, which
# turns the view into a plain tuple of strings, as SyncVectorEnv returns. So
# ``gym.make_vec(..., vectorization_mode="async")`` works with its default shared memory.
class SharedTexts(Sequence):
    """``n`` strings living in a shared uint32 buffer (one row of ``max_length`` per env)."""

    def __init__(self, buffer: Any, n: int, max_length: int) -> None:
        self._buffer, self._n, self._max = buffer, n, max_length

    def __len__(self) -> int:
        return self._n

    def __getitem__(self, i: Any) -> Any:
        if isinstance(i, slice):
            return tuple(self)[i]
        if not -self._n <= i < self._n:
            raise IndexError(i)
        row = np.frombuffer(self._buffer.get_obj(), dtype=np.uint32)[(i % self._n) * self._max :][: self._max]
        zeros = np.flatnonzero(row == 0)
        return row[: int(zeros[0]) if zeros.size else self._max].tobytes().decode("utf-32-le")

    def __deepcopy__(self, memo: Any) -> tuple[str, ...]:
        return tuple(self)

    def __eq__(self, other: Any) -> bool:
        return isinstance(other, Sequence) and tuple(self) == tuple(other)

    def __repr__(self) -> str:
        return f"SharedTexts({tuple(self)!r})"


def _register_shared_memory_codec() -> None:
    import multiprocessing as mp

    from gymnasium.vector.utils import shared_memory as shm

    @shm.create_shared_memory.register(UnicodeText)
    def _create(space: UnicodeText, n: int = 1, ctx: Any = mp) -> Any:
        return ctx.Array(np.dtype(np.uint32).char, n * space.max_length)

    @shm.read_from_shared_memory.register(UnicodeText)
    def _read(space: UnicodeText, shared_memory: Any, n: int = 1) -> SharedTexts:
        return SharedTexts(shared_memory, n, space.max_length)

    @shm.write_to_shared_memory.register(UnicodeText)
    def _write(space: UnicodeText, index: int, values: str, shared_memory: Any) -> None:
        size = space.max_length
        codes = np.frombuffer(values.encode("utf-32-le"), dtype=np.uint32)[:size]
        dest = np.frombuffer(shared_memory.get_obj(), dtype=np.uint32)
        dest[index * size : index * size + codes.size] = codes
        dest[index * size + codes.size : (index + 1) * size] = 0


_register_shared_memory_codec()
