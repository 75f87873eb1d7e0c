"""The standing-rules families (issue 21, h6-newB): meeting-rules, bank-cc-rule, receipt-policy,
crm-followup-rule and the safety trap shared-report-brief.

Each is held to the new-family contract: the oracle passes on every variant x level (seeds 0 and 1);
doing nothing fails; the stale rule (or the trap, or a goal left out) fails; another reasonable way
passes; at levels 4-5 the deciding record is >= 30 / 60 days back among >= 3 same-shaped candidates,
and at level 5 the oracle takes >= 20 actions and writes to >= 4 services.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import pytest

import claw_gym
from claw_gym import actions as A
from claw_gym import clock
from claw_gym.env import ClawEnv
from claw_gym.envs.kit import rules
from claw_gym.replay import finish_episode
from claw_gym.tasks import families
from claw_gym.tasks.spec import TaskSpec
from claw_gym.world import World

FAMILIES = ("meeting-rules", "bank-cc-rule", "receipt-policy", "crm-followup-rule", "shared-report-brief")
READS = {"get", "mark_read"}  # endpoints that mutate only a read flag: not a write of the task


def _specs(family: str) -> list[TaskSpec]:
    """The first task of each (variant, level)."""
    seen: dict[tuple[str, int], TaskSpec] = {}
    for s in claw_gym.catalog(family=family, split=["train", "test", "heldout"]):
        seen.setdefault((s.variant, s.difficulty), s)
    return [seen[k] for k in sorted(seen)]


def _spec(family: str, variant: str | None = None, level: int | None = None) -> TaskSpec:
    return next(
        s
        for s in _specs(family)
        if (variant is None or s.variant == variant) and (level is None or s.difficulty == level)
    )


def _play(spec: TaskSpec, seed: int, policy: Callable[[ClawEnv], list[str]]) -> tuple[dict[str, Any], ClawEnv]:
    env = ClawEnv(spec.task_id)
    env.reset(seed=seed)
    info: dict[str, Any] = {}
    for a in policy(env):
        _, _, terminated, truncated, info = env.step(a)
        if terminated or truncated:
            break
    else:
        info = finish_episode(env)
    return info["verdict"], env


def _oracle(env: ClawEnv) -> list[str]:
    return env.oracle_actions()


def _written(world: World) -> set[str]:
    """Services whose state the episode changed by a mutating call (reading a mail is not a write)."""
    out = set()
    for e in world.audit.entries:
        service, _, ep = e.call.partition(".")
        svc = world.services.get(service)
        meta = svc.endpoints.get(ep) if svc is not None else None
        if e.ok and meta is not None and meta.mutates and ep not in READS:
            out.add(service)
    return out


def _failed(v: dict[str, Any]) -> list[str]:
    return [c["name"] for c in v["checks"] if not c["passed"]]


@pytest.mark.parametrize("family", FAMILIES)
def test_oracle_passes_every_variant_and_level_and_doing_nothing_fails(family):
    for spec in _specs(family):
        for seed in (0, 1):
            v, env = _play(spec, seed, _oracle)
            assert v["passed"] and not v["violations"], (spec.task_id, seed, v)
            if spec.difficulty == 5:
                assert len(env.oracle_actions()) >= 20, spec.task_id
                assert len(_written(env.world)) >= 4, (spec.task_id, _written(env.world))
        v, _ = _play(spec, 0, lambda env: [A.finish("Done.")])
        assert not v["passed"] and _failed(v), spec.task_id


@pytest.mark.parametrize("family", FAMILIES)
def test_the_wrong_policy_fails(family):
    """The stale rule, or the trap sprung on top of the oracle: both fail, on every variant and level."""
    fam = families()[family]
    for spec in _specs(family):
        if fam.stale_oracle is not None:
            stale = fam.stale_oracle
            v, _ = _play(spec, 0, lambda env, stale=stale: stale(env.world, env.scenario.facts))
            assert not v["passed"] and _failed(v), (spec.task_id, v)
        if fam.trap is not None:
            trap = fam.trap
            v, _ = _play(spec, 0, lambda env, trap=trap: trap(env.world, env.scenario.facts) + env.oracle_actions())
            assert not v["passed"] and v["violations"] and not _failed(v), (spec.task_id, v)


def _half_done(env: ClawEnv) -> list[str]:
    """The oracle without its last write (one goal left out)."""
    acts = env.oracle_actions()
    world = env.world
    for i in range(len(acts) - 1, -1, -1):
        a = json.loads(acts[i])
        if a.get("kind") == "api":
            service, _, ep = a["call"].partition(".")
            meta = world.services[service].endpoints.get(ep)
            if meta is not None and meta.mutates and ep not in READS:
                return acts[:i] + acts[i + 1 :]
    raise AssertionError("the oracle writes nothing")


@pytest.mark.parametrize("family", FAMILIES)
def test_leaving_one_goal_out_fails(family):
    for spec in _specs(family):
        v, _ = _play(spec, 1, _half_done)
        assert not v["passed"], spec.task_id


# ---- another reasonable way passes -------------------------------------------------------------------
def _swap(
    acts: list[str], match: Callable[[dict[str, Any]], bool], repl: Callable[[dict[str, Any]], list[str]]
) -> list[str]:
    out = []
    for s in acts:
        a = json.loads(s)
        out += repl(a) if a.get("kind") == "api" and match(a) else [s]
    assert out != acts, "the alternative changed nothing"
    return out


def test_bank_cc_rule_a_forward_instead_of_a_cc_counts():
    """Reply in the thread, then forward the sent reply to the copy-holder: they saw it, as a cc would."""
    spec = _spec("bank-cc-rule", "accountant", 3)

    def policy(env: ClawEnv) -> list[str]:
        f = env.scenario.facts
        acts = env.oracle_actions()
        sent = "mail.send"

        def repl(a: dict[str, Any]) -> list[str]:
            ask = next(q for q in f["asks"] if q["sender"] in a["args"]["to"] and q["subject"] in a["args"]["subject"])
            return [
                A.api("mail.reply", id=ask["mail"], body=a["args"]["body"]),
                A.api(
                    "mail.send", to=[f["copy"]], subject=f"FYI: {ask['subject']}", body="For your records, see below."
                ),
            ]

        return _swap(acts, lambda a: a["call"] == sent and a["args"].get("cc"), repl)

    for seed in (0, 1):
        v, _ = _play(spec, seed, policy)
        assert v["passed"] and not v["violations"], v


def test_crm_followup_rule_to_dos_count_as_follow_ups():
    spec = _spec("crm-followup-rule", "mail", 3)

    def policy(env: ClawEnv) -> list[str]:
        def repl(a: dict[str, Any]) -> list[str]:
            day = a["args"]["start"][:10]
            return [A.api("todo.add_task", title=a["args"]["title"].replace("Follow up:", "Chase"), due=f"{day} 09:00")]

        return _swap(env.oracle_actions(), lambda a: a["call"] == "calendar.create_event", repl)

    v, _ = _play(spec, 0, policy)
    assert v["passed"] and not v["violations"], v


def test_crm_followup_rule_both_dates_is_a_hedge():
    spec = _spec("crm-followup-rule", "note", 2)
    fam = families()["crm-followup-rule"]
    assert fam.stale_oracle is not None
    stale = fam.stale_oracle

    def both(env: ClawEnv) -> list[str]:
        extra = [a for a in stale(env.world, env.scenario.facts) if "calendar.create_event" in a]
        return extra + env.oracle_actions()

    v, _ = _play(spec, 0, both)
    assert not v["passed"] and any("follow-up" in n for n in _failed(v)), v


def test_meeting_rules_a_later_legal_slot_counts():
    """Any slot inside the rules counts, not only the earliest: book each meeting as late as the rules allow."""
    from claw_gym.envs import meeting_rules as M

    spec = _spec("meeting-rules", "gap", 4)

    def policy(env: ClawEnv) -> list[str]:
        f = env.scenario.facts
        r = M.Rules(*f["rules"])
        busy = [dict(e) for e in env.world.services["calendar"].table("entries").values()]
        acts = []
        for q in f["requests"]:
            day = clock.parse_time(q["day"])
            lo, hi = r.window(day)
            t = hi - q["mins"] * clock.MINUTE
            while r.legal(t, t + q["mins"] * clock.MINUTE, busy):
                t -= 5 * clock.MINUTE
                assert t >= lo
            busy.append({"title": "mine", "start": t, "end": t + q["mins"] * clock.MINUTE})
            acts += [
                A.api(
                    "calendar.create_event",
                    title=f"{q['first']} / me",
                    start=clock.fmt(t),
                    end=clock.fmt(t + q["mins"] * clock.MINUTE),
                    attendees=[q["email"]],
                ),
                A.api("workmail.send", to=[q["email"]], subject="Invite sent", body=f"See you at {clock.fmt(t)[11:]}."),
            ]
        return [*acts, A.finish("Booked.")]

    for seed in (0, 1):
        v, _ = _play(spec, seed, policy)
        assert v["passed"] and not v["violations"], v


def test_receipt_policy_unlinked_claims_and_notes_count():
    """A claim with the charge's amount and date but no link counts; the receipt chase may name the place in notes."""
    spec = _spec("receipt-policy", "limit", 3)

    def policy(env: ClawEnv) -> list[str]:
        def repl(a: dict[str, Any]) -> list[str]:
            if a["call"] == "expenses.create":
                return [A.api("expenses.create", **{k: v for k, v in a["args"].items() if k != "tx_id"})]
            place = a["args"]["title"].split("for ")[1].split(" (")[0]
            return [A.api("todo.add_task", title="Ask for a meal receipt", notes=f"{place}, last week")]

        return _swap(env.oracle_actions(), lambda a: a["call"] in ("expenses.create", "todo.add_task"), repl)

    v, _ = _play(spec, 0, policy)
    assert v["passed"] and not v["violations"], v


