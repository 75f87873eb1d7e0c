"""Actions are JSON text. These helpers build them; :func:`parse` reads them back.

The format (stable; later kinds add fields, never rename them)::

    {"kind": "api",    "call": "mail.send", "args": {"to": ["a@b.c"], "subject": "...", "body": "..."}}
    {"kind": "shell",  "cmd": "ls -la", "timeout": 10}
    {"kind": "gui",    "op": "tap", "x": 120, "y": 540}        # or "element": "e12"
    {"kind": "gui",    "op": "swipe", "x": 180, "y": 600, "x2": 180, "y2": 200}
    {"kind": "gui",    "op": "type", "text": "hello"}
    {"kind": "gui",    "op": "key", "key": "back"}             # back | home | enter | recents
    {"kind": "wait",   "seconds": 600}                         # wakes at the first arrival
    {"kind": "wait",   "seconds": 600, "wake": false}          # sleeps the whole 600 s
    {"kind": "wait",   "seconds": 600, "wake": ["helpdesk"]}   # wakes at the first new ticket
    {"kind": "finish", "message": "Moved the review to Thursday 10:00."}
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .jsontree import strings

MAX_ACTION_CHARS = 65_536
KINDS = ("api", "shell", "gui", "wait", "finish")
_FIELDS: dict[str, tuple[set[str], set[str]]] = {  # kind -> (required fields, optional fields)
    "api": ({"call"}, {"args"}),
    "shell": ({"cmd"}, {"timeout"}),
    "gui": ({"op"}, {"x", "y", "x2", "y2", "element", "text", "key", "duration_ms"}),
    "wait": ({"seconds"}, {"wake"}),
    "finish": (set(), {"message"}),
}

#: What ``wait`` and ``finish`` do, in words (tool schemas, menus and exports say the same).
WAIT_DOC = (
    "Let virtual time pass. Ends early at the first arrival (mail, text, notification, any new "
    "event) unless wake is false, which sleeps the whole time; wake as a list of services "
    '(["workmail", "helpdesk"]) ends it at the first arrival of one of them.'
)
FINISH_DOC = (
    "Tell the user you are done. A task someone asked for ends here. With no request (a proactive "
    "task) it means nothing more to do for now: time runs on and you are woken by the next arrival; "
    "the task ends and is judged at its deadline."
)

_ALLOWED: dict[str, frozenset[str]] = {k: frozenset(r | o | {"kind"}) for k, (r, o) in _FIELDS.items()}


class ActionError(ValueError):
    """The action text is not a valid action; the message says what to fix."""


@dataclass(frozen=True)
class Action:
    kind: str
    fields: dict[str, Any]

    def get(self, key: str, default: Any = None) -> Any:
        return self.fields.get(key, default)


def _dump(obj: dict[str, Any]) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(", ", ": "))


def api(call: str, **args: Any) -> str:
    """``api("calendar.list_events", start="2026-03-02", end="2026-03-09")``"""
    return _dump({"kind": "api", "call": call, "args": args})


def shell(cmd: str, timeout: float | None = None) -> str:
    body: dict[str, Any] = {"kind": "shell", "cmd": cmd}
    if timeout is not None:
        body["timeout"] = timeout
    return _dump(body)


def tap(x: int | None = None, y: int | None = None, *, element: str | None = None) -> str:
    """Tap a point, or an element by its id in ``obs["ui"]`` (``tap(element="e12")``)."""
    if element is not None:
        return _dump({"kind": "gui", "op": "tap", "element": element})
    return _dump({"kind": "gui", "op": "tap", "x": x, "y": y})


def long_press(x: int | None = None, y: int | None = None, *, element: str | None = None) -> str:
    if element is not None:
        return _dump({"kind": "gui", "op": "long_press", "element": element})
    return _dump({"kind": "gui", "op": "long_press", "x": x, "y": y})


def swipe(x: int, y: int, x2: int, y2: int) -> str:
    return _dump({"kind": "gui", "op": "swipe", "x": x, "y": y, "x2": x2, "y2": y2})


def type_text(text: str) -> str:
    return _dump({"kind": "gui", "op": "type", "text": text})


def key(name: str) -> str:
    """``key("back")``; keys: back, home, enter, recents."""
    return _dump({"kind": "gui", "op": "key", "key": name})


def wait(seconds: int, wake: bool | Sequence[str] = True) -> str:
    """Let ``seconds`` of virtual time pass. By default the wait ends early at the first arrival
    (a mail, a text, a notification: anything that shows in ``obs["events"]``), as a phone wakes
    its owner; ``wake=False`` sleeps through to the end; a list of services (``["workmail",
    "helpdesk"]``) wakes only at their arrivals, as a phone's focus mode lets some apps through
    (the rest is delivered on the way and shows in ``obs["events"]`` too)."""
    body: dict[str, Any] = {"kind": "wait", "seconds": seconds}
    if wake is not True:
        body["wake"] = wake if isinstance(wake, bool) else list(wake)
    return _dump(body)


def finish(message: str = "") -> str:
    return _dump({"kind": "finish", "message": message})


_SURROGATE_ERROR = "action contains a lone surrogate (invalid unicode, e.g. a half emoji '\\ud83d'); send valid text"


def _has_lone_surrogate(obj: Any) -> bool:
    """True if any string (key or value) in a JSON-like tree holds a lone surrogate."""
    for v in strings(obj):
        if not v.isascii():
            try:
                v.encode("utf-8")
            except UnicodeEncodeError:
                return True
    return False


def parse(text: Any) -> Action:
    """Parse and shape-check an action. Raises :class:`ActionError` with a fix-it message."""
    if isinstance(text, dict):  # convenience for programmatic agents
        obj = text
        if _has_lone_surrogate(obj):
            raise ActionError(_SURROGATE_ERROR)
    else:
        if isinstance(text, bytes):
            try:
                text = text.decode("utf-8")
            except UnicodeDecodeError:
                raise ActionError("action bytes are not UTF-8") from None
        if not isinstance(text, str):
            raise ActionError(f"action must be a JSON string, got {type(text).__name__}")
        if len(text) > MAX_ACTION_CHARS:
            raise ActionError(f"action is {len(text)} characters; the limit is {MAX_ACTION_CHARS}")
        if not text.isascii():
            try:
                text.encode("utf-8")
            except UnicodeEncodeError:
                raise ActionError(_SURROGATE_ERROR) from None
        try:
            obj = json.loads(text)
        except (json.JSONDecodeError, RecursionError) as exc:
            raise ActionError(
                f'action is not valid JSON ({exc}); example: {{"kind": "api", "call": "help", "args": {{}}}}'
            ) from None
        if "\\u" in text and _has_lone_surrogate(obj):  # only \\uXXXX escapes can make one
            raise ActionError(_SURROGATE_ERROR)
    if not isinstance(obj, dict):
        raise ActionError(f"action must be a JSON object, got {type(obj).__name__}")
    kind = obj.get("kind")
    if not isinstance(kind, str) or kind not in _FIELDS:  # a list or dict "kind" is unhashable
        raise ActionError(f"unknown action kind {kind!r}; kinds: {', '.join(KINDS)}")
    required, optional = _FIELDS[kind]
    keys = obj.keys()
    if not required <= keys:
        raise ActionError(f"{kind} action is missing {sorted(required - keys)}")
    if not keys <= _ALLOWED[kind]:
        extra = sorted(str(k) for k in keys - _ALLOWED[kind])
        raise ActionError(f"{kind} action has unknown field(s) {extra}; allowed: {sorted(required | optional)}")
    fields = dict(obj)
    del fields["kind"]
    if kind == "api":
        if not isinstance(fields["call"], str):
            raise ActionError("'call' must be a string like 'mail.list'")
        fields.setdefault("args", {})
        if not isinstance(fields["args"], dict):
            raise ActionError("'args' must be a JSON object")
        if not all(isinstance(k, str) for k in fields["args"]):  # only possible for dict actions
            raise ActionError("argument names in 'args' must be strings")
    elif kind == "wait":
        s = fields["seconds"]
        if isinstance(s, bool) or not isinstance(s, (int, float)) or not 1 <= s <= 7 * 86400:
            raise ActionError("'seconds' must be a number between 1 and 604800 (one week)")
        wake = fields.get("wake", True)
        names = isinstance(wake, list) and wake and all(isinstance(w, str) and w for w in wake)
        if not isinstance(wake, bool) and not names:
            raise ActionError(
                "'wake' must be true (end the wait at the first arrival, the default), false (sleep through)"
                ' or a list of services to wake for (["workmail", "helpdesk"])'
            )
    elif kind == "finish":
        if not isinstance(fields.get("message", ""), str):
            raise ActionError("'message' must be a string")
    elif kind == "shell":
        if not isinstance(fields["cmd"], str):
            raise ActionError("'cmd' must be a string")
    elif kind == "gui" and not isinstance(fields["op"], str):
        raise ActionError("'op' must be a string")
    return Action(kind, fields)


__all__ = [
    "api",
    "shell",
    "tap",
    "long_press",
    "swipe",
    "type_text",
    "key",
    "wait",
    "finish",
    "parse",
    "Action",
    "ActionError",
    "KINDS",
    "MAX_ACTION_CHARS",
    "WAIT_DOC",
    "FINISH_DOC",
]
