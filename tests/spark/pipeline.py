"""The main job and the erasure on the Spark target (part of `make test-spark`).

Runs in the project venv; dbt on Spark runs in the Spark venv through scripts/dbt-spark, as
Dagster calls it with TW_TARGET=spark.

1. A small demo (with its malformed rows and broken file) is generated.
2. `python -m orchestration.run` (the Dagster job: ingestion, dbt build, publish) on DuckDB,
   then the same command with TW_TARGET=spark on a copy of DuckDB's raw layer (the same rows
   and load times; ingestion finds nothing new, mirrors the lake, dbt builds every model and
   data test on local Spark, the published layer is written from Spark's tables).
3. Compared: every published relation, Spark's publication vs DuckDB's (same rules as the
   parity test: tests/spark/compare.py).
4. `python -m orchestration.erase` with TW_TARGET=spark erases the CRM contact whose address
   appears in the most raw rows: before, the address is in the lake's and Spark's Parquet files;
   after, the erasure exits 0 (its own check found nothing), and no Parquet file of the lake,
   of Spark's tables or of the published layer holds it.

Prints one line per step with its wall time and closes with "spark pipeline: N passed, N
failed". Exit code 1 on any failure.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb

from orchestration import settings
from orchestration.erase import folder_mentions
from orchestration.published import PUBLISHED_RELATIONS, PUBLISHED_SCHEMA
from orchestration.publishing import CURRENT
from tests.spark.compare import ENGINE_SPECIFIC_COLUMNS, compare
from tests.spark.parity import Step

PROJECT = settings.PROJECT_DIR


def environment(work: Path, engine: str) -> dict[str, str]:
    root = work / engine
    return os.environ | {
        "TW_TARGET": engine,
        "TW_LANDING_DIR": str(work / "landing"),
        "TW_DUCKDB_PATH": str(root / "warehouse.duckdb"),
        "TW_PUBLISHED_PATH": str(root / "published" / "touchpoints.duckdb"),
        "TW_LAKE_DIR": str(root / "lake"),
        "TW_SPARK_DIR": str(root / "spark"),
        "TW_SETTLE_SECONDS": "0",  # written completely just now
    }


def run(work: Path, engine: str, *command: str) -> subprocess.CompletedProcess:
    result = subprocess.run([sys.executable, *command], cwd=PROJECT, env=environment(work, engine),
                            capture_output=True, text=True)  # fmt: skip
    with (work / f"{engine}.log").open("a") as log:
        log.write(f"$ {' '.join(command)}\n{result.stdout}\n{result.stderr}\n")
    return result


def published_tables(work: Path, engine: str) -> Path:
    """The current publication as one folder per relation (the layout compare() reads)."""
    current = work / engine / "published" / CURRENT / PUBLISHED_SCHEMA
    folder = work / f"published-{engine}"
    for name in PUBLISHED_RELATIONS:
        (folder / name).mkdir(parents=True, exist_ok=True)
        shutil.copyfile(current / f"{name}.parquet", folder / name / "data.parquet")
    return folder


def share_raw_layer(work: Path) -> None:
    """The Spark run starts from the DuckDB run's raw layer (its ingestion then loads nothing
    new): the models depend on load times (the journeys' "as of"), which must be the same
    rows for both engines. Only the raw schema is kept: DuckDB's marts are not Spark's."""
    (work / "spark").mkdir()
    shutil.copyfile(work / "duckdb" / "warehouse.duckdb", work / "spark" / "warehouse.duckdb")
    with duckdb.connect(str(work / "spark" / "warehouse.duckdb")) as con:
        schemas = con.execute(
            "select schema_name from duckdb_schemas() where not internal and database_name = current_database() "
            "and schema_name not in ('raw', 'main')"
        ).fetchall()
        for (schema,) in schemas:
            con.execute(f'drop schema "{schema}" cascade')


def most_mentioned_address(work: Path) -> str:
    with duckdb.connect(str(work / "spark" / "warehouse.duckdb"), read_only=True) as con:
        return con.execute(
            """select contacts.email
               from raw.crm_contacts as contacts
               left join raw.form_submissions as submissions on submissions.email = contacts.email
               left join raw.email_events as events on events.recipient = contacts.email
               where contacts.email is not null
               group by 1 order by count(*) desc, 1 limit 1"""
        ).fetchone()[0]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="The main job and the erasure on the Spark target.")
    parser.add_argument("--work", type=Path, default=PROJECT / "warehouse" / "spark-pipeline")
    parser.add_argument("--accounts", type=int, default=20)
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args(argv)
    work = args.work.resolve()
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    started = time.monotonic()
    checks: list[tuple[str, bool, str]] = []

    with Step("generate a small demo"):
        subprocess.run(
            [sys.executable, "-m", "orchestration.demo_data", "--landing", str(work / "landing"),
             "--accounts", str(args.accounts), "--seed", str(args.seed)],
            cwd=PROJECT, check=True, capture_output=True,
        )  # fmt: skip
    for engine in ("duckdb", "spark"):
        if engine == "spark":
            share_raw_layer(work)
        with Step(f"{engine}: python -m orchestration.run (ingest, dbt build, publish)"):
            result = run(work, engine, "-m", "orchestration.run")
            checks.append((f"the job on {engine} succeeds", result.returncode == 0, result.stdout[-3000:]))
            if result.returncode != 0:
                print(result.stdout[-8000:], result.stderr[-4000:], sep="\n")
                return report(checks, started)

    print("the published layer, Spark vs DuckDB:")
    results = compare(
        list(PUBLISHED_RELATIONS),
        published_tables(work, "duckdb"),
        published_tables(work, "spark"),
        "duckdb",
        "spark",
        ignored_columns=ENGINE_SPECIFIC_COLUMNS,
    )
    checks += [(f"published {r.table}: Spark equals DuckDB", r.equal, "") for r in results]

    address = most_mentioned_address(work)
    spark_folders = [work / "spark" / "lake", work / "spark" / "spark"]
    before = folder_mentions(address, spark_folders)
    checks.append(("before the erasure, the lake and Spark's tables hold the address", bool(before), ""))
    with Step("spark: python -m orchestration.erase (lake rewritten, Spark rebuilt, published again)"):
        result = run(work, "spark", "-m", "orchestration.erase", "--email", address)
    checks.append(("the erasure on Spark finds no trace left (exit 0)", result.returncode == 0,
                   result.stdout[-3000:] + result.stderr[-3000:]))  # fmt: skip
    after = folder_mentions(address, [*spark_folders, work / "spark" / "published"])
    checks.append(("after it, no Parquet file of the lake, Spark or the published layer holds it", not after,
                   "\n".join(after[:20])))  # fmt: skip
    return report(checks, started)


def report(checks: list[tuple[str, bool, str]], started: float) -> int:
    for name, passed, detail in checks:
        if not name.startswith("published "):
            print(f"{'ok' if passed else 'FAILED':<9} {name}")
        if not passed and detail:
            print(detail)
    failed = sum(not passed for _, passed, _ in checks)
    print(f"total {time.monotonic() - started:.0f} s")
    print(f"spark pipeline: {len(checks) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
