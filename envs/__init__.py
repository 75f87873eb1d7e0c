"""Task families. Each module defines one ``FAMILY``; this list is the suite.

One import per line, sorted, so that families added in parallel merge cleanly.
"""

from __future__ import annotations

from claw_gym.tasks.family import Family

from . import (
    address_update,
    backup_alert,
    bill_pay,
    chat_handover,
    chat_schedule,
    config_fix,
    deal_confirm,
    document_request,
    downloads_cleanup,
    dual_callback_crm,
    dual_flight_change,
    dual_invite_dnd,
    dual_receipt_sheet,
    dual_ticket_new_number,
    duplicate_charge,
    flight_delay,
    invoice_expense,
    meeting_reschedule,
    parcel_reschedule,
    phone_alarm_from_message,
    phone_card_check,
    phone_dnd_meeting,
    phone_missed_call,
    phone_setting_notification,
    phone_sms_device_contact,
    report_handoff,
    secret_request,
    signin_alert,
    statement_reconcile,
    ticket_deal_risk,
    todo_export,
    trip_expenses,
    venue_cancel,
    vip_ticket,
    weekly_report,
    xdev_figure_text,
    xdev_ledger_code,
    xdev_missed_call,
    xdev_otp_enrol,
    xdev_phone_link,
    xdev_receipt_expense,
    xdev_shared_code,
    xdev_shift_alarms,
    xdev_signature_contact,
    xdev_signin_approve,
)

_MODULES = [
    module for name, module in sorted(globals().items()) if hasattr(module, "FAMILY") and not name.startswith("_")
]
FAMILIES: list[Family] = [m.FAMILY for m in _MODULES]
