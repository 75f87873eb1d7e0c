"""In-process services: the single source of truth of a world."""

from __future__ import annotations

from .bank import Bank
from .base import OWN, TIMELINE, Endpoint, Param, Record, Service, ServiceError, endpoint
from .calendar import Calendar
from .chat import Chat
from .contacts import Contacts
from .crm import Crm
from .device import Device
from .events import Events
from .expenses import Expenses
from .files import Files
from .helpdesk import Helpdesk
from .mail import Mail, WorkMail
from .notes import Notes
from .phone import Phone
from .sms import Sms
from .todo import Todo

SERVICES: dict[str, type[Service]] = {
    cls.name: cls
    for cls in (
        Mail,
        WorkMail,
        Calendar,
        Contacts,
        Sms,
        Chat,
        Todo,
        Notes,
        Bank,
        Expenses,
        Files,
        Crm,
        Helpdesk,
        Events,
        Device,
        Phone,
    )
}

__all__ = ["SERVICES", "OWN", "TIMELINE", "Service", "ServiceError", "Endpoint", "Param", "Record", "endpoint"]
