"""Vector envs: SyncVectorEnv vs AsyncVectorEnv (one process per env) on 1 and 2 workers.

Two observation shapes: the raw Dict (text fields and the phone's 474 kB screen, pickled
through a pipe every step) and what an RL loop feeds a network, the HashedTextObservation
Box built inside each worker and passed through shared memory. The raw Dict is dominated
by the copy of the screen; the Box shows what the worker processes themselves scale to.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from functools import partial

import gymnasium as gym

from .. import actions as A
from ..env import ClawEnv
from .core import Config, Row, Stat, per_call, rate
from .tasks import task_for


def _make(task: str) -> ClawEnv:
    return ClawEnv(task, max_steps=10**9)


def _make_features(task: str) -> gym.Env:
    from claw_gym.wrappers import HashedTextObservation

    return HashedTextObservation(_make(task))


def _steps_per_s(vec: gym.vector.VectorEnv, n: int, cfg: Config) -> Stat:
    vec.reset(seed=0)
    actions = tuple(A.api("events.search", text="meeting") for _ in range(n))
    per = per_call(lambda: vec.step(actions), cfg.n(500, 10), cfg.repeats, timer=time.perf_counter)
    return Stat.of([r * n for r in rate(per).samples])  # env steps per second across workers


def _vector(mode: str, make: Callable[[], gym.Env], n: int, shared: bool) -> gym.vector.VectorEnv:
    fns = [make for _ in range(n)]
    return gym.vector.SyncVectorEnv(fns) if mode == "sync" else gym.vector.AsyncVectorEnv(fns, shared_memory=shared)


def rows(cfg: Config) -> list[Row]:
    task = task_for(None)
    assert task is not None
    cores = os.cpu_count() or 1
    out: list[Row] = []
    for label, make, shared in (
        ("Dict obs", partial(_make, task), False),
        ("Box obs (HashedTextObservation, shared memory)", partial(_make_features, task), True),
    ):
        stats: dict[tuple[str, int], Stat] = {}
        for mode in ("sync", "async"):
            for n in (1, 2):
                vec = _vector(mode, make, n, shared)
                try:
                    stats[(mode, n)] = _steps_per_s(vec, n, cfg)
                finally:
                    vec.close()
        for mode in ("sync", "async"):
            for n in (1, 2):
                two_async = (mode, n) == ("async", 2)
                out.append(
                    Row(
                        "vector",
                        f"{mode} vector env, {n} worker{'s' if n > 1 else ''}, {label}",
                        stats[(mode, n)],
                        "steps/s",
                        f"{mode} 1 worker" if n == 2 else "",
                        stats[(mode, 1)] if n == 2 else None,
                        ">= 1.7x 1 worker" if two_async else "",
                        (stats[("async", 2)].median >= 1.7 * stats[("async", 1)].median) if two_async else None,
                        note=f"{cores} cores" if two_async else "",
                    )
                )
    return out
