"""The simulated phone's navigation and input: back stacks, dialogs, the one door into the world,
and the PhoneDevice input methods (tap, swipe, type, key, start_app).

Input methods return ``None`` when delivered, else an error text; a refused input changes nothing
(the navigation state is put back as it was).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from ... import plural
from ...faults import TransientFault
from ...services import ServiceError
from ...spaces import is_printable_text
from . import system
from .apps.messages import MessagesApp
from .base import key_name
from .layout import BOTTOM, STATUS_H, TOP
from .viewtree import ViewTree
from .widgets import Dialog, GuiError, Node, Screen

if TYPE_CHECKING:
    from .device import SimPhone

MAX_TYPE = 2000
NEEDS_RADIO = ("sms.send", "phone.place_call")  # refused by the phone in airplane mode


class Navigation(ViewTree):
    """Navigation and input, hit-tested on the view tree (a part of
    :class:`~claw_gym.devices.phone.device.SimPhone`)."""

    # ---- navigation (called by handlers) ---------------------------------------------------------
    def push(self, screen: Screen) -> None:
        self.stacks.setdefault(screen.package, []).append(screen)
        self.changed()

    def pop(self) -> None:
        stack = self.stacks.get(self.current)
        if stack and len(stack) > 1:
            stack.pop()
        else:
            self.current = system.LAUNCHER
        self.changed()

    def back(self) -> None:
        s = self.screen
        if self.shade_open:
            self.shade_open = False
        elif s is not None and s.dialog is not None:
            s.dialog = None
        elif self.current == system.RECENTS:
            self.current = system.LAUNCHER
        elif self.current == system.LAUNCHER:
            raise GuiError("already on the home screen; back does nothing here")
        else:
            self.pop()
        self.changed()

    def home(self) -> None:
        self.shade_open = False
        self.current = system.LAUNCHER
        self.changed()

    def recents(self) -> None:
        self.shade_open = False
        self.current = system.RECENTS
        self.changed()

    def close_shade(self) -> None:
        self.shade_open = False
        self.changed()

    def shade_page(self, first: int) -> None:
        """Show the shade's notifications from the ``first`` on (its "N more" and "Newer" rows)."""
        self.shade_from = max(0, first)
        self.changed()

    def open_screen(self, screen: Screen, *, fresh: bool = False) -> None:
        """Put ``screen`` on top of its app's back stack; with ``fresh`` (or no stack yet), on the
        app's home screen alone, so that back leads there."""
        if fresh or not self.stacks.get(screen.package):
            self.stacks[screen.package] = [self.apps[screen.package].home(), screen]
            self.changed()
        else:
            self.push(screen)

    def open_app_view(self, package: str, view: str, **params: Any) -> None:
        self.foreground(package)
        app = self.apps[package]
        self.stacks[package] = [app.home(), Screen(package, view, params)]
        self.changed()

    def open_thread(self, number: str) -> None:
        phone = cast("SimPhone", self)  # the apps are handed the whole phone (this is its navigation part)
        self.app("com.claw.messages", MessagesApp).show_thread(phone, number, fresh=True)

    def foreground(self, package: str) -> None:
        self.shade_open = False
        self.current = package
        if package in self.recent:
            self.recent.remove(package)
        self.recent.insert(0, package)

    def focus(self, key: str) -> None:
        s = self.screen
        assert s is not None
        s.focus = key
        self.changed()

    def clear_field(self, key: str) -> None:
        """Empty a text field and focus it (a long press: select all, cut; the field shows its hint)."""
        s = self.screen
        assert s is not None
        s.fields[key] = ""
        s.focus = key
        self.changed()

    def ask(self, dialog: Dialog) -> None:
        s = self.screen
        assert s is not None
        s.dialog = dialog
        self.changed()

    def dismiss_dialog(self) -> None:
        s = self.screen
        if s is not None:
            s.dialog = None
        self.changed()

    def confirm_dialog(self) -> Any:
        s = self.screen
        assert s is not None and s.dialog is not None
        result = s.dialog.on_confirm()  # may raise ServiceError: the dialog stays, nothing changed
        if s.dialog is not None and self.screen is s:
            s.dialog = None
        self.changed()
        return result

    def clear_notifications(self, notifs: list[system.Notif]) -> str:
        for n in notifs:
            n.dismiss()
        self.shade_open = False
        return f"cleared {plural.count(len(notifs), 'notification')}"

    def call(self, call: str, args: dict[str, Any]) -> Any:
        """The phone's only door into the world (the radio is needed for calls and texts)."""
        if call in NEEDS_RADIO and self.settings().get("airplane_mode"):
            raise GuiError("no service: airplane mode is on (Settings)")
        result = self.world.call(call, args, source="gui")
        self.changed()
        return result

    # ---- PhoneDevice: input ----------------------------------------------------------------------
    def start_app(self, package: str) -> str | None:
        if not isinstance(package, str) or package.split("/")[0] not in self.apps:
            return f"no app {package!r} on this phone; installed: {', '.join(self.apps)}"
        package = package.split("/")[0]
        if package not in self.stacks or not self.stacks[package]:
            self.stacks[package] = [self.apps[package].home()]
        self.foreground(package)
        self.changed()
        return None

    def tap(self, x: int, y: int) -> str | None:
        return self._touch(x, y, long=False)

    def long_press(self, x: int, y: int) -> str | None:
        return self._touch(x, y, long=True)

    def _touch(self, x: Any, y: Any, *, long: bool) -> str | None:
        what = "long-press" if long else "tap"
        err = self._check_point(x, y)
        if err:
            return f"{what}: {err}"
        node = self.hit(x, y, long=long)
        if node is None:
            return f"{what}: nothing to {what} at ({x}, {y}) on {self.screen_name()}; see the ui tree for elements"
        return self._run(node.on_long if long else node.on_tap, node, "long-pressed" if long else "tapped")

    def swipe(self, x1: int, y1: int, x2: int, y2: int, duration_ms: int = 300) -> str | None:
        for v in (x1, y1, x2, y2):
            if isinstance(v, bool) or not isinstance(v, int):
                return f"swipe: coordinates must be integers, got {v!r}"
        for x, y in ((x1, y1), (x2, y2)):
            err = self._check_point(x, y)
            if err:
                return f"swipe: {err}"
        dx, dy = x2 - x1, y2 - y1
        if abs(dx) < 20 and abs(dy) < 20:
            return "swipe: too short (move at least 20 px); use tap for a touch"
        if not self.shade_open and y1 < STATUS_H + 12 and dy > 80:
            self.shade_open, self.shade_from = True, 0
            self.changed()
            return self._ok("opened the notification shade")
        if self.shade_open:
            if dy < -80 and abs(dx) < abs(dy):
                return self._run(self.close_shade, None)
            node = self.hit(x1, y1, long=True)
            if abs(dx) > 80 and node is not None and node.style == "notif" and node.on_long is not None:
                return self._run(node.on_long, node, "swiped away")
            return "swipe: in the shade, swipe a notification sideways to dismiss it, or swipe up to close"
        s = self.screen
        if s is None or self.current not in self.apps or not TOP <= y1 < BOTTOM or abs(dy) < abs(dx):
            return f"swipe: nothing scrolls that way here ({self.screen_name()})"
        content = next((n for n in self.tree()[0] if n.rid.endswith(":id/content")), None)
        if content is None or not content.scrollable:
            return f"swipe: {self.screen_name()} has nothing more to scroll"
        before = s.scroll
        s.scroll = max(0, s.scroll - dy)
        self.changed()
        self.tree()  # clamps the offset
        if s.scroll == before:
            return f"swipe: already at the {'top' if dy > 0 else 'end'} of the list"
        return self._ok(f"scrolled to offset {s.scroll}")

    def type_text(self, text: str) -> str | None:
        if not isinstance(text, str) or not text:
            return "type: 'text' must be a non-empty string"
        if len(text) > MAX_TYPE or not is_printable_text(text):
            return f"type: text must be printable and at most {MAX_TYPE} characters"
        s = self.screen
        if self.shade_open or s is None or self.current not in self.apps or s.focus is None or s.dialog is not None:
            return "type: no text field has focus; tap a text field first"
        s.fields[s.focus] = s.fields.get(s.focus, "") + text
        self.changed()
        return self._ok(f"typed {len(text)} characters into {s.focus}")

    def key(self, name: str) -> str | None:
        k = key_name(name)
        if k is None:
            return f"key: unknown key {name!r}; keys: back, home, enter, recents, delete"
        if k == "back":
            return self._run(self.back, None)
        if k == "home":
            return self._run(self.home, None)
        if k == "recents":
            return self._run(self.recents, None)
        s = self.screen
        if self.shade_open or s is None or self.current not in self.apps or s.focus is None:
            return f"key: {k} needs a focused text field"
        if k == "delete":
            if not s.fields.get(s.focus):
                return "key: delete: the field is empty"
            s.fields[s.focus] = s.fields[s.focus][:-1]
            self.changed()
            return self._ok("deleted one character")
        self.tree()  # makes sure _enter belongs to the screen as it is now
        if self._enter is None:
            return "key: enter does nothing in this field; tap the button instead"
        return self._run(self._enter, None)

    # ---- input helpers ---------------------------------------------------------------------------
    def _check_point(self, x: Any, y: Any) -> str | None:
        if isinstance(x, bool) or isinstance(y, bool) or not isinstance(x, int) or not isinstance(y, int):
            return f"coordinates must be integers, got ({x!r}, {y!r})"
        if not (0 <= x < self.width and 0 <= y < self.height):
            return f"({x}, {y}) is off the screen (0..{self.width - 1}, 0..{self.height - 1})"
        return None

    def _ok(self, text: str) -> str | None:
        """Delivered: note what happened for obs["result"]; None, as the input methods return."""
        self.last_result = text
        return None

    def _run(self, handler: Any, node: Node | None, verb: str = "tapped") -> str | None:
        """Run a handler; a refusal (service error, GuiError) leaves everything as it was. ``verb`` says
        what the touch was in the result ("long-pressed 'Julia'" clears a field, a tap does not)."""
        ui = self._snapshot()
        try:
            result = handler()
        except (ServiceError, GuiError) as exc:
            self._restore(ui)
            where = self.apps[self.current].label if self.current in self.apps else "phone"
            if isinstance(exc, TransientFault):  # as real apps do: say so on screen, keep what was typed
                self.toast = self._fault_toast = f"{where}: error {exc.kind}, try again"
                self.changed()
            return f"{where}: {exc}"
        self.toast = result if isinstance(result, str) else None
        label = (node.text or node.desc or node.rid) if node is not None else ""
        self.last_result = (
            (f"{verb} {label!r}; " if label else "")
            + f"now on {self.screen_name()}"
            + (f" ({self.toast})" if self.toast else "")
        )
        self.changed()
        return None
