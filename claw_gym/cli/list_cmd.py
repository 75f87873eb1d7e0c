"""``claw-gym list``: the tasks matching the filters, as a table with counts (or JSON)."""

from __future__ import annotations

import argparse
from collections import Counter

from ..plural import count
from .common import add_filters, device_label, print_json, select, table


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "list", help="list tasks (filters: family, kind, difficulty, split, device)", description=__doc__
    )
    add_filters(p)
    p.add_argument("--json", action="store_true", help="print the task specs as JSON")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    specs = select(args)
    if args.json:
        print_json([s.as_dict() for s in specs])
        return 0
    print(
        table(
            ["task", "family", "kind", "diff", "split", "devices", "services", "max steps"],
            [
                (s.task_id, s.family, s.kind, s.difficulty, s.split, device_label(s), len(s.services), s.max_steps)
                for s in specs
            ],
        )
    )
    print(f"\n{count(len(specs), 'task')}")
    for name, key in (
        ("family", lambda s: s.family),
        ("kind", lambda s: s.kind),
        ("split", lambda s: s.split),
        ("difficulty", lambda s: s.difficulty),
        ("devices", device_label),
    ):
        counts = Counter(key(s) for s in specs)
        print(f"  by {name}: " + ", ".join(f"{k} {n}" for k, n in sorted(counts.items())))
    return 0
