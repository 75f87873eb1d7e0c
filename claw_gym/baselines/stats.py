"""Pass@1 with Wilson 95% intervals, overall and by kind, difficulty and device.

Wilson's interval stays inside [0, 1] and is honest at 0 and n successes, where the normal
approximation collapses to a point: a row that passes 0 of 30 tasks is "0.00 [0.00, 0.11]",
not "0.00 +- 0.00".
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

Z95 = 1.959963984540054


def wilson(successes: int, n: int, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval of a binomial proportion; (0, 1) when n is 0."""
    if n <= 0:
        return 0.0, 1.0
    p = successes / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return max(0.0, centre - half), min(1.0, centre + half)


def cell(records: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """pass@1 of episode records (one episode per task), its interval and count."""
    rows = list(records)
    n, c = len(rows), sum(bool(r["passed"]) for r in rows)
    lo, hi = wilson(c, n)
    return {"n": n, "passed": c, "pass@1": c / n if n else None, "ci95": [round(lo, 4), round(hi, 4)]}


def device_of(record: dict[str, Any]) -> str:
    """The device group of a task: 'laptop+phone', 'laptop', 'phone' or 'none' (API only)."""
    devices = sorted(record.get("devices") or ())
    return "+".join(devices) if devices else "none"


def breakdown(records: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Cells by kind, difficulty and device."""
    out: dict[str, dict[str, Any]] = {}
    for group, key in (
        ("kind", lambda r: r["kind"]),
        ("difficulty", lambda r: str(r["difficulty"])),
        ("device", device_of),
    ):
        values = sorted({key(r) for r in records})
        out[group] = {v: cell(r for r in records if key(r) == v) for v in values}
    return out


def gap(train: dict[str, Any], test: dict[str, Any]) -> float | None:
    """Train minus test pass@1 (None when either is empty)."""
    if train["pass@1"] is None or test["pass@1"] is None:
        return None
    return round(train["pass@1"] - test["pass@1"], 4)
