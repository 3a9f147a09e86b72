"""Compare two exports of the same tables (Parquet folders, one per table), e.g. DuckDB vs Spark.

Per table: row counts, then the rows as a multiset after normalising types (integers as
bigint, decimals and floats as doubles rounded to 9 decimals, timestamps as UTC timestamps),
with an order-independent checksum; on a mismatch the differing rows are printed key by key
(the first column is the key of every compared table).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

DECIMALS = 9
INTEGER_TYPES = {"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT"}
FLOAT_TYPES = {"FLOAT", "DOUBLE", "REAL"}
SHOWN_DIFFERENCES = 10


@dataclass
class TableComparison:
    table: str
    left_rows: int
    right_rows: int
    left_checksum: int
    right_checksum: int
    only_left: int
    only_right: int
    problem: str | None = None

    @property
    def equal(self) -> bool:
        return self.problem is None and self.only_left == 0 and self.only_right == 0

    def line(self, left: str, right: str) -> str:
        status = "ok" if self.equal else "DIFFERENT"
        text = (
            f"{status:<9} {self.table:<48} rows {left} {self.left_rows:>7} {right} {self.right_rows:>7}"
            f"  checksum {'equal' if self.left_checksum == self.right_checksum else 'differs'}"
        )
        if not self.equal:
            text += f"  ({self.problem or f'{self.only_left} rows only in {left}, {self.only_right} only in {right}'})"
        return text


def _normalised_columns(con: duckdb.DuckDBPyConnection, view: str) -> dict[str, str]:
    """column -> normalising expression."""
    columns = {}
    for name, type_ in con.execute(f"select column_name, data_type from (describe {view})").fetchall():
        quoted = '"' + name.replace('"', '""') + '"'
        base = type_.split("(")[0].upper()
        if base in INTEGER_TYPES:
            expression = f"cast({quoted} as bigint)"
        elif base in FLOAT_TYPES or base == "DECIMAL":
            # + 0.0 turns -0.0 into 0.0
            expression = f"round(cast({quoted} as double), {DECIMALS}) + 0.0"
        elif base.startswith("TIMESTAMP"):
            expression = f"cast({quoted} as timestamp)"
        else:
            expression = quoted
        columns[name] = f"{expression} as {quoted}"
    return columns


def compare_table(con: duckdb.DuckDBPyConnection, table: str, left_dir: Path, right_dir: Path) -> TableComparison:
    for side, folder in (("l", left_dir), ("r", right_dir)):
        con.execute(
            f"create or replace temp view raw_{side} as select * from read_parquet('{folder / table}/*.parquet')"
        )
    left_columns = _normalised_columns(con, "raw_l")
    right_columns = _normalised_columns(con, "raw_r")
    counts = [con.execute(f"select count(*) from raw_{side}").fetchone()[0] for side in "lr"]
    if set(left_columns) != set(right_columns):
        missing = sorted(set(left_columns) ^ set(right_columns))
        return TableComparison(table, *counts, 0, 0, 0, 0, problem=f"columns differ: {', '.join(missing)}")
    order = list(left_columns)
    for side, columns in (("l", left_columns), ("r", right_columns)):
        con.execute(
            f"create or replace temp view norm_{side} as select {', '.join(columns[c] for c in order)} from raw_{side}"
        )
    row = "(" + ", ".join('"' + c.replace('"', '""') + '"' for c in order) + ")"
    checksums = [con.execute(f"select coalesce(sum(hash({row})), 0) from norm_{side}").fetchone()[0] for side in "lr"]
    only_left = con.execute("select count(*) from (select * from norm_l except all select * from norm_r)").fetchone()[0]
    only_right = con.execute("select count(*) from (select * from norm_r except all select * from norm_l)").fetchone()[
        0
    ]
    return TableComparison(table, *counts, *checksums, only_left, only_right)


def print_differences(con: duckdb.DuckDBPyConnection, left: str, right: str) -> None:
    """The differing rows of the last compared table, key by key (first column)."""
    columns = [name for name, *_ in con.execute("describe norm_l").fetchall()]
    key = '"' + columns[0] + '"'
    diff = con.execute(
        f"""
        with only_l as (select * from norm_l except all select * from norm_r),
             only_r as (select * from norm_r except all select * from norm_l)
        select '{left}' as side, * from only_l
        union all
        select '{right}' as side, * from only_r
        order by {key}, side
        limit {4 * SHOWN_DIFFERENCES}
        """
    ).fetchall()
    by_key: dict[object, dict[str, list[tuple]]] = {}
    for side, *values in diff:
        by_key.setdefault(values[0], {}).setdefault(side, []).append(tuple(values))
    for shown, (key_value, sides) in enumerate(by_key.items()):
        if shown == SHOWN_DIFFERENCES:
            print("      ...")
            break
        lefts, rights = sides.get(left, []), sides.get(right, [])
        if len(lefts) == 1 and len(rights) == 1:
            changed = [
                f"{name}: {a!r} vs {b!r}" for name, a, b in zip(columns, lefts[0], rights[0], strict=True) if a != b
            ]
            print(f"      {columns[0]}={key_value!r}: " + "; ".join(changed))
        else:
            for side, rows in ((left, lefts), (right, rights)):
                for values in rows:
                    print(f"      only in {side}: {dict(zip(columns, values, strict=True))}")


def compare(tables: list[str], left_dir: Path, right_dir: Path, left: str, right: str) -> list[TableComparison]:
    results = []
    with duckdb.connect() as con:
        con.execute("set TimeZone = 'UTC'")
        for table in tables:
            result = compare_table(con, table, left_dir, right_dir)
            print("  " + result.line(left, right), flush=True)
            if not result.equal and result.problem is None:
                print_differences(con, left, right)
            results.append(result)
    return results
