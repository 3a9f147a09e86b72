"""The published layer: readers holding a connection see each new publication, reads during a
publication never fail or see a half-written relation, the pipeline is never blocked, old
versions go after the grace period."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from orchestration.publishing import CURRENT, VERSIONS, mart_source, publish, remove_old_versions

RELATIONS = ("accounts", "credits")
ROWS = 50_000  # publication n has ROWS + n rows in each relation, every row carrying n


def _build_warehouse(path: Path, publication: int) -> None:
    with duckdb.connect(str(path)) as con:
        con.execute("create schema if not exists marts")
        for name in RELATIONS:
            con.execute(
                f"create or replace table marts.{name} as "
                f"select {publication} as publication, range as row_id from range({ROWS + publication})"
            )
        con.execute("comment on table marts.accounts is 'One row per account.'")
        con.execute("comment on column marts.accounts.publication is 'Which publication wrote the row.'")


def _publish(tmp_path: Path, publication: int, grace_seconds: float = 3600) -> Path:
    warehouse, reader_file = tmp_path / "warehouse.duckdb", tmp_path / "published" / "touchpoints.duckdb"
    _build_warehouse(warehouse, publication)
    return publish(warehouse, reader_file, RELATIONS, source_schema="marts", grace_seconds=grace_seconds)


def test_a_held_connection_sees_the_next_publication(tmp_path):
    _publish(tmp_path, 1)
    reader = duckdb.connect(str(tmp_path / "published" / "touchpoints.duckdb"), read_only=True)
    try:
        assert reader.execute("select max(publication), count(*) from marts.accounts").fetchone() == (1, ROWS + 1)
        _publish(tmp_path, 2)  # the reader still holds its connection: publishing is not blocked
        assert reader.execute("select max(publication), count(*) from marts.accounts").fetchone() == (2, ROWS + 2)
        # a new connection in the same process (DuckDB reuses the open file) sees it too
        again = duckdb.connect(str(tmp_path / "published" / "touchpoints.duckdb"), read_only=True)
        assert again.execute("select max(publication) from marts.credits").fetchone() == (2,)
        again.close()
    finally:
        reader.close()


def test_reader_file_holds_only_the_published_relations_with_their_comments(tmp_path):
    with duckdb.connect(str(tmp_path / "warehouse.duckdb")) as con:
        con.execute("create schema raw; create table raw.quarantine as select 1 as x")
        con.execute("create schema intermediate; create table intermediate.int_x as select 1 as x")
    _publish(tmp_path, 1)
    with duckdb.connect(str(tmp_path / "published" / "touchpoints.duckdb"), read_only=True) as con:
        relations = con.execute(
            "select schema_name || '.' || view_name from duckdb_views() where not internal order by 1"
        ).fetchall()
        assert relations == [("marts.accounts",), ("marts.credits",)]
        assert con.execute("select count(*) from duckdb_tables()").fetchone() == (0,)
        assert con.execute("select comment from duckdb_views() where view_name = 'accounts'").fetchone() == (
            "One row per account.",
        )
        assert con.execute(
            "select comment from duckdb_columns() where table_name = 'accounts' and column_name = 'publication'"
        ).fetchone() == ("Which publication wrote the row.",)


READER = """
import json, os, sys, duckdb
path, stop = sys.argv[1], sys.argv[2]
con = duckdb.connect(path, read_only=True)  # held for the whole run
polls, errors = [], []
while not os.path.exists(stop):
    for name in ("accounts", "credits"):
        try:
            sql = f"select min(publication), max(publication), count(*) from marts.{name}"
            polls.append(con.execute(sql).fetchone())
        except Exception as error:  # any failure is a finding
            errors.append(repr(error))
