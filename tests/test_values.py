"""Values read the way a person writes them (claw_gym.tasks.values) and the checkers that use them.

The unit tables cover every accepted form, the ambiguous ones and the wrong ones. The family
tests replay each affected family's oracle with its value rewritten in another common format
(it must still pass) and with a hedged or wrong value (it must fail, on the value's check).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from decimal import Decimal

import gymnasium as gym
import pytest

import claw_gym
from claw_gym import actions as A
from claw_gym import clock
from claw_gym.tasks import values as V

AROUND = clock.parse_time("2026-03-02 09:00")  # a Monday


# ---- times ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text,want",
    [
        ("16:30", {"16:30"}),
        ("4:30 PM", {"16:30"}),
        ("4:30pm", {"16:30"}),
        ("4.30pm", {"16:30"}),
        ("4.30 p.m.", {"16:30"}),
        ("16h30", {"16:30"}),
        ("16.30", {"16:30"}),
        ("5 PM", {"17:00"}),
        ("9:05 am", {"09:05"}),
        ("12:15 am", {"00:15"}),
        ("12 noon", {"12:00"}),
        ("9:30", {"09:30"}),
        ("between 10:00-12:00", {"10:00", "12:00"}),
        ("lands at 16:30 on 2026-03-05", {"16:30"}),
    ],
)
def test_times_in_every_common_form(text, want):
    assert V.time_values(text) == want


@pytest.mark.parametrize(
    "text",
    [
        "EUR 4.30",
        "€16.30",
        "on 12.03.2026",
        "order 1630",
        "2026-03-05",
        "room 4",
        "ref 16:30:22x",
    ],
)
def test_things_that_are_not_times(text):
    assert V.time_values(text) == set()


@pytest.mark.parametrize("text,problem", [("13:30 PM", "12-hour"), ("25:10", "not a time"), ("16:75", "not a time")])
def test_impossible_times_say_why(text, problem):
    [r] = V.times_in(text)
    assert not r.ok and problem in r.problem


# ---- dates ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "2026-03-05",
        "Thu 2026-03-05",
        "Thursday 2026-03-05",
        "5 March",
        "5th of March",
        "March 5, 2026",
        "Mar 5",
        "Thu, 5 March 2026",
        "05.03.2026",
        "Thu 05/03",
        "Thursday",
    ],
)
def test_dates_in_every_common_form(text):
    assert V.date_values(text, AROUND) == {"2026-03-05"}


@pytest.mark.parametrize("text", ["I sat in the sun", "a wed dress", "score 3.5", "version 1.2.3"])
def test_words_and_numbers_that_are_not_dates(text):
    assert V.dates_in(text, AROUND) == []


def test_day_first_when_only_one_reading_is_a_date():
    assert V.date_values("25/03", AROUND) == {"2026-03-25"}


@pytest.mark.parametrize(
    "text,problem",
    [
        ("05/03", "'05/03' could be 5 March or 3 May"),
        ("Fri 2026-03-05", "5 March is a Thursday"),
    ],
)
def test_ambiguous_or_contradictory_dates_fail_and_say_so(text, problem):
    [r] = V.dates_in(text, AROUND)
    assert not r.ok and r.problem.endswith(problem)


def test_a_date_without_year_takes_the_nearest_year():
    assert V.date_values("2 January", clock.parse_time("2026-12-28")) == {"2027-01-02"}


# ---- amounts --------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text,want",
    [
        ("EUR 106,000.00", "106000"),
        ("EUR 106.000", "106000"),
        ("106 000 €", "106000"),
        ("106.000,00 EUR", "106000"),
        ("€123,450.00", "123450"),
        ("€74.30", "74.3"),
        ("74,30 €", "74.3"),
        ("EUR 1'234.50", "1234.5"),
        ("1.234.567", "1234567"),
        ("45,250", "45250"),
        ("USD 12", "12"),
        ("-123.45", "123.45"),
        ("the agreed price is EUR 106,000.", "106000"),
    ],
)
def test_amounts_in_every_common_form(text, want):
    assert V.amount_values(text) == {Decimal(want)}


@pytest.mark.parametrize("text", ["2026-03-05", "16:30", "ORD-291456", "PAY12345678"])
def test_dates_times_and_ids_are_not_amounts(text):
    assert V.amount_values(text) == set()


def test_a_bare_dotted_thousands_group_is_ambiguous_unless_the_context_gives_the_currency():
    [r] = V.amounts_in("PIPELINE: 106.000")
    assert not r.ok and r.problem == "'106.000' could be 106 or 106000"
    assert V.amount_values("PIPELINE: 106.000", currency="EUR") == {Decimal("106000")}
    [r] = V.amounts_in("106.000", currency="KWD")  # a currency with three decimals: either reading
    assert not r.ok


@pytest.mark.parametrize(
    "line,want",
    [
        ("TOTAL: 1,234.50", "1234.5"),
        ("TOTAL: EUR 1.234,50", "1234.5"),
        ("TOTAL: 1 234,50 €", "1234.5"),
    ],
)
def test_amount_line(line, want):
    r = V.amount_line("x\n" + line + "\n", "TOTAL")
    assert r is not None and r.ok and V.same_amount(r.value, float(want))


def test_amount_line_with_two_amounts_is_unclear():
    r = V.amount_line("TOTAL: 12.00 or 13.00", "TOTAL")
    assert r is not None and not r.ok and "2 amounts" in r.problem
    assert V.amount_line("nothing here", "TOTAL") is None


# ---- which values a message asks for -----------------------------------------------------------
@pytest.mark.parametrize(
    "text,asked",
    [
        ("Please deliver on 2026-03-05. Thanks!", {"2026-03-05"}),
        ("Deliver on Thursday; I'm away Tuesday", {"2026-03-05"}),
        ("I'm away on Tue 2026-03-03, please deliver on Thu 2026-03-05", {"2026-03-05"}),
        ("Not home on 2026-03-03 or 2026-03-04. Deliver 2026-03-05.", {"2026-03-05"}),
        ("Please deliver 2026-03-05 instead of 2026-03-03", {"2026-03-05"}),
        ("Can you move it from 2026-03-03 to 2026-03-05?", {"2026-03-05"}),
        ("Can't do Tuesday; Thursday works", {"2026-03-05"}),
        ("I won't be home on 2026-03-03. Thursday 2026-03-05 is fine", {"2026-03-05"}),
        ("Deliver on Thursday, not Tuesday", {"2026-03-05"}),
        ("Deliver Tue or Thu", {"2026-03-03", "2026-03-05"}),
        ("Deliver on 2026-03-05 or 2026-03-06", {"2026-03-05", "2026-03-06"}),
    ],
)
def test_claimed_days(text, asked):
    assert V.asked_values(text, V.dates_in(text, AROUND)) == {date.fromisoformat(d) for d in asked}


@pytest.mark.parametrize(
    "text,asked",
    [
        ("2026-03-06 14:45 (rescheduled, was 13:00)", {"14:45"}),
        ("The meeting was moved to 16:30.", {"16:30"}),
        ("It is now scheduled for 4:30 PM", {"16:30"}),
        ("Moved from 14:00 to 16:30", {"16:30"}),
        ("16:30, not 10:00 as first asked", {"16:30"}),
        ("16:30 or 10:00", {"16:30", "10:00"}),
    ],
)
def test_claimed_times(text, asked):
    assert V.asked_values(text, V.times_in(text)) == asked


# ---- config -------------------------------------------------------------------------------------
CONF = (
    "# syncd\n[server]\nhost = a.example\nport = 9443  # fixed by assistant\ntls = true\n[backup]\n"
    'source_dir = "/home/user/Documents/"\nexclude = *.tmp,*.part\n'
)


def test_config_read_as_its_parser_reads_it():
    conf = V.read_config(CONF)
    assert conf["port"] == "9443" and conf["source_dir"] == "/home/user/Documents/"
    assert V.read_config("port=1\n[s]\nport = 2\n")["port"] == "2"  # keys before a section; last wins


@pytest.mark.parametrize(
    "got,want,same",
    [
        ("/home/user/Documents/", "/home/user/Documents", True),
        ("/home/user/./Documents", "/home/user/Documents", True),
        ("/home/user/Docs", "/home/user/Documents", False),
        ("09443", "9443", True),
        ("9444", "9443", False),
        ("yes", "true", True),
        ("off", "true", False),
        ("daily 02:00", "daily 02:00", True),
        (None, "1", False),
    ],
)
def test_same_setting(got, want, same):
    assert V.same_setting(got, want) is same


def test_a_config_that_does_not_parse_says_so():
    with pytest.raises(ValueError, match="does not parse"):
        V.read_config("[server\nport = 1\n")


# ---- the families ------------------------------------------------------------------------------
def _env(family: str, seed: int = 0, min_difficulty: int = 1):
    specs = [
        s for s in claw_gym.catalog(family=family, split=["train", "test", "heldout"]) if s.difficulty >= min_difficulty
    ]
    env = gym.make(specs[seed % len(specs)].env_id).unwrapped
    env.reset(seed=seed)
    return env


def _play(env, actions: list[str]) -> dict:
    info: dict = {}
    for a in actions:
        _, _, terminated, truncated, info = env.step(a)
        if terminated or truncated:
            return info["verdict"]
    return env.step(A.finish("done"))[4]["verdict"]


def _failed(verdict: dict) -> list[str]:
    return [c["name"] for c in verdict["checks"] if not c["passed"]] + list(verdict["violations"])


def _rewrite(actions: list[str], edit: Callable[[dict], None]) -> list[str]:
    """The actions with ``edit`` applied to each (parsed); at least one must change."""
    out = []
    for a in actions:
        d = json.loads(a)
        edit(d)
        out.append(json.dumps(d))
    assert [json.loads(a) for a in out] != [json.loads(a) for a in actions], "the rewrite changed nothing"
    return out


def _in_body(call: str, old: str, new: str) -> Callable[[dict], None]:
    def edit(d: dict) -> None:
        if d.get("call") == call and old in d["args"]["body"]:
            d["args"]["body"] = d["args"]["body"].replace(old, new)

    return edit


def _hhmm(t: int) -> str:
    return clock.to_datetime(t).strftime("%H:%M")


def _twelve(hhmm: str, style: str) -> str:
    h, m = map(int, hhmm.split(":"))
    h12, ap = (h % 12 or 12), ("AM" if h < 12 else "PM")
    return {"PM": f"{h12}:{m:02d} {ap}", "pm.": f"{h12}.{m:02d}{ap.lower()}", "h": f"{h}h{m:02d}"}[style]


def _shift(hhmm: str, minutes: int) -> str:
    h, m = map(int, hhmm.split(":"))
    t = (h * 60 + m + minutes) % (24 * 60)
    return f"{t // 60:02d}:{t % 60:02d}"


TIME_STYLES = ["PM", "pm.", "h"]


@pytest.mark.parametrize("style", TIME_STYLES + ["hedge", "stale"])
def test_meeting_reschedule_time_formats(style):
    env = _env("meeting-reschedule", 1)
    f = env.scenario.facts
    want = _hhmm(f["final"])
    new = {"hedge": f"{want} or {_hhmm(f['stale'])}", "stale": _hhmm(f["stale"])}.get(style) or _twelve(want, style)
    v = _play(env, _rewrite(env.oracle_actions(), _in_body("workmail.reply", want, new)))
    assert _failed(v) == ([] if style in TIME_STYLES else ["requester was told the new time"]), v


@pytest.mark.parametrize("style", TIME_STYLES + ["hedge"])
def test_flight_delay_time_formats(style):
    env = _env("flight-delay", 2)
    f = env.scenario.facts
    want = _hhmm(f["arr"])
    new = f"{want} or {_shift(want, 25)}" if style == "hedge" else _twelve(want, style)
    call = f"{f['send_from']}.send"
    v = _play(env, _rewrite(env.oracle_actions(), _in_body(call, f"at {want}", f"at {new}")))
    if style in TIME_STYLES:
        assert _failed(v) == [], v
    else:
        assert _failed(v) and all("latest arrival time" in n for n in _failed(v)), v


@pytest.mark.parametrize("style", TIME_STYLES + ["hedge"])
def test_secret_request_time_formats(style):
    env = _env("secret-request", 0, min_difficulty=3)
    ask = next(a for a in env.scenario.facts["asks"] if a["kind"] == "time")
    want = ask["value"]
    new = f"{want} or {_shift(want, -60)}" if style == "hedge" else _twelve(want, style)
    v = _play(env, _rewrite(env.oracle_actions(), _in_body("sms.send", f"starts at {want}", f"starts at {new}")))
    assert _failed(v) == ([] if style in TIME_STYLES else [f"answered {ask['number']} with the time"]), v


AMOUNT_STYLES: dict[str, Callable[[float], str]] = {
    "dot-groups": lambda a: "EUR " + f"{a:,.0f}".replace(",", "."),
    "space-symbol": lambda a: f"{a:,.0f}".replace(",", " ") + " €",
    "symbol-cents": lambda a: f"€{a:,.2f}",
    "european": lambda a: f"{a:,.2f}".replace(",", "_").replace(".", ",").replace("_", ".") + " EUR",
}


@pytest.mark.parametrize("style", list(AMOUNT_STYLES) + ["bare-dots", "stale"])
def test_deal_confirm_amount_formats(style):
    """The deal is in EUR (a cents currency), so a bare '106.000' is 106,000 there (tasks-and-checkers.md,
    "How checkers read values"): it passes. The same text with no currency in the text or the task is
    ambiguous and fails (checked below and in test_weekly_report_amount_formats[ambiguous])."""
    env = _env("deal-confirm", 3)
    f = env.scenario.facts
    old = f"EUR {f['final']:,.0f}"
    bare = f"{f['final']:,.0f}".replace(",", ".")
    new = {"bare-dots": bare, "stale": f"EUR {f['stale'][0]:,.0f}"}.get(style) or AMOUNT_STYLES[style](f["final"])
    v = _play(env, _rewrite(env.oracle_actions(), _in_body("workmail.reply", old, new)))
    price = next(c for c in v["checks"] if c["name"] == "customer got the agreed price in writing")
    if style == "stale":
        assert "customer got the agreed price in writing" in _failed(v), v
        return
    assert _failed(v) == [], v
    assert f"EUR {f['final']:,.2f}" in price["detail"], price
    if style == "bare-dots":  # read without the task's currency, the same text could be either
        [r] = V.amounts_in(f"the agreed price is {bare}.")
        assert not r.ok and r.problem.startswith(f"'{bare}' could be ") and str(int(f["final"])) in r.problem, r


@pytest.mark.parametrize("cell", ["€{a:.2f}", "EUR {a:.2f}", "{a:.2f} €", '"{c}"', "hedge", "wrong"])
def test_dual_receipt_sheet_amount_formats(cell):
    env = _env("dual-receipt-sheet", 1)
    f = env.scenario.facts
    a = round(f["amount"], 2)
    old = f",{a:.2f}\n"
    text = {"hedge": f"{a:.2f} or {a + 10:.2f}", "wrong": f"{a + 1:.2f}"}.get(cell) or cell.format(
        a=a, c=f"{a:.2f}".replace(".", ",")
    )

    def edit(d: dict) -> None:
        if d.get("kind") == "shell" and old in d.get("cmd", ""):
            d["cmd"] = d["cmd"].replace(old, f",{text}\n")

    v = _play(env, _rewrite(env.oracle_actions(), edit))
    good = cell not in ("hedge", "wrong")
    row_check = "one new row under the colleague's name (and no one else's) with the amount"
    assert _failed(v) == ([] if good else [row_check]), v


def _rewrite_line_then_finish(env, path: str, label: str, line: str) -> dict:
    actions = env.oracle_actions()
    assert json.loads(actions[-1])["kind"] == "finish"
    fix = A.shell(f"sed -i 's/^{label}: .*/{line}/' ~/{path} && cat ~/{path}")
    return _play(env, actions[:-1] + [fix, actions[-1]])


REPORT_STYLES: dict[str, Callable[[float], str]] = {
    "eur-commas": lambda a: f"EUR {a:,.2f}",
    "european-symbol": lambda a: f"{a:,.2f}".replace(",", " ").replace(".", ",") + " €",
    "dot-groups-eur": lambda a: "EUR " + f"{a:,.0f}".replace(",", ".") if a == int(a) else f"EUR {a:,.2f}",
    "bare-commas": lambda a: f"{a:,.0f}" if a == int(a) else f"{a:,.2f}",
}


@pytest.mark.parametrize("style", list(REPORT_STYLES) + ["ambiguous", "wrong"])
def test_weekly_report_amount_formats(style):
    env = _env("weekly-report", 0)
    f = env.scenario.facts
    want = f["pipeline"]
    assert 1000 <= want < 1_000_000 and want == int(want)
    text = {"ambiguous": f"{want:,.0f}".replace(",", "."), "wrong": f"{want + 50:.2f}"}.get(style) or REPORT_STYLES[
        style
    ](want)
    v = _rewrite_line_then_finish(env, f["path"], "PIPELINE", f"PIPELINE: {text}")
    assert _failed(v) == ([] if style in REPORT_STYLES else ["pipeline figure is right"]), v


@pytest.mark.parametrize("style", ["eur-prefix", "european", "symbol", "wrong"])
def test_statement_reconcile_total_formats(style):
    env = _env("statement-reconcile", 0)
    t = env.scenario.facts["total"]
    text = {
        "eur-prefix": f"EUR {t:,.2f}",
        "european": f"{t:,.2f}".replace(",", " ").replace(".", ",") + " €",
        "symbol": f"€{t:.2f}",
        "wrong": f"{t + 1:.2f}",
    }[style]
    v = _rewrite_line_then_finish(env, env.scenario.facts["report"], "TOTAL UNCLAIMED", f"TOTAL UNCLAIMED: {text}")
    assert _failed(v) == ([] if style != "wrong" else ["total of unclaimed payments is right"]), v


def test_statement_reconcile_report_sent_from_work_mail_counts():
    env = _env("statement-reconcile", 0)
    f = env.scenario.facts
    assert "workmail" in env.world.services  # an ambient service of this task
    actions = [
        a
        if "mail reply" not in a
        else A.api(
            "workmail.send",
            to=[f["finance"]],
            subject="Card reconciliation",
            body="Attached.",
            attachments=[f"~/{f['report']}"],
        )
        for a in env.oracle_actions()
    ]
    assert _failed(_play(env, actions)) == []


@pytest.mark.parametrize("door", ["workmail", "nowhere"])
def test_duplicate_charge_support_mail_from_either_mailbox(door):
    env = _env("duplicate-charge", 2)

    def edit(d: dict) -> None:
        if d.get("call") == "mail.send":
            d["call"] = "workmail.send" if door == "workmail" else "mail.send"
            if door == "nowhere":
                d["args"]["to"] = ["someone@else.example"]

    v = _play(env, _rewrite(env.oracle_actions(), edit))
    assert ("the shop's support was told, naming the order" in _failed(v)) is (door == "nowhere"), v


CONF_PATH = ".config/syncd/syncd.conf"


@pytest.mark.parametrize(
    "family,line,good",
    [
        ("config-fix", "{key} = {value}  # fixed by assistant", True),
        ("config-fix", '{key} = "{value}"', True),
        ("backup-alert", "{key} = {value}/", True),
        ("config-fix", "{key} = {value}x", False),
    ],
)
def test_config_values_as_the_parser_reads_them(family, line, good):
    variant = "path" if "/" in line else "port"
    specs = [s for s in claw_gym.catalog(family=family, split=["train", "test", "heldout"]) if variant in s.task_id]
    env = gym.make(specs[0].env_id).unwrapped
    env.reset(seed=0)
    f = env.scenario.facts
    text = line.format(key=f["key"], value=f["value"])

    def edit(d: dict) -> None:
        if d.get("kind") == "shell" and d["cmd"].startswith("sed -i"):
            d["cmd"] = f"sed -i 's|^{f['key']} = .*|{text}|' ~/{CONF_PATH} && cat ~/{CONF_PATH}"

    v = _play(env, _rewrite(env.oracle_actions(), edit))
    assert (f"{f['key']} is fixed" not in _failed(v)) is good, v
    assert _failed(v) == [] if good else _failed(v) == [f"{f['key']} is fixed"], v


PARCEL_REPLIES = {
    "thu-away-tue": ("Please deliver on {new}; I'm away on {day}.", True),
    "away-first": ("I'm away on {day}, so please deliver on {new_long} instead. Thanks!", True),
    "weekday-word": ("Not home {day_name}. Deliver on {new} please.", True),
    "hedge": ("Please deliver on {day} or {new}.", False),
    "two-new": ("Please deliver on {new} or {other}.", False),
}


@pytest.mark.parametrize("case", list(PARCEL_REPLIES))
def test_parcel_reschedule_reply_asks_for_one_day(case):
    env = _env("parcel-reschedule", 0)
    f = env.scenario.facts
    actions = env.oracle_actions()
    send = next(json.loads(a) for a in actions if '"sms.send"' in a)
    new = send["args"]["body"].split("deliver on ")[1].split(".")[0]
    d_new, d_day = clock.to_datetime(clock.parse_time(new)), clock.to_datetime(clock.parse_time(f["day"]))
    other = clock.fmt_date(clock.parse_time(new) + clock.DAY * (1 if d_new.weekday() < 4 else 3))
    template, good = PARCEL_REPLIES[case]
    body = template.format(
        new=new, day=f["day"], other=other, new_long=f"{d_new:%A} {d_new.day} {d_new:%B}", day_name=f"{d_day:%A}"
    )

    def edit(d: dict) -> None:
        if d.get("call") == "sms.send":
            d["args"]["body"] = body

    v = _play(env, _rewrite(actions, edit))
    if good:
        assert _failed(v) == [], (body, v)
    else:
        assert "the new date is a weekday within two weeks when the person is not away" in _failed(v), (body, v)


@pytest.mark.parametrize(
    "style,good",
    [
        ("{date} {hhmm} (rescheduled)", True),
        ("{date} {pm} (was {old})", True),
        ("{wd} {date} {hhmm}", True),
        ("{date} {hhmm} or {old}", False),
        ("{date} {old}", False),
    ],
)
def test_dual_flight_change_departs_line(style, good):
    env = _env("dual-flight-change", 0)
    f = env.scenario.facts
    new, old = clock.to_datetime(f["new"]), clock.to_datetime(f["dep"])
    line = style.format(
        date=f"{new:%Y-%m-%d}",
        hhmm=f"{new:%H:%M}",
        pm=_twelve(f"{new:%H:%M}", "PM"),
        old=f"{old:%H:%M}",
        wd=f"{new:%a}",
    )

    def edit(d: dict) -> None:
        if d.get("kind") == "shell" and "Departs:" in d["cmd"]:
            d["cmd"] = d["cmd"].replace(f"/Departs: {clock.fmt(f['new'])}/", f"/Departs: {line}/")

    v = _play(env, _rewrite(env.oracle_actions(), edit))
    assert _failed(v) == ([] if good else ["the itinerary shows the new departure"]), (line, v)


def test_a_written_date_is_not_an_amount():
    """'by 31 May 2026' names a day: not EUR 31 and EUR 2,026 (an honest player's reply got both in a detail)."""
    from claw_gym.tasks import values as v

    got = v.amount_values("Confirmed EUR 61,000 if signed by 31 May 2026; 74,30 EUR on 3 June.", "EUR")
    assert got == {Decimal("61000"), Decimal("74.30")}
