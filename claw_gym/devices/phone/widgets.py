"""The phone's view tree: nodes (what uiautomator would dump) and navigation state.

A :class:`Node` carries both what the UI dump shows (class, text, resource-id,
content-desc, bounds, flags) and what the renderer needs (``style``, ``sub``,
``color``, ``full``: the unclipped rectangle of a row that is partly scrolled out).
Handlers are plain callables run by the device; they change the world only
through ``World.call(..., source="gui")``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

Rect = tuple[int, int, int, int]  # x1, y1, x2, y2 (x2, y2 exclusive)
Handler = Callable[[], Any]


class GuiError(Exception):
    """An input the phone refuses (nothing there, no text field, a form value that is not valid, ...)."""


@dataclass(eq=False)
class Node:
    cls: str
    bounds: Rect
    text: str = ""
    rid: str = ""
    desc: str = ""
    package: str = ""
    style: str = ""  # how render.py draws it; "" = an invisible container
    sub: str = ""  # second line of a row, hint of an empty input, ...
    color: tuple[int, int, int] | None = None
    full: Rect | None = None  # the unclipped rectangle when bounds were clipped by scrolling
    lines: tuple[str, ...] = ()  # wrapped text of paragraphs, bubbles, dialogs, notifications
    on_tap: Handler | None = None
    on_long: Handler | None = None
    checkable: bool = False
    checked: bool = False
    scrollable: bool = False
    focused: bool = False
    focusable: bool = False
    password: bool = False
    selected: bool = False
    enabled: bool = True
    children: list[Node] = field(default_factory=list)

    @property
    def clickable(self) -> bool:
        return self.on_tap is not None

    @property
    def long_clickable(self) -> bool:
        return self.on_long is not None

    @property
    def rect(self) -> Rect:
        return self.full or self.bounds

    def contains(self, x: int, y: int) -> bool:
        x1, y1, x2, y2 = self.bounds
        return x1 <= x < x2 and y1 <= y < y2

    def walk(self):
        """Pre-order traversal (the order of the UI dump and of element ids)."""
        yield self
        for c in self.children:
            yield from c.walk()

    def center(self) -> tuple[int, int]:
        x1, y1, x2, y2 = self.bounds
        return (x1 + x2) // 2, (y1 + y2) // 2


@dataclass
class Dialog:
    """A modal confirmation (destructive actions ask first)."""

    title: str
    message: str
    confirm: str
    on_confirm: Handler
    rid: str = "confirm"


@dataclass
class Screen:
    """One screen of an app on the back stack: which view, its parameters and UI state."""

    package: str
    view: str
    params: dict[str, Any] = field(default_factory=dict)
    scroll: int = 0
    fields: dict[str, str] = field(default_factory=dict)
    focus: str | None = None
    dialog: Dialog | None = None

    @property
    def name(self) -> str:
        return f"{self.package}/{self.view}"
