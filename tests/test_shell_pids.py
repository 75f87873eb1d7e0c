"""Closing a shell signals its sandbox by pid only while that pid is still the sandbox's.

Once the sandbox process is reaped its pid is free, and on a busy host (pids wrap at ``pid_max``,
32768 on many machines) another process, such as another env's new shell, may already hold it:
signalling it would kill a stranger. A default-suite run once saw a fresh shell die right after its
first command, which is what such a stray kill looks like.
"""

from __future__ import annotations

import os
import shutil
import signal
import time

import gymnasium as gym
import pytest

import claw_gym
from claw_gym import actions as A
from claw_gym.devices.laptop import procs

pytestmark = pytest.mark.skipif(shutil.which("bwrap") is None, reason="bubblewrap (bwrap) is not installed")


def test_a_reaped_sandbox_s_pid_is_never_signalled(monkeypatch):
    task = claw_gym.catalog(family="downloads-cleanup")[0].task_id
    env = gym.make(f"ClawAnything/{task}-v0")
    env.reset(seed=0)
    env.step(A.shell("true"))
    shell = env.unwrapped.laptop.shell
    os.kill(shell.child.pid, signal.SIGKILL)  # the sandbox dies on its own...
    deadline = time.monotonic() + 5
    while shell.child.isalive() and time.monotonic() < deadline:  # ...and is reaped: its pid is free
        time.sleep(0.01)
    assert not shell.child.isalive()
    sent: list[tuple[list[int], int]] = []
    monkeypatch.setattr(procs, "signal_all", lambda pids, sig: sent.append((list(pids), sig)))
    monkeypatch.setattr(procs, "kill_tree", lambda pid: sent.append(([pid], signal.SIGKILL)))
    shell.close()
    assert sent == [], sent
    env.close()


def _started(pid: int) -> str | None:
    """When ``pid`` started (field 22 of /proc/<pid>/stat), or None once it is gone: a reused pid differs."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[19]
    except OSError:
        return None


def test_a_live_sandbox_is_still_killed_whole():
    task = claw_gym.catalog(family="downloads-cleanup")[0].task_id
    env = gym.make(f"ClawAnything/{task}-v0")
    env.reset(seed=0)
    env.step(A.shell("sleep 300 &"))
    shell = env.unwrapped.laptop.shell
    tree = {p: _started(p) for p in [shell.child.pid, *procs.descendants(shell.child.pid)]}
    assert len(tree) > 2
    shell.close()
    deadline = time.monotonic() + 5
    while (left := [p for p, t in tree.items() if _started(p) == t]) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert not left, left
    env.close()
