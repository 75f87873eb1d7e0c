"""Fixes found by honest play in session 30 (issue 21): what a player saw that the background never shows."""

from __future__ import annotations

import re
from collections import Counter

import gymnasium as gym
import pytest

import claw_gym


def _notifications(world) -> Counter:
    """(app, text, time) of every phone notification, stored or still to come."""
    recs = list(world.services["device"].table("log").values())
    recs += [e.record for e in world.timeline.pending if e.service == "device" and e.record is not None]
    return Counter((r.get("app"), r.get("text"), r.get("time")) for r in recs if r.get("kind") == "notification")


@pytest.mark.parametrize("family", ["phone-missed-call", "phone-dnd-meeting", "phone-setting-notification"])
def test_a_text_still_to_come_gets_one_messages_notification_not_two(family):
    # A family's arrival already had its push scheduled; the blending pass counted only stored pushes and
    # added a second one at the same second: two identical Messages lines, a tell no background text has.
    for level in range(1, 6):
        spec = claw_gym.catalog(family=family, difficulty=level, split=["train", "test", "heldout"])[0]
        env = gym.make(spec.env_id).unwrapped
        env.reset(seed=8)
        twice = [k for k, n in _notifications(env.world).items() if n > 1]
        assert not twice, (spec.task_id, twice[:2])


def test_events_search_reads_a_ticket_s_comments():
    # A fact a colleague wrote in a ticket's comment was invisible to the history search, which read
    # strings in a record's lists but not the fields of the records in them.
    env = gym.make("ClawAnything/vip-ticket-urgent-0000-v0").unwrapped
    env.reset(seed=0)
    world = env.world
    tickets = world.services["helpdesk"].table("tickets")
    tid = next(iter(tickets))
    world.call("helpdesk.comment", {"id": tid, "text": "escalated to quillbrook support", "public": False})
    hits = world.call("events.search", {"text": "quillbrook", "service": "helpdesk"})
    assert hits["total"] >= 1 and {i["record"] for i in hits["items"]} == {tid}, hits


@pytest.mark.parametrize(
    "text,asked",
    [
        ("Moved to 17:30 (17:30-18:30) instead of 16:00.", {"17:30"}),  # the slot's end is no second time
        ("See you at 17:30 to 18:30 on Monday.", {"17:30"}),
        ("17:30 or 18:30, whichever suits", {"17:30", "18:30"}),  # a hedge stays a hedge
        ("17:30-18:30 or 19:00", {"17:30", "19:00"}),
        ("at 17:30, not 16:00", {"17:30"}),
    ],
)
def test_a_reply_giving_the_slot_s_end_names_one_time(text, asked):
    # Honest play (inbox-day): "17:30 (17:30-18:30)" failed "names no other time" for its 18:30.
    from claw_gym.tasks import values

    assert values.asked_values(text, values.times_in(text)) == asked


def _planted_notes(world) -> list[dict]:
    return [r for s, t, r in world.life.planted() if s == "notes" and t == "notes"]


@pytest.mark.parametrize("family", ["venue-cancel", "meeting-rules", "phone-missed-call"])
def test_rule_pages_have_background_pages_of_their_shape_and_filing(family):
    # Honest play: a rule note was the only "Misc" page of "- " lines, or a "Gift ideas" filed under work
    # where the background's running notes are never filed; a search for "never" found only the rule.
    from claw_gym.life.corpus import JOT_TITLES
    from claw_gym.life.threads import NOTE_TITLES

    titles = {t for kind in JOT_TITLES.values() for t in kind}
    imperative: list[dict] = []
    for level in (2, 4, 5):
        spec = claw_gym.catalog(family=family, difficulty=level, split=["train", "test", "heldout"])[0]
        env = gym.make(spec.env_id).unwrapped
        env.reset(seed=9)
        mine = {id(r) for r in _planted_notes(env.world)}
        background = [r for r in env.world.services["notes"].table("notes").values() if id(r) not in mine]
        pages = [r for r in background if r["title"] in titles and str(r["body"]).startswith("- ")]
        assert len(pages) >= 2, spec.task_id
        imperative += [r for r in pages if re.search(r"(?m)^- (never|always|if anyone)", str(r["body"]), re.I)]
        for r in _planted_notes(env.world):
            if r["title"] in NOTE_TITLES:  # a running note, filed as the background's are
                assert r.get("folder", "") == "", (spec.task_id, r["title"], r["folder"])
    assert imperative  # "never" and "always" lines are no sign of a rule


def test_strangers_announce_a_new_number_in_more_than_one_way():
    # Honest play: background "new number" texts always read "Hey it's X, new number! Save this one.",
    # so a task's own new-number text, worded otherwise, stood out.
    from claw_gym.life.recent import STRANGER_TEXTS

    announcing = [t for t in STRANGER_TEXTS if "number" in t and "wrong number" not in t]
    assert len(announcing) >= 4 and len({t.split()[0] for t in announcing}) >= 3


@pytest.mark.parametrize("family", ["trip-expenses", "trip-prep"])
def test_no_background_trip_overlaps_the_family_s_own(family):
    # A background "Trip to Barcelona" from 22 to 25 April overlapped the task's Dublin trip of 22 to 24
    # April: two cities at once, and the trip's charges could belong to either.
    from claw_gym.life import AWAY

    for level in (1, 4, 5):
        for seed in range(3):
            spec = claw_gym.catalog(family=family, difficulty=level, split=["train", "test", "heldout"])[0]
            env = gym.make(spec.env_id).unwrapped
            env.reset(seed=seed)
            life = env.world.life
            entries = env.world.services["calendar"].table("entries").values()
            rows = [r for r in entries if r["end"] - r["start"] >= AWAY]
            theirs = [r for r in rows if not life.is_background(r)]
            for r in rows:
                if life.is_background(r):
                    assert not [t for t in theirs if r["start"] < t["end"] and t["start"] < r["end"]], (
                        spec.task_id,
                        seed,
                        r["title"],
                    )
