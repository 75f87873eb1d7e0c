"""The laptop: sandbox escapes that must fail, limits, interactive programs, the claw CLI, files as state.

Every escape test ends by checking that the env still steps. Skipped only when
bubblewrap is not installed (CI installs it).
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import time

import gymnasium as gym
import pytest

import claw_gym
from claw_gym import actions as A
from claw_gym.devices.laptop import procs

pytestmark = pytest.mark.skipif(shutil.which("bwrap") is None, reason="bubblewrap (bwrap) is not installed")

TASK = claw_gym.catalog(family="downloads-cleanup")[0].task_id


def make(task: str = TASK, seed: int = 0) -> gym.Env:
    env = gym.make(f"ClawAnything/{task}-v0", max_steps=500)
    env.reset(seed=seed)
    return env


def sh(env: gym.Env, cmd: str, timeout: float | None = None) -> str:
    obs, _, _, _, info = env.step(A.shell(cmd, timeout))
    assert env.observation_space.contains(obs)
    return obs["result"]


def still_steps(env: gym.Env) -> None:
    assert sh(env, "echo still-here") == "[exit 0]\nstill-here\n"


@pytest.fixture
def env():
    e = make()
    yield e
    e.close()


def sandbox_tree(env: gym.Env) -> list[int]:
    """The env's sandbox processes (bwrap and all below it); other tests' envs may still be alive."""
    lp = env.unwrapped.laptop
    if lp is None or lp.shell is None:
        return []
    return [lp.shell.child.pid] + procs.descendants(lp.shell.child.pid)


def alive(pids: list[int], wait: float = 2.0) -> list[int]:
    deadline = time.monotonic() + wait
    while True:
        left = [p for p in pids if os.path.exists(f"/proc/{p}")]
        if not left or time.monotonic() > deadline:
            return left
        time.sleep(0.05)


def processes_of_uid(uid: int, wait: float = 2.0) -> list[int]:
    """Processes owned by ``uid`` anywhere on the host (orphans included), after up to ``wait`` s."""
    deadline = time.monotonic() + wait
    while True:
        found = []
        for name in os.listdir("/proc"):
            if name.isdigit():
                try:
                    if os.stat(f"/proc/{name}").st_uid == uid:
                        found.append(int(name))
                except OSError:
                    pass
        if not found or time.monotonic() > deadline:
            return found
        time.sleep(0.05)


# ---- basics ----------------------------------------------------------------------------------
def test_exit_status_output_and_cwd(env):
    assert sh(env, "echo hi") == "[exit 0]\nhi\n"
    assert sh(env, "echo oops >&2; false").startswith("[exit 1]\noops")
    sh(env, "cd Documents && mkdir -p deep/er && cd deep/er")
    assert sh(env, "pwd") == "[exit 0]\n/home/user/Documents/deep/er\n"
    assert sh(env, "x=42") == "[exit 0]"
    assert sh(env, "echo $x") == "[exit 0]\n42\n"
    assert "unexpected EOF" in sh(env, "echo 'unclosed")  # a syntax error, not a hang
    multi = sh(env, "cat <<'EOF'\nline one\n  line 'two' \"3\"\nEOF")
    assert multi == "[exit 0]\nline one\n  line 'two' \"3\"\n"


def test_unicode_and_binary_output(env):
    out = sh(
        env,
        "printf 'h\\xc3\\xa9llo \\xe4\\xb8\\xad\\xe6\\x96\\x87 \\xff\\xfe\\x00\\x1b[31mred\\n'; "
        "head -c 3000 /dev/urandom",
    )
    assert out.startswith("[exit 0]\nhéllo 中文 ")
    assert "red" in out
    still_steps(env)


def test_odd_text_does_not_break_the_step(env):
    """A lone surrogate cannot reach bash (it is no text): the action is refused, nothing runs.
    NUL bytes and escapes in the output are fine."""
    before = env.unwrapped.world.state_hash()
    obs, *_, info = env.step('{"kind": "shell", "cmd": "echo \\ud800 x > Documents/odd.txt"}')
    assert obs["result"].startswith("error: ") and "surrogate" in obs["result"] and not info["action_ok"]
    obs, *_, info = env.step(A.api("files.write", path="Documents/odd.txt", content="\ud800 odd"))
    assert obs["result"].startswith("error: ") and not info["action_ok"]
    assert env.unwrapped.world.state_hash() == before
    assert "No such file" in sh(env, "cat Documents/odd.txt")
    assert sh(env, 'printf "a\\0b"; echo') == "[exit 0]\na\ufffdb\n"  # a NUL byte shows as U+FFFD
    assert sh(env, "") == "[exit 0]"
    still_steps(env)


def test_bad_timeout_is_an_error_observation(env):
    before = env.unwrapped.world.state_hash()
    for bad in (0, -1, 61, "10", True):
        obs, _, _, _, info = env.step(json.dumps({"kind": "shell", "cmd": "echo hi", "timeout": bad}))
        assert obs["result"].startswith("error: ") and not info["action_ok"]
    assert env.unwrapped.world.state_hash() == before


def test_missing_bwrap_is_a_clear_error(monkeypatch):
    import claw_gym.devices.laptop.laptop as lap

    monkeypatch.setattr(lap, "find_bwrap", lambda: None)
    e = make()
    before = e.unwrapped.world.state_hash()
    obs, _, term, _, info = e.step(A.shell("echo hi"))
    assert obs["result"].startswith("error: ") and "bubblewrap" in obs["result"] and not term
    assert e.unwrapped.world.state_hash() == before
    e.close()


def test_sandbox_must_be_named():
    with pytest.raises(ValueError):
        gym.make(f"ClawAnything/{TASK}-v0", sandbox="docker")
    assert gym.make(f"ClawAnything/{TASK}-v0").unwrapped.sandbox == "bwrap"


# ---- escapes that must fail ------------------------------------------------------------------
def test_no_network(env):
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(1)
    port = srv.getsockname()[1]
    try:
        probe = (
            'python3 -c "import socket,sys\n'
            f"for host, port in (('127.0.0.1', {port}), ('1.1.1.1', 80), ('8.8.8.8', 53)):\n"
            "    try:\n"
            "        socket.create_connection((host, port), timeout=2); print('CONNECTED', host)\n"
            "    except OSError as e: print('BLOCKED', host, e)\""
        )
        out = sh(env, probe, timeout=20)
        assert "CONNECTED" not in out and out.count("BLOCKED") == 3, out
        for url in (f"http://127.0.0.1:{port}/", "http://93.184.215.14/", "http://example.com/"):
            out = sh(
                env,
                f"if command -v curl >/dev/null; then curl -sS --max-time 3 -o /dev/null {url} "
                f"&& echo CONNECTED; else echo no-curl; fi; echo done",
                timeout=20,
            )
            assert "CONNECTED" not in out and out.rstrip().endswith("done"), out
        srv.settimeout(0.2)
        with pytest.raises(socket.timeout):
            srv.accept()
    finally:
        srv.close()
    still_steps(env)


def test_cannot_write_outside_home(env):
    out = sh(
        env,
        "for p in /usr/x /etc/x /x /run/claw/x /run/claw/bin/claw /proc/x; do "
        "(echo pwned > $p) 2>/dev/null && echo WROTE $p; done; echo done",
    )
    assert "WROTE" not in out and "done" in out
    for p in ("/usr/x", "/x", "/etc/x"):
        assert not os.path.exists(p)
    still_steps(env)


def test_cannot_read_host_secrets(env):
    out = sh(env, "cat /etc/shadow; ls /root; cat /root/.bashrc; ls /work /home; id -u")
    assert "root:" not in out and "No such file" in out
    assert out.rstrip().endswith("1000")
    still_steps(env)


def test_cannot_read_another_live_episode(env):
    other = make(seed=1)
    try:
        sh(other, "echo top-secret-7731 > Documents/secret.txt")
        out = sh(
            env,
            "grep -rs top-secret-7731 / --exclude-dir=proc --exclude-dir=sys --exclude-dir=usr "
            "2>/dev/null | head; "
            "ls /proc | grep -c '^[0-9]'; echo end",
            timeout=30,
        )
        assert "top-secret-7731" not in out.replace("grep -rs top-secret-7731", ""), out
        assert out.endswith("end\n")
        still_steps(env)
        still_steps(other)
    finally:
        other.close()


def test_fork_bomb_is_contained(env):
    out = sh(env, ":(){ :|:& };:", timeout=5)
    assert out.startswith("[exit")
    time.sleep(0.5)
    out = sh(env, "echo alive", timeout=10)
    assert "alive" in out and "(a runaway; the sandbox allows 96 processes)" in out, out[-300:]
    deadline = time.monotonic() + 3
    while len(sandbox_tree(env)) >= 20 and time.monotonic() < deadline:  # killed ones may await reaping
        time.sleep(0.05)
    assert len(sandbox_tree(env)) < 20
    still_steps(env)


@pytest.mark.parametrize("frozen", [False, True])
def test_kill_below_kills_the_tree_and_spares_the_root(frozen):
    """Both ways of killing a sandbox's processes: freezing its own uid (root) or racing rounds."""
    import subprocess

    if frozen and os.geteuid() != 0:
        pytest.skip("freezing needs a uid of its own (the env runs as root)")
    uid = 199_999 if frozen else None  # below the sandboxes' range, owns nothing else
    parent = subprocess.Popen(["sh", "-c", "sleep 30 & sleep 30 & wait"], user=uid)
    try:
        deadline = time.monotonic() + 5
        while len(procs.descendants(parent.pid)) < 2 and time.monotonic() < deadline:
            time.sleep(0.02)
        tree = procs.descendants(parent.pid)
        assert procs.kill_below(parent.pid, uid=uid) >= 2
        assert alive(tree) == [] and parent.wait(timeout=5) is not None  # `wait` returns: the root ran on
    finally:
        parent.kill()
        parent.wait()


