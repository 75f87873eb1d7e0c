"""Compute the manifest (:mod:`claw_gym.tasks.manifest`): each task's spec and a content hash.

The hash covers the spec, the initial world's ``state_hash()`` at seed 0, the instruction,
the oracle's actions, the arrivals still to come (each event with its record) and the judging
time: a change to what arrives during the episode, or to when it is judged, moves the hash
too. ``tests/test_suite.py`` recomputes a sample of tasks by default (all of them in the slow
suite) and compares. When a change is meant to alter tasks::

    python -m claw_gym.runs.manifest --write     # regenerate; prints ids added / removed / changed
    python -m claw_gym.runs.manifest --check     # compare only (exit 1 on any difference)
"""

from __future__ import annotations

import argparse
import json
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from ..env import ClawEnv
from ..events import Event
from ..rng import stable_hash
from ..tasks import suite
from ..tasks.manifest import IDENTITY, PATH, SEED, diff, dump, load, moved, plain_spec


def entry(task_id: str) -> dict[str, Any]:
    """The manifest line of one task (builds its world at seed 0)."""
    spec = suite.get_spec(task_id)
    env = ClawEnv(task_id=task_id)
    try:
        env.reset(seed=SEED)
        assert env.world is not None and env.scenario is not None  # set by reset
        content = {
            "spec": spec.as_dict(),
            "state": env.world.state_hash(),
            "instruction": env.scenario.instruction,
            "oracle": env.oracle_actions(),
            "arrivals": [_arrival(e) for e in env.world.timeline.pending],
            "deadline": env.scenario.deadline,
        }
    finally:
        env.close()
    digest = stable_hash(json.dumps(content, sort_keys=True, ensure_ascii=False, default=str))
    return {"task_id": task_id, "spec": plain_spec(spec), "hash": digest}


def _arrival(e: Event) -> list[Any]:
    """An event still to come, with its record's fields (read by key: a history text is written)."""
    rec = e.record
    return [e.time, e.service, e.kind, e.text, {k: rec[k] for k in rec} if rec is not None else None]


def compute(task_ids: list[str], workers: int = 2) -> list[dict[str, Any]]:
    if workers <= 1:
        return [entry(t) for t in task_ids]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(entry, task_ids, chunksize=16))


def _report(d: dict[str, list[str]], out: Any = sys.stdout) -> None:
    for kind, ids in d.items():
        print(f"{kind}: {len(ids)}", file=out)
        fams: dict[str, int] = {}
        for t in ids:
            fam = suite.get_spec(t).family if t in suite.all_specs() else t.rsplit("-", 2)[0]
            fams[fam] = fams.get(fam, 0) + 1
        for fam, n in sorted(fams.items()):
            print(f"  {fam}: {n}", file=out)
        if 0 < len(ids) <= 20:
            print("    " + " ".join(ids), file=out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m claw_gym.runs.manifest", description=__doc__.split("\n\n")[0])
    mode = ap.add_mutually_exclusive_group(required=True)
    mode.add_argument("--write", action="store_true", help="regenerate the manifest and report what changed")
    mode.add_argument("--check", action="store_true", help="compare the catalog with the manifest")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--path", type=Path, default=PATH)
    args = ap.parse_args(argv)
    new = {e["task_id"]: e for e in compute(sorted(suite.all_specs()), args.workers)}
    old = load(args.path)
    d = diff(old, new)
    _report(d)
    gone = moved(old, new)
    if gone:  # a content change is fine when recorded; an id naming another task is not
        print(f"MOVED: {len(gone)} ids changed {', '.join(IDENTITY)} (ids must never move):", file=sys.stderr)
        _report({"moved": gone}, out=sys.stderr)
    if args.write:
        dump(list(new.values()), args.path)
        print(f"wrote {len(new)} tasks to {args.path}")
        return 0
    return 1 if any(d.values()) else 0


if __name__ == "__main__":
    raise SystemExit(main())
