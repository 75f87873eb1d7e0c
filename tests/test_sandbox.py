"""The sandbox hides the project: from the laptop's shell claw-gym is neither importable nor readable.

Two installs: the test env's own (editable, source checkout outside what the sandbox
shows) and a wheel installed under ``/usr/local`` (which the sandbox does show), with
the laptop started from that install. Skipped without bubblewrap.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

import claw_gym
from claw_gym import actions as A
from claw_gym.devices.laptop import hide

pytestmark = pytest.mark.skipif(shutil.which("bwrap") is None, reason="bubblewrap (bwrap) is not installed")

ROOT = Path(__file__).resolve().parents[1]
TASK = claw_gym.catalog(family="downloads-cleanup")[0].task_id


def test_editable_install_is_invisible_and_claw_still_works():
    paths = hide.project_paths()
    assert any(p.endswith("claw_gym") for p in paths) and any(".dist-info" in p for p in paths)
    env = claw_gym.ClawEnv(task_id=TASK)
    try:
        env.reset(seed=0)
        sh = lambda cmd: env.step(A.shell(cmd))[0]["result"]
        assert sh("python3 -c 'import claw_gym'").startswith("[exit 1]")
        pythonpath = ":".join(sorted({os.path.dirname(p) for p in paths}))
        assert sh(f"PYTHONPATH={shlex.quote(pythonpath)} python3 -c 'import claw_gym'").startswith("[exit 1]")
        seen = sh(f'for p in {" ".join(map(shlex.quote, paths))}; do test -e "$p" && echo "SEEN $p"; done; true')
        assert seen.strip() == "[exit 0]", seen
        assert sh("claw mail --help").startswith("[exit 0]")  # the CLI needs no claw_gym inside
    finally:
        env.close()


_PROBE = r"""
import json, os, shlex, sys
import claw_gym
from claw_gym import actions as A
from claw_gym.devices.laptop import hide
target = sys.argv[1]
assert claw_gym.__file__.startswith(target), claw_gym.__file__
env = claw_gym.ClawEnv(task_id=sys.argv[2])
env.reset(seed=0)
sh = lambda cmd: env.step(A.shell(cmd))[0]["result"]
pp = "PYTHONPATH=" + shlex.quote(target)
out = {
    "hidden": hide.visible_project_paths(("/usr",)),
    "import": sh(pp + " python3 -c 'import claw_gym'"),
    "import_envs": sh(pp + " python3 -c 'import claw_gym.envs'"),
    "listing": sh("ls -A " + shlex.quote(target)),
    "bin": sh("ls -A " + shlex.quote(target + "/bin")),
    "other": sh(pp + " python3 -c 'import other_pkg; print(other_pkg.X)'"),
    "claw": sh("claw --help"),
}
mine = [p for p in hide.project_paths() if p.startswith(target)]
out["n_files"] = len(mine)
out["seen"] = sh("for p in " + " ".join(map(shlex.quote, mine)) + '; do cat "$p" >/dev/null 2>&1 || test -e "$p" '
                 '&& echo "SEEN $p"; done; true')
env.close()
print(json.dumps(out))
"""


@pytest.mark.skipif(not os.access("/usr/local/lib", os.W_OK), reason="needs a writable /usr/local/lib")
def test_wheel_installed_under_usr_is_invisible(tmp_path):
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
    target = tempfile.mkdtemp(prefix="claw-gym-wheel-test-", dir="/usr/local/lib")  # under /usr: the sandbox shows it
    try:
        subprocess.run(
            [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", target, str(wheel)],
            check=True,
            capture_output=True,
        )
        os.makedirs(os.path.join(target, "other_pkg"))  # a neighbour that must stay visible
        with open(os.path.join(target, "other_pkg", "__init__.py"), "w") as f:
            f.write("X = 'neighbour'\n")
        os.chmod(target, 0o755)
        probe = subprocess.run(
            [sys.executable, "-c", _PROBE, target, TASK],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONPATH": target},
            timeout=120,
        )
        assert probe.returncode == 0, probe.stderr[-3000:]
        out = json.loads(probe.stdout.strip().splitlines()[-1])
    finally:
        shutil.rmtree(target, ignore_errors=True)
    names = {os.path.basename(p) for p in out["hidden"]}
    assert "claw_gym" in names and any(n.endswith(".dist-info") for n in names)
    assert out["import"].startswith("[exit 1]") and "ModuleNotFoundError" in out["import"]
    assert out["import_envs"].startswith("[exit 1]")
    listing = out["listing"].split("\n", 1)[1].split()
    assert "other_pkg" in listing and not [n for n in listing if n.startswith("claw")], out["listing"]
    assert out["bin"].strip() == "[exit 0]", out["bin"]  # the console script is gone from target/bin
    assert out["other"] == "[exit 0]\nneighbour\n"
    assert out["claw"].startswith("[exit 0]")
    assert out["n_files"] > 100 and out["seen"].strip() == "[exit 0]", out["seen"]


def test_pick_uid_skips_uids_that_processes_still_hold(monkeypatch):
    """A uid whose last sandbox is still being torn down is not handed out again: its unreaped
    processes count against RLIMIT_NPROC and the new sandbox's namespaces would fail (EAGAIN)."""
    import os

    from claw_gym.devices.laptop import procs, sandbox

    base = sandbox._UID_BASE + (os.getpid() % 8192) * 64
    held = {base + i for i in range(64)} - {base + 7}
    monkeypatch.setattr(procs, "uids_in_use", lambda: held)
    assert {sandbox.pick_uid() for _ in range(5)} == {base + 7}


def test_uids_in_use_sees_this_process():
    import os

    from claw_gym.devices.laptop import procs

    assert os.getuid() in procs.uids_in_use()
