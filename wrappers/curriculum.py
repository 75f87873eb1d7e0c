"""Curriculum: harder tasks and more families as the recent success rate grows (BabyAI-style).

:class:`Curriculum` holds stages (each a catalog filter) and a window of recent episode
outcomes; when the success rate over a full window reaches ``threshold`` it moves to the
next stage and clears the window. It is plain data (``state()``/``load_state()``), so one
copy can live in every env and a trainer can keep them in step.

:class:`CurriculumWrapper` sits where resets happen: it picks the task id and passes
``options={"task_id": ...}`` to the env's reset, then records the verdict when the episode
ends. Inside vector envs each worker has its own copy; to share one schedule, aggregate the
outcomes in the trainer and broadcast with ``envs.call("set_curriculum_state", state)``
(Gymnasium) or ``env_method`` (SB3): :func:`sb3_callback` does that for SB3.
"""

from __future__ import annotations

import math
from collections import deque
from typing import Any, SupportsFloat

import gymnasium as gym
import numpy as np

from claw_gym.rng import derive_seed
from claw_gym.tasks import suite


class Curriculum:
    """Stages of task filters; advance when ``threshold`` of the last ``window`` episodes passed."""

    def __init__(self, stages: list[dict[str, Any]], window: int = 50, threshold: float = 0.8) -> None:
        if not stages:
            raise ValueError("a curriculum needs at least one stage")
        self.stages = [dict(s) for s in stages]
        self.pools = [[s.task_id for s in suite.catalog(**stage)] for stage in self.stages]
        empty = [i for i, p in enumerate(self.pools) if not p]
        if empty:
            raise ValueError(f"stages {empty} match no task")
        self.window, self.threshold = window, threshold
        self.level = 0
        self.results: deque[bool] = deque(maxlen=window)
        self.episodes = 0

    @classmethod
    def by_difficulty(
        cls, families: list[str] | None = None, max_difficulty: int = 5, split: Any = "train", **kwargs: Any
    ) -> Curriculum:
        """Stage d allows difficulties 1..d and the first ceil(d * F / max_difficulty) of F families."""
        fams = list(families) if families is not None else list(suite.families())
        stages = []
        for d in range(1, max_difficulty + 1):
            n = max(1, math.ceil(d * len(fams) / max_difficulty))
            stages.append({"family": fams[:n], "difficulty": list(range(1, d + 1)), "split": split})
        return cls(stages, **kwargs)

    @property
    def pool(self) -> list[str]:
        return self.pools[self.level]

    def success_rate(self) -> float:
        return float(np.mean(self.results)) if self.results else 0.0

    def sample(self, rng: np.random.Generator) -> str:
        return self.pool[int(rng.integers(len(self.pool)))]

    def record(self, passed: bool) -> bool:
        """Add one episode outcome; returns True if the curriculum moved up a stage."""
        self.results.append(bool(passed))
        self.episodes += 1
        if (
            len(self.results) == self.window
            and self.success_rate() >= self.threshold
            and self.level < len(self.stages) - 1
        ):
            self.level += 1
            self.results.clear()
            return True
        return False

    def state(self) -> dict[str, Any]:
        return {"level": self.level, "results": list(self.results), "episodes": self.episodes}

    def load_state(self, state: dict[str, Any]) -> None:
        self.level = int(state["level"])
        self.results = deque((bool(r) for r in state.get("results", [])), maxlen=self.window)
        self.episodes = int(state.get("episodes", self.episodes))


class CurriculumWrapper(gym.Wrapper):
    """Chooses each episode's task from the curriculum and reports its verdict back.

    ``record=False`` leaves recording to a trainer that aggregates outcomes across workers.
    ``info["curriculum"]`` carries the level and recent success rate.
    """

    def __init__(self, env: gym.Env, curriculum: Curriculum, record: bool = True) -> None:
        super().__init__(env)
        self.curriculum = curriculum
        self.record = record
        self._rng = np.random.Generator(np.random.PCG64(derive_seed("curriculum", 0)))

    def reset(self, *, seed: int | None = None, options: dict[str, Any] | None = None) -> tuple[Any, dict]:
        if seed is not None:
            self._rng = np.random.Generator(np.random.PCG64(derive_seed("curriculum", seed)))
        options = dict(options or {})
        options.setdefault("task_id", self.curriculum.sample(self._rng))
        obs, info = self.env.reset(seed=seed, options=options)
        return obs, self._annotate(info)

    def step(self, action: Any) -> tuple[Any, SupportsFloat, bool, bool, dict[str, Any]]:
        obs, reward, terminated, truncated, info = self.env.step(action)
        if (terminated or truncated) and self.record and "verdict" in info:
            self.curriculum.record(info["verdict"]["passed"])
        return obs, reward, terminated, truncated, self._annotate(info)

    def _annotate(self, info: dict[str, Any]) -> dict[str, Any]:
        return dict(info, curriculum={"level": self.curriculum.level, "success_rate": self.curriculum.success_rate()})

    def curriculum_state(self) -> dict[str, Any]:
        return self.curriculum.state()

    def set_curriculum_state(self, state: dict[str, Any]) -> None:
        self.curriculum.load_state(state)


def sb3_callback(curriculum: Curriculum) -> Any:
    """An SB3 callback: feed every finished episode of every worker to ``curriculum``, broadcast its state.

    Use with envs wrapped by ``CurriculumWrapper(..., record=False)``.
    """
    from stable_baselines3.common.callbacks import BaseCallback

    class _CurriculumCallback(BaseCallback):
        def _on_step(self) -> bool:
            changed = False
            for done, info in zip(self.locals["dones"], self.locals["infos"]):
                if done and "verdict" in info:
                    curriculum.record(info["verdict"]["passed"])
                    changed = True
            if changed:
                self.training_env.env_method("set_curriculum_state", curriculum.state())
                self.logger.record("curriculum/level", curriculum.level)
                self.logger.record("curriculum/success_rate", curriculum.success_rate())
            return True

    return _CurriculumCallback()
