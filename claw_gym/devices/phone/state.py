"""The simulated phone's state: what it holds, what its apps read, and snapshots of it.

The phone holds only UI state (the app in front, each app's back stack, scroll offsets, typed
text, the shade, the toast); everything an app shows is read from the world's services when
drawn. The reads here are the apps' read API: ``shown`` notes a drawn service in ``seen``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

import numpy as np

from ...services.phone import Phone as PhoneService
from .apps.base import App
from .layout import HEIGHT, WIDTH
from .render import Renderer
from .widgets import Handler, Node, Screen

if TYPE_CHECKING:
    from ...world import World


AppT = TypeVar("AppT", bound=App)


def _digits(number: str) -> str:
    return "".join(c for c in number if c.isdigit())


class PhoneState:
    """State and reads: the base of :class:`~claw_gym.devices.phone.device.SimPhone`."""

    width = WIDTH
    height = HEIGHT
    # SimPhone.__init__ (device.py) sets these; the parts built on this one read them
    world: World
    apps: dict[str, App]
    stacks: dict[str, list[Screen]]
    current: str  # a package, system.LAUNCHER or system.RECENTS
    recent: list[str]
    shade_open: bool
    shade_from: int
    toast: str | None
    _fault_toast: str | None
    ui_version: int
    last_result: str
    seen: dict[str, int]
    now: int
    # caches of the view tree (viewtree.py), dropped by restore and close
    _tree: tuple[tuple[int, int], list[Node], list[Node]] | None
    _renderers: dict[tuple[int, int], Renderer]
    _frames: dict[tuple[int, int], tuple[Any, np.ndarray]]
    _ui_text: tuple[Any, int, str] | None
    _numbers: tuple[Any, int, dict[str, tuple[str, str]]] | None
    _enter: Handler | None
    _redraw: tuple[int, tuple[int, int]] | None

    def app(self, package: str, kind: type[AppT]) -> AppT:
        """An installed app as its own class, for the calls one app makes into another (dial, compose, a thread)."""
        app = self.apps[package]
        if not isinstance(app, kind):
            raise TypeError(f"{package} is a {type(app).__name__}, not a {kind.__name__}")
        return app

    @property
    def screen(self) -> Screen | None:
        """The screen in front: the top of the current app's back stack (None on system screens)."""
        stack = self.stacks.get(self.current)
        return stack[-1] if stack else None

    def changed(self) -> None:
        """Note a change of the UI state: the view tree is rebuilt when next asked for."""
        self.ui_version += 1

    def has_service(self, name: str) -> bool:
        """Whether the world has this service (apps offer what it allows)."""
        return name in self.world.services

    def service(self, name: str) -> Any:
        """A service a handler reads to act (not drawn: not noted in ``seen``); changes go through call()."""
        return self.world.services[name]

    # ---- state the apps read ---------------------------------------------------------------------
    def settings(self) -> dict[str, bool]:
        svc = self.world.services.get("phone")
        return dict(svc.settings) if isinstance(svc, PhoneService) else {}

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
        self.world = None  # type: ignore[assignment]  # closed: any later use fails at once

    def _snapshot(self) -> tuple:
        """The navigation state as immutable data (screens hold only scalars, and a dialog that
        is replaced, never changed): restoring it builds fresh screens each time."""
        stacks = tuple(
            (
                pkg,
                tuple(
                    (s.package, s.view, tuple(s.params.items()), s.scroll, tuple(s.fields.items()), s.focus, s.dialog)
                    for s in stack
                ),
            )
            for pkg, stack in self.stacks.items()
        )
        return (stacks, self.current, tuple(self.recent), self.shade_open, self.shade_from, self.toast)

    def _restore(self, ui: tuple) -> None:
        stacks, self.current, recent, self.shade_open, self.shade_from, self.toast = ui
        self.stacks = {
            pkg: [
                Screen(p, v, dict(params), scroll, dict(fields), focus, dialog)
                for p, v, params, scroll, fields, focus, dialog in stack
            ]
            for pkg, stack in stacks
        }
        self.recent = list(recent)
        self.changed()

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
