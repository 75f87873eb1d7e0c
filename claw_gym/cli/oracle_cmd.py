"""``claw-gym oracle``: run the scripted solutions and count how many pass.

Every task has an oracle that must pass: this is the suite's self-check. Exit status 1
if any episode fails, with what failed.
"""

from __future__ import annotations

import argparse
from collections import Counter
from typing import Any

from ..plural import count
from .common import CliError, add_run_options, env_kwargs, print_json, resolve_task, select, table
from .runner import Backend, Job, jobs_for, run_episode, run_jobs, spec_info


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "oracle", help="run the oracle on one task or on --all (filtered) tasks; count passes", description=__doc__
    )
    p.add_argument("task", nargs="?", help="task id; or use --all with filters")
    p.add_argument("--all", action="store_true", help="every task matching the filters")
    add_run_options(p, "print the results as JSON")
    p.set_defaults(func=run)


def oracle_job(job: Job) -> dict[str, Any]:
    """Run in a worker: one oracle episode, summarised."""
    task_id, seed, kwargs = job
    ep = run_episode(task_id, seed, "oracle", env_kwargs=kwargs)
    v = ep.verdict or {}
    failed = [c["name"] for c in v.get("checks", []) if not c["passed"]]
    return {
        "task_id": task_id,
        "family": ep.info["family"],
        "seed": seed,
        "passed": ep.passed,
        "steps": len(ep.steps),
        "failed_checks": failed,
        "violations": v.get("violations", []),
        "crash": ep.crash,
    }


def oracle_lost(job: Job, reason: str) -> dict[str, Any]:
    """An episode that never finished (its Ray worker died twice): a failure, with the reason as its crash."""
    task_id, seed, _ = job
    return {
        "task_id": task_id,
        "family": spec_info(task_id)["family"],
        "seed": seed,
        "passed": False,
        "steps": 0,
        "failed_checks": [],
        "violations": [],
        "crash": reason,
    }


def run(args: argparse.Namespace) -> int:
    if args.task and args.all:
        raise CliError("give a TASK or --all, not both")
    if args.task:
        task_ids = [resolve_task(args.task).task_id]
    elif args.all:
        task_ids = [s.task_id for s in select(args)]
        if not task_ids:
            raise CliError("no task matches these filters")
    else:
        raise CliError("give a TASK, or --all (with optional filters)")
    jobs = jobs_for(task_ids, args.episodes, args.seed, env_kwargs(args))
    results = list(run_jobs(oracle_job, jobs, Backend.of(args), "oracle", oracle_lost))
    failures = [r for r in results if not r["passed"]]
    if args.json:
        print_json({"episodes": len(results), "passed": len(results) - len(failures), "results": results})
        return 1 if failures else 0
    total, passed = Counter(r["family"] for r in results), Counter(r["family"] for r in results if r["passed"])
    print(
        table(
            ["family", "episodes", "passed", "rate"],
            [(f, total[f], passed[f], passed[f] / total[f]) for f in sorted(total)],
        )
    )
    print(
        f"\noracle passed {len(results) - len(failures)}/{count(len(results), 'episode')} "
        f"on {count(len(task_ids), 'task')}"
    )
    for r in failures:
        why = (
            r["crash"].strip().splitlines()[-1]
            if r["crash"]
            else "; ".join([f"failed: {c}" for c in r["failed_checks"]] + [f"violation: {v}" for v in r["violations"]])
        )
        print(f"  FAIL {r['task_id']} seed {r['seed']}: {why}")
    return 1 if failures else 0
