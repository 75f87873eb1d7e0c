"""The layers of DESIGN.md hold: import-linter's contracts (pyproject.toml), one test each, and
``import claw_gym`` loads no family, world or env (the ids come from the manifest)."""

from __future__ import annotations

import ast
import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    tomllib = pytest.importorskip("tomli")

ROOT = Path(__file__).resolve().parents[1]
CONTRACTS = [c["id"] for c in tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"]]


def lint(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / ".ci" / "lint_imports.py"), *args],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.mark.parametrize("contract", CONTRACTS)
def test_layer_contract_holds(contract):
    run = lint("--contract", contract)
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]


def test_the_linter_sees_the_families_and_wrappers(tmp_path):
    """envs/ and wrappers/ map into claw_gym (package-dir): without the staging in
    .ci/lint_imports.py import-linter would analyse neither and every contract on them would pass."""
    spec = importlib.util.spec_from_file_location("lint_imports", ROOT / ".ci" / "lint_imports.py")
    assert spec is not None and spec.loader is not None
    staging = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(staging)
    staging.stage(tmp_path)
    code = (
        "import grimp; g = grimp.build_graph('claw_gym', cache_dir=None); "
        "print(sorted(m for m in g.modules if m.startswith(('claw_gym.envs.', 'claw_gym.wrappers.'))))"
    )
    run = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(tmp_path)},
    )
    assert run.returncode == 0, run.stderr[-2000:]
    seen = set(ast.literal_eval(run.stdout))
    want = {
        f"claw_gym.{d}.{p.stem}" for d in ("envs", "wrappers") for p in (ROOT / d).glob("*.py") if p.stem != "__init__"
    }
    assert want <= seen, sorted(want - seen)


def test_import_claw_gym_loads_no_family_world_or_env():
    """The ids are registered from the manifest with string entry points; the heavy modules load
    when an env is made or the catalog is read (issue 16: import in at most 0.3 s)."""
    code = (
        "import sys, claw_gym, gymnasium as gym; "
        "heavy = sorted(m for m in sys.modules if m.startswith(('claw_gym.envs', 'claw_gym.env', "
        "'claw_gym.world', 'claw_gym.services', 'claw_gym.devices', 'claw_gym.life'))); "
        "assert not heavy, heavy; "
        "ids = [k for k in gym.registry if k.startswith('ClawAnything/')]; "
        "from claw_gym.tasks import manifest; "
        "assert 'ClawAnything-v0' in gym.registry and len(ids) == len(manifest.task_ids()) >= 2000"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False)
    assert run.returncode == 0, run.stderr[-2000:]
