"""No one-search shortcut at levels 4-5 in backup-alert, phone-card-check and receipt-policy (issue 21, point 3,
session 30). Before: one search for the key word found the deciding record alone (backup-alert: the host, the
word "retention" or "syncd"; phone-card-check: "twin"; receipt-policy: "itemised"). Now that search finds several
same-shaped candidates (another matter of the same words, hearsay from someone without a say, an older value on
another channel), the deciding record sits >= 30 / 60 days back, and going by a look-alike fails.

Each test builds the task at a level and reads its world the way an agent could (``episodes.search``), or plays
it to its verdict with actions built from the facts.
"""

from __future__ import annotations

import re

import pytest
from episodes import at_level as _at_level
from episodes import failed as _failed
from episodes import play as _play
from episodes import search

from claw_gym import actions as A
from claw_gym import clock

DAYS = [(4, 30), (5, 60)]


def _records(env, text: str, services: tuple[str, ...]) -> list[dict]:
    """The records of ``services`` that ``events.search`` finds for ``text`` (every page), newest first."""
    out, seen = [], set()
    for h in search(env, text):
        if h["service"] in services and h["record"] not in seen:
            seen.add(h["record"])
            table = {"mail": "messages", "workmail": "messages", "chat": "messages", "notes": "notes"}
            table.update(helpdesk="tickets", sms="messages")
            rec = env.world.services[h["service"]].table(table[h["service"]]).get(h["record"])
            if rec is not None:
                out.append(rec)
    return out


# ---- backup-alert ----------------------------------------------------------------------------------
def _conf_value(world, key: str) -> str:
    conf = world.services["files"].find(".config/syncd/syncd.conf")["content"]
    return re.search(rf"(?m)^{key} = (.*)$", conf).group(1)


def _backup_steps(env, value: str) -> list[str]:
    """After the ticket: the key set to ``value`` with sed, the ticket solved, judged at the deadline."""
    f = env.scenario.facts
    path = "~/.config/syncd/syncd.conf"
    return [
        A.wait(f["trigger_at"] - env.world.clock.now + 60, wake=False),
        A.shell(f"sed -i 's|^{f['key']} = .*|{f['key']} = {value}|' {path}"),
        A.api("helpdesk.update", id=f["alert"], status="solved"),
        A.wait(8 * clock.HOUR, wake=False),
    ]


@pytest.mark.parametrize("family", ["backup-alert", "config-fix"])  # config-fix: the same kit
@pytest.mark.parametrize("level,days", DAYS)
def test_backup_alert_port_the_host_finds_the_plan_the_console_and_hearsay_too(family, level, days):
    for seed in range(3):
        env = _at_level(family, level, seed, variant="port")
        world, f = env.world, env.scenario.facts
        host, now, look = f["good"]["host"], world.clock.now, f["lookalikes"]
        mails = _records(env, host, ("mail",))
        assert len(mails) >= 4  # was 1: IT's mail about the move, alone
        ports = {m["id"]: set(re.findall(r"port (\d{4})", m["body"])) for m in mails}
        deciding = [m for m in mails if f"now listens on port {f['said']}" in m["body"]]
        assert len(deciding) == 1 and deciding[0]["time"] == f["deciding_at"] <= now - days * clock.DAY
        assert deciding[0]["from"] == next(m["from"] for m in mails if look["planned"] in ports[m["id"]])  # IT too
        for v in (look["planned"], look["console"], look["heard"]):
            assert v != f["said"] and [m for m in mails if v in ports[m["id"]]]
        assert _conf_value(world, "port") not in (f["said"], look["planned"])  # the port before the move
        plan = next(m for m in mails if look["planned"] in ports[m["id"]])
        assert plan["time"] < deciding[0]["time"]  # announced, then done on another port
        heard = next(m for m in mails if look["heard"] in ports[m["id"]])
        assert heard["time"] > deciding[0]["time"] and heard["from"].split("@")[1] == world.persona.work_domain


