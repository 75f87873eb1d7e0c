"""Vector envs: SyncVectorEnv vs AsyncVectorEnv (one process per env) on 1 and 2 workers."""

from __future__ import annotations

import os
import time
from functools import partial

import gymnasium as gym

from .. import actions as A
from ..env import ClawEnv
from .core import Config, Row, Stat, per_call, rate
from .tasks import task_for


def _make(task: str) -> ClawEnv:
    return ClawEnv(task, max_steps=10**9)


def _steps_per_s(vec: gym.vector.VectorEnv, n: int, cfg: Config) -> Stat:
    vec.reset(seed=0)
    actions = tuple(A.api("events.search", text="meeting") for _ in range(n))
    per = per_call(lambda: vec.step(actions), cfg.n(500, 10), cfg.repeats, timer=time.perf_counter)
    return Stat.of([r * n for r in rate(per).samples])  # env steps per second across workers


def rows(cfg: Config) -> list[Row]:
    task = task_for(None)
    assert task is not None
    out: dict[tuple[str, int], Stat] = {}
    for mode in ("sync", "async"):
        for n in (1, 2):
            fns = [partial(_make, task) for _ in range(n)]
            vec = (gym.vector.SyncVectorEnv(fns) if mode == "sync"
                   else gym.vector.AsyncVectorEnv(fns, shared_memory=False))
            try:
                out[(mode, n)] = _steps_per_s(vec, n, cfg)
            finally:
                vec.close()
    cores = os.cpu_count() or 1
    rows = [Row("vector", f"{mode} vector env, {n} worker{'s' if n > 1 else ''}", out[(mode, n)], "steps/s",
                f"{mode} 1 worker" if n == 2 else "", out[(mode, 1)] if n == 2 else None,
                ">= 1.7x 1 worker" if (mode, n) == ("async", 2) else "",
                (out[("async", 2)].median >= 1.7 * out[("async", 1)].median) if (mode, n) == ("async", 2) else None,
                note=f"{cores} cores" if (mode, n) == ("async", 2) else "")
            for mode in ("sync", "async") for n in (1, 2)]
    return rows
