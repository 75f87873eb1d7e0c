"""`python -m claw_gym.devices.adb --port N`: serve the demo phone (every app) until Ctrl-C.

Then `adb connect 127.0.0.1:N` and drive it with adb or adbutils. To serve the phone of one
task's world instead, use `python -m claw_gym.runs.phone_server --task ID` (devices know no tasks).
"""

from __future__ import annotations

import argparse
import sys
import threading
from typing import Any

from . import serve


def parser(prog: str, description: str) -> argparse.ArgumentParser:
    """The serving options (--port, --host, --seed), shared with the task phone server."""
    ap = argparse.ArgumentParser(prog=prog, description=description)
    ap.add_argument("--port", type=int, default=0, help="TCP port (0 = any free one; avoid 5555-5585)")
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--seed", type=int, default=0)
    return ap


def serve_forever(phone: Any, host: str, port: int) -> int:
    """Serve ``phone`` over adb's TCP transport until Ctrl-C; prints the `adb connect` line."""
    host, port, stop = serve(phone, port=port, host=host)
    print(f"serving an adb device on {host}:{port}; run: adb connect {host}:{port}", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        stop()
    return 0


def main(argv: list[str] | None = None) -> int:
    from claw_gym.devices.phone.demo import demo_phone

    args = parser("python -m claw_gym.devices.adb", __doc__.splitlines()[0]).parse_args(argv)
    return serve_forever(demo_phone(seed=args.seed), args.host, args.port)


if __name__ == "__main__":
    sys.exit(main())
