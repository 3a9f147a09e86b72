"""`make test-spark`: the whole project on local Spark equals the DuckDB build of the same input.

Runs in the project venv (DuckDB, the generator, ingestion); dbt on Spark runs in the Spark venv
(`.venv-spark`, requirements-spark.lock) through `python -m orchestration.spark_dbt`.

1. A small demo (with its malformed rows and broken file) is generated; its last web-events
   part is held back as a second batch, with every held meeting re-exported as cancelled
   (those that are then no touchpoint must leave fct_touchpoints without a new row: meta
   replaced_keys; a cancelled meeting of an account engaged on enough days stays one) and
   every MOVED_EVERY-th page view of the first web-events part re-exported two days later (its
   old session changes: the session models recompute from its earliest time, macro
   visitor_window_scope).
2. Batch 1 is ingested into a DuckDB file and mirrored into the lake (orchestration/lake.py).
3. Spark: the seeds and the incremental chains (+fct_touchpoints +int_journey_stages_held
   +mart_attribution_credits), built without tests.
4. Batch 2 is ingested and mirrored; Spark: the same selection again, incrementally (no
   lookback margin); the incremental models are exported.
5. Spark: `dbt build --full-refresh`: every seed, model and unit test (with --data-tests also
   the data tests: they run on DuckDB in `make test`, and the data they check is compared
   table by table below, so the default leaves them out on Spark to save time).
6. DuckDB: `dbt build` on the same raw tables.
7. Compared: every incremental model, incremental vs full refresh on Spark; every mart and
   fact table (and the Markov / Shapley channel tables), Spark vs DuckDB.

Prints one line per step with its wall time, one line per compared table, and closes with
"parity: N passed, N failed". Exit code 1 on any difference.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import os
import shutil
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

from orchestration import settings
from orchestration.ingestion.load import ingest_landing_folder
from orchestration.lake import sync_lake
from tests.spark.compare import ENGINE_SPECIFIC_COLUMNS, compare

PROJECT = settings.PROJECT_DIR
SPARK_PYTHON = PROJECT / ".venv-spark" / "bin" / "python"
INCREMENTAL_SELECTION = "+fct_touchpoints +int_journey_stages_held +mart_attribution_credits"
MOVED_EVERY = 10  # batch 2 re-exports every 10th page view of the first web-events part, two days later
# Every Spark invocation gets the same vars, so dbt's partial parsing is reused between them
# (no lookback margin: the incremental run must find batch 2 by its load time alone).
SPARK_VARS = ["--vars", "{tp_incremental_lookback_hours: 0}"]
EXTRA_COMPARED = ["int_attribution__markov_channels", "int_attribution__shapley_channels"]


class Step:
    """Prints a step, then its wall time."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __enter__(self) -> Step:
        print(f"-- {self.name} ...", flush=True)
        self.started = time.monotonic()
        return self

    def __exit__(self, *exc: object) -> None:
        print(f"   {self.name}: {time.monotonic() - self.started:.0f} s", flush=True)


def dbt(work: Path, target: str, *args: str) -> None:
    env = os.environ | {
        "TW_TARGET": target,
        "TW_DUCKDB_PATH": str(work / "warehouse.duckdb"),
        "TW_LAKE_DIR": str(work / "lake"),
        "TW_SPARK_DIR": str(work / "spark"),
        "DBT_PROFILES_DIR": str(PROJECT),
    }
    if target == "spark":
        command = [str(SPARK_PYTHON), "-m", "orchestration.spark_dbt", *args, *SPARK_VARS]
    else:
        command = [str(Path(sys.executable).parent / "dbt"), *args]
    command += ["--target-path", str(work / f"target-{target}"), "--log-path", str(work / f"logs-{target}")]
    result = subprocess.run(command, cwd=PROJECT, env=env, capture_output=True, text=True)
    log = work / f"dbt-{target}.log"
    with log.open("a") as handle:
        handle.write(f"$ {' '.join(args)}\n{result.stdout}\n{result.stderr}\n")
    summary = [line for line in result.stdout.splitlines() if "Done. PASS=" in line or "Completed" in line]
    if summary:
        print("   " + summary[-1].split("|")[-1].strip(), flush=True)
    if result.returncode != 0:
        print(result.stdout[-8000:], result.stderr[-4000:], sep="\n")
        raise SystemExit(f"dbt {' '.join(args)} on {target} failed (full log: {log})")


def export(work: Path, target: str, models: list[str], directory: Path) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    arguments = json.dumps({"models": models, "directory": str(directory)})
    dbt(work, target, "run-operation", "export_relations_to_parquet", "--args", arguments)


def compared_models(work: Path) -> list[str]:
    """Every model under models/marts, plus the data-driven attribution tables."""
    manifest = json.loads((work / "target-duckdb" / "manifest.json").read_text())
    marts = sorted(
        node["name"]
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model"
        and node["original_file_path"].startswith("models/marts/")
        and node["config"].get("enabled", True)
    )
    return marts + EXTRA_COMPARED


def incremental_models(work: Path) -> list[str]:
    manifest = json.loads((work / "target-spark" / "manifest.json").read_text())
    return sorted(
        node["name"]
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and node["config"].get("materialized") == "incremental"
    )


def generate(work: Path, accounts: int, seed: int) -> tuple[Path, list[Path]]:
    landing = work / "landing"
    subprocess.run(
        [sys.executable, "-m", "orchestration.demo_data", "--landing", str(landing), "--accounts", str(accounts),
         "--seed", str(seed), "--chunk-rows", "2000"],
        cwd=PROJECT, check=True, capture_output=True,
    )  # fmt: skip
    web_parts = sorted(p for p in landing.iterdir() if p.name.startswith("web_events"))
    if len(web_parts) < 2:
        raise SystemExit("the demo wrote one web-events file; lower --chunk-rows so a second batch exists")
    held_back = work / "batch2"
    held_back.mkdir()
    shutil.move(web_parts[-1], held_back / web_parts[-1].name)
    return landing, [
        held_back / web_parts[-1].name,
        _cancelled_meetings(landing, held_back),
        _moved_page_views(web_parts[0], held_back),
    ]


