"""The old light background (a few newsletters, salaries, standups).

Task worlds now get a full life from :mod:`claw_gym.life`; this module stays as the cheap
background of the demo phone (:mod:`claw_gym.devices.phone.demo`) and as the baseline that
``benchmarks/history.py`` measures the life generator against.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .. import clock
from ..events import Event
from ..services.bank import Bank
from ..services.calendar import Calendar
from ..services.chat import Chat
from ..services.contacts import Contacts
from ..services.mail import Mail
from ..services.notes import Notes
from ..services.todo import Todo

if TYPE_CHECKING:
    from ..world import World

NEWSLETTERS = [
    ("news@dailybrief.example", "Your morning brief"),
    ("deals@shopmart.example", "48h flash sale"),
    ("hello@fitclub.example", "New classes this month"),
    ("digest@devweekly.example", "Dev Weekly #{n}"),
]


def populate(world: World, rng: np.random.Generator, difficulty: int) -> None:
    persona = world.persona
    assert persona is not None
    s = world.services
    if "contacts" in s:
        for p in persona.people:
            world.service_as("contacts", Contacts).add(p.name, p.email, p.phone, relation=p.relation, company=p.company)
    now = world.clock.now
    noise = 3 + 2 * difficulty
    for i in range(noise):
        t = now - int(rng.integers(1, 30)) * clock.DAY - int(rng.integers(0, 12 * 3600))
        sender, subject = NEWSLETTERS[int(rng.integers(len(NEWSLETTERS)))]
        if "mail" in s:
            world.schedule(
                Event(
                    t,
                    "mail",
                    "mail.received",
                    f"from {sender}: {subject.format(n=100 + i)}",
                    "messages",
                    {
                        "time": t,
                        "from": sender,
                        "to": [world.service_as("mail", Mail).address()],
                        "cc": [],
                        "subject": subject.format(n=100 + i),
                        "body": "Unsubscribe at any time.",
                        "folder": "inbox",
                        "read": bool(rng.random() < 0.7),
                        "attachments": [],
                    },
                )
            )
    if "bank" in s:
        world.service_as("bank", Bank).opening_balance = round(float(rng.uniform(2500, 9000)), 2)
        for k in range(3):
            t = now - (k * 30 + int(rng.integers(1, 5))) * clock.DAY
            world.schedule(
                Event(
                    t,
                    "bank",
                    "bank.transaction",
                    f"salary {persona.employer}",
                    "transactions",
                    {
                        "time": t,
                        "amount": 3200.0,
                        "counterparty": persona.employer,
                        "reference": "Salary",
                        "status": "posted",
                        "iban": "",
                    },
                )
            )
    if "calendar" in s:
        day = clock.day_start(now)
        for d in range(-7, 14):
            t = day + d * clock.DAY
            if clock.weekday(t) < 5:
                world.service_as("calendar", Calendar).add(
                    "Team standup",
                    t + 9 * clock.HOUR + 30 * 60,
                    t + 9 * clock.HOUR + 45 * 60,
                    attendees=[p.email for p in persona.by_relation("colleague")[:3]],
                )
    if "todo" in s:
        world.service_as("todo", Todo).add("Renew gym membership", now + int(rng.integers(3, 20)) * clock.DAY)
    if "notes" in s:
        world.service_as("notes", Notes).add("Groceries", "milk\neggs\ncoffee", time=now - 2 * clock.DAY)
    if "chat" in s:
        for p in persona.by_relation("colleague")[:2]:
            world.service_as("chat", Chat).post_as("general", p.name, "morning all", time=now - clock.DAY)
