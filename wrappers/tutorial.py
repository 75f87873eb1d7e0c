"""Tutorial tasks for curricula: ``install()`` puts the tutorial family in the catalog.

The family itself lives with the others, :mod:`claw_gym.envs.tutorial` (outside the suite's
2,000 tasks). ``install()`` registers it (``claw_gym.tasks.register_family``, split
``"tutorial"``) and its gymnasium ids, ``ClawTutorial-v0`` and ``ClawAnything/tutorial-todo-*-v0``;
``uninstall()`` takes them out again. The ids' entry point installs it again in worker processes
(async vector envs), which start without it.
"""

from __future__ import annotations

from typing import Any

from gymnasium.envs.registration import register, registry

from claw_gym.envs.tutorial import FAMILY, SPLIT
from claw_gym.tasks import TaskSpec, register_family, unregister_family

__all__ = ["FAMILY", "SPLIT", "install", "make_env", "uninstall"]
ENTRY_POINT = "claw_gym.wrappers.tutorial:make_env"


def install() -> list[TaskSpec]:
    """Add the tutorial family to this process's catalog and register its env ids (idempotent)."""
    specs = register_family(FAMILY, split=SPLIT)
    if "ClawTutorial-v0" not in registry:
        register(id="ClawTutorial-v0", entry_point=ENTRY_POINT)
    for s in specs:
        if s.env_id not in registry:
            register(id=s.env_id, entry_point=ENTRY_POINT, kwargs={"task_id": s.task_id})
    return specs


def uninstall() -> None:
    """Undo :func:`install` in this process (catalog and env ids), e.g. after a test."""
    for s in unregister_family(FAMILY.name):
        registry.pop(s.env_id, None)
    registry.pop("ClawTutorial-v0", None)


def make_env(**kwargs: Any) -> Any:
    """Entry point of ``ClawTutorial-v0``: a ClawEnv over the tutorial tasks."""
    from claw_gym.env import ClawEnv

    install()
    kwargs.setdefault("split", SPLIT)
    if kwargs.get("task_id") is None:
        kwargs.setdefault("family", FAMILY.name)
    return ClawEnv(**kwargs)
