"""The ``claw-gym`` command: list, show, play, oracle, eval, export, render, demo.

Each subcommand lives in its own module with ``register(subparsers)``, which adds its
parser and sets ``func(args) -> exit status``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from . import demo, eval_cmd, export, list_cmd, oracle_cmd, play, render, show
from .common import CliError

SUBCOMMANDS = (list_cmd, show, play, oracle_cmd, eval_cmd, export, render, demo)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="claw-gym",
        description="Gymnasium suite of always-on personal-assistant tasks: the command line.",
        epilog="Run 'claw-gym <command> --help' for a command's options.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="command")
    for module in SUBCOMMANDS:
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except CliError as exc:
        print(f"claw-gym {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # e.g. `claw-gym list | head`
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


__all__ = ["main", "build_parser", "CliError"]
