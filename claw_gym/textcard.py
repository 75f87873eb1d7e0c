"""The text card: an observation drawn as an image, for tasks the phone screen doesn't show.

An API-only task's phone sits on its home screen all episode, and ``phone=False`` gives a
blank screen, so their frames would all look alike. The card draws what changed instead:
the virtual time, the instruction, the last action and its result, new events and one line
per service summary. Pillow's bundled font (``ImageFont.load_default(size=...)``): no font
files to ship. ``ClawEnv.render()`` and ``claw-gym render`` both draw it.
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

import numpy as np

from . import actions as A

FONT_SIZE = 13
LINE_H = 16
MARGIN = 10
BG, FG, DIM, ACCENT = (250, 250, 247), (30, 30, 30), (110, 110, 110), (24, 96, 170)

#: (title, observation key or "action", most lines, wrapped) in drawing order; services: one line each.
SECTIONS: tuple[tuple[str, str, int, bool], ...] = (
    ("instruction", "instruction", 5, True),
    ("last action", "action", 3, True),
    ("result", "result", 8, True),
    ("events", "events", 6, True),
    ("services", "services", 16, False),
)


@lru_cache(maxsize=4)
def font(size: int = FONT_SIZE) -> Any:
    from PIL import ImageFont

    return ImageFont.load_default(size=size)


@lru_cache(maxsize=4)
def _char_width(size: int) -> float:
    sample = "abcdefghijklmnopqrstuvwxyz 0123456789:,.-"
    return float(font(size).getlength(sample)) / len(sample)


def columns(width_px: int, size: int = FONT_SIZE) -> int:
    """About how many characters of the font fit in ``width_px``."""
    return max(10, int(width_px / _char_width(size)))


def wrap(text: str, width: int, lines: int, wrapped: bool = True) -> list[str]:
    """At most ``lines`` lines of at most ``width`` characters; a cut ends in "...".

    ``wrapped=False`` keeps one line per input line (each cut to the width)."""
    out: list[str] = []
    for para in text.splitlines() or [""]:
        if wrapped:
            out.extend(textwrap.wrap(para, width) or [""])
        else:
            out.append(para if len(para) <= width else para[: width - 3] + "...")
        if len(out) > lines:
            break
    if len(out) > lines:
        out = out[:lines]
        out[-1] = out[-1][: width - 3] + "..."
    return out


def caption(action: Any) -> str:
    """A short human line for an action (``api calendar.update_event id="e0003" ...``); "" for None."""
    if action is None:
        return ""
    try:
        a = A.parse(action)
    except A.ActionError:
        return f"(invalid) {action if isinstance(action, str) else repr(action)}"
    if a.kind == "api":
        args = " ".join(f"{k}={json.dumps(v, ensure_ascii=False)}" for k, v in a.fields["args"].items())
        return f"api {a.fields['call']} {args}".strip()
    if a.kind == "gui":
        rest = " ".join(str(v) for k, v in a.fields.items() if k != "op")
        return f"{a.fields['op']} {rest}".strip()
    if a.kind == "shell":
        return f"$ {a.fields['cmd']}"
    if a.kind == "wait":
        return f"wait {a.fields['seconds']} s"
    return f"finish: {a.fields.get('message', '')}"


def text_card(obs: Mapping[str, Any], size: tuple[int, int], action: str | None = None) -> np.ndarray:
    """``obs`` (its text fields) and the last ``action`` as an RGB array of ``size`` (W, H)."""
    from PIL import Image, ImageDraw

    width, height = size
    img = Image.new("RGB", (width, height), BG)
    draw = ImageDraw.Draw(img)
    body, big = font(), font(FONT_SIZE + 3)
    cols = columns(width - 2 * MARGIN - 4)
    y = MARGIN
    draw.text((MARGIN, y), str(obs.get("time", "")), font=big, fill=ACCENT)
    y += LINE_H + 10
    fields = {**obs, "action": action or ""}
    for title, key, max_lines, wrapped in SECTIONS:
        text = str(fields.get(key) or "")
        room = (height - y) // LINE_H - 1
        if not text or room < 1:
            continue
        draw.text((MARGIN, y), title, font=body, fill=DIM)
        y += LINE_H
        for line in wrap(text, cols, min(max_lines, room), wrapped):
            draw.text((MARGIN + 4, y), line, font=body, fill=FG)
            y += LINE_H
        y += 6
    return np.asarray(img)


__all__ = ["text_card", "caption", "wrap", "columns", "font", "FONT_SIZE", "LINE_H"]
