"""`python -m claw_gym.devices.adb --port N`: serve a simulated phone until Ctrl-C.

The phone is the SimPhone over the world of one task (--task, --seed), or the
demo phone with every app; then `adb connect 127.0.0.1:N` and drive it with adb or adbutils.
"""

from __future__ import annotations

import argparse
import sys
import threading
from typing import Any

from . import serve


def make_phone(task: str | None, seed: int) -> Any:
    """The SimPhone: over a task's world with --task, else the demo phone (every app installed).

    Falls back to the tests' FakePhone only in a source checkout without the simulated phone.
    """
    try:
        from claw_gym.devices.phone.device import SimPhone
    except ImportError:
        try:
            from tests.fake_phone import FakePhone  # only found when run from a source checkout
        except ImportError:
            sys.exit("this build has no simulated phone (claw_gym.devices.phone.device.SimPhone)")
        print("note: SimPhone not available, serving the tests' FakePhone", file=sys.stderr)
        return FakePhone()
    if task is None:
        from claw_gym.devices.phone.demo import demo_phone

        return demo_phone(seed=seed)
    from claw_gym.tasks import suite
    from claw_gym.tasks.build import build

    spec = suite.get_spec(task)
    world, _scenario = build(suite.family_of(spec), spec, seed)
    print(f"task {spec.task_id}, seed {seed}", file=sys.stderr)
    return SimPhone(world)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m claw_gym.devices.adb", description=__doc__.splitlines()[0])
    ap.add_argument("--port", type=int, default=0, help="TCP port (0 = any free one; avoid 5555-5585)")
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--task", default=None,
                    help="task id whose world the phone shows (default: a demo world with every app)")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    phone = make_phone(args.task, args.seed)
    host, port, stop = serve(phone, port=args.port, host=args.host)
    print(f"serving an adb device on {host}:{port}; run: adb connect {host}:{port}", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
