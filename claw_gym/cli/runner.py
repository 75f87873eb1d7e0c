"""Run episodes of (task, seed, policy): in process, in spawned worker processes, or as Ray tasks.

Jobs are plain tuples and results plain data, so they cross process boundaries; each
worker loads the policy once and builds its own envs. Results come back in job order,
whatever the number of workers, which keeps exports deterministic.
"""

from __future__ import annotations

import json
import multiprocessing as mp
import traceback
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import gymnasium as gym

from . import policies
from .common import CliError, progress


@dataclass
class Step:
    action: str
    obs: dict[str, Any]  # the observation after the action
    reward: float
    terminated: bool
    truncated: bool
    action_ok: bool
    error: str | None


@dataclass
class Episode:
    task_id: str
    seed: int
    policy: str
    info: dict[str, Any]  # reset info: family, kind, difficulty, split, services, devices, instruction
    obs: dict[str, Any]  # the first observation
    steps: list[Step] = field(default_factory=list)
    verdict: dict[str, Any] | None = None
    crash: str | None = None  # the policy raised: its traceback (the episode counts as failed)
    tools: list[dict[str, Any]] = field(default_factory=list)  # filled by exports that need them

    @property
    def passed(self) -> bool:
        return bool(self.verdict and self.verdict["passed"]) and self.crash is None

    @property
    def reward(self) -> float:
        return self.steps[-1].reward if self.steps else 0.0


_AGENTS: dict[str, policies.Agent] = {}


def agent_for(spec: str) -> policies.Agent:
    """One policy object per process and spec (policies keep per-episode state in reset)."""
    if spec not in _AGENTS:
        _AGENTS[spec] = policies.load(spec)
    return _AGENTS[spec]


def env_for(task_id: str, env_kwargs: str = "{}") -> gym.Env:
    """The task's env, reused while consecutive jobs stay on the same task (jobs are task-major).

    Gymnasium's passive checker is off: the test suite runs ``check_env``; here it would only
    cost time on every episode.
    """
    global _ENV
    key = f"{task_id} {env_kwargs}"
    if _ENV is None or _ENV[0] != key:
        import claw_gym  # noqa: F401  (registers the envs in spawned workers)

        if _ENV is not None:
            _ENV[1].close()
        _ENV = (key, gym.make(f"ClawAnything/{task_id}-v0", disable_env_checker=True, **json.loads(env_kwargs)))
    return _ENV[1]


_ENV: tuple[str, gym.Env] | None = None


def run_episode(
    task_id: str,
    seed: int,
    policy: str,
    *,
    env_kwargs: str = "{}",
    keep_images: bool = False,
    on_reset: Callable[[Any, Episode], None] | None = None,
) -> Episode:
    """Play one episode to its verdict. Non-text observation values are dropped unless ``keep_images``.

    ``env_kwargs``: JSON text of keywords for ``gym.make`` (see ``--env-arg``)."""
    agent = agent_for(policy)
    env = env_for(task_id, env_kwargs)
    obs, info = env.reset(seed=seed)
    ep = Episode(task_id, seed, policy, _public_info(info), _keep(obs, keep_images))
    if on_reset is not None:
        on_reset(env.unwrapped, ep)
    try:
        agent.begin(env.unwrapped, obs, info)
        done = False
        while not done:
            action = agent.act(obs, info)
            obs, reward, terminated, truncated, info = env.step(action)
            ep.steps.append(
                Step(
                    action if isinstance(action, str) else repr(action),
                    _keep(obs, keep_images),
                    float(reward),
                    bool(terminated),
                    bool(truncated),
                    bool(info["action_ok"]),
                    info["error"],
                )
            )
            done = terminated or truncated
    except Exception:  # the policy crashed: record it, the run goes on
        ep.crash = traceback.format_exc(limit=6)
    ep.verdict = info.get("verdict")
    return ep


def _public_info(info: dict[str, Any]) -> dict[str, Any]:
    keys = ("family", "kind", "difficulty", "split", "services", "devices", "instruction")
    return {k: info.get(k) for k in keys}


def _keep(obs: dict[str, Any], keep_images: bool) -> dict[str, Any]:
    return dict(obs) if keep_images else {k: v for k, v in obs.items() if isinstance(v, str)}


Job = tuple[str, int, str]  # task id, seed, env kwargs (JSON text)


def jobs_for(task_ids: Sequence[str], episodes: int, seed: int, env_kwargs: str = "{}") -> list[Job]:
    """Task-major jobs: episode j of a task uses ``seed + j``."""
    return [(t, seed + j, env_kwargs) for t in task_ids for j in range(episodes)]


@dataclass(frozen=True)
class Backend:
    """Where episodes run: ``local`` (this process, or ``workers`` spawned processes) or ``ray``
    (Ray tasks on a local Ray of ``workers`` CPUs, or on the cluster at ``address``)."""

    kind: str = "local"
    workers: int | None = None
    address: str | None = None
    policy: str | None = None  # the policy spec the jobs run: Ray ships its module if it is the user's

    @classmethod
    def of(cls, args: Any, policy: str | None = None) -> Backend:
        """From ``--backend``, ``--workers`` and ``--address`` (see ``common.add_run_options``)."""
        if args.address is not None and args.backend != "ray":
            raise CliError("--address joins a Ray cluster: add --backend ray")
        if args.address is not None and args.workers is not None:
            raise CliError("--workers sizes a local Ray; a cluster started with --address has its own CPUs")
        if args.address is not None:
            from .ray_backend import check_address

            check_address(args.address)
        return cls(args.backend, args.workers, args.address, policy)


def spec_info(task_id: str) -> dict[str, Any]:
    """A task's public info from its spec, without building it (for episodes that never reported)."""
    from ..tasks import suite

    s = suite.get_spec(task_id)
    return {
        "family": s.family,
        "kind": s.kind,
        "difficulty": s.difficulty,
        "split": s.split,
        "services": list(s.services),
        "devices": list(s.devices),
    }


def run_jobs(
    fn: Callable[[Any], Any],
    jobs: Sequence[Any],
    backend: Backend | int,
    desc: str,
    lost: Callable[[Any, str], Any] | None = None,
) -> Iterator[Any]:
    """``map(fn, jobs)`` in job order, with a progress bar: in process, over spawned processes, or on Ray.

    Jobs are :data:`Job` tuples, possibly behind a ``functools.partial`` in ``fn``. On Ray an episode
    whose worker died twice becomes ``lost(job, reason)`` (required there) and the run goes on."""
    if isinstance(backend, int):
        backend = Backend(workers=backend)
    if backend.kind == "ray":
        if lost is None:
            raise ValueError("the ray backend needs lost(job, reason) for episodes that cannot finish")
        from . import ray_backend

        yield from ray_backend.run_jobs(
            fn,
            jobs,
            desc,
            key=lambda job: (job[0], job[2]),
            lost=lost,
            address=backend.address,
            workers=backend.workers,
            policy=backend.policy,
        )
        return
    workers = backend.workers or 1
    if workers <= 1 or len(jobs) <= 1:
        yield from progress(map(fn, jobs), len(jobs), desc)
        return
    methods = mp.get_all_start_methods()
    ctx = mp.get_context("forkserver" if "forkserver" in methods else "spawn")
    with ctx.Pool(min(workers, len(jobs))) as pool:
        yield from progress(pool.imap(fn, jobs, chunksize=1), len(jobs), desc)
