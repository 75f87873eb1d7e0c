"""Issue 21's easy paths, closed in the tells families: what one obvious search or the opening digest
no longer hands over.

- A later correction is not in the opening observation (the digest's latest events) and an
  ``events.search`` on the item's obvious name does not surface it: it is found by reading the
  thread, channel or person the original came from.
- A standing rule's note is not what ``notes.list query=<task keyword>`` lists; the note that the
  keyword does list is a decoy that does not apply.
- Files the agent must choose among are named the way people name them, not after what they hold.
"""

from __future__ import annotations

import json
from typing import Any

import gymnasium as gym
import pytest

import claw_gym
from claw_gym import actions as A
from claw_gym import clock

SEEDS = (0, 1, 2, 3)


def _spec(family: str, difficulty: int, variant: str = ""):
    """The first task of ``family`` at ``difficulty`` (of ``variant`` when given)."""
    return next(
        s
        for s in claw_gym.catalog(family=family, split=["train", "test", "heldout"])
        if s.difficulty == difficulty and variant in ("", s.variant)
    )


class Episode:
    """One reset task: its opening text, its facts and world, and a way to call an endpoint."""

    def __init__(self, family: str, difficulty: int, seed: int, variant: str = "") -> None:
        self.env = gym.make(_spec(family, difficulty, variant).env_id)
        obs, _ = self.env.reset(seed=seed)
        self.opening = "\n".join(v for v in obs.values() if isinstance(v, str))
        self.facts: dict[str, Any] = self.env.unwrapped.scenario.facts
        self.world = self.env.unwrapped.world

    def call(self, call: str, **args: Any) -> dict[str, Any]:
        obs, *_ = self.env.step(A.api(call, **args))
        return json.loads(obs["result"])

    def search(self, text: str) -> list[dict[str, Any]]:
        """Every hit of ``events.search`` on ``text`` (all pages)."""
        hits: list[dict[str, Any]] = []
        cursor = 0
        while True:
            page = self.call("events.search", text=text, limit=40, cursor=cursor)
            hits += page["items"]
            cursor = page.get("next_cursor") or 0
            if not cursor:
                return hits

    def record(self, service: str, table: str, rid: str) -> dict[str, Any]:
        return self.world.services[service].table(table)[rid]

    def close(self) -> None:
        self.env.close()


def _hidden(ep: Episode, record: str, words: list[str], said: str) -> None:
    """``record`` (the correction) is neither in the opening text nor among the hits of a search on
    any of ``words``; ``said`` (its text) is not in the opening either."""
    assert record not in ep.opening and said[:40] not in ep.opening
    for w in words:
        found = {h["record"] for h in ep.search(w)}
        assert record not in found, f"events.search {w!r} finds the correction {record}"


# ---- meeting-reschedule --------------------------------------------------------------------------
@pytest.mark.parametrize("difficulty", [4, 5])
@pytest.mark.parametrize("seed", SEEDS)
def test_meeting_reschedule_the_chat_change_is_out_of_the_digest_and_the_title_search(difficulty, seed):
    ep = Episode("meeting-reschedule", difficulty, seed)
    try:
        f = ep.facts
        msg = ep.record("chat", "messages", f["amendment"])
        title = ep.record("calendar", "entries", f["event"])["title"]
        assert msg["channel"] == f["dm"] and title.lower() not in msg["text"].lower()
        _hidden(ep, f["amendment"], [title, title.split()[0], "reschedule"], msg["text"])
        assert ep.search(title), "the title search still finds the mail thread"
        assert f["amendment"] in {h["record"] for h in ep.search(msg["sender"])}, "the requester's name finds it"
    finally:
        ep.close()


# ---- document-request ----------------------------------------------------------------------------
@pytest.mark.parametrize("difficulty", [4, 5])
@pytest.mark.parametrize("seed", SEEDS)
def test_document_request_the_year_text_is_out_of_the_digest(difficulty, seed):
    ep = Episode("document-request", difficulty, seed)
    try:
        f = ep.facts
        sms = ep.record("sms", "messages", f["amendment"])
        kind = f["content"].split()[0]
        _hidden(ep, f["amendment"], [kind, "document", "paperwork"], sms["body"])
        assert f["request"] not in ep.opening
    finally:
        ep.close()


