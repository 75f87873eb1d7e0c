"""Why a cloned policy fails: ``python -m claw_gym.baselines.diagnose --family NAME ...``.

Four measurements, each one a reason a learned row can score 0.00 that the table alone hides:

1. **Fit.** Does behaviour cloning fit its own demonstrations? Slot accuracy of the trained
   network's greedy choice on the (features, slot) pairs it was trained on.
2. **Seen and unseen tasks.** Pass@1 of the greedy BC policy on the very train (task, seed)
   pairs it imitated, and on the test split's difficulty-1 tasks.
3. **Divergence.** In a failed greedy episode, the first step where the policy leaves the
   oracle's path: the step, the policy's slot, the oracle's mapped slot (or that the menu cannot
   express the oracle's action), and whether the features differ from the previous step's (a
   policy cannot act differently on equal inputs).
4. **Slot meaning.** Whether the oracle's choices sit at a stable place in the menu across the
   tasks of a family: the share of mapped oracle actions at rank 0 of their block, and how many
   distinct slots the oracle uses at the same step of its episode across tasks.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from claw_gym.tasks import TaskSpec, suite
from claw_gym.wrappers import tutorial

from .demos import Walk, find_slot, pairs
from .envs import Setup, eval_pairs, make_env, menu_of
from .learn import Budget, clone, demonstrations, new_model, vector


@dataclass
class Divergence:
    """The first step a greedy episode left the oracle's path."""

    task_id: str
    step: int
    policy: str  # label of the slot the policy chose
    oracle: str | None  # label of the oracle's mapped slot, None when the menu cannot express it
    oracle_action: str
    oracle_valid: bool  # the oracle's mapped slot was open (always, when there is one)
    same_features: bool  # the features equal the previous step's


@dataclass
class Diagnosis:
    """The four measurements of the module's doc, for one set of families."""

    families: list[str]
    pairs: int = 0
    fit_accuracy: float = 0.0
    fit_ceiling: float = 0.0  # the best any policy of the features can fit (equal features, other slots)
    train_pass: float = 0.0
    test_pass: float = 0.0
    test_n: int = 0  # test-split difficulty-1 episodes (the tutorial has none)
    rank0_share: float = 0.0
    slots_per_step: float = 0.0
    divergences: list[Divergence] = field(default_factory=list)
    test_divergences: list[Divergence] = field(default_factory=list)
    diverged_at_missing: int = 0  # divergences where the oracle's action is not on the menu
    diverged_on_same_features: int = 0


def fit_accuracy(model: Any, walks: list[Walk]) -> float:
    """Share of training pairs whose greedy masked choice is the demonstrated slot."""
    data = list(pairs(walks))
    if not data:
        return 0.0
    hits = sum(int(model.predict(obs, action_masks=mask, deterministic=True)[0]) == slot for obs, slot, mask in data)
    return hits / len(data)


def fit_ceiling(walks: list[Walk]) -> float:
    """Share of training pairs a function of the features can reproduce: among pairs with equal
    features, only the most common slot can be right (the rest are aliased states)."""
    groups: dict[bytes, Counter[int]] = defaultdict(Counter)
    for obs, slot, _ in pairs(walks):
        groups[np.asarray(obs).tobytes()][slot] += 1
    total = sum(sum(c.values()) for c in groups.values())
    return sum(max(c.values()) for c in groups.values()) / total if total else 0.0


def slot_meaning(walks: list[Walk], block_of: Any) -> tuple[float, float]:
    """(share of mapped oracle actions at rank 0 of their block, mean distinct slots per episode step
    across the walks of a family)."""
    ranks, by_step = [], defaultdict(set)
    for w in walks:
        for k, slot in enumerate(w.slots):
            if slot is not None:
                ranks.append(block_of(slot)[1] == 0)
                by_step[(w.family, k)].add(slot)
    share = sum(ranks) / len(ranks) if ranks else 0.0
    spread = float(np.mean([len(s) for s in by_step.values()])) if by_step else 0.0
    return share, spread


def first_divergence(env: Any, model: Any, spec: TaskSpec, seed: int) -> tuple[bool, Divergence | None]:
    """Play the greedy policy, comparing each choice with the oracle's next action while the two
    agree; returns (passed, the first divergence or None)."""
    menu = menu_of(env)
    obs, info = env.reset(seed=seed, options={"task_id": spec.task_id})
    oracle = list(menu.unwrapped.oracle_actions())
    diverged: Divergence | None = None
    prev: np.ndarray | None = None
    done, step = False, 0
    while not done:
        mask = menu.action_masks()
        slot = int(model.predict(obs, action_masks=mask, deterministic=True)[0])
        if diverged is None and step < len(oracle):
            want = find_slot(menu, oracle[step])
            if want != slot:
                mine, theirs = menu.choice(slot), menu.choice(want) if want is not None else None
                diverged = Divergence(
                    spec.task_id,
                    step,
                    mine.label if mine else f"slot {slot}",
                    theirs.label if theirs else None,
                    oracle[step],
                    want is not None and bool(mask[want]),
                    prev is not None and bool(np.array_equal(prev, obs)),
                )
        prev = np.array(obs)
        obs, _, terminated, truncated, info = env.step(slot)
        done, step = terminated or truncated, step + 1
    return bool(info.get("verdict", {}).get("passed", False)), diverged


