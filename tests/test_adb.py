"""The adb transport: a served phone driven by the real adb host server, its CLI and adbutils.

The host adb server runs on a private port (not 5037) so these tests neither
disturb nor depend on an adb server someone else is running.
"""

from __future__ import annotations

import io
import os
import shlex
import shutil
import socket
import struct
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from claw_gym.devices.adb import AdbPhone, serve
from claw_gym.devices.adb import protocol as P
from claw_gym.devices.adb.shell import Shell, ShellSyntaxError, tokenize
from claw_gym.devices.adb.sync import SyncSession
from claw_gym.devices.adb.vfs import FsError, VirtualFS

sys.path.insert(0, str(Path(__file__).parent))
from fake_phone import HOME, FakePhone

ADB = shutil.which("adb")
needs_adb = pytest.mark.skipif(ADB is None, reason="the adb binary is not installed")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ---- fixtures: host adb server, served phone -------------------------------------------
@pytest.fixture(scope="module")
def adb_port():
    if ADB is None:
        pytest.skip("the adb binary is not installed")
    port = free_port()
    run = lambda *a: subprocess.run(
        [ADB, "-P", str(port), *a], capture_output=True, text=True, timeout=30, stdin=subprocess.DEVNULL
    )
    assert run("start-server").returncode == 0
    yield port
    run("kill-server")


@pytest.fixture(scope="module")
def served(adb_port):
    """(phone, serial) of a FakePhone served on a free port and connected to the host adb server."""
    phone = FakePhone()
    host, port, stop = serve(phone)
    assert not 5555 <= port <= 5585
    serial = f"{host}:{port}"
    out = cli(adb_port, "connect", serial)
    assert "connected to" in out.stdout, out
    for _ in range(50):
        if f"{serial}\tdevice" in cli(adb_port, "devices").stdout:
            break
        time.sleep(0.1)
    yield phone, serial
    cli(adb_port, "disconnect", serial)
    stop()


@pytest.fixture
def phone(served):
    p, _ = served
    p.__init__()  # a fresh home screen for every test, same connection
    return p


@pytest.fixture
def dev(served, adb_port, phone):
    import adbutils

    return adbutils.AdbClient("127.0.0.1", adb_port).device(served[1])


def cli(adb_port: int, *args: str, input: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [ADB, "-P", str(adb_port), *args],
        capture_output=True,
        text=True,
        timeout=30,
        input=input,
        stdin=None if input is not None else subprocess.DEVNULL,
    )


# ---- through the real adb server --------------------------------------------------------
@needs_adb
def test_connect_shows_a_device_with_our_banner(served, adb_port):
    out = cli(adb_port, "devices", "-l").stdout
    assert served[1] in out and "model:ClawPhone" in out


@needs_adb
def test_cli_shell_input_tap(served, adb_port, phone):
    serial = served[1]
    r = cli(adb_port, "-s", serial, "shell", "input", "tap", "30", "110")
    assert r.returncode == 0 and phone.package == "com.claw.notes"
    before = list(phone.log)
    r = cli(adb_port, "-s", serial, "shell", "input tap 5 5")  # nothing there
    assert r.returncode == 1 and "nothing to tap" in r.stderr
    assert phone.package == "com.claw.notes" and phone.log == before + [("tap", 5, 5)]


@needs_adb
def test_cli_shell_reads_commands_from_stdin(served, adb_port, phone):
    r = cli(adb_port, "-s", served[1], "shell", input="input tap 30 110\necho ok\n")
    assert r.stdout == "ok\n" and phone.package == "com.claw.notes"


@needs_adb
def test_adbutils_gestures_and_keys(dev, phone):
    dev.click(30, 110)
    assert phone.package == "com.claw.notes"
    dev.send_keys("hello world")
    assert phone.field == "hello world"
    dev.keyevent("KEYCODE_DEL")
    assert phone.field == "hello worl"
    dev.click(50, 200)  # Save
    assert phone.notes == ["hello worl"]
    dev.swipe(100, 500, 100, 200, 0.2)
    assert phone.log[-1] == ("swipe", 100, 500, 100, 200, 200) and phone.scroll == 300
    dev.keyevent(4)
    assert phone.package == HOME
    dev.shell("input keyevent HOME")
    assert phone.log[-1] == ("key", "home")


