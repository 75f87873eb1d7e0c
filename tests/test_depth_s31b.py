"""Headroom for report-handoff, secret-request and xdev-otp-enrol (issue 21, session 31): searching the
requester by person and every identifier of the matter by text across all services no longer settles levels
4-5. The deciding word comes from someone other than the requester whose say is written in the world (the
Reports/ README's signer, the calendar entry's booker, the network lead an IT notice names), by date or
ordinal only, among the same person's same-shaped lines about other matters (:mod:`claw_gym.envs.kit.oblique`).

Each test builds the task at a level and reads its world the way an agent could, or plays it to its verdict
with actions built from the facts.
"""

from __future__ import annotations

import pytest
from episodes import at_level as _at_level
from episodes import failed as _failed
from episodes import found as _found
from episodes import play as _play

from claw_gym import actions as A
from claw_gym import clock


def _players(env, people: list[str], words: list[str]) -> set[str]:
    """The players' method: each person by person, each identifier by text, across all services."""
    found: set[str] = set()
    for p in people:
        found |= _found(env, person=p)
    for w in words:
        found |= _found(env, text=w)
    return found


def _me(world) -> str:
    """How colleagues @-address the person (the full name when one of their people shares the first)."""
    me = world.persona.me
    return me.name if any(p.first == me.first for p in world.persona.people) else me.first


def _chat(world) -> list[dict]:
    return list(world.services["chat"].table("messages").values())


# ---- report-handoff ------------------------------------------------------------------------------
@pytest.mark.parametrize("level", [4, 5])
def test_report_handoff_the_signer_s_word_names_no_part_of_the_matter_and_the_searches_miss_it(level):
    for seed in range(3):
        env = _at_level("report-handoff", level, seed)
        world, f = env.world, env.scenario.facts
        mails = world.services["workmail"].table("messages")
        ask = mails[f["request"]]
        boss = ask["from"]
        boss_name = next(p.name for p in world.persona.people if p.email == boss)
        signed = world.services["chat"].table("messages")[f["signed"]]
        # the signer's say is written in the folder's README; the line is theirs, in #general
        readme = world.services["files"].find("Reports/README.txt")["content"]
        assert f"{f['signer']} signs off the figures" in readme and signed["sender"] == f["signer"] != boss_name
        assert signed["channel"] == "general" and signed["time"] > ask["time"]
        # by the ask's weekday only: no account, report, file, client or manager named
        day = clock.to_datetime(ask["time"]).strftime("%A")
        text = signed["text"]
        assert f" on {day}:" in text and text.startswith(f"@{_me(world)} ")
        drafts = [p for p in f["reports"] if p not in f["others"] and not p.endswith("README.txt")]
        doc = ask["subject"].split(f["account"] + " ", 1)[1]
        matter = [f["account"], f["account"].split()[0], doc, "report", boss_name, boss_name.split()[0]]
        matter += [p.split("/")[1].split(" ")[0].split(".")[0] for p in drafts]
        body = text[len(f"@{_me(world)} ") :]  # past the "@name" it is addressed to
        assert not [w for w in matter if w.lower() in body.lower()], text
        # the same lines to other colleagues about other days' sends; only one to the person
        same = [m for m in _chat(world) if m["sender"] == f["signer"] and "re what you were asked" in m["text"]]
        assert len(same) >= 3 and [m["id"] for m in same if m["text"].startswith(f"@{_me(world)} ")] == [f["signed"]]
        # the players' method: the manager by person, each identifier by text
        people = [boss_name, boss]
        words = [f["account"], f["account"].split()[0], doc, f["client"], *f["cc"], f["old"] or ""]
        found = _players(env, people, [w for w in words if w])
        assert f["request"] in found and f["signed"] not in found


