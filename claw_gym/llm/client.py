"""One chat-completions request, made robust: timeouts, retries with backoff, Retry-After.

The official ``openai`` client talks to the server (hosted, vLLM, llama.cpp: they all speak
the same API); its own retries are off so that this module decides, the same way for every
server, and counts them:

- 429 and 5xx answers, timeouts and connection errors are retried up to ``retries`` times;
- the wait is the server's ``Retry-After`` (seconds or an HTTP date; ``retry-after-ms`` too)
  when it sends one, else 1, 2, 4, ... seconds (capped at 30; no jitter, so runs repeat);
- a wait that would pass the episode's deadline is not taken: the call fails at once;
- other 4xx answers (bad request, auth) are not retried.

A failed call raises :class:`ModelError` with a one-line reason.
"""

from __future__ import annotations

import email.utils
import time
from dataclasses import dataclass, field
from typing import Any

from .config import LLMConfig

BACKOFF_CAP = 30.0


class ModelError(Exception):
    """The model could not be reached or refused: ``str(exc)`` is the reason."""


@dataclass
class Reply:
    content: str | None
    tool_calls: list[dict[str, Any]]  # [{"id", "type": "function", "function": {"name", "arguments"}}]
    prompt_tokens: int | None  # as the server reports them (None: it did not)
    completion_tokens: int | None
    retries: int = 0
    problems: list[str] = field(default_factory=list)  # what was retried, in order


def retry_after(headers: Any) -> float | None:
    """The server's requested wait in seconds, if it gave one."""
    if headers is None:
        return None
    ms = headers.get("retry-after-ms")
    if ms:
        try:
            return max(0.0, float(ms) / 1000)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        when = email.utils.parsedate_to_datetime(value) if value else None
        return max(0.0, when.timestamp() - time.time()) if when else None


def backoff(attempt: int) -> float:
    return min(BACKOFF_CAP, 2.0**attempt)


class ChatClient:
    def __init__(self, cfg: LLMConfig) -> None:
        try:
            import openai
        except ImportError:  # pragma: no cover - the [llm] extra is missing
            raise ModelError("the llm agent needs the openai package: pip install 'claw-gym[llm]'") from None
        self.cfg = cfg
        self.openai = openai
        self.client = openai.OpenAI(
            base_url=cfg.base_url, api_key=cfg.api_key(), timeout=cfg.call_timeout, max_retries=0
        )

    def complete(
        self, messages: list[dict[str, Any]], tools: list[dict[str, Any]], *, seed: int | None, deadline: float
    ) -> Reply:
        """One completion; retries as the module says. ``deadline``: ``time.monotonic()`` not to pass."""
        oa = self.openai
        problems: list[str] = []
        for attempt in range(self.cfg.retries + 1):
            left = deadline - time.monotonic()
            if left <= 0:
                raise ModelError(_with(problems, "episode wall-clock budget spent"))
            wait: float | None = None
            try:
                resp = self._create(messages, tools, seed, min(self.cfg.call_timeout, left))
                return _reply(resp, attempt, problems)
            except oa.APITimeoutError:
                problems.append(f"timeout after {min(self.cfg.call_timeout, left):g} s")
            except oa.APIConnectionError as exc:
                problems.append(f"connection error ({_cause(exc)})")
            except oa.APIStatusError as exc:
                status = exc.status_code
                problems.append(f"HTTP {status}" + (f": {_message(exc)}" if _message(exc) else ""))
                if status != 429 and status < 500:
                    raise ModelError(problems[-1]) from None
                wait = retry_after(exc.response.headers)
            except oa.APIResponseValidationError as exc:
                raise ModelError(f"the server's answer is not a chat completion ({exc})") from None
            if attempt == self.cfg.retries:
                break
            wait = backoff(attempt) if wait is None else wait
            if time.monotonic() + wait >= deadline:
                raise ModelError(_with(problems, f"the next retry (in {wait:g} s) would pass the episode budget"))
            time.sleep(wait)
        raise ModelError(_with(problems, f"gave up after {len(problems)} attempts"))

    def _create(
        self, messages: list[dict[str, Any]], tools: list[dict[str, Any]], seed: int | None, timeout: float
    ) -> Any:
        """POST /chat/completions through the client, the body as given.

        ``chat.completions.create`` would first walk every message and tool schema to coerce
        types (about 50 ms a call here, more than the rest of a step): the body is plain JSON
        already, so it goes straight to the client's ``post``, with the same errors and parsing."""
        from openai.types.chat import ChatCompletion

        body = {
            "model": self.cfg.model,
            "messages": messages,
            "tools": tools,
            "temperature": self.cfg.temperature,
            "max_tokens": self.cfg.max_tokens,
        }
        if seed is not None:
            body["seed"] = seed
        return self.client.post("/chat/completions", cast_to=ChatCompletion, body=body, options={"timeout": timeout})

    def reachable(self) -> None:
        """Raise :class:`ModelError` unless the server answers at all (any HTTP status but 401/403 counts)."""
        oa = self.openai
        try:
            self.client.models.list(timeout=min(self.cfg.call_timeout, 10.0))
        except (oa.APITimeoutError, oa.APIConnectionError) as exc:
            raise ModelError(f"cannot reach {self.cfg.base_url} ({_cause(exc)})") from None
        except oa.APIStatusError as exc:
            if exc.status_code in (401, 403):
                raise ModelError(
                    f"{self.cfg.base_url} refused the API key from ${self.cfg.api_key_env} (HTTP {exc.status_code})"
                ) from None


def _reply(resp: Any, retries: int, problems: list[str]) -> Reply:
    if not getattr(resp, "choices", None):
        raise ModelError("the server's answer has no choices")
    msg = resp.choices[0].message
    calls = [
        {"id": c.id, "type": "function", "function": {"name": c.function.name, "arguments": c.function.arguments or ""}}
        for c in (msg.tool_calls or [])
        if getattr(c, "function", None) is not None
    ]
    usage = getattr(resp, "usage", None)
    return Reply(
        msg.content,
        calls,
        getattr(usage, "prompt_tokens", None),
        getattr(usage, "completion_tokens", None),
        retries,
        problems,
    )


def _message(exc: Any) -> str:
    body = exc.body
    if isinstance(body, dict):
        body = body.get("error", body)
        body = body.get("message", "") if isinstance(body, dict) else body
    return " ".join(str(body or "").split())[:200]


def _cause(exc: BaseException) -> str:
    cause = exc.__cause__ or exc.__context__
    text = " ".join(str(cause or exc).split())
    return text[:200] or type(exc).__name__


def _with(problems: list[str], last: str) -> str:
    return "; ".join([*problems[-3:], last]) if problems else last
