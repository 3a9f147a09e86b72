"""Speed and peak memory of the whole pipeline at a stated size, one child process per stage.

    python -m benchmarks.run --web-events 1000000 --accounts 3000 [--workdir DIR] [--keep]

Stages: (1) generate the demo exports, (2) ingest them into a fresh DuckDB file, (3) ingest
the same folder again (must load nothing: the cost of exactly-once), (4) the scheduled
``dbt build`` (no unit tests) on it: the full build, (5) generate the next day's exports
(``--next-day``), (6) ingest them, (7) the same ``dbt build``: the incremental run, (8) ``dbt
build --full-refresh`` on a copy of that warehouse, (9) the floor: the heaviest step done
plainly in one DuckDB pass (benchmarks/floor.py), (10) dbt's fixed cost: the same ``dbt build``
with ``--empty`` (every node of the scheduled run, no rows read) on the warehouse of stage 7,
which is put back afterwards. Before (4) the first batch's load times are
moved back one day, as if it had been loaded the day before the next one. Staging finds the
new loads by content hash; downstream models count back tp_incremental_lookback_hours (default
0) from the latest load already built; --lookback-hours sets that margin for stage 7.
Then every dbt-built table of the incremental warehouse is compared with the full refresh
(row counts and checksums, benchmarks/compare.py); a difference fails the run.
Each stage runs as its own child process, so its peak resident memory is its own.
Everything is written to a temporary work folder, which is deleted afterwards unless --keep
(or --workdir) is given. The results are printed and refreshed in benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import duckdb

from benchmarks.compare import compare
from benchmarks.dbt_results import (
    broken_nodes,
    dbt_counts,
    seconds_by_folder,
    seconds_by_type,
    slowest_models,
    test_seconds_by_model,
)
from benchmarks.measure import Measurement, measure
from benchmarks.readme import describe_environment, node_seconds_text, update_readme
from orchestration.lock import pipeline_lock

PROJECT = Path(__file__).resolve().parents[1]
README = Path(__file__).resolve().parent / "README.md"
# The scheduled job's dbt command (orchestration/assets/dbt.py): unit tests run in `make test`.
SCHEDULED_BUILD = ["build", "--exclude-resource-type", "unit_test"]


@dataclass(frozen=True)
class Stage:
    name: str
    measurement: Measurement
    rows: str  # what the stage processed, in words
    database_mb: float | None
    slowest: list[tuple[str, float]]  # dbt stages: the slowest models and their seconds
    node_seconds: dict[str, float]  # dbt stages: execution seconds summed by node type
    slowest_tested: list[tuple[str, str, int, float]]  # dbt stages: (model, materialized, tests, test seconds)
    problem: str | None  # why the stage counts as failed, None when it did its job
    load_after: float = 0.0  # one-minute load average right after the stage


@dataclass(frozen=True)
class Workdir:
    root: Path

    @property
    def landing(self) -> Path:
        return self.root / "landing"

    @property
    def database(self) -> Path:
        return self.root / "warehouse.duckdb"

    @property
    def full_refresh_database(self) -> Path:
        return self.root / "full-refresh.duckdb"

    @property
    def target(self) -> Path:
        return self.root / "dbt-target"

    @property
    def full_refresh_target(self) -> Path:
        # its own target folder: the full refresh's profile (another database path) would
        # otherwise replace the partial-parse state that stages 7 and 10 share
        return self.root / "dbt-target-full-refresh"

    def log(self, stage: str) -> Path:
        return self.root / "logs" / f"{stage}.log"


def database_mb(workdir: Workdir) -> float | None:
    if not workdir.database.exists():
        return None
    wal = workdir.database.with_name(workdir.database.name + ".wal")
    size = workdir.database.stat().st_size + (wal.stat().st_size if wal.exists() else 0)
    return size / 1e6


def ingestion_rows(output: str) -> tuple[int, int, int]:
    """(rows loaded, rows quarantined, files failed) from the ingestion CLI's last summary line."""
    found = re.search(r"(\d+) failed\b[^;\n]*; rows loaded (\d+), quarantined (\d+)", output)
    if not found:
        raise ValueError("no ingestion summary line in the output")
    failed, loaded, quarantined = (int(group) for group in found.groups())
    return loaded, quarantined, failed


