"""Command line: python -m orchestration.ingestion --landing DIR --db PATH"""

from __future__ import annotations

import argparse
import logging
from pathlib import Path

from orchestration.ingestion.load import DEFAULT_CHUNK_SIZE, ingest_landing_folder


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Load new landing files into the raw layer of the DuckDB warehouse.")
    parser.add_argument("--landing", type=Path, required=True, help="landing folder with the export files")
    parser.add_argument("--db", type=Path, required=True, help="DuckDB file to load into (created if missing)")
    parser.add_argument(
        "--chunk-size", type=int, default=DEFAULT_CHUNK_SIZE, help="rows validated and inserted at a time"
    )
    parser.add_argument("--fail-on-error", action="store_true", help="exit with status 1 when any file failed")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    report = ingest_landing_folder(args.landing, args.db, chunk_size=args.chunk_size)
    print(report.summary())
    return 1 if args.fail_on_error and report.has_failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
