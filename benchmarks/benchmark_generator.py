"""Time and peak memory of the demo data generator at given web-event counts.

    python benchmarks/benchmark_generator.py --web-events 1000000 10000000

Each size runs in a fresh Python process, so the peak resident memory (ru_maxrss) belongs to
that size alone. The files go to a temporary folder (or --keep DIR) and are deleted afterwards.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]


def run_one(landing: Path, web_events: int, accounts: int, seed: int) -> dict:
    """Generate once in this process and measure it."""
    sys.path.insert(0, str(PROJECT))
    from orchestration.demo_data import generate

    started = time.perf_counter()
    report = generate(landing, accounts=accounts, seed=seed, web_events=web_events)
    seconds = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_SELF)
    size = sum(p.stat().st_size for p in landing.iterdir())
    return {
        "web_events": report.rows["web_events"],
        "all_rows": sum(report.rows.values()),
        "files": len(report.files) + len(report.broken_files),
        "megabytes_on_disk": round(size / 1e6, 1),
        "seconds": round(seconds, 1),
        "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 1),
        "peak_rss_mib": round(usage.ru_maxrss / 1024, 1),  # Linux reports KiB
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--web-events", type=int, nargs="+", default=[1_000_000])
    parser.add_argument("--accounts", type=int, default=300)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", type=Path, help="write here and keep the files (one sub-folder per size)")
    parser.add_argument("--one", action="store_true", help=argparse.SUPPRESS)  # child process mode
    parser.add_argument("--landing", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.landing, args.web_events[0], args.accounts, args.seed)))
        return
    print(f"machine: {os.cpu_count()} CPUs, {platform.machine()}, Python {platform.python_version()}")
    print(
        f"{'requested':>12} {'web events':>12} {'all rows':>12} {'files':>6} {'MB':>8} {'wall s':>8} "
        f"{'cpu s':>8} {'peak RSS MiB':>13}"
    )
    for size in args.web_events:
        folder = (args.keep / str(size)) if args.keep else Path(tempfile.mkdtemp(prefix="demo-bench-"))
        command = [
            sys.executable,
            __file__,
            "--one",
            "--landing",
            str(folder),
            "--web-events",
            str(size),
            "--accounts",
            str(args.accounts),
            "--seed",
            str(args.seed),
        ]
        try:
            result = json.loads(subprocess.run(command, check=True, capture_output=True, text=True).stdout)
        finally:
            if not args.keep:
                shutil.rmtree(folder, ignore_errors=True)
        print(
            f"{size:>12,} {result['web_events']:>12,} {result['all_rows']:>12,} {result['files']:>6} "
            f"{result['megabytes_on_disk']:>8} {result['seconds']:>8} {result['cpu_seconds']:>8} "
            f"{result['peak_rss_mib']:>13}"
        )


if __name__ == "__main__":
    main()
