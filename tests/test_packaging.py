"""The built wheel installs and works outside the source tree (envs/ and wrappers/ map into claw_gym)."""

from __future__ import annotations

import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_wheel_installs_and_runs_in_a_fresh_venv(tmp_path):
    wheel_dir = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                    "-w", str(wheel_dir), str(ROOT)], check=True, capture_output=True)
    (wheel,) = wheel_dir.glob("claw_gym-*.whl")
    env_dir = tmp_path / "venv"
    # system site-packages give the dependencies (gymnasium, numpy) without a network install;
    # the venv's own site-packages come first, so the wheel (not the source tree) is imported.
    venv.EnvBuilder(system_site_packages=True, with_pip=False).create(env_dir)
    py = env_dir / "bin" / "python"
    subprocess.run([sys.executable, "-m", "pip", "--python", str(py), "install", "--no-deps", "-q", str(wheel)],
                   check=True, capture_output=True)
    script = (
        "import claw_gym, claw_gym.envs, claw_gym.wrappers, gymnasium as gym, pathlib, sys\n"
        "assert 'site-packages' in claw_gym.__file__ and str(pathlib.Path(claw_gym.__file__)).startswith(sys.prefix), claw_gym.__file__\n"
        "env = gym.make('ClawAnything-v0'); env.reset(seed=0)\n"
        "info = {}\n"
        "for a in env.unwrapped.oracle_actions():\n"
        "    _, _, te, tr, info = env.step(a)\n"
        "print(info['verdict']['passed'])\n"
    )
    out = subprocess.run([str(py), "-c", script], cwd=tmp_path, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().endswith("True")
