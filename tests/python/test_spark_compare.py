"""The parity comparison of `make test-spark` (tests/spark/compare.py): exact, except DECIMAL
columns within one unit of their scale (the stated tolerance)."""

from __future__ import annotations

from pathlib import Path

import duckdb

from tests.spark.compare import ENGINE_SPECIFIC_COLUMNS, compare


def _write(folder: Path, rows: list[tuple], columns: str = "cost decimal(18, 2), share double") -> None:
    (folder / "t").mkdir(parents=True)
    with duckdb.connect() as con:
        con.execute(f"create table t (id varchar, {columns})")
        con.executemany("insert into t values (?, ?, ?)", rows)
        con.execute(f"copy t to '{folder / 't' / 'part.parquet'}' (format parquet)")


def _equal(tmp_path: Path, left: list[tuple], right: list[tuple]) -> bool:
    _write(tmp_path / "l", left)
    _write(tmp_path / "r", right)
    (result,) = compare(["t"], tmp_path / "l", tmp_path / "r", "duckdb", "spark")
    return result.equal


def test_identical_tables_are_equal(tmp_path: Path) -> None:
    rows = [("a", 1964.07, 0.25), ("b", None, 0.75)]
    assert _equal(tmp_path, rows, rows)


def test_a_decimal_one_cent_apart_is_within_tolerance(tmp_path: Path) -> None:
    assert _equal(tmp_path, [("a", 1964.07, 0.25), ("b", 1.0, 0.75)], [("a", 1964.08, 0.25), ("b", 1.0, 0.75)])


def test_within_tolerance_with_nulls_in_other_decimal_columns(tmp_path: Path) -> None:
    _write(tmp_path / "l", [("a", 938.98, None)], "cost decimal(18, 2), other decimal(18, 2)")
    _write(tmp_path / "r", [("a", 938.97, None)], "cost decimal(18, 2), other decimal(18, 2)")
    (result,) = compare(["t"], tmp_path / "l", tmp_path / "r", "duckdb", "spark")
    assert result.equal and result.within_last_decimal == 1


def test_two_cents_apart_differ(tmp_path: Path) -> None:
    assert not _equal(tmp_path, [("a", 1964.07, 0.25)], [("a", 1964.09, 0.25)])


def test_a_double_is_compared_to_nine_digits(tmp_path: Path) -> None:
    assert _equal(tmp_path / "1", [("a", 1.0, 0.25)], [("a", 1.0, 0.25 + 1e-13)])
    assert not _equal(tmp_path / "2", [("a", 1.0, 0.25)], [("a", 1.0, 0.2500001)])


def test_a_decimal_within_tolerance_does_not_excuse_another_column(tmp_path: Path) -> None:
    assert not _equal(tmp_path, [("a", 1964.07, 0.25)], [("a", 1964.08, 0.5)])


def test_a_missing_row_differs(tmp_path: Path) -> None:
    assert not _equal(tmp_path, [("a", 1.0, 0.25), ("b", 2.0, 0.5)], [("a", 1.0, 0.25)])


def test_engine_specific_columns_are_left_out_when_asked(tmp_path: Path) -> None:
    """A fingerprint differs between engines by design (DuckDB's hash, Spark's xxhash64)."""
    columns = "cost decimal(18, 2), input_fingerprint decimal(38, 0)"
    _write(tmp_path / "l", [("a", 1.0, 123)], columns)
    _write(tmp_path / "r", [("a", 1.0, -456)], columns)
    (compared,) = compare(["t"], tmp_path / "l", tmp_path / "r", "duckdb", "spark")
    (ignoring,) = compare(["t"], tmp_path / "l", tmp_path / "r", "duckdb", "spark", ENGINE_SPECIFIC_COLUMNS)
    assert (compared.equal, ignoring.equal) == (False, True)
