"""Snapshots of the devices: the phone's UI state and the laptop's home come back with a restore (issue 9).

tests/test_reliability.py checks restore-vs-replay over every family; these tests pin the
pieces one by one (what is covered, what a restore does to a live shell, what is not covered).
"""

from __future__ import annotations

import shutil

import gymnasium as gym
import pytest

import claw_gym
from claw_gym import actions as A
from claw_gym.clock import to_datetime

PHONE_TASK = claw_gym.catalog(family="phone-card-check")[0].env_id
SHELL_TASK = claw_gym.catalog(family="downloads-cleanup")[0].env_id
needs_bwrap = pytest.mark.skipif(shutil.which("bwrap") is None, reason="bubblewrap (bwrap) is not installed")


def _open(env_id):
    env = gym.make(env_id, max_steps=200).unwrapped
    env.reset(seed=0)
    yield env
    env.close()


@pytest.fixture
def phone_env():
    yield from _open(PHONE_TASK)


@pytest.fixture
def shell_env():
    yield from _open(SHELL_TASK)


def tap(env, selector):
    obs, *_ = env.step(A.tap(element=selector))
    assert not obs["result"].startswith("error"), obs["result"]
    return obs


def sh(env, cmd):
    return env.step(A.shell(cmd))[0]["result"]


# ---- the phone -------------------------------------------------------------------------------
def test_phone_navigation_typed_text_and_seen_come_back(phone_env):
    env, ph = phone_env, phone_env.phone
    env.step(A.key("home"))
    tap(env, "text=Notes")
    tap(env, "id/new_note")
    tap(env, "id/title")
    obs, *_ = env.step(A.type_text("half a tit"))
    snap = env.snapshot()
    stacks = {
        p: [(s.view, dict(s.params), s.scroll, dict(s.fields), s.focus) for s in st] for p, st in ph.stacks.items()
    }
    seen, ui, screen = dict(ph.seen), obs["ui"], obs["screen"].copy()
    env.step(A.type_text("le and more"))
    env.step(A.key("back"))
    env.step(A.key("home"))
    tap(env, "text=Messages")
    env.step(A.swipe(180, 30, 180, 400))  # the shade
    assert ph.shade_open and ph.current == "com.claw.messages"
    restored = env.restore(snap)
    assert restored["ui"] == ui and (restored["screen"] == screen).all()
    assert {
        p: [(s.view, dict(s.params), s.scroll, dict(s.fields), s.focus) for s in st] for p, st in ph.stacks.items()
    } == stacks
    assert ph.seen == seen and not ph.shade_open
    obs, *_ = env.step(A.type_text("le"))  # the restored field has focus and its text
    assert "half a title" in obs["ui"]
    env.restore(snap)  # again: the screens are fresh copies, the first branch did not edit them
    obs, *_ = env.step(A.wait(1))
    assert "half a title" not in obs["ui"] and "half a tit" in obs["ui"]


def test_an_open_dialog_confirms_what_the_restored_screen_holds(phone_env):
    env = phone_env
    env.step(A.key("home"))
    tap(env, "text=Bank")
    row = next(p["row"] for p in env.scenario.facts["payments"] if p["legit"])  # as the Bank app lists it
    tap(env, f"text={row}")
    tap(env, "id/reason")
    env.step(A.type_text("not me"))
    tap(env, "id/dispute")  # "Dispute this charge?" is open
    snap = env.snapshot()
    env.step(A.key("back"))  # branch: close it, change the reason, confirm
    tap(env, "id/reason")
    env.step(A.type_text(" at all"))
    tap(env, "id/dispute")
    tap(env, "id/button1")
    env.restore(snap)
    tap(env, "id/button1")  # the snapshot's dialog, on the snapshot's screen
    (tx,) = [
        t for t in env.world.services["bank"].table("transactions").values() if row.startswith(t["counterparty"] + " ")
    ]
    assert tx["status"] == "disputed" and tx["dispute_reason"] == "not me", tx


