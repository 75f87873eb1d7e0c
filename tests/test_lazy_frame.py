"""The phone's frame in an observation is drawn when first read, and holds the pixels of the
moment it was observed, whenever it is read."""

from __future__ import annotations

import copy
import pickle

import gymnasium as gym
import numpy as np

import claw_gym
from claw_gym.observation import Observation


def _env(family: str) -> gym.Env:
    return gym.make(claw_gym.catalog(family=family, split=None)[0].env_id).unwrapped


def _oracle_screens(family: str, *, read_late: bool) -> tuple[list[np.ndarray], list[Observation]]:
    """The screen of every observation of the oracle's episode, read at once or after the episode."""
    env = _env(family)
    obs, _ = env.reset(seed=3)
    kept, screens = [obs], []
    if not read_late:
        screens.append(obs["screen"].copy())
    for action in env.oracle_actions():
        obs, *_ = env.step(action)
        kept.append(obs)
        if not read_late:
            screens.append(obs["screen"].copy())
    if read_late:
        screens = [o["screen"] for o in kept]
    env.close()
    return screens, kept


def test_a_reset_draws_no_frame_until_the_screen_is_read():
    env = _env("phone-missed-call")
    obs, _ = env.reset(seed=0)
    assert isinstance(obs, Observation) and obs.pending
    assert obs["ui"] and "screen" in obs and not env.phone._renderers  # nothing drawn yet
    screen = obs["screen"]
    assert not obs.pending and screen.shape == env.observation_space["screen"].shape and screen.any()
    assert env.observation_space.contains(obs)


def test_frames_read_late_are_the_frames_of_their_moment():
    """Every screen of a phone oracle's episode, read after the whole episode, equals the one read
    at its step (the phone drew many other screens in between)."""
    for family in ("phone-missed-call", "xdev-shift-alarms"):
        eager, _ = _oracle_screens(family, read_late=False)
        late, _ = _oracle_screens(family, read_late=True)
        assert len(eager) == len(late) > 2
        assert len({s.tobytes() for s in eager}) > 1  # the screen did change along the way
        for k, (a, b) in enumerate(zip(eager, late, strict=True)):
            assert a.dtype == b.dtype and np.array_equal(a, b), (family, k)


def test_every_way_of_reading_the_dict_draws_the_frame():
    env = _env("phone-missed-call")
    reference = env.reset(seed=1)[0]["screen"].copy()
    readers = {
        "dict": dict,
        "unpack": lambda o: {**o},
        "items": lambda o: dict(o.items()),
        "values": lambda o: dict(zip(o.keys(), o.values(), strict=True)),
        "copy": lambda o: o.copy(),
        "get": lambda o: {"screen": o.get("screen")},
        "or": lambda o: o | {},
        "pickle": lambda o: pickle.loads(pickle.dumps(o)),
        "deepcopy": copy.deepcopy,
    }
    for name, read in readers.items():
        obs, _ = env.reset(seed=1)
        assert obs.pending, name
        out = read(obs)
        assert type(out["screen"]) is np.ndarray and np.array_equal(out["screen"], reference), name
    obs, _ = env.reset(seed=1)
    again, _ = env.reset(seed=1)
    assert obs.pending and again.pending
    assert list(obs) == list(again) and obs.keys() == again.keys()
    np.testing.assert_array_equal(obs["screen"], again["screen"])


def test_a_restore_keeps_the_frame_pending_and_right():
    env = _env("phone-missed-call")
    env.reset(seed=2)
    action = env.oracle_actions()[0]
    obs, *_ = env.step(action)
    snap = env.snapshot()
    assert obs.pending
    for a in env.oracle_actions()[1:]:
        env.step(a)
    back = env.restore(snap)
    assert isinstance(back, Observation) and back.pending
    fresh = _env("phone-missed-call")
    fresh.reset(seed=2)
    expected, *_ = fresh.step(action)
    np.testing.assert_array_equal(back["screen"], expected["screen"])
