"""The full sweep: every task of the suite against three reference agents.

* oracle: the family's fixed solution (must pass every task);
* do-nothing: ``finish`` at once (must pass none);
* random: 30 random actions then ``finish`` (must pass <= 1%): well-formed API calls with
  ids drawn from the world, taps on the phone's tappable elements and keys, and, on tasks
  that need the laptop, shell commands from a small menu. On proactive tasks it first waits
  for the trigger, so its actions land when acting is possible.

With ``--faults RATE`` the sweep asks another question: does every oracle still pass
when that fraction of service calls fails (all fault kinds, see :mod:`claw_gym.faults`)?
Each task's oracle runs once under faults with :func:`claw_gym.replay.replay_oracle`, which
resends steps that met a fault; the summary counts passes, faults injected and steps resent.

Usage::

    python -m claw_gym.runs.sweep [--workers N] [--limit N] [--json] [--markdown] [--faults RATE]

Worker processes each build their own worlds (everything derives from task id and seed).
"""

from __future__ import annotations

import argparse
import itertools
import json
import statistics
import sys
import time
from collections import Counter
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from typing import Any

import numpy as np

from .. import actions as A
from ..env import ClawEnv
from ..rng import derive_rng, derive_seed
from ..tasks import suite

SEED = 0
RANDOM_STEPS = 30
SHELL_MENU = (
    "ls",
    "pwd",
    "ls -la ~",
    "claw help",
    "claw mail list",
    "cat ~/*.txt",
    "echo done",
    "date",
    "find ~ -maxdepth 2 -type f",
    "claw files list",
)
_TEXTS = ("hello", "done", "ok, will do", "inbox", "Documents/a.txt", "general", "1234")


def _env(task_id: str, **kwargs: Any) -> ClawEnv:
    return ClawEnv(task_id=task_id, **kwargs)


def _play(env: Any, actions: Iterable[str]) -> tuple[bool, int]:
    """Run actions until the episode ends, then ``finish`` until it does (a proactive task's
    finish only sleeps to the next arrival; its deadline or max_steps ends it); (passed, steps)."""
    for steps, a in enumerate(itertools.chain(actions, itertools.repeat(A.finish("done"))), 1):
        _, _, terminated, truncated, info = env.step(a)
        if terminated or truncated:
            return bool(info["verdict"]["passed"]), steps
    raise AssertionError("unreachable: the finish loop ends with the episode")


def random_api(world: Any, rng: np.random.Generator, ids: list[str]) -> str:
    """A well-formed API call with plausible arguments (ids drawn from the world's records)."""
    services = list(world.services.values())
    svc = services[int(rng.integers(len(services)))]
    eps = list(svc.endpoints.values())
    ep = eps[int(rng.integers(len(eps)))]
    args: dict[str, Any] = {}
    for p in ep.params:
        if not p.required and rng.random() < 0.5:
            continue
        t = p.type_name()
        if p.name == "id" or p.name.endswith("_id"):
            args[p.name] = ids[int(rng.integers(len(ids)))] if ids else "x1"
        elif t == "integer":
            args[p.name] = int(rng.integers(1, 50))
        elif t == "number":
            args[p.name] = float(rng.integers(1, 500))
        elif t == "boolean":
            args[p.name] = bool(rng.random() < 0.5)
        elif t.startswith("list"):
            people = world.persona.people
            args[p.name] = [people[int(rng.integers(len(people)))].email]
        elif p.name in ("start", "end", "date", "due", "close_date", "when", "time"):
            args[p.name] = f"2026-03-0{int(rng.integers(1, 9))} 1{int(rng.integers(0, 9))}:00"
        else:
            args[p.name] = _TEXTS[int(rng.integers(len(_TEXTS)))]
    return A.api(ep.qualname, **args)


def random_gui(env: Any, rng: np.random.Generator) -> str:
    r = rng.random()
    if r < 0.75:
        nodes = [n for n in env.phone.tree()[1] if n.on_tap is not None]
        if nodes:
            x, y = nodes[int(rng.integers(len(nodes)))].center()
            return A.tap(x=x, y=y)
    if r < 0.85:
        return A.type_text(_TEXTS[int(rng.integers(len(_TEXTS)))])
    return A.key(("back", "home", "enter")[int(rng.integers(3))])


