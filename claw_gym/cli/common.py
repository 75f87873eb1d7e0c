"""What the subcommands share: task filters, task lookup, errors, tables, JSON, progress."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from ..tasks import TaskSpec, suite

DEVICE_CHOICES = ("laptop", "phone", "none")  # "none": API-only tasks


class CliError(Exception):
    """A user error: printed as ``claw-gym <command>: error: ...``, exit status 2 (no traceback)."""


def _csv(value: str) -> list[str]:
    return [v.strip() for v in value.split(",") if v.strip()]


def _csv_ints(value: str) -> list[int]:
    try:
        return [int(v) for v in _csv(value)]
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected comma-separated integers, got {value!r}") from None


def _positive(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        n = 0
    if n < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {value!r}")
    return n


def add_filters(p: argparse.ArgumentParser) -> None:
    """The task filters every multi-task subcommand takes (values comma-separated)."""
    g = p.add_argument_group("task filters (comma-separated values; all splits unless --split)")
    g.add_argument("--family", type=_csv, help="family name(s)")
    g.add_argument("--kind", type=_csv, help="reactive, proactive")
    g.add_argument("--difficulty", type=_csv_ints, help="1..5, e.g. 1,2")
    g.add_argument("--split", type=_csv, help="train, test, heldout")
    g.add_argument("--device", type=_csv, help="laptop, phone, none (API-only tasks)")
    g.add_argument("--tag", type=_csv, help="task tag(s), e.g. conflict")
    g.add_argument("--tasks", type=_csv, help="explicit task ids (after the other filters)")
    g.add_argument("--per-family", type=_positive, metavar="N", help="keep the first N tasks of each family")
    g.add_argument(
        "--limit",
        type=_positive,
        metavar="N",
        help="keep N tasks, spread over the families (round-robin, in catalog order)",
    )


def resolve_task(task_id: str) -> TaskSpec:
    """The spec of ``task_id``, or a CliError naming the closest ids (by edit distance)."""
    try:
        return suite.get_spec(task_id)
    except KeyError:
        close = closest(task_id, list(suite.all_specs()))
        hint = f"; did you mean {', '.join(close)}?" if close else "; see 'claw-gym list'"
        raise CliError(f"unknown task {task_id!r}{hint}") from None


def closest(word: str, candidates: list[str], n: int = 3, max_ratio: float = 0.4) -> list[str]:
    """The ``n`` candidates nearest to ``word`` in edit distance (at most ``max_ratio`` of its length).

    difflib's ratio ranks ``...-0x00`` nearer to ``...-0010`` than to ``...-0000``; a typo is
    an edit, so count edits.
    """
    limit = max(1, int(len(word) * max_ratio))
    scored = [
        (d, c) for c in candidates if abs(len(c) - len(word)) <= limit for d in [_edits(word, c, limit)] if d <= limit
    ]
    return [c for _, c in sorted(scored)[:n]]


def _edits(a: str, b: str, limit: int) -> int:
    """Levenshtein distance, giving up (returning limit + 1) once it must exceed ``limit``."""
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        if min(cur) > limit:
            return limit + 1
        prev = cur
    return prev[-1]


def select(args: argparse.Namespace) -> list[TaskSpec]:
    """Tasks matching the filters in ``args``, in catalog order."""
    devices = set(args.device or [])
    bad = devices - set(DEVICE_CHOICES)
    if bad:
        raise CliError(f"unknown device {sorted(bad)}; devices: {', '.join(DEVICE_CHOICES)}")
    for name, allowed in (("kind", ("reactive", "proactive")), ("split", ("train", "test", "heldout"))):
        bad = set(getattr(args, name) or []) - set(allowed)
        if bad:
            raise CliError(f"unknown {name} {sorted(bad)}; {name}s: {', '.join(allowed)}")
    try:
        specs = suite.catalog(
            family=args.family, kind=args.kind, difficulty=args.difficulty, split=args.split, tag=args.tag
        )
    except ValueError as exc:
        raise CliError(str(exc)) from None
    if devices:
        specs = [s for s in specs if devices & set(s.devices) or ("none" in devices and not s.devices)]
    if args.tasks:
        wanted = [resolve_task(t).task_id for t in args.tasks]
        keep = set(wanted)
        specs = [s for s in specs if s.task_id in keep]
    if args.per_family is not None:
        seen: dict[str, int] = {}
        kept = []
        for s in specs:
            seen[s.family] = seen.get(s.family, 0) + 1
            if seen[s.family] <= args.per_family:
                kept.append(s)
        specs = kept
    if args.limit is not None:
        specs = spread(specs, args.limit)
    return specs


def spread(specs: list[TaskSpec], limit: int) -> list[TaskSpec]:
    """``limit`` tasks taken round-robin over the families (in catalog order), kept in catalog order.

    The first N tasks of the catalog would all be of its first family."""
    queues: dict[str, list[TaskSpec]] = {}
    for s in specs:
        queues.setdefault(s.family, []).append(s)
    keep: set[str] = set()
    for rank in range(max((len(q) for q in queues.values()), default=0)):
        for q in queues.values():
            if len(keep) < limit and rank < len(q):
                keep.add(q[rank].task_id)
    return [s for s in specs if s.task_id in keep]


def device_label(spec: TaskSpec) -> str:
    return "+".join(spec.devices) if spec.devices else "api"


def table(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """A plain aligned text table (numbers right-aligned)."""
    cells = [[str(h) for h in headers]] + [[_cell(v) for v in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    numeric = [all(_is_num(r[i]) for r in cells[1:]) and len(cells) > 1 for i in range(len(headers))]

    def line(r: list[str]) -> str:
        return "  ".join(c.rjust(w) if num else c.ljust(w) for c, w, num in zip(r, widths, numeric)).rstrip()

    sep = "  ".join("-" * w for w in widths)
    return "\n".join([line(cells[0]), sep] + [line(r) for r in cells[1:]])


def _cell(v: Any) -> str:
    if isinstance(v, float):
        return f"{v:.3f}"
    return str(v)


def _is_num(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def print_json(obj: Any) -> None:
    json.dump(obj, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def progress(items: Iterable[Any], total: int, desc: str) -> Iterator[Any]:
    """A tqdm bar on stderr when it is a terminal (silent in pipes and tests)."""
    from tqdm import tqdm

    yield from tqdm(items, total=total, desc=desc, unit="ep", disable=None, file=sys.stderr, leave=False)


def progress_bar(total: int, desc: str) -> Any:
    """The same bar, advanced by hand (``bar.update(n)``) when results arrive out of order."""
    from tqdm import tqdm

    return tqdm(total=total, desc=desc, unit="ep", disable=None, file=sys.stderr, leave=False)


def add_run_options(p: argparse.ArgumentParser, json_help: str) -> None:
    """Options of the subcommands that run episodes: filters, episodes and seeds, workers, --json."""
    add_filters(p)
    p.add_argument("--episodes", type=_positive, default=1, metavar="K", help="episodes per task (default 1)")
    p.add_argument("--seed", type=int, default=0, help="seed of each task's first episode; episode j uses seed+j")
    p.add_argument(
        "--workers",
        type=_positive,
        default=None,
        metavar="N",
        help="worker processes (spawned; each builds its own envs). Default 1: in process; "
        "with --backend ray, the CPUs of the local Ray (default: all)",
    )
    p.add_argument(
        "--backend",
        choices=("local", "ray"),
        default="local",
        help="local (default): this machine, --workers processes; ray: episodes as Ray tasks",
    )
    p.add_argument(
        "--address",
        default=None,
        metavar="HOST:PORT",
        help="with --backend ray: join the Ray cluster there (`ray start --head` prints it); "
        "default: start a local Ray",
    )
    add_env_args(p)
    p.add_argument("--json", action="store_true", help=json_help)


def add_env_args(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--env-arg",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="keyword for gym.make, the value as JSON (text keywords may be bare), e.g. "
        "history=full, reward_mode=partial, max_steps=10, phone=false, screen_size=[360,780] "
        "(repeatable)",
    )


def env_arg(pair: str) -> tuple[str, Any]:
    """One ``--env-arg KEY=VALUE``: the value is JSON; text keywords (``history=full``) may be bare.

    A non-JSON value elsewhere (``phone=False``) is an error, never a truthy string."""
    from ..envargs import CHECKS, TEXT_KEYWORDS

    key, eq, text = pair.partition("=")
    if not eq or not key.isidentifier():
        raise CliError(f"--env-arg takes KEY=VALUE, got {pair!r}")
    known = sorted({*CHECKS, *MAKE_KEYWORDS})
    if key not in known:
        raise CliError(f"--env-arg: unknown keyword {key!r}; known: {', '.join(known)}")
    try:
        return key, json.loads(text)
    except json.JSONDecodeError:
        if key in TEXT_KEYWORDS:
            return key, text
    hint = f"; did you mean {key}={text.lower()}?" if text.lower() in ("true", "false", "null") else ""
    raise CliError(
        f"--env-arg {pair}: {text!r} is not JSON (a number, true, false, null, [a list], "
        f'{{an object}} or "quoted text"){hint}'
    )


#: gym.make's own keywords, passed through with the env's.
MAKE_KEYWORDS = ("max_episode_steps", "disable_env_checker")


def env_kwargs(args: argparse.Namespace) -> str:
    """``--env-arg`` pairs as canonical JSON text (jobs carry it to workers; it keys env caches)."""
    from .. import envargs

    out = dict(env_arg(pair) for pair in args.env_arg)
    if out:  # fail here, once, rather than in every worker
        import gymnasium as gym

        import claw_gym  # noqa: F401  (registers the envs)

        try:
            envargs.check(out)
            gym.make("ClawAnything-v0", disable_env_checker=True, **out).close()
        except (TypeError, ValueError) as exc:
            raise CliError(f"--env-arg: {exc}") from None
    return json.dumps(out, sort_keys=True)
