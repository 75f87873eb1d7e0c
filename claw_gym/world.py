"""The world of one episode: clock, persona, services, event timeline, audit log.

Everything derives from (task id, seed): the world's generator is built from them
and nothing reads the wall clock or global random state. Every door into the
services (API actions, the laptop's ``claw`` command, the phone's apps) goes
through :meth:`World.call`, so all of them are validated and audited alike.
``World.call(..., dry_run=True)`` asks the same door whether a call would be accepted,
changing nothing (see :meth:`World.before_change`); caches follow the one rule written in
:mod:`claw_gym.caches`.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from .audit import AuditEntry, AuditLog
from .caches import VersionClock
from .clock import Clock
from .events import Event, Timeline
from .faults import FaultConfig, FaultPlan
from .limits import Budget, Limits
from .persona import Persona
from .rng import derive_rng, stable_hash
from .services import SERVICES, Service, ServiceError
from .services.base import EndpointContractError
from .snapshot import Participant, WorldSnapshot

_WORLD_IDS = itertools.count(1)  # tells worlds apart for snapshots; never part of any observation

S = TypeVar("S", bound=Service)


class _CommitPoint(BaseException):
    """A dry run reached the call's first change: the call is valid (BaseException: endpoint code
    cannot swallow it)."""


@dataclass
class _Call:
    """The service call in progress (see :meth:`World.before_change`)."""

    qualname: str
    dry: bool
    mutates: bool
    committed: bool = False  # a change happened: from here on, refusing breaks the contract
    rolled_back: bool = False  # the world itself undid the change (the records cap)
    read_clock: bool = False  # the endpoint read the clock before its first change (see Service.now)


@dataclass(frozen=True)
class DryRun:
    """What :meth:`World.check_call` found: would the call be accepted, and can the verdict change
    while no version does (the endpoint read the clock before its first change)?"""

    accepted: bool
    error: str | None
    reads_clock: bool


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
        self.versions = VersionClock()  # every part's versions come from here (the cache rule: claw_gym.caches)
        self._call: _Call | None = None  # the service call in progress
        self._last_run: _Call | None = None  # the last call's bookkeeping (for check_call)
        self.audit = AuditLog()
        self.timeline = Timeline(versions=self.versions)
        self.life: Any = None  # the history generator's bookkeeping (claw_gym.life.Life), set at build
        #: told of each service before its change (the footprint's copy-on-write baseline); None: nobody
        self.watch: Callable[[Service], None] | None = None
        # "events" (search over the timeline) is in every world: it is how agents read history;
        # "device" too: the phone's notifications and the devices' logs are part of every life.
        names = sorted(set(services) | {"events", "device"})
        self.services: dict[str, Service] = {n: SERVICES[n](self) for n in names}
        self.uid = next(_WORLD_IDS)
        self.inserted = 0  # records inserted so far (any door, any generator): growth accounting
        self.budget = Budget(Limits())
        self.faults: FaultPlan | None = None
        # Everything a snapshot covers. Devices (laptop files, phone) add themselves with add_participant.
        self.participants: dict[str, Participant] = {
            "clock": self.clock,
            "timeline": self.timeline,
            "audit": self.audit,
            "budget": self.budget,
        }
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
        self.versions.next()  # first: a new world version, so caches keyed on it never see a stale one
        for name, p in self.participants.items():
            p.restore(snap.parts[name])
        rng_state, self.inserted = snap.parts["world"]
        self.rng.bit_generator.state = rng_state

    # ---- changes ---------------------------------------------------------------------------
    @property
    def version(self) -> int:
        """The last version drawn by any part of this world: it moves on every change of records,
        history or pending events (not of the clock alone)."""
        return self.versions.last

    def before_change(self, service: Service, op: str) -> None:
        """Called by every table operation and setter before it changes anything: the commit point.

        In a dry run it stops the call there (the call is valid); in a real call it notes the
        change, so that a refusal after it is caught as the bug it is. Outside calls (generators,
        arrivals) it does nothing. A change that will happen is told to :attr:`watch` first.
        """
        run = self._call
        if run is None:
            if self.watch is not None:
                self.watch(service)
            return
        if not run.mutates:
            raise EndpointContractError(f"{run.qualname} is a read, but it called {service.name}.{op}")
        if run.dry:
            if self.budget.records_spent:  # the real call is rolled back and refused if it inserts:
                if op == "insert":  # go on to the first record operation to see
                    raise self.budget.records_error()
                if op == "now":
                    return
            raise _CommitPoint
        if self.watch is not None:
            self.watch(service)
        run.committed = True

    def checks_passed(self) -> None:
        """Called by a read endpoint once nothing after this point can refuse the call: a dry run
        stops here, accepted (what follows only computes the answer, which a dry run never returns).
        Elsewhere it does nothing; a mutating endpoint's dry run stops at its first change instead."""
        run = self._call
        if run is not None and run.dry and not run.mutates:
            raise _CommitPoint

    def schedule(self, event: Event) -> Event:
        return self.timeline.schedule(self, event)

    def advance(self, seconds: int) -> list[Event]:
        """Move the clock forward and deliver the events that came due."""
        self.clock.advance(seconds)
        # No touch(): the clock alone changes no record; delivered events touch when they land.
        return self.timeline.advance(self)

    # ---- the one door into services --------------------------------------------------------
    def call(self, call: Any, args: Any, source: str = "api", *, dry_run: bool = False) -> Any:
        """Validate and run ``service.endpoint(**args)``; audit it. Raises ServiceError.

        ``dry_run``: decide whether the call would be accepted, through the same checks (the door's
        gates, argument binding, the endpoint's own checks up to its first change), and change
        nothing: no record, no audit entry, no version, no fault drawn, no clock. Returns None when
        the call would be accepted, raises the refusal's ServiceError otherwise. Injected transient
        faults are not part of the verdict (they are drawn at the real call).
        """
        if not isinstance(call, str) or not call:
            raise ServiceError("'call' must be a string like 'mail.list' (try 'help')")
        if not isinstance(args, dict):
            raise ServiceError(f"'args' must be a JSON object, got {type(args).__name__}")
        if call == "help":
            if dry_run:
                return None
            self._audit(source, call, args, None)
            return self.help()
        service_name, _, endpoint_name = call.partition(".")
        service = self.services.get(service_name)
        if service is None:
            raise ServiceError(
                f"unknown service {service_name!r}; this world has: {', '.join(self.services)}"
                " (call 'help' to list endpoints)"
            )
        if not service.serves(endpoint_name, source):
            msg = f"{call} is on the phone itself: use the phone's apps (gui actions), not the {source} door"
            if not dry_run:
                self._audit(source, call, args, msg)
            raise ServiceError(msg)
        ep = service.endpoints.get(endpoint_name)
        outer = self._call
        run = self._last_run = _Call(call, dry_run or (outer is not None and outer.dry), ep is None or ep.mutates)
        inserted = self.inserted
        try:
            size = self.budget.check(args) if ep is not None and ep.mutates else 0
            fault = self.faults.draw() if self.faults is not None and not run.dry else None
            if fault is not None:
                raise fault
            self._call = run
            try:
                if not run.dry and ep is not None and ep.mutates and self.budget.records_spent:
                    result = self._call_without_growth(service, endpoint_name, args)
                else:
                    result = service.call(endpoint_name, args)
            finally:
                self._call = outer
        except _CommitPoint:
            return None
        except ServiceError as exc:
            if run.committed and not run.rolled_back:
                raise EndpointContractError(
                    f"{call} refused after it changed state ({exc}): endpoints "
                    "validate before their first table operation"
                ) from exc
            if not run.dry:
                self._audit(source, call, args, str(exc))
            raise
        except (RecursionError, MemoryError, OverflowError) as exc:  # absurd input, not a bug: refuse it
            if run.committed:
                raise EndpointContractError(f"{call} failed after it changed state ({exc!r})") from exc
            if not run.dry:
                self._audit(source, call, args, repr(exc))
            raise ServiceError(f"{call} could not handle these arguments ({type(exc).__name__})") from None
        if run.dry:
            return None
        self.budget.charge(self.inserted - inserted, size)
        self._audit(source, call, args, None)
        return result

    def check_call(self, call: str, args: dict[str, Any], source: str = "api") -> DryRun:
        """Dry-run ``call(args)`` through ``source`` (nothing changes) and say what it found.

        The verdict holds while ``self.version`` does, and, when ``reads_clock``, the clock too.
        """
        self._last_run = None
        try:
            self.call(call, args, source, dry_run=True)
        except ServiceError as exc:
            error: str | None = str(exc)
        else:
            error = None
        run = self._last_run
        return DryRun(error is None, error, run is not None and run.read_clock)

    def cached_call_version(self, call: str) -> int | None:
        """The version of the service of a cached endpoint (its results are kept per version), else None."""
        service_name, _, endpoint_name = call.partition(".")
        service = self.services.get(service_name)
        ep = service.endpoints.get(endpoint_name) if service is not None else None
        return service.version if service is not None and ep is not None and ep.cached else None

    def _call_without_growth(self, service: Service, endpoint_name: str, args: dict[str, Any]) -> Any:
        """Run a mutating call when no record may be created: roll it back if it created one."""
        snap, inserted = self.snapshot(), self.inserted
        result = service.call(endpoint_name, args)
        if self.inserted > inserted:
            self.restore(snap)
            if self._call is not None:
                self._call.rolled_back = True
            raise self.budget.records_error()
        return result

    def _audit(self, source: str, call: str, args: dict[str, Any], error: str | None) -> None:
        self.audit.record(AuditEntry(self.clock.now, source, call, args, error is None, error))

    def help(self) -> dict[str, Any]:
        listing: dict[str, Any] = {
            "usage": '{"kind": "api", "call": "<service>.<endpoint>", "args": {...}}',
            "services": {
                name: [ep.signature() for ep in svc.endpoints.values()] for name, svc in self.services.items()
            },
        }
        phone_only = sorted(n for n, svc in self.services.items() if svc.device_only)
        if phone_only:  # said up front: calling them through the api or shell door only costs a step
            listing["phone_only"] = dict.fromkeys(
                phone_only,
                "on the phone itself: use the phone's apps (gui actions); the api and shell doors refuse "
                "these endpoints (describe still works)",
            )
        return listing

    # ---- reading -----------------------------------------------------------------------------
    def service(self, name: str) -> Service:
        return self.services[name]

    def service_as(self, name: str, kind: type[S]) -> S:
        """A service as its own class, so its helpers (``Mail.address``, ``Calendar.add``) type-check."""
        svc = self.services[name]
        if not isinstance(svc, kind):
            raise TypeError(f"service {name!r} is a {type(svc).__name__}, not a {kind.__name__}")
        return svc

    def state(self) -> dict[str, Any]:
        """The full state: what checkers read and what hashes and snapshots cover."""
        return {
            "now": self.clock.now,
            "services": {n: s.state() for n, s in self.services.items()},
            "timeline": self.timeline.state(),
        }

    def state_hash(self) -> str:
        return stable_hash(json.dumps(self.state(), sort_keys=True, ensure_ascii=False, default=str))
