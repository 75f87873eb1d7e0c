"""Task families. Each module defines one ``FAMILY``; this list is the suite."""

from __future__ import annotations

from claw_gym.tasks.family import Family

from . import meeting_reschedule

FAMILIES: list[Family] = [m.FAMILY for m in (
    meeting_reschedule,
)]
