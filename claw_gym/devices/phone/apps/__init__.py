"""The phone's apps, in launcher order. An app appears when its services exist in the world."""

from __future__ import annotations

from .bank import BankApp
from .base import App
from .calendar import CalendarApp
from .clock import ClockApp
from .contacts import ContactsApp
from .dialer import DialerApp
from .expenses import ExpensesApp
from .mail import MailApp, WorkMailApp
from .messages import MessagesApp
from .notes import NotesApp
from .settings import SettingsApp

APPS: list[type[App]] = [
    DialerApp,
    MessagesApp,
    ContactsApp,
    CalendarApp,
    MailApp,
    WorkMailApp,
    NotesApp,
    BankApp,
    ExpensesApp,
    ClockApp,
    SettingsApp,
]

__all__ = ["APPS", "App"]