def _moved_page_views(part: Path, folder: Path) -> Path:
    """A re-export of every MOVED_EVERY-th page view of a web-events part, two days later."""
    pages = []
    with gzip.open(part, "rt") as handle:
        for line in handle:
            try:
                event = json.loads(line)
            except ValueError:  # the demo's deliberately malformed rows: left out
                continue
            if isinstance(event, dict) and event.get("type") == "page" and isinstance(event.get("timestamp"), str):
                pages.append(event)
    path = folder / "web_events_moved.jsonl.gz"
    with gzip.open(path, "wt") as handle:
        for event in pages[::MOVED_EVERY]:
            moved_at = datetime.fromisoformat(event["timestamp"].replace("Z", "+00:00")) + timedelta(days=2)
            handle.write(json.dumps(event | {"timestamp": moved_at.isoformat()}) + "\n")
    return path


def _cancelled_meetings(landing: Path, folder: Path) -> Path:
    """A re-export of every held meeting (touchpoints: reason 'meeting') as cancelled."""
    with (landing / "meetings.csv").open(newline="") as handle:
        reader = csv.DictReader(handle)
        # (None: the demo's deliberately malformed row, with an extra field; left out)
        held = [row for row in reader if row["status"] in ("attended", "booked") and None not in row]
        fields = reader.fieldnames
    path = folder / "meetings_cancelled.csv"
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        writer.writerows(row | {"status": "cancelled"} for row in held)
    return path


def ingest(work: Path, landing: Path) -> None:
    report = ingest_landing_folder(landing, work / "warehouse.duckdb")
    sync = sync_lake(work / "warehouse.duckdb", work / "lake")
    loaded = sum(f.status == "loaded" for f in report.files)
    print(f"   {loaded} file(s) loaded, {sum(f.rows_loaded for f in report.files):,} rows; {sync.summary()}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Spark vs DuckDB parity on a small generated data set.")
    parser.add_argument("--work", type=Path, default=PROJECT / "warehouse" / "spark-parity")
    parser.add_argument("--accounts", type=int, default=30)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--data-tests", action="store_true", help="also run the data tests on Spark")
    parser.add_argument(
        "--quick", action="store_true",
        help="the CI subset: one batch, Spark builds seeds and models once (no incremental run, no unit tests)",
    )  # fmt: skip
    args = parser.parse_args(argv)
    if args.quick and args.data_tests:
        parser.error("--quick leaves every test out on Spark; --data-tests needs the whole run")
    work = args.work.resolve()
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    started = time.monotonic()

    with Step("generate a small demo"):
        landing, batch2 = generate(work, args.accounts, args.seed)
    if args.quick:  # one batch: the held-back part is ingested right away
        for path in batch2:
            shutil.move(path, landing / path.name)
    with Step("ingest batch 1, mirror into the lake" if not args.quick else "ingest, mirror into the lake"):
        ingest(work, landing)
    incremental = [] if args.quick else incremental_run(work, landing, batch2)
    tests = "seeds, models" + ("" if args.quick else ", unit tests") + (", data tests" if args.data_tests else "")
    with Step(f"spark: dbt build --full-refresh ({tests})"):
        excluded = [] if args.data_tests else ["--exclude-resource-type", "test"]
        if args.quick:
            excluded += ["--exclude-resource-type", "unit_test"]
        dbt(work, "spark", "build", "--full-refresh", "--threads", "4", *excluded)
    with Step("duckdb: dbt build"):
        dbt(work, "duckdb", "build")
    tables = compared_models(work)
    with Step("export marts from both engines"):
        export(work, "spark", sorted(set(tables) | set(incremental)), work / "spark-full")
        export(work, "duckdb", tables, work / "duckdb-full")

    results = []
    if incremental:
        print("incremental run vs full refresh, on Spark:")
        results += compare(incremental, work / "spark-incremental", work / "spark-full", "incremental", "full")
    print("Spark vs DuckDB, every mart and fact table:")
    results += compare(
        tables, work / "duckdb-full", work / "spark-full", "duckdb", "spark", ignored_columns=ENGINE_SPECIFIC_COLUMNS
    )
    failed = sum(not r.equal for r in results)
    print(f"total {time.monotonic() - started:.0f} s")
    print(f"parity: {len(results) - failed} passed, {failed} failed")
    return 1 if failed else 0


def incremental_run(work: Path, landing: Path, batch2: list[Path]) -> list[str]:
    """Batch 1 built, batch 2 ingested and built incrementally; the incremental models exported."""
    with Step("spark: seeds and the incremental chain, first build"):
        no_tests = ["--exclude-resource-type", "test", "--exclude-resource-type", "unit_test"]
        dbt(work, "spark", "build", "--select", INCREMENTAL_SELECTION, *no_tests)
    with Step("ingest batch 2, mirror into the lake"):
        for path in batch2:
            shutil.move(path, landing / path.name)
        ingest(work, landing)
    with Step("spark: dbt run (incremental chain, incremental run)"):
        dbt(work, "spark", "run", "--select", INCREMENTAL_SELECTION)
        incremental = incremental_models(work)
        export(work, "spark", incremental, work / "spark-incremental")
    return incremental


if __name__ == "__main__":
    sys.exit(main())
