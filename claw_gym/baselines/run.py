"""``python -m claw_gym.baselines``: every row on the same fixed pairs, one table.

1. Menu coverage of the oracle, per family (train tasks, difficulties 1..max).
2. The families in play: the ``--families`` easiest by that measure (the share of oracle
   episodes whose every world-changing action the menu expresses, then coverage of changes,
   then the shortest oracle), unless named with ``--family``.
3. Rows on the train, test and heldout pairs of those families: do-nothing, random valid slot,
   oracle, MaskablePPO (curriculum: tutorial, then the families by difficulty), BC, BC then PPO,
   and the language-model row.
"""

from __future__ import annotations

import argparse
import os
import platform
import shlex
import sys
import time
from dataclasses import asdict, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from claw_gym.tasks import suite
from claw_gym.wrappers import tutorial

from .demos import Walk, coverage
from .envs import TUTORIAL, Setup, eval_pairs, make_env, menu_of
from .learn import Budget, demonstrations, learn_all, rate
from .llm_row import llm_row
from .report import markdown, summarize_row, write
from .rows import do_nothing, greedy, play, play_oracle, random_valid

QUICK = {"families": 1, "per_family": 2, "episodes": 1, "coverage_tasks": 1, "max_difficulty": 3}
DEFAULT = {"families": 3, "per_family": 10, "episodes": 3, "coverage_tasks": 3, "max_difficulty": 3}
QUICK_BUDGET = Budget(ppo_steps=768, finetune_steps=512, checkpoints=2, demos=8, bc_epochs=20, n_envs=2, window=10)
DEFAULT_BUDGET = Budget()


