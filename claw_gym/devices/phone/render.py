"""Draw a view tree with Pillow, fast enough to re-render on every step.

Each visible node is drawn once into a small tile, cached by everything that
affects its pixels (style, texts, size, state), and pasted onto the frame. A tap
that changes one row redraws one tile; the rest are cache hits. Text uses
Pillow's bundled scalable font (``ImageFont.load_default(size)``, Pillow >= 10.1)
so frames are identical on every machine and no font file is needed.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from functools import lru_cache

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from ... import caches
from .widgets import Node

RGB = tuple[int, int, int]
INK: RGB = (32, 33, 36)
GRAY: RGB = (95, 99, 104)
LIGHT: RGB = (232, 234, 237)
BG: RGB = (250, 250, 250)
WHITE: RGB = (255, 255, 255)
ACCENT: RGB = (26, 115, 232)
SHADE: RGB = (32, 36, 44)
TILE_CACHE_BYTES = 24 << 20  # per frame scale, shared by all phones of a process

#: font sizes in device pixels, by role
SIZES = {"title": 20, "row": 16, "sub": 13, "body": 15, "small": 12, "icon": 24, "status": 13, "key": 26}
LINE = {k: round(v * 1.35) for k, v in SIZES.items()}


@lru_cache(maxsize=64)
def font(px: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.load_default(size=max(6, px))


@caches.bounded(8192)
def text_width(text: str, role: str) -> float:
    return float(font(SIZES[role]).getlength(text))


@caches.bounded(4096)
def wrap(text: str, width: int, role: str = "body") -> tuple[str, ...]:
    """Greedy word wrap to ``width`` device pixels (long words are cut)."""
    out: list[str] = []
    for para in text.split("\n"):
        line = ""
        for word in para.split(" "):
            cand = f"{line} {word}" if line else word
            if text_width(cand, role) <= width:
                line = cand
                continue
            if line:
                out.append(line)
            while text_width(word, role) > width and len(word) > 1:
                cut = max(1, int(len(word) * width / text_width(word, role)))
                out.append(word[:cut])
                word = word[cut:]
            line = word
        out.append(line)
    return tuple(out)


def ellipsize(text: str, width: float, px: int) -> str:
    f = font(px)
    text = text[:160].replace("\n", " ")  # a row never shows more; keeps this loop short
    if f.getlength(text) <= width:
        return text
    while text and f.getlength(text + "...") > width:
        text = text[:-1]
    return text + "..."


class Painter:
    """Tile drawing helpers at one scale (device pixels -> frame pixels).

    ``drawn`` collects every string :meth:`text` puts on a tile (the one text-drawing function):
    the renderer keeps them with the tile, so each frame knows the strings it shows. That is the
    hook the ui-completeness test reads (``SimPhone.drawn_texts``): what the screen shows, the
    text shows.
    """

    def __init__(self, scale: float) -> None:
        self.s = scale
        self.drawn: list[str] = []

    def px(self, v: float) -> int:
        return int(round(v * self.s))

    def f(self, role: str) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
        return font(self.px(SIZES[role]))

    def text(
        self,
        d: ImageDraw.ImageDraw,
        xy: tuple[float, float],
        text: str,
        role: str,
        fill: RGB,
        max_w: float | None = None,
        anchor: str = "la",
    ) -> None:
        if max_w is not None:
            text = ellipsize(text, self.px(max_w), self.px(SIZES[role]))
        if text:
            self.drawn.append(text)
        d.text((self.px(xy[0]), self.px(xy[1])), text, font=self.f(role), fill=fill, anchor=anchor)


def _row(p: Painter, d: ImageDraw.ImageDraw, n: Node, w: int, h: int) -> None:
    d.rectangle((0, 0, p.px(w), p.px(h)), fill=WHITE)
    right = 60 if n.style == "switchrow" else 16
    if n.sub:
        p.text(d, (16, h / 2 - 2), n.text, "row", INK, w - 16 - right, "ls")
        p.text(d, (16, h / 2 + 4), n.sub, "sub", GRAY, w - 16 - right, "lt")
    else:
        p.text(d, (16, h / 2), n.text, "row", INK, w - 16 - right, "lm")
    d.line((p.px(16), p.px(h) - 1, p.px(w), p.px(h) - 1), fill=LIGHT)
    if n.style == "switchrow":
        on = n.checked
        x0, y0 = w - 56, h / 2 - 10
        d.rounded_rectangle(
            (p.px(x0), p.px(y0), p.px(x0 + 40), p.px(y0 + 20)),
            radius=p.px(10),
            fill=(n.color or ACCENT) if on else (189, 193, 198),
        )
        cx = x0 + (30 if on else 10)
        d.ellipse((p.px(cx - 8), p.px(y0 + 2), p.px(cx + 8), p.px(y0 + 18)), fill=WHITE)


def _lines(
    p: Painter, d: ImageDraw.ImageDraw, lines: tuple[str, ...], x: float, y: float, role: str, fill: RGB
) -> None:
    for i, line in enumerate(lines):
        p.text(d, (x, y + i * LINE[role]), line, role, fill)


def _draw(p: Painter, n: Node, w: int, h: int, size: tuple[int, int]) -> Image.Image:
    """One node's tile: w, h in device pixels, ``size`` in frame pixels (edges rounded, not the length)."""
    style, color = n.style, n.color or ACCENT
    img = Image.new("RGB", (max(1, size[0]), max(1, size[1])), WHITE)
    d = ImageDraw.Draw(img)
    if style in ("row", "switchrow"):
        _row(p, d, n, w, h)
    elif style == "header":
        d.rectangle((0, 0, img.width, img.height), fill=BG)
        p.text(d, (16, h / 2), n.text.upper(), "small", color, w - 32, "lm")
    elif style == "statusbar":
        d.rectangle((0, 0, img.width, img.height), fill=SHADE)
        p.text(d, (12, h / 2), n.text, "status", WHITE, anchor="lm")
        p.text(d, (w - 10, h / 2), n.sub, "status", WHITE, anchor="rm")
    elif style == "badge":
        d.rectangle((0, 0, img.width, img.height), fill=SHADE)
        d.ellipse((0, 0, img.width - 1, img.height - 1), fill=(234, 67, 53))
        p.text(d, (w / 2, h / 2), n.text, "small", WHITE, anchor="mm")
    elif style == "navbar":
        d.rectangle((0, 0, img.width, img.height), fill=(0, 0, 0))
    elif style == "navbtn":
        d.rectangle((0, 0, img.width, img.height), fill=(0, 0, 0))
        cx, cy, r = p.px(w / 2), p.px(h / 2), p.px(9)
        if n.desc == "Back":
            d.polygon([(cx - r, cy), (cx + r, cy - r), (cx + r, cy + r)], outline=WHITE, width=2)
        elif n.desc == "Home":
            d.ellipse((cx - r, cy - r, cx + r, cy + r), outline=WHITE, width=2)
        else:
            d.rectangle((cx - r + 1, cy - r + 1, cx + r - 1, cy + r - 1), outline=WHITE, width=2)
    elif style == "appbar":
        d.rectangle((0, 0, img.width, img.height), fill=color)
        p.text(d, (16, h / 2), n.text, "title", WHITE, w - 32, "lm")
    elif style == "appbar_back":
        d.rectangle((0, 0, img.width, img.height), fill=color)
        cy = p.px(h / 2)
        x1, x2 = p.px(16), p.px(32)
        d.line((x1, cy, x2, cy), fill=WHITE, width=max(2, p.px(2)))
        d.line((x1, cy, x1 + p.px(7), cy - p.px(7)), fill=WHITE, width=max(2, p.px(2)))
        d.line((x1, cy, x1 + p.px(7), cy + p.px(7)), fill=WHITE, width=max(2, p.px(2)))
        p.text(d, (48, h / 2), n.text, "title", WHITE, w - 60, "lm")
    elif style == "input":
        border = color if n.focused else (189, 193, 198)
        d.rounded_rectangle(
            (p.px(16), p.px(4), p.px(w - 16), p.px(h - 4)), radius=p.px(6), outline=border, width=2 if n.focused else 1
        )
        shown = "*" * len(n.text) if n.password else n.text
        caret = 27.0
        if shown:
            p.text(d, (28, h / 2), shown, "row", INK, w - 58, "lm")
            caret = 29 + min(text_width(shown, "row"), w - 58)
        else:
            p.text(d, (28, h / 2), n.sub, "row", (154, 160, 166), w - 56, "lm")
        if n.focused:  # the caret is a line, not a character (it is no text of the field)
            d.line((p.px(caret), p.px(h / 2 - 9), p.px(caret), p.px(h / 2 + 9)), fill=color, width=1)
    elif style in ("button", "textbutton", "chip"):
        filled = style == "button" or (style == "chip" and n.selected)
        if filled:
            d.rounded_rectangle(
                (p.px(4), p.px(4), p.px(w - 4), p.px(h - 4)),
                radius=p.px(18),
                fill=color if n.enabled else (189, 193, 198),
            )
        elif style == "chip":
            d.rounded_rectangle((p.px(4), p.px(4), p.px(w - 4), p.px(h - 4)), radius=p.px(18), outline=color)
        p.text(d, (w / 2, h / 2), n.text, "row", WHITE if filled else color, w - 16, "mm")
    elif style == "fab":
        d.rectangle((0, 0, img.width, img.height), fill=BG)
        d.ellipse((0, 0, img.width - 1, img.height - 1), fill=color)
        cx, cy, r = img.width // 2, img.height // 2, p.px(10)
        d.line((cx - r, cy, cx + r, cy), fill=WHITE, width=max(2, p.px(3)))
        d.line((cx, cy - r, cx, cy + r), fill=WHITE, width=max(2, p.px(3)))
    elif style == "para":
        _lines(p, d, n.lines, 16, 2, "body", INK)
    elif style in ("bubble_in", "bubble_out"):
        mine = style == "bubble_out"
        lines = n.lines
        bw = max(text_width(s, "body") for s in lines) + 24 if lines else 40
        bw = max(bw, text_width(n.sub, "small") + 24)
        x0 = w - 12 - bw if mine else 12
        d.rounded_rectangle(
            (p.px(x0), p.px(2), p.px(x0 + bw), p.px(h - 2)), radius=p.px(12), fill=color if mine else LIGHT
        )
        fill = WHITE if mine else INK
        _lines(p, d, lines, x0 + 12, 8, "body", fill)
        p.text(d, (x0 + 12, h - 8), n.sub, "small", (220, 230, 255) if mine else GRAY, anchor="ls")
    elif style == "icon":
        d.rectangle((0, 0, img.width, img.height), fill=BG)
        s = 56
        x0 = (w - s) / 2
        d.rounded_rectangle((p.px(x0), p.px(6), p.px(x0 + s), p.px(6 + s)), radius=p.px(16), fill=color)
        p.text(d, (w / 2, 6 + s / 2), n.sub, "icon", WHITE, anchor="mm")
        p.text(d, (w / 2, 6 + s + 8), n.text, "sub", INK, w - 4, "mt")
    elif style == "dialog":
        d.rectangle((0, 0, img.width, img.height), fill=(110, 110, 110))
        d.rounded_rectangle((0, 0, img.width - 1, img.height - 1), radius=p.px(16), fill=WHITE)
        p.text(d, (20, 18), n.text, "title", INK, w - 40)
        _lines(p, d, n.lines, 20, 52, "body", GRAY)
    elif style == "toast":
        d.rectangle((0, 0, img.width, img.height), fill=BG)
        d.rounded_rectangle((0, 0, img.width - 1, img.height - 1), radius=p.px(18), fill=(60, 64, 67))
        p.text(d, (w / 2, h / 2), n.text, "sub", WHITE, w - 24, "mm")
    elif style == "shade":
        d.rectangle((0, 0, img.width, img.height), fill=SHADE)
    elif style == "notif":
        d.rectangle((0, 0, img.width, img.height), fill=SHADE)
        d.rounded_rectangle((p.px(8), 0, p.px(w - 8), p.px(h - 6)), radius=p.px(14), fill=(60, 64, 72))
        p.text(d, (22, 10), n.sub, "small", (170, 200, 255), w - 44)
        p.text(d, (22, 28), n.text, "row", WHITE, w - 44)
        _lines(p, d, n.lines, 22, 50, "sub", (210, 214, 220))
    elif style == "notif_action":
        d.rectangle((0, 0, img.width, img.height), fill=(60, 64, 72))
        p.text(d, (w / 2, h / 2), n.text, "sub", (138, 180, 248), w - 8, "mm")
    elif style == "tile":
        d.rectangle((0, 0, img.width, img.height), fill=SHADE)
        d.rounded_rectangle(
            (p.px(4), p.px(4), p.px(w - 4), p.px(h - 4)),
            radius=p.px(14),
            fill=(138, 180, 248) if n.checked else (70, 74, 82),
        )
        p.text(d, (w / 2, h / 2), n.text, "small", INK if n.checked else WHITE, w - 12, "mm")
    elif style == "shade_text":
        d.rectangle((0, 0, img.width, img.height), fill=SHADE)
        p.text(d, (w / 2, h / 2), n.text, "sub", (200, 204, 210), w - 16, "mm")
    elif style == "card":
        d.rectangle((0, 0, img.width, img.height), fill=(218, 220, 224))
        d.rounded_rectangle((p.px(16), p.px(6), p.px(w - 16), p.px(h - 6)), radius=p.px(14), fill=WHITE)
        d.rounded_rectangle((p.px(16), p.px(6), p.px(w - 16), p.px(48)), radius=p.px(14), fill=color)
        p.text(d, (32, 27), n.text, "row", WHITE, w - 64, "lm")
        p.text(d, (32, 70), n.sub, "sub", GRAY, w - 64)
    elif style == "empty":
        d.rectangle((0, 0, img.width, img.height), fill=BG)
        p.text(d, (w / 2, h / 2), n.text, "body", GRAY, w - 32, "mm")
    elif style == "key":
        d.rectangle((0, 0, img.width, img.height), fill=WHITE)
        d.ellipse((p.px(w / 2 - 30), p.px(h / 2 - 30), p.px(w / 2 + 30), p.px(h / 2 + 30)), fill=LIGHT)
        p.text(d, (w / 2, h / 2), n.text, "key", INK, anchor="mm")
    elif style == "display":
        d.rectangle((0, 0, img.width, img.height), fill=WHITE)
        p.text(d, (w / 2, h / 2), n.text or n.sub, "key", INK if n.text else (154, 160, 166), w - 32, "mm")
    elif style == "bigtext":
        d.rectangle((0, 0, img.width, img.height), fill=WHITE)
        p.text(d, (16, h / 2), n.text, "key", INK, w - 32, "lm")
    else:
        d.rectangle((0, 0, img.width, img.height), fill=BG)
    return img