def generator_rows(output: str) -> tuple[int, int]:
    """(web events, all rows) from the demo generator's per-source lines."""
    counts = {name: int(count.replace(",", "")) for name, count in re.findall(r"^(\w+)\s+([\d,]+) rows", output, re.M)}
    return counts.get("web_events", 0), sum(counts.values())


def run_generate(workdir: Workdir, args: argparse.Namespace, next_day: bool = False) -> Stage:
    command = [sys.executable, "-m", "orchestration.demo_data", "--landing", str(workdir.landing)]
    command += ["--accounts", str(args.accounts), "--web-events", str(args.web_events), "--seed", str(args.seed)]
    before = {path.name for path in workdir.landing.iterdir()} if workdir.landing.exists() else set()
    command += ["--next-day"] if next_day else []
    result = measure(command, workdir.log("5-generate-next-day" if next_day else "1-generate"), cwd=PROJECT)
    web_events, all_rows = generator_rows(result.output)
    written = (
        [path for path in workdir.landing.iterdir() if path.name not in before] if workdir.landing.exists() else []
    )
    landing_mb = sum(path.stat().st_size for path in written) / 1e6
    rows = f"{web_events:,} web events ({all_rows:,} rows in all, {landing_mb:,.1f} MB of files)"
    name = "5 generate the next day" if next_day else "1 generate demo exports"
    return Stage(name, result, rows, None, [], {}, [], None if result.returncode == 0 else "failed")


def move_first_batch_back_one_day(workdir: Workdir) -> None:
    """As if the first batch had been loaded a day before the next one (raw load times only)."""
    with duckdb.connect(str(workdir.database)) as con:
        tables = con.execute(
            "select table_name from information_schema.columns "
            "where table_schema = 'raw' and column_name = '_loaded_at'"
        ).fetchall()
        for (table,) in tables:
            con.execute(f'update raw."{table}" set _loaded_at = _loaded_at - interval 1 day')
        con.execute("update raw.load_manifest set loaded_at = loaded_at - interval 1 day")


def run_floor(workdir: Workdir) -> Stage:
    command = [sys.executable, "-m", "benchmarks.floor", str(workdir.database)]
    result = measure(command, workdir.log("9-floor"), cwd=PROJECT)
    found = re.search(r"floor: ([\d,]+) page views", result.output)
    rows = f"{found.group(1)} page views" if found else "-"
    return Stage(
        "9 floor: one DuckDB pass", result, rows, None, [], {}, [], None if result.returncode == 0 else "failed"
    )


def run_fixed_cost(workdir: Workdir, build_args: list[str] = SCHEDULED_BUILD) -> Stage:
    """dbt's cost per run that does not depend on the data: the scheduled build with --empty.

    Every model, seed and data test of stage 7 runs, with each ref and source read as zero
    rows (dbt's --empty), on the same database path and target folder and with the same
    arguments as stage 7 (build_args), so dbt starts with the same partial-parse state.
    --empty replaces tables with empty ones, so the warehouse of stage 7 is copied aside first
    and put back afterwards.
    """
    files = [workdir.database, workdir.database.with_name(workdir.database.name + ".wal")]
    kept = {path: workdir.root / f"before-fixed-cost.{path.name}" for path in files if path.exists()}
    for path, copy in kept.items():
        shutil.copyfile(path, copy)
    try:
        stage = run_dbt(workdir, "10 dbt build --empty (fixed cost)", "10-dbt-empty", [*build_args, "--empty"])
    finally:
        for path in files:
            path.unlink(missing_ok=True)
        for path, copy in kept.items():
            os.replace(copy, path)
    return replace(stage, database_mb=database_mb(workdir))  # the warehouse as put back


