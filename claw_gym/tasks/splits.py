"""A task's split, from its own id: frozen for the v0 release, a hash of the id for every later task.

The 2,000 tasks released in v0 keep the split they were released with: ``claw_gym/data/splits-v0.json``
names them (per family and variant, the numbers below a count) and lists their test and held-out ids;
every other released id is train. A task not released in v0 (a new family, or a family that grew)
takes its split from a hash of its id alone, about 80 / 10 / 10 train / test / held-out, held-out only
when its family has a held-out ambient service (:func:`.ambient.heldout_service`). Nothing here reads
another family or a total, so adding, growing or removing one family never moves another's splits.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..rng import derive_seed

PATH = Path(__file__).resolve().parent.parent / "data" / "splits-v0.json"
#: every split a suite task can have, in the order reports list them
SPLITS: tuple[str, ...] = ("train", "test", "heldout")
#: of every 10 hash buckets: bucket 0 is test, bucket 1 held-out (train where the family cannot hold out)
_BUCKETS = 10


@dataclass(frozen=True)
class Frozen:
    """The v0 release: its tasks per (family, variant) and its test and held-out ids."""

    released: dict[str, dict[str, int]]
    test: frozenset[str]
    heldout: frozenset[str]

    def split_of(self, family: str, variant: str, number: int, task_id: str) -> str | None:
        """The released split of a task, or None when the task was not released in v0."""
        if number >= self.released.get(family, {}).get(variant, 0):
            return None
        if task_id in self.test:
            return "test"
        return "heldout" if task_id in self.heldout else "train"

    def ids(self) -> list[str]:
        """Every released id, sorted."""
        return sorted(
            f"{family}-{variant}-{n:04d}"
            for family, variants in self.released.items()
            for variant, count in variants.items()
            for n in range(count)
        )


@lru_cache(maxsize=1)
def frozen(path: Path = PATH) -> Frozen:
    data = json.loads(path.read_text(encoding="utf-8"))
    return Frozen(data["released"], frozenset(data["test"]), frozenset(data["heldout"]))


def hashed_split(task_id: str, can_hold_out: bool) -> str:
    """The split of a task that was not released in v0: a function of its id (and whether its
    family has a held-out service), about 80 / 10 / 10."""
    bucket = derive_seed("split", task_id) % _BUCKETS
    if bucket == 0:
        return "test"
    return "heldout" if bucket == 1 and can_hold_out else "train"


def split_of(family: str, variant: str, number: int, task_id: str, can_hold_out: bool) -> str:
    """A suite task's split: the frozen one for a v0 task, else the hash of its id."""
    released = frozen().split_of(family, variant, number, task_id)
    return released if released is not None else hashed_split(task_id, can_hold_out)
