"""Figures of the suite (from the catalog, plus a sweep's pass rates) and the README section."""

from __future__ import annotations

import statistics
from collections import Counter
from typing import Any

from . import ambient, quota, suite


def device_label(devices: tuple[str, ...]) -> str:
    return "+".join(sorted(devices)) or "api"


def catalog_figures() -> dict[str, Any]:
    specs = list(suite.all_specs().values())
    n = len(specs)
    sizes = [len(s.services) for s in specs]
    own = [len(set(s.services) - set(ambient.ALWAYS)) for s in specs]
    plan = suite.suite_plan()
    return {
        "tasks": n,
        "families": len(suite.families()),
        "per_family": dict(sorted(Counter(s.family for s in specs).items())),
        "per_kind": dict(sorted(Counter(s.kind for s in specs).items())),
        "per_difficulty": dict(sorted(Counter(s.difficulty for s in specs).items())),
        "per_split": dict(sorted(Counter(s.split for s in specs).items())),
        "per_device": dict(sorted(Counter(device_label(s.devices) for s in specs).items())),
        "services_per_task": {"mean": round(statistics.mean(sizes), 2), "max": max(sizes), "min": min(sizes),
                              "mean_without_events_device": round(statistics.mean(own), 2)},
        "mix": {t: round(v, 4) for t, v in plan.shares.items()},
        "mix_targets": dict(quota.TARGETS),
        "mix_short": dict(plan.short),
        "boosted": {f: b for f, b in plan.boosts.items() if b > 1.0},
    }


def _table(title: str, counts: dict[Any, int]) -> str:
    rows = "\n".join(f"| {k} | {v} |" for k, v in counts.items())
    return f"| {title} | tasks |\n|---|---|\n{rows}\n"


def families_table() -> str:
    """One row per family: kind, devices, tasks, tags and what its checker wants (from the Family specs)."""
    per_family = Counter(s.family for s in suite.all_specs().values())
    rows = [f"| `{f.name}` | {f.kind} | {device_label(f.devices)} | {per_family[f.name]} | {', '.join(f.tags) or '-'} "
            f"| {f.summary.replace('|', '/')} |" for f in sorted(suite.families().values(), key=lambda f: f.name)]
    return "| family | kind | devices | tasks | tags | what the checker wants |\n|---|---|---|---|---|---|\n" + \
        "\n".join(rows) + "\n"


def markdown(sweep: dict[str, Any] | None = None) -> str:
    """The README section "The suite" (catalog figures, and a sweep's figures when given)."""
    c = catalog_figures()
    sp = c["services_per_task"]
    mix = ", ".join(f"{t} {v:.1%} (target >= {c['mix_targets'][t]:.0%})" for t, v in c["mix"].items())
    out = [
        "## The suite\n",
        f"{c['tasks']:,} tasks from {c['families']} families, each registered as `ClawAnything/<task_id>-v0` "
        "(ids `<family>-<variant>-<nnnn>`). Quotas, splits and ambient services are computed from whatever "
        "families `envs/` holds (`claw_gym/tasks/quota.py`, `ambient.py`, `suite.py`): every family gets a share "
        "proportional to the square root of its variant count, boosted (at most 3x) for the families that carry "
        "a trait the mix lacks, rounded by largest remainder to exactly 2,000. Difficulty 1-5 is dealt evenly "
        "within each family.\n",
        f"Mix: {mix}." + (f" **Short:** {'; '.join(c['mix_short'].values())}." if c["mix_short"] else "") + "\n",
        f"Services per task world: mean {sp['mean']}, max {sp['max']}, min {sp['min']} "
        f"({sp['mean_without_events_device']} without `events` and `device`, which every world has). Each task "
        "adds ambient services to its family's own (2 + difficulty of them, drawn from the task id); the life "
        "generator fills their 90-day history, so they are real noise. A family can refuse one with "
        "`Family.extra[\"no_ambient\"]`.\n",
        "Splits: train 1,600, test 200 (an i.i.d. sample of the train distribution, family by family), held-out "
        "200, compositional: each family has one ambient service that train and test never pair it with and "
        "every held-out task has, so no held-out (family, service set) occurs in train. `ClawAnything-v0` "
        "samples train.\n",
        "Manifest: `claw_gym/data/manifest.jsonl` holds each task's spec and a content hash (spec, initial "
        "world state hash at seed 0, instruction, oracle actions). A default test recomputes 40 tasks, the slow "
        "suite all of them. After an intended change: `python -m claw_gym.tasks.manifest --write` (prints ids "
        "added / removed / changed).\n",
        _table("kind", c["per_kind"]), _table("difficulty", c["per_difficulty"]), _table("split", c["per_split"]),
        _table("devices", c["per_device"]),
        families_table(),
    ]
    if sweep is not None:
        n = sweep["tasks"]
        st = sweep["oracle_steps"]
        out.append(
            f"Sweep (`python -m claw_gym.tasks.sweep --workers {sweep['workers']} --markdown`, seed 0, "
            f"{n} tasks, {sweep['seconds']:.0f} s{' (' + sweep['seconds_note'] + ')' if 'seconds_note' in sweep else ''}): oracle passes {sweep['oracle_passed']}/{n}; do-nothing "
            f"(`finish` at once) {sweep['nothing_passed']}/{n}; random agent (30 random API calls, taps on "
            f"tappable elements, shell commands on laptop tasks, then `finish`) {sweep['random_passed']}/{n}. "
            f"Oracle steps per task: mean {st['mean']}, median {st['median']}, max {st['max']}.\n")
    return "\n".join(out)


if __name__ == "__main__":
    print(markdown())
