"""``python -m claw_gym.bench``: run the benchmark suite and print the table (or JSON / markdown)."""

from __future__ import annotations

import argparse
import json
import sys

from . import AREAS, Config, machine, markdown, rows_from_dicts, run, table


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m claw_gym.bench", description=__doc__)
    p.add_argument("--quick", action="store_true", help="small loops (seconds; used by the tests)")
    p.add_argument("--repeats", type=int, default=None, help="repeats per figure (default 7, quick 3)")
    p.add_argument("--only", nargs="+", choices=list(AREAS), help="run only these areas")
    p.add_argument(
        "--clock",
        choices=["wall", "cpu"],
        default="wall",
        help="time in-process figures by wall clock or by this process's CPU time (shared machines)",
    )
    p.add_argument("--from-json", metavar="PATH", help="render a run saved with --json instead of measuring")
    out = p.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="machine-readable output")
    out.add_argument("--markdown", action="store_true", help="the results table of docs/speed-reliability.md")
    args = p.parse_args(argv)
    cfg = Config(quick=args.quick, repeats=args.repeats or (3 if args.quick else 7), clock=args.clock)
    if args.from_json:
        with open(args.from_json) as f:
            saved = json.load(f)
        info, rows = saved["machine"], rows_from_dicts(saved["rows"])
        cfg = Config(quick=saved["quick"], repeats=saved["repeats"], clock=info.get("clock", "wall"))
    else:
        info = {**machine(), "clock": cfg.clock}
        rows = run(cfg, args.only, progress=lambda a: print(f"[bench] {a} ...", file=sys.stderr, flush=True))
    if args.json:
        print(
            json.dumps(
                {"machine": info, "quick": cfg.quick, "repeats": cfg.repeats, "rows": [r.as_dict() for r in rows]},
                indent=1,
            )
        )
    elif args.markdown:
        print(markdown(rows, info))
    else:
        print(" ".join(f"{k}={v}" for k, v in info.items()))
        print(table(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
