"""Task families. Each module defines one ``FAMILY``; this list is the suite."""

from __future__ import annotations

from claw_gym.tasks.family import Family

from . import meeting_reschedule
from . import backup_alert, config_fix, document_request, downloads_cleanup, statement_reconcile  # laptop

FAMILIES: list[Family] = [m.FAMILY for m in (
    meeting_reschedule,
    statement_reconcile,
    document_request,
    downloads_cleanup,
    config_fix,
    backup_alert,
)]