def run_ingestion(workdir: Workdir, name: str, log: str, expect_nothing: bool) -> Stage:
    command = [sys.executable, "-m", "orchestration.ingestion", "--landing", str(workdir.landing)]
    command += ["--db", str(workdir.database)]
    result = measure(command, workdir.log(log), cwd=PROJECT)
    if result.returncode != 0:
        return Stage(name, result, "-", database_mb(workdir), [], {}, [], "failed")
    loaded, quarantined, failed = ingestion_rows(result.output)
    problem = f"loaded {loaded:,} rows again" if expect_nothing and loaded else None
    rows = f"{loaded:,} raw rows loaded, {quarantined:,} quarantined, {failed} files failed"
    return Stage(name, result, rows, database_mb(workdir), [], {}, [], problem)


def run_dbt(
    workdir: Workdir,
    name: str,
    log: str,
    dbt_args: list[str],
    database: Path | None = None,
    target: Path | None = None,
) -> Stage:
    dbt = Path(sys.executable).with_name("dbt")
    target = target or workdir.target
    command = [str(dbt if dbt.exists() else shutil.which("dbt") or "dbt"), *dbt_args]
    command += ["--target-path", str(target), "--log-path", str(workdir.root / "dbt-logs")]
    env = dict(os.environ, TW_DUCKDB_PATH=str(database or workdir.database), DBT_PROFILES_DIR=str(PROJECT))
    run_results = target / "run_results.json"
    run_results.unlink(missing_ok=True)  # so a command that fails to start is not credited with the last one's work
    result = measure(command, workdir.log(log), cwd=PROJECT, env=env)
    if not run_results.exists():
        return Stage(name, result, "-", database_mb(workdir), [], {}, [], "failed before any node ran")
    kept = workdir.root / f"run_results-{log}.json"
    shutil.copyfile(run_results, kept)
    counts, not_ok = dbt_counts(kept)
    rows = ", ".join(f"{count} {kind}s" for kind, count in counts.items())
    problem = None
    if result.returncode or not_ok:
        statuses = ", ".join(f"{n} {status}" for status, n in not_ok.items())
        problem = f"exit {result.returncode}: {statuses} ({', '.join(broken_nodes(kept))})"
    tested = test_seconds_by_model(kept, target / "manifest.json", 5)
    return Stage(
        name, result, rows, database_mb(workdir), slowest_models(kept, 5), seconds_by_type(kept), tested, problem
    )


def print_table(stages: list[Stage]) -> None:
    header = f"{'stage':<34} {'wall s':>8} {'CPU s':>8} {'peak RSS MiB':>13} {'DB MB':>8}  rows"
    print(header)
    print("-" * len(header))
    for stage in stages:
        db = f"{stage.database_mb:,.1f}" if stage.database_mb is not None else "-"
        result = stage.measurement
        line = (
            f"{stage.name:<34} {result.seconds:>8.1f} {result.cpu_seconds:>8.1f} {result.peak_rss_mib:>13.1f} {db:>8}"
        )
        print(f"{line}  {stage.rows}" + (f"  PROBLEM: {stage.problem}" if stage.problem else ""))
    for stage in stages:
        if stage.slowest:
            print(f"\nslowest models in '{stage.name}':")
            for model, seconds in stage.slowest:
                print(f"  {seconds:>8.1f} s  {model}")
            print("  node seconds by type: " + node_seconds_text(stage.node_seconds))
        if stage.slowest_tested:
            print(f"models whose data tests took longest in '{stage.name}':")
            for model, materialized, tests, seconds in stage.slowest_tested:
                print(f"  {seconds:>8.1f} s  {tests:>3} tests on {model} ({materialized})")


def next_day_by_folder(workdir: Workdir) -> list[tuple[str, float, float]]:
    """Where the next-day run's time goes: node seconds of stage 7 and of stage 10 (--empty, the
    same nodes without data) per model folder, tests with the model they test, sorted by what
    the data adds (stage 7 minus stage 10). Empty when either stage left no run_results."""
    incremental = workdir.root / "run_results-7-dbt-build-incremental.json"
    empty = workdir.root / "run_results-10-dbt-empty.json"
    manifest = workdir.target / "manifest.json"
    if not (incremental.exists() and empty.exists() and manifest.exists()):
        return []
    with_data, without = seconds_by_folder(incremental, manifest), seconds_by_folder(empty, manifest)
    rows = [(group, with_data.get(group, 0.0), without.get(group, 0.0)) for group in with_data.keys() | without.keys()]
    return sorted(rows, key=lambda row: (row[2] - row[1], row[0]))


