"""The RL path, side by side in one run (issue 17): what a training loop pays per reset and step.

``make_rl_env("ClawAnything-v0")`` (HashedTextObservation Box, ActionMenu Discrete with
masks) is what SB3 and RLlib users train on. Rows: cold reset (a new world per reset),
warm reset (the world cache), memory per cached world, raw step, wrapped step, wrapped
steps/s including resets, MaskablePPO training env-steps/s, async vector scaling; and,
measured in the same run, a bare gymnasium env with the same spaces (the floor of any
Python env) and CartPole-v1 (a classic-control env), so ratios stay comparable across
machines.
"""

from __future__ import annotations

import gc
import os
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

import gymnasium as gym
import numpy as np

from .. import actions as A
from ..env import ClawEnv
from . import core
from .core import Config, Row, Stat, per_call

SUITE = "ClawAnything-v0"


# ---- the envs --------------------------------------------------------------------------------
class BareRLEnv(gym.Env[np.ndarray, int]):
    """The spaces of ``make_rl_env`` and nothing else: a constant observation, episodes of
    ``episode`` steps, every action valid (``action_masks``), as MaskablePPO needs."""

    def __init__(self, observation_space: gym.spaces.Box, n_actions: int, episode: int = 50) -> None:
        self.observation_space = observation_space
        self.action_space = gym.spaces.Discrete(n_actions)
        self._obs = np.zeros(observation_space.shape, dtype=observation_space.dtype)
        self._mask = np.ones(n_actions, dtype=bool)
        self._episode, self._t = episode, 0

    def reset(self, *, seed: int | None = None, options: dict[str, Any] | None = None) -> tuple[np.ndarray, dict]:
        super().reset(seed=seed)
        self._t = 0
        return self._obs.copy(), {}

    def step(self, action: int) -> tuple[np.ndarray, float, bool, bool, dict]:
        self._t += 1
        return self._obs.copy(), 0.0, False, self._t >= self._episode, {}

    def action_masks(self) -> np.ndarray:
        return self._mask


def rl_env(**kwargs: Any) -> gym.Env:
    """``make_rl_env`` of the suite id (``screen=False``: no phone frame drawn, no screen features)."""
    from claw_gym.wrappers import make_rl_env

    return make_rl_env(SUITE, **kwargs)


def _bare_like(env: gym.Env) -> BareRLEnv:
    obs_space, act_space = env.observation_space, env.action_space
    assert isinstance(obs_space, gym.spaces.Box) and isinstance(act_space, gym.spaces.Discrete)  # make_rl_env's
    return BareRLEnv(obs_space, int(act_space.n))


def _masks(env: gym.Env) -> np.ndarray:
    return env.get_wrapper_attr("action_masks")()


# ---- loops -----------------------------------------------------------------------------------
def _random_valid_loop(env: gym.Env, steps: int, seed: int, masked: bool = True) -> float:
    """Seconds for ``steps`` steps with random valid actions, resetting whenever an episode ends."""
    rng = np.random.default_rng(seed)
    assert isinstance(env.action_space, gym.spaces.Discrete)  # make_rl_env's menu
    n_actions = int(env.action_space.n)
    env.reset(seed=seed)
    t0 = core.TIMER()
    for _ in range(steps):
        if masked:
            valid = np.flatnonzero(_masks(env))
            a = int(valid[int(rng.integers(len(valid)))])
        else:
            a = int(rng.integers(n_actions))
        _, _, te, tr, _ = env.step(a)
        if te or tr:
            env.reset()
    return core.TIMER() - t0


def _steps_per_s(make: Callable[[], gym.Env], cfg: Config, masked: bool = True) -> Stat:
    env = make()
    try:
        _random_valid_loop(env, cfg.n(50, 5), 0, masked)  # warm caches and imports
        n = cfg.n(1_000, 40)
        return Stat.of([n / _random_valid_loop(env, n, 1 + r, masked) for r in range(cfg.repeats)])
    finally:
        env.close()


