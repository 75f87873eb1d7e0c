"""The language-model row, filled by the command that evaluates one (``claw-gym eval --agent llm``).

Either run it here on the same (task, seed) pairs (``--llm-model`` and ``--llm-base-url``), or
read a report it wrote (``--llm-report FILE``, from ``claw-gym eval --agent llm ... --json``).
With neither, the row says no model is configured: it never shows a number it did not measure.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from claw_gym.tasks import TaskSpec

from .rows import record

NOT_CONFIGURED = "no model configured (--llm-model and --llm-base-url, or --llm-report; see docs/baselines.md)"


def eval_command(model: str, base_url: str, task_ids: list[str], seed: int, episodes: int) -> list[str]:
    """The ``claw-gym eval`` command line for the row's tasks and seeds."""
    return [
        sys.executable, "-m", "claw_gym.cli", "eval", "--agent", "llm", "--model", model, "--base-url", base_url,
        "--tasks", ",".join(task_ids), "--seed", str(seed), "--episodes", str(episodes), "--json",
    ]  # fmt: skip


def from_report(report: dict[str, Any], pairs: list[tuple[TaskSpec, int]]) -> tuple[list[dict[str, Any]], str]:
    """The row's episodes from an eval report: the pairs it covers (others are left out and counted)."""
    played = {(e["task_id"], int(e["seed"])): bool(e["passed"]) for e in report.get("episodes", [])}
    out = [record(s, seed, played[(s.task_id, seed)], 0) for s, seed in pairs if (s.task_id, seed) in played]
    model = (report.get("llm") or {}).get("model", report.get("agent", "?"))
    missing = len(pairs) - len(out)
    return out, f"model {model}" + (f"; {missing} of {len(pairs)} pairs not in the report" if missing else "")


def llm_row(
    pairs: list[tuple[TaskSpec, int]],
    seed: int,
    episodes: int,
    model: str | None = None,
    base_url: str | None = None,
    report_path: str | None = None,
) -> tuple[list[dict[str, Any]] | None, str]:
    """(episodes or None, note) for the language-model row."""
    if report_path:
        return from_report(json.loads(Path(report_path).read_text()), pairs)
    if not (model and base_url):
        return None, NOT_CONFIGURED
    task_ids = list(dict.fromkeys(s.task_id for s, _ in pairs))
    done = subprocess.run(eval_command(model, base_url, task_ids, seed, episodes), capture_output=True, text=True)
    if done.returncode != 0:
        return None, f"claw-gym eval failed (exit {done.returncode}): {done.stderr.strip()[-300:]}"
    return from_report(json.loads(done.stdout), pairs)