def test_a_few_background_jobs_are_not_a_runaway(env):
    sh(env, "for i in 1 2 3 4 5 6; do sleep 300 & done; echo started")
    for _ in range(3):
        out = sh(env, "jobs | wc -l")
        assert out == "[exit 0]\n6\n", out
    assert len(env.unwrapped.laptop.shell.sandbox_processes()) == 6


def test_output_flood_is_cut(env):
    t = time.monotonic()
    out = sh(env, "yes", timeout=30)
    assert time.monotonic() - t < 15
    assert "output passed" in out and "omitted" in out
    assert len(out) <= env.observation_space["result"].max_length
    still_steps(env)


def test_timeout_interrupts_and_the_shell_survives(env):
    sh(env, "cd Downloads")
    t = time.monotonic()
    out = sh(env, "sleep 1000", timeout=1)
    assert time.monotonic() - t < 5 and "timed out after 1 s" in out
    out = sh(env, "trap '' INT; while :; do :; done", timeout=1)  # ignores SIGINT: killed
    assert "timed out" in out
    out = sh(env, "pwd")
    assert out.startswith("[exit 0]\n/home/user")
    still_steps(env)


def test_disk_filling_is_bounded(env):
    out = sh(
        env,
        "dd if=/dev/zero of=big bs=1M count=500 2>&1 | tail -1; "
        "for i in 1 2 3 4; do head -c 30M /dev/zero > fill$i || echo FAIL$i; done; df -h ~ | tail -1",
        timeout=30,
    )
    assert "FAIL" in out or "No space" in out or "too large" in out.lower(), out
    out = sh(env, "rm -f big fill*; echo cleaned")
    assert "cleaned" in out
    still_steps(env)


