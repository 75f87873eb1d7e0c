"""The world of one episode: clock, persona, services, event timeline, audit log.

Everything derives from (task id, seed): the world's generator is built from them
and nothing reads the wall clock or global random state. Every door into the
services (API actions, the laptop's ``claw`` command, the phone's apps) goes
through :meth:`World.call`, so all of them are validated and audited alike.
"""

from __future__ import annotations

import itertools
import json
from typing import Any

from .audit import AuditEntry, AuditLog
from .clock import Clock
from .events import Event, Timeline
from .faults import FaultConfig, FaultPlan
from .limits import Budget, Limits
from .persona import Persona
from .rng import derive_rng, stable_hash
from .services import SERVICES, Service, ServiceError
from .snapshot import Participant, WorldSnapshot

_WORLD_IDS = itertools.count(1)  # tells worlds apart for snapshots; never part of any observation


class World:
    def __init__(self, task_id: str, seed: int, services: list[str] | tuple[str, ...], start: int) -> None:
        unknown = sorted(set(services) - set(SERVICES))
        if unknown:
            raise ValueError(f"unknown services {unknown}")
        self.task_id = task_id
        self.seed = seed
        self.rng = derive_rng(task_id, seed, "world")
        self.clock = Clock(start)
        self.persona: Persona | None = None
        self.version = 0  # bumped on every change of records or history (not of the clock); lets observers cache
        self.audit = AuditLog()
        self.timeline = Timeline()
        self.life: Any = None  # the history generator's bookkeeping (claw_gym.life.Life), set at build
        # "events" (search over the timeline) is in every world: it is how agents read history;
        # "device" too: the phone's notifications and the devices' logs are part of every life.
        names = sorted(set(services) | {"events", "device"})
        self.services: dict[str, Service] = {n: SERVICES[n](self) for n in names}
        self.uid = next(_WORLD_IDS)
        self.inserted = 0  # records inserted so far (any door, any generator): growth accounting
        self.budget = Budget(Limits())
        self.faults: FaultPlan | None = None
        # Everything a snapshot covers. Devices (laptop files, phone) add themselves with add_participant.
        self.participants: dict[str, Participant] = {"clock": self.clock, "timeline": self.timeline,
                                                     "audit": self.audit, "budget": self.budget}
        for n, svc in self.services.items():
            self.participants[f"service:{n}"] = svc

    def configure(self, *, faults: FaultConfig | None = None, limits: Limits | None = None) -> None:
        """Episode options set by the env after the world is built (so building never meets faults)."""
        self.budget.limits = limits or Limits()
        self.faults = FaultPlan(faults, self.task_id, self.seed) if faults is not None and faults.rate > 0 else None
        if self.faults is not None:
            self.participants["faults"] = self.faults
        else:
            self.participants.pop("faults", None)

    # ---- snapshots -----------------------------------------------------------------------------
    def add_participant(self, name: str, part: Participant) -> None:
        """Register a stateful part (a device) so snapshots cover it; names are unique."""
        if name in self.participants or name == "world":
            raise ValueError(f"snapshot participant {name!r} already registered")
        self.participants[name] = part

    def snapshot(self) -> WorldSnapshot:
        """Freeze the whole world (see claw_gym/snapshot.py); cheap enough to call every step."""
        parts = {name: p.snapshot() for name, p in self.participants.items()}
        parts["world"] = (self.rng.bit_generator.state, self.inserted)
        return WorldSnapshot(parts, self.uid)

    def restore(self, snap: WorldSnapshot) -> None:
        """Put back the state of ``snap`` (taken from this world); the snapshot stays reusable."""
        if snap.world_uid != self.uid:  # service change tokens are only comparable within one world
            raise ValueError("this snapshot was taken from another world (restore it through its own env)")
        if set(snap.parts) != set(self.participants) | {"world"}:
            raise ValueError(f"snapshot covers {sorted(snap.parts)}, this world has {sorted(self.participants)}")
        self.touch()  # first: a new version, so caches keyed on it never see a stale one (the phone keys on it)
        for name, p in self.participants.items():
            p.restore(snap.parts[name])
        rng_state, self.inserted = snap.parts["world"]
        self.rng.bit_generator.state = rng_state

    # ---- changes ---------------------------------------------------------------------------
    def touch(self) -> None:
        self.version += 1

    def schedule(self, event: Event) -> Event:
        return self.timeline.schedule(self, event)

    def advance(self, seconds: int) -> list[Event]:
        """Move the clock forward and deliver the events that came due."""
        self.clock.advance(seconds)
        # No touch(): the clock alone changes no record; delivered events touch when they land.
        return self.timeline.advance(self)

    # ---- the one door into services --------------------------------------------------------
    def call(self, call: Any, args: Any, source: str = "api") -> Any:
        """Validate and run ``service.endpoint(**args)``; audit it. Raises ServiceError."""
        if not isinstance(call, str) or not call:
            raise ServiceError("'call' must be a string like 'mail.list' (try 'help')")
        if not isinstance(args, dict):
            raise ServiceError(f"'args' must be a JSON object, got {type(args).__name__}")
        if call == "help":
            self._audit(source, call, args, None)
            return self.help()
        service_name, _, endpoint_name = call.partition(".")
        service = self.services.get(service_name)
        if service is None:
            raise ServiceError(f"unknown service {service_name!r}; this world has: {', '.join(self.services)}"
                               " (call 'help' to list endpoints)")
        if getattr(service, "device_only", False) and source != "gui" and endpoint_name != "describe":
            msg = (f"{call} is on the phone itself: use the phone's apps (gui actions), "
                   f"not the {source} door")
            self._audit(source, call, args, msg)
            raise ServiceError(msg)
        ep = service.endpoints.get(endpoint_name)
        inserted = self.inserted
        try:
            size = self.budget.check(args) if ep is not None and ep.mutates else 0
            fault = self.faults.draw() if self.faults is not None else None
            if fault is not None:
                raise fault
            if ep is not None and ep.mutates and self.budget.records_spent:
                result = self._call_without_growth(service, endpoint_name, args)
            else:
                result = service.call(endpoint_name, args)
        except ServiceError as exc:
            self._audit(source, call, args, str(exc))
            raise
        except (RecursionError, MemoryError, OverflowError) as exc:  # absurd input, not a bug: refuse it
            self._audit(source, call, args, repr(exc))
            raise ServiceError(f"{call} could not handle these arguments ({type(exc).__name__})") from None
        self.budget.charge(self.inserted - inserted, size)
        self._audit(source, call, args, None)
        return result

    def is_cached_call(self, call: str) -> bool:
        """Whether ``call`` names an endpoint whose results are kept until its records change."""
        service_name, _, endpoint_name = call.partition(".")
        service = self.services.get(service_name)
        ep = service.endpoints.get(endpoint_name) if service is not None else None
        return ep is not None and ep.cached

    def _call_without_growth(self, service: Service, endpoint_name: str, args: dict[str, Any]) -> Any:
        """Run a mutating call when no record may be created: roll it back if it created one."""
        snap, inserted = self.snapshot(), self.inserted
        result = service.call(endpoint_name, args)
        if self.inserted > inserted:
            self.restore(snap)
            raise self.budget.records_error()
        return result

    def _audit(self, source: str, call: str, args: dict[str, Any], error: str | None) -> None:
        self.audit.record(AuditEntry(self.clock.now, source, call, args, error is None, error))

    def help(self) -> dict[str, Any]:
        listing: dict[str, Any] = {
            "usage": "{\"kind\": \"api\", \"call\": \"<service>.<endpoint>\", \"args\": {...}}",
            "services": {name: [ep.signature() for ep in svc.endpoints.values()]
                         for name, svc in self.services.items()},
        }
        phone_only = sorted(n for n, svc in self.services.items() if getattr(svc, "device_only", False))
        if phone_only:  # said up front: calling them through the api or shell door only costs a step
            listing["phone_only"] = dict.fromkeys(
                phone_only, "on the phone itself: use the phone's apps (gui actions); the api and shell doors refuse "
                            "these endpoints (describe still works)")
        return listing

    # ---- reading -----------------------------------------------------------------------------
    def service(self, name: str) -> Service:
        return self.services[name]

    def state(self) -> dict[str, Any]:
        """The full state: what checkers read and what hashes and snapshots cover."""
        return {
            "now": self.clock.now,
            "services": {n: s.state() for n, s in self.services.items()},
            "timeline": self.timeline.state(),
        }

    def state_hash(self) -> str:
        return stable_hash(json.dumps(self.state(), sort_keys=True, ensure_ascii=False, default=str))
