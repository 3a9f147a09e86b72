"""CLI: python -m orchestration.demo_data --landing DIR [--accounts N] [--seed S] [--web-events N] [--no-faults]
[--next-day [DAY]] (a later batch beside the first: orchestration/demo_data/next_day.py)."""

from __future__ import annotations

import argparse
from pathlib import Path

from orchestration.demo_data.generate import generate
from orchestration.demo_data.web import DEFAULT_CHUNK_ROWS


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m orchestration.demo_data", description=__doc__)
    parser.add_argument("--landing", type=Path, required=True, help="folder to write the export files into")
    parser.add_argument("--accounts", type=int, default=300, help="number of CRM accounts (default 300)")
    parser.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
    parser.add_argument(
        "--web-events",
        type=int,
        default=None,
        help="about this many web events (anonymous traffic fills up); default: the story's own",
    )
    parser.add_argument(
        "--chunk-rows",
        type=int,
        default=DEFAULT_CHUNK_ROWS,
        help=f"web events per file part (default {DEFAULT_CHUNK_ROWS})",
    )
    parser.add_argument("--no-faults", action="store_true", help="write no malformed rows and no broken file")
    parser.add_argument(
        "--next-day",
        type=int,
        nargs="?",
        const=1,
        default=None,
        metavar="DAY",
        help="write only the batch of day DAY (default 1) after the story, for the same --accounts/--seed/--web-events",
    )
    args = parser.parse_args(argv)
    if args.next_day is not None:
        from orchestration.demo_data.next_day import generate_next_day

        report = generate_next_day(args.landing, args.accounts, args.seed, args.web_events, args.next_day)
    else:
        report = generate(args.landing, args.accounts, args.seed, args.web_events, not args.no_faults, args.chunk_rows)
    width = max(len(name) for name in report.rows)
    for name, count in report.rows.items():
        print(f"{name:<{width}}  {count:>10,} rows  ({report.faulty_rows[name]:,} malformed)")
    print(
        f"{len(report.files)} files in {args.landing}"
        + (f"; broken on purpose: {', '.join(report.broken_files)}" if report.broken_files else "")
    )


if __name__ == "__main__":
    main()
