"""Baselines for RL research on the suite: ``python -m claw_gym.baselines`` (docs/baselines.md).

Rows: do-nothing, random valid menu slot, oracle, MaskablePPO with a curriculum, behaviour
cloning on oracle demonstrations mapped to menu slots, BC then PPO, and a language-model agent
(through ``claw-gym eval --agent llm``). Pass@1 with Wilson 95% intervals on train, test and
heldout, by kind, difficulty and device; the menu's coverage of the oracle per family; learning
curves. The learned rows need the ``[rl]`` extra (torch, sb3-contrib, matplotlib).
"""

from __future__ import annotations

from .demos import facts, find_slot, same_action
from .stats import wilson

__all__ = ["facts", "find_slot", "same_action", "wilson"]
