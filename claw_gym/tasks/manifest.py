"""The manifest file: every task's spec and a content hash, so a change that alters a task is seen.

This module reads and writes ``claw_gym/data/manifest.jsonl`` and compares manifests; it builds
no world. Computing the hashes needs whole episodes, so that runner lives in the top layer,
:mod:`claw_gym.runs.manifest`::

    python -m claw_gym.runs.manifest --write     # regenerate; prints ids added / removed / changed
    python -m claw_gym.runs.manifest --check     # compare only (exit 1 on any difference)

``import claw_gym`` registers one gymnasium id per task from :func:`task_ids` (reading the ids
here is far cheaper than importing 40 family modules); the manifest test keeps them equal to the
catalog's.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

PATH = Path(__file__).resolve().parent.parent / "data" / "manifest.jsonl"
SEED = 0
# each line ends with its own task id (keys are sorted and "task_id" sorts last; see dump)
_LINE_ID = re.compile(r'"task_id":"([^"\\]+)"}\s*$', re.MULTILINE)


def plain_spec(spec: Any) -> dict[str, Any]:
    """A spec as the manifest stores it (JSON types: lists, not tuples)."""
    return json.loads(json.dumps(spec.as_dict()))


def task_ids(path: Path = PATH) -> list[str]:
    """The task ids of the manifest, in file order, without parsing each line's JSON."""
    if not path.exists():
        return []
    return _LINE_ID.findall(path.read_text(encoding="utf-8"))


def load(path: Path = PATH) -> dict[str, dict[str, Any]]:
    if not path.exists():
        return {}
    with path.open(encoding="utf-8") as fh:
        return {e["task_id"]: e for e in (json.loads(line) for line in fh if line.strip())}


def dump(entries: list[dict[str, Any]], path: Path = PATH) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as fh:
        for e in sorted(entries, key=lambda e: e["task_id"]):
            fh.write(json.dumps(e, sort_keys=True, ensure_ascii=False, separators=(",", ":")) + "\n")


#: the spec fields that name a task: a released id keeps them for good (docs/task-changes.md)
IDENTITY = ("family", "variant", "number", "difficulty", "split", "services")


def moved(old: dict[str, dict[str, Any]], new: dict[str, dict[str, Any]]) -> list[str]:
    """Ids in both manifests whose identity fields (:data:`IDENTITY`) differ: ids that moved."""
    return sorted(
        t for t in set(old) & set(new) if any(old[t]["spec"].get(k) != new[t]["spec"].get(k) for k in IDENTITY)
    )


def diff(old: dict[str, dict[str, Any]], new: dict[str, dict[str, Any]]) -> dict[str, list[str]]:
    """Ids added, removed, and changed (spec or content hash) between two manifests."""
    return {
        "added": sorted(set(new) - set(old)),
        "removed": sorted(set(old) - set(new)),
        "changed": sorted(t for t in set(old) & set(new) if old[t] != new[t]),
    }
