"""Fewer dry runs per wrapped step (issue 17, point 3; session 32): narrower ``reads``.

The menu keeps a block's dry-run verdicts while the parts of the world its endpoint ``reads`` keep
their versions. Endpoints whose checks before their commit point look at their arguments only
(``sms.send``, ``files.write``, ``notes.create``, ``calendar.create_event``, ``todo.add_task``,
``contacts.create``) now declare ``reads=()``, and ``mail.send`` (and WorkMail's) only ``("files",)``
(its attachments): a message arriving in the inbox no longer makes the menu dry-run every send again.

A narrower key must never hide a changed verdict. After every wrapped step (valid slots, invalid
slots, resets, a snapshot's restore) every verdict the menu keeps, which it would reuse for that
candidate now, equals a fresh dry run of the world as it is; and the vector, the mask and the menu
equal a from-scratch computation. ``test_the_walk_catches_a_too_narrow_declaration`` checks that this
walk fails when a declaration is narrowed too far. Speed is measured by ``python -m claw_gym.bench
--only rl``, never in a test.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import numpy as np
import pytest

import claw_gym
from claw_gym.services import SERVICES
from claw_gym.wrappers import ActionMenu, HashedTextObservation, make_rl_env
from claw_gym.wrappers import menu as menu_module
from claw_gym.wrappers.features import grayscale, hash_features

#: the endpoints whose verdicts read nothing of their own service (session 32), and what they read
NARROWED = {
    "sms.send": (),
    "files.write": (),
    "notes.create": (),
    "calendar.create_event": (),
    "todo.add_task": (),
    "contacts.create": (),
    "mail.send": ("files",),
    "workmail.send": ("files",),
}


def _env_id(family: str) -> str:
    return claw_gym.catalog(family=family, split=None)[0].env_id


def test_the_narrowed_declarations():
    for call, reads in NARROWED.items():
        service, _, name = call.partition(".")
        assert SERVICES[service].endpoints[name].reads == reads, call


def _menu_on(family: str) -> ActionMenu:
    env = make_rl_env(_env_id(family), screen=False)
    env.reset(seed=0)
    menu = env.env
    assert isinstance(menu, ActionMenu)
    return menu


def test_an_arrival_in_the_inbox_keeps_the_send_blocks_verdicts():
    """A change of mail's records (a message read, as an arrival would) keeps mail.send's verdicts
    (they read the addresses and the attachments only) and starts mail.reply's over (it reads the
    message replied to)."""
    menu = _menu_on("inbox-day")
    world = menu.env.unwrapped.world
    message = next(iter(world.services["mail"].table("messages")))
    obs = dict(menu.env.unwrapped.last_obs, result=json.dumps({"id": message, "from": "ann@example.com"}))
    menu.build(obs)
    send, reply = menu._verdicts["mail.send"], menu._verdicts["mail.reply"]
    assert send and reply  # both blocks dry-ran candidates
    world.call("mail.mark_read", {"id": message, "read": False})
    world.call("mail.mark_read", {"id": message})
    menu.build(obs)
    assert menu._verdicts["mail.send"] is send
    assert menu._verdicts["mail.reply"] is not reply
    world.call("files.write", {"path": "Documents/new.txt", "content": "x"})  # what its attachments read
    menu.build(obs)
    assert menu._verdicts["mail.send"] is not send


def test_a_text_received_keeps_the_sms_send_verdicts():
    menu = _menu_on("phone-alarm-from-message")
    world = menu.env.unwrapped.world
    sms = world.services["sms"]
    obs = dict(menu.env.unwrapped.last_obs, result="call or text +1 555 0100 about dinner")
    menu.build(obs)
    kept = menu._verdicts["sms.send"]
    assert kept
    version = sms.version
    text = {"time": world.clock.now, "number": "+15550199", "direction": "in", "body": "hi", "read": False}
    sms.insert("messages", text)
    assert sms.version != version
    menu.build(obs)
    assert menu._verdicts["sms.send"] is kept


# ---- every kept verdict against a fresh dry run, every step against a from-scratch menu -------------
def _args(key: tuple[Any, ...]) -> dict[str, Any]:
    """The argument dict of a verdict's key (``menu._freeze`` turned lists into tuples)."""
    return {k: list(v) if isinstance(v, tuple) else v for k, v in key}