def print_next_day_by_folder(rows: list[tuple[str, float, float]]) -> None:
    if not rows:
        return
    print("\nnode seconds of the next-day run by folder (tests with their model): stage 7, --empty, the data's share")
    for group, with_data, without in rows:
        print(f"  {with_data:>8.1f} {without:>8.1f} {with_data - without:>8.1f}  {group}")
    total_with, total_without = sum(row[1] for row in rows), sum(row[2] for row in rows)
    print(f"  {total_with:>8.1f} {total_without:>8.1f} {total_with - total_without:>8.1f}  all")


def run_pipeline(workdir: Workdir, args: argparse.Namespace) -> list[Stage]:
    def full_build() -> Stage:
        move_first_batch_back_one_day(workdir)
        return run_dbt(workdir, "4 dbt build (full)", "4-dbt-build", SCHEDULED_BUILD)

    def full_refresh() -> Stage:
        shutil.copyfile(workdir.database, workdir.full_refresh_database)
        return run_dbt(
            workdir,
            "8 dbt build --full-refresh",
            "8-dbt-full-refresh",
            [*SCHEDULED_BUILD, "--full-refresh"],
            workdir.full_refresh_database,
            workdir.full_refresh_target,
        )

    incremental_build = list(SCHEDULED_BUILD)
    if args.lookback_hours is not None:
        incremental_build += ["--vars", json.dumps({"tp_incremental_lookback_hours": args.lookback_hours})]
    steps: list[Callable[[], Stage]] = [
        lambda: run_generate(workdir, args),
        lambda: run_ingestion(workdir, "2 ingestion", "2-ingest", expect_nothing=False),
        lambda: run_ingestion(workdir, "3 ingestion again (no-op)", "3-ingest-again", expect_nothing=True),
        full_build,
        lambda: run_generate(workdir, args, next_day=True),
        lambda: run_ingestion(workdir, "6 ingestion of the next day", "6-ingest-next-day", expect_nothing=False),
        lambda: run_dbt(workdir, "7 dbt build (incremental)", "7-dbt-build-incremental", incremental_build),
        *([] if args.no_full_refresh else [full_refresh]),
        lambda: run_floor(workdir),
        lambda: run_fixed_cost(workdir, incremental_build),
    ]
    stages: list[Stage] = []
    for step in steps:
        stage = replace(step(), load_after=os.getloadavg()[0])
        stages.append(stage)
        problem = f" - PROBLEM: {stage.problem}" if stage.problem else ""
        result = stage.measurement
        print(f"{stage.name}: {result.seconds:.1f} s, {result.peak_rss_mib:.0f} MiB, {stage.rows}{problem}", flush=True)
        # A stage that ran nothing leaves nothing for the next one; dbt test failures do not stop us.
        if result.returncode != 0 and not stage.slowest:
            print(f"stopping after a failed stage: see the logs in {workdir.root / 'logs'}", file=sys.stderr)
            break
    return stages


