"""``claw-gym eval``: run an agent for K episodes per task and report pass@1, pass@k and pass^k,
overall and by family, kind, difficulty and device.

The agent is ``module:callable`` (a function ``obs -> action`` or ``(obs, info) -> action``, or a
policy object/class with ``act(obs, info)`` and optional ``reset(obs, info)``), or a built-in:
``oracle`` (the scripted solutions), ``finish`` (finishes at once; the do-nothing baseline) or
``llm`` (a chat model behind an OpenAI-compatible server: ``--model``, ``--base-url``; see docs/llm.md).

The report lists every episode (for ``llm`` also its prompt and completion tokens and wall time)
and, for each failed one, why.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from functools import partial
from pathlib import Path
from typing import Any

from ..llm.config import add_llm_args
from ..plural import count
from . import metrics
from .common import CliError, add_run_options, env_kwargs, print_json, select, table
from .runner import Backend, Episode, Job, agent_for, jobs_for, run_episode, run_jobs, spec_info


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "eval",
        help="evaluate an agent: pass@1, pass@k, pass^k by family/kind/difficulty/device",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--agent", required=True, metavar="SPEC", help="module:callable, or oracle | finish | llm")
    add_run_options(p, "print the report as JSON")
    p.add_argument(
        "--k",
        type=str,
        default=None,
        metavar="K,K",
        help="k values for pass@k / pass^k (default: 1, powers of two up to --episodes, --episodes)",
    )
    add_llm_args(p, transcripts=True)
    p.set_defaults(func=run)


def eval_job(agent: str, transcripts: str | None, job: Job) -> dict[str, Any]:
    """Run in a worker: one episode of the agent, summarised (and its transcript saved, for ``llm``)."""
    task_id, seed, kwargs = job
    start = time.perf_counter()
    ep = run_episode(task_id, seed, agent, env_kwargs=kwargs)
    wall = round(time.perf_counter() - start, 3)
    stats = _llm_stats(agent)
    row = {
        "task_id": task_id,
        "seed": seed,
        "passed": ep.passed,
        "reward": ep.reward,
        "steps": len(ep.steps),
        "crash": ep.crash,
        **{k: ep.info[k] for k in ("family", "kind", "difficulty", "devices")},
        "reason": failure_reason(ep, stats),
    }
    if stats is not None:  # wall times only here: other agents' reports are the same bytes whatever the workers
        row["wall_s"] = wall
        row.update(
            {
                k: stats[k]
                for k in (
                    "prompt_tokens",
                    "completion_tokens",
                    "estimated_prompt_tokens",
                    "calls",
                    "retries",
                    "text_finishes",
                    "tool_errors",
                    "usage_missing",
                    "stop_reason",
                )
            }
        )
        if transcripts:
            record = agent_for(agent).obj.record()
            record.update(
                task_id=task_id, seed=seed, passed=ep.passed, verdict=ep.verdict, reason=row["reason"], wall_s=wall
            )
            path = Path(transcripts) / f"{task_id}-seed{seed}.json"
            path.write_text(json.dumps(record, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return row


def _llm_stats(agent: str) -> dict[str, Any] | None:
    stats = getattr(agent_for(agent).obj, "stats", None) if agent.startswith("llm:") else None
    return stats.as_dict() if stats is not None else None


def failure_reason(ep: Episode, stats: dict[str, Any] | None = None) -> str | None:
    """Why an episode failed, in one line (None if it passed)."""
    if ep.passed:
        return None
    if ep.crash:
        return "the agent raised: " + ep.crash.strip().splitlines()[-1]
    parts = []
    if stats and stats["stop_reason"]:
        parts.append(f"the model stopped: {stats['stop_reason']}")
    if stats and stats["text_finishes"]:
        parts.append(f"finished with text and no tool call ({stats['text_finishes']}x)")
    verdict = ep.verdict
    if verdict is None:
        parts.append("no verdict (the episode was cut short)")
    else:
        failed = [c["name"] for c in verdict.get("checks", []) if not c.get("passed")]
        if failed:
            parts.append("failed checks: " + "; ".join(failed))
        if verdict.get("violations"):
            parts.append("violations: " + "; ".join(map(str, verdict["violations"])))
    return ", ".join(parts) or "failed"


def eval_lost(job: Job, reason: str) -> dict[str, Any]:
    """An episode that never finished (its Ray worker died twice): a failure, with the reason as its crash."""
    task_id, seed, _ = job
    info = spec_info(task_id)
    return {
        "task_id": task_id,
        "seed": seed,
        "passed": False,
        "reward": 0.0,
        "steps": 0,
        "crash": reason,
        "reason": reason,
        **{k: info[k] for k in ("family", "kind", "difficulty", "devices")},
    }


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
    from .policies import load, resolve

    agent = resolve(args.agent, args)
    load(agent)  # fail fast, in this process, on a bad spec
    transcripts = getattr(args, "transcripts", None)
    if transcripts:
        Path(transcripts).mkdir(parents=True, exist_ok=True)
    jobs = jobs_for([s.task_id for s in specs], args.episodes, args.seed, env_kwargs(args))
    start = time.perf_counter()
    episodes = list(run_jobs(partial(eval_job, agent, transcripts), jobs, Backend.of(args, agent), "eval", eval_lost))
    seconds = time.perf_counter() - start
    per_task: dict[str, dict[str, Any]] = {}
    for e in episodes:
        t = per_task.setdefault(
            e["task_id"],
            {
                "task_id": e["task_id"],
                "family": e["family"],
                "kind": e["kind"],
                "difficulty": e["difficulty"],
                "devices": e["devices"],
                "n": 0,
                "c": 0,
            },
        )
        t["n"] += 1
        t["c"] += int(e["passed"])
    tasks = list(per_task.values())
    report = {
        "agent": args.agent,
        "episodes_per_task": args.episodes,
        "seed": args.seed,
        "k": ks,
        **metrics.summarize(tasks, ks),
        "tasks": tasks,
        "crashes": [{"task_id": e["task_id"], "seed": e["seed"], "error": e["crash"]} for e in episodes if e["crash"]],
        "failures": [
            {"task_id": e["task_id"], "seed": e["seed"], "reason": e["reason"]} for e in episodes if not e["passed"]
        ],
        "episodes": [{k: v for k, v in e.items() if k != "crash"} for e in episodes],
    }
    if agent.startswith("llm:"):
        report["llm"] = llm_summary(agent, episodes, seconds)
    if report["crashes"]:
        print(
            f"warning: the agent raised in {count(len(report['crashes']), 'episode')} (counted as failures); first:\n"
            + report["crashes"][0]["error"],
            file=sys.stderr,
        )
    if args.json:
        print_json(report)
    else:
        print_report(report)
    return 0


def llm_summary(spec: str, episodes: list[dict[str, Any]], seconds: float) -> dict[str, Any]:
    """The llm agent's settings (no key), prompt version and totals over the run."""
    from ..llm import PROMPT_VERSION, LLMConfig

    def total(key: str) -> int:
        return sum(e[key] or 0 for e in episodes)

    return {
        "prompt_version": PROMPT_VERSION,
        **LLMConfig.from_spec(spec).public(),
        "wall_s": round(seconds, 3),
        "prompt_tokens": total("prompt_tokens"),
        "completion_tokens": total("completion_tokens"),
        "estimated_prompt_tokens": total("estimated_prompt_tokens"),
        "calls": total("calls"),
        "retries": total("retries"),
        "tool_errors": total("tool_errors"),
        "usage_missing": total("usage_missing"),
        "text_only_finishes": total("text_finishes"),
        "episodes_with_text_only_finish": sum(bool(e["text_finishes"]) for e in episodes),
        "stopped_episodes": sum(bool(e["stop_reason"]) for e in episodes),
        "episodes_per_s": round(len(episodes) / seconds, 2) if seconds else None,
    }


