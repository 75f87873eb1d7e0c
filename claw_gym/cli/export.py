"""``claw-gym export``: trajectories for fine-tuning, as JSONL.

``chat-jsonl``: one line per episode, ``{"messages", "tools", "metadata"}``: a system message
describing the tools (generated from the endpoint schemas), observations as user turns,
actions as assistant tool calls, the verdict in the metadata.
``steps-jsonl``: one line per step (observation, action, tool call, reward, flags); an
episode's last line adds the final observation and the metadata.

The chat format is :mod:`claw_gym.llm.prompt`'s (observations answer tool calls as ``tool``
messages with their call ids), the one the ``llm`` agent sends; ``metadata.prompt_version``
names it. ``--policy llm`` (with ``--model``, ``--base-url``, ...) exports a model's episodes.

Only passing episodes are written unless ``--all``. The output is deterministic: the same
command gives the same bytes, whatever ``--workers``.
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
from . import trajectory
from .common import CliError, add_run_options, env_kwargs, print_json, select
from .runner import Backend, Job, jobs_for, run_episode, run_jobs

FORMATS = ("chat-jsonl", "steps-jsonl")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "export",
        help="export trajectories (chat-jsonl / steps-jsonl) for fine-tuning",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--policy", default="oracle", metavar="SPEC", help="oracle (default), llm or module:callable")
    p.add_argument("--format", choices=FORMATS, default="chat-jsonl")
    p.add_argument("--out", required=True, metavar="FILE", help="output file ('-' for stdout)")
    p.add_argument("--all", action="store_true", help="also write failing episodes")
    add_run_options(p, "print the summary as JSON")
    add_llm_args(p)
    p.set_defaults(func=run)


def export_job(policy: str, fmt: str, job: Job) -> tuple[bool, str]:
    """Run in a worker: one episode, serialised (lines end with a newline)."""
    task_id, seed, kwargs = job

    def with_tools(env: Any, ep: Any) -> None:
        ep.tools = trajectory.tools_of(env)

    ep = run_episode(task_id, seed, policy, env_kwargs=kwargs, on_reset=with_tools if fmt == "chat-jsonl" else None)
    records = [trajectory.chat_record(ep)] if fmt == "chat-jsonl" else trajectory.step_records(ep)
    return ep.passed, "".join(trajectory.dumps(r) + "\n" for r in records)


def run(args: argparse.Namespace) -> int:
    specs = select(args)
    if not specs:
        raise CliError("no task matches these filters")
    from .policies import load, resolve

    policy = resolve(args.policy, args)
    load(policy)
    jobs = jobs_for([s.task_id for s in specs], args.episodes, args.seed, env_kwargs(args))
    start = time.perf_counter()
    written = passed = size = 0
    lost: list[str] = []  # episodes whose Ray worker died twice: nothing to write

    def on_lost(job: Job, reason: str) -> tuple[bool, str]:
        lost.append(f"{job[0]} seed {job[1]}: {reason}")
        return False, ""

    if args.out != "-":
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    out = sys.stdout if args.out == "-" else open(args.out, "w", encoding="utf-8", newline="\n")  # noqa: SIM115
    try:
        for ok, text in run_jobs(
            partial(export_job, policy, args.format), jobs, Backend.of(args, policy), "export", on_lost
        ):
            passed += ok
            if ok or args.all:
                out.write(text)
                written += 1
                size += len(text.encode("utf-8"))
    finally:
        if out is not sys.stdout:
            out.close()
    seconds = time.perf_counter() - start
    for line in lost:
        print(f"warning: not exported, the episode never finished: {line}", file=sys.stderr)
    summary = {
        "out": args.out,
        "format": args.format,
        "policy": args.policy,
        "episodes": len(jobs),
        "passed": passed,
        "written": written,
        "bytes": size,
        "seconds": round(seconds, 3),
        "trajectories_per_s": round(len(jobs) / seconds, 2) if seconds else None,
        "bytes_per_trajectory": round(size / written) if written else None,
        **({"lost": lost} if lost else {}),
    }
    if args.out == "-":  # the data went to stdout: the summary goes to stderr
        print(json.dumps(summary), file=sys.stderr)
    elif args.json:
        print_json(summary)
    else:
        print(
            f"exported {written} of {count(len(jobs), 'episode')} ({passed} passed) to {args.out}: {size:,} bytes, "
            f"{summary['trajectories_per_s']} trajectories/s"
        )
    return 0
