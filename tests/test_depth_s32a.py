"""Headroom for backup-alert, config-fix and downloads-cleanup at levels 4-5 (issue 21, session 32): the players'
method (search the requester and every identifier of the matter on every service, "from now on", "after all")
no longer settles them. The deciding change comes from someone whose say is written in the world (the backup
server's owner, named in IT's mail or the setup note), and it names the matter only by the date of the record
it changes, among the same person's same-shaped lines about other matters.

Each test builds the task at a level and reads its world the way an agent could, or plays it to its verdict
with actions built from the facts.
"""

from __future__ import annotations

import json
import re

import pytest
from episodes import at_level as _at_level
from episodes import failed as _failed
from episodes import play as _play
from episodes import search

from claw_gym import actions as A
from claw_gym import clock
from claw_gym.envs.kit import oblique, syncd

LEVELS = [4, 5]
VARIANTS = ["port", "retention", "path"]
SYNCD = ["backup-alert", "config-fix"]  # the same kit


# ---- backup-alert and config-fix (the syncd kit) --------------------------------------------------------
def _requester(env) -> list[str]:
    """Who raised the matter, as an agent would search them: IT's ticket's sender by address and name
    (config-fix), the backup monitor (backup-alert)."""
    f, world = env.scenario.facts, env.world
    if "ticket" in f:
        local = world.services["helpdesk"].table("tickets")[f["ticket"]]["requester"].split("@")[0]
        return [local, local.replace(".", " "), local.split(".")[0]]
    return ["backup-monitor"]


def _identifiers(env) -> list[str]:
    """Every identifier of the matter an agent has from the log, the config, the trigger and the record it finds."""
    f, world = env.scenario.facts, env.world
    conf = world.services["files"].find(syncd.CONF)["content"]
    broken = re.search(rf"(?m)^{f['key']} = (.*)$", conf).group(1)
    ids = [f["key"], broken, f["said"], "syncd", "backup", f["good"]["host"], "syncd.conf", "syncd.log"]
    return ids + [f[k] for k in ("ticket", "alert") if k in f] + ["from now on", "after all"]


def _found(env, text: str = "", person: str = "") -> set[str]:
    if person:
        hits, cursor = [], 0
        while True:
            obs, *_ = env.step(A.api("events.search", person=person, limit=40, cursor=cursor))
            page = json.loads(obs["result"])
            hits += page["items"]
            cursor = page.get("next_cursor") or 0
            if not cursor:
                break
    else:
        hits = search(env, text)
    return {h["record"] for h in hits}


@pytest.mark.parametrize("family", SYNCD)
@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("level", LEVELS)
def test_syncd_the_players_searches_miss_the_owner_s_word(family, variant, level):
    for seed in range(2):
        env = _at_level(family, level, seed, variant=variant)
        word = env.scenario.facts["word"]
        for who in _requester(env):
            assert word["msg"] not in _found(env, person=who), who
        for text in _identifiers(env):
            assert word["msg"] not in _found(env, text), text


def _time(rec: dict) -> int:
    return int(rec.get("time", rec.get("updated")) or 0)


@pytest.mark.parametrize("family", SYNCD)
@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("level", LEVELS)
def test_syncd_the_owner_s_word_names_no_identifier_and_its_date_fits_one_record(family, variant, level):
    for seed in range(3):
        env = _at_level(family, level, seed, variant=variant)
        world, f = env.world, env.scenario.facts
        word = f["word"]
        mails = world.services["mail"].table("messages")
        line = mails[word["msg"]]
        assert word["line"][1:] in line["body"] and line["from"] == word["from"] and line["subject"] == "Quick one"
        body = line["body"].lower()
        for ident in _identifiers(env)[:-2] + ["port", "retention", "folder " + f["said"]]:
            assert ident.lower() not in body, ident
        assert f["value"] in line["body"] and f["value"] != f["said"]
        assert f["value"] not in {*f["lookalikes"].values()}
        # the same person's same-shaped lines about other matters, one of them about another of the desk's mails
        theirs = [m for m in mails.values() if m["from"] == word["from"]]
        assert len(theirs) >= 3 and all(m["body"].startswith("Hi,\n\nRe ") for m in theirs)
        assert sum("the desk's mail of" in m["body"] for m in theirs) == (1 if variant == "path" else 2)
        # the reference resolves to one record: the deciding one, which names the owner before the word
        day = re.search(r"of (\d+ [A-Z][a-z]+)", word["ref"]).group(1)
        if variant == "path":
            same = [n for n in world.services["notes"].table("notes").values() if oblique.day_month(_time(n)) == day]
            assert len(same) == 1 or ", the " in word["ref"]
            deciding = next(n for n in same if n["title"] == "Laptop setup")
            assert deciding["body"].split("\n")[1].startswith("Backups (syncd) cover " + f["said"])  # its second line
        else:
            desk = f"servicedesk@{world.persona.work_domain}"
            same = [m for m in mails.values() if m["from"] == desk and oblique.day_month(_time(m)) == day]
            assert len(same) == 1 or ", the " in word["ref"]
            deciding = next(m for m in same if f["said"] in m["body"])
        if ", the " in word["ref"]:  # a twin on the day: the time tells
            hhmm = word["ref"].rsplit(", the ", 1)[1][:5]
            assert [r for r in same if clock.fmt(_time(r))[-5:] == hhmm] == [deciding]
        assert _time(deciding) == f["deciding_at"] < _time(line)
        assert word["owner"] in deciding["body"]


def _set(f: dict, value: str) -> str:
    return A.shell(f"sed -i 's|^{f['key']} = .*|{f['key']} = {value}|' ~/{syncd.CONF}")


def _steps(env, value: str) -> list[str]:
    """The key set to ``value`` and the matter closed as the task asks (the ticket solved, or answered)."""
    f = env.scenario.facts
    if "alert" in f:
        return [
            A.wait(f["trigger_at"] - env.world.clock.now + 60, wake=False),
            _set(f, value),
            A.api("helpdesk.update", id=f["alert"], status="solved"),
            A.wait(8 * clock.HOUR, wake=False),
        ]
    return [_set(f, value), A.api("helpdesk.comment", id=f["ticket"], text="Fixed the syncd config.", public=True)]


@pytest.mark.parametrize("family", SYNCD)
@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("level", LEVELS)
def test_syncd_the_deciding_record_s_value_fails_and_the_owner_s_passes(family, variant, level):
    env = _at_level(family, level, 1, variant=variant)
    f = env.scenario.facts
    verdict = _play(env, env.oracle_actions())
    assert verdict["passed"] and not verdict["violations"], verdict
    env.reset(seed=1)
    assert _failed(_play(env, _steps(env, f["said"]))) == [f"{f['key']} is fixed"]  # the players' answer
    env.reset(seed=1)
    verdict = _play(env, _steps(env, f["value"]))
    assert verdict["passed"] and not verdict["violations"], verdict
