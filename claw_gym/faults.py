"""Injected service faults: calls that fail like a real backend sometimes does.

``gym.make(..., faults={"rate": 0.1, "kinds": ["429", "500", "timeout"]})`` makes a
seeded fraction of service calls fail before they run. Whether call number ``n`` of
an episode fails depends only on (task id, seed, n): the same actions meet the same
faults in every process, and a retry (the next call) may succeed. A fault changes
nothing in the world, is audited like any refused call, and reads in the observation
as ``error: [fault 429] ... a retry may succeed``.

The plan sits at :meth:`World.call`, the one door into services, so API actions, the
laptop's ``claw`` command and the phone's apps all meet the same faults. Each door
reports them in its own words (an API action's result; ``claw`` exits with status 75
and prints the error; a phone app restores its screen and shows a toast), and the env
adds a structured signal: ``info["fault"]`` (the kind) when a fault reached the step's
request, ``info["faults"]`` (every kind met in the step, in order). A door that retries
on its own (the laptop's file sync) marks the fault ``recovered``: it is audited and
listed in ``info["faults"]`` but does not set ``info["fault"]``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .rng import derive_seed
from .services.base import ServiceError

#: fault kind -> what the agent reads
FAULT_KINDS: dict[str, str] = {
    "429": "Too Many Requests: the service is rate-limiting calls",
    "500": "Internal Server Error: the service failed to handle the call",
    "503": "Service Unavailable: the service is briefly down",
    "timeout": "the service did not answer in time",
}
FAULT_MARKER = "[fault "
_SCALE = float(2**64)


class TransientFault(ServiceError):
    """An injected, transient failure: nothing changed and retrying may succeed."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.recovered = False  # set by a door that retried the call itself and got through
        super().__init__(f"{FAULT_MARKER}{kind}] {FAULT_KINDS[kind]}; nothing changed, a retry may succeed")


def is_fault(text: Any) -> bool:
    """True if an observation result (or error text) reports an injected fault."""
    return isinstance(text, str) and FAULT_MARKER in text[:80]


@dataclass(frozen=True)
class FaultConfig:
    rate: float
    kinds: tuple[str, ...] = ("429", "500", "timeout")

    @classmethod
    def parse(cls, spec: Any) -> FaultConfig | None:
        """Read the ``faults=`` argument of ``gym.make``: None, or {"rate": r, "kinds": [...]}."""
        if spec is None or isinstance(spec, FaultConfig):
            return spec
        if not isinstance(spec, dict) or set(spec) - {"rate", "kinds"}:
            raise ValueError('faults must be a dict like {"rate": 0.1, "kinds": ["429", "500", "timeout"]}')
        rate = spec.get("rate", 0.1)
        if isinstance(rate, bool) or not isinstance(rate, (int, float)) or not 0.0 <= rate < 1.0:
            raise ValueError("faults rate must be a number in [0, 1)")
        kinds = tuple(spec.get("kinds", cls.kinds))
        unknown = [k for k in kinds if k not in FAULT_KINDS]
        if unknown or not kinds:
            raise ValueError(f"unknown fault kinds {unknown}; known: {', '.join(FAULT_KINDS)}")
        return cls(float(rate), kinds)


class FaultPlan:
    """Decides, call by call, whether a call fails. A snapshot participant (its call counter)."""

    def __init__(self, config: FaultConfig, task_id: str, seed: int) -> None:
        self.config = config
        self.key = (task_id, seed)
        self.calls = 0
        self.injected = 0
        self.met: list[TransientFault] = []  # faults drawn since the env last collected them

    def draw(self) -> TransientFault | None:
        """Count one call; return the fault it meets, if any."""
        self.calls += 1
        u = derive_seed(*self.key, "fault", self.calls) / _SCALE
        if u >= self.config.rate:
            return None
        self.injected += 1
        kinds = self.config.kinds
        fault = TransientFault(kinds[derive_seed(*self.key, "fault-kind", self.calls) % len(kinds)])
        self.met.append(fault)
        return fault

    def collect(self) -> list[TransientFault]:
        """The faults drawn since the last collect (the env collects once per step)."""
        met, self.met = self.met, []
        return met

    def snapshot(self) -> tuple[int, int]:
        return (self.calls, self.injected)

    def restore(self, state: tuple[int, int]) -> None:
        self.calls, self.injected = state


def step_info(plan: FaultPlan | None) -> dict[str, Any]:
    """What ``env.step`` adds to ``info`` about the faults its action met (nothing if none)."""
    met = plan.collect() if plan is not None else []
    if not met:
        return {}
    info: dict[str, Any] = {"faults": [f.kind for f in met]}
    unrecovered = [f.kind for f in met if not f.recovered]
    if unrecovered:
        info["fault"] = unrecovered[-1]
    return info


__all__ = ["FAULT_KINDS", "FaultConfig", "FaultPlan", "TransientFault", "is_fault", "step_info"]
