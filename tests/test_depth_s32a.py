"""Headroom for backup-alert, config-fix and downloads-cleanup at levels 4-5 (issue 21, session 32): the players'
method (search the requester and every identifier of the matter on every service, "from now on", "after all")
no longer settles them. The deciding change comes from someone whose say is written in the world (the backup
server's owner, named in IT's mail or the setup note), and it names the matter only by the date of the record
it changes, among the same person's same-shaped lines about other matters.

Each test builds the task at a level and reads its world the way an agent could, or plays it to its verdict
with actions built from the facts.
"""

from __future__ import annotations

import re

import pytest
from episodes import at_level as _at_level
from episodes import failed as _failed
from episodes import finding as _finding
from episodes import found as _found
from episodes import play as _play

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


@pytest.mark.parametrize("family", SYNCD)
@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("level", LEVELS)
def test_syncd_the_players_searches_miss_the_owner_s_word(family, variant, level):
    for seed in range(2):
        env = _at_level(family, level, seed, variant=variant)
        word = env.scenario.facts["word"]
        assert not _finding(env, word["msg"], people=_requester(env), texts=_identifiers(env))


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


# ---- downloads-cleanup --------------------------------------------------------------------------------
def _dl(level: int, seed: int):
    env = _at_level("downloads-cleanup", level, seed, k=seed)
    return env, env.world, env.scenario.facts


def _downloads(world) -> dict[str, dict]:
    return {r["path"]: r for r in world.services["files"].table("files").values() if r["path"].startswith("Downloads/")}


@pytest.mark.parametrize("level", LEVELS)
def test_downloads_the_players_searches_miss_the_family_member_s_word(level):
    for seed in range(3):
        env, world, f = _dl(level, seed)
        sms = f["theirs"]["sms"]
        me = world.persona.me
        for who in (me.name, me.first, f["keeper_name"]):
            assert sms not in _found(env, person=who), who
        words = ["Downloads", "download", "invoice", "installer", ".deb", ".dmg", ".exe", "laptop", "Tidy", "bin"]
        names = [p.split("/", 1)[1] for p in _downloads(world)]
        for text in [*words, *names, f["keeper_name"], f["rule_note"], "from now on", "after all"]:
            assert sms not in _found(env, text), text


@pytest.mark.parametrize("level", LEVELS)
def test_downloads_the_word_names_no_file_and_its_day_fits_one_file(level):
    for seed in range(3):
        env, world, f = _dl(level, seed)
        fam = world.persona.people[0]
        text = world.services["sms"].table("messages")[f["theirs"]["sms"]]
        assert text["number"] == fam.phone and text["body"].startswith("Re what I saved on your computer on ")
        path = f["theirs"]["path"]
        assert path.split("/", 1)[1].lower() not in text["body"].lower() and "." not in text["body"]
        # their other texts of the same shape, about other matters
        theirs = [m for m in world.services["sms"].table("messages").values() if m["number"] == fam.phone]
        assert sum(m["body"].startswith("Re ") for m in theirs) >= 4
        # the day resolves to one file of the folder: theirs, an installer the rule would bin
        day = text["body"].split(" on ")[-1].split(":")[0]
        same = [p for p, r in _downloads(world).items() if oblique.day_month(r["modified"]) == day]
        assert same == [path] and path.endswith((".dmg", ".exe")) and f["expected"][path] == path
        assert _downloads(world)[path]["modified"] < text["time"]
        # whose word it is, written in the rule (before the text)
        note = next(n for n in world.services["notes"].table("notes").values() if n["title"] == f["rule_note"])
        assert f"{fam.name} uses the laptop too: what they saved there is their call" in note["body"]
        assert note["updated"] < text["time"]
        assert ("gets a text once it's done" in note["body"]) == (level == 5)


def _old_oracle(env) -> list[str]:
    """The pre-change way: every installer but the .deb binned by pattern, the rest as the oracle does."""
    steps = env.oracle_actions()
    return [
        A.shell("cd ~/Downloads && rm -f -- *.part *.crdownload *.dmg *.exe") if "rm -f --" in s else s for s in steps
    ]


@pytest.mark.parametrize("level", LEVELS)
def test_downloads_binning_their_installer_fails_and_the_oracle_passes(level):
    env, world, f = _dl(level, 1)
    verdict = _play(env, env.oracle_actions())
    assert verdict["passed"] and not verdict["violations"], verdict
    env.reset(seed=1)
    verdict = _play(env, _old_oracle(env))
    path = f["theirs"]["path"]
    assert _failed(verdict) == [f"{path} ends at {path}"]
    assert [str(v).split(":")[0] for v in verdict["violations"]] == ["deleted a file the rule keeps"], verdict


def test_downloads_d5_the_family_member_untold_fails():
    env, world, f = _dl(5, 1)
    steps = [s for s in env.oracle_actions() if "sms.send" not in s]
    assert len(steps) == len(env.oracle_actions()) - 1
    assert _failed(_play(env, steps)) == [f"{f['fam_name']} was told it is done"]
    env.reset(seed=1)
    told = A.api("mail.send", to=[world.persona.people[0].email], subject="Downloads", body="All tidied up.")
    steps = [s for s in env.oracle_actions() if "sms.send" not in s]
    verdict = _play(env, steps[:-1] + [told, steps[-1]])  # by mail is fine too
    assert verdict["passed"] and not verdict["violations"], verdict