def cold_reset(cfg: Config) -> Stat:
    """ms per reset of the suite env, each to a world never built before (sampled task, new seed)."""
    env = ClawEnv()
    env.reset(seed=0)
    seeds = iter(range(1, 10**9))
    return per_call(lambda: env.reset(seed=next(seeds)), cfg.n(200, 10), cfg.repeats, scale=1e3)


def warm_reset(cfg: Config, worlds: int = 16) -> Stat:
    """ms per reset with ``world_cache``, cycling over ``worlds`` cached worlds (each reset switches world)."""
    env = ClawEnv(world_cache=worlds)
    for s in range(worlds):
        env.reset(seed=s)
    seeds = iter(range(10**9))
    return per_call(lambda: env.reset(seed=next(seeds) % worlds), cfg.n(2_000, 50), cfg.repeats, scale=1e3)


def cached_world_mb(cfg: Config) -> tuple[Stat, Stat]:
    """(measured, estimated) MB per cached world: tracemalloc's growth of the heap per world kept
    (the live world, its devices, the frozen snapshot, the reset's observation) and what the
    cache's memory budget counts for the same worlds."""
    n = cfg.n(20, 4)
    ClawEnv(world_cache=1).reset(seed=0)  # imports and process caches first
    measured, estimated = [], []
    for r in range(max(2, cfg.repeats // 3)):
        env = ClawEnv(world_cache=n + 1)
        env.reset(seed=10_000)
        gc.collect()
        tracemalloc.start()
        before = tracemalloc.get_traced_memory()[0]
        for s in range(n):
            env.reset(seed=r * 1000 + s)
        env.reset(seed=10_000)  # back to the first world: the n new ones sit in the cache, unused
        gc.collect()
        measured.append((tracemalloc.get_traced_memory()[0] - before) / n / 2**20)
        tracemalloc.stop()
        assert env.world_cache is not None
        estimated.append((env.world_cache.nbytes / len(env.world_cache)) / 2**20)
        env.close()
    return Stat.of(measured), Stat.of(estimated)


def raw_step(cfg: Config) -> Stat:
    """us per raw ``help`` step (the issue's raw loop)."""
    env = ClawEnv(max_steps=10**9)
    env.reset(seed=0)
    action = A.api("help")
    return per_call(lambda: env.step(action), cfg.n(2_000, 50), cfg.repeats)


def wrapped_step(cfg: Config, screen: bool = True) -> tuple[Stat, Stat]:
    """us per wrapped step (a random valid slot, masks read each step, no resets in the loop) and,
    of it, us in the env's own step: the same actions, raw (the rest is the wrappers' cost)."""
    env = rl_env(max_steps=10**9, screen=screen)
    rng = np.random.default_rng(0)
    env.reset(seed=0)
    base, inner, spent_inner = env.unwrapped, env.unwrapped.step, [0.0]

    def timed_step(action: Any) -> Any:
        t = core.TIMER()
        out = inner(action)
        spent_inner[0] += core.TIMER() - t
        return out

    base.step = timed_step  # type: ignore[method-assign]  # the wrappers reach the env's step through it
    samples, raw = [], []
    for _ in range(cfg.repeats):
        n, spent_reset, spent_inner[0] = cfg.n(300, 20), 0.0, 0.0
        t0 = core.TIMER()
        for _ in range(n):
            valid = np.flatnonzero(_masks(env))
            _, _, te, tr, _ = env.step(int(valid[int(rng.integers(len(valid)))]))
            if te or tr:  # a finish slot ends a reactive task: the reset is not what this row measures
                r0 = core.TIMER()
                env.reset()
                spent_reset += core.TIMER() - r0
        samples.append((core.TIMER() - t0 - spent_reset) / n * 1e6)
        raw.append(spent_inner[0] / n * 1e6)
    env.close()
    return Stat.of(samples), Stat.of(raw)


#: the child that times its own import on the CPU clock (what --clock cpu asks for: steady under load)
_IMPORT_CPU = "import time; t = time.process_time(); import claw_gym; print(time.process_time() - t)"


def import_seconds(cfg: Config) -> Stat:
    """s to ``import claw_gym`` in a fresh interpreter: ``-X importtime``'s cumulative figure (wall),
    or with ``--clock cpu`` the child's own CPU time around the import (a loaded machine's waits
    for a core would otherwise dominate the wall figure)."""
    samples = []
    for _ in range(cfg.n(10, 3)):
        if cfg.clock == "cpu":
            out = subprocess.run([sys.executable, "-c", _IMPORT_CPU], capture_output=True, text=True, check=True)
            samples.append(float(out.stdout.split()[-1]))
            continue
        out = subprocess.run(
            [sys.executable, "-X", "importtime", "-c", "import claw_gym"], capture_output=True, text=True, check=True
        )
        line = next(ln for ln in reversed(out.stderr.splitlines()) if ln.rstrip().endswith("| claw_gym"))
        samples.append(int(line.split("|")[1]) / 1e6)
    return Stat.of(samples)


def ppo_steps_per_s(make: Callable[[], gym.Env], cfg: Config) -> Stat | None:
    """Env steps per second of MaskablePPO.learn (CPU, a small MLP), or None without sb3-contrib."""
    try:
        from sb3_contrib import MaskablePPO
    except ImportError:
        return None
    import torch

    torch.set_num_threads(1)
    n_steps = cfg.n(256, 32)
    total = cfg.n(1_024, 64)
    samples = []
    for r in range(max(2, cfg.repeats // 2)):
        env = make()
        model = MaskablePPO(
            "MlpPolicy",
            env,
            n_steps=n_steps,
            batch_size=min(64, n_steps),
            n_epochs=1,
            policy_kwargs={"net_arch": [64, 64]},
            seed=r,
            verbose=0,
            device="cpu",
        )
        t0 = core.TIMER()
        model.learn(total_timesteps=total)
        samples.append(model.num_timesteps / (core.TIMER() - t0))
        env.close()
    return Stat.of(samples)


def vector_scaling(cfg: Config, screen: bool = True) -> tuple[Stat, Stat, Stat]:
    """Async vector env of make_rl_env, 1 and 2 workers: (1-worker steps/s, 2-worker steps/s, ratio).

    A shared machine's load moves between runs: the two configurations are measured in
    alternation (1, 2, 1, 2, ...), each round gives one ratio, and the figure is the median ratio."""

    def run(n: int) -> float:
        vec = gym.vector.AsyncVectorEnv([lambda: rl_env(max_steps=10**9, screen=screen) for _ in range(n)])
        try:
            vec.reset(seed=0)
            rng = np.random.default_rng(n)
            steps = cfg.n(300, 10)

            def actions() -> np.ndarray:
                masks = vec.call("action_masks")
                return np.array([int(rng.choice(np.flatnonzero(m))) for m in masks])

            for _ in range(cfg.n(20, 2)):
                vec.step(actions())
            t0 = time.perf_counter()
            for _ in range(steps):  # masks read every step, as MaskablePPO does
                vec.step(actions())
            return steps * n / (time.perf_counter() - t0)
        finally:
            vec.close()

    one, two, ratio = [], [], []
    for _ in range(max(2, cfg.repeats // 2)):
        a, b = run(1), run(2)
        one.append(a)
        two.append(b)
        ratio.append(b / a)
    return Stat.of(one), Stat.of(two), Stat.of(ratio)


# ---- the table -------------------------------------------------------------------------------
def rows(cfg: Config) -> list[Row]:
    from .baselines import bare_env_reset

    out: list[Row] = []
    bare_reset = bare_env_reset(cfg)
    cartpole = lambda: gym.make("CartPole-v1")
    cp_reset = per_call(_resetter(cartpole()), cfg.n(5_000, 200), cfg.repeats, scale=1e3)
    cold = cold_reset(cfg)
    out.append(
        Row(
            "rl",
            "cold reset (ClawAnything-v0, a new world each time)",
            cold,
            "ms",
            "bare env reset",
            bare_reset,
            "<= 5 ms",
            cold.median <= 5,
        )
    )
    out.append(Row("rl", "cold reset vs CartPole-v1 reset", cold, "ms", "CartPole-v1 reset", cp_reset))
    warm = warm_reset(cfg)
    out.append(
        Row(
            "rl",
            "warm reset (world_cache, 16 worlds, switching)",
            warm,
            "ms",
            "cold reset",
            cold,
            "<= 0.5 ms",
            warm.median <= 0.5,
        )
    )
    measured, estimated = cached_world_mb(cfg)
    out.append(
        Row(
            "rl",
            "memory per cached world (tracemalloc)",
            measured,
            "MB",
            "the cache's estimate (its budget)",
            estimated,
        )
    )
    raw = raw_step(cfg)
    out.append(Row("rl", "raw step (help)", raw, "us"))
    for screen, name in ((True, "make_rl_env"), (False, "make_rl_env(screen=False)")):
        wrapped, inner = wrapped_step(cfg, screen)
        out.append(
            Row(
                "rl",
                f"wrapped step ({name}, random valid slot)",
                wrapped,
                "us",
                "raw step",
                raw,
                "<= 2x raw",
                wrapped.median <= 2 * raw.median,
            )
        )
        out.append(
            Row(
                "rl",
                f"wrapped step ({name}) vs its env's own step (the same actions, raw)",
                wrapped,
                "us",
                "the env's step within it",
                inner,
            )
        )
    probe = rl_env()
    bare_make = lambda: _bare_like(probe)
    bare_rate = _steps_per_s(bare_make, cfg)
    cp_rate = _steps_per_s(cartpole, cfg, masked=False)
    loop = _steps_per_s(lambda: rl_env(), cfg)
    for name, rate in (
        ("make_rl_env", loop),
        ("make_rl_env(screen=False)", _steps_per_s(lambda: rl_env(screen=False), cfg)),
    ):
        out.append(
            Row(
                "rl",
                f"wrapped steps/s incl. resets ({name}, random valid slots)",
                rate,
                "/s",
                "bare env, same spaces",
                bare_rate,
                ">= 3,000/s",
                rate.median >= 3_000,
            )
        )
    out.append(Row("rl", "wrapped steps/s incl. resets vs CartPole-v1", loop, "/s", "CartPole-v1 steps/s", cp_rate))
    ppo = ppo_steps_per_s(lambda: rl_env(), cfg)
    if ppo is None:
        out.append(Row("rl", "MaskablePPO training env-steps/s", None, "/s", note="sb3-contrib not installed"))
    else:
        ppo_bare = ppo_steps_per_s(bare_make, cfg)
        out.append(
            Row(
                "rl",
                "MaskablePPO training env-steps/s (make_rl_env)",
                ppo,
                "/s",
                "MaskablePPO on the bare env, same spaces",
                ppo_bare,
            )
        )
    cores = os.cpu_count() or 1
    for screen, name in ((True, "make_rl_env"), (False, "make_rl_env(screen=False)")):
        one, two, ratio = vector_scaling(cfg, screen)
        out.append(Row("rl", f"async vector env ({name}), 1 worker", one, "steps/s"))
        out.append(Row("rl", f"async vector env ({name}), 2 workers", two, "steps/s", "1 worker", one))
        out.append(
            Row(
                "rl",
                f"async vector env ({name}), 2 workers / 1 (median of alternating rounds)",
                ratio,
                "x",
                target=">= 1.7x",
                ok=ratio.median >= 1.7,
                note=f"{cores} cores, load {os.getloadavg()[0]:.1f}",
            )
        )
    out.append(
        Row(
            "rl",
            "baseline: bare env with make_rl_env's spaces, steps/s incl. resets",
            bare_rate,
            "/s",
            "CartPole-v1 steps/s",
            cp_rate,
        )
    )
    imported = import_seconds(cfg)
    out.append(
        Row(
            "rl",
            "import claw_gym (fresh process, cpu)"
            if cfg.clock == "cpu"
            else "import claw_gym (fresh process, -X importtime)",
            imported,
            "s",
            target="<= 0.3 s",
            ok=imported.median <= 0.3,
        )
    )
    probe.close()
    return out


def _resetter(env: gym.Env) -> Callable[[], Any]:
    seeds = iter(range(10**9))
    return lambda: env.reset(seed=next(seeds))


__all__ = ["BareRLEnv", "rows", "cold_reset", "warm_reset", "cached_world_mb", "vector_scaling"]
