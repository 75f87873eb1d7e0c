"""Build one app screen as a column of widgets, then clip it to the scrolled viewport.

Apps describe a screen top to bottom (``page.row(...)``, ``page.field(...)``,
``page.button(...)``); :meth:`Page.finish` places the column under the app bar,
applies the screen's scroll offset, keeps what is visible (bounds clipped as
uiautomator reports them) and adds the fixed parts (app bar, floating button,
confirmation dialog).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .render import LINE, wrap
from .widgets import Dialog, Handler, Node, Screen

if TYPE_CHECKING:
    from .device import SimPhone

WIDTH, HEIGHT = 360, 780
STATUS_H, APPBAR_H, NAV_H = 28, 56, 48
TOP = STATUS_H + APPBAR_H
BOTTOM = HEIGHT - NAV_H
TEXT_W = WIDTH - 32
TEXT_MAX = 6_000  # characters of one body shown on the phone (longer ones are cut with a note)
CHUNK = 12  # lines per paragraph node: long bodies become several tiles, only visible ones are drawn

W = "android.widget."


class Page:
    def __init__(
        self, phone: SimPhone, screen: Screen, title: str, color: tuple[int, int, int], *, back: bool = True
    ) -> None:
        self.phone, self.screen, self.title, self.color, self.back = phone, screen, title, color, back
        self.pkg = screen.package
        self.items: list[Node] = []  # content, y relative to the top of the column
        self.y = 0
        self.fab_node: Node | None = None
        self.on_enter: Handler | None = None

    def rid(self, name: str) -> str:
        return f"{self.pkg}:id/{name}" if name else ""

    def add(self, cls: str, h: int, **kw: Any) -> Node:
        kw["rid"] = self.rid(kw.get("rid", ""))
        n = Node(W + cls, (0, self.y, WIDTH, self.y + h), package=self.pkg, **kw)
        self.items.append(n)
        self.y += h
        return n

    # ---- widgets -------------------------------------------------------------------------------
    def header(self, text: str) -> Node:
        return self.add("TextView", 32, text=text, style="header", color=self.color)

    def row(
        self,
        title: str,
        sub: str = "",
        *,
        on_tap: Handler | None = None,
        on_long: Handler | None = None,
        rid: str = "row",
        h: int = 64,
    ) -> Node:
        return self.add(
            "LinearLayout",
            h if sub else min(h, 52),
            text=title,
            desc=sub,
            sub=sub,
            style="row",
            on_tap=on_tap,
            on_long=on_long,
            rid=rid,
        )

    def switch(
        self,
        title: str,
        checked: bool,
        on_tap: Handler,
        *,
        sub: str = "",
        rid: str = "switch",
        on_long: Handler | None = None,
    ) -> Node:
        return self.add(
            "Switch",
            60 if sub else 52,
            text=title,
            sub=sub,
            desc=sub,
            style="switchrow",
            checkable=True,
            checked=checked,
            on_tap=on_tap,
            on_long=on_long,
            rid=rid,
            color=self.color,
        )

    def field(self, key: str, hint: str, *, rid: str = "", password: bool = False) -> Node:
        """A text field; tapping it focuses it, then ``type`` actions fill it. A long press
        clears it and focuses it (select all, then cut), so a prefilled value is replaced
        without one ``delete`` key per character."""
        value = self.screen.fields.get(key, "")
        focused = self.screen.focus == key
        return self.add(
            "EditText",
            56,
            text=value,
            sub=hint,
            style="input",
            focused=focused,
            focusable=True,
            password=password,
            on_tap=lambda: self.phone.focus(key),
            rid=rid or key,
            on_long=lambda: self.phone.clear_field(key),
            color=self.color,
        )

    def fields(self, specs: list[tuple[str, str]]) -> None:
        """A form: (key, hint) per text field; the key is also the field's resource-id."""
        for key, hint in specs:
            self.field(key, hint, rid=key)

    def button(self, label: str, on_tap: Handler, *, rid: str = "", color: tuple[int, int, int] | None = None) -> Node:
        n = self.add("Button", 52, text=label, style="button", on_tap=on_tap, rid=rid, color=color or self.color)
        n.bounds = n.full = (16, n.bounds[1], WIDTH - 16, n.bounds[3])
        return n

    def buttons(self, specs: list[tuple[str, Handler, str]]) -> list[Node]:
        """Buttons side by side: (label, handler, rid)."""
        out, w = [], (WIDTH - 32) // max(1, len(specs))
        for i, (label, handler, rid) in enumerate(specs):
            n = Node(
                W + "Button",
                (16 + i * w, self.y, 16 + (i + 1) * w, self.y + 52),
                text=label,
                rid=self.rid(rid),
                package=self.pkg,
                style="button",
                on_tap=handler,
                color=self.color,
            )
            self.items.append(n)
            out.append(n)
        self.y += 52
        return out

    def chips(self, specs: list[tuple[str, bool, Handler, str]]) -> None:
        """A row of tabs: (label, selected, handler, rid)."""
        w = (WIDTH - 16) // max(1, len(specs))
        for i, (label, selected, handler, rid) in enumerate(specs):
            self.items.append(
                Node(
                    W + "Button",
                    (8 + i * w, self.y, 8 + (i + 1) * w, self.y + 48),
                    text=label,
                    rid=self.rid(rid),
                    package=self.pkg,
                    style="chip",
                    selected=selected,
                    on_tap=handler,
                    color=self.color,
                )
            )
        self.y += 52

    def text(self, body: str, *, rid: str = "body") -> None:
        if len(body) > TEXT_MAX:
            body = body[:TEXT_MAX] + f" ... [{len(body) - TEXT_MAX} more characters not shown on the phone]"
        lines = wrap(body, TEXT_W, "body")
        for i in range(0, len(lines), CHUNK):
            part = lines[i : i + CHUNK]
            last = i + CHUNK >= len(lines)
            self.add(
                "TextView",
                len(part) * LINE["body"] + (12 if last else 0),
                text="\n".join(part),
                style="para",
                lines=part,
                rid=rid if i == 0 else "",
            )

    def bubble(self, body: str, meta: str, mine: bool, *, on_long: Handler | None = None) -> Node:
        lines = wrap(body[:1000], int(WIDTH * 0.7), "body")
        return self.add(
            "TextView",
            len(lines) * LINE["body"] + 34,
            text=body,
            desc=meta,
            sub=meta,
            style="bubble_out" if mine else "bubble_in",
            lines=lines,
            rid="message",
            color=self.color,
            on_long=on_long,
        )

    def big(self, text: str, *, rid: str = "big") -> Node:
        return self.add("TextView", 64, text=text, style="bigtext", rid=rid)

    def empty(self, text: str) -> Node:
        return self.add("TextView", 120, text=text, style="empty", rid="empty")

    def gap(self, h: int = 12) -> None:
        self.y += h

    def fab(self, desc: str, on_tap: Handler, *, rid: str = "fab") -> None:
        self.fab_node = Node(
            W + "ImageButton",
            (WIDTH - 80, BOTTOM - 80, WIDTH - 24, BOTTOM - 24),
            desc=desc,
            rid=self.rid(rid),
            package=self.pkg,
            style="fab",
            on_tap=on_tap,
            color=self.color,
        )

    # ---- placing ------------------------------------------------------------------------------
    def finish(self) -> list[Node]:
        """Screen-coordinate nodes: app bar, the visible part of the column, fab, dialog."""
        s = self.screen
        s.scroll = max(0, min(s.scroll, self.max_scroll))
        bar = Node(W + "FrameLayout", (0, STATUS_H, WIDTH, TOP), package=self.pkg, rid=self.rid("toolbar"))
        if self.back:
            bar.children.append(
                Node(
                    W + "ImageButton",
                    (0, STATUS_H, WIDTH, TOP),
                    text=self.title,
                    desc="Navigate up",
                    package=self.pkg,
                    style="appbar_back",
                    color=self.color,
                    on_tap=self.phone.back,
                    rid=self.rid("up"),
                )
            )
        else:
            bar.children.append(
                Node(
                    W + "TextView",
                    (0, STATUS_H, WIDTH, TOP),
                    text=self.title,
                    package=self.pkg,
                    style="appbar",
                    color=self.color,
                    rid=self.rid("title"),
                )
            )
        content = Node(
            "androidx.recyclerview.widget.RecyclerView",
            (0, TOP, WIDTH, BOTTOM),
            package=self.pkg,
            rid=self.rid("content"),
            scrollable=self.max_scroll > 0,
        )
        for n in self.items:
            x1, y1, x2, y2 = n.bounds
            y1, y2 = y1 + TOP - s.scroll, y2 + TOP - s.scroll
            if y2 <= TOP or y1 >= BOTTOM:
                continue
            n.full = (x1, y1, x2, y2)
            n.bounds = (x1, max(y1, TOP), x2, min(y2, BOTTOM))
            content.children.append(n)
        out = [bar, content]
        if self.fab_node is not None and s.dialog is None:
            out.append(self.fab_node)
        if s.dialog is not None:
            out.extend(dialog_nodes(self.phone, s.dialog, self.pkg, self.color))
        return out

    @property
    def max_scroll(self) -> int:
        return max(0, self.y + 96 - (BOTTOM - TOP))  # leave room under the last row for the fab


