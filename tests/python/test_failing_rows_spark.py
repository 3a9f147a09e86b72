"""After a failed run on the Spark target, the failing rows come from Spark's stored test
failures (local Spark's table files), not from the DuckDB file (orchestration/test_failures.py).

Spark's table is stood in for by a Parquet file at the place local Spark writes it
(TW_SPARK_DIR/tables/<schema>.db/<table>/part-*.parquet) and dbt's run_results.json by the two
fields read from it, with the relation name as dbt-spark writes it (`schema.table`). The real
Spark path runs in `make test-spark`'s build; this test needs no JVM."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb

from orchestration.test_failures import print_failing_rows, split_relation


def _run_results(target: Path, relation_name: str | None, name: str = "attribution_credits_sum_to_one") -> None:
    target.mkdir(parents=True)
    result = {"unique_id": f"test.touchpoint_warehouse.{name}", "status": "fail", "failures": 2}
    result["relation_name"] = relation_name
    (target / "run_results.json").write_text(json.dumps({"results": [result]}))


def _spark_table(tables: Path, schema: str, name: str) -> None:
    folder = tables / f"{schema}.db" / name
    folder.mkdir(parents=True)
    with duckdb.connect() as con:
        con.execute("set TimeZone = 'UTC'")
        con.execute(
            "copy (select * from (values ('conv_017', 1.5, timestamptz '2026-03-01 10:00:00+00'),"
            " ('conv_042', 0.5, timestamptz '2026-03-02 11:30:00+00')) t(conversion_id, credit_sum, converted_at))"
            f" to '{folder / 'part-00000.snappy.parquet'}' (format parquet)"
        )


def test_relation_names_of_both_engines():
    assert split_relation('"touchpoints"."dbt_test__audit"."t"') == ("dbt_test__audit", "t")
    assert split_relation("dbt_test__audit.t") == ("dbt_test__audit", "t")
    assert split_relation("`dbt_test__audit`.`t`") == ("dbt_test__audit", "t")


def test_failing_rows_are_read_from_sparks_table_files(tmp_path, capsys):
    tables = tmp_path / "spark" / "tables"
    _spark_table(tables, "dbt_test__audit", "attribution_credits_sum_to_one")
    _run_results(tmp_path / "target", "dbt_test__audit.attribution_credits_sum_to_one")

    print_failing_rows(tables, tmp_path / "target")

    out = capsys.readouterr().out
    assert "attribution_credits_sum_to_one: 2 failing rows" in out
    assert "conv_017" in out and "conv_042" in out
    assert "2026-03-02 11:30:00" in out  # Spark's UTC instant, printed in UTC
    assert "all of them: select * from dbt_test__audit.attribution_credits_sum_to_one" in out
    assert str(tables) in out


def test_a_missing_spark_table_says_where_to_look(tmp_path, capsys):
    tables = tmp_path / "spark" / "tables"
    tables.mkdir(parents=True)
    _run_results(tmp_path / "target", "dbt_test__audit.attribution_credits_sum_to_one")

    print_failing_rows(tables, tmp_path / "target")

    out = capsys.readouterr().out
    assert "could not read dbt_test__audit.attribution_credits_sum_to_one" in out
    assert "no Parquet files in" in out
    assert "on the engine of the run: select * from dbt_test__audit.attribution_credits_sum_to_one" in out


def test_a_test_that_stores_no_rows_says_so(tmp_path, capsys):
    tables = tmp_path / "spark" / "tables"
    tables.mkdir(parents=True)
    _run_results(tmp_path / "target", None, name="not_null_fct_touchpoints_touchpoint_id")

    print_failing_rows(tables, tmp_path / "target")

    assert "does not store its rows" in capsys.readouterr().out