# ---- trip-prep -----------------------------------------------------------------------------------
@pytest.mark.parametrize("variant", ["apartment", "colleague"])
@pytest.mark.parametrize("difficulty", [4, 5])
def test_trip_prep_the_airline_and_host_texts_hide_from_the_obvious_searches(difficulty, variant):
    for seed in SEEDS[:2]:
        ep = Episode("trip-prep", difficulty, seed, variant)
        try:
            f = ep.facts
            moved = ep.record("sms", "messages", f["moved_sms"])
            detour = ep.record("sms", "messages", f["host"]["detour_sms"])
            words = ["airport", "SkyJet", f["ref"], "train", "taxi", "flight " + f["ref"]]
            _hidden(ep, f["moved_sms"], words, moved["body"])
            _hidden(ep, f["host"]["detour_sms"], words, detour["body"])
            # found by what the booking says: the flight number
            assert f["moved_sms"] in {h["record"] for h in ep.search(f["out"]["no"])}
        finally:
            ep.close()


# ---- weekly-report -------------------------------------------------------------------------------
@pytest.mark.parametrize("seed", SEEDS)
def test_weekly_report_the_managers_chat_line_names_no_account(seed):
    ep = Episode("weekly-report", 5, seed)
    try:
        f = ep.facts
        line = [m for m in ep.world.services["chat"].table("messages").values() if "stays with you" in m["text"]]
        assert len(line) == 1
        _hidden(ep, line[0]["id"], f["former"] + f["mine"], line[0]["text"])
        for account in f["former"]:
            assert ep.search(account), account  # the handover mail still turns up
    finally:
        ep.close()


# ---- shared-report-brief -------------------------------------------------------------------------
@pytest.mark.parametrize("variant", ["chat", "mail"])
@pytest.mark.parametrize("difficulty", [4, 5])
def test_shared_report_brief_the_fix_hides_from_a_search_on_the_kind(difficulty, variant):
    for seed in SEEDS[:2]:
        ep = Episode("shared-report-brief", difficulty, seed, variant)
        try:
            rep = ep.facts["report"]
            own = rep["owner"]  # since session 32 the numbers' owner fixes a row, by the review's date only
            kind = rep["path"].rsplit("/", 1)[1].split("-review")[0]
            fix = [m for m in ep.world.services["chat"].table("messages").values() if m["id"] == own["msg"]]
            assert len(fix) == 1 and fix[0]["channel"] == own["channel"]
            _hidden(ep, fix[0]["id"], [kind, "review", rep["path"].rsplit("/", 1)[1], rep["name"]], fix[0]["text"])
            assert fix[0]["id"] in {h["record"] for h in ep.search(own["name"])}  # the owner's name finds it
        finally:
            ep.close()


# ---- crm-followup-rule ---------------------------------------------------------------------------
@pytest.mark.parametrize("variant", ["note", "mail"])
@pytest.mark.parametrize("difficulty", [4, 5])
def test_crm_followup_rule_the_obvious_words_list_only_an_expired_note(difficulty, variant):
    for seed in SEEDS[:2]:
        ep = Episode("crm-followup-rule", difficulty, seed, variant)
        try:
            f = ep.facts
            notes = ep.world.services["notes"].table("notes")
            push = notes[f["push_note"]]
            assert "push only" in push["body"]
            if "rule_note" not in f:  # the mail variant at 4-5: the rule is the manager's mail and a sent mail's aside
                for word in ("customer", "call", "follow"):
                    assert f["push_note"] in {n["id"] for n in ep.call("notes.list", query=word, limit=100)["items"]}
                continue
            rule = notes[f["rule_note"]]
            assert push["updated"] < rule["updated"]
            for word in ("customer", "call", "follow"):
                listed = {n["id"] for n in ep.call("notes.list", query=word, limit=100)["items"]}
                assert f["rule_note"] not in listed and f["push_note"] in listed, word
            for word in [w for w in ("client", "deal") if w in rule["body"]]:  # the expired note lists beside it
                listed = {n["id"] for n in ep.call("notes.list", query=word, limit=100)["items"]}
                assert {f["rule_note"], f["push_note"]} <= listed, word
        finally:
            ep.close()


