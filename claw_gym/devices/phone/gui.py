"""The env's side of the phone: ``gui`` actions in, ``screen``/``ui`` observations out.

Element targets (``"element"`` in a tap or long_press) are resolved against the
screen the agent last saw: ``e12`` from ``obs["ui"]``, or a stable selector
(``id=...``, ``text=...``, ``desc=...``; see :mod:`.uitree`), which scripted
oracles use because it does not depend on numbering.
"""

from __future__ import annotations

import re
from typing import Any
from xml.etree import ElementTree

import numpy as np
from gymnasium import spaces

from ...spaces import UnicodeText
from .base import PhoneDevice
from .device import GuiError, SimPhone

#: Default observation frame (width, height): the 360x780 device at 3/4 scale. Small enough for
#: RL (474 KB per frame, a 12 px body font) and still legible when saved as a PNG.
SCREEN_SIZE = (270, 585)
UI_LIMIT = 6_000
OPS = ("tap", "long_press", "swipe", "type", "key")


def obs_spaces(screen_size: tuple[int, int]) -> dict[str, spaces.Space]:
    w, h = screen_size
    return {"screen": spaces.Box(0, 255, (h, w, 3), np.uint8), "ui": UnicodeText(UI_LIMIT)}


def blank(screen_size: tuple[int, int]) -> np.ndarray:
    w, h = screen_size
    return np.zeros((h, w, 3), np.uint8)


def observe(phone: PhoneDevice, screen_size: tuple[int, int]) -> tuple[np.ndarray, str]:
    """``obs["screen"]`` and the unbounded ``obs["ui"]`` text of any phone.

    The simulated phone renders at the observation's size and lists its elements (``e12``); another
    device is asked for a screenshot, scaled to the size (nearest pixel), and its uiautomator dump.
    """
    if isinstance(phone, SimPhone):
        # a fresh array per observation (users keep them); the phone itself re-renders only on change
        return phone.frame(screen_size).copy(), phone.ui_text(UI_LIMIT)
    return scale(phone.screenshot(), screen_size), xml_text(phone.ui_xml(), phone.current_package())


def scale(image: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """``image`` (h, w, 3) resized to ``size`` = (width, height) by nearest pixel: exact and cheap."""
    w, h = size
    rows = np.arange(h) * image.shape[0] // h
    cols = np.arange(w) * image.shape[1] // w
    return np.ascontiguousarray(image[rows][:, cols, :3], dtype=np.uint8)


_BOUNDS = re.compile(r"\[(-?\d+),(-?\d+)\]\[(-?\d+),(-?\d+)\]")


def xml_text(xml: str, package: str) -> str:
    """A uiautomator dump as lines an agent can act on: each labelled or clickable node and its centre
    in device pixels (taps on another device go by x and y, there are no element ids)."""
    try:
        root = ElementTree.fromstring(xml)
    except ElementTree.ParseError as exc:
        return f"app: {package}\n(the device's ui dump could not be read: {exc})"
    lines = [f"app: {package}"]
    for node in root.iter("node"):
        text, desc = node.get("text", ""), node.get("content-desc", "")
        clickable = node.get("clickable") == "true"
        m = _BOUNDS.fullmatch(node.get("bounds", ""))
        if m is None or not (text or desc or clickable):
            continue
        x1, y1, x2, y2 = map(int, m.groups())
        label = " ".join(part for part in (repr(text) if text else "", f"desc={desc!r}" if desc else "") if part)
        kind = node.get("class", "").rsplit(".", 1)[-1]
        lines.append(f"- {kind} {label} at ({(x1 + x2) // 2}, {(y1 + y2) // 2})".replace("  ", " "))
    return "\n".join(lines)


def _int(fields: dict[str, Any], key: str) -> int:
    v = fields.get(key)
    if isinstance(v, bool) or not isinstance(v, int):
        raise GuiError(f"'{key}' must be an integer (device pixels), got {v!r}")
    return v


def _point(phone: SimPhone, fields: dict[str, Any], op: str) -> tuple[int, int]:
    if "element" in fields:
        if "x" in fields or "y" in fields:
            raise GuiError(f"{op}: give either 'element' or 'x' and 'y', not both")
        sel = fields["element"]
        if not isinstance(sel, str) or not sel.strip():
            raise GuiError(f"{op}: 'element' must be an id like 'e12' or a selector like 'text=Save'")
        node = phone.find(sel)
        if node is None:
            raise GuiError(f"{op}: no element {sel!r} on {phone.screen_name()}; see obs['ui'] for the elements")
        return node.center()
    return _int(fields, "x"), _int(fields, "y")


def perform(phone: PhoneDevice, fields: dict[str, Any]) -> str:
    """Run one gui action on the phone; raise GuiError (nothing changed) or return what happened."""
    op = fields.get("op")
    if op not in OPS:
        raise GuiError(f"unknown gui op {op!r}; ops: {', '.join(OPS)}")
    allowed = {
        "tap": {"x", "y", "element"},
        "long_press": {"x", "y", "element"},
        "swipe": {"x", "y", "x2", "y2", "duration_ms"},
        "type": {"text"},
        "key": {"key"},
    }[op]
    extra = sorted(set(fields) - allowed - {"op"})
    if extra:
        raise GuiError(f"{op} takes {sorted(allowed)}, not {extra}")
    if op in ("tap", "long_press"):
        if not isinstance(phone, SimPhone) and "element" in fields:
            raise GuiError("tap by element needs the simulated phone; use x and y")
        x, y = _point(phone, fields, op) if isinstance(phone, SimPhone) else (_int(fields, "x"), _int(fields, "y"))
        err = phone.tap(x, y) if op == "tap" else phone.long_press(x, y)
    elif op == "swipe":
        dur = fields.get("duration_ms", 300)
        if isinstance(dur, bool) or not isinstance(dur, int) or not 1 <= dur <= 10_000:
            raise GuiError("'duration_ms' must be an integer between 1 and 10000")
        err = phone.swipe(_int(fields, "x"), _int(fields, "y"), _int(fields, "x2"), _int(fields, "y2"), dur)
    elif op == "type":
        err = phone.type_text(fields.get("text"))  # type: ignore[arg-type]  # type_text checks it: bad input is an observation
    else:
        err = phone.key(fields.get("key"))  # type: ignore[arg-type]  # key() checks it: bad input is an observation
    if err:
        raise GuiError(err.removeprefix("error: "))  # the env says "error: " once
    return getattr(phone, "last_result", "") or "ok"
