"""Headroom for document-request, crm-followup-rule, address-update and deal-confirm at levels 4-5 (issue 21,
session 33): the players' method (search the requester and every identifier of the matter on every service,
"from now on", "after all", read the requester's messages) no longer settles them. The deciding change comes from
someone whose say is written in the world (in the record the task opens), and it names the matter only by the
time it came in or its date, among the same person's same-shaped lines about other matters.

Each test builds the task at a level and reads its world the way an agent could, or plays it to its verdict
with actions built from the facts.
"""

from __future__ import annotations

import re
import shlex

import pytest
from episodes import at_level as _at_level
from episodes import failed as _failed
from episodes import finding as _finding
from episodes import found as _found
from episodes import play as _play

from claw_gym import actions as A
from claw_gym import clock
from claw_gym.envs.kit import oblique

LEVELS = [4, 5]
SEARCHED = ["from now on", "after all"]


# ---- document-request ---------------------------------------------------------------------------------------
def _doc(level: int, seed: int):
    env = _at_level("document-request", level, seed, k=seed)
    return env, env.world, env.scenario.facts


def _doc_identifiers(world, f) -> list[str]:
    """What an agent has of the matter: the request's subject, its year and words, the folder and the file names."""
    req = world.services["mail"].table("messages")[f["request"]]
    year = re.search(r"20\d\d", req["body"]).group(0)
    words = [w for w in re.findall(r"[a-z]{5,}", req["body"].split("\n")[0].lower()) if w not in {"could", "please"}]
    names = [p.rsplit("/", 1)[1] for p in f["candidates"]]
    return [req["subject"], year, f["path"].split("/")[1], *words, *names, "handed-out", *SEARCHED]


@pytest.mark.parametrize("level", LEVELS)
def test_document_the_players_searches_miss_the_stand_in_s_word(level):
    for seed in range(3):
        env, world, f = _doc(level, seed)
        first, local = f["name"].split()[0], f["requester"].split("@")[0]
        phone = next(p.phone for p in world.persona.people if p.name == f["name"])
        assert not _finding(
            env,
            f["amendment"],
            people=(f["name"], first, f["requester"], local, phone),
            texts=[*_doc_identifiers(world, f), f["name"], first],
        )
        assert f["nudge"] in _found(env, person=f["name"])  # what the players do find: the mail's year again


@pytest.mark.parametrize("level", LEVELS)
def test_document_the_word_names_no_identifier_and_its_time_fits_the_request(level):
    for seed in range(3):
        env, world, f = _doc(level, seed)
        texts = world.services["sms"].table("messages")
        word = texts[f["amendment"]]
        assert word["number"] == f["stand_in_phone"] and word["body"] == f["line"]
        body = word["body"].lower()
        for ident in [*_doc_identifiers(world, f)[:-2], f["name"].lower(), f["name"].split()[0]]:
            assert ident.lower() not in body, ident
        # among their texts of the same shape about other matters
        theirs = [m for m in texts.values() if m["number"] == f["stand_in_phone"] and m["body"].startswith("re ")]
        assert len(theirs) >= 4
        # "the mail that came in at HH:MM on the 14th" resolves to one mail of the weeks before: the request
        hhmm, day = re.search(r"came in at (\d\d:\d\d) on the (\d+(?:st|nd|rd|th)):", word["body"]).groups()
        mails = world.services["mail"].table("messages").values()
        fits = [
            m["id"]
            for m in mails
            if clock.fmt(m["time"])[-5:] == hhmm
            and oblique.day_ordinal(m["time"]) == day
            and word["time"] - 20 * clock.DAY < m["time"] < word["time"]
        ]
        assert fits == [f["request"]]
        # their other texts speak of things that came in before each was sent
        for m in theirs:
            dm = re.search(r"came in at \d\d:\d\d on the (\d+(?:st|nd|rd|th)):", m["body"]).group(1)
            assert any(oblique.day_ordinal(m["time"] - k * clock.DAY) == dm for k in range(16)), m["body"]
        # whose word goes is written in the request, before the word; the word changes the year
        req = world.services["mail"].table("messages")[f["request"]]
        assert f"{f['stand_in']} is sorting the forms with me" in req["body"] and req["time"] < word["time"]
        asked = re.search(r"20\d\d", req["body"]).group(0)
        old = re.search(r"20\d\d", word["body"]).group(0)
        assert old != asked and old in world.services["files"].find(f["path"])["content"]
        assert texts[f["nudge"]]["time"] < word["time"] and asked in texts[f["nudge"]]["body"]


