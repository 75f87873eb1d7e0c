"""What the screen shows, the text shows: every string the phone draws is in ``obs["ui"]``.

The renderer records each string its one text-drawing function puts on a frame
(``Painter.drawn``, read through ``SimPhone.drawn_texts``: the documented hook). For every
frame of every phone family's oracle replay, with the notification shade opened at the
start and before the end, every drawn string must be found in the ui listing: a whole
string inside one listed value, an ellipsized one ("...") as the start of one. Whitespace is
normalized (the screen wraps, the listing joins), case is folded (section headers are drawn
in capitals) and double quotes compare as single ones (the listing's quoting).
"""

from __future__ import annotations

import re

import gymnasium as gym
import pytest

import claw_gym
from claw_gym import actions as A
from claw_gym import clock
from claw_gym.devices.phone import SimPhone
from claw_gym.devices.phone import script as S
from claw_gym.devices.phone.demo import demo_phone
from claw_gym.devices.phone.gui import SCREEN_SIZE
from claw_gym.devices.phone.uitree import to_text
from claw_gym.devices.phone.widgets import Dialog, Node
from claw_gym.tasks import families

PHONE = sorted(n for n, f in families().items() if "phone" in f.devices)
VALUE = re.compile(r'"([^"]*)"')


def _norm(text: str) -> str:
    return " ".join(text.replace('"', "'").split()).casefold()


def missing(drawn: tuple[str, ...], ui: str) -> list[str]:
    """The drawn strings the ui listing does not carry."""
    values = [_norm(v) for v in VALUE.findall(ui)]
    out = []
    for s in drawn:
        cut = s.endswith("...")
        stem = _norm(s[:-3] if cut else s)
        if not stem:
            continue
        ok = any(v.startswith(stem) for v in values) if cut else any(stem in v for v in values)
        if not ok:
            out.append(s)
    return out


def _check(env, obs: dict, where: str) -> None:
    drawn = env.phone.drawn_texts(env.screen_size)
    assert drawn, f"{where}: the hook recorded nothing (a frame always has the status bar clock)"
    lost = missing(drawn, obs["ui"])
    assert not lost, f"{where}: drawn but not in obs['ui']: {lost}\n{obs['ui']}"


def _shade(env, where: str) -> None:
    obs, _, terminated, truncated, _ = env.step(S.open_shade())
    assert env.phone.shade_open, obs["result"]
    _check(env, obs, f"{where} (shade)")
    if not (terminated or truncated):
        env.step(A.key("back"))


@pytest.mark.parametrize("family", PHONE)
def test_every_drawn_string_of_the_oracle_replay_is_in_the_ui_text(family):
    spec = claw_gym.catalog(family=family, split=["train", "test", "heldout"])[0]
    env = gym.make(spec.env_id).unwrapped
    obs, _ = env.reset(seed=0)
    _check(env, obs, "reset")
    _shade(env, "start")
    actions = env.oracle_actions()
    for i, a in enumerate(actions):
        if i == len(actions) - 1:
            _shade(env, "before the last step")
        obs, _, terminated, truncated, _ = env.step(a)
        _check(env, obs, f"step {i} {a}")
        if terminated or truncated:
            break
    env.close()


def test_the_hook_sees_what_the_screen_cuts_and_the_check_catches_a_loss():
    """The check can fail: a listing that cuts a long card body misses what the shade draws."""
    ph = demo_phone(seed=3)
    body = (
        "New pairing code for lt-0022: 498614. Enter it in the laptop's settings within the next half hour. "
        "Valid 30 minutes."
    )
    ph.world.services["phone"].notify("Phone link", "Pairing code", body, actions=["Open"])
    assert ph.swipe(180, 4, 180, 600) is None
    drawn = ph.drawn_texts(SCREEN_SIZE)
    assert f"Phone link · {clock.fmt(ph.world.clock.now)[11:]}" in drawn
    ui = ph.ui_text()
    assert not missing(drawn, ui), ui
    assert body in ui and f'header="Phone link · {clock.fmt(ph.world.clock.now)[11:]}"' in ui
    assert missing(drawn, ui.replace(body, body[:57] + "..."))  # what the listing used to carry


def test_input_hints_dialogs_and_toasts_are_listed():
    ph = make_phone_with_form()
    hints = [n.sub for n in ph.tree()[1] if n.style == "input"]
    ui = ph.ui_text()
    assert hints and all(f'hint="{h}"' in ui for h in hints), ui
    assert not missing(ph.drawn_texts(), ui)
    message = "Delete the alarm at 07:30? It rings every weekday and this cannot be undone. " * 3
    ph.ask(Dialog("Delete alarm", message, "Delete", lambda: "Alarm deleted"))
    assert " ".join(message.split()) in ph.ui_text() and not missing(ph.drawn_texts(), ph.ui_text())
    assert ph.tap(*ph.find("id/button1").center()) is None
    assert ph.toast == "Alarm deleted" and "Alarm deleted" in ph.drawn_texts()
    assert not missing(ph.drawn_texts(), ph.ui_text())


def make_phone_with_form() -> SimPhone:
    """The Clock app's new-alarm form (text fields with hints)."""
    ph = demo_phone(seed=1)
    assert ph.start_app("com.claw.clock") is None
    assert ph.tap(*ph.find("id/add_alarm").center()) is None
    return ph


def test_a_long_listing_drops_list_rows_never_a_card():
    """Over the bound, trailing rows of the scrolled list go (with a marker); the dialog stays whole."""
    content = Node(
        "androidx.recyclerview.widget.RecyclerView", (0, 84, 360, 732), rid="app:id/content", scrollable=True
    )
    content.children = [
        Node(
            "android.widget.LinearLayout",
            (0, 84 + i, 360, 148 + i),
            text=f"Row {i} " + "x" * 200,
            style="row",
            rid="app:id/row",
            on_tap=lambda: None,
        )
        for i in range(60)
    ]
    body = "A dialog body that must stay whole. " * 40
    dialog = Node("android.widget.FrameLayout", (24, 200, 336, 600), text="Confirm", desc=body, style="dialog")
    ui = to_text([content, dialog], "app/main", "app", 6000)
    assert len(ui) <= 6000
    assert " ".join(body.split()) in ui
    m = re.search(r"\.\.\.(\d+) more rows not listed", ui)
    assert m and 0 < int(m.group(1)) < 60
    assert "Row 0 " in ui and f"Row {59} " not in ui
    assert ui.index("more rows not listed") < ui.index("Confirm")


def test_confirmation_dialogs_in_a_replay_are_listed_whole():
    """A notification answer that asks first (the bank's "block card"), and the Contacts delete dialog."""
    env = gym.make(claw_gym.catalog(family="phone-card-check")[0].env_id).unwrapped
    env.reset(seed=0)
    obs, *_ = env.step(S.open_shade())
    button = next(n for n in env.phone.tree()[1] if n.text == "No, block card")
    obs, _, _, _, info = env.step(A.tap(element=f"text={button.text}"))
    assert not info["error"] and env.phone.screen.dialog is not None, obs["result"]
    _check(env, obs, "bank confirmation dialog")
    env.close()
    env = gym.make(claw_gym.catalog(family="dual-ticket-new-number")[0].env_id).unwrapped
    env.reset(seed=0)
    f = env.scenario.facts
    for a in [*S.open_app("Contacts"), *S.fill("search", f["name"]), S.tap(f"text={f['label']}"), S.tap("id/delete")]:
        obs, *_ = env.step(a)
    assert env.phone.screen.dialog is not None
    _check(env, obs, "contacts delete dialog")
    env.close()
