"""A language-model agent loop: any ``callable(messages, tools) -> tool_call`` drives the env.

Plug in a chat model (OpenAI-style tools) or, as here by default, a scripted stand-in that
replays the task's oracle as tool calls, so the loop runs with no network. Messages are the
suite's chat format (:mod:`claw_gym.llm.prompt`, the one ``claw-gym export`` writes);
observations go through the word budget, actions through the tool-calling adapter.

For an OpenAI-compatible server (hosted, vLLM, llama.cpp), the built-in agent does all of this
with retries, timeouts and context trimming: ``claw-gym eval --agent llm --model NAME
--base-url URL`` (docs/llm.md).

    python examples/llm_agent_loop.py
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import gymnasium as gym

import claw_gym  # noqa: F401  (registers the envs)
from claw_gym.llm import prompt
from claw_gym.wrappers import ObservationBudget, ToolCalling

Agent = Callable[[list[dict[str, Any]], list[dict[str, Any]]], dict[str, Any]]


def run_episode(agent: Agent, env_id: str = "ClawAnything-v0", seed: int = 0, verbose: bool = True) -> dict:
    env = ToolCalling(ObservationBudget(gym.make(env_id)))
    obs, info = env.reset(seed=seed)
    messages = prompt.opening(info["tools"], info["devices"], obs)  # system prompt, first observation
    done = False
    while not done:
        call = agent(messages, info["tools"])
        messages.append(
            prompt.assistant_call({"id": prompt.call_id(len(messages) // 2), "type": "function", "function": call})
        )
        prev, (obs, _, terminated, truncated, info) = obs, env.step(call)
        messages.append(prompt.observation(prompt.obs_text(obs, prev), messages[-1]))  # the call's tool result
        done = terminated or truncated
        if verbose:
            print(f"> {call['name']} {json.dumps(call.get('arguments', {}))[:90]}\n  {obs['result'][:100]}")
    verdict = info["verdict"]
    print(f"verdict: passed={verdict['passed']} score={verdict['score']:.2f} after {len(messages) // 2} turns")
    return verdict


def scripted_agent(env_id: str = "ClawAnything-v0", seed: int = 0) -> Agent:
    """A stand-in for a model: the oracle's actions, as tool calls."""
    probe = gym.make(env_id)
    probe.reset(seed=seed)
    plan = [json.loads(a) for a in probe.unwrapped.oracle_actions()]

    def agent(messages: list[dict[str, Any]], tools: list[dict[str, Any]]) -> dict[str, Any]:
        a = plan.pop(0)
        names = {t["function"]["name"] for t in tools}
        if a["kind"] == "api":
            name = a["call"].replace(".", "__")
            assert name in names, name
            return {"name": name, "arguments": json.dumps(a["args"])}
        return {"name": a.pop("kind"), "arguments": a}

    return agent


if __name__ == "__main__":
    run_episode(scripted_agent())
