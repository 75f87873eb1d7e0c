"""Headroom for customer-escalation, new-hire-setup and receipt-policy (issue 21, session 32): the players'
method (search the requester and the trigger's sender by person, every identifier of the matter by text,
"from now on", "after all", read the requester's DMs) no longer settles levels 4-5. The deciding word comes
from someone whose say is written in the world and names the matter only by when it came in or its date
(:mod:`envs.kit.oblique`), among that person's same-shaped lines about other matters.

Each test builds the task at a level and reads its world the way an agent could, or plays it to its verdict
with actions built from the facts.
"""

from __future__ import annotations

import re

import pytest
from episodes import at_level as _at_level
from episodes import failed as _failed
from episodes import found as _found
from episodes import play as _play

from claw_gym import actions as A
from claw_gym import clock


def _misses(env, seed: int, probes: list[tuple[str, str]], record: str) -> None:
    """None of the searches (text, person) finds ``record``; the world is built afresh every ten searches (an
    episode has a step budget), the same world at the same seed."""
    for k, (text, person) in enumerate(probes):
        if k and k % 10 == 0:
            env.reset(seed=seed)
        assert record not in _found(env, text, person), (text, person)


def _came_in(line: str) -> tuple[str, str]:
    """ "re the X that came in at 10:42 on Tuesday: ..." -> ("10:42", "Tuesday")."""
    m = re.search(r"came in at (\d\d:\d\d) on (\w+day)", line)
    assert m, line
    return m.group(1), m.group(2)


# ---- customer-escalation ---------------------------------------------------------------------------
def _ce_word(env) -> dict:
    return env.world.services["sms"].table("messages")[env.scenario.facts["word"]]


@pytest.mark.parametrize("variant", ["contract", "handover"])
@pytest.mark.parametrize("level", [4, 5])
def test_customer_escalation_the_players_searches_miss_the_assistant_s_word(variant, level):
    for seed in range(3):
        env = _at_level("customer-escalation", level, seed, variant=variant)
        f = env.scenario.facts
        rows = env.world.services["helpdesk"].table("tickets")
        word = f["word"]
        assert word and _ce_word(env)["number"] == f["assistant"]["phone"]
        c = f["contact"]
        probes = [("", c["name"]), ("", c["name"].split()[0]), (c["name"], ""), (c["name"].split()[0], "")]
        probes += [(f["account"], ""), (f["account"].split()[0], ""), (c["phone"], ""), (c["email"], "")]
        probes += [(rows[i]["subject"], "") for i in f["urgent"] + f["rest"]]
        probes += [(i, "") for i in f["urgent"] + f["rest"]]
        probes += [("from now on", ""), ("after all", ""), ("escalation", ""), ("call", "")]
        _misses(env, seed, probes, word)
        # the contact's own later text is found by their name: it is not the last word
        later = [m for m in env.world.services["sms"].table("messages").values() if m["number"] == c["phone"]]
        assert len(later) == 1 and later[0]["id"] in _found(env, c["name"].split()[0])
        assert later[0]["time"] < _ce_word(env)["time"]


@pytest.mark.parametrize("variant", ["contract", "handover"])
@pytest.mark.parametrize("level", [4, 5])
def test_customer_escalation_the_assistant_s_say_is_written_and_the_word_resolves_to_the_mail(variant, level):
    for seed in range(3):
        env = _at_level("customer-escalation", level, seed, variant=variant)
        world, f = env.world, env.scenario.facts
        now = world.clock.now
        mail = world.services["workmail"].table("messages")[f["mail"]]
        asst = f["assistant"]
        # the signature says whose word counts on the call times, before the word
        assert f"my assistant {asst['name']} ({asst['phone']})" in mail["body"] and "last word" in mail["body"]
        word = _ce_word(env)
        assert mail["time"] < word["time"] < now
        text = word["body"]
        rows = world.services["helpdesk"].table("tickets")
        names = [f["account"], f["account"].split()[0], f["contact"]["name"].split()[0], f["contact"]["name"]]
        names += [rows[i]["subject"] for i in f["urgent"] + f["rest"]] + list(f["urgent"] + f["rest"])
        assert not [n for n in names if n.lower() in text.lower()], text
        assert "after all" not in text and "from now on" not in text
        # the same person's same-shaped lines about other matters, before and after it
        own = [m for m in world.services["sms"].table("messages").values() if m["number"] == asst["phone"]]
        assert len(own) == 4 and all(m["body"].startswith("re the ") and "came in at" in m["body"] for m in own)
        # "the call request that came in at HH:MM on <day>": within the week, one record fits, the mail
        hhmm, weekday = _came_in(text)
        fits = []
        for service in ("workmail", "mail", "sms"):
            if service not in world.services:
                continue
            for m in world.services[service].table("messages").values():
                t = clock.to_datetime(m["time"])
                if now - 7 * clock.DAY < m["time"] <= word["time"] and f"{t:%H:%M}" == hhmm and f"{t:%A}" == weekday:
                    fits.append(m["id"])
        assert fits == [f["mail"]]
        # the window it gives is one the contact never offered
        a, b = f["windows"][0]
        assert len(f["windows"]) == 1 and f"{clock.fmt(a)[-5:]}-{clock.fmt(b)[-5:]}" in text
        assert all(not (a < y and x < b) for x, y in f["withdrawn"])


