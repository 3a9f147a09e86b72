"""Name the rows behind a failed data test.

The singular tests (tests/dbt: reconciliations across models) store the rows that fail them
(`store_failures`, dbt_project.yml) in schema dbt_test__audit. After a failed run,
`print_failing_rows` reads the newest dbt run_results.json, and for each failed test that
stored its failures prints the first rows, so the operator sees which conversion, account or
file broke the invariant without re-running the test by hand.

The rows are read where the run's engine stored them: the DuckDB warehouse file, or on the
Spark target (TW_TARGET=spark) the Parquet files of local Spark's table
(TW_SPARK_DIR/tables/dbt_test__audit.db/<test>/), the same source publishing reads
(`publishing.mart_source()`). On a Spark cluster (Thrift, Spark Connect, Databricks) the table
is in the cluster's metastore: the printed `select` names it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import duckdb

from orchestration.publishing import create_spark_table_view


@dataclass(frozen=True)
class FailedTest:
    name: str
    failures: int
    relation_name: str | None  # where dbt stored the failing rows, when the test stores them


def newest_run_results(target_dir: Path, since: float = 0.0) -> Path | None:
    """dagster-dbt gives each invocation its own folder under target/: the newest results."""
    candidates = [p for p in target_dir.rglob("run_results.json") if p.stat().st_mtime >= since]
    return max(candidates, key=lambda p: p.stat().st_mtime) if candidates else None


def failed_tests(run_results: Path) -> list[FailedTest]:
    failed = []
    for result in json.loads(run_results.read_text())["results"]:
        if result["unique_id"].startswith("test.") and result["status"] in ("fail", "error"):
            name = result["unique_id"].split(".")[2]
            failed.append(FailedTest(name, int(result.get("failures") or 0), result.get("relation_name")))
    return failed


def split_relation(relation_name: str) -> tuple[str, str]:
    """(schema, table) of a relation name as dbt writes it in run_results.json: `"db"."schema"."t"`
    on DuckDB, `schema.t` on Spark (quotes, backticks and a database part dropped)."""
    parts = [part.strip('"`') for part in relation_name.split(".")]
    return parts[-2], parts[-1]


def print_failing_rows(source: Path, target_dir: Path, since: float = 0.0, limit: int = 5) -> None:
    """After a failed run: each failed test of the newest dbt invocation (under dbt's target
    folder, written after `since`) with its first `limit` failing rows, read from `source`: the
    DuckDB warehouse file, or local Spark's table folder (`publishing.mart_source()`)."""
    run_results = newest_run_results(target_dir, since)
    if run_results is None or not source.exists():
        return
    failed = failed_tests(run_results)
    if not failed:
        return
    print(f"\n=== Failed data tests ({len(failed)}) ===")
    spark = source.is_dir()
    with duckdb.connect(":memory:" if spark else str(source), read_only=not spark) as con:
        if spark:
            con.execute("set TimeZone = 'UTC'")
        for test in failed:
            print(f"\n{test.name}: {test.failures} failing rows")
            if not test.relation_name:
                print("  (this test does not store its rows: run it with dbt test --store-failures)")
                continue
            relation = test.relation_name
            try:
                if spark:
                    schema, name = split_relation(test.relation_name)
                    create_spark_table_view(con, source, schema, name)
                    relation = f'"{schema}"."{name}"'
                frame = con.execute(f"select * from {relation} limit {int(limit)}").fetchdf()
            except (duckdb.Error, FileNotFoundError) as error:
                print(f"  (could not read {test.relation_name} from {source}: {error})")
                print(f"  on the engine of the run: select * from {test.relation_name}")
                continue
            print(frame.to_string(index=False))
            where = f" (Spark's table files: {source})" if spark else ""
            print(f"  all of them: select * from {test.relation_name}{where}")
