"""Fixes from this stop's honest play (round 3): evidence that says what happened."""

from __future__ import annotations

import json

from tests.episodes import at_level, play


def test_statement_reconcile_counts_a_reply_that_ccs_the_manager_once():
    """A player sent one reply to finance with the manager in cc; the verdict said '2 mails with the
    report to <manager>' (the same mail found as a reply and as a mail to the manager)."""
    for seed in range(8):
        env = at_level("statement-reconcile", 4, seed=seed)
        if env.scenario.facts.get("central"):
            break
    assert env.scenario.facts.get("central"), "no seed with a manager to copy"
    boss = env.scenario.facts["boss"][0]
    steps = [json.dumps(a) if not isinstance(a, str) else a for a in env.oracle_actions()]
    reply = next(i for i, a in enumerate(steps) if "mail reply" in a)
    steps[reply] = steps[reply].replace(" --attachments", f" --cc {boss} --attachments")  # one mail, boss in cc
    steps = [a for a in steps if '"mail.send"' not in a]  # and no separate copy
    verdict = play(env, steps)
    assert verdict["passed"], verdict
    check = next(c for c in verdict["checks"] if c["name"] == "the manager got a copy of the report")
    assert check["passed"] and check["detail"].startswith("1 mail with the report"), check
