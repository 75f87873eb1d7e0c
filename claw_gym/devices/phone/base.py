"""The one interface every phone implements (simulated, served over adb, or real).

The ``gui`` action kind, the adb device server and the real-device backend all
talk to a phone through this Protocol only, so any of them can stand in for another.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

import numpy


@runtime_checkable
class PhoneDevice(Protocol):
    """A touch screen with keys and apps. Actions return None when they worked, else error text."""

    width: int
    height: int

    def tap(self, x: int, y: int) -> str | None: ...

    def long_press(self, x: int, y: int) -> str | None: ...

    def swipe(self, x1: int, y1: int, x2: int, y2: int, duration_ms: int = 300) -> str | None: ...

    def type_text(self, text: str) -> str | None: ...

    def key(self, name: str) -> str | None:
        """back | home | enter | recents, also KEYCODE_* names and numbers 4/3/66/187."""
        ...

    def start_app(self, package: str) -> str | None: ...

    def screenshot(self) -> numpy.ndarray:
        """(height, width, 3) uint8 RGB."""
        ...

    def ui_xml(self) -> str:
        """The view tree as uiautomator dump XML."""
        ...

    def current_package(self) -> str: ...