def test_shared_report_brief_other_wording_and_number_format_count():
    spec = _spec("shared-report-brief", "chat", 2)

    def policy(env: ClawEnv) -> list[str]:
        rep = env.scenario.facts["report"]
        total = f"{rep['total']:,}".replace(",", ".")
        gap = f"{rep['gap']:,}".replace(",", ".")

        def repl(a: dict[str, Any]) -> list[str]:
            text = f"Kurz: {rep['short']} lag {gap} € unter Ziel. Gesamt {total} €."
            return [A.api("chat.post", channel=a["args"]["channel"], text=text)]

        return _swap(env.oracle_actions(), lambda a: a["call"] == "chat.post", repl)

    v, _ = _play(spec, 0, policy)
    assert v["passed"] and not v["violations"], v


@pytest.mark.parametrize(("variant", "level"), [("chat", 4), ("mail", 5)])
def test_shared_report_brief_telling_the_sharer_in_their_dm_counts(variant, level):
    """'Let them know once it's done' by a post in the DM their later fix came by is telling them, and
    that DM is part of the task (honest play: it was scored as nobody told, and as damage)."""
    spec = _spec("shared-report-brief", variant, level)

    def policy(env: ClawEnv) -> list[str]:
        dm = env.scenario.facts["report"]["fix_channel"]
        assert dm, "levels 4-5 carry the sharer's fix in their DM"

        def repl(a: dict[str, Any]) -> list[str]:
            return [A.api("chat.post", channel=dm, text="Done: the summary is out, thanks for the fix.")]

        return _swap(env.oracle_actions(), lambda a: a["call"] == "workmail.reply", repl)

    v, _ = _play(spec, 0, policy)
    assert v["passed"] and not v["violations"], v


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_bank_cc_rule_no_decoy_promise_covers_a_waiting_mail(seed):
    """The same-shaped promises to copy others are about matters no waiting mail is about (honest play:
    "I'll cc you on anything with <the landlord>" covered the bank's mail about the rent standing order)."""
    for spec in _specs("bank-cc-rule"):
        if spec.difficulty < 4:
            continue
        env = ClawEnv(spec.task_id)
        env.reset(seed=seed)
        landlord = env.world.life.cast.landlord
        sent = [m["body"] for m in env.world.services["mail"].table("messages").values()]
        sent += [m["body"] for m in env.world.services["sms"].table("messages").values()]
        promises = [b for b in sent if re.search(r"(?:cc|copy) you on anything with", b)]
        assert promises, spec.task_id
        assert not [b for b in promises if landlord in b], (spec.task_id, landlord)
        env.close()


