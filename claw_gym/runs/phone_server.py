"""`python -m claw_gym.runs.phone_server --task ID [--seed N] [--port N]`: serve one task's phone over adb.

The SimPhone over the world of task ID at seed N (as ``reset(seed=N)`` builds it), served like
``python -m claw_gym.devices.adb`` serves the demo phone; then `adb connect 127.0.0.1:N`.
It lives here, not under devices, because building a task's world needs the catalog.
"""

from __future__ import annotations

import sys

from ..devices.adb.__main__ import parser, serve_forever
from ..devices.phone.device import SimPhone
from ..tasks import suite
from ..tasks.build import build


def task_phone(task_id: str, seed: int) -> SimPhone:
    """The simulated phone over the world of ``task_id`` at ``seed``."""
    spec = suite.get_spec(task_id)
    world, _scenario = build(suite.family_of(spec), spec, seed)
    return SimPhone(world)


def main(argv: list[str] | None = None) -> int:
    ap = parser("python -m claw_gym.runs.phone_server", __doc__.splitlines()[0])
    ap.add_argument("--task", required=True, help="task id whose world the phone shows")
    args = ap.parse_args(argv)
    phone = task_phone(args.task, args.seed)
    print(f"task {args.task}, seed {args.seed}", file=sys.stderr)
    return serve_forever(phone, args.host, args.port)


if __name__ == "__main__":
    sys.exit(main())