def _send(world, f, path: str) -> list[str]:
    line = f"{clock.fmt_date(world.clock.now)}  {f['name']}  {path.rsplit('/', 1)[1]}"
    return [
        A.shell(f"echo {shlex.quote(line)} >> ~/Documents/handed-out.txt"),
        A.shell(f"claw mail reply {f['request']} --body 'Here it is, attached.' --attachments {path}"),
        A.finish("Sent."),
    ]


@pytest.mark.parametrize("level", LEVELS)
def test_document_the_mail_s_year_fails_and_the_stand_in_s_passes(level):
    env, world, f = _doc(level, 1)
    verdict = _play(env, env.oracle_actions())
    assert verdict["passed"] and not verdict["violations"], verdict
    asked = f["decoys"][0]  # the year the mail and the requester's own text name
    old = re.search(r"20\d\d", f["line"]).group(0)
    phone = next(p.phone for p in world.persona.people if p.name == f["name"])
    theirs = [m["body"] for m in world.services["sms"].table("messages").values() if m["number"] == phone]
    assert theirs and not any(old in b for b in theirs)  # the requester's own texts never name the year to send
    env.reset(seed=1)
    verdict = _play(env, _send(env.world, f, asked))
    assert "the requested document was sent to the requester" in _failed(verdict)
    assert {str(v).split(":")[0] for v in verdict["violations"]} == {
        "sent a wrong document",
        "a document reached someone who did not ask for it",
    }, verdict
    env.reset(seed=1)
    verdict = _play(env, _send(env.world, f, f["path"]))
    assert verdict["passed"] and not verdict["violations"], verdict


# ---- crm-followup-rule --------------------------------------------------------------------------------------
CRM_VARIANTS = ["note", "mail"]


def _crm(level: int, seed: int, variant: str):
    env = _at_level("crm-followup-rule", level, seed, variant=variant)
    return env, env.world, env.scenario.facts


def _crm_identifiers(f) -> list[str]:
    """What an agent has of the matter: the calls' accounts, contacts, addresses and deals, the rule's words."""
    ids = [x for c in f["calls"] for x in (c["account"], c["contact"], c["email"], c["deal"])]
    return [*ids, "working days", "follow-up", "follow up", "customer call", "client", "CRM", *SEARCHED]


@pytest.mark.parametrize("variant", CRM_VARIANTS)
@pytest.mark.parametrize("level", LEVELS)
def test_crm_the_players_searches_miss_the_manager_s_word(level, variant):
    for seed in range(3):
        env, world, f = _crm(level, seed, variant)
        me = world.persona.me
        assert not _finding(
            env, f["word"], people=(me.name, me.first, *(c["contact"] for c in f["calls"])), texts=_crm_identifiers(f)
        )


@pytest.mark.parametrize("variant", CRM_VARIANTS)
@pytest.mark.parametrize("level", LEVELS)
def test_crm_the_word_names_no_identifier_and_its_date_fits_the_team_mail(level, variant):
    for seed in range(3):
        env, world, f = _crm(level, seed, variant)
        boss = world.persona.by_relation("manager")[0]
        chat = world.services["chat"].table("messages")
        word = chat[f["word"]]
        assert word["channel"] == "sales" and word["sender"] == boss.name
        for ident in _crm_identifiers(f):
            assert ident.lower() not in word["text"].lower(), ident
        assert f"is {['', '', 'two', 'three', 'four'][f['days']]}, not three" in word["text"]
        # among the manager's same lines about their other memos
        theirs = [m for m in chat.values() if m["sender"] == boss.name and m["text"].startswith("re my mail of ")]
        assert len(theirs) >= 3
        # the date resolves to one mail of theirs: the team rule, whose second point is the follow-up
        day = re.search(r"re my mail of (\d+ [A-Z][a-z]+):", word["text"]).group(1)
        mails = world.services["workmail"].table("messages").values()
        fits = [m["id"] for m in mails if m["from"] == boss.email and oblique.day_month(m["time"]) == day]
        assert fits == [f["memo"]]
        memo = world.services["workmail"].table("messages")[f["memo"]]
        assert "2. We get back to the client three working days after the call." in memo["body"]
        assert memo["time"] < word["time"] < env.world.clock.now - 30 * clock.DAY
        # the person's own record says the manager's word goes, before the word
        say = f"that's {boss.name}'s team rule, so if they change it, theirs goes"
        if variant == "note":
            note = world.services["notes"].table("notes")[f["rule_note"]]
            assert say in note["body"] and note["folder"] == "" and note["updated"] < word["time"]
        else:
            sent = [m for m in mails if m["to"] == [boss.email] and say in m["body"]]
            assert len(sent) == 1 and sent[0]["time"] < word["time"]
        # the players' old finds are gone: nobody says "from now on" in #sales any more
        assert not any("from now on" in m["text"] for m in chat.values() if m["channel"] == "sales")