def demo_pairs(
    families: list[str], n: int, seed: int, max_difficulty: int, seeds: int = 1
) -> list[tuple[TaskSpec, int]]:
    """``n`` train tasks per family (difficulties 1..max, catalog order), seeds ``seed..seed+seeds-1``."""
    out = []
    for fam in families:
        pool = suite.catalog(family=fam, split=["train", "tutorial"], difficulty=list(range(1, max_difficulty + 1)))
        out += [(s, seed + j) for s in pool[:n] for j in range(seeds)]
    return out


def diagnose(
    families: list[str],
    demos: int,
    epochs: int,
    seed: int = 0,
    max_difficulty: int = 1,
    updates: int = 0,
    test_seeds: int = 3,
    seeds: int = 1,
    relevant_taps: bool = False,
    pointer: bool = True,
) -> Diagnosis:
    """Clone ``demos`` oracle episodes per family and take the four measurements."""
    tutorial.install()
    setup = Setup(tuple(families), max_difficulty=max_difficulty, pointer=pointer)
    seen = demo_pairs(families, demos, seed, max_difficulty, seeds)
    walks = demonstrations(setup, seen, relevant_taps)
    venv, _ = vector(setup, Budget(n_envs=1), seed)
    model = new_model(venv, seed, setup)
    clone(model, walks, epochs, seed, updates=updates)
    out = Diagnosis(list(families), pairs=sum(1 for _ in pairs(walks)))
    out.fit_accuracy, out.fit_ceiling = fit_accuracy(model, walks), fit_ceiling(walks)
    env = make_env(setup)
    menu = menu_of(env)
    menu.relevant_taps = relevant_taps
    starts = sorted((off, name) for name, off in menu._offset.items())

    def block_of(slot: int) -> tuple[str, int]:
        name, off = max((o, n) for o, n in starts if o <= slot)[::-1]
        return name, slot - off

    out.rank0_share, out.slots_per_step = slot_meaning(walks, block_of)

    def play(pairs: list[tuple[Any, int]], divergences: list[Divergence]) -> float:
        """Greedy episodes of ``pairs``: the share passed; each failed one's first divergence is kept."""
        passed = []
        for spec, s in pairs:
            ok, div = first_divergence(env, model, spec, s)
            passed.append(ok)
            if div is not None and not ok:
                divergences.append(div)
        return sum(passed) / max(1, len(passed))

    out.train_pass = play(seen, out.divergences)
    test = [p for p in eval_pairs(setup, "test", 10, seed, episodes=test_seeds) if p[0].difficulty == 1]
    out.test_pass, out.test_n = play(test, out.test_divergences), len(test)
    out.diverged_at_missing = sum(d.oracle is None for d in out.divergences)
    out.diverged_on_same_features = sum(d.same_features for d in out.divergences)
    return out


def main(argv: list[str] | None = None) -> dict[str, Any]:
    p = argparse.ArgumentParser(prog="python -m claw_gym.baselines.diagnose", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    p.add_argument("--family", action="append", required=True, metavar="NAME")
    p.add_argument("--demos", type=int, default=10, help="train tasks per family to clone")
    p.add_argument("--epochs", type=int, default=30)
    p.add_argument("--updates", type=int, default=0, help="at least this many gradient steps")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--relevant-taps", action="store_true", help="first tap slots: what the request names")
    p.add_argument("--seeds", type=int, default=1, help="demonstrations of each train task (seeds)")
    p.add_argument("--max-difficulty", type=int, default=1)
    p.add_argument("--mlp", action="store_true", help="MlpPolicy over the whole observation, not the pair scorer")
    args = p.parse_args(argv)
    d = diagnose(args.family, args.demos, args.epochs, args.seed, args.max_difficulty, args.updates, seeds=args.seeds,
                 relevant_taps=args.relevant_taps, pointer=not args.mlp)  # fmt: skip
    summary = {k: v for k, v in d.__dict__.items() if k not in ("divergences", "test_divergences")}
    summary["first_divergence_steps"] = dict(Counter(x.step for x in d.divergences))
    summary["divergences"] = [x.__dict__ for x in d.divergences[:8]]
    summary["test_divergences"] = [x.__dict__ for x in d.test_divergences[:8]]
    print(json.dumps(summary, indent=1, default=str))
    return summary


if __name__ == "__main__":
    main()
