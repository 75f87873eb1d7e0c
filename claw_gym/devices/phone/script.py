"""Building blocks for scripted phone solutions (oracles, demos, tests).

Steps target elements by stable selectors (``text=Clock``, ``id/save``), resolved
on the screen the phone shows when the step runs, never by hard-coded coordinates
or by ``e12`` numbers (which depend on what else is on the screen).
"""

from __future__ import annotations

from ... import actions as A
from .layout import HEIGHT, WIDTH


def tap(selector: str) -> str:
    return A.tap(element=selector)


def open_app(label: str) -> list[str]:
    """From anywhere: home, then the app's icon."""
    return [A.key("home"), tap(f"text={label}")]


def fill(field_id: str, text: str) -> list[str]:
    """Focus a text field by its resource-id and type into it."""
    return [tap(f"id/{field_id}"), A.type_text(text)]


def replace(field_id: str, text: str) -> list[str]:
    """Replace a prefilled field's value: long-press it (clears and focuses), then type."""
    return [A.long_press(element=f"id/{field_id}"), A.type_text(text)]


def open_shade() -> str:
    """Swipe down from the status bar."""
    return A.swipe(WIDTH // 2, 4, WIDTH // 2, HEIGHT * 2 // 3)