def test_phone_clock_is_the_one_drawn_at_the_snapshot(phone_env):
    """The view tree is redrawn only when something changes, so the status bar may show an older
    minute; a restore keeps showing that minute until something changes, as the original did."""
    env = phone_env
    env.step(A.wait(120))
    snap = env.snapshot()
    shown = f'"{to_datetime(env.phone.now):%H:%M}"'
    nxt = env.world.timeline.next_time()  # two waits that end before the next arrival, minutes apart
    pause = 300 if nxt is None else min(300, (nxt - env.world.clock.now - 1) // 2)
    assert pause >= 60, "the fixture's next arrival is too close for this test"
    first = [env.step(A.wait(pause))[0]["ui"] for _ in range(2)]
    assert all(shown in ui for ui in first)  # nothing changed on the phone: the minute it was drawn at
    env.restore(snap)
    assert [env.step(A.wait(pause))[0]["ui"] for _ in range(2)] == first
    obs, *_ = env.step(A.key("recents"))  # a change: redrawn at the current time
    assert f'"{to_datetime(env.world.clock.now):%H:%M}"' in obs["ui"] and shown not in obs["ui"]


def test_restoring_an_older_episode_brings_its_phone_back(phone_env):
    env = phone_env
    env.step(A.key("home"))
    obs = tap(env, "text=Notes")
    snap, old_phone = env.snapshot(), env.phone
    env.reset(seed=5)
    assert env.phone is not old_phone and old_phone.world is None  # closed: the old world can go
    assert env.restore(snap)["ui"] == obs["ui"]
    assert env.phone is old_phone and old_phone.world is env.world
    obs2, *_ = env.step(A.wait(1))
    assert (obs2["screen"] == obs["screen"]).all()


# ---- the laptop --------------------------------------------------------------------------------
def test_a_laptop_that_never_started_snapshots_as_data(shell_env):
    env = shell_env
    snap = env.snapshot()
    state = snap.world_state.parts["laptop"]
    assert state.disk is None and state.cwd is None and env.laptop.shell is None
    env.restore(snap)
    assert env.laptop.shell is None  # no process started by a snapshot or a restore


@needs_bwrap
def test_laptop_files_modes_times_and_cwd_come_back(shell_env):
    env = shell_env
    files = env.world.services["files"]
    sh(
        env,
        "mkdir -p work/deep && cd work/deep && printf 'hi\\n' > a.txt && chmod 600 a.txt "
        "&& printf '\\377\\376binary' > blob.bin && chmod 700 . && touch -d @0 old.txt",
    )
    snap = env.snapshot()
    listing = sh(env, "pwd; ls -la --time-style=full-iso . ~/work; od -c blob.bin")
    assert "/home/user/work/deep" in listing and "-rw-------" in listing and "377 376" in listing
    assert files.find("work/deep/blob.bin") is None  # not UTF-8: only the laptop has it
    state = snap.world_state.parts["laptop"]
    assert state.cwd == (True, "work/deep") and state.disk.nbytes() > 0
    sh(env, "cd ~ && rm -rf work && echo new > Desktop/new.txt && chmod 000 Documents")
    assert files.find("Desktop/new.txt") is not None
    env.restore(snap)
    assert not env.laptop.running  # the live shell went with the branch
    assert sh(env, "pwd; ls -la --time-style=full-iso . ~/work; od -c blob.bin") == listing
    assert "new.txt" not in sh(env, "ls ~/Desktop") and "drwxr-xr-x" in sh(env, "ls -ld ~/Documents")
    assert files.find("Desktop/new.txt") is None and files.find("work/deep/a.txt")["content"] == "hi\n"


@needs_bwrap
def test_shell_variables_are_not_covered_but_a_restore_without_commands_keeps_the_shell(shell_env):
    env = shell_env
    sh(env, "export V=kept")
    snap = env.snapshot()
    pid = env.laptop.shell.child.pid
    env.step(A.api("help"))
    env.restore(snap)  # no command ran since the snapshot: the live shell is exactly its state
    assert env.laptop.shell.child.pid == pid and "V=kept" in sh(env, "echo V=$V")
    env.restore(snap)  # a command ran since: a new shell, same home and cwd, no variables
    assert "V=\n" in sh(env, "echo V=$V") and env.laptop.shell.child.pid != pid


@needs_bwrap
def test_restore_to_before_the_shell_started_gives_a_fresh_shell_and_reads(shell_env):
    env = shell_env
    path = next(f["path"] for f in env.world.services["files"].table("files").values())
    snap = env.snapshot()
    sh(env, f"cat {path!r} >/dev/null; echo x > stray.txt")
    assert list(env.laptop.reads) == [path]
    env.restore(snap)
    assert env.laptop.reads == {} and env.laptop.shell is None
    assert "stray.txt" not in sh(env, "ls") and env.laptop.reads == {}


@needs_bwrap
def test_a_snapshot_is_not_a_read(shell_env):
    env = shell_env
    sh(env, "printf '\\377' > raw.bin")
    env.snapshot()  # reads raw.bin's bytes (only the laptop has them) without moving its access time
    sh(env, "ls -l raw.bin")
    assert "raw.bin" not in env.laptop.reads
    sh(env, "od -c raw.bin")
    assert "raw.bin" in env.laptop.reads


@needs_bwrap
def test_restoring_an_older_episode_brings_its_laptop_back(shell_env):
    env = shell_env
    sh(env, "echo one > Desktop/one.txt")
    snap, old = env.snapshot(), env.laptop
    env.reset(seed=3)
    assert env.laptop is not old and not old.running and old.world is None
    env.restore(snap)
    assert env.laptop is old and old.world is env.world
    assert sh(env, "cat Desktop/one.txt") == "[exit 0]\none\n"


def test_every_service_declares_its_state_beyond_the_tables():
    """A snapshot covers a service's tables and its declared ``state_attrs``, nothing else: a service's
    other attributes are private caches (``_index``), and a new public attribute must be declared."""
    from claw_gym.services.base import Service

    env = gym.make("ClawAnything-v0")
    declared = set()
    for seed in range(6):
        env.reset(seed=seed)
        world = env.unwrapped.world
        plain = set(vars(Service(world)))
        for svc in world.services.values():
            svc.snapshot()  # caches filled, as they are mid-episode
            public = {a for a in set(vars(svc)) - plain if not a.startswith("_")}
            assert public == set(svc.state_attrs), type(svc).__name__
            declared |= {f"{svc.name}.{a}" for a in svc.state_attrs}
    assert {"bank.opening_balance", "phone.settings"} <= declared
    seed = 0
    while not any(s.state_attrs for s in env.unwrapped.world.services.values()):  # a world with such a service
        env.reset(seed=seed)
        seed += 1
    world = env.unwrapped.world
    bank = next(s for s in world.services.values() if s.state_attrs)
    attr = bank.state_attrs[0]
    before, snap = getattr(bank, attr), world.snapshot()
    setattr(bank, attr, {"changed": True} if isinstance(before, dict) else 12345.0)
    world.restore(snap)
    assert getattr(bank, attr) == before  # a declared attribute written directly is restored too
    env.close()
