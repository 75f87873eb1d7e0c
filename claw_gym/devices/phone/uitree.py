"""The view tree as text: uiautomator's XML dump, and the compact listing agents read.

The compact form (``obs["ui"]``) numbers the informative nodes ``e1, e2, ...`` in
pre-order; ids depend only on the screen's content, so the same screen always
gets the same ids. It carries every string the screen draws, in full (as
Android's accessibility text does): a node's text, its content-desc (a
notification's or a dialog's whole body), and its second line (``hint=`` of a
text field, ``header=`` of a notification card, ``icon=`` of an app icon,
``sub=`` otherwise), even where the screen wraps or ellipsizes them. When the
listing must be cut to its bound, trailing rows of the scrolled list go first,
with a marker; fixed parts (app bar, cards of the shade, a dialog, a toast) are
never cut. Elements can also be picked by a stable selector, which is
what scripted oracles use (``tap(element="text=Save")``)::

    e12                          the 12th element of the listing
    id=com.claw.clock:id/save    resource-id (a suffix such as ``id/save`` also matches)
    text=Save                    visible text (exact, then case-insensitive)
    desc=Navigate up             content-desc
"""

from __future__ import annotations

from xml.sax.saxutils import quoteattr

from .widgets import Node

ROOT_CLS = "android.widget.FrameLayout"


def _b(v: bool) -> str:
    return "true" if v else "false"


def _bounds(r: tuple[int, int, int, int]) -> str:
    return f"[{r[0]},{r[1]}][{r[2]},{r[3]}]"


def _xml(n: Node, index: int, out: list[str]) -> None:
    attrs = (
        f'index="{index}" text={quoteattr(n.text)} resource-id={quoteattr(n.rid)} class={quoteattr(n.cls)} '
        f'package={quoteattr(n.package)} content-desc={quoteattr(n.desc)} checkable="{_b(n.checkable)}" '
        f'checked="{_b(n.checked)}" clickable="{_b(n.clickable)}" enabled="{_b(n.enabled)}" '
        f'focusable="{_b(n.focusable or n.clickable)}" focused="{_b(n.focused)}" '
        f'scrollable="{_b(n.scrollable)}" long-clickable="{_b(n.long_clickable)}" '
        f'password="{_b(n.password)}" selected="{_b(n.selected)}" bounds="{_bounds(n.bounds)}"'
    )
    if not n.children:
        out.append(f"<node {attrs} />")
        return
    out.append(f"<node {attrs}>")
    for i, c in enumerate(n.children):
        _xml(c, i, out)
    out.append("</node>")


def to_xml(nodes: list[Node], width: int, height: int, package: str = "") -> str:
    """A ``uiautomator dump`` document (rotation 0, one root frame holding the windows)."""
    root = Node(ROOT_CLS, (0, 0, width, height), package=package, children=list(nodes))
    out = ["<?xml version='1.0' encoding='UTF-8' standalone='yes' ?><hierarchy rotation=\"0\">"]
    _xml(root, 0, out)
    out.append("</hierarchy>")
    return "".join(out)


def informative(n: Node) -> bool:
    return bool(n.text or n.desc or n.clickable or n.long_clickable or n.checkable or n.scrollable or n.focusable)


def elements(nodes: list[Node]) -> list[Node]:
    """The nodes that get element ids, in pre-order."""
    return [n for top in nodes for n in top.walk() if informative(n)]


FIELD_MAX = 2_000  # characters of one quoted value (far above anything a screen draws of it)
#: the name under which a node's second line (``Node.sub``) is listed, by style
SUB_NAMES = {"input": "hint", "display": "hint", "notif": "header", "icon": "icon"}


def _q(text: str, limit: int = FIELD_MAX) -> str:
    text = " ".join(text.split())
    if len(text) > limit:
        text = text[: limit - 3] + "..."
    return '"' + text.replace('"', "'") + '"'


def line(i: int, n: Node) -> str:
    parts = [f"e{i}", n.cls.rsplit(".", 1)[-1]]
    if n.text:
        parts.append(_q("*" * len(n.text) if n.password else n.text))
    if n.sub and n.sub not in (n.text, n.desc):
        parts.append(SUB_NAMES.get(n.style, "sub") + "=" + _q(n.sub))
    if n.desc and n.desc != n.text:
        parts.append("desc=" + _q(n.desc))
    if n.rid:
        parts.append("id=" + n.rid)
    parts.append(_bounds(n.bounds))
    flags = [
        f
        for f, on in (
            ("click", n.clickable),
            ("long-click", n.long_clickable),
            ("scroll", n.scrollable),
            ("focused", n.focused),
            ("selected", n.selected),
        )
        if on
    ]
    if n.checkable:
        flags.append("checked" if n.checked else "unchecked")
    return " ".join(parts + flags)


def _list_rows(nodes: list[Node]) -> set[int]:
    """ids of the nodes inside a scrolled list (the only ones the listing may leave out)."""
    rows: set[int] = set()
    for top in nodes:
        for n in top.walk():
            if n.scrollable:
                rows.update(id(c) for c in n.walk() if c is not n)
    return rows


def to_text(nodes: list[Node], screen: str, package: str, limit: int, size: tuple[int, int] = (360, 780)) -> str:
    """The compact listing, never longer than ``limit``.

    Too long a listing drops the trailing rows of the scrolled list (``...N more rows``), never
    a card, a dialog or a bar; only if those alone overflow is the end cut (a last resort no
    screen of the suite reaches).
    """
    head = f"screen: {screen} [{package}] {size[0]}x{size[1]} px; tap an element by id or x,y"
    els = elements(nodes)
    lines = [line(i, n) for i, n in enumerate(els, 1)]
    total = len(head) + sum(len(ln) + 1 for ln in lines)
    budget = limit - 80  # room for the marker
    if total > budget:
        rows = _list_rows(nodes)
        drop: list[int] = []
        for i in range(len(els) - 1, -1, -1):
            if total <= budget:
                break
            if id(els[i]) in rows:
                drop.append(i)
                total -= len(lines[i]) + 1
        if drop:
            first = min(drop)
            marker = f"...{len(drop)} more rows not listed (swipe up to scroll, or read the ui_xml dump)"
            gone = set(drop)
            lines = [ln for i, ln in enumerate(lines) if i not in gone]
            lines.insert(first, marker)
    out = "\n".join([head] + lines)
    if len(out) > limit:
        out = out[: limit - 40] + "\n[listing cut at its bound]"
    return out


def find(nodes: list[Node], selector: str) -> Node | None:
    """Resolve an element id or a stable selector (see the module doc)."""
    sel = selector.strip()
    els = elements(nodes)
    if sel[:1] == "e" and sel[1:].isdigit():
        i = int(sel[1:])
        return els[i - 1] if 1 <= i <= len(els) else None
    kind, eq, value = sel.partition("=")
    if not eq:
        kind, value = ("id", sel) if ":id/" in sel or sel.startswith("id/") else ("text", sel)
    if kind == "id":
        return next((n for n in els if n.rid == value), None) or next(
            (n for n in els if n.rid and n.rid.endswith(value if value.startswith("id/") else "/" + value)), None
        )
    if kind == "text":
        return next((n for n in els if n.text == value), None) or next(
            (n for n in els if n.text.lower() == value.lower()), None
        )
    if kind == "desc":
        return next((n for n in els if n.desc == value), None)
    return None
