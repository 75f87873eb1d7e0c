"""PettingZoo: the laptop and the phone as two agents of one world.

Each agent acts on its own device: ``laptop`` may send ``api``, ``shell``, ``wait`` and
``finish`` actions, ``phone`` ``api``, ``gui``, ``wait`` and ``finish``. A joint step runs
the laptop's action, then the phone's, on the same :class:`~claw_gym.env.ClawEnv` (so it
costs two env steps of virtual time and step budget). Both agents see the shared fields
(instruction, time, events of both sub-steps, services); each sees the result of its own
action; only the phone sees the phone's ``screen``/``ui``. The episode's verdict is one
shared terminal reward. An action of the other device's kind is refused with an error
result and changes nothing.

``parallel_env(...)`` is the parallel API; ``env(...)`` the AEC form through PettingZoo's
``parallel_to_aec``. Spaces are cached per agent.
"""

from __future__ import annotations

import functools
from typing import Any, cast

import gymnasium as gym
from gymnasium import spaces
from pettingzoo import ParallelEnv
from pettingzoo.utils.conversions import parallel_to_aec

from claw_gym import actions as A
from claw_gym import observation as O
from claw_gym.env import ClawEnv

AGENTS = ("laptop", "phone")
KINDS = {"laptop": ("api", "shell", "wait", "finish"), "phone": ("api", "gui", "wait", "finish")}
PHONE_ONLY = frozenset({"screen", "ui"})
SHARED = ("instruction", "time", "events", "services")


class ClawParallelEnv(ParallelEnv):
    metadata = {"name": "claw_gym_laptop_phone_v0", "render_modes": ["ansi"], "is_parallelizable": True}

    def __init__(self, env_id: str = "ClawAnything-v0", render_mode: str | None = None, **make_kwargs: Any) -> None:
        self.env = cast(ClawEnv, gym.make(env_id, render_mode=render_mode, **make_kwargs).unwrapped)
        self.render_mode = render_mode
        self.possible_agents = list(AGENTS)
        self.agents: list[str] = []
        self._obs: dict[str, Any] = {}

    @functools.cache  # noqa: B019  (PettingZoo's convention: spaces cached per agent, for the env's life)
    def observation_space(self, agent: str) -> spaces.Dict:
        keys = self.env.observation_space.spaces
        return spaces.Dict({k: s for k, s in keys.items() if agent == "phone" or k not in PHONE_ONLY})

    @functools.cache  # noqa: B019  (as above)
    def action_space(self, agent: str) -> spaces.Space:
        return self.env.action_space

    def _views(self, obs: dict[str, Any], results: dict[str, str]) -> dict[str, dict[str, Any]]:
        out = {}
        for agent in self.agents:
            view = {k: v for k, v in obs.items() if agent == "phone" or k not in PHONE_ONLY}
            view["result"] = results.get(agent, "")
            out[agent] = view
        return out

    def reset(
        self, seed: int | None = None, options: dict[str, Any] | None = None
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        # pass the env's own options on; others (PettingZoo's api test sends {"options": 1}) are not ours
        known = {k: v for k, v in (options or {}).items() if k in ("task_id", "history")}
        obs, info = self.env.reset(seed=seed, options=known)
        self.agents = list(self.possible_agents)
        self._obs = self._views(obs, dict.fromkeys(self.agents, obs["result"]))
        return self._obs, {a: dict(info, agent=a) for a in self.agents}

    def step(self, actions: dict[str, Any]) -> tuple[dict, dict, dict, dict, dict]:
        if not self.agents:
            raise gym.error.ResetNeeded("all agents are done; call reset()")
        results: dict[str, str] = {}
        infos: dict[str, dict[str, Any]] = {}
        events: list[str] = []
        obs: dict[str, Any] | None = None
        reward, terminated, truncated = 0.0, False, False
        for agent in self.agents:
            action = actions.get(agent)
            if terminated or truncated:
                results[agent] = "error: the episode ended before this action ran"
                continue
            refusal = self._refusal(agent, action)
            if refusal is not None:
                results[agent] = f"error: {refusal}"
                infos[agent] = {"action_ok": False, "error": refusal}
                continue
            obs, r, terminated, truncated, info = self.env.step(action)
            reward += r
            results[agent] = obs["result"]
            infos[agent] = info
            if obs["events"]:
                events.append(obs["events"])
        if obs is None:  # both refused: nothing ran, the world is as it was
            obs = dict(self._last_env_obs())
            obs["events"] = ""
        else:
            obs = dict(obs, events=O.bound("\n".join(events), O.LIMITS["events"]))
        observations = self._views(obs, results)
        rewards = dict.fromkeys(self.agents, reward)
        terms = dict.fromkeys(self.agents, terminated)
        truncs = dict.fromkeys(self.agents, truncated)
        shared_info = {
            k: v
            for k, v in (infos.get("laptop") or infos.get("phone") or {}).items()
            if k not in ("action_ok", "error")
        }
        infos_out = {a: {**shared_info, **infos.get(a, {}), "agent": a} for a in self.agents}
        if self.env.verdict is not None:
            for a in self.agents:
                infos_out[a]["verdict"] = self.env.verdict.as_dict()
        if terminated or truncated:
            self.agents = []
        self._obs = observations
        return observations, rewards, terms, truncs, infos_out

    def _last_env_obs(self) -> dict[str, Any]:
        last = self.env.last_obs  # the env's latest observation (nothing ran this step)
        return dict(last) if last is not None else dict.fromkeys(self.env.observation_space.spaces, "")

    @staticmethod
    def _refusal(agent: str, action: Any) -> str | None:
        try:
            kind = A.parse(action).kind
        except A.ActionError:
            return None  # malformed: let the env report it, as for a single agent
        if kind not in KINDS[agent]:
            other = "phone" if agent == "laptop" else "laptop"
            return (
                f"the {agent} agent cannot send '{kind}' actions; it may send {', '.join(KINDS[agent])} "
                f"(the {other} agent acts on its own device)"
            )
        return None

    def render(self) -> str | None:
        return self.env.render()

    def close(self) -> None:
        self.env.close()

    def state(self) -> Any:
        raise NotImplementedError("the world state is not an array; use env.env.world.state()")


def parallel_env(**kwargs: Any) -> ClawParallelEnv:
    return ClawParallelEnv(**kwargs)


def env(**kwargs: Any) -> Any:
    """The AEC form (agents act in turn; a joint step runs when both have acted)."""
    return parallel_to_aec(parallel_env(**kwargs))


raw_env = ClawParallelEnv
