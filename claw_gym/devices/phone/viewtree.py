"""The simulated phone's view tree and its outputs: the tree is rebuilt only when the world or
the UI changed (a version pair), frames are rendered lazily per requested size, and the ui text
and the uiautomator XML are derived from the same tree.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, cast

import numpy as np

from . import system, uitree
from .layout import BOTTOM, WIDTH
from .render import Renderer
from .state import PhoneState
from .widgets import Node

if TYPE_CHECKING:
    from .device import SimPhone

_BLOCKING = ("dialog", "shade", "notif")  # styles that swallow touches that hit no button on them


class ViewTree(PhoneState):
    """The view tree and rendering, drawn from the state (a part of
    :class:`~claw_gym.devices.phone.device.SimPhone`)."""

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
        phone = cast("SimPhone", self)  # screens are drawn for the whole phone: their handlers navigate
        notifs = system.notifications(phone)
        nodes: list[Node] = [system.status_bar(phone, len(notifs))]
        if self.shade_open:
            nodes += system.shade(phone, notifs)
        elif self.current == system.LAUNCHER:
            nodes += system.launcher(phone)
        elif self.current == system.RECENTS:
            nodes += system.recents(phone)
        else:
            app, s = self.apps[self.current], self.screen
            assert s is not None
            built, self._enter = app.build(phone, s)
            nodes += built
        if self.toast and (not self.shade_open or self.toast == self._fault_toast):  # a fault shows over the shade
            w = min(WIDTH - 40, 40 + 7 * len(self.toast))
            nodes.append(
                Node(
                    "android.widget.Toast",
                    ((WIDTH - w) // 2, BOTTOM - 120, (WIDTH + w) // 2, BOTTOM - 84),
                    text=self.toast,
                    package=self.current_package(),
                    style="toast",
                )
            )
        nodes.append(system.nav_bar(phone))
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
            return hit[1]  # the renderer's own signature check)
        frame = r.render(flat)
        self._frames[(w, h)] = (self._tree, frame)
        return frame

    def frame_later(self, size: tuple[int, int]) -> Callable[[], np.ndarray]:
        """A function that returns a copy of the frame of the screen as it is now, at ``size``, drawn
        when called (an observation's screen is drawn only if someone reads it). Called after the
        phone moved on, it draws the tree it kept with a renderer of its own, leaving the phone's
        renderer (and its record of drawn texts) to the current screen."""
        self.tree()
        kept = self._tree
        assert kept is not None

        def draw() -> np.ndarray:
            if self._tree is kept and kept[0] == (self.world.version, self.ui_version):
                return self.frame(size).copy()  # still the screen it was: the phone's own frame
            hit = self._frames.get(size)
            if hit is not None and hit[0] is kept:
                return hit[1].copy()
            w, h = size
            return Renderer(w, h, self.width, self.height).render(kept[2]).copy()

        return draw

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
