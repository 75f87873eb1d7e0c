"""Per-slot features: what each menu slot says, for a policy that scores slots by their text.

The diagnosis (:mod:`.diagnose`) found that a slot's meaning moves from task to task: the decisive
choice is *which* row or icon to tap, and a ``Discrete(N)`` head over features of the whole
observation learns "slot 212" where it should learn "the row the request names".

:class:`SlotLabels` appends to the hashed observation, for every slot, the hashed text of its menu
label (block and label) and the share of the label's words found in each text field of the
observation (the request, the screen, the last result, the events, the history) and in what was
seen before (earlier screens and results). The overlaps are exact word matches, so a name never
seen in training still lines up with the request that names it. :mod:`.pointer` scores each slot
from these features and the observation's.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

import gymnasium as gym
import numpy as np
from gymnasium import spaces

from claw_gym.wrappers.features import hash_features, tokens

from .demos import DemoMenu

#: text fields of the menu's observation whose words a slot's label is matched against, then "recent"
FIELDS = ("instruction", "ui", "result", "events", "history")
OVERLAPS = len(FIELDS) + 1
CACHE = 20_000  # labels whose hashed features are kept


def slot_width(dim: int) -> int:
    """Features per slot: the hashed label and its overlaps."""
    return dim + OVERLAPS


def layout_of(slot_dim: int, space: spaces.Space, n_slots: int) -> tuple[int, int, int]:
    """(base features, slots, features per slot) of a :class:`SlotLabels` observation space."""
    width = slot_width(slot_dim)
    assert isinstance(space, spaces.Box)
    return int(space.shape[0]) - n_slots * width, n_slots, width


def _words(text: str) -> frozenset[str]:
    return frozenset(tokens(text))


class SlotLabels(gym.ObservationWrapper):
    """``Box`` of the observation's features -> that ``Box`` followed by ``n`` slots of
    :func:`slot_width` features each (zeros for a closed slot).

    It wraps the features layer of a stack whose menu layer is a :class:`DemoMenu`, and reads the
    menu's labels and its last raw observation when it encodes.
    """

    def __init__(self, env: gym.Env, menu: DemoMenu, dim: int = 32) -> None:
        super().__init__(env)
        base = env.observation_space
        assert isinstance(base, spaces.Box) and len(base.shape) == 1
        assert isinstance(menu.action_space, spaces.Discrete)
        self.menu, self.dim = menu, dim
        self.base, self.slots, self.width = int(base.shape[0]), int(menu.action_space.n), slot_width(dim)
        self.size = self.base + self.slots * self.width
        self.observation_space = spaces.Box(-np.inf, np.inf, (self.size,), np.float32)
        self._hashed: OrderedDict[str, np.ndarray] = OrderedDict()

    def layout(self) -> tuple[int, int, int]:
        """(base features, slots, features per slot): what :class:`PairScorer` needs."""
        return self.base, self.slots, self.width

    def _label(self, text: str) -> np.ndarray:
        vec = self._hashed.get(text)
        if vec is None:
            vec = hash_features(text, self.dim)
            self._hashed[text] = vec
            if len(self._hashed) > CACHE:
                self._hashed.popitem(last=False)
        return vec

    def observation(self, observation: Any) -> np.ndarray:
        out = np.zeros(self.size, np.float32)
        out[: self.base] = observation
        raw = self.menu.last_observation
        fields = [_words(str(raw.get(k, ""))) for k in FIELDS]
        fields.append(_words("\n".join(self.menu.recent())))
        grid = out[self.base :].reshape(self.slots, self.width)
        for index in np.flatnonzero(self.menu.action_masks()):
            text = self.menu.slot_text(int(index))
            grid[index, : self.dim] = self._label(text)
            words = _words(text)
            if words:
                grid[index, self.dim :] = [len(words & f) / len(words) for f in fields]
        return out
