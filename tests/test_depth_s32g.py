"""Headroom for phone-dnd-meeting, xdev-signin-approve and signin-alert at levels 4-5 (issue 21, session 32):
the players' method (search the requester by person, every identifier of the matter by text, "from now on",
"after all", read the requester's messages) no longer settles the task. The deciding change comes from someone
whose say is written in the world, names the matter only by a date, an ordinal or the time it came in, and
sits among that person's same-shaped lines about other matters.

Each test builds the task at a level and reads its world the way an agent could, or plays it to its verdict
with actions built from the facts.
"""

from __future__ import annotations

import re

import pytest
from episodes import at_level as _at_level
from episodes import failed as _failed
from episodes import play as _play
from episodes import search

from claw_gym import clock
from claw_gym.envs import phone_dnd_meeting as pdm
from claw_gym.envs.kit import oblique

PHRASES = ("from now on", "after all")


def _hits(env, text: str) -> list[str]:
    """The texts of ``events.search`` hits that contain ``text`` as a phrase (the search matches words)."""
    return [h.get("text", "") for h in search(env, text) if text.lower() in h.get("text", "").lower()]


# ---- phone-dnd-meeting ------------------------------------------------------------------------------
def _booker_says(world, f) -> list[dict]:
    number = next(p["phone"] for p in world.services["contacts"].table("people").values() if p["name"] == f["booker"])
    return [m for m in world.services["sms"].table("messages").values() if m["number"] == number]


@pytest.mark.parametrize("level", [4, 5])
def test_phone_dnd_meeting_the_booker_s_text_lengthens_the_meeting_without_naming_it(level):
    for seed in range(2):
        env = _at_level("phone-dnd-meeting", level, seed)
        world, f = env.world, env.scenario.facts
        longer = f["end"] - f["booked_end"]
        assert longer in (30 * clock.MINUTE, 45 * clock.MINUTE) and f["booker"] not in ("", f["name"])
        says = _booker_says(world, f)
        deciding = [m for m in says if "for the " + oblique.day_ordinal(f["old"]) + ":" in m["body"]]
        assert len(deciding) == 1
        word = deciding[0]
        # names no identifier of the matter: no board, no title word, no time, not the manager
        low = word["body"].lower()
        assert "board" not in low and not any(w.lower() in low for w in f["title"].split() if len(w) > 3)
        assert not re.search(r"\d{1,2}:\d{2}", low) and f["first"].lower() not in low
        assert not any(p in low for p in PHRASES)
        # among the booker's same-shaped lines about other matters
        shaped = [m for m in says if m["body"].startswith("re the ") and " for the " in m["body"]]
        assert len(shaped) >= 4
        # whose say it is: written in the entry's notes, booked before the word
        entries = list(world.services["calendar"].table("entries").values())
        entry = world.services["calendar"].table("entries")[f["entry"]]
        assert f["booker"] in entry["notes"] and "how long it runs" in entry["notes"]
        booked = [h for h in search(env, f["title"]) if h.get("text", "").startswith(f["title"] + " on ")]
        assert booked and min(clock.parse_time(h["time"]) for h in booked) < word["time"]
        # the reference resolves to one matter: of the booker's entries, one is on that day of the month
        theirs = [e for e in entries if f["booker"] in e.get("notes", "")]
        assert len(theirs) >= 3
        day = oblique.day_ordinal(f["old"])
        assert [e["id"] for e in theirs if oblique.day_ordinal(e["start"]) == day] == [f["entry"]]
        # the players' searches do not land on it
        for q in (f["name"], f["title"], pdm.notation.hhmm(f["start"]), *PHRASES):
            assert not any(word["body"][:30] in h.get("text", "") for h in search(env, q))