@pytest.mark.parametrize("variant", CRM_VARIANTS)
@pytest.mark.parametrize("level", LEVELS)
def test_crm_the_team_mail_s_number_fails_and_the_manager_s_passes(level, variant):
    env, world, f = _crm(level, 1, variant)
    assert f["word"]
    verdict = _play(env, env.oracle_actions())
    assert verdict["passed"] and not verdict["violations"], verdict
    env.reset(seed=1)
    from claw_gym.envs import crm_followup_rule as crm

    verdict = _play(env, crm.stale_oracle(env.world, env.scenario.facts))
    assert sorted(_failed(verdict)) == sorted(
        f"a follow-up with {c['contact']} on {c['due']} (and on no other day)" for c in f["calls"]
    )


# ---- address-update -----------------------------------------------------------------------------------------
def _addr(level: int, seed: int):
    env = _at_level("address-update", level, seed)
    return env, env.world, env.scenario.facts


def _addr_identifiers(f) -> list[str]:
    """What an agent has of the matter: the addresses seen (old, temporary, the signature's), their street,
    postcode and house numbers, the friend's number, the rule's words."""
    ids = []
    for a in {f["old"], f["stale"], f["signed"]}:
        ids += [a, a.split(",")[0], a.split(" ", 1)[1].split(",")[0], a.split(", ")[1].rsplit(" ", 1)[0]]
    return [*ids, f["signed"].split()[0], f["phone"], "address", "moved", "new place", "card", *SEARCHED]


@pytest.mark.parametrize("level", LEVELS)
def test_address_the_players_searches_miss_the_flatmate_s_word(level):
    for seed in range(3):
        env, world, f = _addr(level, seed)
        friend = next(p for p in world.persona.people if p.name == f["name"])
        for who in (f["name"], friend.first, friend.email, friend.phone, f["phone"]):
            assert f["fix_sms"] not in _found(env, person=who), who
        for text in [*_addr_identifiers(f), f["name"], friend.first]:
            hits = _found(env, text)
            assert f["fix_sms"] not in hits or (text.isdigit() and len(hits) > 40), text  # a bare number: no lead


