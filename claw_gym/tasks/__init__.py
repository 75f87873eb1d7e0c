"""Tasks: specs, families, catalog, world building.

The names below load on first use (PEP 562), so importing this package, or
``claw_gym.tasks.registration`` from the composition root, costs no world, service or family
module: ``import claw_gym`` stays fast.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the same names, for type checkers and the layer linter
    from .family import Ctx, Family, Scenario
    from .footprint import Footprint, Own
    from .registration import register_family, unregister_family
    from .spec import Check, Grader, TaskSpec, Verdict
    from .suite import all_specs, catalog, families, family_of, get_spec

_HOME = {
    "all_specs": "suite",
    "catalog": "suite",
    "families": "suite",
    "family_of": "suite",
    "get_spec": "suite",
    "Ctx": "family",
    "Family": "family",
    "Scenario": "family",
    "Footprint": "footprint",
    "Own": "footprint",
    "register_family": "registration",
    "unregister_family": "registration",
    "Check": "spec",
    "Grader": "spec",
    "TaskSpec": "spec",
    "Verdict": "spec",
}

__all__ = [
    "Check",
    "Ctx",
    "Family",
    "Footprint",
    "Grader",
    "Own",
    "Scenario",
    "TaskSpec",
    "Verdict",
    "all_specs",
    "catalog",
    "families",
    "family_of",
    "get_spec",
    "register_family",
    "unregister_family",
]


def __getattr__(name: str) -> Any:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f".{home}", __name__), name)
    globals()[name] = value  # later lookups skip this hook
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_HOME))
