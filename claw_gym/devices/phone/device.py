"""SimPhone: a simulated Android phone over the world's services.

It holds only UI state (which app is open, each app's back stack, scroll offsets,
typed text, the shade); everything an app shows is read from the services at
draw time, and everything it changes goes through ``World.call(..., source="gui")``.
The view tree is rebuilt only when the world or the UI changed (a version pair),
and frames are rendered lazily, per requested size, from cached tiles.

Input methods follow :class:`~claw_gym.devices.phone.base.PhoneDevice`: ``None``
when delivered, else an error text, and an error changes nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from ... import plural
from ...faults import TransientFault
from ...services import ServiceError
from ...spaces import is_printable_text
from . import system, uitree
from .apps import APPS
from .apps.base import App
from .base import key_name
from .layout import BOTTOM, HEIGHT, STATUS_H, TOP, WIDTH
from .render import Renderer
from .widgets import Dialog, GuiError, Handler, Node, Screen

if TYPE_CHECKING:
    from ...world import World

MAX_TYPE = 2000
NEEDS_RADIO = ("sms.send", "phone.place_call")  # refused by the phone in airplane mode
_BLOCKING = ("dialog", "shade", "notif")  # styles that swallow touches that hit no button on them


def _digits(number: str) -> str:
    return "".join(c for c in number if c.isdigit())


class SimPhone:
    width = WIDTH
    height = HEIGHT

    def __init__(self, world: World) -> None:
        self.world = world
        self.apps: dict[str, App] = {a.package: a for a in (cls() for cls in APPS) if a.installed(world.services)}
        self.stacks: dict[str, list[Screen]] = {}
        self.current = system.LAUNCHER  # a package, LAUNCHER or RECENTS
        self.recent: list[str] = []
        self.shade_open = False
        self.shade_from = 0  # the first notification the shade shows (its "N more" row pages on)
        self.toast: str | None = None
        self._fault_toast: str | None = None  # the toast of the last injected fault (see claw_gym/faults.py)
        self.ui_version = 0
        self._tree: tuple[tuple[int, int], list[Node], list[Node]] | None = None
        self._renderers: dict[tuple[int, int], Renderer] = {}
        # outputs of the current tree, reused while it is the same object (a rebuild makes a new one)
        self._frames: dict[tuple[int, int], tuple[Any, np.ndarray]] = {}
        self._ui_text: tuple[Any, int, str] | None = None
        self._numbers: tuple[Any, int, dict[str, tuple[str, str]]] | None = None  # (world, version, digits -> hit)
        self.last_result = ""  # what the last delivered input did, for obs["result"]
        self._enter: Handler | None = None  # the current screen's enter-key action (set when it is built)
        #: service -> virtual time a screen first showed its records. Reads through the apps are not
        #: World.call (drawing is not a request), so the phone notes them here, for measures of what an
        #: episode used; writes and explicit fetches are in the world's audit log as usual.
        self.seen: dict[str, int] = {}
        #: the virtual time the screen shows (status bar clock, "today", recent notifications). The view
        #: tree is rebuilt when the world or the UI changes, not every second, so this is the time of the
        #: last rebuild: state like any other (snapshots carry it).
        self.now = world.clock.now
        self._redraw: tuple[int, tuple[int, int]] | None = None  # after a restore: (draw time, tree key)

    def close(self) -> None:
        """Let go of the world (the env calls this when it drops the phone at reset and close).

        The cached view tree holds handlers bound to the phone (a cycle the cyclic GC alone can
        free); without its strong reference a dropped world is freed at once by reference counting.
        A closed phone cannot be used any more.
        """
        self._tree = None
        self._frames, self._ui_text, self._numbers = {}, None, None
        self._enter = None
        self.stacks = {}
        self.world = None  # type: ignore[assignment]

    # ---- state the apps read ---------------------------------------------------------------------
    def settings(self) -> dict[str, bool]:
        svc = self.world.services.get("phone")
        return dict(svc.settings) if svc is not None else {}  # type: ignore[attr-defined]

    def contacts(self) -> list[dict[str, Any]]:
        """Address book as the phone sees it: synced contacts plus contacts stored on the phone."""
        out = []
        if "contacts" in self.world.services:
            out += [{**p, "where": "synced"} for p in self.world.services["contacts"].table("people").values()]
        if "phone" in self.world.services:
            local = self.world.services["phone"].table("contacts").values()
            out += [{**p, "email": "", "where": "phone"} for p in local]
        return sorted(out, key=lambda p: (p["name"].lower(), p["id"]))

    def shown(self, service: str) -> Any:
        """The service whose records the screen being drawn displays (the read is noted in ``seen``)."""
        self.seen.setdefault(service, self.world.clock.now)
        return self.world.services[service]

    @staticmethod
    def book(person: dict[str, Any]) -> str:
        """The service an address-book entry of :meth:`contacts` comes from."""
        return "contacts" if person["where"] == "synced" else "phone"

    def lookup(self, number: str) -> tuple[str, str | None]:
        """(name, service of the matching address book) for a number; (number, None) if unknown."""
        index = self._numbers
        if index is None or index[0] is not self.world or index[1] != self.world.version:
            by_digits: dict[str, tuple[str, str]] = {}
            for p in self.contacts():  # in the book's order: the first match wins, as a scan would
                if p.get("phone"):
                    by_digits.setdefault(_digits(p["phone"]), (p["name"], self.book(p)))
            index = self._numbers = (self.world, self.world.version, by_digits)
        hit = index[2].get(_digits(number))
        return hit if hit is not None else (number, None)

    def name_for(self, number: str) -> str:
        """The name a screen shows for a number (noting the address book it came from as read)."""
        name, source = self.lookup(number)
        if source is not None:
            self.shown(source)
        return name

    # ---- navigation (called by handlers) ---------------------------------------------------------
    def _changed(self) -> None:
        self.ui_version += 1

    @property
    def screen(self) -> Screen | None:
        stack = self.stacks.get(self.current)
        return stack[-1] if stack else None

    def push(self, screen: Screen) -> None:
        self.stacks.setdefault(screen.package, []).append(screen)
        self._changed()

    def pop(self) -> None:
        stack = self.stacks.get(self.current)
        if stack and len(stack) > 1:
            stack.pop()
        else:
            self.current = system.LAUNCHER
        self._changed()

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
        self._changed()

    def home(self) -> None:
        self.shade_open = False
        self.current = system.LAUNCHER
        self._changed()

    def recents(self) -> None:
        self.shade_open = False
        self.current = system.RECENTS
        self._changed()

    def close_shade(self) -> None:
        self.shade_open = False
        self._changed()

    def shade_page(self, first: int) -> None:
        """Show the shade's notifications from the ``first`` on (its "N more" and "Newer" rows)."""
        self.shade_from = max(0, first)
        self._changed()

    def open_app_view(self, package: str, view: str, **params: Any) -> None:
        self._foreground(package)
        app = self.apps[package]
        self.stacks[package] = [app.home(), Screen(package, view, params)]
        self._changed()

    def open_thread(self, number: str) -> None:
        self.apps["com.claw.messages"].show_thread(self, number, fresh=True)  # type: ignore[attr-defined]

    def _foreground(self, package: str) -> None:
        self.shade_open = False
        self.current = package
        if package in self.recent:
            self.recent.remove(package)
        self.recent.insert(0, package)

    def focus(self, key: str) -> None:
        s = self.screen
        assert s is not None
        s.focus = key
        self._changed()

    def clear_field(self, key: str) -> None:
        """Empty a text field and focus it (a long press: select all, cut; the field shows its hint)."""
        s = self.screen
        assert s is not None
        s.fields[key] = ""
        s.focus = key
        self._changed()

    def ask(self, dialog: Dialog) -> None:
        s = self.screen
        assert s is not None
        s.dialog = dialog
        self._changed()

    def dismiss_dialog(self) -> None:
        s = self.screen
        if s is not None:
            s.dialog = None
        self._changed()

    def confirm_dialog(self) -> Any:
        s = self.screen
        assert s is not None and s.dialog is not None
        result = s.dialog.on_confirm()  # may raise ServiceError: the dialog stays, nothing changed
        if s.dialog is not None and self.screen is s:
            s.dialog = None
        self._changed()
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
        self._changed()
        return result

    # ---- PhoneDevice: input ----------------------------------------------------------------------
    def start_app(self, package: str) -> str | None:
        if not isinstance(package, str) or package.split("/")[0] not in self.apps:
            return (f"no app {package!r} on this phone; installed: {', '.join(self.apps)}")
        package = package.split("/")[0]
        if package not in self.stacks or not self.stacks[package]:
            self.stacks[package] = [self.apps[package].home()]
        self._foreground(package)
        self._changed()
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
        return self._run(node.on_long if long else node.on_tap, node)

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
            self._changed()
            return self._ok("opened the notification shade")
        if self.shade_open:
            if dy < -80 and abs(dx) < abs(dy):
                return self._run(self.close_shade, None)
            node = self.hit(x1, y1, long=True)
            if abs(dx) > 80 and node is not None and node.style == "notif" and node.on_long is not None:
                return self._run(node.on_long, node)
            return "swipe: in the shade, swipe a notification sideways to dismiss it, or swipe up to close"
        s = self.screen
        if s is None or self.current not in self.apps or not TOP <= y1 < BOTTOM or abs(dy) < abs(dx):
            return f"swipe: nothing scrolls that way here ({self.screen_name()})"
        content = next((n for n in self.tree()[0] if n.rid.endswith(":id/content")), None)
        if content is None or not content.scrollable:
            return f"swipe: {self.screen_name()} has nothing more to scroll"
        before = s.scroll
        s.scroll = max(0, s.scroll - dy)
        self._changed()
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
        self._changed()
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
            self._changed()
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

    def _ok(self, text: str) -> None:
        self.last_result = text
        return None

    def _run(self, handler: Any, node: Node | None) -> str | None:
        """Run a handler; a refusal (service error, GuiError) leaves everything as it was."""
        ui = self._snapshot()
        try:
            result = handler()
        except (ServiceError, GuiError) as exc:
            self._restore(ui)
            where = self.apps[self.current].label if self.current in self.apps else "phone"
            if isinstance(exc, TransientFault):  # as real apps do: say so on screen, keep what was typed
                self.toast = self._fault_toast = f"{where}: error {exc.kind}, try again"
                self._changed()
            return f"{where}: {exc}"
        self.toast = result if isinstance(result, str) else None
        label = (node.text or node.desc or node.rid) if node is not None else ""
        self.last_result = (f"tapped {label!r}; " if label else "") + f"now on {self.screen_name()}" + (
            f" ({self.toast})" if self.toast else "")
        self._changed()
        return None

    def _snapshot(self) -> tuple:
        """The navigation state as immutable data (screens hold only scalars, and a dialog that
        is replaced, never changed): restoring it builds fresh screens each time."""
        stacks = tuple((pkg, tuple((s.package, s.view, tuple(s.params.items()), s.scroll, tuple(s.fields.items()),
                                    s.focus, s.dialog) for s in stack)) for pkg, stack in self.stacks.items())
        return (stacks, self.current, tuple(self.recent), self.shade_open, self.shade_from, self.toast)

    def _restore(self, ui: tuple) -> None:
        stacks, self.current, recent, self.shade_open, self.shade_from, self.toast = ui
        self.stacks = {pkg: [Screen(p, v, dict(params), scroll, dict(fields), focus, dialog)
                             for p, v, params, scroll, fields, focus, dialog in stack] for pkg, stack in stacks}
        self.recent = list(recent)
        self._changed()

    # ---- snapshot participant (see claw_gym/snapshot.py) -----------------------------------------
    # The env registers the phone with its world, so World.snapshot/restore cover the UI state:
    # back stacks (views, parameters, scroll offsets, typed text, focus, open dialogs), the app in
    # front, recents, the shade, the toast, the last result and ``seen``. The apps hold no state and
    # everything they show is read from the services (restored by the world), so after a restore the
    # view tree is rebuilt from restored state; frames are keyed by the tree's content, never reused
    # for a different screen.
    def snapshot(self) -> tuple:
        tree = self._tree
        current = tree is not None and self.world is not None and tree[0] == (self.world.version, self.ui_version)
        return (self._snapshot(), tuple(self.seen.items()), self.last_result, self.now if current else None)

    def restore(self, state: tuple) -> None:
        ui, seen, self.last_result, drawn = state
        self._restore(ui)  # bumps ui_version (never restored: it only grows, so no cache key repeats)
        self.seen = dict(seen)
        self._tree = None
        self._enter = None
        # the world's version is already the restored world's (World.restore bumps it first)
        self._redraw = None if drawn is None or self.world is None else (drawn, (self.world.version, self.ui_version))

    def __getstate__(self) -> dict[str, Any]:
        """Pickle and deepcopy (of a world, which lists the phone) leave the caches out; the view tree
        holds handlers. The copy redraws the same tree (at the same draw time) when first asked."""
        state = dict(vars(self))
        tree = self._tree
        if tree is not None and self.world is not None and tree[0] == (self.world.version, self.ui_version):
            state["_redraw"] = (self.now, tree[0])
        state.update(_tree=None, _enter=None, _renderers={}, _frames={}, _ui_text=None, _numbers=None)
        return state

    def attach(self, world: World) -> None:
        """Use the phone again on ``world`` after :meth:`close` (the env restoring an older episode)."""
        self.world = world
        self._numbers = None  # a cache of another world

    # ---- the tree ----------------------------------------------------------------------------------
    def screen_name(self) -> str:
        if self.shade_open:
            return "notification shade"
        if self.current == system.LAUNCHER:
            return "home screen"
        if self.current == system.RECENTS:
            return "recent apps"
        s = self.screen
        return s.name if s else self.current

    def current_package(self) -> str:
        if self.shade_open:
            return system.SYSTEMUI
        return system.LAUNCHER if self.current == system.RECENTS else self.current

    def tree(self) -> tuple[list[Node], list[Node]]:
        """(top-level nodes in draw order, all nodes pre-order). Rebuilt only when something changed."""
        key = (self.world.version, self.ui_version)
        if self._tree is not None and self._tree[0] == key:
            return self._tree[1], self._tree[2]
        redraw, self._redraw = self._redraw, None
        # nothing changed since a restore: draw the tree the snapshot's phone had (drawn at its time)
        self.now = redraw[0] if redraw is not None and redraw[1] == key else self.world.clock.now
        self._enter = None
        notifs = system.notifications(self)
        nodes: list[Node] = [system.status_bar(self, len(notifs))]
        if self.shade_open:
            nodes += system.shade(self, notifs)
        elif self.current == system.LAUNCHER:
            nodes += system.launcher(self)
        elif self.current == system.RECENTS:
            nodes += system.recents(self)
        else:
            app, s = self.apps[self.current], self.screen
            assert s is not None
            nodes += app.build(self, s)
        if self.toast and (not self.shade_open or self.toast == self._fault_toast):  # a fault shows over the shade
            w = min(WIDTH - 40, 40 + 7 * len(self.toast))
            nodes.append(Node("android.widget.Toast", ((WIDTH - w) // 2, BOTTOM - 120, (WIDTH + w) // 2, BOTTOM - 84),
                              text=self.toast, package=self.current_package(), style="toast"))
        nodes.append(system.nav_bar(self))
        flat = [n for top in nodes for n in top.walk()]
        self._tree = (key, nodes, flat)
        return nodes, flat

    def hit(self, x: int, y: int, *, long: bool = False) -> Node | None:
        """The topmost node under (x, y) that takes this touch, or None."""
        _, flat = self.tree()
        for n in reversed(flat):
            if not n.contains(x, y):
                continue
            if (n.on_long if long else n.on_tap) is not None:
                return n
            if n.style in _BLOCKING or n.style == "dim":
                return None
        return None

    # ---- PhoneDevice: output -----------------------------------------------------------------------
    def frame(self, size: tuple[int, int] | None = None) -> np.ndarray:
        """The screen as (height, width, 3) uint8, rendered at ``size`` = (width, height)."""
        w, h = size or (self.width, self.height)
        r = self._renderers.get((w, h))
        if r is None:
            r = self._renderers[(w, h)] = Renderer(w, h, self.width, self.height)
        flat = self.tree()[1]
        hit = self._frames.get((w, h))
        if hit is not None and hit[0] is self._tree:  # the same tree object: the same pixels (cheaper than
            return hit[1]                             # the renderer's own signature check)
        frame = r.render(flat)
        self._frames[(w, h)] = (self._tree, frame)
        return frame

    def drawn_texts(self, size: tuple[int, int] | None = None) -> tuple[str, ...]:
        """Every string on the frame at ``size``, as drawn (ellipsized where the screen cuts it).

        Read from the renderer's record of the tiles it composed: the hook that holds the
        contract "what the screen shows, the text shows" (each must be in :meth:`ui_text`).
        """
        self.frame(size)
        return self._renderers[size or (self.width, self.height)].texts

    def screenshot(self) -> np.ndarray:
        return self.frame()

    def ui_xml(self) -> str:
        return uitree.to_xml(self.tree()[0], self.width, self.height, self.current_package())

    def ui_text(self, limit: int = 6000) -> str:
        nodes, _ = self.tree()
        hit = self._ui_text
        if hit is not None and hit[0] is self._tree and hit[1] == limit:  # most steps leave the screen as it was
            return hit[2]
        text = uitree.to_text(nodes, self.screen_name(), self.current_package(), limit, (self.width, self.height))
        self._ui_text = (self._tree, limit, text)
        return text

    def find(self, selector: str) -> Node | None:
        nodes, _ = self.tree()
        return uitree.find(nodes, selector)
