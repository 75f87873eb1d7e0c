"""Tasks: specs, families, catalog, world building."""

from .family import Ctx, Family, Scenario
from .footprint import Footprint, Own
from .spec import Check, Grader, TaskSpec, Verdict
from .suite import all_specs, catalog, families, family_of, get_spec

__all__ = ["TaskSpec", "Check", "Verdict", "Grader", "Family", "Scenario", "Ctx", "catalog", "all_specs",
           "families", "family_of", "get_spec", "Footprint", "Own"]
