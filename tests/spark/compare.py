"""Compare two exports of the same tables (Parquet folders, one per table), e.g. DuckDB vs Spark.

Per table: row counts, then the rows as a multiset after normalising types (integers as
bigint, decimals and floats as doubles rounded to 9 decimals, timestamps as UTC timestamps),
with an order-independent checksum (equal counts and checksums count as equal without a row by
row pass); on a mismatch the differing rows are printed key by key
(the first column is the key of every compared table).

Stated tolerance: a DECIMAL(p, s) column (money in the marts' contracts) is a double cast to
s decimals by each engine, and a double that both engines compute within 1e-12 of a tie (x.xx5)
can round to neighbouring values (1964.07 vs 1964.08). So rows that differ only in DECIMAL
columns, each by at most one unit of the column's scale (10^-s), count as equal; every such
row is printed ("within one unit of the last decimal"). Any other difference fails.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

DECIMALS = 9
INTEGER_TYPES = {"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT"}
FLOAT_TYPES = {"FLOAT", "DOUBLE", "REAL"}
SHOWN_DIFFERENCES = 10
# Columns whose values depend on the engine by design: fingerprints summed from row hashes
# (macro row_hash: DuckDB's hash, Spark's xxhash64). Left out when two engines are compared.
ENGINE_SPECIFIC_COLUMNS = ("input_fingerprint",)


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
    within_last_decimal: int = 0  # differing rows that are equal within the stated tolerance

    @property
    def equal(self) -> bool:
        exact = self.only_left == 0 and self.only_right == 0
        tolerated = self.only_left == self.only_right == self.within_last_decimal
        return self.problem is None and (exact or tolerated)

    def line(self, left: str, right: str) -> str:
        status = "ok" if self.equal else "DIFFERENT"
        text = (
            f"{status:<9} {self.table:<48} rows {left} {self.left_rows:>7} {right} {self.right_rows:>7}"
            f"  checksum {'equal' if self.left_checksum == self.right_checksum else 'differs'}"
        )
        if not self.equal:
            text += f"  ({self.problem or f'{self.only_left} rows only in {left}, {self.only_right} only in {right}'})"
        elif self.within_last_decimal:
            text += f"  ({self.within_last_decimal} rows differ within one unit of the last decimal)"
        return text


def _column_types(con: duckdb.DuckDBPyConnection, view: str) -> dict[str, str]:
    rows = con.execute(f"select column_name, column_type from (describe {view})").fetchall()
    return {name: type_.split("(")[0].upper() for name, type_ in rows}


def _normalised(name: str, left_type: str, right_type: str) -> str:
    """The same expression for both sides, from both sides' types: a column that is a float or
    decimal on either engine is compared as a double (DuckDB writes HUGEINT sums as doubles to
    Parquet, Spark has bigint), an integer on both as bigint, timestamps (with or without
    time zone) as UTC timestamps."""
    quoted = '"' + name.replace('"', '""') + '"'
    types = {left_type, right_type}
    if types <= INTEGER_TYPES:
        return f"cast({quoted} as bigint) as {quoted}"
    if types <= INTEGER_TYPES | FLOAT_TYPES | {"DECIMAL"}:
        value = f"cast({quoted} as double)"
        # DECIMALS decimals below 1, DECIMALS significant digits above (sums of many doubles
        # differ in the last bits between engines: 64375.36 may be 64375.3599999999995).
        digits = f"{DECIMALS} - greatest(cast(ceil(log10(abs({value}))) as integer), 0)"
        rounded = f"case when {value} = 0 then 0.0 else round({value}, {digits}) end"
        return f"{rounded} + 0.0 as {quoted}"  # + 0.0 turns -0.0 into 0.0
    if all(t.startswith("TIMESTAMP") for t in types):
        return f"cast({quoted} as timestamp) as {quoted}"
    return quoted


def compare_table(
    con: duckdb.DuckDBPyConnection, table: str, left_dir: Path, right_dir: Path, ignored_columns: tuple = ()
) -> TableComparison:
    return compare_relations(
        con,
        table,
        f"read_parquet('{left_dir / table}/*.parquet')",
        f"read_parquet('{right_dir / table}/*.parquet')",
        ignored_columns,
    )


def compare_relations(
    con: duckdb.DuckDBPyConnection, table: str, left_from: str, right_from: str, ignored_columns: tuple = ()
) -> TableComparison:
    """One table given as two FROM expressions (Parquet files, tables of attached databases),
    compared with the normalisation and the tolerance stated at the top; ignored_columns (e.g.
    ENGINE_SPECIFIC_COLUMNS) are left out on both sides."""
    for side, source in (("l", left_from), ("r", right_from)):
        con.execute(f"create or replace temp view raw_{side} as select * from {source}")
        present = [c for c in ignored_columns if c in _column_types(con, f"raw_{side}")]
        if present:
            left_out = ", ".join('"' + c + '"' for c in present)
            con.execute(f"create or replace temp view raw_{side} as select * exclude ({left_out}) from {source}")
    left_types, right_types = _column_types(con, "raw_l"), _column_types(con, "raw_r")
    counts = [con.execute(f"select count(*) from raw_{side}").fetchone()[0] for side in "lr"]
    if set(left_types) != set(right_types):
        missing = sorted(set(left_types) ^ set(right_types))
        return TableComparison(table, *counts, 0, 0, 0, 0, problem=f"columns differ: {', '.join(missing)}")
    order = list(left_types)
    columns = ", ".join(_normalised(c, left_types[c], right_types[c]) for c in order)
    for side in "lr":
        con.execute(f"create or replace temp view norm_{side} as select {columns} from raw_{side}")
    row = "(" + ", ".join('"' + c.replace('"', '""') + '"' for c in order) + ")"
    checksums = [con.execute(f"select coalesce(sum(hash({row})), 0) from norm_{side}").fetchone()[0] for side in "lr"]
    if counts[0] == counts[1] and checksums[0] == checksums[1]:
        return TableComparison(table, *counts, *checksums, 0, 0)  # same multiset (up to a 64-bit hash)
    only_left = con.execute("select count(*) from (select * from norm_l except all select * from norm_r)").fetchone()[0]
    only_right = con.execute("select count(*) from (select * from norm_r except all select * from norm_l)").fetchone()[
        0
    ]
    tolerated = 0
    if only_left and only_left == only_right:
        tolerated = _within_last_decimal(con, order, _decimal_scales(con, "raw_l") | _decimal_scales(con, "raw_r"))
    return TableComparison(table, *counts, *checksums, only_left, only_right, within_last_decimal=tolerated)


def _decimal_scales(con: duckdb.DuckDBPyConnection, view: str) -> dict[str, int]:
    rows = con.execute(f"select column_name, column_type from (describe {view})").fetchall()
    return {name: int(type_.split(",")[1].rstrip(")")) for name, type_ in rows if type_.upper().startswith("DECIMAL(")}


def _within_last_decimal(con: duckdb.DuckDBPyConnection, order: list[str], scales: dict[str, int]) -> int:
    """Differing rows, paired by key (first column, unique among them), that differ only in
    DECIMAL columns by at most one unit of the column's scale."""
    if not scales:
        return 0
    quoted = {c: '"' + c.replace('"', '""') + '"' for c in order}
    same = {c: f"l.{quoted[c]} is not distinct from r.{quoted[c]}" for c in order}
    conditions = [
        f"({same[c]} or abs(l.{quoted[c]} - r.{quoted[c]}) <= {10.0 ** -scales[c]} + 1e-9)" if c in scales else same[c]
        for c in order[1:]
    ]
    key = quoted[order[0]]
    return con.execute(
        f"""
        with only_l as (select * from norm_l except all select * from norm_r),
             only_r as (select * from norm_r except all select * from norm_l)
        select count(*) from only_l as l inner join only_r as r on l.{key} = r.{key}
        where {" and ".join(conditions) or "true"}
          and (select count(*) from only_l as k where k.{key} = l.{key}) = 1
          and (select count(*) from only_r as k where k.{key} = r.{key}) = 1
        """
    ).fetchone()[0]


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


def compare(
    tables: list[str], left_dir: Path, right_dir: Path, left: str, right: str, ignored_columns: tuple = ()
) -> list[TableComparison]:
    results = []
    with duckdb.connect() as con:
        con.execute("set TimeZone = 'UTC'")
        for table in tables:
            result = compare_table(con, table, left_dir, right_dir, ignored_columns)
            print("  " + result.line(left, right), flush=True)
            if (not result.equal or result.within_last_decimal) and result.problem is None:
                print_differences(con, left, right)
            results.append(result)
    return results
