"""Headroom for xdev-missed-call, phone-sms-device-contact and xdev-signature-contact (issue 21, session 32): the
players' method (search the requester or sender by person, every identifier of the matter by text, "from now on",
"after all") no longer settles levels 4-5. Someone whose say is written in the world (the callbacks list's header,
the codes page, her signature) settles the matter in oblique words (the minute a call came in, the day of a text,
the kind and date of a file) among their same-shaped lines about other matters.

Each test builds the task at a level and reads its world the way an agent could, or plays it to its verdict with
actions built from the facts.
"""

from __future__ import annotations

import re

import pytest
from episodes import at_level as _at_level
from episodes import failed as _failed
from episodes import found, search
from episodes import play as _play

from claw_gym import actions as A
from claw_gym import clock
from claw_gym.envs import xdev_missed_call as MC
from claw_gym.envs import xdev_signature_contact as SC

PHRASES = ("from now on", "after all")


def _lands(env, record: str, *, texts: list[str], people: list[str]) -> list[str]:
    """The players' searches that return ``record`` (a phrase counts only when the hit's text holds it)."""
    out = [t for t in texts if record in {h.get("record") for h in search(env, t)}]
    out += [p for p in people if record in found(env, person=p)]
    for phrase in PHRASES:
        if any(h.get("record") == record and phrase in h["text"].lower() for h in search(env, phrase)):
            out.append(phrase)
    return out


# ---- xdev-missed-call ------------------------------------------------------------------------------
def _after_the_calls(env) -> None:
    f = env.scenario.facts
    env.step(A.wait(f["last"] - env.world.clock.now + 75 * clock.MINUTE, wake=False))  # and the one after it


@pytest.mark.parametrize("level", [4, 5])
def test_missed_call_the_returner_s_text_is_found_by_no_search_and_names_one_call(level):
    for seed in range(3):
        env = _at_level("xdev-missed-call", level, seed)
        f = env.scenario.facts
        world = env.world
        header = world.services["files"].find(MC.LIST)["content"]
        helper = world.persona.find(f["returner"])
        assert world.persona.called(helper) in header and "tick that line off" in header  # whose say, written
        _after_the_calls(env)
        texts = world.services["sms"].table("messages")
        msg = texts[f["returned_msg"]]
        assert msg["number"] == helper.phone and msg["body"] == f["returned_line"]
        # names no one and no number: the minute it came in only
        callers = [f["name"], f["again"], f["silent"], *f["callers"]]
        low = msg["body"].lower()
        assert not [c for c in callers if c.lower() in low or c.split()[0].lower() in low.split()]
        assert not re.search(r"\d{3} \d{4}", msg["body"]) and "fundraiser" not in low
        # among the same person's same-shaped texts about other things
        theirs = [m for m in texts.values() if m["number"] == helper.phone and m["body"].startswith("re the ")]
        assert len(theirs) >= 4
        # "the call that came in at HH:MM" (today) is exactly one call: the listed caller's
        hhmm = re.search(r"at (\d\d:\d\d):", msg["body"]).group(1)
        day = clock.day_start(msg["time"])
        calls = [
            c
            for c in world.services["phone"].table("calls").values()
            if clock.day_start(c["time"]) == day and clock.fmt(c["time"])[-5:] == hhmm
        ]
        again = world.persona.find(f["again"])
        assert len(calls) == 1 and calls[0]["number"] == again.phone and calls[0]["time"] < msg["time"]
        found = _lands(
            env,
            f["returned_msg"],
            texts=[f["name"], f["again"], f["number"], again.phone, "fundraiser", f["saved_number"]],
            people=[f["name"], f["again"], f["silent"]],
        )
        assert not found, (seed, found)


@pytest.mark.parametrize("level", [4, 5])
def test_missed_call_leaving_the_listed_line_open_fails_and_ticking_it_passes(level):
    env = _at_level("xdev-missed-call", level, 1)
    f = env.scenario.facts
    steps = MC.oracle(env.world, f)
    verdict = _play(env, steps)
    assert verdict["passed"] and not verdict["violations"], verdict
    env.reset(seed=1)
    before = MC.oracle(env.world, {k: v for k, v in f.items() if k != "returned_line"})  # the line left open
    told = [f"{f['returner']} was texted back after their text"] if level == 5 else []
    assert _failed(_play(env, before)) == [f"{f['again']}'s line is ticked off", *told]
    env.reset(seed=1)  # ticking it with a note after it is fine too
    edit = f"s#^- \\[ \\] {f['again']} |\\(.*\\)$#- [x] {f['again']} |\\1 (rang back)#"
    back = [A.api("sms.send", to=f["returner_phone"], body="Ticked, thanks.")] if level == 5 else []
    noted = [*before[:-1], A.shell(f"sed -i '{edit}' ~/{MC.LIST}"), *back, before[-1]]
    verdict = _play(env, noted)
    assert verdict["passed"], verdict


