"""Baselines measured in the same run: what the same work costs with nothing of ours in it.

- ``bare_env``: a gymnasium env with ClawEnv's spaces whose reset/step do nothing but
  return a constant observation: the floor of any Python env with these spaces.
- ``json_floor``: parsing an API action and encoding its result: the floor of any env
  whose actions and results are JSON text.
- ``pexpect``: a bare bash round trip (``echo hi`` and read the prompt back): the floor
  of a shell step.
- ``pillow``: drawing a blank 360x780 frame: the floor of a phone screen render.
"""

from __future__ import annotations

import json
import time
from typing import Any

import gymnasium as gym

from .. import actions as A
from .. import observation
from ..env import act_space
from .core import Config, Stat, per_call


class BareEnv(gym.Env[dict, str]):
    """Same spaces as ClawEnv, no work."""

    def __init__(self) -> None:
        self.observation_space = observation.observation_space()
        self.action_space = act_space()
        self._obs = dict.fromkeys(observation.LIMITS, "")

    def reset(self, *, seed: int | None = None, options: dict[str, Any] | None = None) -> tuple[dict, dict]:
        super().reset(seed=seed)
        return dict(self._obs), {}

    def step(self, action: str) -> tuple[dict, float, bool, bool, dict]:
        return dict(self._obs), 0.0, False, False, {}


def bare_env_step(cfg: Config) -> Stat:
    env = BareEnv()
    env.reset(seed=0)
    action = A.api("mail.list")
    return per_call(lambda: env.step(action), cfg.n(20_000, 500), cfg.repeats)


def json_floor(cfg: Config, action: str, result: Any) -> Stat:
    """The least any JSON-text env must do per API step: parse the action, encode the result."""
    enc = json.JSONEncoder(ensure_ascii=False, default=str)
    return per_call(lambda: (json.loads(action), enc.encode(result)), cfg.n(20_000, 500), cfg.repeats)


def bare_env_reset(cfg: Config) -> Stat:
    env = BareEnv()
    return per_call(lambda: env.reset(seed=0), cfg.n(5_000, 200), cfg.repeats, scale=1e3)


def pexpect_round_trip(cfg: Config) -> Stat | None:
    """Microseconds for `echo hi` + prompt in a bare bash, or None without pexpect/bash."""
    try:
        import pexpect
    except ImportError:
        return None
    try:
        child = pexpect.spawn(
            "bash",
            ["--norc", "--noprofile"],
            encoding="utf-8",
            echo=False,
            env={"PS1": "__P__ ", "PATH": "/usr/bin:/bin", "TERM": "dumb"},
        )
    except (pexpect.ExceptionPexpect, OSError):
        return None
    child.delaybeforesend = None
    try:
        child.expect_exact("__P__ ", timeout=10)

        def once() -> None:
            child.sendline("echo hi")
            child.expect_exact("__P__ ", timeout=10)

        return per_call(once, cfg.n(500, 30), cfg.repeats, timer=time.perf_counter)  # bash runs elsewhere
    finally:
        child.close(force=True)


def pillow_blank_frame(cfg: Config) -> Stat | None:
    """Microseconds to draw and grab a blank 360x780 RGB frame as a numpy array, or None without Pillow."""
    try:
        import numpy as np
        from PIL import Image, ImageDraw
    except ImportError:
        return None

    def once() -> None:
        img = Image.new("RGB", (360, 780), (255, 255, 255))
        ImageDraw.Draw(img).rectangle((0, 0, 359, 40), fill=(30, 30, 30))
        np.asarray(img)

    return per_call(once, cfg.n(500, 30), cfg.repeats)
