"""A phone with every app installed, over a world with ordinary background life.

For tests, benchmarks, the adb server's demo mode and trying the phone by hand::

    from claw_gym.devices.phone.demo import demo_phone
    phone = demo_phone(seed=0)
    phone.tap(45, 166); Image.fromarray(phone.screenshot()).save("phone.png")
"""

from __future__ import annotations

from ... import clock
from ...life import background
from ...persona import make_persona
from ...world import World
from .device import SimPhone

SERVICES = ("phone", "sms", "contacts", "calendar", "mail", "workmail", "notes", "bank", "expenses")


def demo_phone(seed: int = 0, start: str = "2026-03-02 08:30", difficulty: int = 3) -> SimPhone:
    world = World("phone-demo", seed, SERVICES, clock.parse_time(start))
    world.persona = make_persona(world.rng)
    background.populate(world, world.rng, difficulty)
    return SimPhone(world)