def prepare_workdir(requested: Path | None) -> tuple[Workdir, bool]:
    """The work folder and whether this run created it as a temporary folder."""
    if requested is None:
        return Workdir(Path(tempfile.mkdtemp(prefix="tw-benchmark-"))), True
    root = requested.resolve()
    if root == PROJECT or PROJECT in root.parents:
        raise SystemExit("--workdir must be outside the project folder")
    if root.exists() and any(root.iterdir()):
        raise SystemExit(f"--workdir {root} is not empty; the benchmark needs a fresh database and landing folder")
    root.mkdir(parents=True, exist_ok=True)
    return Workdir(root), False


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.run", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--web-events", type=int, default=200_000, help="about this many web events (default 200,000)")
    parser.add_argument("--accounts", type=int, default=300, help="CRM accounts in the demo data (default 300)")
    parser.add_argument("--seed", type=int, default=7, help="random seed of the demo data (default 7)")
    parser.add_argument("--workdir", type=Path, help="empty folder to work in (kept); default: a temporary folder")
    parser.add_argument("--keep", action="store_true", help="keep the temporary work folder (exports, database, logs)")
    parser.add_argument(
        "--lookback-hours", type=float, help="tp_incremental_lookback_hours of stage 7 (default: the var)"
    )
    parser.add_argument("--no-readme", action="store_true", help="print only; do not refresh benchmarks/README.md")
    parser.add_argument(
        "--no-full-refresh",
        action="store_true",
        help="leave out stage 8 and the incremental == full-refresh check (a third build at 10M; checked at 1M)",
    )
    return parser.parse_args(argv)


def stage_cpu(stages: list[Stage], prefix: str) -> float | None:
    found = [stage for stage in stages if stage.name.startswith(prefix) and not stage.problem]
    return found[0].measurement.cpu_seconds if found else None


def summarize(workdir: Workdir, stages: list[Stage]) -> dict:
    """CPU ratios (incremental / full, full / floor) and the incremental == full-refresh check."""
    full, incremental, floor = stage_cpu(stages, "4 "), stage_cpu(stages, "7 "), stage_cpu(stages, "9 ")
    fixed = stage_cpu(stages, "10 ")
    summary: dict = {
        "incremental_over_full": incremental / full if full and incremental is not None else None,
        "full_over_floor": full / floor if full and floor else None,
        "fixed_over_full": fixed / full if full and fixed is not None else None,
        "differences": None,
    }
    if workdir.full_refresh_database.exists() and stage_cpu(stages, "8 ") is not None:
        summary["differences"] = compare(str(workdir.database), str(workdir.full_refresh_database))
    return summary


def print_summary(summary: dict) -> None:
    for key, label in (
        ("incremental_over_full", "incremental / full build CPU"),
        ("full_over_floor", "full build / floor CPU"),
        ("fixed_over_full", "fixed cost (--empty) / full build CPU"),
    ):
        value = summary[key]
        print(f"{label}: " + (f"{value:.3f}" if value is not None else "not measured"))
    differences = summary["differences"]
    if differences is None:
        reason = "--no-full-refresh" if summary.get("equality_skipped") else "a stage failed"
        print(f"incremental == full refresh: not checked ({reason})")
    elif differences:
        print("incremental != full refresh:\n  " + "\n  ".join(differences))
    else:
        print("incremental == full refresh on every dbt-built table (row counts and checksums)")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    workdir, temporary = prepare_workdir(args.workdir)
    environment = describe_environment()
    print(f"{environment.machine}; load average {environment.load_before}; work folder {workdir.root}", flush=True)
    stages: list[Stage] = []
    summary: dict = {"differences": None}
    try:
        # the project's pipeline lock: no benchmark while a pipeline run writes (and competes for CPU)
        with pipeline_lock("python -m benchmarks.run (make benchmark)"):
            stages = run_pipeline(workdir, args)
        environment = environment.finished()
        summary = summarize(workdir, stages) | {"equality_skipped": args.no_full_refresh}
        print()
        print_table(stages)
        print_next_day_by_folder(next_day_by_folder(workdir))
        print()
        print_summary(summary)
        (workdir.root / "summary.json").write_text(json.dumps(summary, indent=2))
        if not args.no_readme:
            update_readme(README, args.web_events, args.accounts, args.seed, stages, environment, summary)
            print(f"\nresults written to {README.relative_to(PROJECT)}")
    finally:
        if temporary and not args.keep:
            shutil.rmtree(workdir.root, ignore_errors=True)
        else:
            print(f"work folder kept: {workdir.root}")
    failed = not stages or any(stage.problem for stage in stages)
    unchecked = summary["differences"] is None and not args.no_full_refresh
    return 1 if failed or unchecked or summary["differences"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