# ---- phone-sms-device-contact ----------------------------------------------------------------------
@pytest.mark.parametrize("level", [4, 5])
@pytest.mark.parametrize("variant", ["code", "reply"])
def test_device_code_the_landlord_s_undo_is_found_by_no_search_and_names_one_reply(variant, level):
    for seed in range(3):
        env = _at_level("phone-sms-device-contact", level, seed, variant)
        world, f = env.world, env.scenario.facts
        texts = world.services["sms"].table("messages")
        undo = texts[f["undone"]["msg"]]
        assert undo["number"] == f["partner"] and undo["body"] == f["undone"]["line"]
        # the codes page says whose word goes on the codes, written before
        page = world.services["notes"].table("notes")[f["note"]]
        landlord_first = f["landlord"].split()[0]
        assert f"{landlord_first} (landlord) sets the lock codes" in page["body"]
        assert page["updated"] < undo["time"]
        # names no code and no lock
        low = undo["body"].lower()
        assert not re.search(r"\d{4,}", undo["body"]) and "code" not in low
        assert not set(f["what"].lower().split()) & set(re.findall(r"[a-z]+", low))
        # "my text of <day>" is one reply: the one that carried the now stale code
        day = re.search(r"my text of (\d+ \w+):", undo["body"]).group(1)
        same_day = [
            m
            for m in texts.values()
            if m["number"] == f["partner"]
            and m["direction"] == "in"
            and f"{clock.to_datetime(m['time']).day} {clock.to_datetime(m['time']):%B}" == day
        ]
        assert len(same_day) == 1 and f["stale"] in same_day[0]["body"] and same_day[0]["time"] == f["depth"]["at"]
        # the code that holds is the page's, and no text carries it
        assert f["code"] in page["body"] and not [m for m in texts.values() if f["code"] in m["body"]]
        # among the landlord's same-shaped texts about other matters
        assert len([m for m in texts.values() if m["number"] == f["partner"] and m["body"].startswith("re ")]) >= 4
        found = _lands(
            env,
            f["undone"]["msg"],
            texts=[f["first"], f["name"], f["what"], "code", f["stale"], f["code"]],
            people=[f["name"], f["first"]],
        )
        assert not found, (seed, found)


@pytest.mark.parametrize("level", [4, 5])
@pytest.mark.parametrize("variant", ["code", "reply"])
def test_device_code_texting_the_changed_code_fails_and_the_page_s_code_passes(variant, level):
    env = _at_level("phone-sms-device-contact", level, 2, variant)
    f = env.scenario.facts
    verdict = _play(env, env.oracle_actions())
    assert verdict["passed"] and not verdict["violations"], verdict
    # the pre-change answer: the code in the landlord's reply to the first ask (the thread's order)
    texts = sorted(env.world.services["sms"].table("messages").values(), key=lambda m: m["time"])
    first_reply = next(m for m in texts if m["number"] == f["partner"] and m["direction"] == "in")
    changed = re.search(r"\d{5}", first_reply["body"]).group(0)
    env.reset(seed=2)
    send = [A.api("sms.send", to=f["number"], body=f"Hi {f['first']}, it's {changed}."), A.finish("Sent.")]
    assert _failed(_play(env, send)) == ["the code was texted to the contact saved on the phone"]


# ---- xdev-signature-contact ------------------------------------------------------------------------
def _files(env) -> dict[str, dict]:
    f = env.scenario.facts
    return {p: env.world.services["files"].find(p) for p in f["docs"]}