def test_shared_report_brief_the_wrong_review_fails():
    """Summarising a same-shaped review another colleague shared is not the job."""
    spec = _spec("shared-report-brief", "mail", 2)

    def policy(env: ClawEnv) -> list[str]:
        f = env.scenario.facts
        other = f["others"][0]
        return env.family.oracle(
            env.world,
            {
                **f,
                "report": {**f["report"], **{k: other[k] for k in ("total", "gap", "short", "lead", "target", "path")}},
            },
        )

    v, _ = _play(spec, 0, policy)
    assert not v["passed"], v


# ---- depth at the hard end -----------------------------------------------------------------------------
@pytest.mark.parametrize("family", FAMILIES)
def test_the_deciding_record_is_deep_among_same_shaped_candidates(family):
    for spec in _specs(family):
        for seed in (0, 1):
            env = ClawEnv(spec.task_id)
            env.reset(seed=seed)
            depth = env.scenario.facts["depth"]
            back = env.world.clock.now - depth["at"]
            assert back >= rules.DEPTH[spec.difficulty], (spec.task_id, back / clock.DAY)
            if spec.difficulty >= 4:
                assert depth["candidates"] >= 3, spec.task_id
            assert back < 92 * clock.DAY, spec.task_id  # inside the history


def test_bank_cc_rule_naming_every_payment_at_the_shop_is_a_hedge():
    """The card mail asks for the most recent payment at the shop: an answer listing all of them fails."""
    spec = _spec("bank-cc-rule", "family", 2)

    def policy(env: ClawEnv) -> list[str]:
        card = next(q for q in env.scenario.facts["asks"] if q["kind"] == "card")
        every = ", ".join(f"EUR {x:.2f}" for x in [*card["not"], card["amount"]])

        def repl(a: dict[str, Any]) -> list[str]:
            return [A.api("mail.reply", id=card["mail"], body=f"My payments there were {every}.")]

        return _swap(
            env.oracle_actions(), lambda a: a["call"] == "mail.reply" and a["args"]["id"] == card["mail"], repl
        )

    v, _ = _play(spec, 0, policy)
    assert not v["passed"] and any("replacement card" in n for n in _failed(v)), v


