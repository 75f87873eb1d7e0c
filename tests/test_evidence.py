"""A failed check's detail quotes what the agent wrote, whole (issue 21, players).

A verdict showed an expense's notes as ``'Kiku Sushi Bar; client meal; cost centre'`` although the
agent wrote ``... cost centre CC-7240``: the detail cut the value at 40 characters, so the line did
not show why the check failed. Details quote agent-written values through ``checks.quoted``.
"""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import gymnasium as gym

import claw_gym
from claw_gym.envs.kit import checks, laptop_files
from claw_gym.replay import finish_episode

ENVS = Path(checks.__file__).resolve().parent.parent  # the families' modules


def test_quoted_keeps_a_value_whole_and_shortens_only_in_the_middle():
    notes = "Kiku Sushi Bar; client meal; cost centre CC-7240"
    assert checks.quoted(notes) == repr(notes)
    long = "start " + "x" * 1000 + " CC-7240"
    q = checks.quoted(long)
    assert q.startswith("'start ") and q.endswith(" CC-7240'") and "[...]" in q
    assert len(q) < checks.QUOTE_CHARS + 20


def test_a_wrong_cost_centre_at_the_end_of_the_notes_shows_in_the_verdict():
    task = claw_gym.catalog(family="xdev-receipt-expense", difficulty=1)[0].task_id
    env = gym.make(f"ClawAnything/{task}-v0", screen=False)
    try:
        env.reset(seed=0)
        notes = "Kiku Sushi Bar; client meal; cost centre CC-0001"
        steps = []
        for action in env.unwrapped.oracle_actions():
            cmd = json.loads(action).get("cmd", "")
            if "expenses.create" in cmd:
                args = json.loads(shlex.split(cmd)[-1])
                action = laptop_files.claw("expenses.create", **{**args, "notes": notes})
            steps.append(action)
        info: dict = {}
        for action in steps:
            *_, terminated, truncated, info = env.step(action)
            if terminated or truncated:
                break
        verdict = info.get("verdict") or finish_episode(env)["verdict"]
        filed = next(c for c in verdict["checks"] if c["name"].startswith("the business receipt is filed"))
        assert not filed["passed"] and repr(notes) in filed["detail"], filed
    finally:
        env.close()


def test_no_check_cuts_an_agent_value_to_a_fixed_length_in_its_detail():
    """The shape that hid the code: a slice quoted with !r (``{c['notes'][:40]!r}``) in a family's detail."""
    cut = re.compile(r"\[:\d+\]!r")
    offenders = [
        f"{p.name}:{n}"
        for p in sorted(ENVS.rglob("*.py"))
        for n, line in enumerate(p.read_text().splitlines(), 1)
        if cut.search(line)
    ]
    assert not offenders, f"use checks.quoted(...) for agent-written values: {offenders}"
