"""What every phone backend offers: the simulated phone, and real devices over adb.

Input methods return ``None`` when the input was delivered, or an error text (and
then changed nothing). Coordinates are device pixels, portrait.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol, runtime_checkable

import numpy as np

if TYPE_CHECKING:
    from ...world import World

#: key names and the Android key codes (or names) accepted for them
KEYS: dict[str, tuple[str, ...]] = {
    "back": ("KEYCODE_BACK", "4"),
    "home": ("KEYCODE_HOME", "3"),
    "enter": ("KEYCODE_ENTER", "66"),
    "recents": ("KEYCODE_APP_SWITCH", "187"),
    "delete": ("KEYCODE_DEL", "67"),
}
KEYCODES: dict[str, int] = {"back": 4, "home": 3, "enter": 66, "recents": 187, "delete": 67}


def key_name(name: object) -> str | None:
    """'back', 'KEYCODE_BACK', '4' or 4 -> 'back'; None if unknown."""
    text = str(name).strip()
    for key, aliases in KEYS.items():
        if text.lower() == key or text.upper() in aliases:
            return key
    return None


@runtime_checkable
class PhoneDevice(Protocol):
    width: int
    height: int

    def tap(self, x: int, y: int) -> str | None: ...

    def long_press(self, x: int, y: int) -> str | None: ...

    def swipe(self, x1: int, y1: int, x2: int, y2: int, duration_ms: int = 300) -> str | None: ...

    def type_text(self, text: str) -> str | None: ...

    def key(self, name: str) -> str | None: ...

    def start_app(self, package: str) -> str | None: ...

    def screenshot(self) -> np.ndarray: ...

    def ui_xml(self) -> str: ...

    def current_package(self) -> str: ...


#: What ``gym.make(..., phone=...)`` takes: builds the phone for one episode's world. The simulated
#: phone's class is one (``SimPhone``); a device the world cannot drive ignores it (``AdbPhone.factory``).
PhoneFactory = Callable[["World"], PhoneDevice]
