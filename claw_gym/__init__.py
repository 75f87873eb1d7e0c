"""claw-gym: a Gymnasium suite of always-on personal-assistant tasks.

``import claw_gym`` registers ``ClawAnything-v0`` (samples tasks; filters as make
kwargs) and one id per task, ``ClawAnything/<task_id>-v0``.

This module is the composition root: it hands the catalog its families (``envs/``) and registers
the ids, and it stays cheap. The ids come from the shipped manifest (``claw_gym/data``) with a
string entry point, so no family module, world or env is imported until an env is made or the
catalog is read; ``ClawEnv``, ``catalog`` and the other names below load on first use.
"""

from __future__ import annotations

import importlib
import importlib.util
from typing import TYPE_CHECKING, Any

from gymnasium.envs.registration import EnvSpec, register, registry

from . import actions
from .tasks import manifest as _manifest
from .tasks import registration as _registration

if TYPE_CHECKING:
    from .env import ClawEnv
    from .tasks import TaskSpec, Verdict, all_specs, catalog, get_spec

__version__ = "0.1.0"
ENTRY_POINT = "claw_gym.env:ClawEnv"


def _suite_families() -> list[Any]:
    """The suite's families, imported the first time the catalog is read."""
    from .envs import FAMILIES

    return FAMILIES


def _register_ids(task_ids: list[str]) -> None:
    """The suite id, then every task's own id.

    Per-task specs go straight into gymnasium's registry dict: ``register()`` compares each new id
    with every registered one (quadratic: 0.28 s for 2,000 ids). These ids are all ``-v0`` in our
    own namespace, and ``EnvSpec`` still parses each one.
    """
    if "ClawAnything-v0" not in registry:
        register(id="ClawAnything-v0", entry_point=ENTRY_POINT)
    for task_id in task_ids:
        env_id = f"ClawAnything/{task_id}-v0"
        if env_id not in registry:
            registry[env_id] = EnvSpec(
                id=env_id, entry_point=ENTRY_POINT, kwargs={"task_id": task_id}, max_episode_steps=None
            )


_registration.set_suite_source(_suite_families)
_register_ids(_manifest.task_ids())

_LAZY = {"ClawEnv", "TaskSpec", "Verdict", "all_specs", "catalog", "get_spec"}


def __getattr__(name: str) -> Any:
    """``ClawEnv``, the catalog's names and the submodules (``claw_gym.env``, ...), imported on first use."""
    if name not in _LAZY:
        if not name.startswith("_") and importlib.util.find_spec(f"{__name__}.{name}") is not None:
            return importlib.import_module(f"{__name__}.{name}")  # as `import claw_gym.<name>` would
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value: Any
    if name == "ClawEnv":
        from .env import ClawEnv as value
    else:
        from . import tasks

        value = getattr(tasks, name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | _LAZY)


__all__ = ["ClawEnv", "TaskSpec", "Verdict", "__version__", "actions", "all_specs", "catalog", "get_spec"]