def random_actions(env: Any, task_id: str) -> Iterable[str]:
    rng = derive_rng("sweep-random", task_id)
    world = env.world
    ids = sorted({rid for s in world.services.values() for t in s.tables.values() for rid in t.rows})
    trigger = env.scenario.facts.get("trigger_at")
    if trigger is not None and trigger > world.clock.now:
        yield A.wait(trigger - world.clock.now + 30, wake=False)
    laptop = "laptop" in env.spec_task.devices
    for _ in range(RANDOM_STEPS):
        r = rng.random()
        if r < 0.3 and env.phone is not None:
            yield random_gui(env, rng)
        elif r < 0.5 and laptop:
            yield A.shell(SHELL_MENU[int(rng.integers(len(SHELL_MENU)))])
        else:
            yield random_api(world, rng, ids)


def sweep_task(task_id: str) -> dict[str, Any]:
    """Oracle, do-nothing and random on one task at seed 0."""
    t0 = time.perf_counter()
    env = _env(task_id)
    try:
        env.reset(seed=SEED)
        oracle = env.oracle_actions()
        oracle_ok, steps = _play(env, oracle)
        env.reset(seed=SEED)
        nothing_ok, _ = _play(env, [A.finish("All done.")])
        env.reset(seed=SEED)
        random_ok, _ = _play(env, random_actions(env, task_id))
    finally:
        env.close()
    s = suite.get_spec(task_id)
    return {
        "task_id": task_id,
        "family": s.family,
        "oracle": oracle_ok,
        "oracle_steps": steps,
        "oracle_len": len(oracle),
        "nothing": nothing_ok,
        "random": random_ok,
        "seconds": round(time.perf_counter() - t0, 3),
    }


def sweep_task_faults(task_id: str, rate: float) -> dict[str, Any]:
    """The oracle at seed 0 with ``rate`` of service calls failing (every kind), resending faulted steps."""
    from ..faults import FAULT_KINDS
    from ..replay import replay_oracle

    t0 = time.perf_counter()
    s = suite.get_spec(task_id)
    # resent steps count against max_steps: give them room, as the README advises
    env = _env(task_id, faults={"rate": rate, "kinds": list(FAULT_KINDS)}, max_steps=4 * s.max_steps)
    try:
        env.reset(seed=SEED)
        n = len(env.oracle_actions())
        try:
            run = replay_oracle(env)
            passed, steps, injected, resent, error = run.passed, run.steps, run.injected, run.faults, None
        except RuntimeError as exc:  # one step met max_retries faults in a row
            passed, steps, injected, resent, error = False, 0, 0, 0, str(exc)
    finally:
        env.close()
    return {
        "task_id": task_id,
        "family": s.family,
        "oracle": passed,
        "oracle_steps": steps,
        "oracle_len": n,
        "fault_rate": rate,
        "faults_injected": injected,
        "faults_resent": resent,
        "error": error,
        "seconds": round(time.perf_counter() - t0, 3),
    }


def run(
    task_ids: list[str], workers: int = 2, progress: bool = False, log: Any = None, faults: float | None = None
) -> list[dict[str, Any]]:
    """Sweep ``task_ids`` over ``workers`` processes (1: in this process); ``log``: a file that
    gets each task's result as a JSON line as soon as it is known. ``faults``: the fault sweep."""
    out = []
    job = sweep_task if faults is None else partial(sweep_task_faults, rate=faults)
    with ProcessPoolExecutor(max_workers=max(1, workers)) as pool:
        results = pool.map(job, task_ids, chunksize=4) if workers > 1 else map(job, task_ids)
        for i, r in enumerate(results):
            out.append(r)
            if log is not None:
                log.write(json.dumps(r) + "\n")
                log.flush()
            if progress and (i + 1) % 100 == 0:
                print(f"  {i + 1}/{len(task_ids)}", file=sys.stderr, flush=True)
    return out


def summarize_faults(results: list[dict[str, Any]], seconds: float, workers: int, rate: float) -> dict[str, Any]:
    steps = [r["oracle_steps"] for r in results]
    return {
        "tasks": len(results),
        "workers": workers,
        "seconds": round(seconds, 1),
        "fault_rate": rate,
        "oracle_passed": sum(r["oracle"] for r in results),
        "faults_injected": sum(r["faults_injected"] for r in results),
        "steps_resent": sum(r["faults_resent"] for r in results),
        "tasks_meeting_faults": sum(1 for r in results if r["faults_injected"]),
        "oracle_steps": {
            "mean": round(statistics.mean(steps), 2) if steps else 0,
            "median": statistics.median(steps) if steps else 0,
            "max": max(steps, default=0),
        },
        "oracle_failures": sorted(r["task_id"] for r in results if not r["oracle"]),
    }