@pytest.mark.parametrize("variant", ["contract", "handover"])
@pytest.mark.parametrize("level", [4, 5])
def test_customer_escalation_the_window_the_contact_kept_fails_and_the_oracle_passes(variant, level):
    from claw_gym.envs.customer_escalation import _solve

    env = _at_level("customer-escalation", level, 1, variant=variant)
    verdict = _play(env, env.oracle_actions())
    assert verdict["passed"] and not verdict["violations"], verdict
    env.reset(seed=1)
    f = env.scenario.facts
    kept = f["withdrawn"][-1]  # the window the contact's own text left open (the answer before session 32)
    failed = _failed(_play(env, _solve(env.world, f, kept, f["urgent"])))
    assert failed == [f"a call with {f['contact']['name']} is booked inside a time they offered"]


@pytest.mark.parametrize("variant", ["contract", "handover"])
def test_customer_escalation_level_5_answers_both_escalation_contacts(variant):
    from claw_gym.envs.customer_escalation import _solve

    env = _at_level("customer-escalation", 5, 2, variant=variant)
    f = env.scenario.facts
    assert f["boss"]
    rule = "both escalation contacts" if variant == "contract" else "send it to both of them"
    where = (
        [r["content"] for r in env.world.services["files"].table("files").values() if r["path"].endswith("MSA.txt")]
        if variant == "contract"
        else [m["text"] for m in env.world.services["chat"].table("messages").values()]
    )
    assert [t for t in where if f["account"] in t and rule in t]
    steps = _solve(env.world, {**f, "boss": ""}, f["windows"][-1], f["urgent"])  # replies to the contact only
    assert _failed(_play(env, steps)) == ["the account's other escalation contact got the answer too"]
    env.reset(seed=2)  # a separate mail to the other contact does it too
    tell = A.api("workmail.send", to=[f["boss"]], subject="Escalation", body="Both tickets are urgent now.")
    verdict = _play(env, [*steps[:-1], tell, steps[-1]])
    assert verdict["passed"] and not verdict["violations"], verdict


# ---- new-hire-setup --------------------------------------------------------------------------------
def _nh_word(env) -> dict:
    return env.world.services["chat"].table("messages")[env.scenario.facts["word"]]


@pytest.mark.parametrize("variant", ["report", "buddy"])
@pytest.mark.parametrize("level", [4, 5])
def test_new_hire_setup_the_players_searches_miss_the_manager_s_word(variant, level):
    for seed in range(3):
        env = _at_level("new-hire-setup", level, seed, variant=variant)
        f = env.scenario.facts
        hire, word = f["hire"], f["word"]
        assert word
        probes = [("", hire["name"]), ("", hire["name"].split()[0]), (hire["name"], ""), (hire["name"].split()[0], "")]
        probes += [
            (hire["email"], ""),
            (f["new_phone"], ""),
            (hire["phone"], ""),
            (hire["laptop"], ""),
            (f["role"], ""),
        ]
        probes += [(f["ticket"], ""), ("offer", ""), ("catch-up", ""), ("1:1", ""), ("weekly", ""), ("buddy", "")]
        probes += [("from now on", ""), ("after all", ""), (clock.fmt_date(f["start"]), "")]
        _misses(env, seed, probes, word)
        # no text from the manager moves the slot any more (the level-4 answer before session 32)
        sms = env.world.services["sms"].table("messages").values()
        assert not [m for m in sms if "from now on" in m["body"] or "planning" in m["body"]]