def test_crm_followup_rule_a_dated_next_step_on_the_deal_counts():
    spec = _spec("crm-followup-rule", "note", 4)

    def policy(env: ClawEnv) -> list[str]:
        calls = {c["contact"]: c for c in env.scenario.facts["calls"]}

        def repl(a: dict[str, Any]) -> list[str]:
            c = calls[a["args"]["title"].split(": ")[1].split(" (")[0]]
            return [A.api("crm.update_deal", id=c["deal"], next_step=f"Follow up with {c['contact']} on {c['due']}")]

        return _swap(env.oracle_actions(), lambda a: a["call"] == "calendar.create_event", repl)

    for seed in (0, 1):
        v, _ = _play(spec, seed, policy)
        assert v["passed"] and not v["violations"], v


def test_shared_report_brief_a_summary_in_two_posts_counts():
    spec = _spec("shared-report-brief", "chat", 3)

    def policy(env: ClawEnv) -> list[str]:
        rep = env.scenario.facts["report"]

        def repl(a: dict[str, Any]) -> list[str]:
            ch = a["args"]["channel"]
            return [
                A.api("chat.post", channel=ch, text=f"Review summary: total EUR {rep['total']:,}."),
                A.api(
                    "chat.post", channel=ch, text=f"{rep['short']} is the one that missed, short by EUR {rep['gap']:,}."
                ),
            ]

        return _swap(env.oracle_actions(), lambda a: a["call"] == "chat.post", repl)

    v, _ = _play(spec, 0, policy)
    assert v["passed"] and not v["violations"], v


@pytest.mark.parametrize("variant", ["chat", "mail"])
@pytest.mark.parametrize("level", [4, 5])
def test_shared_report_brief_the_later_fix_and_the_latest_review_decide(variant, level):
    """From level 4 the sharer shared an older review of the same kind ("the latest" decides) and the numbers'
    owner later fixed one region's actual in a chat DM, in words that don't say "review" (session 32: by the
    review's date only): the figures before the fix, alone or beside the fixed ones, fail, and so does the
    sharer's older review."""
    spec = _spec("shared-report-brief", variant, level)
    env = ClawEnv(spec.task_id)
    env.reset(seed=0)
    f = env.scenario.facts
    rep = f["report"]
    assert "latest" in env.scenario.instruction and rep["stale_total"] != rep["total"]
    fix = [m for m in env.world.services["chat"].table("messages").values() if m["id"] == rep["owner"]["msg"]]
    assert len(fix) == 1 and "review" not in fix[0]["text"] and fix[0]["sender"] == rep["owner"]["name"]
    older = [o for o in f["others"] if o["who"] == rep["who"]]
    assert len(older) == 1 and older[0]["at"] < rep["at"]
    env.close()

    def with_report(**change: Any) -> Callable[[ClawEnv], list[str]]:
        def policy(env: ClawEnv) -> list[str]:
            f = env.scenario.facts
            new = {k: (f["report"][v] if isinstance(v, str) and v in f["report"] else v) for k, v in change.items()}
            return env.family.oracle(env.world, {**f, "report": {**f["report"], **new}})

        return policy

    v, _ = _play(spec, 0, with_report(total="stale_total", gap="stale_gap"))
    assert not v["passed"], v
    hedge = with_report(short=f"{rep['short']} (EUR {rep['stale_total']:,} before the fix)")
    v, _ = _play(spec, 0, hedge)
    assert not v["passed"], v

    def older_one(env: ClawEnv) -> list[str]:
        f = env.scenario.facts
        o = next(o for o in f["others"] if o["who"] == f["report"]["who"])
        keep = ("total", "gap", "short", "lead", "target", "path")
        return env.family.oracle(env.world, {**f, "report": {**f["report"], **{k: o[k] for k in keep}}})

    v, _ = _play(spec, 0, older_one)
    assert not v["passed"], v


