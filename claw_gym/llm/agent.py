"""The ``llm`` agent: a policy that asks an OpenAI-compatible chat model for one tool call per step.

It keeps the conversation in the format of :mod:`claw_gym.llm.prompt` (the export's), offers
the tools of :func:`claw_gym.llm.tools.tools_for`, trims what it sends with
:func:`claw_gym.llm.context.fit`, and turns replies into actions:

- a tool call becomes the action (:func:`claw_gym.wrappers.tools.to_action`); extra calls in
  the same turn are dropped, and the next tool result says so;
- a tool that was not offered, or arguments that are not a JSON object, come back to the
  model as an ``error: ...`` tool result (the step is spent, as any refused action);
- text with no tool call is ``finish`` with that text (counted: ``text_finishes``);
- a call that fails for good (:class:`~claw_gym.llm.client.ModelError`) or a spent wall-clock
  budget stops the agent: it finishes, and keeps finishing until the episode ends, and the
  episode records why (``stop_reason``).

After each episode, :attr:`LLMAgent.stats` holds its token counts and :meth:`LLMAgent.record`
its transcript.
"""

from __future__ import annotations

import base64
import io
import json
import time
from dataclasses import asdict, dataclass, field
from typing import Any

from .. import actions as A
from ..wrappers.tools import ToolCallError, to_action
from . import context, prompt
from .client import ChatClient, ModelError
from .config import LLMConfig
from .tools import names, tools_for

REFUSED = json.dumps({"kind": "tool-call"})  # an action the env refuses: the step is spent, the world unchanged


@dataclass
class EpisodeStats:
    calls: int = 0
    prompt_tokens: int = 0  # as the server reported them
    completion_tokens: int = 0
    estimated_prompt_tokens: int = 0  # by claw_gym.llm.context.count, of what was sent
    usage_missing: int = 0  # calls whose answer had no usage
    retries: int = 0
    text_finishes: int = 0
    tool_errors: int = 0  # unknown tools, unreadable arguments
    problems: list[str] = field(default_factory=list)  # retried failures, then the stop reason
    stop_reason: str | None = None  # the model failed for good, or the wall-clock budget ran out

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


class LLMAgent:
    """A policy object for :mod:`claw_gym.cli.runner` (``attach``, ``reset``, ``act``)."""

    def __init__(self, cfg: LLMConfig) -> None:
        self.cfg = cfg
        self._client: ChatClient | None = None
        self.stats = EpisodeStats()
        self.tools: list[dict[str, Any]] = []
        self.messages: list[dict[str, Any]] = []

    @property
    def client(self) -> ChatClient:
        if self._client is None:
            self._client = ChatClient(self.cfg)
        return self._client

    def attach(self, env: Any) -> None:
        self.tools = tools_for(env)
        self.tool_names = names(self.tools)
        self.devices = list(env.unwrapped.task.devices)
        self.seed = int(env.unwrapped.world.seed)

    def reset(self, obs: dict[str, Any], info: dict[str, Any]) -> None:
        self.messages = prompt.opening(self.tools, self.devices, obs)
        self.shown = obs
        self.stats = EpisodeStats()
        self.deadline = time.monotonic() + self.cfg.episode_seconds
        self.turns = 0
        self.problem: str | None = None
        self.note: str | None = None

    def act(self, obs: dict[str, Any], info: dict[str, Any]) -> str:
        if self.turns:
            self._observe(obs)
        self.turns += 1
        if self.stats.stop_reason is not None:
            return A.finish("")
        sent = self.messages + (self._screen(obs) if self.cfg.screen else [])
        sent = context.fit(sent, self.tools, self.cfg.context_tokens)
        try:
            reply = self.client.complete(sent, self.tools, seed=self.seed, deadline=self.deadline)
        except ModelError as exc:
            self.stats.stop_reason = str(exc)
            return A.finish("")
        self._account(sent, reply)
        if not reply.tool_calls:
            text = reply.content or ""
            self.messages.append({"role": "assistant", "content": text})
            self.stats.text_finishes += 1
            return A.finish(text)
        call = dict(reply.tool_calls[0], id=reply.tool_calls[0]["id"] or prompt.call_id(self.turns))
        self.messages.append(prompt.assistant_call(call, reply.content))
        if len(reply.tool_calls) > 1:
            self.note = f"only the first tool call of a turn runs; {len(reply.tool_calls) - 1} more were ignored"
        name = call["function"]["name"]
        if name not in self.tool_names:
            return self._refuse(f"unknown tool {name!r}; the tools are the ones listed in the system message")
        try:
            return to_action(call["function"])
        except ToolCallError as exc:
            return self._refuse(f"{name}: {exc}")

    def _refuse(self, problem: str) -> str:
        self.problem = problem
        self.stats.tool_errors += 1
        return REFUSED

    def _observe(self, obs: dict[str, Any]) -> None:
        """The observation after the last action, appended as the answer to the last assistant turn."""
        seen = dict(obs, result=f"error: {self.problem}") if self.problem else obs
        text = prompt.obs_text(seen, self.shown)
        if self.note:
            text += f"\n\nnote: {self.note}"
        self.messages.append(prompt.observation(text, self.messages[-1]))
        self.shown, self.problem, self.note = obs, None, None

    def _screen(self, obs: dict[str, Any]) -> list[dict[str, Any]]:
        """The current phone screen as a user message with an image part (not kept in the history)."""
        shot = obs.get("screen")
        if shot is None or not hasattr(shot, "shape") or "phone" not in self.devices:
            return []
        from PIL import Image

        buf = io.BytesIO()
        Image.fromarray(shot[:, :, :3]).save(buf, format="PNG")
        url = "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")
        return [
            {
                "role": "user",
                "content": [
                    {"type": "text", "text": "The phone screen now:"},
                    {"type": "image_url", "image_url": {"url": url}},
                ],
            }
        ]

    def _account(self, sent: list[dict[str, Any]], reply: Any) -> None:
        s = self.stats
        s.calls += 1
        s.retries += reply.retries
        s.problems += reply.problems
        s.estimated_prompt_tokens += context.count(sent, self.tools)
        if reply.prompt_tokens is None:
            s.usage_missing += 1
        s.prompt_tokens += reply.prompt_tokens or 0
        s.completion_tokens += reply.completion_tokens or 0

    def record(self) -> dict[str, Any]:
        """The episode's transcript: the whole conversation (untrimmed, without screens), tools, stats."""
        return {
            "prompt_version": prompt.PROMPT_VERSION,
            "model": self.cfg.model,
            "messages": self.messages,
            "tools": self.tools,
            "stats": self.stats.as_dict(),
        }
