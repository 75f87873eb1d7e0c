"""The env every baseline row plays, and the fixed (task, seed) pairs it is judged on.

One stack for all rows: the tutorial family installed, ``[curriculum ->] DemoMenu ->
HashedTextObservation [-> SlotLabels]``, the menu's blocks limited to the services of the families in play
(a smaller ``Discrete`` learns faster; the same layout for training and evaluation).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import gymnasium as gym

from claw_gym.tasks import TaskSpec, suite
from claw_gym.wrappers import Curriculum, CurriculumWrapper, HashedTextObservation, tutorial

from .demos import DemoMenu
from .slots import SlotLabels

TUTORIAL = tutorial.FAMILY.name


@dataclass(frozen=True)
class Setup:
    """What every env of one run shares."""

    families: tuple[str, ...]  # suite families in play (trained on, evaluated on)
    dim: int = 64  # hashed features per text field
    max_difficulty: int = 2
    pointer: bool = True  # per-slot features and the pair-scoring policy (.slots, .pointer); else MlpPolicy
    slot_dim: int = 32  # hashed features of a slot's label

    def services(self) -> list[str]:
        """The services of the families' tasks (and the tutorial's)."""
        tutorial.install()
        names: set[str] = set()
        for fam in (TUTORIAL, *self.families):
            for spec in suite.catalog(family=fam):
                names.update(spec.services)
        from claw_gym.services import SERVICES

        return sorted(n for n in names if n in SERVICES)


def make_env(setup: Setup, curriculum: Curriculum | None = None, record: bool = True) -> gym.Env:
    """The wrapped env: hashed features out, menu slots in (``action_masks()`` through the stack)."""
    tutorial.install()
    base: gym.Env = gym.make("ClawTutorial-v0")
    if curriculum is not None:
        base = CurriculumWrapper(base, curriculum, record=record)
    menu = DemoMenu(base, services=setup.services())
    env: gym.Env = HashedTextObservation(menu, dim=setup.dim)
    return SlotLabels(env, menu, setup.slot_dim) if setup.pointer else env


def menu_of(env: gym.Env) -> DemoMenu:
    """The menu layer of a stack built by :func:`make_env`."""
    layer: Any = env
    while not isinstance(layer, DemoMenu):
        layer = layer.env
    return layer


def eval_pairs(setup: Setup, split: str, per_family: int, seed: int, episodes: int = 1) -> list[tuple[TaskSpec, int]]:
    """Up to ``per_family`` tasks of each family in ``split`` (difficulties 1..max, taken round-robin
    over the difficulties, in catalog order), each played with seeds ``seed .. seed + episodes - 1``
    (as ``claw-gym eval --episodes`` does)."""
    out = []
    for fam in setup.families:
        by_d = [suite.catalog(family=fam, split=split, difficulty=d) for d in range(1, setup.max_difficulty + 1)]
        picked: list[TaskSpec] = []
        k = 0
        while len(picked) < per_family and any(k < len(p) for p in by_d):
            picked += [p[k] for p in by_d if k < len(p)]
            k += 1
        out += [(s, seed + j) for s in picked[:per_family] for j in range(episodes)]
    return out


def curriculum_for(setup: Setup, window: int, threshold: float = 0.7) -> Curriculum:
    """Tutorial at difficulty 1, then the tutorial and the families at difficulties 1..d, d = 1..max."""
    tutorial.install()
    split = ["tutorial", "train"]
    stages: list[dict[str, Any]] = [{"family": [TUTORIAL], "difficulty": [1], "split": split}]
    for d in range(1, setup.max_difficulty + 1):
        stages.append({"family": [TUTORIAL, *setup.families], "difficulty": list(range(1, d + 1)), "split": split})
    return Curriculum(stages, window=window, threshold=threshold)