@pytest.mark.parametrize("variant", ["report", "buddy"])
@pytest.mark.parametrize("level", [4, 5])
def test_new_hire_setup_the_manager_s_say_is_written_and_the_word_resolves_to_the_hire_s_offer(variant, level):
    for seed in range(3):
        env = _at_level("new-hire-setup", level, seed, variant=variant)
        world, f = env.world, env.scenario.facts
        word = _nh_word(env)
        sender = word["sender"]
        # whose say: the person's own note, written before the word
        notes = [n for n in world.services["notes"].table("notes").values() if n["title"] == "Running list"]
        say = [n for n in notes if f"{sender.split()[0]} has the last word on days and times" in n["body"]]
        assert say and min(n["updated"] for n in say) < word["time"]
        text = word["text"]
        hire = f["hire"]
        names = [hire["name"], hire["name"].split()[0], f["role"], hire["laptop"], "offer", "catch-up", "1:1"]
        assert not [n for n in names if n.lower() in text.lower()], text
        assert "after all" not in text and "from now on" not in text
        assert f"{f['rule'][0]}s {f['rule'][1]}" in text and f"{f['written'][0]}s {f['written'][1]}" not in text
        # among the manager's same-shaped lines about other matters in the same DM
        dm = [m for m in world.services["chat"].table("messages").values() if m["channel"] == word["channel"]]
        shaped = [m for m in dm if m["sender"] == sender and m["text"].startswith("re what you sent out at ")]
        assert len(shaped) >= 4 and any(m["time"] > word["time"] for m in shaped)
        # "what you sent out at HH:MM on D Month": of the person's sent mail, only the hire's offer fits
        m = re.match(r"re what you sent out at (\d\d:\d\d) on (\d+ \w+):", text)
        assert m, text
        fits = []
        for service in ("workmail", "mail"):
            if service not in world.services:
                continue
            for r in world.services[service].table("messages").values():
                t = clock.to_datetime(r["time"])
                if r.get("folder") == "sent" and f"{t:%H:%M}" == m.group(1) and f"{t.day} {t:%B}" == m.group(2):
                    fits.append(r["time"])
        assert fits == [hire["sent"]]
        offers = [o["sent"] for o in f["others"]]
        assert hire["sent"] not in offers


@pytest.mark.parametrize("variant", ["report", "buddy"])
@pytest.mark.parametrize("level", [4, 5])
def test_new_hire_setup_the_written_slot_fails_and_the_oracle_passes(variant, level):
    from claw_gym.envs.new_hire_setup import DAYS, _solve

    env = _at_level("new-hire-setup", level, 1, variant=variant)
    verdict = _play(env, env.oracle_actions())
    assert verdict["passed"] and not verdict["violations"], verdict
    env.reset(seed=1)
    f = env.scenario.facts
    wd, (hh, mm) = DAYS.index(f["written"][0]), (int(x) for x in f["written"][1].split(":"))
    first = f["start"] + ((wd - clock.weekday(f["start"])) % 7) * clock.DAY
    first = clock.day_start(first) + hh * clock.HOUR + mm * clock.MINUTE
    old = [first + k * 7 * clock.DAY for k in range(4)]
    failed = _failed(_play(env, _solve(env.world, {**f, "slots": old}, f["new_phone"])))
    assert failed == ["the first four weekly catch-ups are booked with the hire invited", "no catch-up at another time"]


@pytest.mark.parametrize("variant", ["report", "buddy"])
def test_new_hire_setup_level_5_tells_the_manager_and_a_dm_does_it(variant):
    from claw_gym.envs.new_hire_setup import _solve

    env = _at_level("new-hire-setup", 5, 2, variant=variant)
    f = env.scenario.facts
    assert f["tell"]["email"]
    steps = [a for a in _solve(env.world, f, f["new_phone"]) if f["tell"]["email"] not in a]
    assert _failed(_play(env, steps)) == ["the manager heard that the catch-ups are booked"]
    env.reset(seed=2)  # a line in the manager's DM does it too
    dm = A.api("chat.post", channel=f["tell"]["dm"], text="All four are in the calendar.")
    verdict = _play(env, [*steps[:-1], dm, steps[-1]])
    assert verdict["passed"] and not verdict["violations"], verdict


# ---- receipt-policy --------------------------------------------------------------------------------
def _rp_word(env) -> dict:
    return env.world.services["chat"].table("messages")[env.scenario.facts["waiver"]]


@pytest.mark.parametrize("variant", ["limit", "team"])
@pytest.mark.parametrize("level", [4, 5])
def test_receipt_policy_the_players_searches_miss_the_controller_s_waiver(variant, level):
    for seed in range(3):
        env = _at_level("receipt-policy", level, seed, variant=variant)
        world, f = env.world, env.scenario.facts
        word = f["waiver"]
        assert word
        chat = world.services["chat"].table("messages").values()
        boss = (
            next(m["sender"] for m in chat if m["channel"] == "general" and "finance just told me" in m["text"])
            if (variant == "limit")
            else next(m["sender"] for m in chat if "team budget now" in m["text"])
        )
        probes = [("", boss), ("", boss.split()[0]), (boss, ""), (boss.split()[0], ""), (f["boss"], "")]
        for m in f["meals"]:
            probes += [(m["place"], ""), (f"{m['amount']:.2f}", ""), (m["tx"], ""), (m["date"], "")]
        probes += [("receipt", ""), ("dinner", ""), ("meal", ""), ("lunch", ""), ("claim", ""), ("expense", "")]
        probes += [("from now on", ""), ("after all", ""), ("itemised", ""), ("waive", "")]
        _misses(env, seed, probes, word)
        # the manager's DM holds no word on it: reading the signer's DMs misses it too
        assert _rp_word(env)["channel"] != f"dm-{boss.split()[0].lower()}"


