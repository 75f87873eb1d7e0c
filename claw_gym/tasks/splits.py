"""A task's split, from its own id: frozen for the v0 release, a hash of the id for every later task.

The 2,000 tasks released in v0 keep the split they were released with: ``claw_gym/data/splits-v0.json``
names them (per family and variant, the numbers below a count) and lists their test and held-out ids;
every other released id is train. A task not released in v0 (a new family, or a family that grew)
takes its split from its id alone (:func:`hashed_split`), about 82 / 9 / 9 train / test / held-out, held-out
only when its family has a held-out ambient service (:func:`.ambient.heldout_service`). Nothing here reads
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
#: a later task's place in its variant's cycle of 11 numbers: 0 is test, 5 held-out (train where the family
#: cannot hold out). A cycle, not a coin: every variant of 11+ tasks gets test tasks (a pure hash left a
#: 30-task family with none about one time in 25), and 11 is prime to the 5 difficulties, so a variant's
#: test tasks walk through all of them rather than repeating one.
_CYCLE = 11
_TEST, _HELDOUT = 0, 5


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


def hashed_split(family: str, variant: str, number: int, can_hold_out: bool) -> str:
    """The split of a task that was not released in v0, from its id's parts alone (and whether its family
    has a held-out service): its number's place in a cycle that starts at a hash of (family, variant);
    about 82 / 9 / 9."""
    place = (number + derive_seed("split", family, variant)) % _CYCLE
    if place == _TEST:
        return "test"
    return "heldout" if place == _HELDOUT and can_hold_out else "train"


def split_of(family: str, variant: str, number: int, task_id: str, can_hold_out: bool) -> str:
    """A suite task's split: the frozen one for a v0 task, else its place in its variant's cycle."""
    released = frozen().split_of(family, variant, number, task_id)
    return released if released is not None else hashed_split(family, variant, number, can_hold_out)
