"""Walking JSON-like trees of any depth without recursion (agent input can nest 100,000 deep)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any


def strings(tree: Any) -> Iterator[str]:
    """Every string in ``tree``, dict keys included, depth-first; iterative, so depth is no risk."""
    stack = [tree]
    while stack:
        v = stack.pop()
        if isinstance(v, str):
            yield v
        elif isinstance(v, dict):
            stack.extend(v.keys())
            stack.extend(v.values())
        elif isinstance(v, (list, tuple)):
            stack.extend(v)
