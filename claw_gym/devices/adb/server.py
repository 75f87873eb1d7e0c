"""A pure-Python adb *device* (what adbd is on a phone) served over TCP.

`adb connect 127.0.0.1:PORT` makes the host's adb server open one TCP
connection to us and multiplex streams on it: OPEN a service, WRTE data both
ways (each WRTE answered by OKAY before the next is sent), CLSE. Every stream is
handled inside its connection's thread, event-style, so output waits for the
host's OKAY without extra threads. Anything that is not adb closes that
connection only; the listener keeps serving.
"""

from __future__ import annotations

import logging
import socket
import threading
import warnings
from dataclasses import dataclass, field

from ..phone.base import PhoneDevice
from . import protocol as P
from .session import ShellSession
from .shell import Shell
from .sync import SyncSession
from .vfs import VirtualFS

log = logging.getLogger(__name__)

FEATURES = ("shell_v2", "cmd")
EMULATOR_PORTS = range(5555, 5586)  # adb's emulator auto-discovery range
HANDSHAKE_TIMEOUT = 10.0  # seconds a peer may stay silent before its CNXN
MAX_STREAMS = 256  # open streams per connection; more are refused


def default_props(serial: str) -> dict[str, str]:
    return {
        "ro.product.name": "claw_phone",
        "ro.product.model": "ClawPhone",
        "ro.product.device": "claw",
        "ro.product.manufacturer": "claw-gym",
        "ro.product.brand": "claw",
        "ro.build.version.release": "14",
        "ro.build.version.sdk": "34",
        "ro.product.cpu.abi": "x86_64",
        "ro.serialno": serial,
        "sys.boot_completed": "1",
        "ro.build.type": "user",
    }


@dataclass
class _Stream:
    local_id: int
    remote_id: int
    handler: ShellSession | SyncSession | None = None
    out: bytearray = field(default_factory=bytearray)
    in_flight: bool = False
    finished: bool = False


class _Connection:
    """One TCP connection from an adb host server, with its streams."""

    def __init__(self, sock: socket.socket, server: AdbDeviceServer) -> None:
        self.sock, self.server = sock, server
        self.maxdata = 0
        self.streams: dict[int, _Stream] = {}
        self.next_id = 1

    def run(self) -> None:
        try:
            self.sock.settimeout(HANDSHAKE_TIMEOUT)  # a silent peer must not hold a thread forever
            while True:
                self.handle(P.read_packet(self.sock))
        except (P.ProtocolError, ConnectionError, OSError) as e:
            log.debug("adb connection closed: %s", e)
        except Exception:  # a bug here must not take the server down
            log.exception("adb connection failed")
        finally:
            self.server._forget(self)
            try:
                self.sock.close()
            except OSError:
                pass

    def send(self, command: int, arg0: int, arg1: int, data: bytes = b"") -> None:
        self.sock.sendall(P.encode(command, arg0, arg1, data))

    # ---- packets ------------------------------------------------------------------
    def handle(self, p: P.Packet) -> None:
        if p.command == P.CNXN:
            if p.arg1 < 256:
                raise P.ProtocolError("CNXN with a too small maxdata")
            self.maxdata = min(p.arg1, P.MAX_PAYLOAD)
            self.sock.settimeout(None)  # adb keeps idle transports open
            self.streams.clear()
            self.send(P.CNXN, P.VERSION, P.MAX_PAYLOAD, self.server.banner)
            return
        if not self.maxdata:
            raise P.ProtocolError(f"{p.name} before CNXN")
        if p.command == P.OPEN:
            self.open(p.arg0, p.data.rstrip(b"\x00").decode("utf-8", "replace"))
        elif p.command == P.OKAY:
            s = self.streams.get(p.arg1)
            if s is not None and s.remote_id == p.arg0:
                s.in_flight = False
                self.pump(s)
        elif p.command == P.WRTE:
            s = self.streams.get(p.arg1)
            if s is None:
                self.send(P.CLSE, 0, p.arg0)
                return
            self.send(P.OKAY, s.local_id, s.remote_id)
            assert s.handler is not None
            s.handler.feed(p.data)
            self.pump(s)
        elif p.command == P.CLSE:
            s = self.streams.get(p.arg1)
            if s is not None and s.remote_id == p.arg0:
                del self.streams[p.arg1]
        else:
            raise P.ProtocolError(f"unexpected {p.name}")

    def open(self, remote_id: int, service: str) -> None:
        if remote_id == 0:
            raise P.ProtocolError("OPEN with remote id 0")
        if len(self.streams) >= MAX_STREAMS:
            self.send(P.CLSE, 0, remote_id)
            return
        s = _Stream(self.next_id, remote_id)
        self.next_id += 1

        def emit(data: bytes) -> None:
            s.out += data

        def finish() -> None:
            s.finished = True

        name, _, arg = service.partition(":")
        kind, *options = name.split(",")
        if kind in ("shell", "exec"):
            s.handler = ShellSession(
                self.server.shell,
                arg,
                kind == "shell" and "v2" in options,
                emit,
                finish,
                pty=kind == "shell" and "raw" not in options and ("pty" in options or not arg),
            )
        elif kind == "sync" and not arg:
            s.handler = SyncSession(self.server.fs, emit, finish)
        else:
            self.send(P.CLSE, 0, remote_id)  # how adbd refuses a service it lacks
            return
        self.streams[s.local_id] = s
        self.send(P.OKAY, s.local_id, remote_id)
        if isinstance(s.handler, ShellSession):
            s.handler.start()
        self.pump(s)

    def pump(self, s: _Stream) -> None:
        """Send the next WRTE if none is in flight; CLSE once drained and finished."""
        if s.in_flight or s.local_id not in self.streams:
            return
        if s.out:
            chunk = bytes(s.out[: self.maxdata])
            del s.out[: self.maxdata]
            s.in_flight = True
            self.send(P.WRTE, s.local_id, s.remote_id, chunk)
        elif s.finished:
            del self.streams[s.local_id]
            self.send(P.CLSE, s.local_id, s.remote_id)


