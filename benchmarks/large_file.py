"""Ingestion of ONE large landing file: does memory stay bounded as the file grows?

    .venv/bin/python -m benchmarks.large_file [--rows 250000 2000000] [--chunk-size 100000]

For each size, writes one gzip JSON-lines file of Segment page events (streamed, so the writer
holds one line at a time), ingests it into a fresh DuckDB file in a child process
(`python -m orchestration.ingestion`) and reports wall and CPU seconds and the child's peak
resident memory (os.wait4, benchmarks/measure.py). Ingestion reads, validates and inserts the
file in chunks of `--chunk-size` rows inside one transaction, so its peak memory should depend
on the chunk size, not on the file's size. Exits 1 when a run fails or does not load every row.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb

from benchmarks.measure import measure

STARTED_AT = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def page_event(number: int) -> dict:
    visitor = number // 20  # twenty page views per anonymous visitor
    at = STARTED_AT + timedelta(seconds=number * 3)
    return {
        "messageId": f"m-{number:09d}",
        "type": "page",
        "anonymousId": f"anon-{visitor:08d}",
        "timestamp": at.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z",
        "properties": {
            "url": f"https://acme.example/docs/page-{number % 400}?utm_source=newsletter&utm_medium=email",
            "path": f"/docs/page-{number % 400}",
            "referrer": "https://www.google.com/",
            "title": f"Docs page {number % 400}",
        },
        "context": {"userAgent": "Mozilla/5.0 (X11; Linux x86_64)", "ip": "203.0.113.7"},
    }


def write_file(path: Path, rows: int) -> None:
    with gzip.open(path, "wt", encoding="utf-8", compresslevel=1) as out:
        for number in range(rows):
            out.write(json.dumps(page_event(number)) + "\n")


def run_size(rows: int, chunk_size: int, workdir: Path) -> dict:
    landing, db = workdir / "landing", workdir / "warehouse.duckdb"
    landing.mkdir()
    file = landing / "web_events_large.jsonl.gz"
    write_file(file, rows)
    env = {**os.environ, "TW_SETTLE_SECONDS": "0"}
    command = [
        sys.executable,
        "-m",
        "orchestration.ingestion",
        "--landing",
        str(landing),
        "--db",
        str(db),
        "--chunk-size",
        str(chunk_size),
    ]
    result = measure(command, workdir / "ingestion.log", env=env)
    loaded = None
    if result.returncode == 0:
        with duckdb.connect(str(db), read_only=True) as con:
            loaded = con.execute("select count(*) from raw.web_events").fetchone()[0]
    return {
        "rows": rows,
        "file_mb": file.stat().st_size / 2**20,
        "returncode": result.returncode,
        "loaded": loaded,
        "seconds": result.seconds,
        "cpu_seconds": result.cpu_seconds,
        "peak_rss_mib": result.peak_rss_mib,
        "log": result.output[-2000:],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[250_000, 2_000_000])
    parser.add_argument("--chunk-size", type=int, default=100_000)
    args = parser.parse_args(argv)
    print(f"load average before: {os.getloadavg()[0]:.1f}; chunk size {args.chunk_size:,} rows", flush=True)
    print("| rows in the file | file MB (gzip) | rows loaded | wall s | CPU s | peak RSS MiB |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: |")
    failed = False
    for rows in args.rows:
        with tempfile.TemporaryDirectory(prefix="tw-large-file-") as folder:
            result = run_size(rows, args.chunk_size, Path(folder))
        loaded = "failed" if result["loaded"] is None else f"{result['loaded']:,}"
        print(
            f"| {rows:,} | {result['file_mb']:.1f} | {loaded} | {result['seconds']:.1f} "
            f"| {result['cpu_seconds']:.1f} | {result['peak_rss_mib']:,.1f} |",
            flush=True,
        )
        if result["returncode"] != 0 or result["loaded"] != rows:
            failed = True
            print(result["log"], file=sys.stderr)
    print(f"load average after: {os.getloadavg()[0]:.1f}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
