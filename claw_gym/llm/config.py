"""The ``llm`` agent's settings: command-line options, and a spec string that carries them to workers.

Worker processes load their policy from a spec string (see :mod:`claw_gym.cli.policies`), so
the settings travel as ``llm:{json}``. The API key never does: only the name of the
environment variable that holds it.
"""

from __future__ import annotations

import argparse
import json
import os
from dataclasses import asdict, dataclass, fields
from typing import Any

PREFIX = "llm:"
DEFAULT_KEY_ENV = "OPENAI_API_KEY"


@dataclass(frozen=True)
class LLMConfig:
    model: str
    base_url: str
    api_key_env: str = DEFAULT_KEY_ENV
    temperature: float = 0.0
    max_tokens: int = 1024
    context_tokens: int | None = None  # None: send the whole conversation
    screen: bool = False  # send obs["screen"] as an image part (multimodal models)
    call_timeout: float = 120.0  # seconds per request
    episode_seconds: float = 1800.0  # wall-clock budget of one episode
    retries: int = 4  # per request, on 429, 5xx, timeouts and connection errors

    def spec(self) -> str:
        return PREFIX + json.dumps(asdict(self), sort_keys=True)

    @classmethod
    def from_spec(cls, spec: str) -> LLMConfig:
        return cls(**json.loads(spec[len(PREFIX) :]))

    def api_key(self) -> str:
        """The key from ``api_key_env``; local servers need none, and the client needs some string."""
        return os.environ.get(self.api_key_env) or "EMPTY"

    def public(self) -> dict[str, Any]:
        """What a report records (no key)."""
        return asdict(self)


def add_llm_args(p: argparse.ArgumentParser, transcripts: bool = False) -> None:
    """The options of ``--agent llm`` / ``--policy llm`` (``transcripts``: also ``--transcripts DIR``)."""
    g = p.add_argument_group("the llm agent (an OpenAI-compatible chat-completions server; needs the [llm] extra)")
    g.add_argument("--model", metavar="NAME", help="model name, as the server knows it")
    g.add_argument(
        "--base-url", metavar="URL", help="server URL, e.g. https://api.openai.com/v1 or http://127.0.0.1:8000/v1"
    )
    g.add_argument(
        "--api-key-env",
        default=DEFAULT_KEY_ENV,
        metavar="VAR",
        help=f"environment variable holding the API key (default {DEFAULT_KEY_ENV}; unset: none sent)",
    )
    g.add_argument("--temperature", type=float, default=0.0, metavar="T", help="sampling temperature (default 0)")
    g.add_argument(
        "--max-tokens", type=int, default=1024, metavar="N", help="completion tokens per call (default 1024)"
    )
    g.add_argument(
        "--context-tokens",
        type=int,
        default=None,
        metavar="N",
        help="prompt budget in estimated tokens (4 characters each); older tool results are shortened, "
        "then the oldest turns dropped (default: no limit)",
    )
    g.add_argument("--screen", action="store_true", help="send the phone screen as an image (multimodal models)")
    g.add_argument("--call-timeout", type=float, default=120.0, metavar="S", help="seconds per request (default 120)")
    g.add_argument(
        "--episode-seconds",
        type=float,
        default=1800.0,
        metavar="S",
        help="wall-clock budget of one episode (default 1800)",
    )
    g.add_argument(
        "--retries",
        type=int,
        default=4,
        metavar="N",
        help="retries per request on 429, 5xx, timeouts, connection errors (default 4)",
    )
    if transcripts:
        g.add_argument("--transcripts", metavar="DIR", help="save each episode's conversation and verdict as JSON")


def config_from(args: argparse.Namespace) -> LLMConfig:
    """The settings in ``args``; a ValueError names what is missing or wrong."""
    missing = [flag for flag, value in (("--model", args.model), ("--base-url", args.base_url)) if not value]
    if missing:
        raise ValueError(f"the llm agent needs {' and '.join(missing)}")
    for flag, value, low in (
        ("--max-tokens", args.max_tokens, 1),
        ("--context-tokens", args.context_tokens, 256),
        ("--call-timeout", args.call_timeout, 0.01),
        ("--episode-seconds", args.episode_seconds, 0.01),
        ("--retries", args.retries, 0),
    ):
        if value is not None and value < low:
            raise ValueError(f"{flag} must be at least {low}, got {value}")
    names = {f.name for f in fields(LLMConfig)}
    return LLMConfig(**{k: v for k, v in vars(args).items() if k in names})