def parse(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m claw_gym.baselines", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    p.add_argument("--quick", action="store_true", help="a few minutes: 1 family, small budgets (tested)")
    p.add_argument(
        "--out", default="baselines-results", metavar="DIR", help="where results.{md,json} and curves.png go"
    )
    p.add_argument("--seed", type=int, default=0, help="seed of training and of each task's first episode")
    p.add_argument("--family", action="append", metavar="NAME", help="families to play (default: the easiest)")
    p.add_argument("--families", type=int, metavar="N", help="how many of the easiest families")
    p.add_argument("--per-family", type=int, metavar="N", help="evaluation tasks per family and split")
    p.add_argument("--episodes", type=int, metavar="K", help="seeds per evaluation task")
    p.add_argument("--max-difficulty", type=int, metavar="D", help="difficulties 1..D")
    p.add_argument("--ppo-steps", type=int, metavar="N", help="PPO env steps (from scratch)")
    p.add_argument("--finetune-steps", type=int, metavar="N", help="PPO env steps after BC")
    p.add_argument("--demos", type=int, metavar="N", help="oracle episodes for BC")
    p.add_argument("--no-learn", action="store_true", help="only the rows that do not learn, and coverage")
    p.add_argument("--mlp", action="store_true", help="learned rows with MlpPolicy, not the pair scorer")
    p.add_argument("--llm-model", metavar="NAME", help="fill the language-model row with this model ...")
    p.add_argument("--llm-base-url", metavar="URL", help="... behind this OpenAI-compatible server")
    p.add_argument("--llm-report", metavar="FILE", help="or from a `claw-gym eval --agent llm --json` report")
    return p.parse_args(argv)


def walks_for_coverage(setup: Setup, families: list[str], tasks: int, seed: int) -> list[Walk]:
    """Oracle walks over the first ``tasks`` train tasks of each family (difficulties 1..max; the
    tutorial's split counts as train)."""
    specs = []
    for fam in families:
        pool = suite.catalog(
            family=fam, split=["train", "tutorial"], difficulty=list(range(1, setup.max_difficulty + 1))
        )
        specs += [(s, seed) for s in pool[:tasks]]
    return demonstrations(replace(setup, families=tuple(families)), specs)


def demo_plan(families: list[str], max_difficulty: int, n: int, seed: int) -> list[tuple[Any, int]]:
    """``n`` (train task, seed) pairs for demonstrations, round-robin over the families (the tutorial's
    own split counts as train), each family's tasks in catalog order, then again with the next seed."""
    pools = [
        suite.catalog(family=f, split=["train", "tutorial"], difficulty=list(range(1, max_difficulty + 1)))
        for f in families
    ]
    pools = [p for p in pools if p]
    out: list[tuple[Any, int]] = []
    k = 0
    while pools and len(out) < n:
        for pool in pools:
            if len(out) < n:
                out.append((pool[k % len(pool)], seed + k // len(pool)))
        k += 1
    return out


def easiest(cov: dict[str, dict[str, Any]], n: int) -> list[str]:
    """The ``n`` families whose oracles the menu expresses best (see the module's doc)."""
    key = {f: (-c["episodes_fully_covered"], -c["change_coverage"], c["actions"] / max(1, c["episodes"]), f)
           for f, c in cov.items()}  # fmt: skip
    return sorted((f for f in cov if f != TUTORIAL), key=lambda f: key[f])[:n]


def main(argv: list[str] | None = None) -> dict[str, Any]:
    args = parse(argv)
    preset = QUICK if args.quick else DEFAULT
    budget = QUICK_BUDGET if args.quick else DEFAULT_BUDGET
    for name in ("ppo_steps", "finetune_steps", "demos"):
        if getattr(args, name) is not None:
            setattr(budget, name, getattr(args, name))
    opt = {k: getattr(args, k) if getattr(args, k, None) is not None else v for k, v in preset.items()}
    started, clock0 = time.perf_counter(), time.process_time()
    say = print
    tutorial.install()

    everything = list(suite.families())
    setup = Setup(tuple(everything), max_difficulty=opt["max_difficulty"], pointer=False)  # walks only: no slots
    say(f"menu coverage: {opt['coverage_tasks']} oracle episode(s) per family, {len(everything)} families")
    cov = coverage(walks_for_coverage(setup, everything, opt["coverage_tasks"], args.seed))
    families = args.family or easiest(cov, opt["families"])
    setup = Setup(tuple(families), max_difficulty=opt["max_difficulty"], pointer=not args.mlp)
    say(f"families in play: {', '.join(families)}")

    pairs = {
        s: eval_pairs(setup, s, opt["per_family"], args.seed, opt["episodes"]) for s in ("train", "test", "heldout")
    }
    every = [p for s in ("train", "test", "heldout") for p in pairs[s]]
    env = make_env(setup)
    rows = []
    say(f"evaluating on {len(every)} episodes ({', '.join(f'{s} {len(p)}' for s, p in pairs.items())})")
    rows.append(summarize_row("do-nothing (finish at once)", play(env, do_nothing(), every)))
    rows.append(summarize_row("random valid menu slot", play(env, random_valid(args.seed), every)))
    rows.append(summarize_row("oracle (scripted solution)", play_oracle(env, every)))

    probe_pairs = [p for p in pairs["test"] if p[0].difficulty == 1] or pairs["test"] or pairs["train"]
    probed = play(env, random_valid(args.seed + 1), probe_pairs)
    random_probe = sum(r["passed"] for r in probed) / max(1, len(probed))
    tutorial_pairs = [(s, args.seed) for s in suite.catalog(family=TUTORIAL, difficulty=1)[: opt["per_family"]]]
    random_tutorial = rate(play(env, random_valid(args.seed + 1), tutorial_pairs))
    learned_info: dict[str, Any] = {}
    curves = []
    if not args.no_learn:
        demo_specs = demo_plan([TUTORIAL, *families], setup.max_difficulty, budget.demos, args.seed)
        say(
            f"learning: PPO {budget.ppo_steps} steps; BC on {len(demo_specs)} oracle episodes; "
            f"BC then PPO {budget.finetune_steps} steps"
        )
        learned = learn_all(setup, budget, args.seed, demo_specs, probe_pairs, tutorial_pairs, log=say)
        tutorial_rate = {
            "PPO (curriculum)": learned.curves[0].tutorial[-1],
            "BC": learned.curves[1].tutorial[0],
            "BC then PPO": learned.curves[1].tutorial[-1],
        }
        for name, model in learned.models.items():
            note = f"greedy; tutorial d1 {tutorial_rate[name]:.2f} (random {random_tutorial:.2f})"
            rows.append(summarize_row(name, play(env, greedy(model), every), note))
        curves = [asdict(c) for c in learned.curves]
        learned_info = {
            "budget": asdict(budget),
            "seconds": {k: round(v, 1) for k, v in learned.seconds.items()},
            "bc_loss": [round(x, 4) for x in learned.bc_losses],
            "bc_pairs": sum(s is not None for w in learned.demo_walks for s in w.slots),
            "bc_demo_coverage": coverage(learned.demo_walks),
            "final_curriculum_stage": learned.final_stage,
        }
    records, note = llm_row(pairs["test"] + pairs["heldout"] + pairs["train"], args.seed, opt["episodes"],
                            args.llm_model, args.llm_base_url, args.llm_report)  # fmt: skip
    rows.append(summarize_row("language-model agent (claw-gym eval --agent llm)", records, note))

    result = {
        "command": "python -m claw_gym.baselines " + shlex.join(argv if argv is not None else sys.argv[1:]),
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "seed": args.seed,
        "episodes": opt["episodes"],
        "families": list(families),
        "max_difficulty": opt["max_difficulty"],
        "policy": "MlpPolicy" if args.mlp else "pair scorer (claw_gym.baselines.pointer)",
        "menu_slots": int(menu_of(env).action_space.n),
        "rows": rows,
        "coverage": cov,
        "curves": curves,
        "random_probe": random_probe,
        "random_tutorial": random_tutorial,
        "tutorial_pairs": [[s.task_id, seed] for s, seed in tutorial_pairs],
        "probe_pairs": [[s.task_id, seed] for s, seed in probe_pairs],
        "learning": learned_info,
        "heldout_families": "none: the suite holds out tasks (heldout split), not whole families yet",
        "wall_s": round(time.perf_counter() - started, 1),
        "cpu_s": round(time.process_time() - clock0, 1),
    }
    paths = write(result, Path(args.out))
    say(markdown(result))
    say(f"wrote {', '.join(str(p) for p in paths.values())} in {result['wall_s']:.0f} s (CPU {result['cpu_s']:.0f} s)")
    return result
