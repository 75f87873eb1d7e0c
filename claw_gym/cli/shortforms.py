"""Short forms of actions for people typing at ``claw-gym play``.

api calendar.list_events start=2026-03-02 end=2026-03-09   key=value; values parsed as JSON when
                                                           possible (5, true, ["a@b.c"], "two words")
help                                                       api help: every service and endpoint
sh ls -la            tap 120 540        tap e12            long 120 540
tap text="Work Mail"                    tap id=send        tap desc="Navigate up"
swipe 180 600 180 200                   type hello there   key back
wait 600             finish Moved the review to Thursday.
sleep 600                                                  wait without waking at arrivals ("wake": false)
wait 3600 for workmail,helpdesk                            wake only at those services' arrivals
{"kind": "api", "call": "help", "args": {}}                any JSON action as is
"""

from __future__ import annotations

import json
from typing import Any

from .. import actions as A


class ShortFormError(ValueError):
    """The line is not an action; the message says what was expected."""


def split_args(text: str) -> list[str]:
    """Split on whitespace outside quotes and brackets: ``a=1 to=["x", "y"] s="a b"`` -> 3 tokens."""
    tokens: list[str] = []
    cur: list[str] = []
    depth, quote, escaped = 0, "", False
    for ch in text:
        if quote:
            cur.append(ch)
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == quote:
                quote = ""
            continue
        if ch in "\"'":
            quote = ch
        elif ch in "[{":
            depth += 1
        elif ch in "]}":
            depth -= 1
        if ch.isspace() and depth <= 0:
            if cur:
                tokens.append("".join(cur))
                cur = []
            continue
        cur.append(ch)
    if quote or depth > 0:
        raise ShortFormError("unbalanced quotes or brackets")
    if cur:
        tokens.append("".join(cur))
    return tokens


def value(text: str) -> Any:
    """JSON if it parses (numbers, booleans, lists, "quoted strings"), else the text itself."""
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        if len(text) >= 2 and text[0] == text[-1] == "'":
            return text[1:-1]
        return text


def _ints(words: list[str], n: int, usage: str) -> list[int]:
    if len(words) != n:
        raise ShortFormError(f"usage: {usage}")
    try:
        return [int(w) for w in words]
    except ValueError:
        raise ShortFormError(f"usage: {usage} (integers)") from None


SELECTOR_KINDS = ("text", "id", "desc")


def element(rest: str) -> str | None:
    """The element selector of a tap's arguments (``e12``, ``text="Work Mail"``, ``id=...``,
    ``desc=...``), or None when they are coordinates. Raises ShortFormError on a bad selector."""
    kind, eq, val = rest.partition("=")
    if eq and kind in SELECTOR_KINDS:
        val = val.strip()
        quoted = val[:1] in ("'", '"') and len(split_args(val)) == 1
        text = value(val) if quoted else val  # "Work Mail", or bare words as typed (text=5 is "5")
        if not isinstance(text, str) or not text.strip():
            raise ShortFormError(f'usage: tap {kind}="..." (the {kind} shown in obs["ui"])')
        return f"{kind}={text}"
    words = rest.split()
    if len(words) == 1 and not words[0].lstrip("-").isdigit():
        return words[0]
    return None


def parse(line: str) -> str:
    """The action JSON for one typed line. Raises ShortFormError."""
    line = line.strip()
    if line.startswith("{"):
        A.parse(line)  # surface JSON errors here, with the action format's message
        return line
    verb, _, rest = line.partition(" ")
    rest = rest.strip()
    words = rest.split()
    if verb == "help":
        return A.api("help")
    if verb == "api":
        tokens = split_args(rest)
        if not tokens:
            raise ShortFormError("usage: api SERVICE.ENDPOINT [key=value ...]")
        args = {}
        for tok in tokens[1:]:
            key, eq, val = tok.partition("=")
            if not eq or not key:
                raise ShortFormError(f"argument {tok!r} is not key=value")
            args[key] = value(val)
        return A.api(tokens[0], **args)
    if verb in ("sh", "shell", "$"):
        if not rest:
            raise ShortFormError("usage: sh COMMAND")
        return A.shell(rest)
    if verb in ("tap", "long", "long_press"):
        make = A.tap if verb == "tap" else A.long_press
        selector = element(rest)
        if selector is not None:
            return make(element=selector)
        x, y = _ints(words, 2, f'{verb} X Y  |  {verb} ELEMENT_ID  |  {verb} text="Work Mail" (or id=, desc=)')
        return make(x, y)
    if verb == "swipe":
        return A.swipe(*_ints(words, 4, "swipe X Y X2 Y2"))
    if verb == "type":
        return A.type_text(rest)
    if verb == "key":
        if len(words) != 1:
            raise ShortFormError("usage: key back|home|enter|recents")
        return A.key(words[0])
    if verb == "wait" and len(words) == 3 and words[1] == "for":  # wait 3600 for workmail,helpdesk
        (seconds,) = _ints(words[:1], 1, "wait SECONDS for SERVICE[,SERVICE...]")
        return A.wait(seconds, wake=[w for w in words[2].split(",") if w])
    if verb in ("wait", "sleep"):  # sleep: a wait that does not wake at arrivals
        (seconds,) = _ints(words, 1, f"{verb} SECONDS  |  wait SECONDS for SERVICE[,SERVICE...]")
        return A.wait(seconds, wake=verb == "wait")
    if verb == "finish":
        return A.finish(rest)
    raise ShortFormError(f"unknown command {verb!r}; type :help")
