"""The world of one episode: clock, persona, services, event timeline, audit log.

Everything derives from (task id, seed): the world's generator is built from them
and nothing reads the wall clock or global random state. Every door into the
services (API actions, the laptop's ``claw`` command, the phone's apps) goes
through :meth:`World.call`, so all of them are validated and audited alike.
"""

from __future__ import annotations

import json
from typing import Any

from .audit import AuditEntry, AuditLog
from .clock import Clock
from .events import Event, Timeline
from .persona import Persona
from .rng import derive_rng, stable_hash
from .services import SERVICES, Service, ServiceError


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
        self.version = 0  # bumped on every change; lets observers cache
        self.audit = AuditLog()
        self.timeline = Timeline()
        self.life: Any = None  # the history generator's bookkeeping (claw_gym.life.Life), set at build
        # "events" (search over the timeline) is in every world: it is how agents read history;
        # "device" too: the phone's notifications and the devices' logs are part of every life.
        names = sorted(set(services) | {"events", "device"})
        self.services: dict[str, Service] = {n: SERVICES[n](self) for n in names}

    # ---- changes ---------------------------------------------------------------------------
    def touch(self) -> None:
        self.version += 1

    def schedule(self, event: Event) -> Event:
        return self.timeline.schedule(self, event)

    def advance(self, seconds: int) -> list[Event]:
        """Move the clock forward and deliver the events that came due."""
        self.clock.advance(seconds)
        self.touch()
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
        try:
            result = service.call(endpoint_name, args)
        except ServiceError as exc:
            self._audit(source, call, args, str(exc))
            raise
        self._audit(source, call, args, None)
        return result

    def _audit(self, source: str, call: str, args: dict[str, Any], error: str | None) -> None:
        self.audit.record(AuditEntry(self.clock.now, source, call, args, error is None, error))

    def help(self) -> dict[str, Any]:
        return {
            "usage": "{\"kind\": \"api\", \"call\": \"<service>.<endpoint>\", \"args\": {...}}",
            "services": {name: [ep.signature() for ep in svc.endpoints.values()]
                         for name, svc in self.services.items()},
        }

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
