"""Camouflage of the personal tables (issue 21 point 2, session 30): contacts, notes, to-dos, calendar.

The background now takes the shapes a family's records have, so form no longer tells them apart:
business cards at companies' ``.example`` domains as numerous as the persona's own people and named
like a family's clients (no pool of long rare names), note and to-do titles as short as a family's
(no dated "Journal 2026-01-12 (3)", no "<project> review - notes"), journal pages, to-dos and
calendar bookings written in waking or office hours, more calls with one colleague.

Each test builds worlds at a level and reads them as an agent could (``Life.is_background`` only
labels the records); the last one runs the camouflage probe on a small sample.
"""

from __future__ import annotations

import statistics

import pytest
from episodes import at_level

from claw_gym import clock

#: families whose worlds plant client cards, notes, to-dos and meetings
FAMILIES = ("customer-escalation", "support-shift", "ticket-deal-risk", "household-day", "meeting-rules", "todo-export")


def _worlds():
    for family in FAMILIES:
        for level in (1, 5):
            for seed in (0, 1):
                yield at_level(family, level, seed).world


@pytest.fixture(scope="module")
def worlds():
    return list(_worlds())


def _night(t: int) -> bool:
    hour = t // clock.HOUR % 24
    return hour < 7 or hour >= 22


def _first_lines(world) -> dict[int, object]:
    out: dict[int, object] = {}
    for e in world.timeline.history + world.timeline.pending:
        if e.record is not None:
            out.setdefault(id(e.record), e)
    return out


def _business(world, background: bool) -> list[dict]:
    """Cards at a company's ``.example`` domain, the background's or the family's."""
    life = world.life
    return [
        p
        for p in world.services["contacts"].table("people").values()
        if life.is_background(p) == background and p["company"] and p["email"].endswith(".example")
    ]


def test_background_business_cards_are_as_many_as_the_persona_s_people(worlds):
    for world in worlds:
        if "contacts" not in world.services:
            continue
        people = len(world.persona.people)
        assert len(_business(world, True)) >= min(12, people - 4), world.task_id


def test_background_business_cards_are_named_like_a_family_s_clients(worlds):
    bg = [len(p["name"]) for w in worlds if "contacts" in w.services for p in _business(w, True)]
    planted = [len(p["name"]) for w in worlds if "contacts" in w.services for p in _business(w, False)]
    assert len(planted) >= 10 and len(bg) >= 100
    assert abs(statistics.mean(bg) - statistics.mean(planted)) < 2.5
    assert sum(n >= 17 for n in bg) / len(bg) < 0.1  # no pool of long rare names ("Bartholomew Oyelaran")


def test_background_note_titles_are_as_short_as_a_family_s(worlds):
    bg, planted = [], []
    for world in worlds:
        if "notes" not in world.services:
            continue
        for r in world.services["notes"].table("notes").values():
            (bg if world.life.is_background(r) else planted).append(r["title"])
    assert len(planted) >= 10
    long_bg = sum(len(t) >= 18 for t in bg) / len(bg)
    long_planted = sum(len(t) >= 18 for t in planted) / len(planted)
    assert long_bg <= long_planted + 0.1
    assert not [t for t in bg if t.startswith("Journal ") or t.endswith(" - notes")]


def test_background_to_dos_are_added_in_waking_hours_and_titled_as_briefly(worlds):
    times, bg, planted = [], [], []
    for world in worlds:
        if "todo" not in world.services:
            continue
        first = _first_lines(world)
        for r in world.services["todo"].table("items").values():
            if world.life.is_background(r):
                bg.append(len(r["title"]))
                e = first.get(id(r))
                if e is not None:
                    times.append(e.time)
            else:
                planted.append(len(r["title"]))
    assert sum(map(_night, times)) / len(times) < 0.03
    assert sum(t % 60 == 0 for t in times) / len(times) < 0.05  # "Pack for <city>" was always on the minute
    assert statistics.mean(bg) - statistics.mean(planted) < 4


def test_background_calendar_has_calls_with_one_person_as_a_family_s_meetings(worlds):
    one, booked = [], []
    for world in worlds:
        if "calendar" not in world.services:
            continue
        first = _first_lines(world)
        for r in world.services["calendar"].table("entries").values():
            if not world.life.is_background(r):
                continue
            one.append(len(r["attendees"]) == 1)
            e = first.get(id(r))
            if e is not None and r["title"] in {"Check-in", "Code review", "Catch-up", "Quick sync", "Focus time"}:
                booked.append(e.time)
    assert sum(one) / len(one) >= 0.25
    assert booked and not [t for t in booked if _night(t)]  # blocks are booked at the desk


@pytest.mark.slow  # a second probe run (test_camouflage holds the default ratchet)
def test_camouflage_probe_personal_tables():
    """The probe on one task per family at level 3 (~15 s): contacts and notes no longer stand out."""
    from claw_gym.runs import camouflage

    rep = camouflage.evaluate(camouflage.collect(None, 1, (3,), 0), 4, 0)
    assert rep.per_table["contacts.people"] <= 0.65
    assert rep.per_table["notes.notes"] <= 0.65
    assert rep.per_table["todo.items"] <= 0.75
