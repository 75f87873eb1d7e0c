"""``python -m claw_gym.baselines [--quick]``: the baselines table (see :mod:`claw_gym.baselines.run`)."""

from __future__ import annotations

from .run import main

if __name__ == "__main__":
    main()
