"""A person a rule or a request names is one person: the first name, or the full name when another of
the persona's people shares it (honest play found "tell Ximena" with two Ximenas, twice)."""

from __future__ import annotations

import re

import pytest

import claw_gym
from claw_gym.env import ClawEnv
from claw_gym.persona import Person, Persona


def test_called_is_the_first_name_unless_another_person_shares_it():
    me = Person("Ana Ruiz", "ana@x.example", "+1 555 000 0000", "self")
    a = Person("Ximena Petrov", "xp@x.example", "+1 555 000 0001", "sister")
    b = Person("Ximena Rossi", "xr@x.example", "+1 555 000 0002", "colleague")
    c = Person("Omar Haddad", "oh@x.example", "+1 555 000 0003", "friend")
    persona = Persona(me, "Berlin", "Main St", "Acme", "acme.example", [a, b, c])
    assert persona.called(c) == "Omar"
    assert persona.called(a) == "Ximena Petrov" and persona.called(b) == "Ximena Rossi"


def _named(persona: Persona, text: str, person: Person) -> bool:
    """``text`` names ``person`` and nobody else of the persona's people."""
    matches = [
        p
        for p in persona.people
        if re.search(rf"\b{re.escape(p.name)}\b", text)
        or (re.search(rf"\b{re.escape(p.first)}\b", text) and persona.called(p) == p.first)
    ]
    return matches == [person] or (person in matches and all(q.first != person.first for q in matches if q != person))


@pytest.mark.parametrize(
    ("family", "marker", "who"),
    [
        ("address-update", "keeps our card list", lambda f: f["keeper_name"]),
        ("vip-ticket", "look after those", lambda f: f.get("owner")),
    ],
)
def test_the_person_a_rule_names_is_one_person(family, marker, who):
    seen = 0
    specs = [s for s in claw_gym.catalog(family=family, split=["train", "test", "heldout"]) if s.difficulty >= 4]
    for spec in specs[:8]:
        env = ClawEnv(spec.task_id)
        env.reset(seed=spec.number % 3)
        world, facts = env.world, env.scenario.facts
        persona = world.persona
        name = who(facts)
        texts = [n["body"] for n in world.services["notes"].table("notes").values()]
        texts += (
            [m["text"] for m in world.services["chat"].table("messages").values()] if "chat" in world.services else []
        )
        lines = [ln for t in texts for ln in t.splitlines() if marker in ln]
        env.close()
        if not name or not lines or persona is None:
            continue
        person = next(p for p in persona.people if name in (p.name, p.email))
        assert any(_named(persona, ln, person) for ln in lines), (spec.task_id, name, lines)
        seen += 1
    assert seen >= 3, seen
