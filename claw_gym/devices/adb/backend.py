"""AdbPhone: the PhoneDevice interface over any adb device (real phone, emulator, or our server).

Every action becomes the shell command a person would type (`input tap x y`,
`input keyevent KEYCODE_BACK`, `monkey -p pkg ...`), sent through the host's adb
server with adbutils. Commands run with shell v2 when the device offers it, so a
non-zero exit code or stderr output becomes the action's error text; a real
device's `input` never reports a tap on nothing, our simulated phone does.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import numpy as np

KEYCODES = {"back": "KEYCODE_BACK", "home": "KEYCODE_HOME", "enter": "KEYCODE_ENTER", "recents": "KEYCODE_APP_SWITCH"}
_KEY_RE = re.compile(r"^(KEYCODE_[A-Z0-9_]+|[0-9]{1,3})$")
_PACKAGE_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)+$")


class AdbPhone:
    """A PhoneDevice driven through adb; `serial` as in `adb devices` (None = the only device)."""

    def __init__(
        self, serial: str | None = None, host: str = "127.0.0.1", port: int = 5037, long_press_ms: int = 800
    ) -> None:
        import adbutils

        self._errors: tuple[type[BaseException], ...] = (adbutils.AdbError, OSError)
        self.device = adbutils.AdbClient(host=host, port=port).device(serial)
        self.serial = self.device.serial
        self.long_press_ms = long_press_ms
        self.width, self.height = 0, 0
        self.refresh_size()

    @classmethod
    def factory(
        cls, serial: str | None = None, host: str = "127.0.0.1", port: int = 5037, long_press_ms: int = 800
    ) -> Callable[[Any], AdbPhone]:
        """A phone factory for ``gym.make(..., phone=AdbPhone.factory(serial))``.

        The device is connected once, at the first episode, and reused: its state is its own (the
        world cannot reset a real phone), so the tasks it runs are those that do not need the
        simulated phone (``Family.needs_sim_phone``).
        """
        made: list[AdbPhone] = []

        def build(world: Any) -> AdbPhone:
            if not made:
                made.append(cls(serial, host=host, port=port, long_press_ms=long_press_ms))
            return made[0]

        return build

    def refresh_size(self) -> None:
        """Re-read the screen size (call after a rotation)."""
        size = self.device.window_size()
        self.width, self.height = size.width, size.height

    # ---- plumbing -----------------------------------------------------------------
    def _run(self, *args: str, fail_marker: str | None = None) -> str | None:
        """Run one command; None when it worked, else its output as the error.

        Without fail_marker, a non-zero exit or any stderr is a failure; with it
        (for chatty tools like monkey), a non-zero exit or the marker in the output.
        """
        try:
            r = self.device.shell2(list(args), v2=True)
        except self._errors as e:
            return f"error: adb: {e}"
        failed = r.returncode != 0 or (fail_marker in r.output if fail_marker else bool(r.stderr.strip()))
        if failed:
            return r.output.strip() or f"error: {args[0]} exited with {r.returncode}"
        return None

    def _on_screen(self, *points: tuple[int, int]) -> str | None:
        for x, y in points:
            if not (0 <= x < self.width and 0 <= y < self.height):
                return f"error: ({x}, {y}) is off screen ({self.width}x{self.height})"
        return None

    # ---- PhoneDevice --------------------------------------------------------------
    def tap(self, x: int, y: int) -> str | None:
        return self._on_screen((x, y)) or self._run("input", "tap", str(int(x)), str(int(y)))

    def long_press(self, x: int, y: int) -> str | None:
        # Android has no `input longpress`: a swipe that stays put for long enough is one.
        return self._on_screen((x, y)) or self._run(
            "input", "swipe", str(int(x)), str(int(y)), str(int(x)), str(int(y)), str(self.long_press_ms)
        )

    def swipe(self, x1: int, y1: int, x2: int, y2: int, duration_ms: int = 300) -> str | None:
        return self._on_screen((x1, y1), (x2, y2)) or self._run(
            "input", "swipe", *(str(int(v)) for v in (x1, y1, x2, y2)), str(max(1, int(duration_ms)))
        )

    def type_text(self, text: str) -> str | None:
        if not text:
            return None
        # `input text` reads %s as a space; older Androids split on a literal space.
        return self._run("input", "text", text.replace(" ", "%s"))

    def key(self, name: str) -> str | None:
        code = KEYCODES.get(name.lower(), name)
        if not _KEY_RE.match(code):
            return f"error: unknown key {name!r}: use back, home, enter, recents, KEYCODE_* or a number"
        return self._run("input", "keyevent", code)

    def start_app(self, package: str) -> str | None:
        if not _PACKAGE_RE.match(package):
            return f"error: {package!r} is not a package name"
        return self._run(
            "monkey", "-p", package, "-c", "android.intent.category.LAUNCHER", "1", fail_marker="monkey aborted"
        )

    def screenshot(self) -> np.ndarray:
        """(height, width, 3) uint8, at the device's own resolution."""
        return np.asarray(self.device.screenshot(error_ok=False).convert("RGB"), dtype=np.uint8)

    def ui_xml(self) -> str:
        return self.device.dump_hierarchy()

    def current_package(self) -> str:
        return self.device.app_current().package
