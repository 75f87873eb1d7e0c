"""The phone's Contacts app edits and deletes contacts (synced and phone-only) through World.call,
and the families that ask for a contact update require the update, not a duplicate."""

from __future__ import annotations

import json

import gymnasium as gym
import pytest

import claw_gym
from claw_gym import actions as A
from claw_gym.devices.phone import SimPhone
from claw_gym.devices.phone import script as S
from claw_gym.devices.phone.demo import demo_phone
from claw_gym.devices.phone.gui import perform
from claw_gym.tasks import families

UPDATE_FAMILIES = ("address-update", "dual-ticket-new-number")


def tap(ph: SimPhone, selector: str, *, long: bool = False) -> None:
    node = ph.find(selector)
    assert node is not None, f"{selector} not on screen:\n{ph.ui_text()}"
    err = (ph.long_press if long else ph.tap)(*node.center())
    assert err is None, err


def open_contact(ph: SimPhone, name: str) -> None:
    assert ph.start_app("com.claw.contacts") is None
    tap(ph, "id/search")
    assert ph.type_text(name.split()[0]) is None
    tap(ph, f"text={name}")


@pytest.fixture
def ph() -> SimPhone:
    phone = demo_phone(seed=2)
    phone.world.services["phone"].add_contact_record("Ilse Maren (locksmith)", "+1 555 210 3344")
    phone.world.services["contacts"].add("Oren Kalder", "oren@kalder.example", "+1 555 700 1000")
    return phone


def _gui_calls(ph: SimPhone, call: str) -> list:
    return [e for e in ph.world.audit.calls(call) if e.source == "gui"]


def test_edit_a_synced_contact_by_taps_and_typing(ph):
    open_contact(ph, "Oren Kalder")
    tap(ph, "id/edit")
    ui = ph.ui_text()
    for hint in ("Name", "Phone", "Email", "Company", "Address"):
        assert f'hint="{hint}"' in ui
    assert '"oren@kalder.example"' in ui  # the form is prefilled
    tap(ph, "id/phone", long=True)  # clears the field and focuses it
    assert ph.screen.fields["phone"] == "" and ph.screen.focus == "phone"
    assert ph.last_result.startswith("long-pressed "), ph.last_result  # the result says what the touch was
    assert ph.type_text("+1 555 700 2000") is None
    tap(ph, "id/address")
    assert ph.type_text("12 Quay Road, Cork") is None
    tap(ph, "id/save")
    person = ph.world.services["contacts"].by_name("Oren Kalder")
    assert (person["phone"], person["address"], person["email"]) == (
        "+1 555 700 2000",
        "12 Quay Road, Cork",
        "oren@kalder.example",
    )
    assert ph.screen.view == "detail" and ph.toast == "Contact updated"
    assert '"+1 555 700 2000"' in ph.ui_text()
    assert len(_gui_calls(ph, "contacts.update")) == 1


def test_rename_and_renumber_a_phone_only_contact(ph):
    open_contact(ph, "Ilse Maren (locksmith)")
    tap(ph, "id/edit")
    assert 'hint="Email"' not in ph.ui_text()  # a phone contact has a name and a number
    tap(ph, "id/name", long=True)
    assert ph.type_text("Ilse Maren (keys)") is None
    for a in S.replace("phone", "+1 555 210 9999"):  # the oracles' helper, through the gui action parser
        perform(ph, {k: v for k, v in json.loads(a).items() if k != "kind"})
    tap(ph, "id/save")
    (c,) = ph.world.services["phone"].table("contacts").values()
    assert (c["name"], c["phone"]) == ("Ilse Maren (keys)", "+1 555 210 9999")
    assert _gui_calls(ph, "phone.update_contact")


def test_delete_asks_first_and_cancel_keeps_the_contact(ph):
    book = ph.world.services["phone"].table("contacts")
    open_contact(ph, "Ilse Maren (locksmith)")
    tap(ph, "id/delete")
    ui = ph.ui_text()
    assert "Delete Ilse Maren (locksmith) from this phone? This cannot be undone." in ui
    tap(ph, "text=Cancel")
    assert len(book) == 1 and ph.screen.dialog is None and ph.screen.view == "detail"
    tap(ph, "id/delete")
    assert ph.key("back") is None  # back dismisses the dialog too
    assert len(book) == 1 and ph.screen.dialog is None
    tap(ph, "id/delete")
    tap(ph, "id/button1")
    assert len(book) == 0 and ph.screen.view == "main" and ph.toast == "Deleted Ilse Maren (locksmith)"
    assert _gui_calls(ph, "phone.delete_contact")


