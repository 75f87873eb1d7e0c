"""Play one task by hand in a test: the env at a difficulty, a list of actions to its verdict, and
the names of the checks that failed. Shared by the depth and fairness tests of the families."""

from __future__ import annotations

import json
from typing import Any

import gymnasium as gym

import claw_gym
from claw_gym import actions as A
from claw_gym.replay import finish_episode


def at_level(family: str, level: int, seed: int = 0, variant: str | None = None, k: int = 0) -> Any:
    """The ``k``-th task of ``family`` at ``level`` (of ``variant`` when given), reset at ``seed``."""
    specs = claw_gym.catalog(family=family, difficulty=level, split=["train", "test", "heldout"])
    spec = [s for s in specs if variant is None or s.variant == variant][k]
    env = gym.make(spec.env_id).unwrapped
    env.reset(seed=seed)
    return env


def play(env: Any, steps: list[str]) -> dict[str, Any]:
    """Take ``steps``, then finish (a proactive task runs on to its deadline): the verdict."""
    for a in steps:
        *_, terminated, truncated, info = env.step(a)
        if terminated or truncated:
            return info["verdict"]
    return finish_episode(env, "done")["verdict"]


def failed(verdict: dict[str, Any]) -> list[str]:
    """The names of the checks that failed (violations are in ``verdict["violations"]``)."""
    return [c["name"] for c in verdict["checks"] if not c["passed"]]


def search(env: Any, text: str) -> list[dict[str, Any]]:
    """Every hit of ``events.search`` on ``text`` (all pages), as an agent pages through them."""
    hits: list[dict[str, Any]] = []
    cursor = 0
    while True:
        obs, *_ = env.step(A.api("events.search", text=text, limit=40, cursor=cursor))
        page = json.loads(obs["result"])
        hits += page["items"]
        cursor = page.get("next_cursor") or 0
        if not cursor:
            return hits


def found(env: Any, text: str = "", person: str = "") -> set[str]:
    """The records ``events.search`` returns for ``text`` / ``person`` (every page), asked of the service as an
    agent's call would, not through a step: a player's dozens of searches outlast a task's step budget."""
    events, out, cursor = env.world.services["events"], set(), 0
    while True:
        page = events.search(text=text, person=person, limit=200, cursor=cursor)
        out |= {h.get("record") for h in page["items"]}
        cursor = page.get("next_cursor") or 0
        if not cursor:
            return out


def finding(env: Any, record: str, people: Any = (), texts: Any = ()) -> list[str]:
    """The players' searches that return ``record``: each of ``people`` by person, each of ``texts`` by text (a
    depth test asserts there are none: the deciding line is found only by reading whose say it is)."""
    hits = [f"person={p!r}" for p in people if record in found(env, person=p)]
    return hits + [f"text={t!r}" for t in texts if record in found(env, t)]