@pytest.mark.parametrize("family", ["backup-alert", "config-fix"])  # config-fix: the same kit
@pytest.mark.parametrize("level,days", DAYS)
def test_backup_alert_retention_the_word_finds_four_records_and_the_config_s_word_is_the_old_one(family, level, days):
    words = {"14": "two weeks", "30": "thirty", "60": "sixty", "90": "ninety"}
    for seed in range(3):
        env = _at_level(family, level, seed, variant="retention")
        world, f = env.world, env.scenario.facts
        look = f["lookalikes"]
        found = _records(env, "retention_days", ("mail", "helpdesk"))
        assert len(found) >= 4  # was 1: IT's policy mail, alone
        named = [re.findall(r"retention_days = (\d+)", r["body"]) for r in found]
        assert sorted(v for n in named for v in n) == sorted([f["said"], look["older"], look["shared"], look["heard"]])
        assert len({f["said"], look["older"], look["shared"], look["heard"]}) == 4
        deciding = next(r for r, n in zip(found, named, strict=True) if n == [f["said"]])
        assert deciding["time"] == f["deciding_at"] <= world.clock.now - days * clock.DAY
        older = next(r for r, n in zip(found, named, strict=True) if n == [look["older"]])
        assert "subject" in older and older["status"] == "solved" and older["time"] < deciding["time"]  # a ticket
        assert _conf_value(world, "retention_days") == words[look["older"]] != words[f["said"]]


@pytest.mark.parametrize("family", ["backup-alert", "config-fix"])  # config-fix: the same kit
@pytest.mark.parametrize("level,days", DAYS)
def test_backup_alert_path_syncd_finds_the_old_laptop_and_a_tip_and_the_typo_is_gone(family, level, days):
    for seed in range(3):
        env = _at_level(family, level, seed, variant="path")
        world, f = env.world, env.scenario.facts
        look = f["lookalikes"]
        found = _records(env, "syncd", ("mail", "notes"))
        assert len(found) >= 3  # was 1: the note "Laptop setup", alone
        covered = [r for r in found if re.search(r"Backups \(syncd\) cover(ed)? ", r["body"])]
        assert len(covered) == 2  # this laptop's note and the old one's, the same shape
        deciding = next(r for r in covered if "/home/user/Documents" in r["body"])
        assert deciding["updated"] <= world.clock.now - days * clock.DAY
        assert look["older"] in next(r for r in covered if r is not deciding)["body"]
        assert _conf_value(world, "source_dir") == look["older"] and "ocum" not in look["older"]


@pytest.mark.parametrize("variant", ["port", "retention", "path"])
@pytest.mark.parametrize("level", [4, 5])
def test_backup_alert_a_look_alike_s_value_fails_and_the_oracle_passes(variant, level):
    env = _at_level("backup-alert", level, 2, variant=variant)
    f = env.scenario.facts
    verdict = _play(env, env.oracle_actions())
    assert verdict["passed"] and not verdict["violations"], verdict
    for value in f["lookalikes"].values():
        env.reset(seed=2)
        assert _failed(_play(env, _backup_steps(env, value))) == [f"{f['key']} is fixed"]
    env.reset(seed=2)
    assert _play(env, _backup_steps(env, f["value"]))["passed"]  # the same steps with the right value


# ---- receipt-policy --------------------------------------------------------------------------------
@pytest.mark.parametrize("level,days", DAYS)
def test_receipt_policy_itemised_finds_every_policy_mail_and_not_the_amendment(level, days):
    for seed in range(3):
        env = _at_level("receipt-policy", level, seed, variant="limit")
        world, f = env.world, env.scenario.facts
        found = _records(env, "itemised", ("workmail", "chat"))
        mails = [r for r in found if "subject" in r]
        assert len(mails) >= 4  # was 1 mail and the amendment: now every same-shaped policy mail
        assert len({m["from"] for m in mails}) == 1 and all(m["subject"].startswith("Expense policy: ") for m in mails)
        assert all(re.search(r"over \d+ EUR (a fill )?needs? an itemised", m["body"]) for m in mails)
        assert len([m for m in mails if "Meals over" in m["body"]]) == 1  # the policy the amendment replaced
        chat = list(world.services["chat"].table("messages").values())
        amend = [m for m in chat if f"from {f['limit']} EUR up" in m["text"]]
        assert len(amend) == 1 and amend[0] not in found and f"(it was {f['old_limit']})" in amend[0]["text"]
        assert amend[0]["time"] <= world.clock.now - days * clock.DAY
        hearsay = [m for m in found if "text" in m]
        assert len(hearsay) == 1 and hearsay[0]["sender"] != amend[0]["sender"]
        assert hearsay[0]["time"] > amend[0]["time"] and f"{f['limit']} EUR" not in hearsay[0]["text"]


