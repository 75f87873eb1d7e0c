"""Cheap wrapped steps (issue 17, point 3; session 30): what the speed-ups keep exactly.

- A read endpoint's dry run stops once its checks are done (``Service.checked``): ``events.search``
  no longer builds the history's index and ``mail.search`` reads no message to say "accepted", and
  the verdict is the real call's.
- The menu keeps a block when only ids of another service, or record fields under names its
  endpoint never reads, moved.
- After every step (valid slots, invalid slots, resets) the vector, the mask and the menu equal a
  from-scratch computation (no verdict, block or vector kept).

Correctness only: speed is measured by ``python -m claw_gym.bench --only rl``, never in a test.
"""

from __future__ import annotations

import json

import gymnasium as gym
import numpy as np
import pytest

import claw_gym
from claw_gym.services import ServiceError
from claw_gym.wrappers import ActionMenu, HashedTextObservation, make_rl_env
from claw_gym.wrappers.features import grayscale, hash_features


def _env_id(family: str) -> str:
    return claw_gym.catalog(family=family, split=None)[0].env_id


def _world(family: str):
    env = gym.make(_env_id(family), screen=False).unwrapped
    env.reset(seed=0)
    return env, env.world


# ---- the dry run of a read stops at its checks ----------------------------------------------------
SEARCHES = [
    ("events.search", {}),
    ("events.search", {"text": "invoice"}),
    ("events.search", {"text": "meeting", "service": "mail", "limit": 5}),
    ("events.search", {"service": "nosuch"}),
    ("events.search", {"limit": 0}),
    ("events.search", {"cursor": -1}),
    ("events.search", {"start": "not a time"}),
    ("mail.search", {"query": "invoice"}),
    ("mail.search", {"query": "", "limit": 3, "offset": 2}),
    ("mail.search", {"query": "x", "limit": 0}),
    ("mail.search", {"query": "x", "limit": 10_000}),
    ("mail.search", {"query": "x", "offset": -1}),
    ("mail.search", {}),  # a required argument missing: refused at binding
]


def test_a_reads_dry_run_gives_the_real_calls_verdict():
    env, world = _world("meeting-reschedule")
    try:
        for call, args in SEARCHES:
            dry = world.check_call(call, args, "api")
            try:
                world.call(call, args, "api")
            except ServiceError as exc:
                assert not dry.accepted and dry.error == str(exc), (call, args)
            else:
                assert dry.accepted and dry.error is None, (call, args)
    finally:
        env.close()


def test_a_dry_run_of_a_search_builds_no_index_and_reads_no_message():
    env, world = _world("meeting-reschedule")
    try:
        events, mail = world.services["events"], world.services["mail"]
        mail.insert("messages", dict(next(iter(mail.table("messages").values())), id="m-new", subject="new"))
        index = events._index
        assert world.check_call("events.search", {"text": "invoice"}, "api").accepted
        assert events._index is index  # a dry run leaves the (now stale) index alone
        read: list[str] = []
        messages = mail.messages
        mail.messages = lambda *a, **k: read.append("read") or messages(*a, **k)  # type: ignore[method-assign]
        assert world.check_call("mail.search", {"query": "invoice"}, "api").accepted
        assert not read
        world.call("mail.search", {"query": "invoice"}, "api")  # the real call reads them
        assert read
        world.call("events.search", {"text": "invoice"}, "api")
        assert events._index is not index
    finally:
        env.close()


def test_checked_does_nothing_outside_a_dry_run():
    env, world = _world("meeting-reschedule")
    try:
        svc = world.services["mail"]
        svc.checked()  # no call in progress
        svc.checked(20, 0)
        out = world.call("mail.search", {"query": ""}, "api")
        assert out["total"] == len(svc.messages())
    finally:
        env.close()


# ---- the menu keeps blocks whose inputs did not move --------------------------------------------
def _menu(family: str) -> ActionMenu:
    menu = ActionMenu(gym.make(_env_id(family), screen=False))
    menu.reset(seed=0)
    return menu


