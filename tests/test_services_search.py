"""events.search reads a record's full text, not only its ~60-character event line (issue 21, players).

A chat message whose decisive words come late ("... the handbook says 25 EUR") must be found by
those words; the phone's own records stay on the phone; an edit to a record is seen by the next
search (the index keys on the services' versions); ``person`` still means the event's person.
"""

from __future__ import annotations

import pytest

from claw_gym import clock
from claw_gym.events import Event
from claw_gym.persona import make_persona
from claw_gym.services import ServiceError
from claw_gym.tasks.build import start_time
from claw_gym.world import World

LONG = (
    "Morning all, quick reminder about the offsite logistics for next week: trains leave at 08:10 "
    "and per the travel handbook the meal allowance is 25 EUR a day, receipts in the claim."
)


def small_world() -> World:
    w = World("search-probe", 0, ("chat", "notes", "phone", "mail"), start_time(11))
    w.persona = make_persona(w.rng)
    t = w.clock.now - 3 * clock.DAY
    rec = {"time": t, "channel": "general", "sender": "Ana Novak", "text": LONG}
    w.schedule(
        Event(t, "chat", "chat.message", f"#general Ana Novak: {LONG[:60]}", "messages", rec, person="Ana Novak")
    )
    note = {"time": t + 60, "title": "Trip", "body": "pack the charger", "folder": "home"}
    w.schedule(Event(t + 60, "notes", "note.created", "note: Trip", "notes", note))
    card = {"time": t + 120, "app": "Bank", "title": "Code", "text": "your code 918273", "actions": []}
    card |= {"dismissed": False, "response": None}
    w.schedule(Event(t + 120, "phone", "notification", "Bank notification", "notifications", card))
    return w


def ids(w: World, **q: object) -> list[str]:
    return [x["id"] for x in w.call("events.search", dict(q))["items"]]


def test_a_word_late_in_a_message_is_found_and_all_words_must_match():
    w = small_world()
    chat_event = w.timeline.history[0].id
    assert "handbook" not in w.timeline.history[0].text  # the line stops before it
    assert ids(w, text="handbook") == [chat_event]
    assert ids(w, text="25 EUR") == [chat_event]
    assert ids(w, text="handbook receipts", service="chat") == [chat_event]
    assert ids(w, text="handbook charger") == []  # every word, in the same event
    assert ids(w, text="handbook", service="notes") == []


def test_the_phone_own_records_are_not_searched_from_other_doors():
    w = small_world()
    assert ids(w, text="918273") == []
    assert len(ids(w, text="bank notification")) == 1  # its event line still is


def test_an_edited_record_is_seen_by_the_next_search():
    w = small_world()
    assert ids(w, text="passport") == []
    notes = w.services["notes"]
    note = next(iter(notes.table("notes").values()))
    notes.modify(note, body="pack the charger and the passport")
    assert len(ids(w, text="passport")) == 1


def test_person_matches_the_event_not_words_in_the_record():
    w = small_world()
    assert len(ids(w, person="Ana Novak")) == 1
    assert ids(w, person="handbook") == []


def test_text_that_lower_case_lengthens_does_not_shift_later_events():
    w = small_world()
    t = w.clock.now - clock.HOUR
    for i, text in enumerate(("İİİİ İstanbul plans", "the quarterly numbers are in")):
        rec = {"time": t + i, "channel": "general", "sender": "Bo", "text": text}
        w.schedule(Event(t + i, "chat", "chat.message", f"#general Bo: {i}", "messages", rec, person="Bo"))
    found = w.call("events.search", {"text": "quarterly"})["items"]
    assert [x["text"] for x in found] == ["#general Bo: 1"]
    assert len(ids(w, text="İstanbul plans")) == 1  # the query is lower-cased the same way


def test_limit_out_of_range_is_refused():
    w = small_world()
    with pytest.raises(ServiceError, match="between 1 and 200"):
        w.call("events.search", {"text": "x", "limit": 500})
