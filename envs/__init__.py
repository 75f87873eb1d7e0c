"""Task families. Each module defines one ``FAMILY``; this list is the suite.

One import per line, sorted, so that families added in parallel merge cleanly.
"""

from __future__ import annotations

from claw_gym.tasks.family import Family

from . import address_update
from . import backup_alert
from . import bill_pay
from . import chat_handover
from . import chat_schedule
from . import config_fix
from . import deal_confirm
from . import document_request
from . import downloads_cleanup
from . import dual_callback_crm
from . import dual_flight_change
from . import dual_invite_dnd
from . import dual_receipt_sheet
from . import dual_ticket_new_number
from . import duplicate_charge
from . import flight_delay
from . import invoice_expense
from . import meeting_reschedule
from . import parcel_reschedule
from . import phone_alarm_from_message
from . import phone_card_check
from . import phone_dnd_meeting
from . import phone_missed_call
from . import phone_setting_notification
from . import phone_sms_device_contact
from . import report_handoff
from . import secret_request
from . import signin_alert
from . import statement_reconcile
from . import ticket_deal_risk
from . import todo_export
from . import trip_expenses
from . import venue_cancel
from . import vip_ticket
from . import weekly_report
from . import xdev_missed_call
from . import xdev_otp_enrol
from . import xdev_phone_link
from . import xdev_shift_alarms
from . import xdev_signin_approve

_MODULES = [module for name, module in sorted(globals().items())
            if hasattr(module, "FAMILY") and not name.startswith("_")]
FAMILIES: list[Family] = [m.FAMILY for m in _MODULES]
