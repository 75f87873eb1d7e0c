"""Measurement primitives: repeated timings with median and IQR, RSS/fd/child counts, result rows.

Every figure is the median over ``repeats`` runs of a timed inner loop, with the
interquartile range as its spread, so one hiccup of a shared machine shows as spread
instead of moving the figure. Rows carry a baseline measured in the same run; the
ratio to it is what stays comparable across machines.
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Config:
    quick: bool = False
    repeats: int = 7
    clock: str = "wall"  # "wall" (perf_counter) or "cpu" (process_time: robust on a shared machine)

    def timer(self) -> Callable[[], float]:
        return time.process_time if self.clock == "cpu" else time.perf_counter

    def n(self, full: int, quick: int) -> int:
        """Loop size: ``full`` normally, ``quick`` in --quick mode (tests)."""
        return quick if self.quick else full


@dataclass
class Stat:
    median: float
    iqr: float
    samples: list[float] = field(default_factory=list)

    @classmethod
    def of(cls, samples: list[float]) -> Stat:
        if len(samples) >= 4:
            q = statistics.quantiles(samples, n=4)
            iqr = q[2] - q[0]
        else:
            iqr = max(samples) - min(samples)
        return cls(statistics.median(samples), iqr, samples)


@dataclass
class Row:
    """One line of the results table."""

    area: str
    name: str
    value: Stat | None  # None = not applicable in this build ("n/a")
    unit: str  # "ms", "us", "/s", "MB", ...
    baseline: str = ""
    baseline_value: Stat | None = None
    target: str = ""
    ok: bool | None = None  # target met? None = no target / not measurable
    note: str = ""

    @property
    def ratio(self) -> float | None:
        if self.value is None or self.baseline_value is None or not self.baseline_value.median:
            return None
        return self.value.median / self.baseline_value.median

    def as_dict(self) -> dict[str, Any]:
        out = asdict(self)
        for k in ("value", "baseline_value"):
            if out[k] is not None:
                out[k].pop("samples", None)
        out["ratio"] = self.ratio
        return out


#: the clock of in-process figures; set from Config.clock by bench.run(). Rows that wait on
#: other processes (pexpect, async vector envs) always use the wall clock.
TIMER: Callable[[], float] = time.perf_counter


def per_call(
    fn: Callable[[], Any],
    inner: int,
    repeats: int,
    setup: Callable[[], Any] | None = None,
    scale: float = 1e6,
    timer: Callable[[], float] | None = None,
) -> Stat:
    """Time ``fn`` ``inner`` times per repeat; the stat is in 1/scale seconds per call (default us)."""
    clock = timer or TIMER
    samples = []
    for _ in range(repeats):
        if setup is not None:
            setup()
        t0 = clock()
        for _ in range(inner):
            fn()
        samples.append((clock() - t0) / inner * scale)
    return Stat.of(samples)


def rate(stat: Stat, scale: float = 1e6) -> Stat:
    """Per-call time -> calls per second (median of the rates; IQR of the rates)."""
    return Stat.of([scale / s for s in stat.samples if s > 0])


def rss_mb() -> float:
    """Resident set size of this process now (Linux /proc; 0 elsewhere)."""
    try:
        with open("/proc/self/statm") as f:
            pages = int(f.read().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError):
        return 0.0


def open_fds() -> int:
    try:
        return len(os.listdir("/proc/self/fd"))
    except OSError:
        return -1


def child_processes() -> int:
    """Live direct children of this process (zombies included: they leak too)."""
    me, n = str(os.getpid()), 0
    try:
        pids = [p for p in os.listdir("/proc") if p.isdigit()]
    except OSError:
        return -1
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if fields[1] == me:
            n += 1
    return n


def fmt_value(stat: Stat | None, unit: str) -> str:
    if stat is None:
        return "n/a"
    digits = 0 if stat.median >= 100 else 1 if stat.median >= 10 else 2 if stat.median >= 1 else 3
    return f"{stat.median:,.{digits}f} {unit} ± {stat.iqr:,.{digits}f}"
