"""SimPhone: a simulated Android phone over the world's services.

It holds only UI state (which app is open, each app's back stack, scroll offsets,
typed text, the shade); everything an app shows is read from the services at
draw time, and everything it changes goes through ``World.call(..., source="gui")``.
The view tree is rebuilt only when the world or the UI changed (a version pair),
and frames are rendered lazily, per requested size, from cached tiles.

Input methods follow :class:`~claw_gym.devices.phone.base.PhoneDevice`: ``None``
when delivered, else an error text, and an error changes nothing.

The class is built of three parts, one concern each, each on the one before: :mod:`.state`
(what the phone holds, the apps' reads, snapshots, closing and attaching), :mod:`.viewtree`
(the view tree drawn from that state, rendering, the ui text and XML) and :mod:`.navigation`
(back stacks, dialogs, the door into the world, and input, hit-tested on the tree).
Apps use only the public methods (see :mod:`.apps.base`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from . import system
from .apps import APPS
from .apps.base import App
from .navigation import MAX_TYPE, NEEDS_RADIO, Navigation
from .render import Renderer
from .widgets import GuiError, Handler, Node, Screen

if TYPE_CHECKING:
    from ...world import World


class SimPhone(Navigation):
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


__all__ = ["SimPhone", "GuiError", "MAX_TYPE", "NEEDS_RADIO"]
