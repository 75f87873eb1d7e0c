"""The person whose life the world simulates, and the people around them.

Names, numbers and addresses are drawn from small fixed pools with the world's own
generator, so a seed always yields the same cast.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

FIRST = [
    "Ana",
    "Ben",
    "Chloe",
    "Dev",
    "Elena",
    "Farid",
    "Grace",
    "Hiro",
    "Ines",
    "Jonas",
    "Kemi",
    "Lars",
    "Maya",
    "Nikhil",
    "Olga",
    "Pablo",
    "Quinn",
    "Rosa",
    "Sami",
    "Tara",
    "Umar",
    "Vera",
    "Wei",
    "Ximena",
    "Yusuf",
    "Zoe",
    "Amir",
    "Bianca",
    "Carlos",
    "Dana",
    "Emeka",
    "Freya",
    "Gus",
    "Hana",
    "Ivan",
    "Julia",
    "Kai",
    "Lena",
    "Marco",
    "Nora",
    "Oscar",
    "Priya",
    "Rafael",
    "Sofia",
    "Tomas",
    "Uma",
    "Viktor",
    "Yara",
]
LAST = [
    "Ruiz",
    "Okafor",
    "Lindqvist",
    "Patel",
    "Moreau",
    "Haddad",
    "Kowalski",
    "Tanaka",
    "Silva",
    "Berg",
    "Adeyemi",
    "Novak",
    "Fischer",
    "Rossi",
    "Nguyen",
    "Costa",
    "Murphy",
    "Schmidt",
    "Yamamoto",
    "Dubois",
    "Kaur",
    "Larsen",
    "Ibrahim",
    "Petrov",
    "Garcia",
    "Chen",
    "Walsh",
    "Meyer",
    "Santos",
    "Ahmed",
]
CITIES = [
    ("Lisbon", "Rua das Flores"),
    ("Berlin", "Torstrasse"),
    ("Toronto", "Queen St W"),
    ("Melbourne", "Smith St"),
    ("Austin", "Congress Ave"),
    ("Dublin", "Camden St"),
    ("Oslo", "Markveien"),
    ("Lyon", "Rue Mercière"),
]
EMPLOYERS = [
    ("Northwind Analytics", "northwind.io"),
    ("Bluefin Robotics", "bluefin.ai"),
    ("Larkspur Health", "larkspur.health"),
    ("Quarry Labs", "quarrylabs.com"),
    ("Tidewater Logistics", "tidewater.co"),
    ("Helios Energy", "helios-energy.com"),
]
MAIL_DOMAINS = ["mailbox.org", "fastmail.com", "posteo.net", "proton.me", "gmx.net"]
RELATIONS_FAMILY = ["partner", "mother", "father", "sister", "brother"]


@dataclass(frozen=True)
class Person:
    name: str
    email: str
    phone: str
    relation: str  # "self", "partner", "colleague", "manager", "friend", "vendor", ...
    company: str = ""

    @property
    def first(self) -> str:
        return self.name.split()[0]


@dataclass
class Persona:
    me: Person
    city: str
    street: str
    employer: str
    work_domain: str
    people: list[Person] = field(default_factory=list)

    def by_relation(self, relation: str) -> list[Person]:
        return [p for p in self.people if p.relation == relation]

    def called(self, person: Person) -> str:
        """How the person names them in a note or a message: the first name, or the full name when
        another of their people shares it ("tell Ximena" with two Ximenas names nobody)."""
        return person.first if sum(p.first == person.first for p in self.people) == 1 else person.name

    def find(self, name: str) -> Person | None:
        return next((p for p in self.people if p.name == name), None)


def _phone(rng: np.random.Generator) -> str:
    return f"+1 555 {int(rng.integers(100, 999))} {int(rng.integers(1000, 9999))}"


@lru_cache(maxsize=1)
def _all_names() -> tuple[str, ...]:
    """Every first x last name pair (built once: it was 8% of a reset)."""
    return tuple(f"{f} {last}" for f in FIRST for last in LAST)


def make_persona(rng: np.random.Generator, n_colleagues: int = 6, n_friends: int = 5) -> Persona:
    """Draw a person, their employer, family, colleagues and friends (all distinct names)."""
    names = _all_names()
    order = rng.permutation(len(names))
    pool = iter(names[i] for i in order)
    city, street = CITIES[int(rng.integers(len(CITIES)))]
    employer, domain = EMPLOYERS[int(rng.integers(len(EMPLOYERS)))]

    def mk(relation: str, work: bool) -> Person:
        name = next(pool)
        local = name.lower().replace(" ", ".")
        dom = domain if work else MAIL_DOMAINS[int(rng.integers(len(MAIL_DOMAINS)))]
        return Person(name, f"{local}@{dom}", _phone(rng), relation, employer if work else "")

    me = mk("self", False)
    people = [mk(RELATIONS_FAMILY[int(rng.integers(len(RELATIONS_FAMILY)))], False)]
    people.append(mk("manager", True))
    people += [mk("colleague", True) for _ in range(n_colleagues)]
    people += [mk("friend", False) for _ in range(n_friends)]
    return Persona(
        me=me,
        city=city,
        street=f"{int(rng.integers(1, 200))} {street}",
        employer=employer,
        work_domain=domain,
        people=people,
    )
