"""Is the incremental warehouse the same as a full refresh? Every dbt-built table, row by row.

    python -m benchmarks.compare INCREMENTAL.duckdb FULL_REFRESH.duckdb

Every table built by dbt (all schemas but raw and the test-failure schema; views are computed
from tables, so they follow; the change set int_interactions_changed holds one run's work and
is left out) is compared as a multiset of rows with the comparison of the
Spark parity check (tests/spark/compare.py, one implementation): integers exact, floats and
decimals as doubles to 9 significant digits (genuine float noise, e.g. a mean over rows added
in another order, stays below that), and rows that differ only in DECIMAL columns by at most
one unit of the column's scale count as equal and are printed. Sums that feed a rounding or a
threshold are order-independent in the models themselves (macro sum_exact), so such rows are
not expected. Prints the tables that differ; exits 1 if any does.
"""

from __future__ import annotations

import sys

import duckdb

from tests.spark.compare import compare_relations, print_differences

SKIPPED_SCHEMA_SUFFIXES = ("dbt_test__audit",)  # stored test failures: test results, not warehouse data
# Bookkeeping of one run, different from a full refresh's by design: the change set of the
# interaction feature chain (what this run recomputed; a full build lists every interaction).
SKIPPED_TABLES = {"int_interactions_changed"}


def tables(con: duckdb.DuckDBPyConnection, database: str) -> set[tuple[str, str]]:
    rows = con.execute(
        "select schema_name, table_name from duckdb_tables() where database_name = ? and schema_name <> 'raw'",
        [database],
    ).fetchall()
    return {
        (schema, table)
        for schema, table in rows
        if not schema.endswith(SKIPPED_SCHEMA_SUFFIXES) and table not in SKIPPED_TABLES
    }


def _quoted(*parts: str) -> str:
    return ".".join('"' + part.replace('"', '""') + '"' for part in parts)


def compare(incremental: str, full_refresh: str) -> list[str]:
    """The differences, one line per table (empty when the two warehouses agree)."""
    with duckdb.connect() as con:
        con.execute("set TimeZone = 'UTC'")
        con.execute(f"attach '{incremental}' as incremental (read_only)")
        con.execute(f"attach '{full_refresh}' as full_refresh (read_only)")
        left_tables, right_tables = tables(con, "incremental"), tables(con, "full_refresh")
        problems = [f"{s}.{t}: only in the incremental warehouse" for s, t in sorted(left_tables - right_tables)]
        problems += [f"{s}.{t}: only in the full refresh" for s, t in sorted(right_tables - left_tables)]
        tolerated = 0
        for schema, table in sorted(left_tables & right_tables):
            result = compare_relations(
                con,
                f"{schema}.{table}",
                _quoted("incremental", schema, table),
                _quoted("full_refresh", schema, table),
            )
            if result.problem is not None:
                problems.append(f"{schema}.{table}: {result.problem}")
            elif result.left_rows != result.right_rows:
                problems.append(
                    f"{schema}.{table}: incremental {result.left_rows:,} rows, full refresh {result.right_rows:,} rows"
                )
            elif not result.equal:
                problems.append(
                    f"{schema}.{table}: same {result.left_rows:,} rows, {result.only_left:,} differ in values"
                )
            if not result.equal or result.within_last_decimal:
                print(result.line("incremental", "full_refresh"))
                if result.problem is None:
                    print_differences(con, "incremental", "full_refresh")
            tolerated += result.within_last_decimal
        print(
            f"compared {len(left_tables & right_tables)} tables"
            + (f" ({tolerated} rows within one unit of a decimal's last digit)" if tolerated else "")
        )
    return problems


def main(argv: list[str]) -> int:
    problems = compare(argv[0], argv[1])
    for line in problems:
        print("DIFFERENT: " + line)
    print("incremental == full refresh" if not problems else f"{len(problems)} tables differ")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
