"""Task families. Each module defines one ``FAMILY``; this list is the suite.

One import per line, sorted, so that families added in parallel merge cleanly.
"""

from __future__ import annotations

from claw_gym.tasks.family import Family

from . import (
    address_update,
    backup_alert,
    bank_cc_rule,
    bill_pay,
    chat_handover,
    chat_schedule,
    config_fix,
    crm_followup_rule,
    customer_escalation,
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
    household_day,
    inbox_day,
    invoice_expense,
    meeting_reschedule,
    meeting_rules,
    month_close,
    new_hire_setup,
    parcel_reschedule,
    phone_alarm_from_message,
    phone_card_check,
    phone_dnd_meeting,
    phone_missed_call,
    phone_setting_notification,
    phone_sms_device_contact,
    receipt_policy,
    report_handoff,
    sales_day,
    secret_request,
    shared_report_brief,
    signin_alert,
    statement_reconcile,
    supplier_bank_change,
    supplier_invoice,
    support_shift,
    ticket_deal_risk,
    todo_export,
    trip_expenses,
    trip_prep,
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
