"""The built wheel installs and works outside the source tree (envs/ and wrappers/ map into claw_gym)."""

from __future__ import annotations

import os
import site
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import claw_gym

ROOT = Path(__file__).resolve().parents[1]


def dependency_dirs() -> list[str]:
    """Where the running interpreter finds gymnasium, numpy, ...: its site directories and the
    other directories on its path (some added by ``.pth`` files).

    A venv made with ``system_site_packages=True`` would see the *base* interpreter's packages,
    not those of the venv running the tests; listing these directories in a ``.pth`` file works
    in a venv and on a system interpreter alike. Plain path lines: the ``.pth`` files inside them
    are not run, so an editable install of the checkout stays out; a directory holding the
    checkout's ``claw_gym`` is left out too.
    """
    paths = sysconfig.get_paths()
    dirs = [*site.getsitepackages(), paths["purelib"], paths["platlib"], *sys.path]
    if site.ENABLE_USER_SITE:
        dirs.append(site.getusersitepackages())
    return [
        d
        for d in dict.fromkeys(dirs)
        if d and Path(d).is_absolute() and Path(d).is_dir() and not (Path(d) / "claw_gym").is_dir()
    ]


def test_wheel_installs_and_runs_in_a_fresh_venv(tmp_path):
    wheel_dir = tmp_path / "wheels"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(wheel_dir),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = wheel_dir.glob("claw_gym-*.whl")
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(system_site_packages=False, with_pip=False).create(env_dir)
    py = env_dir / "bin" / "python"
    purelib = subprocess.run(
        [str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    # the dependencies without a network install; appended to sys.path after the venv's own
    # site-packages, so the installed wheel (not the source tree) is what gets imported
    (Path(purelib) / "_test_dependencies.pth").write_text("\n".join(dependency_dirs()) + "\n")
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(py), "install", "--no-deps", "-q", str(wheel)],
        check=True,
        capture_output=True,
    )
    clean = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    script = (
        "import claw_gym, claw_gym.envs, claw_gym.wrappers, gymnasium as gym, pathlib, sys\n"
        "assert str(pathlib.Path(claw_gym.__file__)).startswith(sys.prefix), claw_gym.__file__\n"
        "assert str(pathlib.Path(claw_gym.envs.__file__)).startswith(sys.prefix), claw_gym.envs.__file__\n"
        "env = gym.make('ClawAnything-v0'); env.reset(seed=0)\n"
        "info = {}\n"
        "for a in env.unwrapped.oracle_actions():\n"
        "    _, _, te, tr, info = env.step(a)\n"
        "print(info['verdict']['passed'])\n"
    )
    out = subprocess.run([str(py), "-c", script], cwd=tmp_path, capture_output=True, text=True, env=clean)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().endswith("True")
    # the console script the wheel declares, run from outside the checkout
    family = claw_gym.catalog()[0].family
    cmd = subprocess.run(
        [str(env_dir / "bin" / "claw-gym"), "list", "--family", family, "--limit", "1", "--json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=clean,
        timeout=120,
    )
    assert cmd.returncode == 0, cmd.stderr
    assert f'"family": "{family}"' in cmd.stdout