def test_background_processes_die_with_reset_and_close():
    e = make()
    sh(e, "sleep 1000 & setsid nohup sleep 1001 >/dev/null 2>&1 & (sleep 1002 &) ; echo started")
    tree = sandbox_tree(e)
    assert len(tree) >= 7  # bwrap, init, sh, bash + three sleeps
    e.reset(seed=0)
    assert alive(tree) == []
    sh(e, "sleep 1000 & echo again")
    tree = sandbox_tree(e)
    assert tree
    e.close()
    assert alive(tree) == []


def test_killing_everything_loses_no_saved_file(env):
    files = env.unwrapped.world.services["files"]
    before = sorted(r["path"] for r in files.table("files").values())
    sh(env, "echo kept > Documents/saved.txt")
    for cmd in ("kill -9 -1", "kill -9 $$", "exec sleep 100"):
        out = sh(env, cmd, timeout=2)
        assert out.startswith("[")
        assert sorted(r["path"] for r in files.table("files").values()) == sorted(before + ["Documents/saved.txt"])
        assert sh(env, "cat Documents/saved.txt") == "[exit 0]\nkept\n"


def test_no_process_left_after_close():
    e = make()
    sh(e, "python3 -c 'import time; time.sleep(100)' & setsid sleep 999 & disown; echo x")
    uid = e.unwrapped.laptop.host_uid
    tree = sandbox_tree(e)
    e.close()
    assert alive(tree) == []
    assert not [p for p in procs.descendants(os.getpid()) if p in tree]
    if uid is not None:  # running as root: the sandbox had its own host uid; nothing of it is left anywhere
        assert processes_of_uid(uid) == []


