"""adb's transport packets: a 24-byte little-endian header and an optional payload.

Header fields: command, arg0, arg1, payload length, payload checksum (byte sum),
magic (command ^ 0xffffffff). Since protocol version 0x01000001 the host does not
check checksums, but we still send correct ones so older hosts accept us.
"""

from __future__ import annotations

import socket
import struct
from dataclasses import dataclass

CNXN = 0x4E584E43
OPEN = 0x4E45504F
OKAY = 0x59414B4F
WRTE = 0x45545257
CLSE = 0x45534C43
AUTH = 0x48545541
SYNC = 0x434E5953
STLS = 0x534C5453

COMMANDS = {
    CNXN: "CNXN",
    OPEN: "OPEN",
    OKAY: "OKAY",
    WRTE: "WRTE",
    CLSE: "CLSE",
    AUTH: "AUTH",
    SYNC: "SYNC",
    STLS: "STLS",
}

VERSION = 0x01000001
MAX_PAYLOAD = 256 * 1024  # what we offer; the host's CNXN may lower it
MAX_ACCEPTED = 1024 * 1024  # largest payload we read before calling it garbage
HEADER = struct.Struct("<6I")


class ProtocolError(Exception):
    """The peer sent something that is not an adb packet: drop the connection."""


@dataclass(frozen=True)
class Packet:
    command: int
    arg0: int
    arg1: int
    data: bytes = b""

    @property
    def name(self) -> str:
        return COMMANDS.get(self.command, hex(self.command))


def checksum(data: bytes) -> int:
    return sum(data) & 0xFFFFFFFF


def encode(command: int, arg0: int, arg1: int, data: bytes = b"") -> bytes:
    return (
        HEADER.pack(command, arg0 & 0xFFFFFFFF, arg1 & 0xFFFFFFFF, len(data), checksum(data), command ^ 0xFFFFFFFF)
        + data
    )


def decode_header(raw: bytes) -> tuple[int, int, int, int]:
    """Return (command, arg0, arg1, length); raise ProtocolError on a bad header."""
    command, arg0, arg1, length, _check, magic = HEADER.unpack(raw)
    if command not in COMMANDS or magic != command ^ 0xFFFFFFFF:
        raise ProtocolError(f"bad packet header {raw[:8]!r}")
    if length > MAX_ACCEPTED:
        raise ProtocolError(f"payload of {length} bytes is too large")
    return command, arg0, arg1, length


def recv_exact(sock: socket.socket, n: int) -> bytes:
    """Read exactly n bytes; raise ConnectionError when the peer goes away first."""
    buf = bytearray()
    while len(buf) < n:
        chunk = sock.recv(n - len(buf))
        if not chunk:
            raise ConnectionError("peer closed the connection")
        buf += chunk
    return bytes(buf)


def read_packet(sock: socket.socket) -> Packet:
    command, arg0, arg1, length = decode_header(recv_exact(sock, HEADER.size))
    data = recv_exact(sock, length) if length else b""
    return Packet(command, arg0, arg1, data)


def banner(props: dict[str, str], features: tuple[str, ...]) -> bytes:
    """The device's CNXN payload: 'device::k=v;...;features=a,b' (no trailing NUL)."""
    keys = ("ro.product.name", "ro.product.model", "ro.product.device")
    parts = [f"{k}={props[k]}" for k in keys if k in props]
    parts.append("features=" + ",".join(features))
    return ("device::" + ";".join(parts)).encode()
