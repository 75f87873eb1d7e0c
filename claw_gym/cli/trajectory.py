"""Episodes as fine-tuning data: tool schemas, chat transcripts and step records.

The chat format (system prompt, observations as messages, actions as tool calls) is
:mod:`claw_gym.llm.prompt`'s, the one the ``llm`` agent sends, so fine-tuning data and
evaluation prompts match; its version is in each record's metadata (``prompt_version``).
Tools are :func:`claw_gym.llm.tools.tools_for`'s: the task's endpoints through ToolCalling,
plus ``wait``, ``finish``, ``help``, and ``shell`` / ``gui`` when the task uses the laptop /
the phone. Tool names are API call names with ``.`` replaced by ``__``
(``calendar__list_events``), as OpenAI-style tool names allow only letters, digits, ``_`` and ``-``.

Everything here is a pure function of the episode, so the same episode always gives the
same bytes.
"""

from __future__ import annotations

import json
from typing import Any

from ..llm import prompt
from ..llm.prompt import (
    PROMPT_VERSION,
    SEP,
    action_of,
    obs_text,
    system_message,
    tool_call,
)
from ..llm.tools import tools_for
from .runner import Episode

__all__ = [
    "SEP",
    "action_of",
    "chat_record",
    "dumps",
    "metadata",
    "obs_text",
    "step_records",
    "system_message",
    "tool_call",
    "tools_of",
]


def tools_of(env: Any) -> list[dict[str, Any]]:
    """OpenAI-style tool specs for the world of ``env`` (after reset): the ``llm`` agent's tools."""
    return tools_for(env)


def metadata(ep: Episode) -> dict[str, Any]:
    v = ep.verdict or {}
    last = ep.steps[-1] if ep.steps else None
    return {
        "task_id": ep.task_id,
        "env_id": f"ClawAnything/{ep.task_id}-v0",
        "seed": ep.seed,
        "policy": ep.policy,
        "prompt_version": PROMPT_VERSION,
        **{k: ep.info[k] for k in ("family", "kind", "difficulty", "split", "devices")},
        "passed": ep.passed,
        "reward": ep.reward,
        "score": v.get("score", 0.0),
        "steps": len(ep.steps),
        "truncated": bool(last and last.truncated),
        "verdict": ep.verdict,
        "crash": ep.crash,
    }


def chat_record(ep: Episode) -> dict[str, Any]:
    """One JSONL line of ``chat-jsonl``: messages, tools and metadata."""
    steps = [(step.action, step.obs) for step in ep.steps]
    messages = prompt.conversation(ep.tools, ep.info["devices"], ep.obs, steps)
    return {"messages": messages, "tools": ep.tools, "metadata": metadata(ep)}


def step_records(ep: Episode) -> list[dict[str, Any]]:
    """Lines of ``steps-jsonl``: one per step, (observation, action, reward, flags); the last adds
    the final observation and the verdict."""
    out = []
    prev = ep.obs
    for n, step in enumerate(ep.steps, 1):
        rec: dict[str, Any] = {
            "task_id": ep.task_id,
            "seed": ep.seed,
            "passed": ep.passed,
            "step": n,
            "observation": prev,
            "action": step.action,
            "tool_call": tool_call(step.action, n),
            "reward": step.reward,
            "terminated": step.terminated,
            "truncated": step.truncated,
            "action_ok": step.action_ok,
            "error": step.error,
        }
        if n == len(ep.steps):
            rec["final_observation"] = step.obs
            rec["metadata"] = metadata(ep)
        out.append(rec)
        prev = step.obs
    return out


def dumps(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"))