def _stale_verdicts(menu: ActionMenu) -> list[str]:
    """Every verdict the menu keeps and would reuse now (its clock and budget answer still hold)
    that a fresh dry run of the world contradicts."""
    world = menu.env.unwrapped.world
    now, out = world.clock.now, []
    for block, verdicts in menu._verdicts.items():
        for (call, frozen), (accepted, clock, size, fits) in verdicts.items():
            assert call == block
            if clock is not None and clock != now:
                continue  # it read the clock, which moved: the menu dry-runs it again
            if fits is not None and fits != menu_module._fits(world.budget, size):
                continue  # the budget's answer moved: the same
            if world.check_call(call, _args(frozen), "api").accepted != accepted:
                out.append(f"{call}({frozen}): kept {accepted}")
    return out


def _reference(env: Any, raw: dict) -> tuple[np.ndarray, np.ndarray, list[str]]:
    features = env
    assert isinstance(features, HashedTextObservation)
    menu = features.env
    assert isinstance(menu, ActionMenu)
    fresh = ActionMenu(menu.env)  # no verdict, block, label or held id kept
    fresh._recalled.extend(menu._recalled)  # what the agent read in earlier steps: part of the input
    fresh.build(raw)
    parts = [hash_features(raw[k], features.dim, features.ngrams) for k in features.fields]
    if features.screen_shape is not None:
        parts.append(grayscale(np.array(raw["screen"]), features.screen_shape))
    return np.concatenate(parts).astype(np.float32), fresh.action_masks(), fresh.menu()


def _walk(family: str, screen: bool, steps: int, seed: int, reference: bool = True) -> None:
    """Random slots (some invalid) through resets and restores; after each step no kept verdict is
    stale and (``reference``) the vector, mask and menu are a from-scratch menu's."""
    env = make_rl_env(_env_id(family), screen=screen)
    base, menu = env.unwrapped, env.env
    n = int(env.action_space.n)
    rng = np.random.default_rng(seed)
    obs, info = env.reset(seed=seed)
    snap, invalid, restores = base.snapshot(), False, 0
    for step in range(steps):
        assert not _stale_verdicts(menu), (step, _stale_verdicts(menu))
        mask, labels = info["action_mask"], info["menu"]
        if reference:
            raw = base.last_obs
            if invalid:  # the menu shows its own error for a slot that was not available
                raw = dict(raw, result="error: " + info["error"])
            vec, ref_mask, ref_labels = _reference(env, raw)
            assert np.array_equal(obs, vec), step
            assert np.array_equal(mask, ref_mask), step
            assert labels == ref_labels, step
        invalid = step % 11 == 5
        if invalid:
            action = int(rng.choice(np.flatnonzero(~mask))) if (~mask).any() else n - 1
        else:
            slots = [i for i in np.flatnonzero(mask) if not labels[i].startswith("shell(")]  # ls -la: real mtimes
            # the narrowed blocks' slots first, half the time: they change the services they live in
            narrowed = [i for i in slots if labels[i].split("(")[0] in NARROWED]
            action = int(rng.choice(narrowed if narrowed and rng.random() < 0.5 else slots))
        if step % 13 == 12:  # back to an earlier moment: older versions come back with their records
            base.restore(snap)
            restores += 1
            action = menu._size["core"] - 1  # "help": it means the same in any world
            invalid = False
        elif step % 13 == 3:
            snap = base.snapshot()
        obs, _, terminated, truncated, info = env.step(action)
        if terminated or truncated or step % 41 == 40:
            obs, info = env.reset(seed=seed + 100 + step)
            snap, invalid = base.snapshot(), False
    assert not _stale_verdicts(menu)
    assert restores >= steps // 13 - 1
    env.close()


@pytest.mark.parametrize(
    ("family", "screen"),
    [
        ("inbox-day", False),  # API, two mail services: sends, replies, arrivals
        ("meeting-reschedule", False),  # API: calendar and mail
        ("phone-alarm-from-message", True),  # the phone: taps, texts, the screen block
        ("xdev-shared-code", False),  # laptop and phone: shell commands, files written
    ],
)
def test_kept_verdicts_are_fresh_and_steps_equal_a_from_scratch_menu(family, screen):
    _walk(family, screen, steps=80, seed=32)


def test_the_walk_catches_a_too_narrow_declaration(monkeypatch):
    """A declaration narrowed too far (``mail.reply`` reads its message: declared to read nothing)
    keeps a verdict the world no longer gives: the walk above fails."""
    mail = SERVICES["mail"]
    monkeypatch.setitem(mail.endpoints, "reply", dataclasses.replace(mail.endpoints["reply"], reads=()))
    monkeypatch.setitem(mail.endpoints, "mark_read", dataclasses.replace(mail.endpoints["mark_read"], reads=()))
    monkeypatch.setitem(mail.endpoints, "move", dataclasses.replace(mail.endpoints["move"], reads=()))
    with pytest.raises(AssertionError, match="kept True"):  # a stale verdict, not another failure
        _walk("inbox-day", False, steps=150, seed=32, reference=False)
