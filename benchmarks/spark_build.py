"""The dbt build on local Spark beside DuckDB's, on the same generated data (benchmarks/README.md).

    .venv/bin/python -m benchmarks.spark_build --web-events 200000 [--accounts 300] [--workdir DIR]

Needs `make install-spark` and Java 17 (`make java`). Stages, each a child process in its own
session: generate the demo exports, ingest them into a DuckDB file and mirror the lake, then
`dbt build` of every seed and model (no data or unit tests) on DuckDB, then the same on local
Spark (`python -m orchestration.spark_dbt`, the profile's `local[2]`). Spark's JVM is not a
waited-for child of dbt, so CPU seconds are sampled from /proc (user + sys of every process of
the stage's session, once a second: a process that ends between samples loses under a second).
Prints wall and CPU seconds, peak resident memory (the largest sum over the session's processes in
one sample), the load average before and after each stage, and the Spark /
DuckDB ratios of the two builds, measured back to back.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
SPARK_PYTHON = PROJECT / ".venv-spark" / "bin" / "python"
TICKS = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")
NO_TESTS = ["--exclude-resource-type", "test", "--exclude-resource-type", "unit_test"]


@dataclass
class Stage:
    name: str
    wall_seconds: float
    cpu_seconds: float
    load_before: float
    load_after: float
    returncode: int
    peak_rss_mb: float = 0.0  # the largest sum of the session's resident memory seen in one sample
    done: str = ""  # dbt's "Done. PASS=..." line


def _session_cpu(session: int) -> dict[int, tuple[float, float]]:
    """pid -> (user + sys seconds, resident MB) of every process whose session id is `session`."""
    found = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            fields = Path(entry.path, "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == session:  # fields after the command: state ppid pgrp session ...
            cpu = (int(fields[11]) + int(fields[12])) / TICKS
            found[int(entry.name)] = (cpu, int(fields[21]) * PAGE / 2**20)  # rss is field 24 of stat
    return found


def run_stage(name: str, command: list[str], log: Path, env: dict[str, str]) -> Stage:
    print(f"-- {name} ...", flush=True)
    load_before = os.getloadavg()[0]
    started = time.monotonic()
    with log.open("w") as out:
        process = subprocess.Popen(command, cwd=PROJECT, env=env, stdout=out, stderr=subprocess.STDOUT,
                                   start_new_session=True)  # fmt: skip
        cpu: dict[int, float] = {}
        peak_rss = [0.0]
        stop = threading.Event()

        def sample() -> None:
            while not stop.is_set():
                found = _session_cpu(process.pid)
                for pid, (seconds, _) in found.items():
                    cpu[pid] = max(cpu.get(pid, 0.0), seconds)
                peak_rss[0] = max(peak_rss[0], sum(rss for _, rss in found.values()))
                stop.wait(1.0)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        returncode = process.wait()
        time.sleep(2)  # the JVM shuts down after dbt: sample it until it is gone
        stop.set()
        sampler.join()
    wall = time.monotonic() - started
    text = re.sub(r"\x1b\[[0-9;]*m", "", log.read_text(errors="replace"))  # dbt's colours
    done = [line for line in text.splitlines() if "Done. PASS=" in line]
    stage = Stage(name, round(wall, 1), round(sum(cpu.values()), 1), load_before, os.getloadavg()[0], returncode,
                  peak_rss_mb=round(peak_rss[0]), done=done[-1].split("|")[-1].strip() if done else "")  # fmt: skip
    print(f"   {name}: wall {stage.wall_seconds:.0f} s, CPU {stage.cpu_seconds:.0f} s, peak RSS "
          f"{stage.peak_rss_mb:.0f} MB, load {stage.load_before:.1f} -> {stage.load_after:.1f} {stage.done}",
          flush=True)  # fmt: skip
    if returncode != 0:
        raise SystemExit(f"{name} failed (exit {returncode}); log: {log}")
    return stage


def ingest(work: Path) -> int:
    from orchestration.ingestion.load import ingest_landing_folder
    from orchestration.lake import sync_lake

    report = ingest_landing_folder(work / "landing", work / "warehouse.duckdb")
    rows = sum(f.rows_loaded for f in report.files)
    print(f"{sum(f.status == 'loaded' for f in report.files)} files loaded, {rows:,} rows")
    print(sync_lake(work / "warehouse.duckdb", work / "lake").summary())
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--web-events", type=int, default=200_000)
    parser.add_argument("--accounts", type=int, default=300)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--workdir", type=Path, help="empty folder to work in (kept); default: a temporary one")
    parser.add_argument("--ingest-only", action="store_true", help=argparse.SUPPRESS)  # the ingest stage
    args = parser.parse_args(argv)
    if args.ingest_only:
        return ingest(args.workdir)
    work = args.workdir.resolve() if args.workdir else Path(tempfile.mkdtemp(prefix="tw-spark-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    env = os.environ | {
        "TW_DUCKDB_PATH": str(work / "warehouse.duckdb"),
        "TW_LAKE_DIR": str(work / "lake"),
        "TW_SPARK_DIR": str(work / "spark"),
        "DBT_PROFILES_DIR": str(PROJECT),
        "PYTHONPATH": str(PROJECT),
    }
    dbt_paths = ["--project-dir", str(PROJECT)]
    stages = [
        run_stage(
            "generate",
            [
                sys.executable,
                "-m",
                "orchestration.demo_data",
                "--landing",
                str(work / "landing"),
                "--accounts",
                str(args.accounts),
                "--web-events",
                str(args.web_events),
                "--seed",
                str(args.seed),
            ],
            work / "generate.log",
            env,
        ),  # fmt: skip
        run_stage(
            "ingest and mirror the lake",
            [sys.executable, "-m", "benchmarks.spark_build", "--ingest-only", "--workdir", str(work)],
            work / "ingest.log",
            env,
        ),  # fmt: skip
        run_stage(
            "duckdb: dbt build (seeds, models)",
            [
                str(Path(sys.executable).parent / "dbt"),
                "build",
                *NO_TESTS,
                *dbt_paths,
                "--target-path",
                str(work / "target-duckdb"),
                "--log-path",
                str(work / "logs-duckdb"),
            ],
            work / "dbt-duckdb.log",
            env | {"TW_TARGET": "duckdb"},
        ),  # fmt: skip
        run_stage(
            "spark: dbt build (seeds, models)",
            [
                str(SPARK_PYTHON),
                "-m",
                "orchestration.spark_dbt",
                "build",
                *NO_TESTS,
                *dbt_paths,
                "--target-path",
                str(work / "target-spark"),
                "--log-path",
                str(work / "logs-spark"),
            ],
            work / "dbt-spark.log",
            env | {"TW_TARGET": "spark"},
        ),  # fmt: skip
    ]
    duck, spark = stages[-2], stages[-1]
    result = {
        "web_events": args.web_events,
        "accounts": args.accounts,
        "stages": [asdict(s) for s in stages],
        "spark_over_duckdb_wall": round(spark.wall_seconds / duck.wall_seconds, 2),
        "spark_over_duckdb_cpu": round(spark.cpu_seconds / duck.cpu_seconds, 2),
    }
    print(json.dumps(result, indent=2))
    (work / "result.json").write_text(json.dumps(result, indent=2))
    if not args.workdir:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