@pytest.mark.parametrize("level", [4, 5])
@pytest.mark.parametrize("variant", ["docs", "mails"])
def test_signature_the_colleague_s_word_names_one_file_and_no_search_lands_on_it(variant, level):
    for seed in range(3):
        env = _at_level("xdev-signature-contact", level, seed, variant)
        f = env.scenario.facts
        files = _files(env)
        word = files[f["loaner_file"]]["content"]
        assert f["loaner_line"] in word and f["mate"] in word
        # her files' signatures say he keeps her team's contact details; all are older than his
        dated = {p: re.search(r"Date: (\S+)", r["content"]).group(1) for p, r in files.items()}
        hers = [p for p, r in files.items() if f"\n{f['name']}\n" in r["content"]]
        assert len(hers) == 3
        assert all(f"{f['mate']} keeps them current" in files[p]["content"] for p in hers)
        assert all(dated[p] < dated[f["loaner_file"]] for p in hers)
        # the line names neither her nor any number
        line = f["loaner_line"]
        assert not re.search(r"\d{3} \d{4}", line)
        assert not [n for n in f["name"].split() + f["twin"].split() if n in line]
        # "the <kind> dated <Day DD Mon>" is one file: hers, with the loaner's number
        kind, when = re.match(r"re the (.+) dated (\w{3} \d\d \w{3}):", line).groups()
        match = [
            p
            for p, d in dated.items()
            if f"{clock.to_datetime(clock.parse_time(d)):%a %d %b}" == when
            and (variant == "mails" or kind == files[p]["content"].split("\n")[0][2:].lower())
        ]
        assert match and len(match) == 1 and match[0] in hers and f["loaner"] in files[match[0]]["content"]
        # the number she used just before it is the interim one: the answer
        before = max((dated[p], p) for p in hers if dated[p] < dated[match[0]])[1]
        assert f["new"] in files[before]["content"] and dated[before] == clock.fmt_date(f["decided_at"])
        # no search on her, the company's names or any number lands on his word
        ids = {files[f["loaner_file"]]["id"]}
        for q in [f["name"], f["name"].split()[0], f["new"], f["loaner"], f["old"], *PHRASES]:
            hits = search(env, q)
            assert not ids & {h.get("record") for h in hits}, (seed, q)
        # nor does a grep of the laptop by her name or a number
        for q in [f["name"], f["new"], f["loaner"], f["old"]]:
            assert q not in word, (seed, q)


@pytest.mark.parametrize("level", [4, 5])
@pytest.mark.parametrize("variant", ["docs", "mails"])
def test_signature_the_newest_signature_s_number_fails_and_the_interim_passes(variant, level):
    env = _at_level("xdev-signature-contact", level, 1, variant)
    f = env.scenario.facts
    verdict = _play(env, SC.oracle(env.world, f))
    assert verdict["passed"] and not verdict["violations"], verdict
    env.reset(seed=1)
    verdict = _play(env, SC.oracle(env.world, {**f, "new": f["loaner"]}))  # the pre-change answer
    assert "the phone contact has the newest number" in _failed(verdict)
    assert "a text went to the new number" in _failed(verdict) and "no text to another number" in _failed(verdict)
    assert "latest" not in env.scenario.instruction and "newer" not in env.scenario.instruction


@pytest.mark.parametrize("level", [4, 5])
def test_missed_call_ticking_the_line_before_the_text_came_is_a_guess(level):
    env = _at_level("xdev-missed-call", level, 0)
    f = env.scenario.facts
    done = f["original"].replace(f["open_line"], "- [x]" + f["open_line"].removeprefix("- [ ]"))
    early = f["last"] + 60  # the calls are in, the text is not
    assert early < f["returned_at"]
    steps = [A.wait(early - env.world.clock.now, wake=False), A.api("files.write", path=MC.LIST, content=done)]
    steps += [A.wait(f["returned_at"] - early + 60, wake=False), *MC.oracle(env.world, f)[1:]]
    assert _failed(_play(env, steps)) == [f"{f['again']}'s line is ticked off"]


def test_missed_call_level_5_the_header_asks_for_a_word_back_to_the_one_who_returned_the_call():
    env = _at_level("xdev-missed-call", 5, 2)
    f = env.scenario.facts
    header = env.world.services["files"].find(MC.LIST)["content"]
    assert f["tell_returner"] and "back that it's off the list" in header
    verdict = _play(env, MC.oracle(env.world, f))
    assert verdict["passed"] and not verdict["violations"], verdict
    env.reset(seed=2)  # the list ticked, but no word back
    assert _failed(_play(env, MC.oracle(env.world, {**f, "tell_returner": False}))) == [
        f"{f['returner']} was texted back after their text"
    ]
    env.reset(seed=2)  # a text through the API counts as well as one from the phone
    steps = MC.oracle(env.world, {**f, "tell_returner": False})
    steps[-1:-1] = [A.api("sms.send", to=f["returner_phone"], body="Done, it's ticked.")]
    verdict = _play(env, steps)
    assert verdict["passed"] and not verdict["violations"], verdict
    # level 4 asks for no word back
    assert not _at_level("xdev-missed-call", 4, 2).scenario.facts["tell_returner"]
