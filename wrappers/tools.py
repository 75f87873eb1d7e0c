"""Tool calling for language-model agents: OpenAI-style tools in, claw-gym actions out.

:func:`tool_schemas` turns every endpoint of the current world (``Endpoint.schema()``) into
a ``{"type": "function", "function": {...}}`` tool, plus ``wait`` and ``finish`` and, when
the task has them, ``shell`` and the phone's ``gui`` ops. Function names may not contain
dots, so ``calendar.update_event`` becomes ``calendar__update_event``.

:class:`ToolCalling` accepts an action as a tool-call dict ``{"name": ..., "arguments":
{...}}`` (``arguments`` may be a JSON string, as the OpenAI API returns it), the same as a
JSON string, or a ``{"function": {...}}`` wrapper, and puts the tools in ``info["tools"]``.
Anything it cannot read becomes the env's usual ``error: ...`` observation.
"""

from __future__ import annotations

import json
from typing import Any, SupportsFloat

import gymnasium as gym

from claw_gym import actions as A

SEP = "__"
_CORE_TOOLS: dict[str, dict[str, Any]] = {
    "wait": {
        "description": A.WAIT_DOC,
        "parameters": {
            "type": "object",
            "properties": {
                "seconds": {"type": "integer", "minimum": 1, "maximum": 604800},
                "wake": {
                    "anyOf": [
                        {"type": "boolean"},
                        {"type": "array", "items": {"type": "string", "minLength": 1}, "minItems": 1},
                    ],
                    "default": True,
                    "description": "true: wake at any arrival; false: sleep through; services: wake at theirs",
                },
            },
            "required": ["seconds"],
            "additionalProperties": False,
        },
    },
    "finish": {
        "description": A.FINISH_DOC,
        "parameters": {
            "type": "object",
            "properties": {"message": {"type": "string"}},
            "required": [],
            "additionalProperties": False,
        },
    },
    "help": {
        "description": "List every service of this world with its endpoints' signatures.",
        "parameters": {"type": "object", "properties": {}, "required": [], "additionalProperties": False},
    },
}
_SHELL_TOOL = {
    "description": "Run a command in the laptop's sandboxed bash.",
    "parameters": {
        "type": "object",
        "properties": {"cmd": {"type": "string"}, "timeout": {"type": "number"}},
        "required": ["cmd"],
        "additionalProperties": False,
    },
}
_GUI_TOOL = {
    "description": "Act on the phone: tap/long_press (x, y or element), swipe (x, y, x2, y2), "
    "type (text), key (back, home, enter, recents).",
    "parameters": {
        "type": "object",
        "properties": {
            "op": {"type": "string", "enum": ["tap", "long_press", "swipe", "type", "key"]},
            "x": {"type": "integer"},
            "y": {"type": "integer"},
            "x2": {"type": "integer"},
            "y2": {"type": "integer"},
            "element": {"type": "string"},
            "text": {"type": "string"},
            "key": {"type": "string"},
        },
        "required": ["op"],
        "additionalProperties": False,
    },
}


def _tool(name: str, spec: dict[str, Any]) -> dict[str, Any]:
    return {"type": "function", "function": {"name": name, **spec}}


def tool_schemas(env: gym.Env, obs: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """Tools for the env's current world (call after reset)."""
    world = getattr(env.unwrapped, "world", None)
    if world is None:
        raise gym.error.ResetNeeded("call reset() before tool_schemas()")
    tools = [_tool(name, spec) for name, spec in _CORE_TOOLS.items()]
    for svc in world.services.values():
        for ep in svc.endpoints.values():
            if not svc.serves(ep.name, "api"):  # the api door refuses it (device-only): never offer it
                continue
            schema = ep.schema()
            tools.append(
                _tool(
                    schema["name"].replace(".", SEP),
                    {"description": schema["description"], "parameters": schema["parameters"]},
                )
            )
    task = getattr(env.unwrapped, "task", None)
    if task is not None and "laptop" in task.devices:
        tools.append(_tool("shell", _SHELL_TOOL))
    if (task is not None and "phone" in task.devices) or (obs is not None and "ui" in obs):
        tools.append(_tool("gui", _GUI_TOOL))
    return tools


class ToolCallError(ValueError):
    """The tool call cannot be read (its arguments are not a JSON object, no name, ...)."""


def to_action(call: Any) -> Any:
    """A tool call (dict or JSON text) as claw-gym action text; other input passes through untouched.

    Raises :class:`ToolCallError` for a tool call whose name or arguments cannot be read.
    """
    if isinstance(call, str):
        try:
            parsed = json.loads(call)
        except json.JSONDecodeError:
            return call  # not a tool call: the env reports it
        if not isinstance(parsed, dict) or "name" not in parsed and "function" not in parsed:
            return call  # already an action (or garbage): the env decides
        call = parsed
    if not isinstance(call, dict):
        return call
    if "function" in call and isinstance(call["function"], dict):
        call = call["function"]
    name, args = call.get("name"), call.get("arguments", {})
    if isinstance(args, str):
        try:
            args = json.loads(args) if args.strip() else {}
        except json.JSONDecodeError as exc:
            raise ToolCallError(f"tool call arguments are not valid JSON ({exc})") from None
    if not isinstance(name, str) or not isinstance(args, dict):
        raise ToolCallError("a tool call needs a string 'name' and an object 'arguments'")
    if name == "help":
        return A.api("help")
    if name in ("wait", "finish", "shell", "gui"):
        return json.dumps({"kind": name, **args}, ensure_ascii=False)
    return json.dumps({"kind": "api", "call": name.replace(SEP, "."), "args": args}, ensure_ascii=False)


class ToolCalling(gym.Wrapper):
    """Accept tool calls as actions; ``info["tools"]`` holds the schemas (fixed for an episode)."""

    def reset(self, *, seed: int | None = None, options: dict[str, Any] | None = None) -> tuple[Any, dict]:
        obs, info = self.env.reset(seed=seed, options=options)
        self.tools = tool_schemas(self.env, obs)
        return obs, dict(info, tools=self.tools)

    def step(self, action: Any) -> tuple[Any, SupportsFloat, bool, bool, dict[str, Any]]:
        try:
            action, problem = to_action(action), None
        except ToolCallError as exc:  # still a step, as any bad action: the env refuses a non-action
            action, problem = json.dumps({"kind": "tool-call"}), str(exc)
        obs, reward, terminated, truncated, info = self.env.step(action)
        if problem is not None:
            obs = dict(obs, result=f"error: {problem}")
            info = dict(info, error=problem)
        return obs, reward, terminated, truncated, dict(info, tools=self.tools)
