"""The notification shade lists cards newest first and dates the old ones (issue 21, players).

A player saw a card with buttons from two days back above this morning's texts, and an old card's
bare "08:10" read as today's: the shade now sorts by arrival time alone, and a card's header names
its day unless it came today. Swiping down in the open shade is an error that still costs a step.
"""

from __future__ import annotations

import gymnasium as gym

import claw_gym
from claw_gym import actions as A
from claw_gym import clock
from claw_gym.devices.phone import system
from claw_gym.devices.phone.demo import demo_phone


def test_cards_are_newest_first_whether_or_not_they_have_buttons():
    ph = demo_phone(seed=5)
    svc = ph.world.services["phone"]
    now = ph.world.clock.now
    old = svc.notify(
        "Phone link", "Laptop link re-keyed", "Approve the new key", actions=["Approve"], time=now - 2 * clock.DAY
    )
    new = svc.notify("Bank", "Card used", "A payment of 12.00 EUR", time=now - 60)
    cards = system.notifications(ph)
    times = [n.time for n in cards]
    assert times == sorted(times, reverse=True)
    keys = [n.key for n in cards]
    assert keys.index(new["id"]) < keys.index(old["id"])


def test_a_card_header_names_its_day_unless_it_came_today():
    now = clock.parse_time("2026-02-03 08:10")
    assert system.card_time(clock.parse_time("2026-02-03 00:05"), now) == "00:05"
    assert system.card_time(clock.parse_time("2026-02-02 23:34"), now) == "yesterday 23:34"
    assert system.card_time(clock.parse_time("2026-02-01 08:10"), now) == "Sun 1 Feb 08:10"


def test_the_open_shade_shows_an_old_card_with_its_day():
    ph = demo_phone(seed=6)
    now = ph.world.clock.now
    ph.world.services["phone"].notify("Phone link", "Re-keyed", "Approve the new key", time=now - 2 * clock.DAY)
    assert ph.swipe(180, 4, 180, 600) is None
    ui = ph.ui_text()
    day = system.card_time(now - 2 * clock.DAY, now)
    assert day.endswith(clock.fmt(now)[11:]) and len(day) > 5
    # the card may sit on a later page of the shade: page on until it shows
    for _ in range(20):
        if f"Phone link · {day}" in ui:
            break
        more = next(n for n in ph.tree()[0][0].children if n.rid.endswith(":id/more"))
        more.on_tap()
        ui = ph.ui_text()
    assert f'header="Phone link · {day}"' in ui


def test_swiping_down_in_the_open_shade_is_an_error_that_costs_a_step():
    task = claw_gym.catalog(family="phone-setting-notification")[0].task_id
    env = gym.make(f"ClawAnything/{task}-v0", screen=False)
    try:
        env.reset(seed=0)
        obs, *_, info = env.step(A.swipe(180, 4, 180, 500))
        assert info["action_ok"], obs["result"]
        step = info["step"]
        obs, *_, info = env.step(A.swipe(180, 4, 180, 500))
        assert obs["result"].startswith("error: swipe: in the shade"), obs["result"]
        assert not info["action_ok"] and info["step"] == step + 1
    finally:
        env.close()
