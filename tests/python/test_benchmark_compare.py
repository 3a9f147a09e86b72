"""benchmarks/compare.py: the incremental warehouse against the full refresh, with the
tolerance of the Spark parity comparison (floats to 9 significant digits, a DECIMAL within one
unit of its scale) and nothing more."""

from __future__ import annotations

from pathlib import Path

import duckdb

from benchmarks.compare import compare


def _warehouse(path: Path, rows: list[tuple], extra_table: bool = False) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(path)) as con:
        con.execute("create schema marts")
        con.execute("create table marts.t (id varchar, cost decimal(18, 2), share double)")
        con.executemany("insert into marts.t values (?, ?, ?)", rows)
        con.execute("create schema raw")
        con.execute("create table raw.ignored as select 1 as x")
        if extra_table:
            con.execute("create table marts.extra as select 1 as x")
    return str(path)


def _differences(tmp_path: Path, left: list[tuple], right: list[tuple], **kwargs: bool) -> list[str]:
    return compare(_warehouse(tmp_path / "inc.duckdb", left), _warehouse(tmp_path / "full.duckdb", right, **kwargs))


def test_same_rows_in_another_order_are_equal(tmp_path: Path) -> None:
    rows = [("a", 1.25, 0.1), ("b", None, 0.2)]
    assert _differences(tmp_path, rows, rows[::-1]) == []


def test_float_noise_is_equal_but_a_real_difference_is_not(tmp_path: Path) -> None:
    assert _differences(tmp_path / "1", [("a", 1.0, 0.1 + 0.2)], [("a", 1.0, 0.3)]) == []
    assert _differences(tmp_path / "2", [("a", 1.0, 0.3)], [("a", 1.0, 0.3001)]) != []


def test_a_cent_apart_is_tolerated_two_cents_are_not(tmp_path: Path) -> None:
    assert _differences(tmp_path / "1", [("a", 938.98, 0.5)], [("a", 938.97, 0.5)]) == []
    assert _differences(tmp_path / "2", [("a", 938.99, 0.5)], [("a", 938.97, 0.5)]) != []


def test_a_missing_row_or_table_differs(tmp_path: Path) -> None:
    assert _differences(tmp_path / "1", [("a", 1.0, 0.5), ("b", 1.0, 0.5)], [("a", 1.0, 0.5)]) != []
    missing = _differences(tmp_path / "2", [("a", 1.0, 0.5)], [("a", 1.0, 0.5)], extra_table=True)
    assert missing == ["marts.extra: only in the full refresh"]