print(json.dumps({"polls": polls, "errors": errors}))
"""


def test_reads_during_publications_never_fail_or_see_a_half_written_relation(tmp_path):
    _publish(tmp_path, 1)
    stop = tmp_path / "stop"
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(tmp_path / "published" / "touchpoints.duckdb"), str(stop)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        time.sleep(1.0)
        for publication in (2, 3, 4):
            _publish(tmp_path, publication)
            time.sleep(0.5)
    finally:
        stop.touch()
        out, _ = reader.communicate(timeout=60)
    result = json.loads(out)
    assert result["errors"] == []
    polls = result["polls"]
    assert len(polls) > 20
    # every read saw one whole publication: one publication number, and that publication's rows
    assert all(low == high and count == ROWS + low for low, high, count in polls)
    seen = [low for low, _, _ in polls]
    assert seen[0] == 1 and seen[-1] == 4 and seen == sorted(seen)


def test_superseded_versions_are_removed_after_the_grace_period(tmp_path):
    first = _publish(tmp_path, 1)
    second = _publish(tmp_path, 2)
    root = tmp_path / "published"
    assert first.exists(), "superseded a moment ago: still within the grace period"
    (root / VERSIONS / "20200101T000000000000Z.partial").mkdir()  # a crashed export
    os.utime(root / VERSIONS / "20200101T000000000000Z.partial", (0, 0))

    later = time.time() + 7200
    removed = remove_old_versions(root, grace_seconds=3600, now=later)
    assert sorted(removed) == sorted([first.name, "20200101T000000000000Z.partial"])
    assert not first.exists() and second.exists()
    assert (root / CURRENT).resolve() == second.resolve()
    with duckdb.connect(str(root / "touchpoints.duckdb"), read_only=True) as con:
        assert con.execute("select max(publication) from marts.accounts").fetchone() == (2,)


def test_a_failed_export_leaves_the_current_publication_in_place(tmp_path):
    _publish(tmp_path, 1)
    with pytest.raises(duckdb.Error):
        publish(
            tmp_path / "warehouse.duckdb",
            tmp_path / "published" / "touchpoints.duckdb",
            ("accounts", "missing_relation"),
            source_schema="marts",
        )
    with duckdb.connect(str(tmp_path / "published" / "touchpoints.duckdb"), read_only=True) as con:
        assert con.execute("select max(publication) from marts.accounts").fetchone() == (1,)


def test_email_addresses_stay_out_unless_the_setting_allows_them(tmp_path):
    warehouse = tmp_path / "warehouse.duckdb"
    with duckdb.connect(str(warehouse)) as con:
        con.execute("create schema marts")
        con.execute("""
            create table marts.dim_contacts as select * from (values
                ('c1', 'Ana@Acme.io', 'https://x.io/p?e=ana%40acme.io&utm=1', 'diana at home', 3),
                ('c2', null, 'mail ANA@ACME.IO or bob@b.co.uk today', 'no @ here', 4),
                ('c3', null, 'https://a.io/?r=https%3A%2F%2Fx.io%3Fe%3Dana%2540acme.io', '50%40 off', 5)
            ) as t(contact_id, email, page_url, note, visits)
        """)
        con.execute("comment on column marts.dim_contacts.email is 'The address.'")
    target = tmp_path / "published" / "touchpoints.duckdb"

    publish(warehouse, target, ("dim_contacts",), source_schema="marts", publish_emails=False)
    with duckdb.connect(str(target), read_only=True) as con:
        rows = con.execute("select * from marts.dim_contacts order by contact_id").fetchall()
        comment = con.execute("select comment from duckdb_columns() where column_name = 'email'").fetchone()[0]
    assert rows == [
        ("c1", None, "https://x.io/p?e=[email]&utm=1", "diana at home", 3),
        ("c2", None, "mail [email] or [email] today", "no @ here", 4),
        # twice encoded, inside an encoded URL: the mask takes the encoded text around it too
        ("c3", None, "https://a.io/?r=[email]", "50%40 off", 5),
    ]
    assert comment.startswith("The address.") and "TW_PUBLISH_EMAILS" in comment

    publish(warehouse, target, ("dim_contacts",), source_schema="marts", publish_emails=True)
    with duckdb.connect(str(target), read_only=True) as con:
        assert con.execute("select email, page_url from marts.dim_contacts where contact_id = 'c1'").fetchone() == (
            "Ana@Acme.io",
            "https://x.io/p?e=ana%40acme.io&utm=1",
        )


def _spark_table(tables: Path, name: str, table: pa.Table, parts: int = 2) -> None:
    """A table as local Spark writes it: <schema>.db/<name>/part-*.parquet, with _SUCCESS and
    .crc files beside them, timestamps as UTC instants."""
    folder = tables / "marts.db" / name
    folder.mkdir(parents=True)
    size = -(-table.num_rows // parts)
    for part in range(parts):
        pq.write_table(table.slice(part * size, size), folder / f"part-0000{part}-x-c000.snappy.parquet")
        (folder / f".part-0000{part}-x-c000.snappy.parquet.crc").write_bytes(b"crc")
    (folder / "_SUCCESS").write_bytes(b"")


def test_the_spark_target_publishes_from_the_parquet_files_of_sparks_tables(tmp_path, monkeypatch):
    monkeypatch.setenv("TW_TARGET", "spark")
    monkeypatch.setenv("TW_SPARK_DIR", str(tmp_path / "spark"))
    tables = mart_source()
    assert tables == tmp_path / "spark" / "tables"
    instant = datetime(2026, 3, 5, 15, 0, tzinfo=UTC)
    _spark_table(
        tables,
        "accounts",
        pa.table(
            {
                "account_id": ["a1", "a2", "a3"],
                "created_at": pa.array([instant, instant, None], pa.timestamp("us", tz="UTC")),
                "spend": pa.array([Decimal("12.50"), None, Decimal("0.01")], pa.decimal128(18, 2)),
                "note": ["mail ana@acme.io", "plain", None],
            }
        ),
    )
    _spark_table(tables, "credits", pa.table({"credit_id": ["c1"], "credit": [0.25]}), parts=1)

    publish(tables, tmp_path / "published" / "touchpoints.duckdb", RELATIONS, source_schema="marts")

    with duckdb.connect(str(tmp_path / "published" / "touchpoints.duckdb"), read_only=True) as con:
        types = con.execute(
            "select column_name, data_type from duckdb_columns() where table_name = 'accounts'"
        ).fetchall()
        rows = con.execute("select * from marts.accounts order by account_id").fetchall()
        credits = con.execute("select * from marts.credits").fetchall()
    # the same types as a publication from DuckDB: naive UTC timestamps, decimals kept
    assert types == [
        ("account_id", "VARCHAR"),
        ("created_at", "TIMESTAMP"),
        ("spend", "DECIMAL(18,2)"),
        ("note", "VARCHAR"),
    ]
    assert rows == [
        ("a1", datetime(2026, 3, 5, 15, 0), Decimal("12.50"), "mail [email]"),  # addresses masked as from DuckDB
        ("a2", datetime(2026, 3, 5, 15, 0), None, "plain"),
        ("a3", None, Decimal("0.01"), None),
    ]
    assert credits == [("c1", 0.25)]


def test_a_spark_table_not_built_stops_the_publication(tmp_path, monkeypatch):
    monkeypatch.setenv("TW_TARGET", "spark")
    monkeypatch.setenv("TW_SPARK_DIR", str(tmp_path / "spark"))
    _spark_table(mart_source(), "accounts", pa.table({"account_id": ["a1"]}), parts=1)
    with pytest.raises(FileNotFoundError, match="marts.credits"):
        publish(mart_source(), tmp_path / "published" / "touchpoints.duckdb", RELATIONS, source_schema="marts")
    assert not (tmp_path / "published" / CURRENT).exists()
