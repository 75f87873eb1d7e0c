"""What a read showed, in a few lines: the demo prints the facts the oracle acts on.

A JSON listing becomes one line per item (the items later actions use first, marked ``*``);
a record becomes ``key: value`` lines with its text in full up to a bound; shell output
keeps its first lines. Everything is bounded: a story, not a dump.
"""

from __future__ import annotations

import json
from typing import Any

MAX_LINES = 14
LINE_CHARS = 150
TEXT_CHARS = 600  # a mail body or a note: the part that usually matters
MAX_ITEMS = 6


def _cut(text: str, n: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 4] + " ..."


def _empty(v: Any) -> bool:
    return v is None or v == "" or v == [] or v == {}


def _scalar(v: Any) -> str:
    if isinstance(v, (list, dict)):
        return json.dumps(v, ensure_ascii=False)
    return str(v)


def item_line(item: Any) -> str:
    """One listing item on a line: its non-empty plain values (no flags or lists), id first."""
    if not isinstance(item, dict):
        return _cut(_scalar(item), LINE_CHARS)
    values = [str(v) for v in item.values() if not _empty(v) and not isinstance(v, (bool, list, dict))]
    return _cut("  ".join(values), LINE_CHARS)


def record_lines(record: dict[str, Any]) -> list[str]:
    """A record as ``key: value`` lines; long text fields keep up to TEXT_CHARS."""
    lines = []
    for k, v in record.items():
        if _empty(v) or isinstance(v, bool):
            continue
        text = _scalar(v)
        lines.append(f"{k}: {_cut(text, TEXT_CHARS if len(text) > LINE_CHARS else LINE_CHARS)}")
    return lines


def lines_of(result: str, later: str = "") -> list[str]:
    """The lines that show what ``result`` (an action's result text) says.

    ``later``: the text of the actions that follow; listing items whose id it mentions come
    first, marked ``*``."""
    status, _, output = result.partition("\n")
    if status.startswith("[exit ") and output.lstrip().startswith(("{", "[")):  # `claw ...` on the laptop
        return [status] + lines_of(output, later)
    try:
        data = json.loads(result)
    except ValueError:
        data = None
    if isinstance(data, dict) and isinstance(data.get("items"), list):
        items = data["items"]
        used = [isinstance(i, dict) and str(i.get("id", "\0")) in later for i in items]
        order = sorted(range(len(items)), key=lambda n: not used[n])
        total = data.get("total", len(items))
        out = [f"{total} result{'' if total == 1 else 's'}" + (" (* used later)" if any(used) else "") + ":"]
        out += [("* " if used[n] else "- ") + item_line(items[n]) for n in order[:MAX_ITEMS]]
        if len(items) > MAX_ITEMS:
            out.append(f"  ... {len(items) - MAX_ITEMS} more")
        return _bounded(out)
    if isinstance(data, dict):
        return _bounded(record_lines(data))
    if isinstance(data, list):
        return _bounded([item_line(x) for x in data[:MAX_ITEMS]])
    return _bounded([_cut(line, LINE_CHARS) for line in result.splitlines() if line.strip()])


def _bounded(lines: list[str]) -> list[str]:
    if len(lines) <= MAX_LINES:
        return lines
    return lines[: MAX_LINES - 1] + [f"... {len(lines) - MAX_LINES + 1} more lines"]


__all__ = ["lines_of", "item_line", "record_lines"]
