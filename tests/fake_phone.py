"""A tiny PhoneDevice for transport tests: a home screen with two apps, a text field, a button.

It only has to be honest about the PhoneDevice contract (errors for taps on
nothing, off-screen gestures and unknown apps/keys), so adb tests need not
depend on the full simulated phone.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

HOME = "com.claw.launcher"
APPS = {"com.claw.notes": "Notes", "com.claw.clock": "Clock"}
KEYS = {"back", "home", "enter", "recents", "KEYCODE_DEL"}


@dataclass
class Widget:
    rid: str
    cls: str
    text: str
    bounds: tuple[int, int, int, int]

    def contains(self, x: int, y: int) -> bool:
        x1, y1, x2, y2 = self.bounds
        return x1 <= x < x2 and y1 <= y < y2


class FakePhone:
    width, height = 360, 640

    def __init__(self) -> None:
        self.package = HOME
        self.field = ""
        self.notes: list[str] = []
        self.scroll = 0
        self.long_pressed: list[tuple[int, int]] = []
        self.log: list[tuple] = []

    # ---- screens ------------------------------------------------------------------
    def widgets(self) -> list[Widget]:
        if self.package == HOME:
            return [
                Widget(f"icon_{name.lower()}", "android.widget.TextView", name, (20 + 120 * i, 100, 120 + 120 * i, 200))
                for i, name in enumerate(APPS.values())
            ]
        if self.package == "com.claw.notes":
            return [
                Widget("note_text", "android.widget.EditText", self.field, (20, 100, 340, 160)),
                Widget("save", "android.widget.Button", "Save", (20, 180, 120, 240)),
            ]
        return [Widget("clock_face", "android.widget.TextView", "07:00", (20, 100, 340, 200))]

    def _check(self, *points: tuple[int, int]) -> str | None:
        for x, y in points:
            if not (0 <= x < self.width and 0 <= y < self.height):
                return f"error: ({x}, {y}) is off screen ({self.width}x{self.height})"
        return None

    # ---- PhoneDevice --------------------------------------------------------------
    def tap(self, x: int, y: int) -> str | None:
        self.log.append(("tap", x, y))
        if err := self._check((x, y)):
            return err
        hit = next((w for w in self.widgets() if w.contains(x, y)), None)
        if hit is None:
            return f"error: nothing to tap at ({x}, {y})"
        if self.package == HOME:
            self.package = next(p for p, n in APPS.items() if n == hit.text)
        elif hit.rid == "save":
            self.notes.append(self.field)
            self.field = ""
        return None

    def long_press(self, x: int, y: int) -> str | None:
        self.log.append(("long_press", x, y))
        if err := self._check((x, y)):
            return err
        self.long_pressed.append((x, y))
        return None

    def swipe(self, x1: int, y1: int, x2: int, y2: int, duration_ms: int = 300) -> str | None:
        self.log.append(("swipe", x1, y1, x2, y2, duration_ms))
        if err := self._check((x1, y1), (x2, y2)):
            return err
        self.scroll += y1 - y2
        return None

    def type_text(self, text: str) -> str | None:
        self.log.append(("type", text))
        if self.package != "com.claw.notes":
            return "error: no text field has focus"
        self.field += text
        return None

    def key(self, name: str) -> str | None:
        self.log.append(("key", name))
        if name not in KEYS:
            return f"error: unknown key {name!r}"
        if name in ("back", "home"):
            self.package = HOME
        elif name == "KEYCODE_DEL":
            self.field = self.field[:-1]
        return None

    def start_app(self, package: str) -> str | None:
        self.log.append(("start", package))
        if package not in APPS:
            return f"error: no app {package!r}"
        self.package = package
        return None

    def screenshot(self) -> np.ndarray:
        img = np.full((self.height, self.width, 3), 240, np.uint8)
        for w in self.widgets():
            x1, y1, x2, y2 = w.bounds
            img[y1:y2, x1:x2] = (30, 90, 200)
        img[0:24, :] = (len(self.notes) * 40 % 256, 0, 0)  # status bar encodes state
        return img

    def ui_xml(self) -> str:
        nodes = "".join(
            f'<node index="{i}" text="{w.text}" resource-id="{self.package}:id/{w.rid}" class="{w.cls}" '
            f'package="{self.package}" content-desc="" clickable="true" checked="false" '
            f'bounds="[{w.bounds[0]},{w.bounds[1]}][{w.bounds[2]},{w.bounds[3]}]" />'
            for i, w in enumerate(self.widgets())
        )
        return (
            "<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>"
            f'<hierarchy rotation="0"><node index="0" class="android.widget.FrameLayout" '
            f'package="{self.package}" bounds="[0,0][{self.width},{self.height}]">{nodes}</node></hierarchy>'
        )

    def current_package(self) -> str:
        return self.package
