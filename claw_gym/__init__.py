"""claw-gym: a Gymnasium suite of always-on personal-assistant tasks.

``import claw_gym`` registers ``ClawAnything-v0`` (samples tasks; filters as make
kwargs) and one id per task, ``ClawAnything/<task_id>-v0``.
"""

from __future__ import annotations

from gymnasium.envs.registration import register, registry

from . import actions
from .env import ClawEnv
from .tasks import TaskSpec, Verdict, all_specs, catalog, get_spec

__version__ = "0.1.0"
ENTRY_POINT = "claw_gym.env:ClawEnv"


def _register_all() -> None:
    """One loop: the suite id, then every task's own id."""
    if "ClawAnything-v0" not in registry:
        register(id="ClawAnything-v0", entry_point=ENTRY_POINT)
    for spec in all_specs().values():
        if spec.env_id not in registry:
            register(id=spec.env_id, entry_point=ENTRY_POINT, kwargs={"task_id": spec.task_id},
                     max_episode_steps=None)


_register_all()

__all__ = ["ClawEnv", "TaskSpec", "Verdict", "actions", "catalog", "get_spec", "all_specs", "__version__"]