@needs_adb
def test_screenshot_is_the_phone_pixels(dev, phone):
    dev.click(30, 110)
    img = np.asarray(dev.screenshot())
    assert img.shape == (phone.height, phone.width, 3)
    assert np.array_equal(img, phone.screenshot())


@needs_adb
def test_dump_hierarchy_is_the_phone_tree(dev, phone):
    assert dev.dump_hierarchy() == phone.ui_xml()
    out = dev.shell("uiautomator dump")
    assert out == "UI hierchary dumped to: /sdcard/window_dump.xml"
    assert dev.sync.read_text("/sdcard/window_dump.xml") == phone.ui_xml()


@needs_adb
def test_push_pull_across_many_chunks(dev, served, adb_port, tmp_path):
    data = np.random.default_rng(0).integers(0, 256, 300_000, dtype=np.uint8).tobytes()
    assert dev.sync.push(data, "/sdcard/Download/blob.bin") == len(data)
    assert dev.sync.stat("/sdcard/Download/blob.bin").size == len(data)
    local = tmp_path / "pulled.bin"
    assert cli(adb_port, "-s", served[1], "pull", "/sdcard/Download/blob.bin", str(local)).returncode == 0
    assert local.read_bytes() == data
    src = tmp_path / "up.txt"
    src.write_text("pushed by the adb CLI\n")
    assert cli(adb_port, "-s", served[1], "push", str(src), "/sdcard/").returncode == 0
    assert dev.sync.read_text("/sdcard/up.txt") == "pushed by the adb CLI\n"
    dev.sync.pull("/sdcard/up.txt", tmp_path / "back.txt")
    assert (tmp_path / "back.txt").read_text() == "pushed by the adb CLI\n"
    assert "up.txt" in dev.shell("ls /sdcard").split()
    assert not dev.sync.exists("/sdcard/missing")
    r = cli(adb_port, "-s", served[1], "pull", "/sdcard/missing", str(tmp_path / "x"))
    assert r.returncode != 0 and "does not exist" in r.stdout + r.stderr
    import adbutils

    with pytest.raises(adbutils.AdbError, match="No such file"):
        dev.sync.read_bytes("/sdcard/missing")  # RECV answers FAIL


@needs_adb
def test_app_start_current_and_window_size(dev, phone):
    dev.app_start("com.claw.clock")
    assert phone.package == "com.claw.clock" and dev.app_current().package == "com.claw.clock"
    dev.app_start("com.claw.notes", ".MainActivity")
    assert phone.package == "com.claw.notes"
    assert dev.shell2("monkey -p com.nope.app 1", v2=True).returncode != 0
    assert phone.package == "com.claw.notes"
    assert tuple(dev.window_size()) == (phone.width, phone.height) and dev.rotation() == 0
    assert dev.getprop("ro.product.model") == "ClawPhone"


@needs_adb
def test_shell_v2_and_v1_exit_codes(dev):
    assert dev.shell2("true", v2=True).returncode == 0
    assert dev.shell2("false", v2=True).returncode == 1
    r = dev.shell2("no_such_tool", v2=True)
    assert r.returncode == 127 and "not found" in r.stderr
    r = dev.shell2("input tap 1 1", v2=True)  # nothing there on the home screen
    assert r.returncode == 1 and r.stdout == "" and "nothing to tap" in r.stderr
    assert dev.shell2("false").returncode == 1  # v1: adbutils appends `; echo X4EXIT:$?`
    assert dev.shell2("echo x && false || echo y").output == "x\ny\n"