@pytest.mark.parametrize("variant", ["limit", "team"])
@pytest.mark.parametrize("level", [4, 5])
def test_receipt_policy_the_controller_s_say_is_written_and_the_waiver_resolves_to_one_dinner(variant, level):
    for seed in range(3):
        env = _at_level("receipt-policy", level, seed, variant=variant)
        world, f = env.world, env.scenario.facts
        word = _rp_word(env)
        assert word["sender"] == f["controller"]
        mails = world.services["workmail"].table("messages").values()
        policy = [m for m in mails if m["subject"] == "Expense policy: what changes this quarter"]
        assert len(policy) == 1 and f"finance controller, {f['controller']}, can waive" in policy[0]["body"]
        assert policy[0]["time"] < word["time"] < world.clock.now
        text = word["text"]
        names = [m["place"] for m in f["meals"]] + [f"{m['amount']:.2f}" for m in f["meals"]]
        names += ["receipt", "dinner", "meal", "lunch", "claim", "expense", "after all", "from now on"]
        entries = world.services["calendar"].table("entries").values()
        names += [e["title"] for e in entries if e["start"] >= world.clock.now - 8 * clock.DAY]
        assert not [n for n in names if n.lower() in text.lower()], text
        # the DM is the controller's alone, with their same-shaped lines about other matters
        dm = [m for m in world.services["chat"].table("messages").values() if m["channel"] == word["channel"]]
        assert {m["sender"] for m in dm} == {f["controller"]} and len(dm) >= 4
        assert all(m["text"].startswith("re ") for m in dm)
        # "re your 19:30 on the 12th": of the calendar's entries, only the waived dinner fits
        m = re.match(r"re your (\d\d:\d\d) on the (\d+)(st|nd|rd|th):", text)
        assert m, text
        fits = [
            e
            for e in entries
            if world.clock.now - 31 * clock.DAY < e["start"] < word["time"]
            and f"{clock.to_datetime(e['start']):%H:%M}" == m.group(1)
            and clock.to_datetime(e["start"]).day == int(m.group(2))
        ]
        waived = [x for x in f["meals"] if x["role"] == "waived"]
        assert len(waived) == 1 and len(fits) == 1 and fits[0]["location"] == waived[0]["place"]
        assert fits[0]["title"].startswith("Dinner with ") and not waived[0]["receipt"]
        assert waived[0]["amount"] > f["limit"] and waived[0]["claim"]


@pytest.mark.parametrize("variant", ["limit", "team"])
@pytest.mark.parametrize("level", [4, 5])
def test_receipt_policy_chasing_the_waived_dinner_fails_and_the_oracle_passes(variant, level):
    from claw_gym.envs.receipt_policy import oracle

    env = _at_level("receipt-policy", level, 1, variant=variant)
    verdict = _play(env, env.oracle_actions())
    assert verdict["passed"] and not verdict["violations"], verdict
    env.reset(seed=1)
    f = env.scenario.facts
    before = [{**m, "claim": False, "chase": True} if m["role"] == "waived" else m for m in f["meals"]]
    waived = next(m for m in f["meals"] if m["role"] == "waived")
    failed = _failed(_play(env, oracle(env.world, {**f, "meals": before})))
    assert failed == [f"{waived['place']} {waived['date']} (EUR {waived['amount']:.2f}) submitted under meals"]


@pytest.mark.parametrize("variant", ["limit", "team"])
def test_receipt_policy_level_5_tells_the_controller_and_a_mail_does_it(variant):
    env = _at_level("receipt-policy", 5, 2, variant=variant)
    f = env.scenario.facts
    mails = env.world.services["workmail"].table("messages").values()
    policy = [m for m in mails if m["subject"] == "Expense policy: what changes this quarter"]
    assert "tell them once you've claimed it" in policy[0]["body"] and f["tell"]["email"]
    steps = [a for a in env.oracle_actions() if f["tell"]["dm"] not in a]
    assert _failed(_play(env, steps)) == [
        f"the finance controller ({f['controller']}) heard the waived meal is claimed"
    ]
    env.reset(seed=2)  # a mail to their address does it too
    mail = A.api("workmail.send", to=[f["tell"]["email"]], subject="Dinner", body="Claimed, thanks for signing it off.")
    verdict = _play(env, [*steps[:-1], mail, steps[-1]])
    assert verdict["passed"] and not verdict["violations"], verdict