def _dim(frame: np.ndarray) -> None:
    """Darken in place what is under a dialog (45% black)."""
    np.copyto(frame, ((frame.astype(np.uint16) * 141) >> 8).astype(np.uint8))


#: styles drawn as a translucent layer over what is below
_OVERLAYS: dict[str, Callable[[np.ndarray], None]] = {"dim": _dim}


class TileCache(OrderedDict):
    """LRU tiles bounded by their bytes: (uint8 array, the strings drawn on it) by key."""

    def __init__(self, limit: int = TILE_CACHE_BYTES) -> None:
        super().__init__()
        self.limit, self.nbytes = limit, 0

    def put(self, key: tuple, tile: tuple[np.ndarray, tuple[str, ...]]) -> None:
        self[key] = tile
        self.nbytes += tile[0].nbytes
        while self.nbytes > self.limit and len(self) > 1:
            _, old = self.popitem(last=False)
            self.nbytes -= old[0].nbytes

    def clear(self) -> None:
        super().clear()
        self.nbytes = 0


#: tiles by scale, shared by every phone of the process: a new episode's home screen, bars and
#: icons are cache hits (tiles are immutable once drawn)
_TILES: dict[float, TileCache] = {}
_BLANKS: dict[tuple[tuple[int, int], RGB], np.ndarray] = {}


