"""A simulated Android phone over the world's services (and the interface real devices share)."""

from __future__ import annotations

from .base import PhoneDevice, PhoneFactory, key_name
from .device import GuiError, SimPhone

__all__ = ["PhoneDevice", "PhoneFactory", "SimPhone", "GuiError", "key_name"]
