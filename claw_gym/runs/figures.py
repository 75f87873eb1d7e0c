"""Figures of the suite (from the catalog, plus a sweep's pass rates), written into the docs.

The docs carry generated blocks between marker comments (``<!-- generated:NAME begin ... -->`` and
``<!-- generated:NAME end -->``): the suite's figures and family table and one section per family in
docs/families.md, a one-line summary in README.md. ``python -m claw_gym.runs.figures --write``
rewrites them from the catalog; ``--check`` exits 1 naming the stale ones (a test runs it), so a
family added, removed or re-described cannot leave the docs behind.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..env import ClawEnv
from ..replay import replay_oracle
from ..tasks import ambient, quota, splits, suite


def split_totals(per_split: dict[str, int]) -> str:
    """'train 1,600, test 200, held-out 200': the split totals in words."""
    return ", ".join(f"{k.replace('heldout', 'held-out')} {per_split.get(k, 0):,}" for k in splits.SPLITS)


def device_label(devices: tuple[str, ...]) -> str:
    return "+".join(sorted(devices)) or "api"


def catalog_figures() -> dict[str, Any]:
    specs = list(suite.all_specs().values())
    n = len(specs)
    sizes = [len(s.services) for s in specs]
    own = [len(set(s.services) - set(ambient.ALWAYS)) for s in specs]
    mix = suite.suite_mix()
    released = set(splits.frozen().ids())
    return {
        "tasks": n,
        "families": len(suite.families()),
        "per_family": dict(sorted(Counter(s.family for s in specs).items())),
        "per_kind": dict(sorted(Counter(s.kind for s in specs).items())),
        "per_difficulty": dict(sorted(Counter(s.difficulty for s in specs).items())),
        "per_split": dict(sorted(Counter(s.split for s in specs).items())),
        "per_device": dict(sorted(Counter(device_label(s.devices) for s in specs).items())),
        "services_per_task": {
            "mean": round(statistics.mean(sizes), 2),
            "max": max(sizes),
            "min": min(sizes),
            "mean_without_events_device": round(statistics.mean(own), 2),
        },
        "mix": {t: round(v, 4) for t, v in mix.shares.items()},
        "mix_targets": dict(quota.TARGETS),
        "mix_short": dict(mix.short),
        "released_v0": sum(s.task_id in released for s in specs),
    }


def _table(title: str, counts: dict[Any, int]) -> str:
    rows = "\n".join(f"| {k} | {v} |" for k, v in counts.items())
    return f"| {title} | tasks |\n|---|---|\n{rows}\n"


def families_table() -> str:
    """One row per family: kind, devices, tasks, tags and what its checker wants (from the Family specs)."""
    per_family = Counter(s.family for s in suite.all_specs().values())
    rows = [
        f"| `{f.name}` | {f.kind} | {device_label(f.devices)} | {per_family[f.name]} | {', '.join(f.tags) or '-'} "
        f"| {f.summary.replace('|', '/')} |"
        for f in sorted(suite.families().values(), key=lambda f: f.name)
    ]
    return (
        "| family | kind | devices | tasks | tags | what the checker wants |\n|---|---|---|---|---|---|\n"
        + "\n".join(rows)
        + "\n"
    )


def markdown(sweep: dict[str, Any] | None = None) -> str:
    """The section "The suite" of docs/families.md (catalog figures, and a sweep's figures when given)."""
    c = catalog_figures()
    sp = c["services_per_task"]
    mix = ", ".join(f"{t} {v:.1%} (target >= {c['mix_targets'][t]:.0%})" for t, v in c["mix"].items())
    split_words = split_totals(c["per_split"])
    out = [
        "## The suite\n",
        f"{c['tasks']:,} tasks from {c['families']} families, each registered as `ClawAnything/<task_id>-v0` "
        "(ids `<family>-<variant>-<nnnn>`). Each family declares its own task count (`Family.count`), dealt "
        "round-robin over its variants; difficulty 1-5 is dealt evenly within each family by task number "
        "(`claw_gym/tasks/quota.py`, `suite.py`). Nothing about one family's tasks depends on another family, "
        "so adding, growing or removing a family moves no other task (docs/task-changes.md).\n",
        f"Mix: {mix}." + (f" **Short:** {'; '.join(c['mix_short'].values())}." if c["mix_short"] else "") + "\n",
        f"Services per task world: mean {sp['mean']}, max {sp['max']}, min {sp['min']} "
        f"({sp['mean_without_events_device']} without `events` and `device`, which every world has). Each task "
        "adds ambient services to its family's own (2 + difficulty of them, drawn from the task id); the life "
        "generator fills their 90-day history, so they are real noise. A family can refuse one with "
        "`Family.no_ambient`.\n",
        f"Splits: {split_words}. A task's split is a function of its own id (`claw_gym/tasks/splits.py`): "
        f"the {c['released_v0']:,} tasks released in v0 keep their released split "
        "(`claw_gym/data/splits-v0.json`), any later task takes it from a hash of its id (about 80 / 10 / 10). "
        "Test is an i.i.d. sample of the train distribution; held-out is compositional: each family has one "
        "ambient service that train and test never pair it with and every held-out task has, so no held-out "
        "(family, service set) occurs in train. `ClawAnything-v0` samples train.\n",
        "Manifest: `claw_gym/data/manifest.jsonl` holds each task's spec and a content hash (spec, initial "
        "world state hash at seed 0, instruction, oracle actions, arrivals to come, judging time). A default test "
        "recomputes 40 tasks, the slow "
        "suite all of them. After an intended change: `python -m claw_gym.runs.manifest --write` (prints ids "
        "added / removed / changed).\n",
        _table("kind", c["per_kind"]),
        _table("difficulty", c["per_difficulty"]),
        _table("split", c["per_split"]),
        _table("devices", c["per_device"]),
        families_table(),
    ]
    if sweep is not None:
        n = sweep["tasks"]
        st = sweep["oracle_steps"]
        note = f" ({sweep['seconds_note']})" if "seconds_note" in sweep else ""
        out.append(
            f"Sweep (`python -m claw_gym.runs.sweep --workers {sweep['workers']} --markdown`, seed 0, "
            f"{n} tasks, {sweep['seconds']:.0f} s{note}): oracle passes {sweep['oracle_passed']}/{n}; do-nothing "
            f"(`finish` at once) {sweep['nothing_passed']}/{n}; random agent (30 random API calls, taps on "
            f"tappable elements, shell commands on laptop tasks, then `finish`) {sweep['random_passed']}/{n}. "
            f"Oracle steps per task: mean {st['mean']}, median {st['median']}, max {st['max']}.\n"
        )
    return "\n".join(out)


def summary_line() -> str:
    """The front page's one line of figures."""
    c = catalog_figures()
    kinds, devs = c["per_kind"], c["per_device"]
    both = sum(n for d, n in devs.items() if "+" in d)
    return (
        f"{c['tasks']:,} tasks in {c['families']} families: {kinds.get('reactive', 0):,} reactive, "
        f"{kinds.get('proactive', 0):,} proactive; {devs.get('api', 0):,} API-only, {both:,} on both the "
        f"laptop and the phone; {c['services_per_task']['mean']} services per task world on average; "
        + split_totals(c["per_split"])
        + " (`ClawAnything-v0` samples train)."
    )


_KIND_WORDS = {
    "reactive": "reactive (the instruction states the request)",
    "proactive": "proactive (no instruction: an arriving event makes action necessary; judged at a deadline)",
}


def _range(values: list[int]) -> str:
    lo, hi = min(values), max(values)
    return str(lo) if lo == hi else f"{lo}-{hi}"


def family_sections() -> str:
    """One section per family: what it checks, its spaces, ids and versions, services, wrong policies."""
    specs = list(suite.all_specs().values())
    out = []
    for f in sorted(suite.families().values(), key=lambda f: f.name):
        mine = sorted((s for s in specs if s.family == f.name), key=lambda s: s.task_id)
        splits = Counter(s.split for s in mine)
        kinds_of_action = [
            "api",
            *(["shell"] if "laptop" in f.devices else []),
            *(["gui"] if "phone" in f.devices else []),
            "wait",
            "finish",
        ]
        screens = (
            "`screen` and `ui` show the phone it needs"
            if "phone" in f.devices
            else "`screen` and `ui` show a phone it does not need (`phone=False` drops it)"
        )
        wrong = []
        if f.stale_oracle is not None:
            wrong.append("a policy acting on the stale signal (`Family.stale_oracle`) fails")
        if f.trap is not None:
            wrong.append("springing the trap (`Family.trap`) is a violation: reward 0")
        first = mine[0].task_id
        rows = [
            ("kind", _KIND_WORDS[f.kind]),
            ("devices", device_label(f.devices) + (" (API only)" if not f.devices else "")),
            (
                "tasks",
                f"{len(mine)}: "
                + ", ".join(f"{k} {splits[k]}" for k in sorted(splits))
                + f"; difficulty {_range([s.difficulty for s in mine])}",
            ),
            (
                "ids",
                f"`{f.name}-<variant>-<nnnn>`, variants "
                + ", ".join(f"`{v}`" for v in f.variants)
                + f'; e.g. `gym.make("ClawAnything/{first}-v0")`',
            ),
            (
                "versions",
                "`-v0` (claw-gym 0.1.0); the manifest pins each id's content hash, so a content change "
                "shows as changed",
            ),
            ("action space", "JSON text; kinds " + ", ".join(f"`{k}`" for k in kinds_of_action)),
            ("observation space", f"the suite's `Dict`; {screens}"),
            (
                "services",
                "its own: "
                + ", ".join(f"`{s}`" for s in sorted(f.services))
                + "; plus `events`, `device` and 2 + difficulty ambient ones",
            ),
            ("max steps", _range([s.max_steps for s in mine])),
            ("tags", ", ".join(f.tags) or "-"),
            (
                "reward",
                '1.0 when every check passes, else 0.0 (`reward_mode="partial"`: the fraction passed, '
                "0 on a violation)",
            ),
        ]
        if wrong:
            rows.append(("wrong policies", "; ".join(wrong)))
        table = "\n".join(f"| {k} | {v.replace('|', '/')} |" for k, v in rows)
        out.append(f"### `{f.name}`\n\n{f.summary}\n\n| | |\n|---|---|\n{table}\n")
    return "\n".join(out)


def family_checks() -> str:
    """Each family's checks and where the agent learns each is required (``because``).

    Read from the verdict of the family's first task at seed 0 after its oracle (a check's name
    may carry that task's values). Slow-ish (one episode per family): the default tests leave
    this block to the slow suite (:data:`SLOW_BLOCKS`).
    """
    out = []
    for f in sorted(suite.families().values(), key=lambda f: f.name):
        first = min(s.task_id for s in suite.all_specs().values() if s.family == f.name)
        env = ClawEnv(task_id=first)
        try:
            env.reset(seed=0)
            verdict = replay_oracle(env).info.get("verdict") or {"checks": []}
        finally:
            env.close()
        lines = [f"- {c['name']}: *because* {c.get('because') or '(not stated)'}" for c in verdict["checks"]]
        out.append(f"**`{f.name}`** (checks of `{first}`, seed 0)\n\n" + "\n".join(lines) + "\n")
    return "\n".join(out)


# (file relative to the repository root, block name, generator)
BLOCKS: list[tuple[str, str, Callable[[], str]]] = [
    ("README.md", "summary", summary_line),
    ("docs/families.md", "suite", markdown),
    ("docs/families.md", "families", family_sections),
    ("docs/families.md", "checks", family_checks),
]
#: blocks whose generator runs episodes: checked by the slow suite, not the default one
SLOW_BLOCKS = ("checks",)


def _pattern(name: str) -> re.Pattern[str]:
    return re.compile(rf"(<!-- generated:{name} begin[^\n]*-->\n)(.*?)(<!-- generated:{name} end -->)", re.S)


def _body(text: str) -> str:
    return text.rstrip("\n") + "\n"


def update(root: Path, write: bool, skip: tuple[str, ...] = ()) -> list[str]:
    """Compare (and with ``write``, rewrite) every generated block but those named in ``skip``;
    returns the stale ones as 'file: name'."""
    stale: list[str] = []
    texts: dict[str, str] = {}
    for rel, name, make in BLOCKS:
        if name in skip:
            continue
        path = root / rel
        text = texts.setdefault(rel, path.read_text(encoding="utf-8"))
        m = _pattern(name).search(text)
        if m is None:
            raise SystemExit(f"{path}: no generated block '{name}' (markers <!-- generated:{name} begin ... -->)")
        want = _body(make())
        if m.group(2) != want:
            stale.append(f"{rel}: {name}")
            texts[rel] = text[: m.start(2)] + want + text[m.end(2) :]
    if write:
        for rel, text in texts.items():
            (root / rel).write_text(text, encoding="utf-8")
    return stale


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m claw_gym.runs.figures", description=__doc__.split("\n\n")[0])
    ap.add_argument("--write", action="store_true", help="rewrite the generated blocks of README.md and docs/")
    ap.add_argument("--check", action="store_true", help="exit 1 if a generated block is stale")
    ap.add_argument(
        "--root",
        type=Path,
        default=Path(__file__).resolve().parents[2],
        help="the repository checkout (default: the one this module is in)",
    )
    args = ap.parse_args(argv)
    if not (args.write or args.check):
        print(markdown())
        print(family_sections())
        return 0
    stale = update(args.root, write=args.write)
    for s in stale:
        print(("rewrote " if args.write else "stale: ") + s)
    if args.check and stale and not args.write:
        print("regenerate with: python -m claw_gym.runs.figures --write", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