def print_report(report: dict[str, Any]) -> None:
    cols = [c for c in report["overall"] if c.startswith(("pass@", "pass^"))]
    rows = [("all", "", *(report["overall"][c] for c in ["tasks", "episodes", *cols]))]
    for group, members in report["by"].items():
        for key, stats in members.items():
            rows.append((group, key, *(stats[c] for c in ["tasks", "episodes", *cols])))
    print(
        f"agent {report['agent']}: {count(report['overall']['episodes'], 'episode')}, "
        f"{report['episodes_per_task']} per task "
        f"(seeds {report['seed']}..{report['seed'] + report['episodes_per_task'] - 1})"
    )
    print(table(["group", "value", "tasks", "episodes", *cols], rows))
    llm = report.get("llm")
    if llm:
        print(
            f"model {llm['model']} at {llm['base_url']}, prompt {llm['prompt_version']}: "
            f"{llm['prompt_tokens']:,} prompt + {llm['completion_tokens']:,} completion tokens in "
            f"{count(llm['calls'], 'call')} ({llm['retries']} retried), "
            f"{count(llm['text_only_finishes'], 'text-only finish', 'text-only finishes')}, "
            f"{llm['wall_s']:.1f} s"
        )
    for f in report["failures"][:20]:
        print(f"failed {f['task_id']} seed {f['seed']}: {f['reason']}")
    if len(report["failures"]) > 20:
        print(f"... and {len(report['failures']) - 20} more failures (--json lists them all)")