def _rebuilt(menu: ActionMenu, obs: dict) -> set[str]:
    """The endpoint blocks ``build(obs)`` rebuilt (cleared and filled again)."""
    cleared: list[str] = []
    clear = menu._clear
    menu._clear = lambda block: (cleared.append(block), clear(block))[1]  # type: ignore[method-assign]
    try:
        menu.build(obs)
    finally:
        del menu._clear
    return set(cleared) - {"gui", "shell"}


def test_an_id_of_another_service_keeps_a_blocks_slots():
    menu = _menu("meeting-reschedule")
    world = menu.env.unwrapped.world
    event = next(iter(world.services["calendar"].table("entries")))
    message = next(iter(world.services["mail"].table("messages")))
    base = menu.env.unwrapped.last_obs
    menu.build(dict(base, result=json.dumps({"seen": [event]})))
    before = menu.menu()
    rebuilt = _rebuilt(menu, dict(base, result=json.dumps({"seen": [message, event]})))
    assert "calendar.delete_event" not in rebuilt  # its ids (the calendar's) did not move
    assert "mail.mark_read" in rebuilt  # the mail's did
    calendar = [i for i, label in enumerate(before) if label.startswith("calendar.delete_event(")]
    assert calendar and [menu.menu()[i] for i in calendar] == [before[i] for i in calendar]


def test_a_record_field_of_another_name_keeps_a_blocks_slots():
    menu = _menu("meeting-reschedule")
    base = menu.env.unwrapped.last_obs
    menu.build(dict(base, result=json.dumps({"items": [{"channel": "general"}]})))
    rebuilt = _rebuilt(menu, dict(base, result=json.dumps({"items": [{"channel": "general"}, {"merchant": "Acme"}]})))
    assert "chat.history" not in rebuilt  # reads "channel" only: no merchant parameter
    rebuilt = _rebuilt(menu, dict(base, result=json.dumps({"items": [{"channel": "random"}]})))
    assert "chat.history" in rebuilt


# ---- after every step: the from-scratch vector, mask and menu ------------------------------------
def _reference(env: gym.Env, raw: dict) -> tuple[np.ndarray, np.ndarray, list[str]]:
    features = env
    assert isinstance(features, HashedTextObservation)
    menu = features.env
    assert isinstance(menu, ActionMenu)
    fresh = ActionMenu(menu.env)  # no verdict, no block, no choice kept
    fresh._recalled.extend(menu._recalled)  # what the agent read in earlier steps: part of the input
    fresh.build(raw)
    parts = [hash_features(raw[k], features.dim, features.ngrams) for k in features.fields]
    if features.screen_shape is not None:
        parts.append(grayscale(np.array(raw["screen"]), features.screen_shape))
    return np.concatenate(parts).astype(np.float32), fresh.action_masks(), fresh.menu()


@pytest.mark.parametrize(
    ("family", "screen"),
    [
        ("meeting-reschedule", True),  # API only: events.search and mail.search in the menu
        ("inbox-day", False),
        ("phone-alarm-from-message", True),  # the phone: taps, the screen block
        ("xdev-shared-code", True),  # laptop and phone: shell templates
    ],
)
def test_every_wrapped_step_equals_a_from_scratch_computation(family, screen):
    env = make_rl_env(_env_id(family), screen=screen)
    n = int(env.action_space.n)
    rng = np.random.default_rng(11)
    obs, info = env.reset(seed=3)
    invalid = False
    for step in range(80):
        raw = env.unwrapped.last_obs
        if invalid:  # the menu shows its own error for a slot that was not available (the env's is generic)
            raw = dict(raw, result="error: " + info["error"])
        vec, mask, labels = _reference(env, raw)
        assert np.array_equal(obs, vec), step
        assert np.array_equal(info["action_mask"], mask) and info["menu"] == labels, step
        invalid = step % 9 == 4
        if invalid:  # an invalid slot: an error result, a step spent
            action = int(rng.choice(np.flatnonzero(~mask))) if (~mask).any() else n - 1
        else:
            slots = [i for i in np.flatnonzero(mask) if not labels[i].startswith("shell(")]  # ls -la: real mtimes
            action = int(rng.choice(slots))
        obs, _, terminated, truncated, info = env.step(action)
        if terminated or truncated or step % 31 == 30:
            obs, info = env.reset(seed=50 + step)
            invalid = False
    env.close()
