"""ClawEnv's constructor keywords, checked in one place.

``gym.make(..., phone="False")`` must fail at construction, not run with a truthy string;
the command line's ``--env-arg`` checks its values with the same rules, so both say the same
thing. A wrong type is a TypeError, a wrong value a ValueError; each names the keyword.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .devices.laptop import SANDBOXES
from .faults import FaultConfig
from .limits import Limits

REWARD_MODES = ("binary", "partial")
HISTORY_MODES = ("digest", "full", "none")
RENDER_MODES = ("ansi", "rgb_array")
SCREEN_RANGE = (32, 4096)


def _describe(value: Any) -> str:
    return f"{value!r} ({type(value).__name__})"


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _optional_str(key: str, value: Any) -> None:
    if value is not None and not isinstance(value, str):
        raise TypeError(f"{key} must be a string or None, got {_describe(value)}")


def _choice(choices: tuple[str, ...], optional: bool = False) -> Callable[[str, Any], None]:
    def check(key: str, value: Any) -> None:
        if value is None and optional:
            return
        if not isinstance(value, str):
            raise TypeError(f"{key} must be one of {choices}, got {_describe(value)}")
        if value not in choices:
            raise ValueError(f"{key} must be one of {choices}, got {value!r}")

    return check


def _filter(item_ok: Callable[[Any], bool], what: str) -> Callable[[str, Any], None]:
    """A task filter: None, one value, or a list of values."""

    def check(key: str, value: Any) -> None:
        items = value if isinstance(value, (list, tuple, set, frozenset)) else [value]
        if value is not None and not all(item_ok(v) for v in items):
            raise TypeError(f"{key} must be {what} or a list of them, got {_describe(value)}")

    return check


def _phone(key: str, value: Any) -> None:
    if not isinstance(value, bool) and not callable(value):
        raise TypeError(
            f"{key} must be a bool or a phone factory (a callable taking the world, "
            f"e.g. AdbPhone.factory(serial)), got {_describe(value)}"
        )


def _max_steps(key: str, value: Any) -> None:
    if value is None:
        return
    if not _is_int(value):
        raise TypeError(f"{key} must be a positive int or None, got {_describe(value)}")
    if value < 1:
        raise ValueError(f"{key} must be a positive int, got {value}")


def _world_cache(key: str, value: Any) -> None:
    if value is None:
        return
    if not _is_int(value):
        raise TypeError(f"{key} must be a non-negative int (worlds kept; 0 or None: off), got {_describe(value)}")
    if value < 0:
        raise ValueError(f"{key} must be a non-negative int (worlds kept; 0 or None: off), got {value}")


def _screen_size(key: str, value: Any) -> None:
    lo, hi = SCREEN_RANGE
    if not isinstance(value, (tuple, list)) or len(value) != 2 or not all(_is_int(v) for v in value):
        raise TypeError(f"{key} must be two ints (width, height) in pixels, got {_describe(value)}")
    if not all(lo <= v <= hi for v in value):
        raise ValueError(f"{key} must be (width, height) in pixels, each {lo}..{hi}, got {list(value)}")


def _parsed_by(parse: Callable[[Any], Any]) -> Callable[[str, Any], None]:
    def check(key: str, value: Any) -> None:
        parse(value)  # raises ValueError naming the keyword

    return check


def _bool(key: str, value: Any) -> None:
    if not isinstance(value, bool):
        raise TypeError(f"{key} must be True or False, got {_describe(value)}")


CHECKS: dict[str, Callable[[str, Any], None]] = {
    "task_id": _optional_str,
    "family": _filter(lambda v: isinstance(v, str), "a string"),
    "kind": _filter(lambda v: isinstance(v, str), "a string"),
    "split": _filter(lambda v: isinstance(v, str), "a string"),
    "device": _filter(lambda v: isinstance(v, str), "a string"),
    "difficulty": _filter(_is_int, "an int"),
    "reward_mode": _choice(REWARD_MODES),
    "history": _choice(HISTORY_MODES),
    "max_steps": _max_steps,
    "render_mode": _choice(RENDER_MODES, optional=True),
    "screen_size": _screen_size,
    "screen": _bool,
    "phone": _phone,
    "sandbox": _choice(SANDBOXES),
    "faults": _parsed_by(FaultConfig.parse),
    "limits": _parsed_by(Limits.parse),
    "world_cache": _world_cache,
}

#: Keywords whose value is text: the command line takes them bare (``history=full``), not only as JSON.
TEXT_KEYWORDS = frozenset(
    {"task_id", "family", "kind", "split", "device", "reward_mode", "history", "render_mode", "sandbox"}
)


def check(kwargs: dict[str, Any]) -> None:
    """Raise TypeError/ValueError for the first keyword of ``kwargs`` with a wrong type or value.

    Keywords this module doesn't know are left to the constructor (Python rejects unknown ones)."""
    for key, value in kwargs.items():
        rule = CHECKS.get(key)
        if rule is not None:
            rule(key, value)


__all__ = ["check", "CHECKS", "TEXT_KEYWORDS", "REWARD_MODES", "HISTORY_MODES", "RENDER_MODES"]
