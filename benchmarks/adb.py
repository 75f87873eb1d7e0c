"""Latency of the adb transport: screenshot and tap over real adb vs direct in-process calls.

    python benchmarks/adb.py [--n 50]

Serves the simulated phone (the tests' FakePhone if this build has no SimPhone),
starts a private adb host server, and prints medians from the same run. The
screen does not change between screencaps here, so the server's PNG cache is hit:
"direct screenshot + PNG encode" is the cost of a screencap after a change.
"adb raw socket" rows talk the host protocol directly, which isolates our server
plus the adb host from adbutils' own overhead (two connections per call, each
closed with a 10 ms sleep).
"""

from __future__ import annotations

import argparse
import shutil
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # for tests.fake_phone

from claw_gym.devices.adb import AdbDeviceServer, AdbPhone
from claw_gym.devices.adb.__main__ import make_phone
from claw_gym.devices.adb.imaging import png_bytes


def median_ms(fn: Callable[[], object], n: int) -> float:
    fn()  # warm up
    times = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def pillow_png(image) -> bytes:
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.fromarray(image).save(buf, format="PNG", compress_level=1)
    return buf.getvalue()


def forget_png(server: AdbDeviceServer) -> None:
    """Drop the server's cached PNG, as if the screen had changed since the last screencap."""
    server.shell._png = None


def host_service(adb_port: int, serial: str, service: str) -> bytes:
    """One service through the host adb server with a bare socket (what adbutils does, minus
    its extra server_version connection and the 10 ms sleep in its close())."""
    with socket.create_connection(("127.0.0.1", adb_port)) as s:
        for msg in (f"host:transport:{serial}", service):
            s.sendall(b"%04x" % len(msg.encode()) + msg.encode())
            if s.recv(4) != b"OKAY":
                raise RuntimeError(f"{msg} refused")
        chunks = []
        while chunk := s.recv(65536):
            chunks.append(chunk)
        return b"".join(chunks)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=50)
    args = ap.parse_args()
    adb = shutil.which("adb")
    if adb is None:
        sys.exit("needs the adb binary")
    import adbutils
    import numpy as np

    phone = make_phone(None, 0)
    server = AdbDeviceServer(phone).start()
    host, port, stop = server.host, server.port, server.stop
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        adb_port = s.getsockname()[1]
    run = lambda *a: subprocess.run(
        [adb, "-P", str(adb_port), *a], capture_output=True, timeout=30, stdin=subprocess.DEVNULL
    )
    run("start-server")
    try:
        serial = f"{host}:{port}"
        run("connect", serial)
        dev = adbutils.AdbClient("127.0.0.1", adb_port).device(serial)
        ap_phone = AdbPhone(serial, port=adb_port)
        x, y = phone.width // 2, phone.height // 2
        rows = [
            ("direct  phone.screenshot()", median_ms(phone.screenshot, args.n)),
            ("direct  screenshot + PNG encode", median_ms(lambda: png_bytes(phone.screenshot()), args.n)),
            ("direct  screenshot + Pillow PNG (comparison)", median_ms(lambda: pillow_png(phone.screenshot()), args.n)),
            ("adb     adbutils screenshot() + decode", median_ms(lambda: np.asarray(dev.screenshot()), args.n)),
            ("adb     AdbPhone.screenshot()", median_ms(ap_phone.screenshot, args.n)),
            ("direct  phone.tap()", median_ms(lambda: phone.tap(x, y), args.n)),
            ("adb     adbutils click() (shell v1)", median_ms(lambda: dev.click(x, y), args.n)),
            ("adb     AdbPhone.tap() (shell v2 + exit code)", median_ms(lambda: ap_phone.tap(x, y), args.n)),
            ("adb     shell2('true', v2) round trip", median_ms(lambda: dev.shell2("true", v2=True), args.n)),
            (
                "adb raw socket: shell,v2:true",
                median_ms(lambda: host_service(adb_port, serial, "shell,v2:true"), args.n),
            ),
            (
                "adb raw socket: input tap",
                median_ms(lambda: host_service(adb_port, serial, f"shell,v2:input tap {x} {y}"), args.n),
            ),
            (
                "adb raw socket: exec:screencap -p (same screen)",
                median_ms(lambda: host_service(adb_port, serial, "exec:screencap -p"), args.n),
            ),
            (
                "adb raw socket: exec:screencap -p (new screen)",
                median_ms(lambda: (forget_png(server), host_service(adb_port, serial, "exec:screencap -p")), args.n),
            ),
            ("direct  phone.ui_xml()", median_ms(phone.ui_xml, args.n)),
            ("adb     adbutils dump_hierarchy()", median_ms(dev.dump_hierarchy, args.n)),
        ]
        print(f"phone {type(phone).__name__} {phone.width}x{phone.height}, n={args.n} per row, medians:")
        for name, ms in rows:
            print(f"  {name:<48} {ms:8.3f} ms")
        run("disconnect", serial)
    finally:
        run("kill-server")
        stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
