"""Name the rows behind a failed data test.

The singular tests (tests/dbt: reconciliations across models) store the rows that fail them
(`store_failures`, dbt_project.yml) in schema dbt_test__audit. After a failed run,
`print_failing_rows` reads the newest dbt run_results.json, and for each failed test that
stored its failures prints the first rows, so the operator sees which conversion, account or
file broke the invariant without re-running the test by hand.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import duckdb


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


def print_failing_rows(db_path: Path, target_dir: Path, since: float = 0.0, limit: int = 5) -> None:
    """After a failed run: each failed test of the newest dbt invocation (under dbt's target
    folder, written after `since`) with its first `limit` failing rows, read from `db_path`."""
    run_results = newest_run_results(target_dir, since)
    if run_results is None or not db_path.exists():
        return
    failed = failed_tests(run_results)
    if not failed:
        return
    print(f"\n=== Failed data tests ({len(failed)}) ===")
    with duckdb.connect(str(db_path), read_only=True) as con:
        for test in failed:
            print(f"\n{test.name}: {test.failures} failing rows")
            if not test.relation_name:
                print("  (this test does not store its rows: run it with dbt test --store-failures)")
                continue
            try:
                frame = con.execute(f"select * from {test.relation_name} limit {int(limit)}").fetchdf()
            except duckdb.Error as error:
                print(f"  (could not read {test.relation_name}: {error})")
                continue
            print(frame.to_string(index=False))
            print(f"  all of them: select * from {test.relation_name}")
