"""RL adapters for claw-gym, one module per concern.

- :mod:`.features`  ``HashedTextObservation``: Dict of Text (+ screen) -> fixed float32 Box.
- :mod:`.menu`      ``ActionMenu``: Discrete(N) over a per-step menu, ``action_masks()``.
- :mod:`.budget`    ``ObservationBudget``: word caps per field for language-model agents.
- :mod:`.tools`     ``ToolCalling``: OpenAI-style tool schemas; tool-call dicts as actions.
- :mod:`.curriculum` ``Curriculum``, ``CurriculumWrapper``: BabyAI-style task schedule.
- :mod:`.multiagent` ``parallel_env``/``env``: PettingZoo laptop + phone (needs pettingzoo).
- :mod:`.tutorial`  ``install()``: a first-rung family for curricula, outside the suite.
"""

from __future__ import annotations

from typing import Any

import gymnasium as gym

from .budget import ObservationBudget
from .curriculum import Curriculum, CurriculumWrapper
from .features import HashedTextObservation
from .menu import ActionMenu
from .tools import ToolCalling, tool_schemas


def make_rl_env(
    env: str | gym.Env = "ClawAnything-v0",
    *,
    dim: int = 128,
    curriculum: Curriculum | None = None,
    record: bool = True,
    menu_kwargs: dict[str, Any] | None = None,
    screen: bool = True,
    **make_kwargs: Any,
) -> gym.Env:
    """The stack SB3 and friends need: [curriculum ->] ActionMenu -> HashedTextObservation.

    ``screen=False``: the vector has no screen part and the phone is not drawn at all (``obs["ui"]``
    still lists it): the text fields' features are the same, and a step costs about a third less.
    """
    if isinstance(env, str):
        base = gym.make(env, **make_kwargs) if screen else gym.make(env, screen=False, **make_kwargs)
    else:
        base = env
        if not screen and hasattr(base.unwrapped, "draw_screen"):
            base.unwrapped.draw_screen = False  # nothing downstream reads the frame: don't draw it
    if curriculum is not None:
        base = CurriculumWrapper(base, curriculum, record=record)
    menu = ActionMenu(base, **(menu_kwargs or {}))
    return HashedTextObservation(menu, dim=dim, screen_shape=(24, 12) if screen else None)


def __getattr__(name: str) -> Any:  # PettingZoo is optional: import it only when asked for
    if name in ("parallel_env", "env", "ClawParallelEnv"):
        from . import multiagent

        return getattr(multiagent, name)
    raise AttributeError(name)


__all__ = [
    "ActionMenu",
    "Curriculum",
    "CurriculumWrapper",
    "HashedTextObservation",
    "ObservationBudget",
    "ToolCalling",
    "tool_schemas",
    "make_rl_env",
    "parallel_env",
    "env",
    "ClawParallelEnv",
]
