"""Headroom for shared-report-brief, ticket-deal-risk and month-close (issue 21, session 32): the honest players'
method, "search the requester or the trigger's sender by person, every identifier of the matter by text, "from now
on" and "after all", and read the requester's DMs", no longer finds what decides levels 4-5. The deciding line
comes from someone other than the requester whose say is written in the world before it, names its matter only by
a date, and sits among the same person's lines of the same shape about other matters (kit.oblique); reading that
person's lines and matching the date finds it, and the date names exactly one record.

Each test builds the task at a level and reads its world the way an agent could, or plays it to its verdict
with actions built from the facts.
"""

from __future__ import annotations

import re

import pytest
from episodes import at_level as _at_level
from episodes import failed as _failed
from episodes import play as _play

from claw_gym import actions as A
from claw_gym import clock

SEEDS = range(3)
HABITS = ["from now on", "after all"]


def _found(env, record: str, people: list[str], texts: list[str]) -> list[str]:
    """The players' searches (each person, each text, ``events.search`` on every service) that return
    ``record``. Read through the service itself, so the searches take none of the episode's steps."""
    out = [f"person={p}" for p in people if record in _hits(env, person=p)]
    return out + [f"text={t}" for t in texts if record in _hits(env, text=t)]


def _hits(env, **kw) -> set[str]:
    page = env.world.services["events"].search(limit=200, **kw)
    got = {h.get("record") for h in page["items"]}
    cursor = page.get("next_cursor")
    while cursor:
        page = env.world.services["events"].search(limit=200, cursor=cursor, **kw)
        got |= {h.get("record") for h in page["items"]}
        cursor = page.get("next_cursor")
    return got


def _dm(world, channel: str) -> list[dict]:
    msgs = world.services["chat"].table("messages").values()
    return sorted((m for m in msgs if m["channel"] == channel), key=lambda m: m["time"])


# ---- shared-report-brief ---------------------------------------------------------------------------
def _shared(world) -> dict[str, dict]:
    return {
        r["path"]: r
        for r in world.services["files"].table("files").values()
        if r["path"].startswith("Documents/shared/")
    }


@pytest.mark.parametrize("variant", ["chat", "mail"])
@pytest.mark.parametrize("level", [4, 5])
def test_shared_report_brief_the_numbers_owner_fixes_a_row_by_the_review_s_date_only(variant, level):
    for seed in SEEDS:
        env = _at_level("shared-report-brief", level, seed, variant=variant)
        world, f = env.world, env.scenario.facts
        rep, own = f["report"], f["report"]["owner"]
        kind = rep["path"].rsplit("/", 1)[1].split("-review")[0]
        # (a) the players' searches: the sharer, the kind, the file, every region and amount, the two habits
        table = _shared(world)[rep["path"]]["content"]  # what the players know: the file's figures
        amounts = re.findall(r"EUR ([\d,]+)", table) + [f"{rep['stale_total']:,}"]
        texts = [f"{kind} review", rep["path"].rsplit("/", 1)[1], *rep["regions"], *amounts, *HABITS]
        assert not _found(env, own["msg"], [rep["name"], rep["first"]], texts)
        # the sharer's DM holds no fix any more
        assert not [m for m in _dm(world, rep["fix_channel"]) if m["sender"] == rep["name"] and "EUR" in m["text"]]
        # (b) the deciding line: from the owner, in their DM, among their same-shaped lines about other matters
        dm = _dm(world, own["channel"])
        line = next(m for m in dm if m["id"] == own["msg"])
        assert line["sender"] == own["name"] != rep["name"] and line["text"] == own["line"]
        same = [
            m
            for m in dm
            if m["sender"] == own["name"] and re.match(r"re the [a-z ]+ dated \w{3} \d\d \w{3}: ", m["text"])
        ]
        assert len(same) >= 4 and same[-1]["id"] != line["id"]
        low = line["text"].lower()
        assert not any(w.lower() in low for w in [kind, "review", rep["name"], rep["first"], *rep["regions"]])
        assert not any(w in low for w in [f"{x:,}" for row in rep["rows"] for x in row[2:3]])  # no target either
        # whose say it is: every review carries the owner line, written before the fix
        files = _shared(world)
        assert files[rep["path"]]["modified"] < line["time"]
        assert (
            f"any correction comes from {world.persona.called(world.persona.find(own['name']))}"
            in files[rep["path"]]["content"]
        )
        # the date resolves to exactly one review in the shared folder: the one the sharer shared last
        when = re.search(r"dated (\w{3} \d\d \w{3})", line["text"])[1]
        dated = [
            p
            for p in files
            if clock.to_datetime(clock.parse_time(p.rsplit("-review-", 1)[1][:10])).strftime("%a %d %b") == when
        ]
        assert dated == [rep["path"]]
        # the ordinal names the fixed row, whose new actual gives the total
        nth = re.search(r"the (\w+) region", line["text"])[1]
        row = rep["rows"][["first", "second", "third", "fourth"].index(nth)]
        assert (
            f"EUR {row[3]:,}" in line["text"] and sum(r[3] for r in rep["rows"]) == rep["total"] != rep["stale_total"]
        )
        env.close()


@pytest.mark.parametrize("variant", ["chat", "mail"])
@pytest.mark.parametrize("level", [4, 5])
def test_shared_report_brief_the_table_s_total_fails_the_owner_s_fix_passes(variant, level):
    env = _at_level("shared-report-brief", level, 1, variant=variant)
    f = env.scenario.facts
    assert f["report"]["owner"]["name"] != f["report"]["name"]  # the players' method reads the sharer only
    verdict = _play(env, env.oracle_actions())
    assert verdict["passed"] and not verdict["violations"], verdict
    env.reset(seed=1)  # the answer before the owner's fix: the table as the file has it
    rep = {**f["report"], "total": f["report"]["stale_total"], "gap": f["report"]["stale_gap"]}
    verdict = _play(env, env.family.oracle(env.world, {**f, "report": rep}))
    assert "a summary reached" in " ".join(_failed(verdict))


@pytest.mark.parametrize("variant", ["chat", "mail"])
def test_shared_report_brief_level_5_the_owner_s_copy_is_a_goal(variant):
    env = _at_level("shared-report-brief", 5, 2, variant=variant)
    own = env.scenario.facts["report"]["owner"]
    steps = [a for a in env.oracle_actions() if own["email"] not in a]
    assert len(steps) == len(env.oracle_actions()) - 1
    assert _failed(_play(env, steps)) == [f"{own['first']} got a copy of the summary"]
    env.reset(seed=2)  # their DM is a door too
    text = next(a for a in steps if "Documents/summaries/" in a)
    body = re.search(r'"content": "(.*?)\\n"', text)[1]
    post = A.api("chat.post", channel=own["channel"], text=body)
    verdict = _play(env, [*steps[:-1], post, steps[-1]])
    assert verdict["passed"] and not verdict["violations"], verdict
