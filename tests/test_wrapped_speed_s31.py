"""Cheaper wrapped steps (issue 17, point 3; session 31): what the new caches keep exactly.

- Record ids are ranked per text (each text scored once and the parts merged; the whole blob when a
  JSON record runs unclosed to the end of a text that is not the last): the order is the whole blob's.
- Which visible ids a service holds is remembered per service version (``menu.Holdings``): a
  version is never drawn twice, and a snapshot's restore brings back a version with its records.
- The first combinations of a block's candidate lists are kept per shape, the slots' labels as the
  slots are filled.

After every step (valid slots, invalid slots, resets, a snapshot's restore) the vector, the mask and
the menu equal a from-scratch computation: a new menu with nothing kept, whose ids are ranked over
the whole blob. Speed is measured by ``python -m claw_gym.bench --only rl``, never in a test.
"""

from __future__ import annotations

import random

import numpy as np
import pytest

import claw_gym
from claw_gym.wrappers import ActionMenu, HashedTextObservation, make_rl_env
from claw_gym.wrappers import menu as menu_module
from claw_gym.wrappers.features import grayscale, hash_features

WHOLE_BLOB = menu_module.ranked_ids  # called without texts: the blob scored whole, as before


def _env_id(family: str) -> str:
    return claw_gym.catalog(family=family, split=None)[0].env_id


# ---- ids ranked per text ---------------------------------------------------------------------------
def test_a_record_that_runs_past_its_texts_end_is_scored_in_the_whole_blob():
    """The second record opens a JSON object that the rest of its text does not close: its context
    runs into the next text (the request's word is there), so it ranks first, as in the blob."""
    texts = ['{"id": "cd5678", "title": "lunch"}', '{"id": "ab1234", "title": "x', "invoice due"]
    blob = "\n".join(texts)
    assert WHOLE_BLOB(blob, ["invoice"]) == ["ab1234", "cd5678"]
    assert menu_module.ranked_ids(blob, ["invoice"], texts) == ["ab1234", "cd5678"]
    closed = [texts[0], '{"id": "ab1234", "title": "x"}', "invoice due"]  # closed: its own text only
    assert menu_module.ranked_ids("\n".join(closed), ["invoice"], closed) == ["cd5678", "ab1234"]


def test_ids_ranked_per_text_are_the_whole_blobs_ranking():
    pieces = ['"id": "', "ab1234", "m00012", "}", " invoice ", "\u03a3", "\u0391\u03a3", "\u0130", "meeting", "\n"]
    pieces += ["x" * 50, "x" * 300, ', "title": "', "Invoice", " ", "t0002", "{"]
    words = ["invoice", "meeting", "title", "\u03c3", "\u03c2", "i\u0307"]
    rng = random.Random(31)
    for _ in range(4000):
        texts = ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 12))) for _ in range(rng.randint(1, 5))]
        keywords = rng.sample(words, rng.randint(0, len(words)))
        blob = "\n".join(texts)
        assert menu_module.ranked_ids(blob, keywords, texts) == WHOLE_BLOB(blob, keywords), (texts, keywords)


# ---- every wrapped step against a from-scratch computation ----------------------------------------
def _reference(env, raw: dict, monkeypatch) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """The vector, the mask and the menu of ``raw`` from a new menu (no verdict, block, label or held
    id kept) whose ids are ranked over the whole blob, and features computed afresh."""
    features = env
    assert isinstance(features, HashedTextObservation)
    menu = features.env
    assert isinstance(menu, ActionMenu)
    fresh = ActionMenu(menu.env)
    fresh._recalled.extend(menu._recalled)  # what the agent read in earlier steps: part of the input
    with monkeypatch.context() as m:
        m.setattr(menu_module, "ranked_ids", lambda blob, keywords, texts=None: WHOLE_BLOB(blob, keywords))
        fresh.build(raw)
    labels = [c.label if c is not None else "" for c in fresh._choices]
    assert fresh.menu() == labels
    parts = [hash_features(raw[k], features.dim, features.ngrams) for k in features.fields]
    if features.screen_shape is not None:
        parts.append(grayscale(np.array(raw["screen"]), features.screen_shape))
    return np.concatenate(parts).astype(np.float32), fresh.action_masks(), labels


@pytest.mark.parametrize(
    ("family", "screen"),
    [
        ("meeting-reschedule", True),  # API only
        ("inbox-day", False),  # API, mail-heavy: many ids of two mail services
        ("phone-alarm-from-message", True),  # the phone: taps, the screen block
        ("xdev-shared-code", False),  # laptop and phone: shell commands over held ids
    ],
)
def test_wrapped_steps_equal_a_from_scratch_menu_through_resets_errors_and_restores(family, screen, monkeypatch):
    env = make_rl_env(_env_id(family), screen=screen)
    base = env.unwrapped
    n = int(env.action_space.n)
    rng = np.random.default_rng(31)
    obs, info = env.reset(seed=4)
    snap, invalid, restores = base.snapshot(), False, 0
    for step in range(90):
        raw = base.last_obs
        if invalid:  # the menu shows its own error for a slot that was not available (the env's is generic)
            raw = dict(raw, result="error: " + info["error"])
        vec, mask, labels = _reference(env, raw, monkeypatch)
        assert np.array_equal(obs, vec), step
        assert np.array_equal(info["action_mask"], mask), step
        assert info["menu"] == labels, step
        invalid = step % 11 == 5
        if invalid:  # an invalid slot: an error result, a step spent
            action = int(rng.choice(np.flatnonzero(~mask))) if (~mask).any() else n - 1
        else:
            slots = [i for i in np.flatnonzero(mask) if not labels[i].startswith("shell(")]  # ls -la: real mtimes
            action = int(rng.choice(slots))
        if step % 13 == 12:  # back to an earlier moment: older service versions come back with their records
            base.restore(snap)
            restores += 1
            action = env.env._size["core"] - 1  # "help", the last core slot: it means the same in any world
            invalid = False
        elif step % 13 == 3:
            snap = base.snapshot()
        obs, _, terminated, truncated, info = env.step(action)
        if terminated or truncated or step % 37 == 36:
            obs, info = env.reset(seed=60 + step)
            snap, invalid = base.snapshot(), False
    assert restores >= 5
    env.close()


def test_held_ids_follow_the_services_versions_through_a_restore():
    """The menu's memo of held ids answers what ``has_record`` answers now, after changes and a restore."""
    menu = ActionMenu(make_rl_env(_env_id("trip-expenses"), screen=False).unwrapped)
    menu.reset(seed=0)
    world = menu.env.unwrapped.world
    expenses = world.services["expenses"]
    held = menu._holdings.of(world)
    before = world.snapshot()
    claim = world.call(
        "expenses.create", {"date": "2026-03-02", "merchant": "Cafe", "amount": 12.5, "category": "meals"}
    )["created"]
    seen = menu_module.Visible([claim], [], [], [], [], [], [], [], held=held)
    assert seen.first_ids(expenses, 4) == (claim,)
    world.restore(before)  # the claim is gone: an older version, which never held it
    seen = menu_module.Visible([claim], [], [], [], [], [], [], [], held=menu._holdings.of(world))
    assert not expenses.has_record(claim)
    assert seen.first_ids(expenses, 4) == () and seen.ids_of(expenses) == []
