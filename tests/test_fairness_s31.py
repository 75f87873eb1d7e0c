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


@pytest.mark.parametrize("level", [1, 3, 5])
def test_secret_request_answering_a_background_question_is_no_damage(level):
    # A player asked to "answer whatever people are asking" replied to a neighbour's parcel question (a text
    # the background sent that morning) and got a footprint violation: reward 0 for a reasonable reply.
    env = at_level("secret-request", level, seed=0, variant="sms")
    world, f = env.world, env.scenario.facts
    parties = {a["number"] for a in f["asks"]} | set(f["askers"])
    recent = [
        m["number"]
        for m in world.services["sms"].table("messages").values()
        if m["direction"] == "in" and m["time"] >= f["since"] and m["number"] not in parties
    ]
    assert recent, "the background sent no text since yesterday in this world"
    reply = A.api("sms.send", to=recent[0], body="Sorry, nothing arrived here for you.")
    verdict = play(env, [*env.oracle_actions()[:-1], reply])
    assert any(e.call == "sms.send" and e.ok and e.args.get("to") == recent[0] for e in world.audit.entries)
    assert verdict["passed"] and not verdict["violations"], verdict
    old = [
        m["number"]
        for m in world.services["sms"].table("messages").values()
        if m["direction"] == "in"
        and m["time"] < f["since"] - 7 * clock.DAY
        and m["number"] not in parties
        and m["number"] not in recent
    ]
    env = at_level("secret-request", level, seed=0, variant="sms")  # someone who wrote weeks ago is no asker
    verdict = play(env, [*env.oracle_actions()[:-1], A.api("sms.send", to=old[0], body="hi!")])
    assert verdict["violations"], verdict


def test_statement_reconcile_says_a_draft_claim_counts_as_a_claim():
    # A player read a draft claim as "no claim yet": the request did not say; the checker counts drafts.
    import claw_gym

    for spec in claw_gym.catalog(family="statement-reconcile", split=["train", "test", "heldout"])[:12]:
        env = at_level("statement-reconcile", spec.difficulty, seed=0, variant=spec.variant)
        assert "a draft claim counts as one" in env.scenario.instruction, spec.task_id
