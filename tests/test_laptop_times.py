"""Laptop file times are the world's, not the host's (issue 21, players).

After ``cp``/``mv``/``mkdir`` the next command sees the new file, the moved file and the new
directories dated by the world's clock; the home's parent (``ls -la ~`` lists it as ``..``) and
``/tmp`` carry the episode's start; ``ls -l`` prints full ISO dates (its default would print a year
instead of a time for files six months older than the host's clock). A command sees the host's
clock on what it wrote itself until it ends (docs/laptop.md says so).
"""

from __future__ import annotations

import shutil

import gymnasium as gym
import pytest

import claw_gym
from claw_gym import actions as A
from claw_gym import clock

pytestmark = pytest.mark.skipif(shutil.which("bwrap") is None, reason="bubblewrap (bwrap) is not installed")
TASK = claw_gym.catalog(family="downloads-cleanup")[0].task_id


@pytest.fixture
def env():
    e = gym.make(f"ClawAnything/{TASK}-v0", screen=False, phone=False)
    e.reset(seed=0)
    yield e
    e.close()


def sh(env: gym.Env, cmd: str) -> str:
    obs, *_ = env.step(A.shell(cmd))
    assert obs["result"].startswith("[exit 0]"), obs["result"]
    return obs["result"].partition("\n")[2]


def test_copied_moved_and_made_entries_carry_the_world_time(env):
    world = env.unwrapped.world
    start = world.clock.start
    sh(
        env,
        'cd ~ && f=$(ls Downloads | head -1) && cp "Downloads/$f" Documents/copy.bin && '
        'mkdir -p Documents/new/deeper && mv "Downloads/$f" Documents/new/',
    )
    now = world.clock.now
    stamps = sh(env, "cd ~ && stat -c '%Y %n' Documents/copy.bin Documents/new Documents/new/* Documents/new/deeper")
    assert len(stamps.splitlines()) == 5, stamps
    for line in stamps.splitlines():
        t, name = line.split(" ", 1)
        assert start <= int(t) <= now, (name, clock.fmt(int(t)), clock.fmt(now))


def test_the_home_parent_and_tmp_carry_the_episode_start(env):
    start = env.unwrapped.world.clock.start
    stamps = sh(env, "stat -c '%Y %n' ~/.. /tmp")
    assert [int(line.split()[0]) for line in stamps.splitlines()] == [start, start], stamps
    listing = sh(env, "ls -la ~")
    dotdot = next(line for line in listing.splitlines() if line.endswith(" .."))
    assert clock.fmt(start) in dotdot, listing


def test_ls_long_prints_full_dates(env):
    listing = sh(env, "ls -l ~")
    day = clock.fmt(env.unwrapped.world.clock.now)[:10]
    assert all(day in line for line in listing.splitlines()[1:]), listing
