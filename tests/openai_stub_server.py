"""An OpenAI-compatible chat-completions server for tests: stdlib http.server on 127.0.0.1, in a thread.

It answers ``GET /v1/models`` and ``POST /v1/chat/completions``. What it answers to a completion
is up to a *script*: ``script(request, turn, attempt) -> behaviour``, where ``request`` is the
JSON body, ``turn`` the number of assistant messages in it (0 for the first call of an
episode) and ``attempt`` how many times this same (conversation, turn) was asked before. A
conversation is told apart from others by its first user message (the task's first
observation), so one server serves many episodes, in any order, from any process.

Behaviours:

- ``{"tool_calls": [(name, arguments_text), ...]}``, optionally with ``"content"``; call ids
  are ``call_{turn+1:03d}`` (``call_001``, ...), as in ``claw-gym export``, unless ``"ids"`` gives them;
- ``{"text": "..."}``: an answer with no tool call;
- ``{"status": 500, "headers": {...}}``: an HTTP error (e.g. 429 with ``Retry-After``);
- ``{"hang": seconds}``: answer nothing for that long (then a 500 nobody reads).

``usage`` counts one prompt token per 4 characters of message text (and of tool call
arguments) and one completion token per 4 characters of the reply, so tests can check the
report's sums. Every request is kept in :attr:`StubServer.requests`.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Script = Callable[[dict[str, Any], int, int], dict[str, Any]]


def conversation_key(request: dict[str, Any]) -> str:
    """Which episode a request belongs to: a hash of its first user message."""
    first = next((m.get("content") for m in request.get("messages", []) if m.get("role") == "user"), "")
    return hashlib.sha256(json.dumps(first).encode()).hexdigest()[:16]


def fake_tokens(text: str) -> int:
    return (len(text) + 3) // 4


def prompt_tokens(request: dict[str, Any]) -> int:
    n = 0
    for m in request.get("messages", []):
        content = m.get("content")
        if isinstance(content, str):
            n += fake_tokens(content)
        for c in m.get("tool_calls") or []:
            n += fake_tokens(c["function"]["arguments"])
    return n


class StubServer:
    """``with StubServer(script) as server:`` ... ``server.base_url`` is ``http://127.0.0.1:PORT/v1``."""

    def __init__(self, script: Script) -> None:
        self.script = script
        self.requests: list[dict[str, Any]] = []
        self.completion_tokens = 0
        self.prompt_tokens = 0
        self._attempts: dict[tuple[str, int], int] = {}
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}/v1"

    def __enter__(self) -> StubServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def answer(self, request: dict[str, Any]) -> tuple[int, dict[str, str], dict[str, Any] | None, float]:
        """(status, headers, body, seconds to hang first) for one completion request."""
        turn = sum(m.get("role") == "assistant" for m in request.get("messages", []))
        with self._lock:
            self.requests.append(request)
            key = (conversation_key(request), turn)
            attempt = self._attempts.get(key, 0)
            self._attempts[key] = attempt + 1
        b = self.script(request, turn, attempt)
        if "hang" in b:
            return 500, {}, {"error": {"message": "too late"}}, float(b["hang"])
        if "status" in b:
            return int(b["status"]), dict(b.get("headers", {})), {"error": {"message": f"stub {b['status']}"}}, 0.0
        if "text" in b:
            message: dict[str, Any] = {"role": "assistant", "content": b["text"]}
            produced = b["text"]
        else:
            ids = b.get("ids") or [f"call_{turn + 1 + i:03d}" for i in range(len(b["tool_calls"]))]
            calls = [
                {"id": i, "type": "function", "function": {"name": name, "arguments": args}}
                for i, (name, args) in zip(ids, b["tool_calls"])
            ]
            message = {"role": "assistant", "content": b.get("content"), "tool_calls": calls}
            produced = "".join(name + args for name, args in b["tool_calls"])
        usage = {"prompt_tokens": prompt_tokens(request), "completion_tokens": fake_tokens(produced)}
        usage["total_tokens"] = usage["prompt_tokens"] + usage["completion_tokens"]
        with self._lock:
            self.prompt_tokens += usage["prompt_tokens"]
            self.completion_tokens += usage["completion_tokens"]
        body = {
            "id": f"chatcmpl-{len(self.requests)}",
            "object": "chat.completion",
            "created": 0,
            "model": request.get("model", "stub"),
            "usage": usage,
            "choices": [
                {"index": 0, "message": message, "finish_reason": "tool_calls" if "tool_calls" in message else "stop"}
            ],
        }
        return 200, {}, body, 0.0

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:  # quiet
                pass

            def _send(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
                data = json.dumps(body).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    for k, v in (headers or {}).items():
                        self.send_header(k, v)
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a timeout): nobody reads this

            def do_GET(self) -> None:
                if self.path.rstrip("/").endswith("/models"):
                    self._send(200, {"object": "list", "data": [{"id": "stub", "object": "model", "owned_by": "test"}]})
                else:
                    self._send(404, {"error": {"message": f"no route {self.path}"}})

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                if not self.path.rstrip("/").endswith("/chat/completions"):
                    self._send(404, {"error": {"message": f"no route {self.path}"}})
                    return
                try:
                    request = json.loads(raw)
                except json.JSONDecodeError:
                    self._send(400, {"error": {"message": "body is not JSON"}})
                    return
                status, headers, body, hang = server.answer(request)
                if hang:
                    time.sleep(hang)
                    self.close_connection = True
                self._send(status, body, headers)

        return Handler
