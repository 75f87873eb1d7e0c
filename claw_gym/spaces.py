"""Text spaces for printable unicode.

Gymnasium's ``Text`` keeps its charset as a frozenset, a tuple and a dict; a charset
covering all of printable unicode would cost megabytes per space. ``UnicodeText``
keeps a small charset for *sampling* (JSON punctuation, letters, a few non-ASCII
characters) but *contains* any printable string (plus newline and tab), which is
what the env emits and what agents type.
"""

from __future__ import annotations

import string
from typing import Any

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
        return (
            isinstance(x, str)
            and self.min_length <= len(x) <= self.max_length
            and is_printable_text(x)
        )

    def __repr__(self) -> str:
        return f"UnicodeText({self.min_length}, {self.max_length})"

    def __eq__(self, other: Any) -> bool:
        return (
            isinstance(other, UnicodeText)
            and self.min_length == other.min_length
            and self.max_length == other.max_length
        )

    __hash__ = None  # type: ignore[assignment]