def test_claw_verbs_positionals_and_prefixes():
    e = make(claw_gym.catalog(family="document-request")[0].task_id)
    out = sh(e, 'claw calendar add "Dentist" "2026-03-02 10:00" "2026-03-02 11:00" --location "Main St"')
    assert out.startswith("[exit 0]"), out
    cal = e.unwrapped.world.services["calendar"]
    assert any(ev["title"] == "Dentist" and ev["location"] == "Main St" for ev in cal.table("entries").values())
    out = sh(e, "claw mail list --unread --limit 2")  # --unread is a prefix of --unread-only
    assert out.startswith("[exit 0]") and json.loads(out.split("\n", 1)[1])["total"] >= 1
    out = sh(e, "claw events search --text nothing-like-this")
    assert '"total": 0' in out
    out = sh(e, "claw mail send --to a@b.example --to c@d.example --subject s --body b && claw mail list --folder sent")
    assert "a@b.example" not in out or out.startswith("[exit 0]")
    sent = [m for m in e.unwrapped.world.services["mail"].table("messages").values() if m["folder"] == "sent"]
    assert sent and sent[-1]["to"] == ["a@b.example", "c@d.example"]
    assert sh(e, "claw mail send --to x@y.example").startswith("[exit 1]")  # missing subject/body: refused
    e.close()


# ---- interactive programs ----------------------------------------------------------------------
@pytest.mark.parametrize(
    "cmd",
    [
        "read x; echo got=$?",
        "python3",
        "less Downloads/*",
        "more /etc/passwd",
        "cat",
        "python3 -c 'input()'",
        "bash -i",
    ],
)
def test_interactive_programs_do_not_hang(env, cmd):
    t = time.monotonic()
    out = sh(env, cmd, timeout=20)
    assert time.monotonic() - t < 5, (cmd, out)
    assert out.startswith("[exit")
    still_steps(env)


# ---- the claw command and files as state ---------------------------------------------------------
def test_claw_help(env):
    out = sh(env, "claw --help")
    assert out.startswith("[exit 0]") and "files" in out and "notes" in out
    assert "list" in sh(env, "claw notes --help")
    out = sh(env, "claw notes create --help")
    assert "--title" in out and "--body" in out
    assert sh(env, "claw nosuch thing").startswith("[exit 2]")


def test_claw_round_trip_with_the_api(env):
    out = sh(env, "claw notes create --title 'From shell' --body 'héllo'")
    nid = json.loads(out.split("\n", 1)[1])["created"]
    obs, *_ = env.step(A.api("notes.get", id=nid))
    assert json.loads(obs["result"])["body"] == "héllo"
    obs, *_ = env.step(A.api("notes.create", title="From API", body="b"))
    assert "From API" in sh(env, "claw notes list --query API")
    out = sh(env, 'claw api notes.get --json \'{"id": "nosuch"}\'')
    assert out.startswith("[exit 1]") and "no notes" in out
    audit = env.unwrapped.world.audit
    assert any(a.source == "shell" and a.call == "notes.create" for a in audit.entries)
    assert any(a.source == "shell" and not a.ok for a in audit.entries)


def test_files_are_state(env):
    world = env.unwrapped.world
    h0 = world.state_hash()
    sh(env, "echo 'new report' > Documents/report.txt")
    assert world.services["files"].find("Documents/report.txt")["content"] == "new report\n"
    h1 = world.state_hash()
    assert h1 != h0
    env.step(A.api("files.write", path="Documents/from-api.txt", content="api side"))
    assert sh(env, "cat Documents/from-api.txt") == "[exit 0]\napi side"
    first = sorted(world.services["files"].table("files"))[0]
    path = world.services["files"].table("files")[first]["path"]
    sh(env, f"mkdir -p Archive && mv '{path}' Archive/")
    rec = world.services["files"].table("files")[first]
    assert rec["path"] == "Archive/" + path.rsplit("/", 1)[-1]  # a move keeps the record
    sh(env, "rm Documents/report.txt")
    assert world.services["files"].find("Documents/report.txt") is None
    # claw takes file paths from where the shell is
    out = sh(
        env,
        "mkdir -p Documents/sub && cd Documents/sub && echo deep > d.txt && claw files read d.txt && "
        "claw files read /home/user/Documents/sub/d.txt && claw files read Documents/sub/d.txt; cd ~",
    )
    assert out.startswith("[exit 0]") and out.count('"Documents/sub/d.txt"') == 3, out
    # ... and so does `claw api` with JSON arguments (a player's `cd; claw api mail.reply --json` failed)
    out = sh(env, """cd Documents/sub && claw api files.read --json '{"path": "d.txt"}'; cd ~""")
    assert out.startswith("[exit 0]") and '"Documents/sub/d.txt"' in out, out
    # within one command: a file the shell just wrote can be attached by claw
    out = sh(env, "echo attach-me > Documents/a.txt && claw files read Documents/a.txt")
    assert "attach-me" in out
    env.reset(seed=0)
    assert env.unwrapped.world.services["files"].find("Documents/a.txt") is None
    assert "No such file" in sh(env, "cat Documents/a.txt")


