"""What the agent sees never names its task or family (issue 20): a proactive episode must not
announce what it is about. Checked on every text field of every observation of an oracle
episode, and on the system and user messages of the chat export, for tasks of every family.
Metadata (info, the export's metadata) may name them."""

from __future__ import annotations

import json

import pytest

import claw_gym
from claw_gym.cli import trajectory
from claw_gym.cli.runner import run_episode
from claw_gym.tasks import families

PER_FAMILY = 2


def sample(family: str) -> list[str]:
    """The first task of each variant of ``family``, then its first tasks, up to PER_FAMILY."""
    specs = claw_gym.catalog(family=family)
    firsts = list({s.variant: s.task_id for s in reversed(specs)}.values())[::-1]
    return list(dict.fromkeys(firsts + [s.task_id for s in specs]))[:PER_FAMILY]


def leaks(text: str, names: list[str]) -> list[str]:
    low = text.lower()
    return [n for n in names if n.lower() in low]


@pytest.mark.parametrize("family", sorted(families()))
def test_no_task_or_family_name_in_what_the_agent_sees(family):
    for task_id in sample(family):
        names = [task_id, family]

        def with_tools(env, ep):
            ep.tools = trajectory.tools_of(env)

        ep = run_episode(task_id, 0, "oracle", on_reset=with_tools)
        assert ep.passed, task_id
        for n, obs in enumerate([ep.obs] + [s.obs for s in ep.steps]):
            for key, value in obs.items():
                assert not leaks(value, names), (task_id, n, key, value[:300])
        record = trajectory.chat_record(ep)
        for message in record["messages"]:
            if message["role"] in ("system", "user", "tool"):
                assert not leaks(message["content"], names), (task_id, message["role"], message["content"][:300])
        assert not leaks(json.dumps(record["tools"]), names)
        assert record["metadata"]["task_id"] == task_id and record["metadata"]["family"] == family


def test_the_check_would_see_a_leak():
    assert leaks("Working on Bill-Pay today", ["bill-pay"]) == ["bill-pay"]
    assert leaks("pay the bill", ["bill-pay"]) == []
