"""The results: a markdown table (printed and written), the same as JSON, and the curves as a PNG."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .learn import Curve
from .stats import breakdown, cell, gap

SPLIT_COLUMNS = ("train", "test", "heldout")


def fmt(c: dict[str, Any]) -> str:
    """'0.33 [0.10, 0.65] (n=9)', or '-' for an empty cell."""
    if not c or not c.get("n"):
        return "-"
    lo, hi = c["ci95"]
    return f"{c['pass@1']:.2f} [{lo:.2f}, {hi:.2f}] (n={c['n']})"


def summarize_row(name: str, records: list[dict[str, Any]] | None, note: str = "") -> dict[str, Any]:
    """One row: pass@1 per split, the train-test gap, and the test split by kind/difficulty/device."""
    if records is None:
        return {"row": name, "note": note, "splits": {}, "gap": None, "test_by": {}, "episodes": []}
    splits = {s: cell(r for r in records if r["split"] == s) for s in SPLIT_COLUMNS}
    test = [r for r in records if r["split"] == "test"]
    return {
        "row": name,
        "note": note,
        "splits": splits,
        "gap": gap(splits["train"], splits["test"]),
        "test_by": breakdown(test),
        "episodes": records,
    }


def markdown(result: dict[str, Any]) -> str:
    """The tables a docs page shows."""
    lines = [
        f"Families: {', '.join(result['families'])} (difficulties 1-{result['max_difficulty']}); "
        f"seeds {result['seed']}..{result['seed'] + result['episodes'] - 1} per task; command `{result['command']}`; "
        f"{result['date']}, {result['machine']}.",
        "",
        "| row | train | test | heldout | gap (train - test) | note |",
        "|---|---|---|---|---|---|",
    ]
    for row in result["rows"]:
        sp = row["splits"]
        g = "-" if row["gap"] is None else f"{row['gap']:+.2f}"
        lines.append(
            f"| {row['row']} | {fmt(sp.get('train', {}))} | {fmt(sp.get('test', {}))} | "
            f"{fmt(sp.get('heldout', {}))} | {g} | {row['note']} |"
        )
    groups = [(g, v) for row in result["rows"] for g, vals in row["test_by"].items() for v in vals]
    columns = list(dict.fromkeys(groups))
    if columns:
        lines += ["", "Test split, pass@1 by kind, difficulty and device:", ""]
        lines.append("| row | " + " | ".join(f"{g} {v}" for g, v in columns) + " |")
        lines.append("|---|" + "---|" * len(columns))
        for row in result["rows"]:
            if not row["test_by"]:
                continue
            cells = [fmt(row["test_by"].get(g, {}).get(v, {})) for g, v in columns]
            lines.append(f"| {row['row']} | " + " | ".join(cells) + " |")
    cov = result.get("coverage") or {}
    if cov:
        lines += [
            "",
            "Menu coverage (oracle actions the menu expresses; changes: the actions that can change the world):",
            "",
            "| family | episodes | actions | coverage | changes | change coverage "
            "| episodes with every change expressed |",
            "|---|---|---|---|---|---|---|",
        ]
        for fam, c in cov.items():
            lines.append(
                f"| {fam} | {c['episodes']} | {c['actions']} | {c['coverage']:.2f} | {c['changes']} | "
                f"{c['change_coverage']:.2f} | {c['episodes_fully_covered']:.2f} |"
            )
    return "\n".join(lines) + "\n"


def write(result: dict[str, Any], out: Path) -> dict[str, Path]:
    """results.json, results.md and (when there are curves) curves.png under ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    paths = {"json": out / "results.json", "markdown": out / "results.md"}
    paths["json"].write_text(json.dumps(result, indent=1, sort_keys=True) + "\n")
    paths["markdown"].write_text(markdown(result))
    curves = [Curve(**c) for c in result.get("curves", [])]
    if curves:
        paths["curves"] = out / "curves.png"
        plot(curves, paths["curves"], result.get("random_probe"), result.get("random_tutorial"))
    return paths


def plot(
    curves: list[Curve], path: Path, random_level: float | None = None, random_tutorial: float | None = None
) -> None:
    """Success against env steps: per learner, the suite's probe pairs (solid) and the tutorial's
    (dashed); matplotlib is imported here (the [rl] extra)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 3.6), dpi=120)
    for k, c in enumerate(curves):
        colour = f"C{k}"
        ax.plot(c.steps, c.success, marker="o", color=colour, label=f"{c.name}: suite test d1")
        if c.tutorial:
            ax.plot(c.steps, c.tutorial, marker="x", linestyle="--", color=colour, label=f"{c.name}: tutorial d1")
    if random_level is not None:
        ax.axhline(random_level, color="grey", linestyle=":", label="random valid slot, suite")
    if random_tutorial is not None:
        ax.axhline(random_tutorial, color="black", linestyle=":", label="random valid slot, tutorial")
    ax.set_xlabel("environment steps")
    ax.set_ylabel("greedy success (probe pairs)")
    ax.set_ylim(-0.02, 1.02)
    ax.grid(alpha=0.3)
    ax.legend(loc="best", fontsize=8)
    fig.tight_layout()
    fig.savefig(path, metadata={"Software": None})
    plt.close(fig)
