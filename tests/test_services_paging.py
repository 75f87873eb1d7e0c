"""Long listings page, and a limit above the maximum says how to page (issue 21, players).

A player's ``claw api chat.history --json '{..., "limit": ...}' > file`` then ``grep`` ended in exit 1
and they saw no error: the refusal must name the maximum and the way on (offset/next_offset), and the
laptop's ``claw`` prints it on stderr with a non-zero exit, so a redirect of stdout does not hide it.
"""

from __future__ import annotations

import json
import shutil

import gymnasium as gym
import pytest

import claw_gym
from claw_gym import actions as A
from claw_gym import clock
from claw_gym.persona import make_persona
from claw_gym.services import ServiceError
from claw_gym.services.base import MAX_PAGE
from claw_gym.tasks.build import start_time
from claw_gym.world import World


def long_channel(n: int) -> World:
    w = World("paging-probe", 0, ("chat",), start_time(3))
    w.persona = make_persona(w.rng)
    chat = w.services["chat"]
    t0 = w.clock.now - n * clock.MINUTE
    for i in range(n):
        chat.post_as("general", "Ana Novak", f"message number {i}", time=t0 + i * 30)  # two share a minute
    return w


def test_paging_reaches_every_message_of_a_long_channel_once_newest_first():
    n = 2 * MAX_PAGE + 57
    w = long_channel(n)
    seen: list[str] = []
    offset = 0
    while True:
        page = w.call("chat.history", {"channel": "general", "limit": MAX_PAGE, "offset": offset})
        assert page["total"] == n
        seen += [m["text"] for m in page["items"]]
        if "next_offset" not in page:
            break
        offset = page["next_offset"]
    assert seen == [f"message number {i}" for i in reversed(range(n))]


@pytest.mark.parametrize("limit", [0, MAX_PAGE + 1, 1000])
def test_a_limit_out_of_range_names_the_maximum_and_the_way_on(limit):
    w = long_channel(5)
    with pytest.raises(ServiceError) as err:
        w.call("chat.history", {"channel": "general", "limit": limit})
    text = str(err.value)
    assert f"between 1 and {MAX_PAGE}" in text and f"got {limit}" in text and "next_offset" in text
    with pytest.raises(ServiceError, match="next_cursor"):
        w.call("events.search", {"limit": limit})


@pytest.mark.skipif(shutil.which("bwrap") is None, reason="bubblewrap (bwrap) is not installed")
def test_the_laptop_claw_prints_the_refusal_on_stderr_with_exit_1():
    task = next(s.task_id for s in claw_gym.catalog() if "laptop" in s.devices and "chat" in s.services)
    env = gym.make(f"ClawAnything/{task}-v0", screen=False, phone=False)
    try:
        env.reset(seed=0)
        channel = env.unwrapped.world.services["chat"].channel_names()[0]
        args = json.dumps({"channel": channel, "limit": MAX_PAGE + 1})
        obs, *_ = env.step(A.shell(f"claw api chat.history --json '{args}' > /tmp/h.json 2>/tmp/err; echo rc=$?"))
        assert "rc=1" in obs["result"], obs["result"]
        obs, *_ = env.step(A.shell("wc -c < /tmp/h.json; cat /tmp/err"))
        out = obs["result"].splitlines()
        assert out[1] == "0" and out[2].startswith("error: limit must be between 1 and"), obs["result"]
        # without a redirect of stderr, the shell's result shows the refusal
        obs, *_ = env.step(A.shell(f"claw api chat.history --json '{args}' > /tmp/h.json"))
        assert obs["result"].startswith("[exit 1]") and "next_offset" in obs["result"], obs["result"]
    finally:
        env.close()
