"""The full sweep: every task of the suite against three reference agents.

* oracle: the family's fixed solution (must pass 2,000/2,000);
* do-nothing: ``finish`` at once (must pass none);
* random: 30 random actions then ``finish`` (must pass <= 1%): well-formed API calls with
  ids drawn from the world, taps on the phone's tappable elements and keys, and, on tasks
  that need the laptop, shell commands from a small menu. On proactive tasks it first waits
  for the trigger, so its actions land when acting is possible.

Usage::

    python -m claw_gym.tasks.sweep [--workers N] [--limit N] [--json] [--markdown]

Worker processes each build their own worlds (everything derives from task id and seed).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from typing import Any, Iterable

import numpy as np

from .. import actions as A
from ..rng import derive_rng, derive_seed
from . import suite

SEED = 0
RANDOM_STEPS = 30
SHELL_MENU = ("ls", "pwd", "ls -la ~", "claw help", "claw mail list", "cat ~/*.txt", "echo done", "date",
              "find ~ -maxdepth 2 -type f", "claw files list")
_TEXTS = ("hello", "done", "ok, will do", "inbox", "Documents/a.txt", "general", "1234")


def _env(task_id: str) -> Any:
    from ..env import ClawEnv

    return ClawEnv(task_id=task_id)


def _play(env: Any, actions: Iterable[str]) -> tuple[bool, int]:
    """Run actions until the episode ends (finish appended if it did not); (passed, steps)."""
    steps, info = 0, {}
    for a in actions:
        steps += 1
        _, _, terminated, truncated, info = env.step(a)
        if terminated or truncated:
            return bool(info["verdict"]["passed"]), steps
    _, _, _, _, info = env.step(A.finish("done"))
    return bool(info["verdict"]["passed"]), steps + 1


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
            args[p.name] = "2026-03-0%d 1%d:00" % (int(rng.integers(1, 9)), int(rng.integers(0, 9)))
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
        yield A.wait(trigger - world.clock.now + 30)
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
    return {"task_id": task_id, "family": s.family, "oracle": oracle_ok, "oracle_steps": steps,
            "oracle_len": len(oracle), "nothing": nothing_ok, "random": random_ok,
            "seconds": round(time.perf_counter() - t0, 3)}


def run(task_ids: list[str], workers: int = 2, progress: bool = False, log: Any = None) -> list[dict[str, Any]]:
    """Sweep ``task_ids`` over ``workers`` processes (1: in this process); ``log``: a file that
    gets each task's result as a JSON line as soon as it is known."""
    out = []
    with ProcessPoolExecutor(max_workers=max(1, workers)) as pool:
        results = pool.map(sweep_task, task_ids, chunksize=4) if workers > 1 else map(sweep_task, task_ids)
        for i, r in enumerate(results):
            out.append(r)
            if log is not None:
                log.write(json.dumps(r) + "\n")
                log.flush()
            if progress and (i + 1) % 100 == 0:
                print(f"  {i + 1}/{len(task_ids)}", file=sys.stderr, flush=True)
    return out


def summarize(results: list[dict[str, Any]], seconds: float, workers: int) -> dict[str, Any]:
    n = len(results)
    steps = [r["oracle_steps"] for r in results]
    return {
        "tasks": n, "workers": workers, "seconds": round(seconds, 1),
        "oracle_passed": sum(r["oracle"] for r in results),
        "nothing_passed": sum(r["nothing"] for r in results),
        "random_passed": sum(r["random"] for r in results),
        "oracle_steps": {"mean": round(statistics.mean(steps), 2) if steps else 0,
                         "median": statistics.median(steps) if steps else 0, "max": max(steps, default=0)},
        "oracle_failures": sorted(r["task_id"] for r in results if not r["oracle"]),
        "nothing_passes": sorted(r["task_id"] for r in results if r["nothing"]),
        "random_passes": sorted(r["task_id"] for r in results if r["random"]),
        "slowest_families": Counter({f: round(sum(r["seconds"] for r in results if r["family"] == f), 1)
                                     for f in {r["family"] for r in results}}).most_common(5),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m claw_gym.tasks.sweep", description=__doc__.split("\n\n")[0])
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--limit", type=int, default=0, help="sweep every k-th task so about N are run (0: all)")
    ap.add_argument("--family", action="append", help="only these families")
    ap.add_argument("--json", action="store_true", help="print the summary as JSON")
    ap.add_argument("--markdown", action="store_true", help="print the README section 'The suite'")
    ap.add_argument("--log", type=argparse.FileType("w"), help="write each task's result here as a JSON line")
    ap.add_argument("--from-log", type=argparse.FileType("r"), help="summarize an earlier run's --log instead")
    args = ap.parse_args(argv)
    if args.from_log:
        done = [json.loads(line) for line in args.from_log if line.strip()]
        secs = sum(r["seconds"] for r in done) / max(1, args.workers)  # busy time, not wall time
        summary = summarize(done, secs, args.workers)
        summary["seconds_note"] = "summed per-task seconds / workers, from a log"
        return _report(summary, args, [r["task_id"] for r in done])
    ids = [s.task_id for s in suite.catalog(family=args.family, split=list(suite.SPLITS))]
    ids.sort(key=lambda t: derive_seed("sweep-order", t))  # any prefix of the run is a fair sample
    if args.limit and args.limit < len(ids):
        ids = ids[::max(1, len(ids) // args.limit)][:args.limit]
    t0 = time.perf_counter()
    results = run(ids, args.workers, progress=not args.json, log=args.log)
    return _report(summarize(results, time.perf_counter() - t0, args.workers), args, ids)


def _report(summary: dict[str, Any], args: argparse.Namespace, ids: list[str]) -> int:
    if args.json:
        print(json.dumps(summary, indent=1))
    elif args.markdown:
        from .figures import markdown

        print(markdown(summary))
    else:
        for k, v in summary.items():
            print(f"{k}: {v}")
    ok = summary["oracle_passed"] == len(ids) and summary["nothing_passed"] == 0 \
        and summary["random_passed"] <= 0.01 * len(ids)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
