"""Task families. Each module defines one ``FAMILY``; this list is the suite."""

from __future__ import annotations

from claw_gym.tasks.family import Family

from . import (
    address_update,
    bill_pay,
    chat_schedule,
    deal_confirm,
    duplicate_charge,
    flight_delay,
    invoice_expense,
    meeting_reschedule,
    parcel_reschedule,
    phone_alarm_from_message,
    phone_card_check,
    phone_setting_notification,
    phone_sms_device_contact,
    report_handoff,
    secret_request,
    trip_expenses,
    venue_cancel,
    vip_ticket,
)

FAMILIES: list[Family] = [m.FAMILY for m in (
    meeting_reschedule,
    invoice_expense,
    duplicate_charge,
    vip_ticket,
    flight_delay,
    address_update,
    chat_schedule,
    secret_request,
    report_handoff,
    bill_pay,
    venue_cancel,
    deal_confirm,
    trip_expenses,
    parcel_reschedule,
    phone_alarm_from_message,
    phone_sms_device_contact,
    phone_setting_notification,
    phone_card_check,
)]
