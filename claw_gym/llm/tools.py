"""The tools an agent is offered: ToolCalling's schemas, with device tools only where the task has the device.

The endpoint tools come from :func:`claw_gym.wrappers.tools.tool_schemas` (which decides which
service doors a task opens); this module only gates the device tools: ``shell`` needs the
laptop and ``gui`` the phone among the task's devices. ``wait``, ``finish`` and ``help`` are
always there. The export and the ``llm`` agent both call :func:`tools_for`, so they agree.
"""

from __future__ import annotations

from typing import Any

from claw_gym.wrappers.tools import tool_schemas

DEVICE_TOOLS = {"shell": "laptop", "gui": "phone"}


def tools_for(env: Any) -> list[dict[str, Any]]:
    """OpenAI-style tool specs for the episode ``env`` has just reset to."""
    devices = set(env.unwrapped.task.devices)
    return [t for t in tool_schemas(env) if DEVICE_TOOLS.get(t["function"]["name"], "") in devices | {""}]


def names(tools: list[dict[str, Any]]) -> set[str]:
    return {t["function"]["name"] for t in tools}
