"""Figures for the RL plumbing: wrapped step overhead, vector scaling, (optionally) PPO learning.

    python benchmarks/wrappers.py [--steps 400] [--ppo]

Overhead: a menu agent picks random valid slots in the wrapped env (ActionMenu +
HashedTextObservation); the raw env then replays the very same action strings from the
same seeds, so both do the same world work. Vector: steps/s of the wrapped stack in
AsyncVectorEnv with 1 and 2 workers (and SyncVectorEnv with 2), random valid slots.
Medians over repeats; this machine is shared, so compare numbers of one run only.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import gymnasium as gym
import numpy as np

import claw_gym  # noqa: F401  (registers the envs)
from claw_gym.wrappers import make_rl_env

ENV = "ClawAnything-v0"
# Step times are CPU time of this process (the machine is shared: wall time measures the
# neighbours); vector rates are wall time, since the workers are other processes.
CLOCK = time.process_time


def wrapped_run(steps: int, seed: int) -> tuple[list[float], list[tuple[int, list[str]]]]:
    """Per-step seconds of the wrapped env, and the episodes' (seed, action strings) to replay."""
    env = make_rl_env(ENV, dim=128)
    menu = env.env  # the ActionMenu under the features
    rng = np.random.default_rng(seed)
    times, episodes = [], []
    ep_seed = seed
    env.reset(seed=ep_seed)
    actions: list[str] = []
    for _ in range(steps):
        slot = int(rng.choice(np.flatnonzero(menu.action_masks())))
        actions.append(menu.choice(slot).action)
        t = CLOCK()
        _, _, term, trunc, _ = env.step(slot)
        times.append(CLOCK() - t)
        if term or trunc:
            episodes.append((ep_seed, actions))
            ep_seed, actions = ep_seed + 1, []
            env.reset(seed=ep_seed)
    episodes.append((ep_seed, actions))
    return times, episodes


def raw_run(episodes: list[tuple[int, list[str]]]) -> list[float]:
    env = gym.make(ENV)
    times = []
    for ep_seed, actions in episodes:
        env.reset(seed=ep_seed)
        for a in actions:
            t = CLOCK()
            env.step(a)
            times.append(CLOCK() - t)
    return times


def vector_rate(n: int, mode: str, steps: int) -> float:
    cls = gym.vector.AsyncVectorEnv if mode == "async" else gym.vector.SyncVectorEnv
    envs = cls([lambda: make_rl_env(ENV, dim=128) for _ in range(n)])
    rng = np.random.default_rng(0)
    _, info = envs.reset(seed=0)
    t = time.perf_counter()
    for _ in range(steps // n):
        masks = info["action_mask"]  # in the step's info: no extra round trip to the workers
        _, _, _, _, info = envs.step(np.array([int(rng.choice(np.flatnonzero(m))) for m in masks]))
    rate = (steps // n) * n / (time.perf_counter() - t)
    envs.close()
    return rate


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--steps", type=int, default=400)
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--ppo", action="store_true", help="also run the MaskablePPO example (minutes)")
    a = p.parse_args()

    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    wrapped, raw = [], []
    for r in range(a.repeats):
        w, episodes = wrapped_run(a.steps, seed=100 * r)
        wrapped.append(statistics.median(w))
        raw.append(statistics.median(raw_run(episodes)))
    mw, mr = statistics.median(wrapped) * 1e3, statistics.median(raw) * 1e3
    print(
        f"step CPU time (median of {a.repeats} runs x {a.steps} steps): raw {mr:.2f} ms, wrapped {mw:.2f} ms "
        f"(menu + features add {mw - mr:.2f} ms, x{mw / mr:.1f})"
    )

    rates = {}
    for n, mode in ((1, "async"), (2, "async"), (2, "sync")):
        rates[(n, mode)] = statistics.median(vector_rate(n, mode, a.steps) for _ in range(a.repeats))
        print(f"vector {mode:5s} {n} worker(s): {rates[(n, mode)]:.0f} steps/s")
    print(f"async speed-up 2 vs 1 workers: x{rates[(2, 'async')] / rates[(1, 'async')]:.2f}")

    if a.ppo:
        example = Path(__file__).resolve().parents[1] / "examples" / "maskable_ppo_curriculum.py"
        subprocess.run([sys.executable, str(example)], check=True)


if __name__ == "__main__":
    main()