def summarize(results: list[dict[str, Any]], seconds: float, workers: int) -> dict[str, Any]:
    if results and "faults_injected" in results[0]:
        return summarize_faults(results, seconds, workers, results[0]["fault_rate"])
    n = len(results)
    steps = [r["oracle_steps"] for r in results]
    return {
        "tasks": n,
        "workers": workers,
        "seconds": round(seconds, 1),
        "oracle_passed": sum(r["oracle"] for r in results),
        "nothing_passed": sum(r["nothing"] for r in results),
        "random_passed": sum(r["random"] for r in results),
        "oracle_steps": {
            "mean": round(statistics.mean(steps), 2) if steps else 0,
            "median": statistics.median(steps) if steps else 0,
            "max": max(steps, default=0),
        },
        "oracle_failures": sorted(r["task_id"] for r in results if not r["oracle"]),
        "nothing_passes": sorted(r["task_id"] for r in results if r["nothing"]),
        "random_passes": sorted(r["task_id"] for r in results if r["random"]),
        "slowest_families": Counter(
            {
                f: round(sum(r["seconds"] for r in results if r["family"] == f), 1)
                for f in {r["family"] for r in results}
            }
        ).most_common(5),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m claw_gym.runs.sweep", description=__doc__.split("\n\n")[0])
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--limit", type=int, default=0, help="sweep every k-th task so about N are run (0: all)")
    ap.add_argument("--family", action="append", help="only these families")
    ap.add_argument("--json", action="store_true", help="print the summary as JSON")
    ap.add_argument(
        "--markdown",
        action="store_true",
        help="print the section 'The suite' of docs/families.md, with this sweep's figures",
    )
    ap.add_argument("--log", type=argparse.FileType("w"), help="write each task's result here as a JSON line")
    ap.add_argument("--from-log", type=argparse.FileType("r"), help="summarize an earlier run's --log instead")
    ap.add_argument(
        "--faults",
        type=float,
        metavar="RATE",
        help="instead: the oracle with RATE (0..1) of service calls failing, resending faulted steps",
    )
    args = ap.parse_args(argv)
    if args.faults is not None and not 0 < args.faults < 1:
        ap.error("--faults takes a rate between 0 and 1, e.g. 0.1")
    if args.from_log:
        done = [json.loads(line) for line in args.from_log if line.strip()]
        secs = sum(r["seconds"] for r in done) / max(1, args.workers)  # busy time, not wall time
        summary = summarize(done, secs, args.workers)
        summary["seconds_note"] = "summed per-task seconds / workers, from a log"
        return _report(summary, args, [r["task_id"] for r in done])
    ids = [s.task_id for s in suite.catalog(family=args.family, split=list(suite.SPLITS))]
    ids.sort(key=lambda t: derive_seed("sweep-order", t))  # any prefix of the run is a fair sample
    if args.limit and args.limit < len(ids):
        ids = ids[:: max(1, len(ids) // args.limit)][: args.limit]
    t0 = time.perf_counter()
    results = run(ids, args.workers, progress=not args.json, log=args.log, faults=args.faults)
    if args.faults is not None:
        return _report(summarize_faults(results, time.perf_counter() - t0, args.workers, args.faults), args, ids)
    return _report(summarize(results, time.perf_counter() - t0, args.workers), args, ids)


def _report(summary: dict[str, Any], args: argparse.Namespace, ids: list[str]) -> int:
    if args.json:
        print(json.dumps(summary, indent=1))
    elif args.markdown and "faults_injected" not in summary:
        from .figures import markdown

        print(markdown(summary))
    else:
        for k, v in summary.items():
            print(f"{k}: {v}")
    if "faults_injected" in summary:
        return 0 if summary["oracle_passed"] == len(ids) else 1
    ok = (
        summary["oracle_passed"] == len(ids)
        and summary["nothing_passed"] == 0
        and summary["random_passed"] <= 0.01 * len(ids)
    )
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
