"""``claw-gym show TASK``: one task in full: spec, what is asked (or what triggers it),
services, devices, what the checker checks, and the oracle's length and checks."""

from __future__ import annotations

import argparse
from typing import Any

from .. import clock
from ..plural import count
from ..tasks import suite
from .common import print_json, resolve_task
from .runner import run_episode


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("show", help="show one task: spec, instruction or trigger, checker, oracle", description=__doc__)
    p.add_argument("task", help="task id (see 'claw-gym list')")
    p.add_argument("--seed", type=int, default=0, help="seed of the episode shown (instruction, oracle)")
    p.add_argument("--json", action="store_true", help="print as JSON")
    p.set_defaults(func=run)


def describe(task_id: str, seed: int) -> dict[str, Any]:
    spec = resolve_task(task_id)
    family = suite.family_of(spec)
    scenario: dict[str, Any] = {}

    def grab(env: Any, ep: Any) -> None:
        scenario.update(
            trigger=env.scenario.trigger,
            deadline=env.scenario.deadline,
            start=ep.obs["time"],
            oracle=env.oracle_actions(),
        )

    ep = run_episode(spec.task_id, seed, "oracle", on_reset=grab)
    verdict = ep.verdict or {}
    return {
        **spec.as_dict(),
        "env_id": spec.env_id,
        "seed": seed,
        "start_time": scenario["start"],
        "instruction": ep.info["instruction"],
        "trigger": scenario["trigger"] or None,
        "deadline": clock.fmt_long(scenario["deadline"]) if scenario["deadline"] is not None else None,
        "checker": family.summary,
        "checks": [c["name"] for c in verdict.get("checks", [])],
        "because": {c["name"]: c.get("because", "") for c in verdict.get("checks", [])},
        "oracle_length": len(scenario["oracle"]),
        "oracle_passes": ep.passed,
        "oracle": scenario["oracle"],
    }


def run(args: argparse.Namespace) -> int:
    d = describe(args.task, args.seed)
    if args.json:
        print_json(d)
        return 0
    print(f"{d['task_id']}   ({d['env_id']})")
    print(
        f"  family {d['family']}, variant {d['variant']}, {d['kind']}, difficulty {d['difficulty']}, "
        f"split {d['split']}, max {d['max_steps']} steps" + (f", tags {', '.join(d['tags'])}" if d["tags"] else "")
    )
    print(f"  services: {', '.join(d['services'])}")
    print(f"  devices:  {', '.join(d['devices']) or 'none (API only)'}")
    print(f"\nseed {d['seed']}, starts {d['start_time']}")
    if d["instruction"]:
        print(f"instruction: {d['instruction']}")
    else:
        print("instruction: none (proactive: nobody asks)")
        print(f"trigger: {d['trigger'] or '(not described by the family)'}")
    if d["deadline"]:
        print(f"judged at: {d['deadline']} (virtual time; a finish before it sleeps to the next arrival)")
    print(f"\nthe checker: {d['checker']}")
    for name in d["checks"]:
        print(f"  - {name}")
        if d["because"].get(name):
            print(f"      because {d['because'][name]}")
    print(
        f"\noracle: {count(d['oracle_length'], 'action')}, {'passes' if d['oracle_passes'] else 'FAILS'}"
        f" (see them with --json, or step through with 'claw-gym play {d['task_id']}' and :oracle)"
    )
    return 0
