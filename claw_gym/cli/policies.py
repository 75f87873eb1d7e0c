"""Policies the runner can drive: built-ins by name, or ``module:callable``.

A policy is any of:

- a callable ``f(obs) -> action`` or ``f(obs, info) -> action``;
- an object (or a class, instantiated without arguments) with ``act(obs, info) -> action`` and
  optionally ``reset(obs, info)``, called at the start of each episode.

The built-in ``llm`` agent (:mod:`claw_gym.llm`) asks a chat model; its settings travel in
the spec, ``llm:{json}`` (:func:`resolve` builds it from ``--model``, ``--base-url``, ...).

Actions are JSON text or dicts (see :mod:`claw_gym.actions`). Scripted policies that need
privileged access (the oracle, tests) may also define ``attach(env)``: called after each
reset with the unwrapped :class:`~claw_gym.env.ClawEnv`. Agents under evaluation should not.
"""

from __future__ import annotations

import importlib
import inspect
import json
import os
import sys
from collections.abc import Callable
from typing import Any

from .. import actions as A
from .common import CliError


class OraclePolicy:
    """Replays the task's scripted solution, then finishes if the script ran out.

    A step that met an injected fault (``info["fault"]``, env made with ``faults=``) is sent
    again, as :func:`claw_gym.replay.replay_oracle` does: the faulted call changed nothing."""

    def __init__(self) -> None:
        self._queue: list[str] = []
        self._last: str | None = None

    def attach(self, env: Any) -> None:
        self._queue = list(env.oracle_actions())
        self._last = None

    def act(self, obs: dict[str, Any], info: dict[str, Any]) -> str:
        if self._last is not None and info.get("fault"):
            return self._last
        self._last = self._queue.pop(0) if self._queue else A.finish("Done.")
        return self._last


class FinishPolicy:
    """Finishes at once: the do-nothing baseline (fails every task)."""

    def act(self, obs: dict[str, Any], info: dict[str, Any]) -> str:
        return A.finish("All done.")


BUILTINS: dict[str, Callable[[], Any]] = {"oracle": OraclePolicy, "finish": FinishPolicy}


class Agent:
    """One uniform face over the policy shapes above."""

    def __init__(self, obj: Any) -> None:
        if inspect.isclass(obj):
            try:
                obj = obj()
            except TypeError as exc:
                raise CliError(f"policy class {obj.__name__} must be creatable without arguments ({exc})") from None
        self.obj = obj
        if hasattr(obj, "act"):
            self._act: Callable[[dict, dict], Any] = obj.act
        elif callable(obj):
            self._act = obj if _arity(obj) >= 2 else (lambda obs, info: obj(obs))
        else:
            raise CliError(f"policy {obj!r} is neither callable nor has an act(obs, info) method")

    def begin(self, env: Any, obs: dict[str, Any], info: dict[str, Any]) -> None:
        if hasattr(self.obj, "attach"):
            self.obj.attach(env)
        if hasattr(self.obj, "reset") and not inspect.isfunction(self.obj):
            self.obj.reset(obs, info)

    def act(self, obs: dict[str, Any], info: dict[str, Any]) -> str:
        action = self._act(obs, info)
        return json.dumps(action, ensure_ascii=False) if isinstance(action, dict) else action


def resolve(spec: str, args: Any) -> str:
    """The spec to run: ``llm`` becomes ``llm:{settings}`` from the llm options in ``args``, after
    checking that the server answers (a CliError, exit 2, otherwise). Other specs pass unchanged."""
    from ..llm.config import config_from

    if spec != "llm":
        if getattr(args, "model", None) or getattr(args, "base_url", None) or getattr(args, "transcripts", None):
            raise CliError("--model, --base-url and --transcripts are options of the llm agent (--agent llm)")
        return spec
    try:
        cfg = config_from(args)
    except ValueError as exc:
        raise CliError(str(exc)) from None
    from ..llm.client import ChatClient, ModelError

    try:
        ChatClient(cfg).reachable()
    except ModelError as exc:
        raise CliError(str(exc)) from None
    return cfg.spec()


def _arity(fn: Callable[..., Any]) -> int:
    try:
        params = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):
        return 1
    if any(p.kind == p.VAR_POSITIONAL for p in params):
        return 2
    return sum(p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) and p.default is p.empty for p in params)


def is_llm(spec: str) -> bool:
    """The built-in llm agent (``llm``, or ``llm:{settings}`` once :func:`resolve` filled it in)."""
    return spec == "llm" or spec.startswith("llm:{")


def is_builtin(spec: str) -> bool:
    """A policy of claw-gym's own (present wherever claw-gym is installed), not a user's module."""
    return spec in BUILTINS or is_llm(spec)


def load(spec: str) -> Agent:
    """``oracle``, ``finish``, ``llm:{settings}`` or ``package.module:name`` (a callable, a policy object or class)."""
    if spec in BUILTINS:
        return Agent(BUILTINS[spec]())
    if is_llm(spec):
        from ..llm.config import LLMConfig

        if spec == "llm":
            raise CliError("the llm agent needs --model and --base-url")
        from ..llm.agent import LLMAgent

        return Agent(LLMAgent(LLMConfig.from_spec(spec)))
    module_name, sep, attr = spec.partition(":")
    if not sep or not module_name or not attr:
        raise CliError(f"policy {spec!r}: use one of {', '.join(BUILTINS)} or 'module:callable'")
    if os.getcwd() not in sys.path:  # console scripts do not put the working directory on the path
        sys.path.insert(0, os.getcwd())
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise CliError(f"policy {spec!r}: cannot import {module_name!r} ({exc})") from None
    obj: Any = module
    for part in attr.split("."):
        if not hasattr(obj, part):
            raise CliError(f"policy {spec!r}: {module_name!r} has no attribute {attr!r}")
        obj = getattr(obj, part)
    return Agent(obj)