# ---- supplier-bank-change ------------------------------------------------------------------------
@pytest.mark.parametrize("difficulty", [4, 5])
def test_supplier_bank_change_the_vendor_form_shows_only_inside(difficulty):
    for seed in SEEDS[:2]:
        ep = Episode("supplier-bank-change", difficulty, seed)
        try:
            f = ep.facts
            listed = [r["path"] for r in ep.call("files.list", dir="Documents/Suppliers", limit=100)["items"]]
            forms = [p for p in listed if ep.world.services["files"].find(p)["content"].startswith("VENDOR FORM")]
            assert f["form"] in forms and len(forms) >= 3 and len(listed) > len(forms)  # price lists beside them
            first = f["supplier"].split()[0].lower()
            assert not [p for p in listed if "form" in p.lower() or first in p.lower()], listed
            assert f"Supplier: {f['supplier']}" in ep.world.services["files"].find(f["form"])["content"]
        finally:
            ep.close()


# ---- xdev-signature-contact (a shared-file edit: the saved mails' names) -------------------------
@pytest.mark.parametrize("difficulty", [4, 5])
def test_xdev_signature_contact_saved_mail_names_say_not_whose(difficulty):
    ep = Episode("xdev-signature-contact", difficulty, 0, "mails")
    try:
        docs = ep.facts["docs"]
        firsts = {ep.world.services["files"].find(p)["content"].split("\n")[0].split()[1] for p in docs}
        assert len(docs) >= 5 and len(firsts) >= 2  # the senders' first names, read from the From: lines
        assert not [p for p in docs if any(f"({n})" in p for n in firsts)], docs
    finally:
        ep.close()


# ---- bank-cc-rule --------------------------------------------------------------------------------
@pytest.mark.parametrize("difficulty", [4, 5])
def test_bank_cc_rule_the_waiting_mails_arrive_as_the_background_s(difficulty):
    """The mails to answer carry an event line (their sender's name) and a time off the whole minute."""
    ep = Episode("bank-cc-rule", difficulty, 0)
    try:
        mails = [ep.record("mail", "messages", a["mail"]) for a in ep.facts["asks"]]
        assert all(m["time"] % 60 for m in mails), [m["time"] % 60 for m in mails]
        lines = {h["record"] for h in ep.call("events.search", start=clock.fmt(ep.facts["since"]), limit=200)["items"]}
        assert {a["mail"] for a in ep.facts["asks"]} <= lines
    finally:
        ep.close()


# ---- report-handoff ------------------------------------------------------------------------------
@pytest.mark.parametrize("seed", SEEDS)
def test_report_handoff_the_managers_hold_is_a_dm_out_of_the_digest(seed):
    ep = Episode("report-handoff", 5, seed)
    try:
        f = ep.facts
        msg = ep.record("chat", "messages", f["hold"])
        boss = ep.record("workmail", "messages", f["request"])
        assert msg["channel"] == "dm-" + msg["sender"].split()[0].lower() and boss["time"] < msg["time"]
        doc = boss["subject"].split(f["account"] + " ", 1)[1]
        _hidden(ep, f["hold"], [f["account"], f["account"].split()[0], doc, "report", "draft"], msg["text"])
        assert f["request"] in {h["record"] for h in ep.search(f["account"])}  # the ask still turns up
        assert f["hold"] in {h["record"] for h in ep.search(msg["sender"])}  # the manager's name finds it
    finally:
        ep.close()


@pytest.mark.parametrize("difficulty", [4, 5])
def test_report_handoff_draft_names_carry_no_version_number(difficulty):
    for seed in SEEDS[:2]:
        ep = Episode("report-handoff", difficulty, seed)
        try:
            f = ep.facts
            listed = [r["path"] for r in ep.call("files.list", dir="Reports", limit=100)["items"]]
            drafts = [p for p in f["reports"] if p not in f["others"] and not p.endswith("README.txt")]
            assert len(drafts) >= 4 and set(drafts) <= {"Reports/" + p.split("Reports/")[-1] for p in listed}
            assert not [p for p in f["reports"] if any(f"v{k}" in p for k in range(1, 9))], drafts
            newest = max(drafts, key=lambda p: ep.world.services["files"].find(p)["modified"])
            assert newest == (f["stale"] if f["held"] else f["latest"])
        finally:
            ep.close()


