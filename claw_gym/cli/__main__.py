"""``python -m claw_gym.cli`` runs the ``claw-gym`` command."""

import sys

from . import main

sys.exit(main())
