"""pass@k and pass^k from n episodes per task with c passes.

pass@k (Chen et al., 2021, unbiased): the chance that at least one of k episodes drawn
without replacement from the n passes, ``1 - C(n-c, k) / C(n, k)``.
pass^k (tau-bench): the chance that all k drawn episodes pass, ``C(c, k) / C(n, k)``,
a measure of reliability. Both are averaged over tasks, then over groups of tasks.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from math import comb
from typing import Any

GROUPS = ("family", "kind", "difficulty", "device")


def pass_at_k(n: int, c: int, k: int) -> float:
    _check(n, c, k)
    if n - c < k:
        return 1.0
    return 1.0 - comb(n - c, k) / comb(n, k)


def pass_hat_k(n: int, c: int, k: int) -> float:
    _check(n, c, k)
    return comb(c, k) / comb(n, k)


def _check(n: int, c: int, k: int) -> None:
    if not 0 <= c <= n or not 1 <= k <= n:
        raise ValueError(f"need 0 <= c <= n and 1 <= k <= n, got n={n} c={c} k={k}")


def default_ks(n: int) -> list[int]:
    """1, then powers of two up to n, and n itself."""
    ks = {1, n}
    k = 2
    while k < n:
        ks.add(k)
        k *= 2
    return sorted(ks)


def group_stats(tasks: Sequence[dict[str, Any]], ks: Sequence[int]) -> dict[str, Any]:
    """Mean over ``tasks`` (each with n, c) of pass@k and pass^k for each k."""
    out: dict[str, Any] = {
        "tasks": len(tasks),
        "episodes": sum(t["n"] for t in tasks),
        "passes": sum(t["c"] for t in tasks),
    }
    for k in ks:
        out[f"pass@{k}"] = _mean(pass_at_k(t["n"], t["c"], k) for t in tasks)
    for k in ks:
        if k > 1:
            out[f"pass^{k}"] = _mean(pass_hat_k(t["n"], t["c"], k) for t in tasks)
    return out


def _mean(values: Iterable[float]) -> float:
    vals = list(values)
    return sum(vals) / len(vals) if vals else 0.0


def summarize(tasks: Sequence[dict[str, Any]], ks: Sequence[int]) -> dict[str, Any]:
    """Overall and per-group stats. Each task dict has n, c, family, kind, difficulty, devices."""
    by: dict[str, dict[str, Any]] = {}
    for group in GROUPS:
        members: dict[str, list[dict[str, Any]]] = {}
        for t in tasks:
            for key in _keys(t, group):
                members.setdefault(key, []).append(t)
        by[group] = {key: group_stats(ms, ks) for key, ms in sorted(members.items())}
    return {"overall": group_stats(tasks, ks), "by": by}


def _keys(task: dict[str, Any], group: str) -> list[str]:
    if group == "device":
        return list(task["devices"]) or ["api"]
    return [str(task[group])]