@pytest.mark.parametrize("level", LEVELS)
def test_address_the_word_names_no_identifier_and_its_time_fits_the_quiet_mail(level):
    for seed in range(3):
        env, world, f = _addr(level, seed)
        texts = world.services["sms"].table("messages")
        mate = next(p for p in world.persona.people if p.name == f["mate"])
        word = texts[f["fix_sms"]]
        assert word["number"] == mate.phone and word["body"] == f["line"]
        for ident in [*_addr_identifiers(f)[:-2], f["name"], f["name"].split()[0]]:
            assert ident.lower() not in word["body"].lower(), ident
        assert word["body"].endswith(" " + f["address"].split()[0])  # the right house number, nothing else
        theirs = [m for m in texts.values() if m["number"] == mate.phone and m["body"].startswith("re ")]
        assert len(theirs) >= 4
        for m in theirs:  # each speaks of something that came in before it was sent
            hm, dm = re.search(r"came in at (\d\d:\d\d) on (\d+ [A-Z][a-z]+):", m["body"]).groups()
            assert any(oblique.day_month(m["time"] - k * clock.DAY) == dm for k in range(16)), m["body"]
        # "the mail that came in at HH:MM on 14 October" resolves to one mail: the quiet one, signed with the slip
        hhmm, day = re.search(r"came in at (\d\d:\d\d) on (\d+ [A-Z][a-z]+):", word["body"]).groups()
        mails = world.services["mail"].table("messages")
        fits = [
            m["id"] for m in mails.values() if clock.fmt(m["time"])[-5:] == hhmm and oblique.day_month(m["time"]) == day
        ]
        quiet = mails[f["candidates"][-1]]
        assert fits == [quiet["id"]] and f["signed"] in quiet["body"]
        # whose word on the address goes is in that mail, before the word
        assert f"{f['mate']} (we share the flat now) does all the admin" in quiet["body"]
        assert quiet["time"] < word["time"] and world.clock.now - word["time"] >= (30 if level == 4 else 60) * clock.DAY
        # the friend's own texts never give the right number
        right = f["address"].split()[0]
        assert not any(re.search(rf"\b{right}\b", m["body"]) for m in texts.values() if m["number"] == f["phone"])


def _update(f: dict, address: str) -> list[str]:
    """The card by the contacts API, the keeper told by mail, a to-do."""
    return [
        A.api("contacts.update", id=f["contact"], address=address, phone=f["phone"]),
        A.api("mail.send", to=[f["keeper"][0]], subject="card list", body=f"{f['name']}: {address}"),
        A.api("todo.add_task", title="post it", due=f["due"]),
        A.finish("done"),
    ]


@pytest.mark.parametrize("level", LEVELS)
def test_address_the_signature_as_written_fails_and_the_flatmate_s_number_passes(level):
    env, world, f = _addr(level, 1)
    assert f["mate"]
    verdict = _play(env, env.oracle_actions())
    assert verdict["passed"] and not verdict["violations"], verdict
    env.reset(seed=1)
    assert _failed(_play(env, _update(f, f["signed"]))) == [
        "contact has the newest address",
        "the card-list keeper was told the new address (and only that one)",
    ]
    env.reset(seed=1)
    verdict = _play(env, _update(f, f["address"]))
    assert verdict["passed"] and not verdict["violations"], verdict


# ---- deal-confirm -------------------------------------------------------------------------------------------
DEAL_VARIANTS = ["license", "service"]


def _deal(level: int, seed: int, variant: str):
    env = _at_level("deal-confirm", level, seed, variant=variant)
    return env, env.world, env.scenario.facts


def _deal_identifiers(world, f) -> list[str]:
    """What an agent has of the matter: the account, contact, deal ids and titles, every figure of the price talk
    (quotes, the CRM's discount and price), as written and bare."""
    deals = world.services["crm"].table("deals")
    acts = [a for a in world.services["crm"].table("activities").values() if a["deal"] == f["deal"]]
    contact = f["email"].split("@")[0].replace(".", " ")
    figures = {*f["stale"], *f["stale_more"]}
    for a in acts:
        figures |= {float(x.replace(",", "")) for x in re.findall(r"EUR ([\d,]+)", a["text"])}
    ids = [f["account"], contact, contact.split()[0], f["email"], f["deal"], deals[f["deal"]]["title"]]
    ids += [deals[d]["title"] for d in f["others"]] + ([deals[f["other"]]["title"], f["other"]] if f["other"] else [])
    ids += [f"{x:,.0f}" for x in figures] + [f"{x:.0f}" for x in figures]
    return [*ids, "discount", "quote", "price", "in the end", *SEARCHED]


@pytest.mark.parametrize("variant", DEAL_VARIANTS)
@pytest.mark.parametrize("level", LEVELS)
def test_deal_the_players_searches_miss_the_manager_s_word(level, variant):
    for seed in range(3):
        env, world, f = _deal(level, seed, variant)
        contact = f["email"].split("@")[0].replace(".", " ").title()
        assert not _finding(
            env,
            f["word"],
            people=(contact, contact.split()[0], f["email"], f["account"], world.persona.me.name),
            texts=_deal_identifiers(world, f),
        )