@pytest.mark.parametrize("level", [4, 5])
def test_report_handoff_the_draft_the_searches_point_to_fails_and_the_signed_one_passes(level):
    env = _at_level("report-handoff", level, seed=2)
    f = env.scenario.facts
    files = env.world.services["files"]
    drafts = [p for p in f["reports"] if p not in f["others"] and not p.endswith("README.txt")]
    newest = max(drafts, key=lambda p: files.find(p)["modified"])
    before = max((p for p in drafts if p != newest), key=lambda p: files.find(p)["modified"])
    # level 4: nothing the searches find holds the newest back; level 5: the manager's DM (found) does
    searched = newest if level == 4 else before
    assert f["latest"] == (before if level == 4 else newest) and f["stale"] == searched
    verdict = _play(env, env.oracle_actions())
    assert verdict["passed"] and not verdict["violations"], verdict
    env.reset(seed=2)
    from claw_gym.envs.report_handoff import stale_oracle

    failed = _failed(_play(env, stale_oracle(env.world, f)))
    assert "client got the latest version attached" in failed


# ---- secret-request ------------------------------------------------------------------------------
@pytest.mark.parametrize("variant", ["sms", "chat"])
@pytest.mark.parametrize("level", [4, 5])
def test_secret_request_the_booker_s_text_names_no_part_of_the_dinner_and_the_searches_miss_it(variant, level):
    from claw_gym.envs.kit.oblique import day_ordinal
    from claw_gym.envs.secret_request import VENUES

    for seed in range(3):
        env = _at_level("secret-request", level, seed, variant=variant)
        world, f = env.world, env.scenario.facts
        persona = world.persona
        entries = [
            e for e in world.services["calendar"].table("entries").values() if e["title"].startswith("Dinner at ")
        ]
        dinner = [e for e in entries if f["organiser"] in e["notes"]]
        assert len(dinner) == 1 and "changes go through them" in dinner[0]["notes"]
        venue = dinner[0]["location"]
        org = next(p for p in persona.people if p.name == f["organiser"])
        assert org.email in dinner[0]["attendees"]
        moved = world.services["sms"].table("messages")[f["moved"]]
        assert moved["number"] == org.phone and moved["direction"] == "in"
        text = moved["body"]
        assert text.startswith(f"re the {day_ordinal(dinner[0]['start'])}: ") and f["asks"][0]["value"] in text
        old = dict(VENUES)[venue]
        assert not [
            w for w in [venue, *venue.split()[-1:], old, "dinner", "saturday", "table for"] if w.lower() in text.lower()
        ]
        # the booker's same-shaped texts about other plans, each on another day
        same = [
            m
            for m in world.services["sms"].table("messages").values()
            if m["number"] == org.phone and m["body"].startswith("re the ")
        ]
        days = [m["body"].split(":")[0] for m in same]
        assert len(same) >= 4 and len(set(days)) == len(days)
        # the players' method: the friends who asked by person, the venue and its street by text
        askers = [p for p in persona.people if p.phone in {a["number"] for a in f["asks"][:1]}]
        people = [p.name for p in askers] + [p.first for p in askers]
        found = _players(env, people, [venue, venue.split()[-1], old, "Saturday", "dinner", "Booking confirmed"])
        assert f["moved"] not in found


def _answer(env, street: str) -> list[str]:
    f = env.scenario.facts
    return [A.api("sms.send", to=a["number"], body=f"It's at {street}!") for a in f["asks"] if a["kind"] == "address"]


@pytest.mark.parametrize("level", [4, 5])
def test_secret_request_the_street_the_searches_find_fails_and_the_booker_s_passes(level):
    from claw_gym.envs.secret_request import MOVED_SMS, VENUES

    env = _at_level("secret-request", level, seed=1)
    f = env.scenario.facts
    verdict = _play(env, env.oracle_actions())
    assert verdict["passed"] and not verdict["violations"], verdict
    env.reset(seed=1)
    world = env.world
    dinner = next(
        e for e in world.services["calendar"].table("entries").values() if f["organiser"] in e.get("notes", "")
    )
    venue = dinner["location"]
    street = dict(VENUES)[venue]  # the confirmation's street
    if level == 5:  # the venue's own move text, found by its name
        head = MOVED_SMS.split("{street}")[0].split("{month}")[0]
        moves = [m for m in world.services["sms"].table("messages").values() if m["body"].startswith(head)]
        street = next(m for m in moves if m["body"].endswith(venue))["body"].split(" at ")[1].split(" - ")[0]
    assert street != f["asks"][0]["value"]
    time_answers = [
        A.api("sms.send", to=a["number"], body=f"It starts at {a['value']}.") for a in f["asks"] if a["kind"] == "time"
    ]
    failed = _failed(_play(env, [*_answer(env, street), *time_answers]))
    assert failed and all("with the address" in n for n in failed)