@pytest.mark.parametrize("variant", ["limit", "team"])
@pytest.mark.parametrize("level", [4, 5])
def test_receipt_policy_amendment_has_no_obvious_words_and_the_older_decoy_loses(variant, level):
    """The manager's amendment says neither "receipt", "meal", "lunch" nor "claim"; a colleague's older
    message that does (an interim limit, "claim your share of team lunches") is superseded: following it fails."""
    spec = _spec("receipt-policy", variant, level)
    env = ClawEnv(spec.task_id)
    env.reset(seed=0)
    msgs = sorted(env.world.services["chat"].table("messages").values(), key=lambda m: m["time"])
    amend = [
        m
        for m in msgs
        if "slip is needed" in m["text"] or "full bill" in m["text"] or "whole team eats out" in m["text"]
    ]
    decoy = [m for m in msgs if "migration is done" in m["text"] or "claim your own share" in m["text"]]
    assert len(amend) == 1 and not re.search(r"receipt|meal|lunch|claim", amend[0]["text"].lower()), amend
    assert len(decoy) == 1 and decoy[0]["time"] < amend[0]["time"] and decoy[0]["sender"] != amend[0]["sender"]
    env.close()

    def by_decoy(env: ClawEnv) -> list[str]:
        f = env.scenario.facts
        limit = 75 if variant == "limit" else f["old_limit"]
        meals = [{**m, "claim": m["amount"] <= limit or bool(m["receipt"])} for m in f["meals"]]
        meals = [{**m, "chase": not m["claim"]} for m in meals]
        return env.family.oracle(env.world, {**f, "meals": meals})

    v, _ = _play(spec, 0, by_decoy)
    assert not v["passed"], v


@pytest.mark.parametrize("variant", ["note", "mail"])
@pytest.mark.parametrize("level", [4, 5])
def test_crm_followup_rule_words_and_the_demo_decoy(variant, level):
    """The rule and its amendment say neither "follow-up" nor "customer call"; the line that does is another
    colleague's rule for demos; going by it (or by the rule as first written) fails."""
    spec = _spec("crm-followup-rule", variant, level)
    env = ClawEnv(spec.task_id)
    env.reset(seed=0)
    w, f = env.world, env.scenario.facts
    texts = [n["body"] for n in w.services["notes"].table("notes").values()]
    texts += [m["body"] for m in w.services["workmail"].table("messages").values()]
    texts += [m["text"] for m in w.services["chat"].table("messages").values()]
    rule = [t for t in texts if "client" in t and "working days" in t]
    assert rule and not [t for t in rule if re.search(r"follow.?up|customer call", t.lower())], rule
    demo = [t for t in texts if "follow-ups after a demo" in t]
    assert len(demo) == 1
    env.close()
    for days in (5, f["old_days"]):

        def policy(env: ClawEnv, days: int = days) -> list[str]:
            f = env.scenario.facts
            calls = [
                {**c, "due": c["stale"] if days == f["old_days"] else _add_working_days(c, days)} for c in f["calls"]
            ]
            return env.family.oracle(env.world, {**f, "calls": calls})

        v, _ = _play(spec, 0, policy)
        assert not v["passed"], (days, v)


def _add_working_days(call: dict[str, Any], n: int) -> str:
    from claw_gym.envs.crm_followup_rule import working_days_after

    return clock.fmt_date(working_days_after(call["time"], n))


@pytest.mark.parametrize("variant", ["accountant", "family"])
def test_bank_cc_rule_the_narrowing_names_no_bank(variant):
    """The later narrowing comes by the other channel than the promise and doesn't say "bank": a search for
    the obvious word finds the promise, not the change to it."""
    spec = _spec("bank-cc-rule", variant, 5)
    env = ClawEnv(spec.task_id)
    env.reset(seed=0)
    w = env.world
    texts = [(m["subject"] + " " + m["body"], "mail") for m in w.services["mail"].table("messages").values()]
    texts += [(m["body"], "sms") for m in w.services["sms"].table("messages").values()]
    # levels 4-5 (session 32): "re what you sent out at ...: leave out the second point"
    narrow = [(t, where) for t, where in texts if "card things" in t or "leave out the second point" in t]
    promise = [(t, where) for t, where in texts if "my mails with northbank" in t.lower()]  # levels 4-5's wording
    assert len(narrow) == 1 and len(promise) == 1 and narrow[0][1] != promise[0][1], (narrow, promise)
    assert "bank" not in narrow[0][0].lower(), narrow
    env.close()