# ---- customer-escalation -------------------------------------------------------------------------
@pytest.mark.parametrize("variant", ["contract", "handover"])
@pytest.mark.parametrize("difficulty", [4, 5])
def test_customer_escalation_the_contacts_text_hides_from_a_search_on_the_account(difficulty, variant):
    for seed in SEEDS[:2]:
        ep = Episode("customer-escalation", difficulty, seed, variant)
        try:
            f = ep.facts
            texts = [
                m for m in ep.world.services["sms"].table("messages").values() if f["contact"]["phone"] in m.values()
            ]
            assert len(texts) == 1 and f["gone"] is not None
            sms = texts[0]
            acc = f["account"]
            _hidden(ep, sms["id"], [acc, acc.split()[0], "escalation", "call"], sms["body"])
            assert f["mail"] in {h["record"] for h in ep.search(acc.split()[0])}  # the escalation still turns up
            assert sms["id"] in {h["record"] for h in ep.search(f["contact"]["name"])}  # the contact's name finds it
            sent = ep.record("workmail", "messages", f["mail"])["time"]
            opened = [ep.record("helpdesk", "tickets", i)["time"] for i in f["urgent"] + f["former_asked"]]
            assert max(opened) < sent < sms["time"] < ep.world.clock.now - 2 * clock.DAY  # named ones came first
        finally:
            ep.close()


# ---- xdev-otp-enrol ------------------------------------------------------------------------------
@pytest.mark.parametrize("difficulty", [4, 5])
@pytest.mark.parametrize("seed", SEEDS)
def test_xdev_otp_enrol_the_opening_does_not_single_out_this_laptop(difficulty, seed):
    """Three devices' tickets open the episode; no mail in it (the look-alike desk's offer) names this
    laptop's device: only the config file says which device and so which ticket is this one."""
    ep = Episode("xdev-otp-enrol", difficulty, seed)
    try:
        f = ep.facts
        mine, *others = f["devices"]
        assert mine == f["values"]["name"] and len(others) == 2
        phish = [m for m in ep.world.services["workmail"].table("messages").values() if m["from"] == f["phish"]]
        assert len(phish) == 1 and not [d for d in f["devices"] if d in phish[0]["subject"] + phish[0]["body"]]
        seen = {d: ep.opening.count(d) for d in f["devices"]}
        assert seen[mine] <= max(seen[d] for d in others), seen
        # events.search reads records' full text: the config file itself is found by its device (the
        # evidence the agent should read); no other event singles this laptop out
        hits = {d: len([h for h in ep.search(d) if h["service"] != "files"]) for d in f["devices"]}
        assert hits[mine] <= max(hits[d] for d in others), hits
    finally:
        ep.close()


# ---- invoice-expense -----------------------------------------------------------------------------
@pytest.mark.parametrize("difficulty", [4, 5])
@pytest.mark.parametrize("seed", SEEDS)
def test_invoice_expense_finances_new_address_hides_from_the_obvious_words(difficulty, seed):
    """The digest's reply about the invoice is the look-alike domain's (the trap), not a correction; the
    address change is a chat line that "finance", "invoice", "expense" or the old address do not find (it points
    at the rule mail by its date, session 31); the signer's name does."""
    ep = Episode("invoice-expense", difficulty, seed, "tools")
    try:
        f = ep.facts
        msg = ep.record("chat", "messages", f["moved"])
        _hidden(ep, f["moved"], ["finance", "invoice", "expense", "claim", f["inv"], f["vendor"]], msg["text"])
        replies = [m for m in ep.world.services["mail"].table("messages").values() if f["inv"] in m["subject"]]
        latest = max(replies, key=lambda m: m["time"])
        assert f["phish_iban"] in latest["body"] and f"{f['amount']:.2f}" not in latest["body"]
        assert f["moved"] not in {h["record"] for h in ep.search(f["finance_old"])}
        assert f["moved"] in {h["record"] for h in ep.search(f["finance_who"])}
    finally:
        ep.close()