def test_delete_a_synced_contact(ph):
    people = ph.world.services["contacts"].table("people")
    n = len(people)
    open_contact(ph, "Oren Kalder")
    tap(ph, "id/delete")
    assert "from your synced address book" in ph.ui_text()
    tap(ph, "id/button1")
    assert len(people) == n - 1 and ph.world.services["contacts"].by_name("Oren Kalder") is None
    assert _gui_calls(ph, "contacts.delete")


def test_invalid_edits_are_refused_and_change_nothing(ph):
    before = ph.world.state_hash()
    open_contact(ph, "Ilse Maren (locksmith)")
    tap(ph, "id/edit")
    tap(ph, "id/phone", long=True)
    assert ph.type_text("call me") is None
    err = ph.tap(*ph.find("id/save").center())
    assert err is not None and "not a phone number" in err, err
    assert ph.world.state_hash() == before and ph.screen.view == "edit"  # the form keeps what was typed
    assert ph.screen.fields["phone"] == "call me"
    tap(ph, "id/name", long=True)
    err = ph.tap(*ph.find("id/save").center())
    assert err is not None and "name must not be empty" in err
    assert ph.world.state_hash() == before


def test_a_contact_deleted_elsewhere_says_so_on_its_screens(ph):
    open_contact(ph, "Oren Kalder")
    tap(ph, "id/edit")
    pid = ph.screen.params["id"]
    ph.world.call("contacts.delete", {"id": pid}, source="api")
    assert "This contact no longer exists" in ph.ui_text() and ph.find("id/save") is None


def test_bad_gui_input_on_the_contact_screens_is_an_error_observation():
    env = gym.make(claw_gym.catalog(family="dual-ticket-new-number")[0].env_id).unwrapped
    env.reset(seed=0)
    f = env.scenario.facts
    for a in [*S.open_app("Contacts"), *S.fill("search", f["name"]), S.tap(f"text={f['label']}")]:
        obs, *_ = env.step(a)
    before = env.world.state_hash()
    for bad in (
        A.tap(x=400, y=900),
        A.tap(x=-1, y=10),
        A.long_press(element="id/nowhere"),
        '{"kind": "gui", "op": "tap", "element": 7}',
        A.type_text("x"),
    ):
        obs, reward, terminated, truncated, info = env.step(bad)
        assert info["error"] and not terminated and reward == 0.0, bad
        assert env.world.state_hash() == before
    assert "off the screen" in env.step(A.tap(x=400, y=900))[0]["result"]
    obs, *_ = env.step(S.tap("id/delete"))
    assert "This cannot be undone." in obs["ui"]
    obs, _, _, _, info = env.step(A.tap(x=5, y=5))  # the dim layer: dismisses, deletes nothing
    assert (
        not info["error"]
        and env.phone.screen.dialog is None
        and f["contact"] in env.world.services["phone"].table("contacts")
    )
    env.close()


def _play(family: str, seed: int, actions) -> dict:
    env = gym.make(claw_gym.catalog(family=family, split=["train", "test", "heldout"])[seed].env_id).unwrapped
    env.reset(seed=seed)
    info: dict = {}
    for a in actions(env):
        _, _, terminated, truncated, info = env.step(a)
        if terminated or truncated:
            break
    else:
        _, _, _, _, info = env.step(A.finish("done"))
    env.close()
    return info["verdict"]


@pytest.mark.parametrize("family", UPDATE_FAMILIES)
@pytest.mark.parametrize("seed", range(3))
def test_the_update_passes_and_a_duplicate_beside_the_stale_contact_fails(family, seed):
    verdict = _play(family, seed, lambda env: env.oracle_actions())
    assert verdict["passed"], verdict
    duplicate = families()[family].duplicate
    verdict = _play(family, seed, lambda env: duplicate(env.world, env.scenario.facts))
    assert not verdict["passed"]
    check = next(c for c in verdict["checks"] if c["name"] == "the contact was updated, not duplicated")
    assert not check["passed"], verdict