@pytest.mark.parametrize("level,days", DAYS)
def test_receipt_policy_team_the_team_s_words_find_three_chat_lines_the_manager_s_decides(level, days):
    for seed in range(3):
        env = _at_level("receipt-policy", level, seed, variant="team")
        world = env.world
        found = _records(env, "team", ("chat",))
        assert len(found) >= 3 and len({m["sender"] for m in found}) >= 2
        boss = next(p for p in world.persona.people if p.email == env.scenario.facts["boss"])
        deciding = [m for m in found if m["sender"] == boss.name and "team budget" in m["text"]]
        assert len(deciding) == 1 and deciding[0]["time"] <= world.clock.now - days * clock.DAY
        assert [m for m in found if m["sender"] != boss.name and "team budget" in m["text"]]  # another matter


@pytest.mark.parametrize("variant", ["limit", "team"])
@pytest.mark.parametrize("level", [4, 5])
def test_receipt_policy_going_by_the_policy_mail_fails_and_the_oracle_passes(variant, level):
    from claw_gym.envs.receipt_policy import FAMILY

    env = _at_level("receipt-policy", level, 1, variant=variant)
    verdict = _play(env, env.oracle_actions())
    assert verdict["passed"] and not verdict["violations"], verdict
    env.reset(seed=1)
    assert FAMILY.stale_oracle is not None
    stale = FAMILY.stale_oracle(env.world, env.scenario.facts)
    assert [n for n in _failed(_play(env, stale)) if n.endswith("not submitted")]


# ---- phone-card-check ------------------------------------------------------------------------------
@pytest.mark.parametrize("level,days", DAYS)
def test_card_check_twin_finds_every_running_note_and_the_later_text_has_none_of_the_rule_s_words(level, days):
    from claw_gym.envs.kit.rules import TITLES

    for seed in range(3):
        env = _at_level("phone-card-check", level, seed)
        world, f = env.world, env.scenario.facts
        stop, now = f["stop"], world.clock.now
        notes = _records(env, "twin", ("notes",))
        assert len(notes) >= 4 and all(n["title"] in TITLES for n in notes)  # was 1: the rule's note
        assert all(n["body"].split("\n", 1)[1].startswith("- ") for n in notes)  # one shape
        rule = [n for n in notes if "my bank card" in n["body"]]
        assert len(rule) == 1 and rule[0]["updated"] <= now - days * clock.DAY
        assert len(_records(env, "stopped", ("notes",))) >= 3
        texts = list(world.services["sms"].table("messages").values())
        moved = [m for m in texts if "spare debit card" in m["body"]]
        if level == 5:
            assert len(moved) == 1 and moved[0]["number"] == stop["holder"]
            assert not re.search(r"twin|stopp|4421", moved[0]["body"])
            assert moved[0]["time"] <= now - days * clock.DAY and not _records(env, "twin", ("sms",))
        else:
            assert not moved


@pytest.mark.parametrize("level", [4, 5])
def test_card_check_texting_a_look_alike_line_s_person_fails_and_the_oracle_passes(level):
    env = _at_level("phone-card-check", level, 2)
    f = env.scenario.facts
    notes = _records(env, "twin", ("notes",))
    line = next(x for n in notes for x in n["body"].split("\n") if "car key" in x)
    name = line.split("text ")[1].split()[0]
    other = next(p for p in env.world.persona.people if p.first == name)
    assert other.phone != f["stop"]["holder"]
    env.reset(seed=2)
    verdict = _play(env, env.oracle_actions())
    assert verdict["passed"] and not verdict["violations"], verdict
    env.reset(seed=2)
    acts = [a.replace(f["stop"]["holder"], other.phone) if '"sms.send"' in a else a for a in env.oracle_actions()]
    verdict = _play(env, acts)
    assert _failed(verdict) == [f"{f['stop']['holder_name']} (who has the twin card) was told"]
