"""The world's dry run and the cache rule, over every endpoint of every service.

For each service, a task world that has it; for each endpoint, candidate arguments (filled from
the world's records, as the action menu fills them, plus broken ones). For every candidate:

- the dry run changes nothing (state hash, versions, audit log, clock);
- its verdict is the real call's; a refused real call changes nothing either;
- after every accepted real call, each cached view equals one computed from scratch: service
  summaries and obs["services"], cached endpoint results, the phone's UI text and frame.
"""

from __future__ import annotations

import json
from typing import Any

import gymnasium as gym
import numpy as np
import pytest

import claw_gym
from claw_gym import caches, observation
from claw_gym.services import SERVICES, ServiceError
from claw_gym.wrappers.menu import Visible, endpoint_args

BAD_ID = "zz9999"


def _spec_with(service: str) -> Any:
    specs = [s for s in claw_gym.catalog(split=None) if service in s.services and "phone" in s.devices]
    specs = specs or [s for s in claw_gym.catalog(split=None) if service in s.services]
    return specs[0] if specs else claw_gym.catalog(split=None)[0]  # "events" and "device": in every world


def _seen(world: Any, svc: Any) -> Visible:
    ids = [rid for name in svc.tables_spec for rid in list(svc.table(name))[:3]] + [BAD_ID]
    emails = (
        [p["email"] for p in list(world.services["contacts"].table("people").values())[:2] if p.get("email")]
        if "contacts" in world.services
        else []
    )
    return Visible(
        ids=ids,
        emails=emails + ["nobody@example.com"],
        phones=["+44 20 7946 0000", "12"],
        times=["2026-03-10 10:00", "not a time"],
        dates=["2026-03-10", "2026-13-45"],
        amounts=[12.5, -3.0],
        keywords=["report"],
        ui_elements=[],
    )


def _plain_value(world: Any, svc: Any, p: Any) -> Any:
    """A value of the parameter's type (for parameters the menu's filler has nothing for)."""
    if p.choices:
        return p.choices[0]
    name, tname = p.name, p.type_name()
    if name == "name" and isinstance(getattr(svc, "settings", None), dict):
        return next(iter(svc.settings))  # the phone's settings
    fills = {
        "boolean": True,
        "integer": 1,
        "number": 12.5,
        "list[string]": ["nobody@example.com"],
        "list[integer]": [1],
        "object": {},
    }
    if tname in fills:
        return fills[tname]
    for table in svc.tables_spec:  # a string: the value a record has in a field of that name
        for rec in svc.table(table).values():
            if isinstance(rec.get(name), str) and rec[name]:
                return rec[name]
    return "2026-03-10 10:00" if name in ("start", "end", "due", "date", "time", "when") else "Weekly report"


def _candidates(world: Any, svc: Any, ep: Any) -> list[dict[str, Any]]:
    """Arguments the menu would form, plain ones, then broken ones: missing, mistyped, unexpected,
    unknown id."""
    out = list(endpoint_args(ep, svc, _seen(world, svc), 3))
    required = [p for p in ep.params if p.required]
    ids = [rid for name in svc.tables_spec for rid in list(svc.table(name))[:1]]
    plain = {
        p.name: (ids[0] if ids and (p.name == "id" or p.name.endswith("_id")) else _plain_value(world, svc, p))
        for p in required
    }
    out.append(plain)
    if any(type(v) is bool for v in plain.values()):  # both ways: one of them changes something
        out.append({k: (not v if type(v) is bool else v) for k, v in plain.items()})
    full = out[0] if out else {}
    if required:
        out.append({})
        out.append({**full, required[0].name: {"not": "this type"}})
    out.append({**full, "unexpected_argument": 1})
    for p in ep.params:
        if p.name == "id" or p.name.endswith("_id"):
            out.append({**full, p.name: BAD_ID})
    return out


def _fingerprint(world: Any) -> tuple[Any, ...]:
    return (
        world.state_hash(),
        world.version,
        len(world.audit),
        world.clock.now,
        tuple(s.version for s in world.services.values()),
        world.timeline.version,
    )


def _fresh_summaries(world: Any) -> str:
    caches.clear_all()
    kept = {}
    for n, s in world.services.items():
        kept[n] = s._derived_at
        s._derived_at = -1  # the next derived() starts from nothing
    try:
        return "\n".join(s.summary() for n, s in world.services.items() if n != "events")
    finally:
        for n, s in world.services.items():
            s._derived_at = -1 if kept[n] != s.version else s._derived_at


def _check_caches(env: Any) -> None:
    world = env.world
    assert env._services_text() == _fresh_summaries(world)
    for svc in world.services.values():
        for ep in svc.endpoints.values():
            if ep.cached and not any(p.required for p in ep.params):
                cached = svc.call(ep.name, {})
                fresh = getattr(svc, ep.method)(**ep.bind({}))
                assert json.dumps(cached, sort_keys=True, default=str) == json.dumps(fresh, sort_keys=True, default=str)
    phone = env.phone
    if phone is not None:
        ui, frame = phone.ui_text(), phone.frame()
        fresh = type(phone).__new__(type(phone))
        fresh.__dict__.update(phone.__getstate__())  # the pickling path: no cache comes along
        assert fresh.ui_text() == ui
        assert np.array_equal(fresh.frame(), frame)
        assert observation.bound(ui, 6000) == observation._bound(ui, 6000)


@pytest.mark.parametrize("service", sorted(SERVICES))
def test_every_endpoint_dry_run_matches_the_real_call_and_caches_stay_fresh(service: str) -> None:
    spec = _spec_with(service)
    env = gym.make(spec.env_id).unwrapped
    try:
        env.reset(seed=0)
        world = env.world
        svc = world.services.get(service)
        assert svc is not None, f"{spec.task_id} has no {service}"
        source = "gui" if getattr(svc, "device_only", False) else "api"
        checked = accepted = 0
        for ep in svc.endpoints.values():
            for args in _candidates(world, svc, ep):
                call = f"{service}.{ep.name}"
                before = _fingerprint(world)
                dry = world.check_call(call, args, source)
                assert _fingerprint(world) == before, f"the dry run of {call}({args}) changed the world"
                snap = world.snapshot()
                if dry.accepted:
                    _check_caches(env)  # also fills the caches at this version: a stale one would show next
                try:
                    world.call(call, args, source)
                except ServiceError:
                    ok = False
                    assert world.state_hash() == before[0], f"refused {call}({args}) changed the state"
                else:
                    ok = True
                    _check_caches(env)
                assert dry.accepted == ok, f"{call}({args}): dry run says {dry.accepted}, the call {ok}"
                checked, accepted = checked + 1, accepted + ok
                world.restore(snap)
                assert world.state_hash() == before[0]
        assert checked > len(svc.endpoints) and accepted > len(svc.endpoints) // 2, (checked, accepted)
    finally:
        env.close()


def test_a_read_endpoint_that_writes_is_caught() -> None:
    from claw_gym.services.base import EndpointContractError

    env = gym.make(_spec_with("todo").env_id).unwrapped
    try:
        env.reset(seed=0)
        todo = env.world.services["todo"]
        assert not todo.endpoints["list"].mutates
        todo.list = lambda **_: todo.insert("tasks", {"title": "x"})  # a broken read (this instance only)
        with pytest.raises(EndpointContractError):
            env.world.call("todo.list", {})
    finally:
        env.close()
