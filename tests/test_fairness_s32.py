"""Fixes found by honest play in session 32 (issue 21)."""

from __future__ import annotations

import pytest
from episodes import at_level, search


@pytest.mark.parametrize("level", [4, 5])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_secret_request_the_dinner_entry_predates_the_booker_s_move(level, seed):
    # A player saw the dinner's calendar entry created two days after the booker's text moving the table,
    # still naming the old place: a later record that seemed to overrule the move. The entry is made when
    # the table is booked, after the booking's confirmation and before anything moved it.
    env = at_level("secret-request", level, seed=seed, variant="sms")
    f = env.scenario.facts
    venue = f["where"].split("the booking confirmation for ", 1)[1].split(" gives", 1)[0]
    made = [h for h in search(env, f"Dinner at {venue}") if h["kind"] == "calendar.created"]
    assert len(made) == 1, made
    moved = [h for h in search(env, f["organiser"].split()[0]) if h.get("record") == f["moved"]]
    assert len(moved) == 1, f["moved"]
    confirmed = [h for h in search(env, "Booking confirmed") if h["time"] <= made[0]["time"]]
    assert made[0]["time"] < moved[0]["time"], (made, moved)
    assert confirmed, "the entry is made after the booking's confirmation came"
