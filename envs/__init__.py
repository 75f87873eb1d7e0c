"""Task families. Each module defines one ``FAMILY``; this list is the suite."""

from __future__ import annotations

from claw_gym.tasks.family import Family

from . import meeting_reschedule
from . import phone_alarm_from_message, phone_card_check, phone_setting_notification, phone_sms_device_contact

FAMILIES: list[Family] = [m.FAMILY for m in (
    meeting_reschedule,
    phone_alarm_from_message, phone_sms_device_contact, phone_setting_notification, phone_card_check,
)]
