"""Typed views of a world's services, for checkers that use one service's own API.

``world.services`` maps names to the :class:`~claw_gym.services.Service` base class; a checker that
reads a file, the phone's settings or the calendar's overlaps asks here for the concrete class.
"""

from __future__ import annotations

from typing import TypeVar

from claw_gym.services import Service
from claw_gym.services.calendar import Calendar
from claw_gym.services.files import Files
from claw_gym.services.phone import Phone
from claw_gym.world import World

S = TypeVar("S", bound=Service)


def _typed(world: World, name: str, kind: type[S]) -> S:
    svc = world.services[name]
    if not isinstance(svc, kind):
        raise TypeError(f"service {name!r} is a {type(svc).__name__}, not a {kind.__name__}")
    return svc


def files(world: World) -> Files:
    """The laptop's files (``find`` a path, as the shell and the API see it)."""
    return _typed(world, "files", Files)


def phone(world: World) -> Phone:
    """The phone's own state: settings, alarms, calls, notifications."""
    return _typed(world, "phone", Phone)


def calendar(world: World) -> Calendar:
    """The calendar (``overlapping`` entries)."""
    return _typed(world, "calendar", Calendar)