class AdbDeviceServer:
    """Serves one PhoneDevice to any number of adb host connections."""

    def __init__(
        self,
        phone: PhoneDevice,
        host: str = "127.0.0.1",
        port: int = 0,
        fs: VirtualFS | None = None,
        props: dict[str, str] | None = None,
    ) -> None:
        if port in EMULATOR_PORTS:
            warnings.warn(
                f"port {port} is in adb's emulator range 5555-5585: the host adb server "
                "may also probe it as an emulator console",
                stacklevel=2,
            )
        self.phone = phone
        self.fs = fs or VirtualFS()
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind((host, port))
        self._listener.listen(8)
        self.host, self.port = self._listener.getsockname()[:2]
        self.serial = f"{self.host}:{self.port}"
        self.props = {**default_props(self.serial), **(props or {})}
        self.banner = P.banner(self.props, FEATURES)
        self.lock = threading.RLock()  # one phone, many streams: run commands one at a time
        self.shell = Shell(phone, self.fs, self.props, self.lock)
        self._connections: set[_Connection] = set()
        self._guard = threading.Lock()
        self._thread: threading.Thread | None = None
        self._stopped = threading.Event()

    def start(self) -> AdbDeviceServer:
        self._thread = threading.Thread(target=self._accept_loop, name=f"adb-device-{self.port}", daemon=True)
        self._thread.start()
        return self

    def _accept_loop(self) -> None:
        while not self._stopped.is_set():
            try:
                sock, _addr = self._listener.accept()
            except OSError:
                break
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            conn = _Connection(sock, self)
            with self._guard:
                self._connections.add(conn)
            threading.Thread(target=conn.run, name=f"adb-conn-{self.port}", daemon=True).start()

    def _forget(self, conn: _Connection) -> None:
        with self._guard:
            self._connections.discard(conn)

    def stop(self) -> None:
        """Stop listening and drop every connection (the host then sees the device go offline)."""
        self._stopped.set()
        try:
            self._listener.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self._listener.close()
        with self._guard:
            conns = list(self._connections)
        for c in conns:
            try:
                c.sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> AdbDeviceServer:
        return self.start() if self._thread is None else self

    def __exit__(self, *exc: object) -> None:
        self.stop()
