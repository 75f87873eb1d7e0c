"""``claw-gym eval``: run an agent for K episodes per task and report pass@1, pass@k and pass^k,
overall and by family, kind, difficulty and device.

The agent is ``module:callable`` (a function ``obs -> action`` or ``(obs, info) -> action``, or a
policy object/class with ``act(obs, info)`` and optional ``reset(obs, info)``), or a built-in:
``oracle`` (the scripted solutions) or ``finish`` (finishes at once; the do-nothing baseline).
"""

from __future__ import annotations

import argparse
import sys
from functools import partial
from typing import Any

from ..plural import count
from . import metrics
from .common import CliError, add_run_options, env_kwargs, print_json, select, table
from .runner import Job, jobs_for, run_episode, run_jobs


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("eval", help="evaluate an agent: pass@1, pass@k, pass^k by family/kind/difficulty/device",
                       description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--agent", required=True, metavar="SPEC", help="module:callable, or oracle | finish")
    add_run_options(p, "print the report as JSON")
    p.add_argument("--k", type=str, default=None, metavar="K,K",
                   help="k values for pass@k / pass^k (default: 1, powers of two up to --episodes, --episodes)")
    p.set_defaults(func=run)


def eval_job(agent: str, job: Job) -> dict[str, Any]:
    """Run in a worker: one episode of the agent, summarised."""
    task_id, seed, kwargs = job
    ep = run_episode(task_id, seed, agent, env_kwargs=kwargs)
    return {"task_id": task_id, "seed": seed, "passed": ep.passed, "reward": ep.reward, "steps": len(ep.steps),
            "crash": ep.crash, **{k: ep.info[k] for k in ("family", "kind", "difficulty", "devices")}}


def _ks(text: str | None, n: int) -> list[int]:
    if text is None:
        return metrics.default_ks(n)
    try:
        ks = sorted({int(k) for k in text.split(",") if k.strip()})
    except ValueError:
        raise CliError(f"--k takes comma-separated integers, got {text!r}") from None
    bad = [k for k in ks if not 1 <= k <= n]
    if bad or not ks:
        raise CliError(f"every k must be between 1 and --episodes ({n}); got {text!r}")
    return ks


def run(args: argparse.Namespace) -> int:
    ks = _ks(args.k, args.episodes)
    specs = select(args)
    if not specs:
        raise CliError("no task matches these filters")
    from .policies import load

    load(args.agent)  # fail fast, in this process, on a bad spec
    jobs = jobs_for([s.task_id for s in specs], args.episodes, args.seed, env_kwargs(args))
    episodes = list(run_jobs(partial(eval_job, args.agent), jobs, args.workers, "eval"))
    per_task: dict[str, dict[str, Any]] = {}
    for e in episodes:
        t = per_task.setdefault(e["task_id"], {"task_id": e["task_id"], "family": e["family"], "kind": e["kind"],
                                               "difficulty": e["difficulty"], "devices": e["devices"],
                                               "n": 0, "c": 0})
        t["n"] += 1
        t["c"] += int(e["passed"])
    tasks = list(per_task.values())
    report = {"agent": args.agent, "episodes_per_task": args.episodes, "seed": args.seed, "k": ks,
              **metrics.summarize(tasks, ks), "tasks": tasks,
              "crashes": [{"task_id": e["task_id"], "seed": e["seed"], "error": e["crash"]}
                          for e in episodes if e["crash"]]}
    if report["crashes"]:
        print(f"warning: the agent raised in {count(len(report['crashes']), 'episode')} (counted as failures); first:\n"
              + report["crashes"][0]["error"], file=sys.stderr)
    if args.json:
        print_json(report)
    else:
        print_report(report)
    return 0


def print_report(report: dict[str, Any]) -> None:
    cols = [c for c in report["overall"] if c.startswith(("pass@", "pass^"))]
    rows = [("all", "", *(report["overall"][c] for c in ["tasks", "episodes", *cols]))]
    for group, members in report["by"].items():
        for key, stats in members.items():
            rows.append((group, key, *(stats[c] for c in ["tasks", "episodes", *cols])))
    print(f"agent {report['agent']}: {count(report['overall']['episodes'], 'episode')}, "
          f"{report['episodes_per_task']} per task "
          f"(seeds {report['seed']}..{report['seed'] + report['episodes_per_task'] - 1})")
    print(table(["group", "value", "tasks", "episodes", *cols], rows))
