"""Fixes found by honest play in sessions 30-31 (issue 21): checks that let a wrong answer pass."""

from __future__ import annotations

import pytest
from episodes import at_level, failed, play

from claw_gym import actions as A
from claw_gym import clock


@pytest.mark.parametrize("level", [4, 5])
def test_signin_alert_logging_the_person_s_own_office_is_a_false_alarm(level):
    # A player logged the later sign-in from the person's second office (which their own mail to IT had
    # declared theirs) as unrecognised, and still passed.
    env = at_level("signin-alert", level, seed=0)
    f = env.scenario.facts
    office = f["known"][-1]
    steps = env.oracle_actions()[:-1]  # all but the last wait: the office's sign-in is still to come
    after_its_alert = A.wait(80 * clock.MINUTE, wake=False)
    office_log = A.api("notes.append", id=f["note"], text=f"sign-in from {office} - not me, reported to IT")
    verdict = play(env, [*steps, after_its_alert, office_log])
    assert failed(verdict) == ["no known place logged as an unrecognised sign-in"], verdict["checks"]

    env = at_level("signin-alert", level, seed=0)  # a line about the odd place may mention the office
    both = A.api("notes.append", id=f["note"], text=f"{f['city']} was not me ({office} is our office)")
    assert not failed(play(env, [*env.oracle_actions(), both]))
