"""Is the incremental warehouse the same as a full refresh? Row counts and checksums per table.

    python -m benchmarks.compare INCREMENTAL.duckdb FULL_REFRESH.duckdb

Every table built by dbt (all schemas but raw; views are computed from tables, so they follow)
is reduced to (rows, checksum): the sum of a hash of each row, with floating-point columns
rounded to 6 decimals first (sums in another order may differ in the last bits). Order does
not matter. A value whose last bits straddle a rounding boundary (0.45446349999999996 vs
0.4544635000000001) changes the checksum, so a table whose checksums differ is compared again
row by row, sorted, with floats equal within a relative 1e-9. Prints the tables that differ;
exits 1 if any does.
"""

from __future__ import annotations

import math
import sys

import duckdb

FLOAT_TYPES = ("DOUBLE", "FLOAT", "REAL")


def tables(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    return con.execute(
        """
        select table_schema, table_name from information_schema.tables
        where table_type = 'BASE TABLE' and table_schema <> 'raw' and table_catalog = current_database()
        order by 1, 2
        """
    ).fetchall()


def fingerprint(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> tuple[int, int]:
    columns = con.execute(
        "select column_name, data_type from information_schema.columns "
        "where table_schema = ? and table_name = ? and table_catalog = current_database() order by ordinal_position",
        [schema, table],
    ).fetchall()
    terms = [f'round("{name}", 6)' if data_type.upper() in FLOAT_TYPES else f'"{name}"' for name, data_type in columns]
    row_hash = f"hash({', '.join(terms)})" if terms else "0"
    count, checksum = con.execute(
        f'select count(*), coalesce(sum(cast({row_hash} as hugeint)), 0) from "{schema}"."{table}"'
    ).fetchone()
    return count, int(checksum)


def _sorted_rows(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> tuple[list[tuple], list[bool]]:
    columns = con.execute(
        "select column_name, data_type from information_schema.columns "
        "where table_schema = ? and table_name = ? and table_catalog = current_database() order by ordinal_position",
        [schema, table],
    ).fetchall()
    is_float = [data_type.upper() in FLOAT_TYPES for _, data_type in columns]
    exact = [f'"{name}"' for (name, _), flt in zip(columns, is_float, strict=True) if not flt]
    rounded = [f'round("{name}", 3)' for (name, _), flt in zip(columns, is_float, strict=True) if flt]
    order = ", ".join(exact + rounded) or "1"
    return con.execute(f'select * from "{schema}"."{table}" order by {order}').fetchall(), is_float


def same_within_tolerance(
    left: duckdb.DuckDBPyConnection, right: duckdb.DuckDBPyConnection, schema: str, table: str
) -> bool:
    left_rows, is_float = _sorted_rows(left, schema, table)
    right_rows, _ = _sorted_rows(right, schema, table)
    for a, b in zip(left_rows, right_rows, strict=True):
        for x, y, flt in zip(a, b, is_float, strict=True):
            if flt and x is not None and y is not None:
                if not math.isclose(x, y, rel_tol=1e-9, abs_tol=1e-12):
                    return False
            elif x != y:
                return False
    return True


def compare(incremental: str, full_refresh: str) -> list[str]:
    """The differences, one line per table (empty when the two warehouses agree)."""
    with duckdb.connect(incremental, read_only=True) as left, duckdb.connect(full_refresh, read_only=True) as right:
        left_tables, right_tables = set(tables(left)), set(tables(right))
        problems = [f"{s}.{t}: only in the incremental warehouse" for s, t in sorted(left_tables - right_tables)]
        problems += [f"{s}.{t}: only in the full refresh" for s, t in sorted(right_tables - left_tables)]
        for schema, table in sorted(left_tables & right_tables):
            a, b = fingerprint(left, schema, table), fingerprint(right, schema, table)
            if a[0] != b[0]:
                problems.append(f"{schema}.{table}: incremental {a[0]:,} rows, full refresh {b[0]:,} rows")
            elif a != b and not same_within_tolerance(left, right, schema, table):
                problems.append(f"{schema}.{table}: same {a[0]:,} rows, different values")
        print(f"compared {len(left_tables & right_tables)} tables")
    return problems


def main(argv: list[str]) -> int:
    problems = compare(argv[0], argv[1])
    for line in problems:
        print("DIFFERENT: " + line)
    print("incremental == full refresh" if not problems else f"{len(problems)} tables differ")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
