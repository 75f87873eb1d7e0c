"""Episodes as fine-tuning data: tool schemas, chat transcripts and step records.

Tools come from the endpoint schemas of the services in the episode's world
(:meth:`claw_gym.services.base.Endpoint.schema`), plus one tool per other action kind
(``wait``, ``finish``; ``shell`` and ``gui`` when the task uses the laptop or the phone).
Tool names are API call names with ``.`` replaced by ``__`` (``calendar__list_events``), as
OpenAI-style tool names allow only letters, digits, ``_`` and ``-``.

Everything here is a pure function of the episode, so the same episode always gives the
same bytes.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from .. import actions as A
from ..services import Service
from .runner import Episode

SEP = "__"
TEXT_ORDER = ("time", "events", "services")  # then any other text keys (sorted), then "result"

SYSTEM_INTRO = (
    "You are a personal assistant with access to the user's services{devices}. Each user turn shows the "
    "virtual time, new events, a summary of the services (when it changed) and the result of your last "
    "action. Act with exactly one tool call per turn. Call `finish` with a short message to the user "
    "when the task is done; when nobody asked for anything, `finish` means nothing more to do for now, "
    "and the next arrival wakes you.")

_KIND_TOOLS: dict[str, dict[str, Any]] = {
    "wait": {"description": A.WAIT_DOC,
             "properties": {"seconds": {"type": "integer"}, "wake": {"type": "boolean", "default": True}},
             "required": ["seconds"]},
    "finish": {"description": A.FINISH_DOC,
               "properties": {"message": {"type": "string"}}, "required": ["message"]},
    "shell": {"description": "Run a bash command on the laptop (sandboxed; the `claw` command reaches services).",
              "properties": {"cmd": {"type": "string"}, "timeout": {"type": "number"}}, "required": ["cmd"]},
    "gui": {"description": "Act on the phone screen: tap/long_press (x, y or element), swipe (x, y, x2, y2), "
                           "type (text), key (back | home | enter | recents).",
            "properties": {"op": {"type": "string", "enum": ["tap", "long_press", "swipe", "type", "key"]},
                           "x": {"type": "integer"}, "y": {"type": "integer"}, "x2": {"type": "integer"},
                           "y2": {"type": "integer"}, "element": {"type": "string"}, "text": {"type": "string"},
                           "key": {"type": "string"}},
            "required": ["op"]},
}
_HELP_TOOL = {"name": "help", "description": "List every service of this world with its endpoints' signatures.",
              "parameters": {"type": "object", "properties": {}, "required": [], "additionalProperties": False}}


def tools_of(env: Any) -> list[dict[str, Any]]:
    """OpenAI-style tool specs for the world of ``env`` (an unwrapped ClawEnv after reset)."""
    classes = tuple(type(service) for service in env.world.services.values())
    return list(_tools(classes, tuple(env.task.devices)))


@lru_cache(maxsize=256)
def _tools(classes: tuple[type[Service], ...], devices: tuple[str, ...]) -> tuple[dict[str, Any], ...]:
    """Endpoints are declared on the service classes, so the tools depend only on these keys."""
    schemas = [_HELP_TOOL]
    for cls in classes:
        for ep in cls.endpoints.values():
            s = ep.schema()
            schemas.append({**s, "name": s["name"].replace(".", SEP)})
    kinds = ["wait", "finish"] + (["shell"] if "laptop" in devices else []) + (["gui"] if "phone" in devices else [])
    for kind in kinds:
        t = _KIND_TOOLS[kind]
        schemas.append({"name": kind, "description": t["description"],
                        "parameters": {"type": "object", "properties": t["properties"], "required": t["required"],
                                       "additionalProperties": False}})
    return tuple({"type": "function", "function": s} for s in schemas)


def system_message(tools: list[dict[str, Any]], devices: list[str]) -> str:
    """The intro plus one line per tool, generated from its schema (memoised: tools repeat across episodes)."""
    key = (tuple(t["function"]["name"] for t in tools), tuple(devices))
    if key not in _SYSTEM:
        _SYSTEM[key] = _system_message(tools, devices)
    return _SYSTEM[key]


_SYSTEM: dict[tuple[tuple[str, ...], tuple[str, ...]], str] = {}


def _system_message(tools: list[dict[str, Any]], devices: list[str]) -> str:
    where = f", a {' and a '.join(devices)}" if devices else ""
    lines = [SYSTEM_INTRO.format(devices=where), "", "Tools:"]
    for t in tools:
        f = t["function"]
        props, required = f["parameters"]["properties"], set(f["parameters"]["required"])
        args = []
        for name, p in props.items():
            typ = p.get("type", "string") + (f"[{p['items']['type']}]" if "items" in p else "")
            args.append(f"{name}: {typ}" + ("" if name in required or "default" not in p
                                             else f" = {json.dumps(p['default'], ensure_ascii=False)}"))
        lines.append(f"- {f['name']}({', '.join(args)}): {f['description']}")
    return "\n".join(lines)


def tool_call(action: str, step: int) -> dict[str, Any] | None:
    """The action as an OpenAI-style tool call, or None if it is not a valid action."""
    try:
        a = A.parse(action)
    except A.ActionError:
        return None
    if a.kind == "api":
        name, args = a.fields["call"].replace(".", SEP), a.fields["args"]
    else:
        name, args = a.kind, a.fields
    return {"id": f"call_{step:03d}", "type": "function",
            "function": {"name": name, "arguments": json.dumps(args, ensure_ascii=False)}}


def action_of(call: dict[str, Any]) -> str:
    """The inverse of :func:`tool_call`: an OpenAI-style tool call back to an action string."""
    fn = call.get("function", call)
    name, args = fn["name"], fn.get("arguments") or {}
    if isinstance(args, str):
        args = json.loads(args)
    if name in _KIND_TOOLS:
        return json.dumps({"kind": name, **args}, ensure_ascii=False)
    return A.api(name.replace(SEP, "."), **args)


def obs_text(obs: dict[str, Any], prev: dict[str, Any] | None) -> str:
    """An observation as a user turn: everything at first, then what changed (time and result always).

    Text fields only: images (the phone's ``screen``) are left out; its ``ui`` text is kept."""
    parts = []
    if prev is None and obs.get("instruction"):
        parts.append(f"instruction: {obs['instruction']}")
    others = sorted(k for k, v in obs.items()
                    if isinstance(v, str) and k not in TEXT_ORDER and k not in ("instruction", "result"))
    for key in (*TEXT_ORDER, *others):
        value = obs.get(key, "")
        unchanged = prev is not None and key not in ("time", "events") and prev.get(key) == value
        if not value or unchanged:
            continue
        parts.append(f"{key}:\n{value}" if "\n" in value else f"{key}: {value}")
    if obs.get("result"):
        parts.append(f"result:\n{obs['result']}" if "\n" in obs["result"] else f"result: {obs['result']}")
    return "\n\n".join(parts)


def metadata(ep: Episode) -> dict[str, Any]:
    v = ep.verdict or {}
    last = ep.steps[-1] if ep.steps else None
    return {"task_id": ep.task_id, "env_id": f"ClawAnything/{ep.task_id}-v0", "seed": ep.seed, "policy": ep.policy,
            **{k: ep.info[k] for k in ("family", "kind", "difficulty", "split", "devices")},
            "passed": ep.passed, "reward": ep.reward, "score": v.get("score", 0.0), "steps": len(ep.steps),
            "truncated": bool(last and last.truncated), "verdict": ep.verdict, "crash": ep.crash}


def chat_record(ep: Episode) -> dict[str, Any]:
    """One JSONL line of ``chat-jsonl``: messages, tools and metadata."""
    messages: list[dict[str, Any]] = [{"role": "system", "content": system_message(ep.tools, ep.info["devices"])},
                                      {"role": "user", "content": obs_text(ep.obs, None)}]
    prev = ep.obs
    for n, step in enumerate(ep.steps, 1):
        call = tool_call(step.action, n)
        messages.append({"role": "assistant", "tool_calls": [call]} if call else
                        {"role": "assistant", "content": step.action})
        if n < len(ep.steps):
            messages.append({"role": "user", "content": obs_text(step.obs, prev)})
        prev = step.obs
    return {"messages": messages, "tools": ep.tools, "metadata": metadata(ep)}


def step_records(ep: Episode) -> list[dict[str, Any]]:
    """Lines of ``steps-jsonl``: one per step, (observation, action, reward, flags); the last adds
    the final observation and the verdict."""
    out = []
    prev = ep.obs
    for n, step in enumerate(ep.steps, 1):
        rec: dict[str, Any] = {"task_id": ep.task_id, "seed": ep.seed, "passed": ep.passed, "step": n,
                               "observation": prev, "action": step.action, "tool_call": tool_call(step.action, n),
                               "reward": step.reward, "terminated": step.terminated, "truncated": step.truncated,
                               "action_ok": step.action_ok, "error": step.error}
        if n == len(ep.steps):
            rec["final_observation"] = step.obs
            rec["metadata"] = metadata(ep)
        out.append(rec)
        prev = step.obs
    return out


def dumps(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"))