@needs_adb
def test_adbphone_drives_the_served_phone(served, adb_port, phone):
    ap = AdbPhone(served[1], port=adb_port)
    assert (ap.width, ap.height) == (phone.width, phone.height)
    assert ap.current_package() == HOME
    assert ap.tap(5, 5) is not None and phone.package == HOME  # error text comes back
    n = len(phone.log)
    assert ap.tap(-1, 5) is not None and len(phone.log) == n  # off screen: never sent
    assert ap.tap(30, 110) is None and ap.current_package() == "com.claw.notes"
    assert ap.type_text("two words") is None and phone.field == "two words"
    assert ap.long_press(40, 120) is None and phone.long_pressed == [(40, 120)]
    assert ap.swipe(10, 400, 10, 100, 250) is None and phone.log[-1] == ("swipe", 10, 400, 10, 100, 250)
    assert np.array_equal(ap.screenshot(), phone.screenshot())
    assert ap.ui_xml() == phone.ui_xml()
    assert ap.key("back") is None and phone.package == HOME
    assert ap.key("not a key") is not None
    assert ap.start_app("com.nope.app") is not None and phone.package == HOME
    assert ap.start_app("com.claw.clock") is None and phone.package == "com.claw.clock"
    assert ap.key("recents") is None and phone.log[-1] == ("key", "recents")


def test_adbphone_backed_env_steps_against_the_served_phone(served, adb_port, phone):
    """gym.make(..., phone=AdbPhone.factory(serial)): the env's gui door and its screen/ui observation
    go through adb to the device; the world's doors are untouched by it; sim-phone tasks are refused."""
    import json

    import gymnasium as gym

    import claw_gym  # noqa: F401  (registers the ids)
    from claw_gym import actions as A
    from claw_gym.devices.phone import gui

    factory = AdbPhone.factory(served[1], port=adb_port)
    env = gym.make("ClawAnything-v0", family=["bill-pay", "phone-missed-call"], phone=factory, sandbox="none")
    raw = env.unwrapped
    assert {s.family for s in raw.pool} == {"bill-pay"}  # the pool keeps what another phone can run
    obs, _ = env.reset(seed=3)
    assert isinstance(raw.phone, AdbPhone) and "world" not in vars(raw.phone)
    assert np.array_equal(obs["screen"], gui.scale(phone.screenshot(), raw.screen_size))
    assert obs["ui"].startswith(f"app: {HOME}") and "'Notes' at (70, 150)" in obs["ui"]
    obs, _, _, _, info = env.step(A.tap(70, 150))
    assert info["action_ok"] and phone.package == "com.claw.notes" and "'Save'" in obs["ui"]
    obs, _, _, _, info = env.step(json.dumps({"kind": "gui", "op": "type", "text": "hi there"}))
    assert info["action_ok"] and phone.field == "hi there" and "'hi there'" in obs["ui"]
    obs, _, _, _, info = env.step(A.tap(5, 5))  # the device's refusal: an error observation
    assert not info["action_ok"] and obs["result"].startswith("error:") and phone.package == "com.claw.notes"
    obs, _, _, _, info = env.step(json.dumps({"kind": "gui", "op": "tap", "element": "e1"}))
    assert not info["action_ok"] and "x and y" in obs["result"]
    obs, _, _, _, info = env.step(A.api("bank.balance"))
    assert info["action_ok"], obs["result"]
    snap, device = raw.snapshot(), raw.phone
    env.reset(seed=4)
    assert raw.phone is device  # one connection for the env's life
    raw.restore(snap)
    assert raw.phone is device and raw.world is snap.world
    with pytest.raises(ValueError, match="needs the simulated phone"):
        env.reset(options={"task_id": "phone-missed-call-callback-0000"})
    env.close()
    with pytest.raises(ValueError, match="needs the simulated phone"):
        gym.make("ClawAnything-v0", task_id="phone-missed-call-callback-0000", phone=factory)
    with pytest.raises(ValueError, match="needs the simulated phone"):
        gym.make("ClawAnything-v0", family="phone-missed-call", phone=factory)


# ---- raw protocol: garbage and flow control ---------------------------------------------
def handshake(port: int, maxdata: int = 4096) -> socket.socket:
    s = socket.create_connection(("127.0.0.1", port), timeout=5)
    s.sendall(P.encode(P.CNXN, P.VERSION, maxdata, b"host::\x00"))
    p = P.read_packet(s)
    assert p.command == P.CNXN and b"features=shell_v2" in p.data
    return s


def closed_by_peer(s: socket.socket) -> bool:
    try:
        while s.recv(4096):
            pass
        return True
    except OSError:
        return True


