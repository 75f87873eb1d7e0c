"""Export throughput (trajectories/s) and the projected size of a 1,500-trajectory export.

Runs the oracle over the first tasks of every family (round-robin) in this process, for each
format, and reports medians over repeats, next to the same episodes played without any
serialisation (the baseline: what recording and writing cost on top of playing).

    python benchmarks/export.py [--episodes 60] [--repeats 3]
"""

from __future__ import annotations

import argparse
import gzip
import statistics
import time

import claw_gym
from claw_gym.cli.export import export_job
from claw_gym.cli.runner import run_episode

TARGET = 1_500  # the reference benchmark fine-tuned on 1,500 successful trajectories


def jobs(n: int) -> list[tuple[str, int, str]]:
    by_family: dict[str, list[str]] = {}
    for s in claw_gym.catalog():
        by_family.setdefault(s.family, []).append(s.task_id)
    ids = [t for group in zip(*by_family.values()) for t in group] or []
    return [(ids[i % len(ids)], i // len(ids), "{}") for i in range(n)]


def timed(fn, work) -> tuple[float, list]:
    start = time.perf_counter()
    out = [fn(w) for w in work]
    return time.perf_counter() - start, out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--episodes", type=int, default=60)
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args()
    work = jobs(args.episodes)
    print(
        f"{len(work)} oracle episodes over {len({job[0] for job in work})} tasks of {len(claw_gym.tasks.families())} "
        f"families; medians of {args.repeats} runs"
    )
    runners = {
        "play only (baseline)": lambda j: run_episode(j[0], j[1], "oracle"),
        "chat-jsonl": lambda j: export_job("oracle", "chat-jsonl", j),
        "steps-jsonl": lambda j: export_job("oracle", "steps-jsonl", j),
    }
    seconds: dict[str, list[float]] = {name: [] for name in runners}
    outputs: dict[str, list] = {}
    for _ in range(args.repeats):  # interleaved, so the three share the machine's load
        for name, fn in runners.items():
            took, outputs[name] = timed(fn, work)
            seconds[name].append(took)
    for name in runners:
        rate = len(work) / statistics.median(seconds[name])
        if name not in ("chat-jsonl", "steps-jsonl"):
            print(f"  {name:<22} {rate:8.1f} episodes/s")
            continue
        texts = [text for ok, text in outputs[name] if ok]
        data = "".join(texts).encode("utf-8")
        per = len(data) / len(texts)
        gz = len(gzip.compress(data, 6)) / len(texts)
        print(
            f"  {name:<22} {rate:8.1f} trajectories/s; {per / 1024:6.1f} KiB per trajectory; "
            f"{TARGET:,} trajectories: {per * TARGET / 2**20:6.1f} MiB ({gz * TARGET / 2**20:5.1f} MiB gzipped), "
            f"~{TARGET / rate:.0f} s on one core"
        )


if __name__ == "__main__":
    main()
