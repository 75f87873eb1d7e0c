"""The world cache: ``gym.make(..., world_cache=N)`` keeps built worlds and resets by restoring them.

A cold reset builds the world of (task id, seed) from scratch: ~90 days of history, the
family's records, the devices (milliseconds). Training on a fixed set of environments,
or evaluating the same seeds again, builds the same worlds over and over. The cache keeps
each world built by this env together with an :class:`~claw_gym.env.EnvSnapshot` taken at
the end of its reset; resetting to the same (task id, seed, history mode) again restores
that snapshot instead (microseconds). A restore puts back the whole episode, so the
observation, the verdict after the same actions and ``state_hash`` equal a cold reset's.

Bounded two ways, least recently used first out: at most ``N`` worlds, and at most
``budget_mb`` of estimated memory (see :func:`entry_bytes`). The env's ``np_random``
is not part of a warm reset: it goes on as after a cold one, so sampled tasks and seeds
follow the same sequence with and without the cache.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

#: default memory budget of one env's cache, in MB of estimated memory (:func:`entry_bytes`)
DEFAULT_BUDGET_MB = 1024
#: The estimate the budget counts, fitted to tracemalloc's growth per cached world over 25
#: worlds of the suite (2.1-3.3 MB each; the estimate is within 20%, on the high side; the
#: bench's "memory per cached world" row measures both): a fixed part (devices, services,
#: caches), a part that grows with the history (about 11 live bytes per byte of the frozen
#: snapshot) and the screen arrays.
FIXED_BYTES = 512 * 1024
LIVE_PER_FROZEN = 11.0


def entry_bytes(snap: Any) -> int:
    """Estimated memory of one cached world: its live objects (from the frozen size), the frozen
    snapshot, and the arrays of the reset's observation (the phone's screen) twice: the cached
    observation's copy and the phone's own frame."""
    frozen = snap.world_state.nbytes()
    arrays = sum(getattr(v, "nbytes", 0) for v in (snap.last_obs or {}).values())
    return FIXED_BYTES + int(frozen * LIVE_PER_FROZEN) + 2 * arrays


@dataclass
class _Entry:
    snap: Any  # EnvSnapshot at the end of the cold reset
    nbytes: int


class WorldCache:
    """LRU of reset snapshots by key, bounded by count and by estimated bytes."""

    def __init__(self, max_worlds: int, budget_mb: float = DEFAULT_BUDGET_MB) -> None:
        if max_worlds < 1:
            raise ValueError(f"world_cache must be a positive int, got {max_worlds}")
        self.max_worlds = max_worlds
        self.budget = int(budget_mb * 2**20)
        self._entries: OrderedDict[Hashable, _Entry] = OrderedDict()
        self.nbytes = 0
        self.hits = 0
        self.misses = 0

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, key: Hashable) -> bool:
        return key in self._entries

    def get(self, key: Hashable) -> Any | None:
        """The snapshot stored under ``key`` (now the most recently used), or None."""
        entry = self._entries.get(key)
        if entry is None:
            self.misses += 1
            return None
        self._entries.move_to_end(key)
        self.hits += 1
        return entry.snap

    def put(self, key: Hashable, snap: Any) -> None:
        """Keep ``snap``; drop the least recently used worlds past the count or the budget.
        A world larger than the whole budget is not kept."""
        size = entry_bytes(snap)
        old = self._entries.pop(key, None)
        if old is not None:
            self.nbytes -= old.nbytes
        if size > self.budget:
            return
        self._entries[key] = _Entry(snap, size)
        self.nbytes += size
        while len(self._entries) > self.max_worlds or self.nbytes > self.budget:
            _, gone = self._entries.popitem(last=False)
            self.nbytes -= gone.nbytes

    def clear(self) -> None:
        self._entries.clear()
        self.nbytes = 0

    def stats(self) -> dict[str, int]:
        return {"worlds": len(self._entries), "bytes": self.nbytes, "hits": self.hits, "misses": self.misses}


__all__ = ["DEFAULT_BUDGET_MB", "FIXED_BYTES", "LIVE_PER_FROZEN", "WorldCache", "entry_bytes"]