def dialog_nodes(phone: SimPhone, dlg: Dialog, pkg: str, color: tuple[int, int, int]) -> list[Node]:
    lines = wrap(dlg.message, WIDTH - 48 - 40, "body")
    h = 52 + len(lines) * LINE["body"] + 72
    y0 = (HEIGHT - h) // 2
    box = (24, y0, WIDTH - 24, y0 + h)
    dim = Node(
        W + "FrameLayout",
        (0, 0, WIDTH, HEIGHT),
        package=pkg,
        style="dim",
        desc="Dismiss dialog",
        on_tap=phone.dismiss_dialog,
        rid="android:id/outside",
    )
    panel = Node(
        W + "FrameLayout",
        box,
        text=dlg.title,
        package=pkg,
        style="dialog",
        lines=lines,
        rid="android:id/dialog",
        desc=dlg.message,
    )
    bw = (box[2] - box[0] - 32) // 2
    by = box[3] - 60
    panel.children = [
        Node(
            W + "Button",
            (box[0] + 16, by, box[0] + 16 + bw, by + 48),
            text="Cancel",
            package=pkg,
            style="textbutton",
            on_tap=phone.dismiss_dialog,
            rid="android:id/button2",
            color=color,
        ),
        Node(
            W + "Button",
            (box[0] + 16 + bw, by, box[2] - 16, by + 48),
            text=dlg.confirm,
            package=pkg,
            style="button",
            on_tap=lambda: phone.confirm_dialog(),
            rid="android:id/button1",
            color=color,
        ),
    ]
    return [dim, panel]
