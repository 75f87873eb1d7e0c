#!/usr/bin/env python3
"""Check the layer contracts (``[tool.importlinter]`` in pyproject.toml) with import-linter.

Why a wrapper: the distribution maps ``claw_gym.envs`` to ``envs/`` and ``claw_gym.wrappers`` to
``wrappers/`` (package-dir), but import-linter builds its graph by walking the root package's
folder, where neither exists, so it would silently skip the families and the wrappers. This script
stages the package as it is installed (a temporary ``claw_gym/`` of symlinks, with ``envs`` and
``wrappers`` in place) and runs ``lint-imports`` on it. Arguments go to ``lint-imports``, e.g.
``--contract families-independent``. Exit status: lint-imports's.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE_DIRS = {"envs": ROOT / "envs", "wrappers": ROOT / "wrappers"}  # pyproject's package-dir


def stage(dest: Path) -> Path:
    """A ``claw_gym/`` under ``dest`` laid out as installed: every entry of the source package,
    plus ``envs`` and ``wrappers`` (all symlinks, so nothing is copied)."""
    pkg = dest / "claw_gym"
    pkg.mkdir()
    for entry in (ROOT / "claw_gym").iterdir():
        if entry.name != "__pycache__" and entry.name not in PACKAGE_DIRS:
            (pkg / entry.name).symlink_to(entry)
    for name, src in PACKAGE_DIRS.items():
        (pkg / name).symlink_to(src)
    return pkg


def main(argv: list[str]) -> int:
    lint = shutil.which("lint-imports") or str(Path(sys.executable).with_name("lint-imports"))
    with tempfile.TemporaryDirectory(prefix="claw-layers-") as tmp:
        stage(Path(tmp))
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([tmp, os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep)}
        cmd = [lint, "--no-cache", str(ROOT / "pyproject.toml"), *argv]
        return subprocess.call(cmd, cwd=tmp, env=env)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
