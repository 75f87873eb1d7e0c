"""The chat format shared by the ``llm`` agent and ``claw-gym export --format chat-jsonl``.

One module renders both, so what a model is evaluated on and what it is fine-tuned on are the
same bytes. The format is versioned (:data:`PROMPT_VERSION`, recorded in eval reports, export
metadata and transcripts); change the version with any change to the text below.

A conversation is: a ``system`` message (an intro and one line per tool, generated from the
tool schemas), a ``user`` message with the first observation (the instruction, time, events,
services, ...), then per step an ``assistant`` message with one tool call and a ``tool``
message carrying that call's id and the next observation (only what changed, plus the time
and the result). An assistant turn that is plain text is followed by a ``user`` message.

Versions: ``claw-chat-1`` sent observations as ``user`` turns; ``claw-chat-2`` (this) sends
them as ``tool`` messages with their call ids, as the OpenAI chat API and its fine-tuning
format expect.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from .. import actions as A

PROMPT_VERSION = "claw-chat-2"
SEP = "__"  # tool names are call names with "." as "__" (OpenAI names allow [a-zA-Z0-9_-])
TEXT_ORDER = ("time", "events", "services")  # then any other text keys (sorted), then "result"
KIND_TOOLS = ("wait", "finish", "shell", "gui")

SYSTEM_INTRO = (
    "You are a personal assistant with access to the user's services{devices}. The first user turn shows the "
    "instruction (if any), the virtual time, recent events and a summary of the services; each tool result shows "
    "the new time, new events, what changed and the result of your call. Act with exactly one tool call per turn. "
    "Call `finish` with a short message to the user when the task is done; when nobody asked for anything, "
    "`finish` means nothing more to do for now, and the next arrival wakes you."
)


def system_message(tools: list[dict[str, Any]], devices: Iterable[str]) -> str:
    """The intro plus one line per tool, generated from its schema (memoised: tools repeat across episodes)."""
    devices = tuple(devices)
    key = (json.dumps(tools, sort_keys=True), devices)
    if key not in _SYSTEM:
        _SYSTEM[key] = _system_message(tools, devices)
    return _SYSTEM[key]


_SYSTEM: dict[tuple[str, tuple[str, ...]], str] = {}


def _system_message(tools: list[dict[str, Any]], devices: tuple[str, ...]) -> str:
    where = f", a {' and a '.join(devices)}" if devices else ""
    lines = [SYSTEM_INTRO.format(devices=where), "", "Tools:"]
    for t in tools:
        f = t["function"]
        params = f.get("parameters") or {}
        props, required = params.get("properties", {}), set(params.get("required", []))
        args = []
        for name, p in props.items():
            typ = p.get("type", "string") + (f"[{p['items'].get('type', 'any')}]" if "items" in p else "")
            args.append(
                f"{name}: {typ}"
                + (
                    ""
                    if name in required or "default" not in p
                    else f" = {json.dumps(p['default'], ensure_ascii=False)}"
                )
            )
        lines.append(f"- {f['name']}({', '.join(args)}): {f.get('description', '')}")
    return "\n".join(lines)


def obs_text(obs: dict[str, Any], prev: dict[str, Any] | None) -> str:
    """An observation as message text: everything at first, then what changed (time and result always).

    Text fields only: images (the phone's ``screen``) are left out; its ``ui`` text is kept."""
    parts = []
    if prev is None and obs.get("instruction"):
        parts.append(f"instruction: {obs['instruction']}")
    others = sorted(
        k for k, v in obs.items() if isinstance(v, str) and k not in TEXT_ORDER and k not in ("instruction", "result")
    )
    for key in (*TEXT_ORDER, *others):
        value = obs.get(key, "")
        unchanged = prev is not None and key not in ("time", "events") and prev.get(key) == value
        if not value or unchanged:
            continue
        parts.append(f"{key}:\n{value}" if "\n" in value else f"{key}: {value}")
    if obs.get("result"):
        parts.append(f"result:\n{obs['result']}" if "\n" in obs["result"] else f"result: {obs['result']}")
    return "\n\n".join(parts)


def call_id(step: int) -> str:
    """The id of the tool call of step ``step`` (1-based) in exports."""
    return f"call_{step:03d}"


def tool_call(action: str, step: int) -> dict[str, Any] | None:
    """The action as an OpenAI-style tool call (arguments as JSON text), or None if it is not an action."""
    try:
        a = A.parse(action)
    except A.ActionError:
        return None
    if a.kind == "api":
        name, args = a.fields["call"].replace(".", SEP), a.fields["args"]
    else:
        name, args = a.kind, a.fields
    return {
        "id": call_id(step),
        "type": "function",
        "function": {"name": name, "arguments": json.dumps(args, ensure_ascii=False)},
    }


def action_of(call: dict[str, Any]) -> str:
    """The inverse of :func:`tool_call`: an OpenAI-style tool call back to an action string."""
    fn = call.get("function", call)
    name, args = fn["name"], fn.get("arguments") or {}
    if isinstance(args, str):
        args = json.loads(args)
    if name in KIND_TOOLS:
        return json.dumps({"kind": name, **args}, ensure_ascii=False)
    return A.api(name.replace(SEP, "."), **args)


def opening(tools: list[dict[str, Any]], devices: Iterable[str], obs: dict[str, Any]) -> list[dict[str, Any]]:
    """The first two messages of every conversation: system, then the first observation."""
    return [
        {"role": "system", "content": system_message(tools, devices)},
        {"role": "user", "content": obs_text(obs, None)},
    ]


def assistant_call(call: dict[str, Any], content: str | None = None) -> dict[str, Any]:
    """An assistant turn making one tool call (``content``: text the model said alongside, if any)."""
    msg: dict[str, Any] = {"role": "assistant"}
    if content:
        msg["content"] = content
    msg["tool_calls"] = [call]
    return msg


def observation(text: str, after: dict[str, Any]) -> dict[str, Any]:
    """The observation that answers assistant message ``after``: a tool result, or a user turn after text."""
    calls = after.get("tool_calls")
    if calls:
        return {"role": "tool", "tool_call_id": calls[0]["id"], "content": text}
    return {"role": "user", "content": text}


def conversation(
    tools: list[dict[str, Any]],
    devices: Iterable[str],
    first: dict[str, Any],
    steps: Iterable[tuple[str, dict[str, Any]]],
) -> list[dict[str, Any]]:
    """A played episode as messages: ``steps`` are (action text, observation after it).

    The observation after the last action is not included: the conversation ends with the
    assistant's last turn, as a fine-tuning example should."""
    messages = opening(tools, devices, first)
    steps = list(steps)
    shown = first
    for n, (action, obs) in enumerate(steps, 1):
        call = tool_call(action, n)
        msg = assistant_call(call) if call else {"role": "assistant", "content": action}
        messages.append(msg)
        if n < len(steps):
            messages.append(observation(obs_text(obs, shown), msg))
            shown = obs
    return messages
