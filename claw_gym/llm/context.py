"""Fitting a conversation into ``--context-tokens``.

Tokens are *estimated*, the same way for every model, so a budget means the same thing
whatever the server: one token per 4 characters of text (rounded up; JSON text for tool
calls and for the tool list), plus 4 per message, plus a flat :data:`IMAGE_TOKENS` per image.
The server's own counts (``usage``) are what the report adds up; this estimate only decides
what to cut.

What goes, in order, until the estimate fits:

1. older observations (tool results and user turns after the first) are shortened to their
   first :data:`KEEP_CHARS` characters, oldest first, with a marker saying how much was cut;
2. the oldest turns (an assistant message and the observations answering it) are dropped
   whole, so every tool result keeps its call; a note says how many;
3. the first observation's text after the instruction is shortened (the instruction never is);
4. the newest observation is shortened.

The system message, the instruction and the newest turn are never dropped.
"""

from __future__ import annotations

import json
import math
from typing import Any

CHARS_PER_TOKEN = 4
MESSAGE_TOKENS = 4
IMAGE_TOKENS = 800
KEEP_CHARS = 400


def text_tokens(text: str) -> int:
    return math.ceil(len(text) / CHARS_PER_TOKEN)


def message_tokens(msg: dict[str, Any]) -> int:
    n = MESSAGE_TOKENS
    content = msg.get("content")
    if isinstance(content, str):
        n += text_tokens(content)
    elif isinstance(content, list):
        for part in content:
            n += IMAGE_TOKENS if part.get("type") == "image_url" else text_tokens(part.get("text", ""))
    for call in msg.get("tool_calls") or []:
        n += text_tokens(call["function"]["name"] + call["function"]["arguments"])
    return n


def count(messages: list[dict[str, Any]], tools: list[dict[str, Any]] | None = None) -> int:
    """The estimated prompt size of ``messages`` (and ``tools``, sent alongside)."""
    return sum(map(message_tokens, messages)) + (text_tokens(json.dumps(tools)) if tools else 0)


def shorten(text: str, keep: int) -> str:
    if len(text) <= keep:
        return text
    return text[:keep] + f"\n...[{len(text) - keep} characters cut to fit the context]"


def _is_observation(msg: dict[str, Any]) -> bool:
    return msg["role"] == "tool" or (msg["role"] == "user" and isinstance(msg.get("content"), str))


def fit(messages: list[dict[str, Any]], tools: list[dict[str, Any]], budget: int | None) -> list[dict[str, Any]]:
    """``messages`` trimmed to ``budget`` estimated tokens (None: unchanged). The input is not modified.

    ``messages[0]`` is the system message, ``messages[1]`` the first observation."""
    if budget is None or count(messages, tools) <= budget:
        return messages
    head, rest = [dict(m) for m in messages[:2]], [dict(m) for m in messages[2:]]
    turns = _turns(rest)

    def total() -> int:
        return count(head, tools) + sum(count(t) for t in turns) + (MESSAGE_TOKENS + 12 if dropped else 0)

    dropped = 0
    for turn in turns[:-1]:  # 1. shorten older observations, oldest first
        for msg in turn:
            if total() <= budget:
                break
            if _is_observation(msg):
                msg["content"] = shorten(msg["content"], KEEP_CHARS)
    while len(turns) > 1 and total() > budget:  # 2. drop the oldest turns
        turns.pop(0)
        dropped += 1
    if total() > budget:  # 3. the first observation, after the instruction
        first = head[1]["content"]
        cut = first.find("\n\n") if first.startswith("instruction:") else 0
        cut = len(first) if cut < 0 else cut
        room = max(KEEP_CHARS, (budget - (total() - message_tokens(head[1]))) * CHARS_PER_TOKEN - cut)
        head[1]["content"] = first[:cut] + shorten(first[cut:], room)
    if total() > budget and turns:  # 4. the newest observation
        for msg in turns[-1]:
            if _is_observation(msg):
                room = (budget - (total() - message_tokens(msg))) * CHARS_PER_TOKEN
                msg["content"] = shorten(msg["content"], max(KEEP_CHARS, room - 80))
    note = [{"role": "user", "content": f"[{dropped} earlier turns removed to fit the context]"}] if dropped else []
    return head + note + [m for t in turns for m in t]


def _turns(messages: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Messages grouped into turns, each starting at an assistant message."""
    turns: list[list[dict[str, Any]]] = []
    for msg in messages:
        if msg["role"] == "assistant" or not turns:
            turns.append([msg])
        else:
            turns[-1].append(msg)
    return turns
