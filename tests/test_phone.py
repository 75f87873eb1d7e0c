"""The simulated phone: apps over the services, gui actions, screen and ui observations."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import gymnasium as gym
import numpy as np
import pytest
from PIL import Image

import claw_gym
from claw_gym import actions as A
from claw_gym.devices.phone import PhoneDevice, SimPhone, system
from claw_gym.devices.phone.demo import demo_phone as make_phone
from claw_gym.devices.phone.gui import SCREEN_SIZE
from claw_gym.events import Event
from claw_gym.plural import count

PHONE_TASK = claw_gym.catalog(family="phone-card-check")[0].env_id


def tap(ph: SimPhone, selector: str) -> None:
    node = ph.find(selector)
    assert node is not None, f"{selector} not on screen:\n{ph.ui_text()}"
    assert ph.tap(*node.center()) is None, ph.last_result


def fill(ph: SimPhone, pairs: tuple[tuple[str, str], ...]) -> None:
    """Type into text fields by resource-id."""
    for field, text in pairs:
        tap(ph, f"id/{field}")
        assert ph.type_text(text) is None


def refused(ph: SimPhone, selector: str, reason: str) -> None:
    """Tapping ``selector`` is refused with ``reason`` and the world stays as it was."""
    before = ph.world.state_hash()
    err = ph.tap(*ph.find(selector).center())
    assert err is not None and reason in err, err
    assert ph.world.state_hash() == before


def open_app(ph: SimPhone, label: str) -> None:
    assert ph.key("home") is None
    tap(ph, f"text={label}")


def test_simphone_is_a_phone_device_and_has_the_apps():
    ph = make_phone()
    assert isinstance(ph, PhoneDevice)
    assert (ph.width, ph.height) == (360, 780)
    labels = {a.label for a in ph.apps.values()}
    assert {"Phone", "Messages", "Contacts", "Calendar", "Mail", "Notes", "Bank", "Clock", "Settings"} <= labels
    assert len(ph.apps) >= 9


def test_every_app_is_reachable_from_home_by_taps():
    ph = make_phone()
    for app in ph.apps.values():
        ph.key("home")
        icon = ph.find(f"text={app.label}")
        assert icon is not None and icon.clickable
        assert ph.tap(*icon.center()) is None
        assert ph.current_package() == app.package


def test_api_change_appears_on_the_next_screen():
    ph = make_phone()
    w = ph.world
    open_app(ph, "Notes")
    assert "Packing list" not in ph.ui_text()
    w.call("notes.create", {"title": "Packing list", "body": "passport"}, source="api")
    assert "Packing list" in ph.ui_text()
    open_app(ph, "Calendar")
    w.call("calendar.create_event", {"title": "Dentist", "start": "2026-03-03 10:00", "end": "2026-03-03 10:30"})
    assert "Dentist" in ph.ui_text()
    open_app(ph, "Messages")
    w.services["sms"].receive("+1 555 000 1111", "Parcel at the door")
    assert "Parcel at the door" in ph.ui_text()


def test_phone_edit_appears_in_the_api_and_is_audited_as_gui():
    ph = make_phone()
    w = ph.world
    open_app(ph, "Notes")
    tap(ph, "id/new_note")
    tap(ph, "id/title")
    ph.type_text("From the phone")
    tap(ph, "id/body")
    ph.type_text("typed on the phone")
    tap(ph, "id/save")
    found = w.call("notes.list", {"query": "phone"})
    assert found["total"] == 1 and found["items"][0]["title"] == "From the phone"
    assert w.audit.entries[-2].source == "gui" and w.audit.entries[-2].call == "notes.create"
    open_app(ph, "Contacts")
    tap(ph, "id/add_contact")
    fill(ph, (("name", "Nadia Gomez"), ("phone", "+1 555 222 3333")))
    tap(ph, "id/save")
    assert w.call("contacts.search", {"query": "Nadia"})["total"] == 1
    open_app(ph, "Clock")
    tap(ph, "id/add_alarm")
    tap(ph, "id/time")
    ph.type_text("6:45")
    tap(ph, "id/save")
    assert [a["time"] for a in w.services["phone"].alarms()] == ["06:45"]
    assert "06:45" in ph.ui_text()


def test_phone_service_is_reachable_only_from_the_phone():
    env = gym.make(PHONE_TASK)
    env.reset(seed=0)
    world = env.unwrapped.world
    before = world.state_hash()
    obs, *_ = env.step(A.api("phone.set_setting", name="wifi", on=False))
    assert obs["result"].startswith("error: ") and "phone" in obs["result"]
    assert world.state_hash() == before


def _scripted_ops(label: str) -> list[tuple[str, tuple]]:
    """A reasonable tap, long press, swipe, type and key on each app (some are refused: that is checked)."""
    field = {
        "Messages": "id/conversation",
        "Contacts": "id/search",
        "Calendar": "id/new_event",
        "Mail": "id/compose",
        "Work Mail": "id/compose",
        "Notes": "id/new_note",
        "Bank": "id/transaction",
        "Clock": "id/add_alarm",
        "Settings": "id/switch_wifi",
        "Phone": "id/digits",
        "Expenses": "id/new_claim",
    }[label]
    return [
        ("tap", (field,)),
        ("long_press", (180, 400)),
        ("swipe", (180, 600, 180, 200)),
        ("tap_field", ()),
        ("type", ("hello 12",)),
        ("key", ("back",)),
    ]


@pytest.mark.parametrize(
    "label",
    [
        "Phone",
        "Messages",
        "Contacts",
        "Calendar",
        "Mail",
        "Work Mail",
        "Notes",
        "Bank",
        "Expenses",
        "Clock",
        "Settings",
    ],
)
def test_each_gui_op_on_each_app(label):
    ph = make_phone(1)
    w = ph.world
    w.services["sms"].receive("+1 555 000 1111", "hello there")
    open_app(ph, label)
    worked = set()
    for op, args in _scripted_ops(label):
        before, ui = w.state_hash(), ph.ui_text()
        if op == "tap":
            node = ph.find(args[0])
            assert node is not None, (label, args, ph.ui_text())
            err = ph.tap(*node.center())
        elif op == "tap_field":
            field = next((n for n in ph.tree()[1] if n.cls.endswith("EditText")), None)
            err = ph.tap(*field.center()) if field is not None else "no field"
        elif op == "type":
            err = ph.type_text(*args)
        else:
            err = getattr(ph, op)(*args)
        if err is None:
            worked.add(op)
        else:
            assert isinstance(err, str) and err
            assert w.state_hash() == before and ph.ui_text() == ui, (label, op, err)
    assert {"tap", "key"} <= worked, (label, worked)
    if label not in ("Settings", "Bank"):
        assert "type" in worked, (label, worked)


BAD_GUI = {
    "tap off screen": A.tap(400, 100),
    "tap negative": A.tap(-1, 5),
    "tap on nothing": A.tap(300, 650),
    "tap status bar": A.tap(200, 10),
    "tap no coordinates": json.dumps({"kind": "gui", "op": "tap"}),
    "tap float coordinates": json.dumps({"kind": "gui", "op": "tap", "x": 1.5, "y": 2}),
    "tap unknown element": A.tap(element="e999"),
    "tap unknown selector": A.tap(element="text=No such button"),
    "element and coordinates": json.dumps({"kind": "gui", "op": "tap", "x": 5, "y": 5, "element": "e1"}),
    "long press on nothing": A.long_press(300, 650),
    "swipe off screen": A.swipe(180, 600, 180, 900),
    "swipe from off screen": A.swipe(-10, 300, 180, 300),
    "swipe too short": A.swipe(100, 300, 105, 305),
    "swipe nothing to scroll": A.swipe(180, 600, 180, 200),
    "type without a field": A.type_text("hello"),
    "type empty": A.type_text(""),
    "unknown key": A.key("volume_up"),
    "enter without a field": A.key("enter"),
    "back on home": A.key("back"),
    "unknown op": json.dumps({"kind": "gui", "op": "pinch"}),
    "field of another op": json.dumps({"kind": "gui", "op": "key", "key": "home", "text": "x"}),
}


@pytest.mark.parametrize("case", sorted(BAD_GUI))
def test_bad_gui_input_is_an_error_and_changes_nothing(case):
    env = gym.make(PHONE_TASK)
    obs0, _ = env.reset(seed=2)
    world = env.unwrapped.world
    before = world.state_hash()
    obs, reward, terminated, truncated, info = env.step(BAD_GUI[case])
    assert obs["result"].startswith("error: "), obs["result"]
    assert info["action_ok"] is False
    assert world.state_hash() == before
    assert obs["ui"] == obs0["ui"] and np.array_equal(obs["screen"], obs0["screen"])
    assert env.observation_space.contains(obs)


def test_expense_claim_from_the_phone():
    ph = make_phone()
    open_app(ph, "Expenses")
    tap(ph, "id/new_claim")
    fill(ph, (("merchant", "Cafe Nero"), ("amount", "12.5x"), ("date", "2026-03-01"), ("category", "meals")))
    refused(ph, "id/save", "not a number")
    tap(ph, "id/amount")
    assert ph.key("delete") is None
    tap(ph, "id/save")
    claims = ph.world.call("expenses.list", {})["items"]
    assert [(c["merchant"], c["amount"], c["status"]) for c in claims] == [("Cafe Nero", 12.5, "draft")]
    tap(ph, "text=Cafe Nero  12.50")
    tap(ph, "id/submit")
    assert ph.world.call("expenses.list", {})["items"][0]["status"] == "submitted"


def test_airplane_mode_stops_texts_and_calls_from_the_phone():
    ph = make_phone()
    open_app(ph, "Settings")
    tap(ph, "id/switch_airplane_mode")
    open_app(ph, "Messages")
    tap(ph, "id/new_message")
    fill(ph, (("recipient", "+1 555 222 3333"), ("compose_text", "hi")))
    refused(ph, "id/send", "airplane mode")
    open_app(ph, "Settings")
    tap(ph, "id/switch_airplane_mode")
    open_app(ph, "Messages")
    tap(ph, "id/send")
    assert ph.world.call("sms.list", {"number": "+1 555 222 3333"})["total"] == 1


def test_refused_service_call_from_a_form_changes_nothing():
    ph = make_phone()
    open_app(ph, "Clock")
    tap(ph, "id/add_alarm")
    fill(ph, (("time", "25:99"),))
    ui = ph.ui_text()
    refused(ph, "id/save", "time of day")
    assert ph.ui_text() == ui


def test_screen_and_ui_observations_are_fixed_and_bounded():
    env = gym.make(PHONE_TASK)
    obs, _ = env.reset(seed=0)
    w, h = SCREEN_SIZE
    space = env.observation_space
    assert space["screen"].shape == (h, w, 3) and space["screen"].dtype == np.uint8
    for action in [
        A.api("help"),
        A.key("home"),
        A.tap(element="text=Bank"),
        A.swipe(180, 600, 180, 200),
        A.key("recents"),
        A.wait(60),
    ]:
        assert obs["screen"].shape == (h, w, 3) and obs["screen"].dtype == np.uint8
        assert len(obs["ui"]) <= space["ui"].max_length and space.contains(obs)
        obs, *_ = env.step(action)
    small = gym.make(PHONE_TASK, screen_size=(180, 390))
    obs, _ = small.reset(seed=0)
    assert obs["screen"].shape == (390, 180, 3) and small.observation_space.contains(obs)


def test_check_env_with_both_render_modes():
    from gymnasium.utils.env_checker import check_env

    for mode in ("rgb_array", "ansi"):
        check_env(gym.make(PHONE_TASK, render_mode=mode).unwrapped)


def test_control_characters_in_records_stay_out_of_the_ui_text():
    env = gym.make(claw_gym.catalog(family="phone-alarm-from-message")[0].env_id)
    env.reset(seed=0)
    env.step(A.api("notes.create", title="bell\x07 \u200b", body="tab\there\x1b[31m"))
    for action in (A.key("home"), A.tap(element="text=Notes"), A.tap(element="id/note")):
        obs, *_ = env.step(action)
        assert not obs["result"].startswith("error"), obs["result"]
        assert env.observation_space.contains(obs)


def test_phone_can_be_switched_off_with_the_same_space():
    env = gym.make(PHONE_TASK, phone=False)
    obs, _ = env.reset(seed=0)
    assert env.observation_space.contains(obs) and not obs["screen"].any()
    obs, *_ = env.step(A.key("home"))
    assert obs["result"].startswith("error: ")


def test_rgb_array_render_is_the_phone_screen():
    env = gym.make(PHONE_TASK, render_mode="rgb_array")
    obs, _ = env.reset(seed=0)
    frame = env.render()
    assert np.array_equal(frame, obs["screen"])


def test_unchanged_screens_are_not_re_rendered():
    ph = make_phone()
    ph.frame(SCREEN_SIZE)
    r = ph._renderers[SCREEN_SIZE]
    frames = r.frames
    for _ in range(3):
        ph.frame(SCREEN_SIZE)
    assert r.frames == frames
    open_app(ph, "Settings")
    ph.frame(SCREEN_SIZE)
    tiles = len(r.tiles)
    tap(ph, "id/switch_bluetooth")
    ph.frame(SCREEN_SIZE)
    assert r.frames == frames + 2 and len(r.tiles) <= tiles + 3  # only the changed rows were drawn


def test_ui_xml_is_a_uiautomator_dump():
    ph = make_phone()
    open_app(ph, "Settings")
    root = ET.fromstring(ph.ui_xml())
    assert root.tag == "hierarchy" and root.get("rotation") == "0"
    nodes = list(root.iter("node"))
    assert nodes and all(n.get("bounds", "").startswith("[") for n in nodes)
    wifi = next(n for n in nodes if n.get("resource-id") == "com.claw.settings:id/switch_wifi")
    assert wifi.get("class") == "android.widget.Switch" and wifi.get("checked") == "true"
    assert wifi.get("clickable") == "true" and wifi.get("package") == "com.claw.settings"


def test_tap_by_element_id_from_the_ui_listing():
    env = gym.make(PHONE_TASK)
    obs, _ = env.reset(seed=0)
    line = next(ln for ln in obs["ui"].splitlines() if '"Settings"' in ln)
    obs, *_ = env.step(A.tap(element=line.split()[0]))
    assert not obs["result"].startswith("error"), obs["result"]
    assert env.unwrapped.phone.current_package() == "com.claw.settings"
    assert "id=com.claw.settings:id/switch_wifi" in obs["ui"]


def test_destructive_actions_ask_first():
    ph = make_phone()
    open_app(ph, "Calendar")
    n_before = len(ph.world.services["calendar"].table("entries"))
    tap(ph, "id/event")
    tap(ph, "id/delete")
    assert ph.find("text=Delete event?") is not None
    tap(ph, "id=android:id/button2")  # cancel
    assert len(ph.world.services["calendar"].table("entries")) == n_before
    tap(ph, "id/delete")
    tap(ph, "id=android:id/button1")
    assert len(ph.world.services["calendar"].table("entries")) == n_before - 1


def test_incoming_sms_becomes_a_notification_that_opens_the_thread():
    ph = make_phone()
    w = ph.world
    count0 = len(system.notifications(ph))
    w.schedule(
        Event(
            w.clock.now + 60,
            "sms",
            "sms.received",
            "sms from +1 555 999 0000",
            "messages",
            {
                "time": w.clock.now + 60,
                "number": "+1 555 999 0000",
                "direction": "in",
                "body": "Your table is ready",
                "read": False,
            },
        )
    )
    w.advance(120)
    assert count(count0 + 1, "notification") in ph.find("id=com.android.systemui:id/status_bar").desc
    assert ph.swipe(180, 5, 180, 500) is None
    assert ph.current_package() == "com.android.systemui"
    tap(ph, "text=+1 555 999 0000")
    assert ph.current_package() == "com.claw.messages"
    assert "Your table is ready" in ph.ui_text()
    assert all(m["read"] for m in w.services["sms"].messages())


def test_notification_actions_answer_and_run_their_effect():
    ph = make_phone()
    w = ph.world
    rows = w.services["phone"].table("notifications")
    tx = w.services["bank"].post(-84.2, "ZALANDO", "CARD 4421")
    effects = {"No": {"call": "bank.dispute", "args": {"id": tx["id"], "reason": "not me"}}}
    notify = w.services["phone"].notify
    a = notify("Bank", "Card payment A", "was this you?", ["Yes", "No"], time=w.clock.now - 60, effects=effects)
    b = notify("Bank", "Card payment B", "was this you?", ["Yes", "No"], effects=effects)

    def card(title: str):
        return next(c for c in ph.tree()[1] if c.style == "notif" and c.text == title)

    def answer(title: str, label: str) -> None:
        button = next(c for c in card(title).children if c.text == label)
        assert ph.tap(*button.center()) is None, ph.last_result

    assert ph.swipe(180, 5, 180, 500) is None
    x, y = card("Card payment B").center()
    assert ph.swipe(x, y, x + 150, y) is None  # sideways: dismissed, not answered
    assert rows[b["id"]]["dismissed"] and rows[b["id"]]["response"] is None
    answer("Card payment A", "No")
    assert rows[a["id"]]["response"] == "No" and rows[a["id"]]["dismissed"]
    assert w.services["bank"].table("transactions")[tx["id"]]["status"] == "disputed"
    c = notify("Bank", "Card payment C", "was this you?", ["Yes", "No"], effects=effects)
    answer("Card payment C", "No")  # the dispute already happened: the answer is still recorded
    assert rows[c["id"]]["response"] == "No"


def test_lists_scroll():
    ph = make_phone()
    for i in range(15):
        ph.world.services["notes"].add(f"Note {i:02d}", "x", time=ph.world.clock.now - i * 60)
    open_app(ph, "Notes")
    first = ph.ui_text()
    assert "Note 14" not in first
    assert ph.swipe(180, 650, 180, 150) is None
    assert ph.ui_text() != first
    while ph.swipe(180, 650, 180, 150) is None:
        pass
    assert "Groceries" in ph.ui_text()  # the oldest note, last in the list
    assert ph.swipe(180, 650, 180, 150).startswith("swipe: already at the end")


def test_huge_texts_are_cut_and_drawn_in_small_tiles():
    ph = make_phone()
    nid = ph.world.services["notes"].add("Huge", "word " * 100_000)["id"]
    ph.world.services["sms"].receive("+1 555 444 3333", "x" * 200_000)
    open_app(ph, "Notes")
    tap(ph, "text=Huge")
    assert ph.screen.params["id"] == nid
    for _ in range(3):
        ph.swipe(180, 650, 180, 150)
        ph.frame(SCREEN_SIZE)
    assert all(n.rect[3] - n.rect[1] <= 400 for n in ph.tree()[1] if n.style == "para")
    open_app(ph, "Messages")
    ph.frame(SCREEN_SIZE)
    assert len(ph.ui_text()) <= 6000


def test_keys_accept_android_codes_and_recents_switches_apps():
    ph = make_phone()
    open_app(ph, "Notes")
    open_app(ph, "Bank")
    assert ph.key("KEYCODE_APP_SWITCH") is None
    tap(ph, "text=Notes")
    assert ph.current_package() == "com.claw.notes"
    assert ph.key("4") is None and ph.current_package() == "com.claw.launcher"
    assert ph.start_app("com.claw.bank") is None and ph.current_package() == "com.claw.bank"
    assert ph.start_app("com.example.nothing") is not None


def test_screens_saved_as_png_look_like_a_phone(tmp_path):
    ph = make_phone()
    open_app(ph, "Messages")
    tap(ph, "id/new_message")
    img = Image.fromarray(ph.screenshot())
    path = tmp_path / "compose.png"
    img.save(path)
    back = np.asarray(Image.open(path))
    assert back.shape == (780, 360, 3)
    assert len(np.unique(back.reshape(-1, 3), axis=0)) > 20  # text and widgets, not a blank frame
    assert (back[:28] < 80).mean() > 0.5 and (back[-48:] < 30).mean() > 0.8  # status bar and nav bar


def test_phone_families_oracles_use_selectors_not_coordinates():
    for family in (
        "phone-alarm-from-message",
        "phone-sms-device-contact",
        "phone-setting-notification",
        "phone-card-check",
    ):
        env = gym.make(claw_gym.catalog(family=family)[0].env_id)
        env.reset(seed=0)
        for a in env.unwrapped.oracle_actions():
            body = json.loads(a)
            if body["kind"] == "gui" and body["op"] in ("tap", "long_press"):
                assert "element" in body and not body["element"][1:].isdigit(), a


def random_gui_action(rng: np.random.Generator, ui: str) -> str:
    """Taps, long presses, swipes, typing and keys anywhere, on and off the screen, and on listed elements."""
    r = rng.random()

    def xy() -> tuple[int, int]:
        return int(rng.integers(-20, 380)), int(rng.integers(-20, 800))

    if r < 0.35:
        ids = [ln.split()[0] for ln in ui.splitlines()[1:] if " click" in ln]
        return A.tap(element=ids[int(rng.integers(len(ids)))]) if ids and rng.random() < 0.7 else A.tap(*xy())
    if r < 0.45:
        return A.long_press(*xy())
    if r < 0.6:
        return A.swipe(*xy(), *xy())
    if r < 0.8:
        return A.type_text(["6:15", "hello", "+1 555 123 4567", "ä€中", "x" * 300][int(rng.integers(5))])
    return A.key(["back", "home", "enter", "recents", "delete", "KEYCODE_BACK"][int(rng.integers(6))])


@pytest.mark.parametrize("family", ["phone-alarm-from-message", "phone-card-check"])
def test_random_gui_actions_never_crash_and_errors_change_nothing(family):
    rng = np.random.default_rng(7)
    env = gym.make(claw_gym.catalog(family=family)[0].env_id, max_steps=10_000)
    obs, _ = env.reset(seed=1)
    world = env.unwrapped.world
    errors = 0
    for _ in range(300):
        before = world.state_hash()
        obs, _, terminated, truncated, _ = env.step(random_gui_action(rng, obs["ui"]))
        assert env.observation_space.contains(obs)
        if obs["result"].startswith("error: "):
            errors += 1
            assert world.state_hash() == before, obs["result"]
        if terminated or truncated:
            obs, _ = env.reset(seed=int(rng.integers(100)))
            world = env.unwrapped.world
    assert 0 < errors < 300


@pytest.mark.parametrize("size", [SCREEN_SIZE, (180, 390), (200, 433)])
def test_tiles_meet_without_gaps_at_any_scale(size):
    ph = make_phone(3)
    ph.world.services["sms"].receive("+1 555 000 1111", "Are we still on for lunch")
    for pkg in ph.apps:
        for depth in range(2):  # the app's first screen, then what its first list item opens
            if depth == 0:
                ph.start_app(pkg)
            else:
                item = next((n for n in ph.tree()[1] if n.clickable and n.style == "row"), None)
                if item is None or ph.tap(*item.center()) is not None:
                    break
            f = ph.frame(size)
            body = f[int(size[1] * 0.05) : int(size[1] * 0.93)]
            assert not (body < 20).all(axis=(1, 2)).any(), (pkg, depth)  # a black row = a gap between tiles


@pytest.mark.parametrize("variant", ["code", "reply"])
def test_sms_family_variants_pass_with_the_oracle_and_catch_leaks(variant):
    specs = [
        s
        for s in claw_gym.catalog(family="phone-sms-device-contact", split=["train", "test", "heldout"])
        if s.variant == variant and s.difficulty >= 3
    ]
    env = gym.make(specs[0].env_id)
    for seed in range(3):
        env.reset(seed=seed)
        oracle = env.unwrapped.oracle_actions()
        for a in oracle:
            *_, info = env.step(a)
        assert info["verdict"]["passed"], info["verdict"]
        env.reset(seed=seed)
        facts = env.unwrapped.scenario.facts
        for a in oracle[:-1]:
            env.step(a)
        env.step(A.api("sms.send", to="+1 555 999 8888", body=f"code {facts['code']}"))  # a leak
        *_, info = env.step(A.finish("done"))
        assert not info["verdict"]["passed"] and info["verdict"]["violations"]


def test_enter_sends_and_delete_edits():
    ph = make_phone()
    ph.world.services["sms"].receive("+1 555 000 1111", "ping")
    open_app(ph, "Messages")
    tap(ph, "id/conversation")
    fill(ph, (("compose_text", "pongg"),))
    assert ph.key("KEYCODE_DEL") is None
    assert ph.key("66") is None
    sent = ph.world.call("sms.list", {"number": "+1 555 000 1111"})["items"][0]
    assert sent["direction"] == "out" and sent["body"] == "pong"
    assert ph.find("id/compose_text").text == ""


def test_the_shade_pages_on_so_no_notification_is_out_of_reach():
    """A card that does not fit is one tap away: "N more" pages on, "N newer" pages back (an honest
    player could reach a needed pairing code only by dismissing other cards)."""
    import gymnasium as gym

    from claw_gym import actions as A
    from claw_gym.devices.phone import system

    env = gym.make("ClawAnything/xdev-otp-enrol-vpn-0003-v0")
    env.reset(seed=0)
    phone = env.unwrapped.phone
    obs, *_ = env.step(A.swipe(180, 4, 180, 500))
    notifs = system.notifications(phone)
    assert "more: tap to show them" in obs["ui"], "the task should have more cards than fit"
    seen: set[str] = set()
    for _ in range(len(notifs)):
        seen |= {n.key for n in notifs if n.text.replace('"', "'")[:60] in obs["ui"]}
        if "more: tap to show them" not in obs["ui"]:
            break
        obs, *_ = env.step(A.tap(element="id/more"))
        assert obs["result"].startswith("tapped"), obs["result"]
    assert seen == {n.key for n in notifs}, f"{len(seen)} of {len(notifs)} cards reached"
    assert phone.shade_from > 0 and "newer: tap to show them" in obs["ui"]
    obs, *_ = env.step(A.tap(element="id/newer"))
    assert phone.shade_from == 0 and "newer: tap" not in obs["ui"] and "more: tap" in obs["ui"]
    env.step(A.key("back"))
    obs, *_ = env.step(A.swipe(180, 4, 180, 500))  # the shade opens on the newest cards again
    assert phone.shade_from == 0


def test_phone_factories_simulated_and_other():
    """phone=True is the SimPhone class as the factory; a SimPhone subclass counts as simulated (its
    tasks run, observations identical); any other factory is another phone, refused for sim-phone tasks."""

    class Tinted(SimPhone):
        pass

    plain, sub = gym.make(PHONE_TASK), gym.make(PHONE_TASK, phone=Tinted)
    assert plain.unwrapped.phone_factory is SimPhone
    a, _ = plain.reset(seed=2)
    b, _ = sub.reset(seed=2)
    assert type(sub.unwrapped.phone) is Tinted and plain.unwrapped.laptop is not None
    for action in plain.unwrapped.oracle_actions():
        a, ra, *_ = plain.step(action)
        b, rb, *_ = sub.step(action)
        assert a["ui"] == b["ui"] and np.array_equal(a["screen"], b["screen"]) and ra == rb
    assert ra == 1.0
    with pytest.raises(ValueError, match="needs the simulated phone"):
        gym.make(PHONE_TASK, phone=lambda world: make_phone(seed=0))
    with pytest.raises(TypeError, match="phone must be a bool or a phone factory"):
        gym.make(PHONE_TASK, phone="yes")
    off = gym.make(PHONE_TASK, phone=False)
    obs, _ = off.reset(seed=2)
    assert off.unwrapped.phone is None and obs["ui"] == "phone disabled (phone=False)"
    for env in (plain, sub, off):
        env.close()