@caches.register
def _clear_tiles() -> None:
    for tiles in _TILES.values():
        tiles.clear()


class Renderer:
    """Frames of one size. Caches tiles (process-wide), and its last frame by the screen's signature.

    Tiles are drawn with Pillow once, kept as numpy arrays, and composed by array slicing:
    no Pillow image per frame and no image-to-array conversion.
    """

    def __init__(self, width: int, height: int, device_width: int, device_height: int) -> None:
        self.size = (width, height)
        self.painter = Painter(width / device_width)
        self.tiles = _TILES.setdefault(self.painter.s, TileCache())
        self.last: tuple[tuple, np.ndarray] | None = None
        self.frames = 0  # full compositions done (for tests and benchmarks)
        #: the strings drawn on the last frame, in draw order (the ui-completeness hook, see Painter)
        self.texts: tuple[str, ...] = ()

    def _tile(self, n: Node) -> tuple[np.ndarray, tuple[str, ...]]:
        x1, y1, x2, y2 = n.rect
        px = self.painter.px
        size = (px(x2) - px(x1), px(y2) - px(y1))  # so that neighbouring tiles meet without a gap
        key = (
            n.style,
            n.text,
            n.sub,
            n.desc,
            x2 - x1,
            y2 - y1,
            size,
            n.color,
            n.checked,
            n.focused,
            n.selected,
            n.enabled,
            n.password,
            n.lines,
        )
        tile = self.tiles.get(key)
        if tile is None:
            self.painter.drawn = []
            tile = (np.asarray(_draw(self.painter, n, x2 - x1, y2 - y1, size)), tuple(self.painter.drawn))
            self.tiles.put(key, tile)
        else:
            self.tiles.move_to_end(key)
        return tile

    def render(self, nodes: list[Node], background: RGB = BG) -> np.ndarray:
        drawn = [n for n in nodes if n.style]
        sig = tuple(
            (
                n.style,
                n.text,
                n.sub,
                n.desc,
                n.bounds,
                n.rect,
                n.color,
                n.checked,
                n.focused,
                n.selected,
                n.enabled,
                n.password,
                n.lines,
            )
            for n in drawn
        )
        if self.last is not None and self.last[0] == sig:
            return self.last[1]  # the same screen: ``texts`` are still the last frame's
        px = self.painter.px
        w, h = self.size
        blank = _BLANKS.get((self.size, background))
        if blank is None:  # a numpy broadcast fill of (h, w, 3) costs milliseconds; a copy microseconds
            blank = _BLANKS[(self.size, background)] = np.asarray(Image.new("RGB", self.size, background))
        frame = blank.copy()
        texts: list[str] = []
        for n in drawn:
            if n.style in _OVERLAYS:
                _OVERLAYS[n.style](frame)
                continue
            tile, strings = self._tile(n)
            fx1, fy1 = px(n.rect[0]), px(n.rect[1])
            bx1, by1, bx2, by2 = (px(v) for v in n.bounds)
            bx1, by1, bx2, by2 = max(bx1, 0), max(by1, 0), min(bx2, w), min(by2, h)
            if bx2 > bx1 and by2 > by1:
                frame[by1:by2, bx1:bx2] = tile[by1 - fy1 : by2 - fy1, bx1 - fx1 : bx2 - fx1]
                texts += strings
        frame.flags.writeable = False
        self.last = (sig, frame)
        self.texts = tuple(texts)
        self.frames += 1
        return frame
