"""The benchmark suite: ``python -m claw_gym.bench [--quick] [--json | --markdown] [--only AREA ...]``.

One module per measured area (the RL path, reset/step, history, memory, vector, snapshots, soak);
each returns result rows (median ± IQR over repeats, next to a baseline measured in
the same run). Benchmarks print figures; they never assert timings.
"""

from __future__ import annotations

import datetime
import os
import platform
from collections.abc import Callable

from . import core, footprint, history, memory, reset_step, rl, scale, snapshots, soak, vector
from .core import Config, Row, Stat, fmt_value

AREAS: dict[str, Callable[[Config], list[Row]]] = {
    "rl": rl.rows,  # the RL path side by side (issue 17): first, the table users read
    "reset": reset_step.reset_rows,
    "step": reset_step.step_rows,
    "history": history.rows,
    "snapshot": snapshots.rows,
    "scale": scale.rows,
    "memory": memory.per_env_rows,
    "resets": memory.many_resets_rows,
    "vector": vector.rows,
    "soak": soak.rows,
    "footprint": footprint.rows,
}


def run(cfg: Config, only: list[str] | None = None, progress: Callable[[str], None] | None = None) -> list[Row]:
    rows: list[Row] = []
    core.TIMER = cfg.timer()
    for name, fn in AREAS.items():
        if only and name not in only:
            continue
        if progress:
            progress(name)
        rows.extend(fn(cfg))
    return rows


def rows_from_dicts(dicts: list[dict]) -> list[Row]:
    """Rows back from ``--json`` output (to render a saved run as a table or markdown)."""

    def stat(d: dict | None) -> Stat | None:
        return None if d is None else Stat(d["median"], d["iqr"])

    keep = {"area", "name", "unit", "baseline", "target", "ok", "note"}
    return [
        Row(
            value=stat(d["value"]),
            baseline_value=stat(d["baseline_value"]),
            **{k: v for k, v in d.items() if k in keep},
        )
        for d in dicts
    ]


def machine() -> dict[str, str]:
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    cpu = ""
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next((ln.split(":", 1)[1].strip() for ln in f if ln.startswith("model name")), "")
    except OSError:
        pass
    return {
        "date": datetime.date.today().isoformat(),
        "python": platform.python_version(),
        "platform": platform.platform(terse=True),
        "cpu": cpu or platform.processor(),
        "cores": str(os.cpu_count()),
        "load": f"{load:.1f}",
    }


def _ratio(r: Row) -> str:
    if r.ratio is None:
        return ""
    return f"{r.ratio:,.0f}x" if r.ratio >= 100 else f"{r.ratio:.3g}x"


def _ok(r: Row) -> str:
    return "" if r.ok is None else ("yes" if r.ok else "NO")


def table(rows: list[Row]) -> str:
    """A plain-text table for the terminal."""
    head = ("measure", "median ± IQR", "baseline (same run)", "ratio", "target", "met")
    body = [
        (
            r.name,
            fmt_value(r.value, r.unit),
            f"{r.baseline}: {fmt_value(r.baseline_value, r.unit)}" if r.baseline else "",
            _ratio(r),
            r.target,
            _ok(r),
        )
        for r in rows
    ]
    widths = [max(len(x[i]) for x in [head, *body]) for i in range(len(head))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(head, widths)), "  ".join("-" * w for w in widths)]
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths)) for row in body]
    return "\n".join(lines)


def markdown(rows: list[Row], info: dict[str, str]) -> str:
    """The results table of docs/speed-reliability.md."""
    out = [
        f"Measured {info['date']} on {info['cpu']} ({info['cores']} cores, load {info['load']}), "
        f"Python {info['python']}, {info['platform']}; {info.get('clock', 'wall')} clock. "
        "Median ± IQR over repeats; baselines from the same run.",
        "",
        "| measure | median ± IQR | baseline (same run) | ratio | target | met |",
        "|---|---|---|---|---|---|",
    ]
    for r in rows:
        base = f"{r.baseline}: {fmt_value(r.baseline_value, r.unit)}" if r.baseline else ""
        name = r.name + (f" ({r.note})" if r.value is None and r.note else "")
        out.append(f"| {name} | {fmt_value(r.value, r.unit)} | {base} | {_ratio(r)} | {r.target} | {_ok(r)} |")
    return "\n".join(out)


__all__ = ["AREAS", "Config", "Row", "run", "table", "markdown", "machine", "rows_from_dicts"]