def test_binary_files_stay_local_with_a_note(env):
    out = sh(env, "head -c 64 /dev/urandom > Downloads/blob.bin; printf '\\xff' > x.txt")
    assert "not UTF-8" in out
    assert env.unwrapped.world.services["files"].find("Downloads/blob.bin") is None
    still_steps(env)


def test_same_actions_same_results():
    def run() -> list[str]:
        e = make(seed=3)
        outs = [
            sh(e, c)
            for c in (
                "ls -R",
                "ls -l Downloads",
                "claw files list --limit 3",
                "echo x > n.txt; mkdir -p d/e; wc -c n.txt",
                "ls -la --full-time ~ d | grep -v ' ..$'",
            )
        ]
        e.close()
        return outs

    assert run() == run()


def test_unsandboxed_only_when_asked():
    e = gym.make(f"ClawAnything/{TASK}-v0", sandbox="none")
    e.reset(seed=0)
    out = sh(e, "cd ~ && ls Downloads | head -n 2 && claw files list --limit 1")
    assert out.startswith("[exit 0]") and '"total"' in out
    sh(e, "echo via-none > Documents/n.txt")
    assert e.unwrapped.world.services["files"].find("Documents/n.txt")["content"] == "via-none\n"
    tree = sandbox_tree(e)
    e.close()
    assert alive(tree) == []


def test_forgotten_env_takes_its_sandbox_down():
    import gc
    import weakref

    e = make()
    sh(e, "sleep 500 & echo x")
    lp = weakref.ref(e.unwrapped.laptop)
    tree, ctl = sandbox_tree(e), e.unwrapped.laptop.ctl
    del e
    gc.collect()
    assert lp() is None and alive(tree) == [] and not os.path.exists(ctl)


def test_resets_leak_no_descriptors_or_dirs():
    e = make()
    sh(e, "echo warm")
    fds = len(os.listdir("/proc/self/fd"))
    ctls = []
    for seed in range(8):
        e.reset(seed=seed)
        sh(e, "claw files list --limit 1 >/dev/null; echo $seed")
        ctls.append(e.unwrapped.laptop.ctl)
    e.close()
    assert len(os.listdir("/proc/self/fd")) <= fds
    assert not any(os.path.exists(c) for c in ctls)


@pytest.mark.slow
def test_soak_many_episodes():
    for seed in range(60):
        e = make(seed=seed)
        for a in e.unwrapped.oracle_actions():
            *_, info = e.step(a)
        assert info["verdict"]["passed"]
        tree = sandbox_tree(e)
        e.close()
        assert alive(tree) == []


def test_planted_symlinks_and_fifos_do_not_reach_the_host(env, tmp_path):
    """The env syncs the home from the host side: it must never follow what a command planted."""
    target = tmp_path / "host-dir"
    target.mkdir()
    os.chmod(tmp_path, 0o777)
    os.chmod(target, 0o777)
    sh(
        env,
        f"rm -rf Documents && ln -s {target} Documents && ln -s /etc/hostname Downloads/link.txt; "
        "mkfifo Downloads/pipe.txt; echo ok",
    )
    # the service writes to paths under the planted symlink and onto the fifo
    for path in ("Documents/planted.txt", "Downloads/pipe.txt", "Downloads/link.txt"):
        env.step(A.api("files.write", path=path, content="from the service"))
    out = sh(env, "ls -la Documents/ Downloads/ | head -n 20; echo end")
    assert out.rstrip().endswith("end")
    assert list(target.iterdir()) == []  # nothing written through the symlink on the host
    files = env.unwrapped.world.services["files"]
    assert files.find("Downloads/link.txt")["content"] == "from the service"  # not the host's /etc/hostname
    still_steps(env)


@pytest.mark.parametrize(
    "cmd",
    [
        "\x00\x01\x02",
        "echo " + "a" * 60000 + " | wc -c",
        "\r\n\r\n",
        "printf '\\036CLAW'",
        "exec 2>&- 1>&-",
        "set -e; false",
        "exit",
        "cd /nonexistent",
        "ulimit -f 1",
    ],
)
def test_odd_commands_leave_a_working_shell(env, cmd):
    obs, _, _, _, info = env.step(A.shell(cmd, timeout=1))
    assert obs["result"].startswith("[") and env.observation_space.contains(obs)
    still_steps(env)
