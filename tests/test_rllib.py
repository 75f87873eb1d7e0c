"""Ray in CI (slow): two RLlib PPO iterations of examples/rllib_ppo.py, and `eval --backend ray`
over 10 tasks giving the report `--workers 1` gives. Needs the ``[ray]`` and ``[rl]`` extras."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("ray.rllib")
pytest.importorskip("torch")

ROOT = Path(__file__).parent.parent


@pytest.mark.slow
def test_rllib_ppo_example_trains_two_iterations():
    r = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "rllib_ppo.py"), "--iterations", "2", "--every", "2", "--eval", "3"],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert r.returncode == 0, r.stderr[-3000:]
    assert re.search(r"^iter +2 .* eval d1 [01]\.\d\d", r.stdout, re.MULTILINE), r.stdout
    assert re.search(r"^RESULT d1: ppo=[01]\.\d\d random=[01]\.\d\d ", r.stdout, re.MULTILINE), r.stdout


@pytest.mark.slow
def test_eval_on_ray_over_ten_tasks_matches_workers_1():
    args = [
        sys.executable,
        "-m",
        "claw_gym.cli",
        "eval",
        "--agent",
        "oracle",
        "--split",
        "train",
        "--limit",
        "10",
        "--json",
    ]
    env = {**os.environ}
    local = subprocess.run(args, capture_output=True, text=True, timeout=600, env=env)
    on_ray = subprocess.run(
        [*args, "--backend", "ray", "--workers", "2"], capture_output=True, text=True, timeout=600, env=env
    )
    assert local.returncode == 0 and on_ray.returncode == 0, on_ray.stderr[-3000:]
    assert on_ray.stdout == local.stdout and '"tasks": 10' in local.stdout