@pytest.mark.parametrize("level", [4, 5])
def test_phone_dnd_meeting_switching_off_at_the_calendar_s_end_fails_where_the_oracle_passes(level):
    for seed in range(2):
        env = _at_level("phone-dnd-meeting", level, seed)
        f = env.scenario.facts
        short = pdm._act(env.world, f, f["start"], f["booked_end"])  # the players' answer: the booked length
        assert "Do not disturb is on for the whole meeting" in _failed(_play(env, short))
        env = _at_level("phone-dnd-meeting", level, seed)
        assert _failed(_play(env, pdm.oracle(env.world, env.scenario.facts))) == []


# ---- xdev-signin-approve ----------------------------------------------------------------------------
def _lead_lines(world, f) -> list[dict]:
    """The security lead's short lines: their DM in a world with chat, else their "Quick one" mails."""
    if "chat" in world.services:
        rows = world.services["chat"].table("messages").values()
        return [{"time": m["time"], "text": m["text"]} for m in rows if m.get("sender") == f["lead"]]
    rows = world.services["workmail"].table("messages").values()
    mine = f["lead"].lower().replace(" ", ".") + "@"
    return [
        {"time": m["time"], "text": m["body"]}
        for m in rows
        if m["subject"] == "Quick one" and m["from"].startswith(mine)
    ]


@pytest.mark.parametrize("level", [4, 5])
def test_xdev_signin_approve_the_lead_asks_for_the_ips_by_the_ticket_s_date_only(level):
    for seed in range(2):
        env = _at_level("xdev-signin-approve", level, seed)
        world, f = env.world, env.scenario.facts
        tickets = world.services["helpdesk"].table("tickets")
        ask = tickets[f["ticket"]]
        # whose say: the desk's live tickets are signed by the lead, who runs them
        desk = [t for t in tickets.values() if t["requester"] == ask["requester"] and t["status"] == "open"]
        assert len(desk) >= 3 and all(f["lead"] in t["body"] and "my word on them goes" in t["body"] for t in desk)
        lines = [m for m in _lead_lines(world, f) if "my ticket of " in m["text"]]
        assert len(lines) == len(desk)  # one same-shaped line per live ticket
        deciding = [m for m in lines if "IP address" in m["text"]]
        assert len(deciding) == 1
        word = deciding[0]["text"]
        assert f["opened"] in word and deciding[0]["time"] > ask["time"]
        # the reference resolves to one ticket: of the desk's tickets, one opened that day
        same_day = [t["id"] for t in desk if oblique.day_month(t["time"]) == f["opened"]]
        assert same_day == [f["ticket"]]
        # it names no identifier of the matter
        low = word.lower()
        ids = [*f["foreign"], f["ours"], *f["places"].values(), *f["ips"].values(), "password", "spraying"]
        assert not any(x.lower() in low for x in ids) and "cloud drive" not in low and "sign-in" not in low
        assert not any(p in low for p in PHRASES)
        # the players' searches do not land on it
        for q in ("Password spraying", "Cloud Drive", ask["requester"], *PHRASES):
            assert not any(word[:25] in h.get("text", "") or "IP address" in h.get("text", "") for h in search(env, q))


@pytest.mark.parametrize("level", [4, 5])
def test_xdev_signin_approve_a_report_without_the_ips_fails_where_the_oracle_passes(level):
    from claw_gym.envs import xdev_signin_approve as xsa

    for seed in range(2):
        env = _at_level("xdev-signin-approve", level, seed)
        f = dict(env.scenario.facts, ips={})  # the players' answer: ids and places, as the ticket asks
        assert _failed(_play(env, xsa.oracle(env.world, f))) == [
            "the report names the IP address each denied request came from"
        ]
        env = _at_level("xdev-signin-approve", level, seed)
        assert _failed(_play(env, xsa.oracle(env.world, env.scenario.facts))) == []


# ---- signin-alert -----------------------------------------------------------------------------------
def _desk_says(world, f) -> list[dict]:
    """The IT desk's short lines: Priya's DM in a world with chat, else the desk's "Quick one" mails."""
    if "chat" in world.services:
        rows = world.services["chat"].table("messages").values()
        return [{"time": m["time"], "text": m["text"]} for m in rows if m["channel"] == "dm-priya"]
    rows = world.services["workmail"].table("messages").values()
    return [
        {"time": m["time"], "text": m["body"]} for m in rows if m["from"] == f["it"] and m["subject"] == "Quick one"
    ]