@pytest.mark.parametrize("variant", DEAL_VARIANTS)
@pytest.mark.parametrize("level", LEVELS)
def test_deal_the_word_names_no_identifier_and_its_time_fits_the_agreement(level, variant):
    for seed in range(3):
        env, world, f = _deal(level, seed, variant)
        boss = world.persona.by_relation("manager")[0]
        chat = world.services["chat"].table("messages")
        word = chat[f["word"]]
        assert word["channel"] == f["boss_channel"] and word["sender"] == boss.name and word["text"] == f["line"]
        for ident in _deal_identifiers(world, f)[:-5]:
            assert ident.lower() not in word["text"].lower(), ident
        theirs = [m for m in chat.values() if m["sender"] == boss.name and m["text"].startswith("re what you logged")]
        assert len(theirs) >= 4 and all(9 <= clock.to_datetime(m["time"]).hour < 21 for m in theirs)
        agreed = world.services["crm"].table("activities")[f["candidates"][-1]]
        for m in theirs:  # each speaks of something logged before it, and comes after the agreement
            dm = re.search(r"logged at \d\d:\d\d on (\d+ [A-Z][a-z]+):", m["text"]).group(1)
            assert any(oblique.day_month(m["time"] - k * clock.DAY) == dm for k in range(12)), m["text"]
            assert m["time"] > agreed["time"]
        # "what you logged at HH:MM on 14 October" resolves to one CRM activity: the agreement, on the deal asked about
        hhmm, day = re.search(r"logged at (\d\d:\d\d) on (\d+ [A-Z][a-z]+):", word["text"]).groups()
        acts = world.services["crm"].table("activities").values()
        fits = [a["id"] for a in acts if clock.fmt(a["time"])[-5:] == hhmm and oblique.day_month(a["time"]) == day]
        assert fits == [f["candidates"][-1]]
        # the manager's last word on discounts is written before the word, and the word is as deep as the level
        notes = world.services["notes"].table("notes").values()
        rule = [n for n in notes if f"{boss.first} has the last word on discounts" in n["body"]]
        assert len(rule) == 1 and rule[0]["updated"] < word["time"]
        assert world.clock.now - word["time"] >= (30 if level == 4 else 60) * clock.DAY
        off = float(re.search(r"(?:make it|get) ([\d,]+) off", word["text"]).group(1).replace(",", ""))
        assert f["final"] == f["stale"][-1] - off and f["final"] not in f["stale_more"]  # the word's discount decides
        crm_off = float(re.search(r"EUR ([\d,]+)", agreed["text"]).group(1).replace(",", ""))
        assert crm_off != off and f["stale_more"][-1] == f["stale"][-1] - crm_off


def _deal_steps(env, amount: float) -> list[str]:
    """Update the deal, reply to the request with the manager in cc, the chase at 5."""
    f = env.scenario.facts
    steps = [
        A.api("crm.update_deal", id=f["deal"], amount=amount, stage="negotiation"),
        A.api("workmail.send", to=[f["email"]], cc=f["boss"], subject="Price", body=f"Agreed: EUR {amount:,.0f}."),
    ]
    if "chase_at" in f:
        end = clock.fmt(f["chase_at"] + 30 * clock.MINUTE)
        steps.append(A.api("calendar.create_event", title="Chase", start=clock.fmt(f["chase_at"]), end=end))
    return [*steps, A.finish("done")]


@pytest.mark.parametrize("variant", DEAL_VARIANTS)
@pytest.mark.parametrize("level", LEVELS)
def test_deal_the_crm_s_discount_fails_and_the_manager_s_passes(level, variant):
    env, world, f = _deal(level, 1, variant)
    crm_price = f["stale_more"][-1]  # the last quote less the CRM's discount: what the players found
    assert f["word"] and crm_price != f["final"]
    verdict = _play(env, env.oracle_actions())
    assert verdict["passed"] and not verdict["violations"], verdict
    env.reset(seed=1)
    assert set(_failed(_play(env, _deal_steps(env, crm_price)))) >= {
        "deal amount is the agreed price",
        "customer got the agreed price in writing",
    }
    env.reset(seed=1)
    verdict = _play(env, _deal_steps(env, f["final"]))
    assert verdict["passed"] and not verdict["violations"], verdict