# ---- xdev-otp-enrol ------------------------------------------------------------------------------
@pytest.mark.parametrize("level", [4, 5])
def test_otp_enrol_the_network_lead_s_line_names_no_part_of_the_enrolment_and_the_searches_miss_it(level):
    for seed in range(3):
        env = _at_level("xdev-otp-enrol", level, seed)
        world, f = env.world, env.scenario.facts
        placed = world.services["chat"].table("messages")[f["placed"]]
        assert placed["sender"] == f["network"] and placed["channel"] == "general"
        text = placed["text"]
        assert text.startswith(f"@{_me(world)} re the second point of IT's mail of ") and f["gateway"] in text
        tickets = world.services["helpdesk"].table("tickets")
        it = tickets[f["ticket"]]["requester"]
        matter = ["vpn", "gateway", "laptop", "enrol", "ticket", "code", *f["devices"], f["ticket"], f["announced"]]
        assert not [w for w in matter if w.lower() in text.lower()], text
        # the reference resolves to exactly one notice, whose second point moves laptops and names the lead
        date = text.split("IT's mail of ")[1].split(":")[0]
        notices = [
            m
            for m in world.services["workmail"].table("messages").values()
            if m["from"] == it and clock.to_datetime(m["time"]).strftime("%-d %B") == date
        ]
        assert len(notices) == 1
        second = [ln for ln in notices[0]["body"].split("\n") if ln.startswith("- ")][1]
        assert second.startswith("- Laptops connect through ") and f"{f['network']} (network ops)" in second
        assert notices[0]["time"] < placed["time"] < world.clock.now
        # the same lines to other colleagues about other notices' points; only one to the person
        same = [m for m in _chat(world) if m["sender"] == f["network"] and " point of IT's mail of " in m["text"]]
        assert len(same) >= 3
        assert [m["id"] for m in same if m["text"].startswith(f"@{_me(world)} ")] == [f["placed"]]
        # the players' method: IT by person, each identifier by text
        people = ["IT Service Desk", it]
        words = [*f["devices"], f["ticket"], "vpn", "gateway", "enrol", f["announced"], f["announced"].split(".")[0]]
        found = _players(env, people, words)
        assert f["ticket"] in found and f["placed"] not in found


@pytest.mark.parametrize("level", [4, 5])
def test_otp_enrol_the_announced_gateway_fails_and_the_lead_s_passes(level):
    from claw_gym.envs.xdev_otp_enrol import CONF, render

    env = _at_level("xdev-otp-enrol", level, seed=2)
    f = env.scenario.facts
    verdict = _play(env, env.oracle_actions())
    assert verdict["passed"] and not verdict["violations"], verdict

    def enrol(gateway: str) -> list[str]:
        conf = render({**f["values"], "enrol_code": f["code"], "gateway": gateway})
        return [A.api("files.write", path=CONF, content=conf), A.api("helpdesk.comment", id=f["ticket"], text="Done.")]

    for wrong in (f["announced"], f["values"]["gateway"]):  # the IT notice's (or its correction's), and the old
        env.reset(seed=2)
        assert _failed(_play(env, enrol(wrong))) == ["the gateway is the laptops' current one"]
    env.reset(seed=2)
    verdict = _play(env, enrol(f["gateway"]))
    assert verdict["passed"] and not verdict["violations"], verdict