@pytest.mark.parametrize("level", [4, 5])
def test_signin_alert_the_desk_s_line_about_its_vpn_reply_moves_reports_to_another_box(level):
    for seed in range(3):
        env = _at_level("signin-alert", level, seed)
        world, f = env.world, env.scenario.facts
        assert f["soc"] and f["soc"] != f["it"]
        says = [m for m in _desk_says(world, f) if "my mail of " in m["text"]]
        assert len(says) >= 3  # the same shape about the desk's other mails
        deciding = [m for m in says if f["soc"] in m["text"]]
        assert len(deciding) == 1
        word = deciding[0]["text"]
        day = re.search(r"my mail of (\d{1,2} [A-Z][a-z]+)", word).group(1)
        # it resolves to one mail: of the desk's mails, one was sent that day, its reply in the VPN thread
        desk = [m for m in world.services["workmail"].table("messages").values() if m["from"] == f["it"]]
        that_day = [m for m in desk if oblique.day_month(m["time"]) == day]
        assert len(that_day) == 1 and that_day[0]["subject"] == "Re: VPN" and that_day[0]["time"] < deciding[0]["time"]
        assert "tell us as before" in that_day[0]["body"]
        # every other line's day names one mail of the desk's too
        for m in says:
            other = re.search(r"my mail of (\d{1,2} [A-Z][a-z]+)", m["text"]).group(1)
            assert len([x for x in desk if oblique.day_month(x["time"]) == other]) == 1
        # it names no place, no sign-in, no VPN, no manager
        low = word.lower()
        words = [f["city"], *f["known"], "sign", "vpn", "login", "security", f["boss"].split("@")[0]]
        assert not any(w.lower() in low for w in words) and not any(p in low for p in PHRASES)
        # the players' searches do not land on it; reading IT's own lines finds it among the same shape
        for q in (f["city"], "sign-in", "laptop", "VPN", f["it"], f["boss"], *PHRASES):
            assert not any(f["soc"] in h.get("text", "") for h in search(env, q))
        theirs = [h["text"] for h in search(env, "Priya Raman") if "my mail of" in h.get("text", "")]
        assert len(theirs) >= 3 and sum(f["soc"] in t for t in theirs) <= 1


@pytest.mark.parametrize("level", [4, 5])
def test_signin_alert_a_report_to_the_old_desk_box_fails_where_the_oracle_passes(level):
    from claw_gym.envs import signin_alert as sa

    for seed in range(2):
        env = _at_level("signin-alert", level, seed)
        f = dict(env.scenario.facts, soc=None)  # the players' answer: IT's contact address, as the note says
        assert _failed(_play(env, sa.oracle(env.world, f))) == [
            "IT security got a mail naming the unknown place (and no other candidate)"
        ]
        env = _at_level("signin-alert", level, seed)
        assert _failed(_play(env, sa.oracle(env.world, env.scenario.facts))) == []


def test_xdev_signin_approve_d5_the_lead_is_told_of_the_prompt_claiming_the_person_s_city():
    from claw_gym.envs import xdev_signin_approve as xsa

    for seed in range(2):
        env = _at_level("xdev-signin-approve", 5, seed)
        world, f = env.world, env.scenario.facts
        # the line asks for it; the cards say which prompt claims the person's own city (one, a foreign one)
        word = next(m["text"] for m in _lead_lines(world, f) if "IP address" in m["text"])
        assert "your own city" in word and "request id" in word
        assert len(f["local"]) == 1 and f["local"][0] in f["foreign"]
        # skipped: only that goal fails
        steps = [a for a in xsa.oracle(world, f) if "Prompt from my city" not in a]
        assert _failed(_play(env, steps)) == [f"{f['lead']} was told directly of the request claiming your own city"]