def test_garbage_closes_only_that_connection():
    phone = FakePhone()
    host, port, stop = serve(phone)
    try:
        for junk in (
            b"GET / HTTP/1.1\r\n\r\n" + bytes(24),
            os.urandom(4096),
            P.encode(P.OPEN, 1, 0, b"shell:echo\x00"),
        ):  # OPEN before CNXN
            s = socket.create_connection((host, port), timeout=5)
            s.sendall(junk)
            assert closed_by_peer(s)
            s.close()
        s = handshake(port)
        header = bytearray(P.encode(P.WRTE, 1, 1))
        struct.pack_into("<I", header, 12, 50_000_000)  # absurd payload length
        s.sendall(bytes(header))
        assert closed_by_peer(s)
        s = handshake(port)  # the server still answers
        s.sendall(P.encode(P.OPEN, 7, 0, b"shell,v2:echo alive\x00"))
        assert P.read_packet(s).command == P.OKAY
        w = P.read_packet(s)
        assert w.command == P.WRTE and b"alive" in w.data
        s.close()
    finally:
        stop()


def test_one_write_in_flight_until_okay():
    phone = FakePhone()
    host, port, stop = serve(phone)
    try:
        s = handshake(port, maxdata=4096)
        s.sendall(P.encode(P.OPEN, 9, 0, b"exec:screencap -p\x00"))
        ok = P.read_packet(s)
        assert ok.command == P.OKAY and ok.arg1 == 9
        got = bytearray()
        while True:
            p = P.read_packet(s)
            if p.command == P.CLSE:
                break
            assert p.command == P.WRTE and len(p.data) <= 4096
            got += p.data
            s.settimeout(0.2)  # nothing more may come before our OKAY
            with pytest.raises(socket.timeout):
                s.recv(1)
            s.settimeout(5)
            s.sendall(P.encode(P.OKAY, 9, ok.arg0))
        from PIL import Image

        assert np.array_equal(np.asarray(Image.open(io.BytesIO(bytes(got)))), phone.screenshot())
        s.sendall(P.encode(P.OPEN, 10, 0, b"framebuffer:\x00"))  # a service we lack: refused
        p = P.read_packet(s)
        assert p.command == P.CLSE and p.arg1 == 10
        s.close()
    finally:
        stop()


