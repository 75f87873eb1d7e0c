"""Issue 21's headroom for the first v0 families: depth, candidates, added goals at difficulty 4-5.

For each hardened family: the deciding record sits >= 30 / 60 days back at difficulty 4 / 5 among
same-shaped live candidates a keyword search turns up; the goals added at the hard end are checked
(the oracle without one of them fails); a reasonable other way of doing the job passes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import gymnasium as gym
import pytest

import claw_gym
from claw_gym import actions as A
from claw_gym import clock
from claw_gym.replay import finish_episode

Plan = Callable[[Any, dict[str, Any]], list[str]]
DEPTH = {4: 30 * clock.DAY, 5: 60 * clock.DAY}


def _spec(family: str, difficulty: int, number: int = 0):
    specs = [
        s for s in claw_gym.catalog(family=family, split=["train", "test", "heldout"]) if s.difficulty == difficulty
    ]
    return specs[number % len(specs)]


def _run(family: str, plan: Plan | None, difficulty: int = 5, seed: int = 0) -> dict:
    """Play ``plan`` (None: the oracle) on a task of ``difficulty``; the verdict at the episode's end."""
    env = gym.make(_spec(family, difficulty).env_id)
    try:
        env.reset(seed=seed)
        u = env.unwrapped
        steps = u.oracle_actions() if plan is None else plan(u.world, u.scenario.facts)
        info: dict = {}
        for a in steps:
            *_, terminated, truncated, info = env.step(a)
            if terminated or truncated:
                return info["verdict"]
        return finish_episode(env)["verdict"]
    finally:
        env.close()


def _world(family: str, difficulty: int, seed: int = 0):
    env = gym.make(_spec(family, difficulty).env_id)
    env.reset(seed=seed)
    return env


def _failed(v: dict) -> list[str]:
    return [c["name"] for c in v["checks"] if not c["passed"]] + v["violations"]


def _without(plan: list[str], *words: str) -> list[str]:
    """The plan minus every action whose JSON names any of ``words`` (a half-done policy)."""
    return [a for a in plan if not any(w in a for w in words)]


# ---- downloads-cleanup ---------------------------------------------------------------------------
@pytest.mark.parametrize("difficulty", [4, 5])
def test_downloads_cleanup_rule_is_deep_and_downloads_finds_only_decoys(difficulty):
    env = _world("downloads-cleanup", difficulty)
    try:
        f, w = env.unwrapped.scenario.facts, env.unwrapped.world
        assert f["start"] - f["rule_at"] >= DEPTH[difficulty]
        notes = list(w.services["notes"].table("notes").values())
        rule = [n for n in notes if "download folder" in n["body"]]
        keyword = [n for n in notes if "downloads" in n["body"].lower()]
        assert len(rule) == 1 and rule[0]["updated"] == f["rule_at"] and f["keeper_name"] in rule[0]["body"]
        assert len(keyword) >= 3 and rule[0] not in keyword  # the obvious keyword lands on the decoys only
    finally:
        env.close()


def test_downloads_cleanup_without_the_bookkeeper_mail_fails():
    v = _run("downloads-cleanup", lambda w, f: _without(w and _oracle(w, f), "mail.send"))
    assert _failed(v) == ["the filed invoices were mailed to the bookkeeper"]


def _oracle(w, f):
    from claw_gym.envs import downloads_cleanup

    return downloads_cleanup.oracle(w, f)


def test_downloads_cleanup_one_mail_per_invoice_before_the_move_from_workmail_passes():
    def plan(w, f):
        filed = sorted(p for p, dst in f["expected"].items() if dst.startswith("Documents/Invoices/"))
        filed = [p for p in filed if p.startswith("Downloads/")]
        mails = [
            A.api("workmail.send", to=[f["keeper"]], subject=p, body="For the books.", attachments=[p]) for p in filed
        ]
        return mails + [a for a in _oracle(w, f) if "mail.send" not in a]

    v = _run("downloads-cleanup", plan, difficulty=4)
    assert v["passed"], _failed(v)


def test_downloads_cleanup_mailing_the_half_downloaded_invoice_too_fails():
    def plan(w, f):
        part = next(p for p in f["contents"] if p.endswith(".pdf.part"))
        return [A.api("mail.send", to=[f["keeper"]], subject="also", body="this one", attachments=[part])] + _oracle(
            w, f
        )

    v = _run("downloads-cleanup", plan)
    assert not v["passed"] and any(x.startswith("mailed a file that is not a filed invoice") for x in v["violations"])
