"""Serve any PhoneDevice over adb's TCP transport, and drive real devices through adb.

    host, port, stop = serve(phone)          # then: adb connect 127.0.0.1:PORT
    ...
    stop()

`AdbPhone` (backend.py) is the other direction: a PhoneDevice over a real
device or emulator serial, via adbutils.
"""

from __future__ import annotations

from collections.abc import Callable

from ..phone.base import PhoneDevice
from .server import AdbDeviceServer
from .vfs import VirtualFS

__all__ = ["AdbDeviceServer", "VirtualFS", "serve", "AdbPhone"]


def serve(
    phone: PhoneDevice, port: int = 0, host: str = "127.0.0.1", fs: VirtualFS | None = None
) -> tuple[str, int, Callable[[], None]]:
    """Serve `phone` in a background thread; port 0 picks a free one. Returns (host, port, stop)."""
    server = AdbDeviceServer(phone, host=host, port=port, fs=fs).start()
    return server.host, server.port, server.stop


def __getattr__(name: str):
    if name == "AdbPhone":  # imported lazily: it needs adbutils, the server does not
        from .backend import AdbPhone

        return AdbPhone
    raise AttributeError(name)