def test_cli_entry_serves_a_phone():
    proc = subprocess.Popen(
        [sys.executable, "-m", "claw_gym.devices.adb", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        cwd=Path(__file__).parent.parent,
    )
    try:
        line = proc.stdout.readline()
        assert "adb connect 127.0.0.1:" in line, line
        port = int(line.rsplit(":", 1)[1])
        s = handshake(port)
        s.close()
    finally:
        proc.terminate()
        proc.wait(timeout=10)


# ---- the shell interpreter and file tree, without adb -----------------------------------
def test_shell_language():
    fs, phone = VirtualFS(), FakePhone()
    sh = Shell(phone, fs, {"ro.product.model": "ClawPhone"})
    assert bytes(sh.run('echo \'a  b\' "c\\"d" e\\ f').stdout) == b'a  b c"d e f\n'
    assert bytes(sh.run("false; echo $?; true && echo yes || echo no").stdout) == b"1\nyes\n"
    assert bytes(sh.run("echo '>' x").stdout) == b"> x\n"
    assert bytes(sh.run("echo " + shlex.quote('it\'s a "test" $?')).stdout) == b'it\'s a "test" $?\n'
    r = sh.run("echo hi > /sdcard/a.txt; echo there >> /sdcard/a.txt; cat /sdcard/a.txt")
    assert bytes(r.stdout) == b"hi\nthere\n"
    assert sh.run("rm /sdcard/a.txt && cat /sdcard/a.txt").code == 1
    assert sh.run("rm -f /sdcard/a.txt").code == 0
    assert sh.run("getprop ro.product.model").stdout.buf == b"ClawPhone\n"
    assert sh.run("getprop").stdout.buf == b"[ro.product.model]: [ClawPhone]\n"
    assert sh.run("input text a%sb").code == 1  # no focused field on home
    assert sh.run("monkey -p com.claw.notes -c android.intent.category.LAUNCHER 1").code == 0
    assert sh.run("input text a%sb\\;c").code == 0 and phone.field == "a b;c"
    assert sh.run("input swipe 1 2 3").code == 1 and sh.run("input tap x y").code == 1
    assert sh.run("cat | grep").code == 2 and sh.run("echo 'open").code == 2
    assert b"Physical size: 360x640" in sh.run("wm size").stdout.buf
    for bad in ("&& x", "a ||", "a & b"):
        with pytest.raises(ShellSyntaxError):
            tokenize(bad)


def test_phone_errors_become_command_failures():
    class Broken(FakePhone):
        def screenshot(self):
            raise RuntimeError("renderer down")

    r = Shell(Broken(), VirtualFS(), {}).run("screencap -p; echo after")
    assert r.code == 0 and b"renderer down" in r.stderr.buf and r.stdout.buf == b"after\n"


def test_virtual_fs():
    fs = VirtualFS()
    fs.write("/sdcard/x", b"1")
    assert fs.read("/sdcard/../sdcard/x") == b"1" and fs.listdir("/sdcard")[-1] == "x"
    with pytest.raises(FsError):
        fs.write("/nodir/x", b"")
    with pytest.raises(FsError):
        fs.remove("/sdcard")
    fs.mkdir("/sdcard/a/b", parents=True)
    fs.remove("/sdcard/a", recursive=True)
    assert fs.stat("/sdcard/a/b") is None


def test_sync_stream_split_anywhere():
    """Requests cut at every byte boundary parse the same; bad ids end the stream."""
    fs = VirtualFS()
    path = b"/sdcard/f.txt,33188"
    req = (
        b"SEND"
        + struct.pack("<I", len(path))
        + path
        + b"DATA"
        + struct.pack("<I", 5)
        + b"hello"
        + b"DONE"
        + struct.pack("<I", 1234)
        + b"STAT"
        + struct.pack("<I", 13)
        + b"/sdcard/f.txt"
    )
    out: list[bytes] = []
    sess = SyncSession(fs, out.append, lambda: None)
    for i in range(len(req)):
        sess.feed(req[i : i + 1])
    assert out == [b"OKAY" + bytes(4), b"STAT" + struct.pack("<III", 0o100644, 5, 1234)]
    closed = []
    bad = SyncSession(fs, out.append, lambda: closed.append(1))
    bad.feed(b"JUNKJUNKJUNK")
    assert closed == [1]


def test_random_packets_after_handshake_never_kill_the_server():
    """Well-framed nonsense (random commands, ids, services, payloads) ends at worst one connection."""
    rng = np.random.default_rng(7)
    services = [b"shell:", b"shell,v2:", b"exec:", b"sync:", b"", b"nope:", b"shell,v2,pty:"]
    words = [
        b"input tap 5 5",
        b"ls /",
        b"rm -r /sdcard",
        b"cat /nope",
        b"'",
        b"&&",
        b"screencap",
        b"STATxxxx",
        b"\xff\xfe",
        b"echo $?",
        b"uiautomator dump /x/y",
    ]
    host, port, stop = serve(FakePhone())
    try:
        for _conn in range(6):
            s = handshake(port)
            s.settimeout(2)
            try:
                for _ in range(60):
                    cmd = [P.OPEN, P.WRTE, P.OKAY, P.CLSE, P.CNXN, P.AUTH][rng.integers(6)]
                    a0, a1 = (int(v) for v in rng.integers(0, 12, 2))
                    if cmd == P.OPEN:
                        data = services[rng.integers(len(services))] + words[rng.integers(len(words))] + b"\x00"
                    else:
                        data = rng.integers(0, 256, int(rng.integers(0, 64)), dtype=np.uint8).tobytes()
                    s.sendall(P.encode(cmd, a0, a1, data))
            except OSError:
                pass  # the server may drop this connection: that is allowed
            s.close()
        s = handshake(port)
        s.sendall(P.encode(P.OPEN, 1, 0, b"shell,v2:echo still here\x00"))
        assert P.read_packet(s).command == P.OKAY and b"still here" in P.read_packet(s).data
        s.close()
    finally:
        stop()


def test_shell_never_raises_on_any_line():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    sh = Shell(FakePhone(), VirtualFS(), {})

    @settings(max_examples=100, deadline=None, derandomize=True)
    @given(
        st.text(
            alphabet=st.sampled_from(list("input tap swipe text keyevent echo ls cat rm >;&|'\"\\$? 0123/x%")),
            max_size=40,
        )
    )
    def check(line):
        r = sh.run(line)
        assert isinstance(r.code, int) and 0 <= r.code < 256

    check()


def test_png_and_raw_screencap_encodings():
    from PIL import Image

    from claw_gym.devices.adb.imaging import png_bytes, raw_screencap

    img = np.random.default_rng(1).integers(0, 256, (37, 23, 3), dtype=np.uint8)
    assert np.array_equal(np.asarray(Image.open(io.BytesIO(png_bytes(img)))), img)
    raw = raw_screencap(img)
    assert struct.unpack("<3I", raw[:12]) == (23, 37, 1)
    rgba = np.frombuffer(raw[12:], np.uint8).reshape(37, 23, 4)
    assert np.array_equal(rgba[..., :3], img) and (rgba[..., 3] == 255).all()


def test_interactive_pty_shell():
    """`adb shell` at a terminal: prompt, echo, backspace, Enter runs, Ctrl-C, exit."""
    phone = FakePhone()
    host, port, stop = serve(phone)
    try:
        s = handshake(port, maxdata=1 << 20)
        s.sendall(P.encode(P.OPEN, 3, 0, b"shell,v2,TERM=xterm,pty:\x00"))
        local = P.read_packet(s).arg0
        raw, out = bytearray(), bytearray()  # v2 packets as received; their decoded stdout

        def read_until(marker: bytes) -> None:
            while marker not in out:
                p = P.read_packet(s)
                if p.command == P.OKAY:  # for our own WRTE
                    continue
                assert p.command == P.WRTE, p.name
                raw.extend(p.data)
                s.sendall(P.encode(P.OKAY, 3, local))
                while len(raw) >= 5 and len(raw) >= 5 + struct.unpack_from("<I", raw, 1)[0]:
                    n = struct.unpack_from("<I", raw, 1)[0]
                    out.extend(raw[5 : 5 + n] if raw[0] == 1 else b"<exit %d>" % raw[5])
                    del raw[: 5 + n]

        def typed(keys: bytes) -> None:
            s.sendall(P.encode(P.WRTE, 3, local, bytes([0]) + struct.pack("<I", len(keys)) + keys))

        read_until(b"claw:/ $ ")
        typed(b"input tap 30 11x\x7f0\r")  # a typo fixed with backspace
        read_until(b"\r\nclaw:/ $ ")
        assert phone.package == "com.claw.notes"
        typed(b"echo abandoned\x03echo hi\r")
        read_until(b"hi\r\nclaw:/ $ ")
        typed(b"exit\r")
        read_until(b"exit\r\n<exit 0>")
        s.close()
    finally:
        stop()


@needs_adb
def test_simulated_phone_over_adb(adb_port):
    """The real SimPhone behind adb: find an app icon in the dumped UI tree, tap it, go home."""
    import re
    import xml.etree.ElementTree as ET

    demo = pytest.importorskip("claw_gym.devices.phone.demo")
    import adbutils

    phone = demo.demo_phone(seed=0)
    host, port, stop = serve(phone)
    serial = f"{host}:{port}"
    try:
        assert "connected to" in cli(adb_port, "connect", serial).stdout
        dev = adbutils.AdbClient("127.0.0.1", adb_port).device(serial)
        ap = AdbPhone(serial, port=adb_port)
        home = ap.current_package()
        tree = dev.dump_hierarchy()
        assert tree == phone.ui_xml()
        icon = next(
            n for n in ET.fromstring(tree).iter("node") if "Messages" in (n.get("text", ""), n.get("content-desc", ""))
        )
        x1, y1, x2, y2 = map(int, re.findall(r"\d+", icon.get("bounds")))
        dev.click((x1 + x2) // 2, (y1 + y2) // 2)
        assert dev.app_current().package == phone.current_package() != home
        assert np.array_equal(np.asarray(dev.screenshot()), phone.screenshot())
        assert ap.key("home") is None and phone.current_package() == home
        before = phone.ui_xml()
        assert ap.tap(1, 1) is not None and phone.ui_xml() == before  # refused, nothing changed
    finally:
        cli(adb_port, "disconnect", serial)
        stop()
