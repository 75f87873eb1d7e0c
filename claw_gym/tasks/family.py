"""A task family: one small declarative module = generator + checker + oracle.

A family module in ``envs/`` builds a :class:`Family`::

    FAMILY = Family(
        name="invoice-expense", kind="reactive",
        services=("mail", "bank", "expenses", "contacts", ...),
        summary="File an expense claim for the invoice the vendor mailed, linked to its bank charge.",
        generate=generate,   # Ctx -> Scenario (instruction, hidden facts, deadline)
        check=check,         # (World, facts, Grader) -> None; reads final state + audit log
        oracle=oracle,       # (World, facts) -> list of action strings that pass
    )

The engine does everything else: world, persona, background life, registration,
stepping, reward.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from .. import clock
from ..persona import Person, Persona
from .footprint import Footprint

if TYPE_CHECKING:
    from ..world import World
    from .spec import Grader, TaskSpec


@dataclass
class Scenario:
    """What a family's generator returns."""

    instruction: str | None  # None for proactive tasks: nobody asks
    facts: dict[str, Any]  # the answer key, hidden from the agent; read by check and oracle
    deadline: int | None = None  # virtual time at which a proactive task is judged
    trigger: str = ""  # for proactive tasks: what in the stream makes action necessary (for `show`)
    #: the judging time is written in the trigger's content or a rule the person wrote ("text me before
    #: 11:40", "file it within the hour"): no slack is owed beyond it (tests/test_time.py)
    deadline_stated: bool = False


@dataclass
class Ctx:
    """Everything a generator needs, with small helpers for common draws."""

    spec: TaskSpec
    world: World
    rng: np.random.Generator

    @property
    def difficulty(self) -> int:
        return self.spec.difficulty

    @property
    def variant(self) -> str:
        return self.spec.variant

    @property
    def now(self) -> int:
        return self.world.clock.now

    @property
    def persona(self) -> Persona:
        """The world's persona: set before any family generator runs."""
        assert self.world.persona is not None, "the world has no persona yet"
        return self.world.persona

    def svc(self, name: str) -> Any:
        return self.world.services[name]

    def pick(self, seq: list[Any] | tuple[Any, ...]) -> Any:
        return seq[int(self.rng.integers(len(seq)))]

    def sample(self, seq: list[Any] | tuple[Any, ...], k: int) -> list[Any]:
        idx = self.rng.choice(len(seq), size=min(k, len(seq)), replace=False)
        return [seq[int(i)] for i in idx]

    def person(self, relation: str | None = None) -> Person:
        people = self.persona.people
        pool = [p for p in people if relation is None or p.relation == relation] or people
        return self.pick(pool)

    def at(self, days: int, hour: int, minute: int = 0) -> int:
        """A time ``days`` from today's midnight, at hour:minute."""
        return clock.day_start(self.now) + days * clock.DAY + hour * clock.HOUR + minute * clock.MINUTE

    def next_weekday(self, weekday: int, hour: int, minute: int = 0) -> int:
        """The next given weekday (0=Mon) strictly after today, at hour:minute."""
        days = (weekday - clock.weekday(self.now)) % 7 or 7
        return self.at(days, hour, minute)

    def money(self, low: float, high: float) -> float:
        return round(float(self.rng.uniform(low, high)), 2)

    def code(self, n: int = 6) -> str:
        return "".join(str(int(d)) for d in self.rng.integers(0, 10, size=n))


#: (initial world, facts) -> action strings: the oracle and its deliberately wrong siblings
PolicyFn = Callable[["World", dict[str, Any]], list[str]]


@dataclass(frozen=True)
class Family:
    name: str
    kind: str  # "reactive" | "proactive"
    services: tuple[str, ...]
    summary: str  # what the checker checks, in words (shown by `claw-gym show`)
    generate: Callable[[Ctx], Scenario]
    check: Callable[[World, dict[str, Any], Grader], None]
    oracle: PolicyFn
    devices: tuple[str, ...] = ()
    variants: tuple[str, ...] = ("base",)
    tasks_per_variant: int = 10  # an add-on family's tasks per variant when it declares no count
    #: the family's own task count, dealt over its variants (required in the suite: tasks/quota.py);
    #: adding or changing one family never changes another's tasks (tasks/suite.py, tasks/splits.py)
    count: int | None = None
    max_steps: int = 40
    tags: tuple[str, ...] = ()
    footprint: Footprint = Footprint()  # what the task may change and whom it may contact (tasks/footprint.py)
    # ---- optional extension points: tests, figures and the mix read them, the engine never does ----
    #: an oracle that acts on the stale (superseded) signal: it must fail, or the check is too loose
    stale_oracle: PolicyFn | None = None
    #: actions that spring the task's trap: they must be a violation (reward 0)
    trap: PolicyFn | None = None
    #: actions that create a duplicate of a record the task should update instead: they must fail
    duplicate: PolicyFn | None = None
    #: fact keys only the phone's screen shows (a cross-device task); () = it needs the phone to act,
    #: not to know; None = not such a task
    phone_only: tuple[str, ...] | None = None
    #: services that must never join this family's worlds as ambient noise (tasks/ambient.py)
    no_ambient: tuple[str, ...] = ()
    #: the oracle drives the simulated phone's apps and the checker reads state only it changes
    #: (device-only services): another PhoneDevice (a real phone, an emulator) cannot pass the task,
    #: so ClawEnv refuses to run it on one
    needs_sim_phone: bool = False
