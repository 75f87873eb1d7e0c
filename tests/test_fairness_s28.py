"""Checks honest play found too strict this session (issue 21): each keeps refusing the hedge it is for."""

from __future__ import annotations

import pytest

from claw_gym import actions as A
from tests.episodes import at_level, failed, play


def _confirm(f: dict, body: str) -> list[str]:
    return [
        A.api("crm.update_deal", id=f["deal"], amount=f["final"], stage="negotiation"),
        A.api("workmail.reply", id=f["ask"], body=body),
        A.api("workmail.forward", id=f["ask"], to=f["boss"], body=body),
        A.finish("done"),
    ]


@pytest.mark.parametrize("level,seed", [(4, 0), (4, 3), (5, 1)])
def test_deal_confirm_showing_the_working_from_the_last_quote_is_no_second_price(level, seed):
    """'EUR 78,500 (our revised quote of EUR 82,000 less the EUR 3,500 we agreed)' names one price: a player's
    clear confirmation failed 'no stale quote sent' because it named the quote the discount came off."""
    env = at_level("deal-confirm", level, seed=seed)
    f = env.scenario.facts
    quote = f["stale"][-1]
    off = quote - f["final"]
    assert off > 0
    body = f"The agreed price is EUR {f['final']:,.0f} (our last quote of EUR {quote:,.0f} less EUR {off:,.0f})."
    verdict = play(env, _confirm(f, body))
    assert "no stale quote sent" not in failed(verdict), verdict
    assert f"{f['boss_name']} saw the price" not in failed(verdict), verdict
    env.reset(seed=seed)
    hedge = f"The agreed price is EUR {f['final']:,.0f} (or EUR {quote:,.0f})."
    verdict = play(env, _confirm(f, hedge))
    assert "no stale quote sent" in failed(verdict)
    assert f"{f['boss_name']} saw the price" in failed(verdict)
