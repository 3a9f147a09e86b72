"""The published layer holds no e-mail address unless TW_PUBLISH_EMAILS=true (issue 11). The
end-to-end demo run (session fixture `pipeline`, conftest.py) has contacts, form submissions,
e-mail events and identify calls with addresses, and a quarantined form row with one; its
publication is scanned table by table and file by file, byte by byte."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from orchestration.publishing import ADDRESS_PATTERN, publish, published_files


def _text_columns(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str, str]]:
    return con.execute(
        "select schema_name, table_name, column_name from duckdb_columns()"
        " where data_type = 'VARCHAR' and database_name = current_database() order by 1, 2, 3"
    ).fetchall()


def demo_addresses(con: duckdb.DuckDBPyConnection) -> set[str]:
    """Every e-mail address anywhere in the raw layer (tables, quarantined records, manifest)."""
    found: set[str] = set()
    for schema, table, column in _text_columns(con):
        if schema != "raw":
            continue
        rows = con.execute(
            f'select distinct unnest(regexp_extract_all(lower("{column}"), ?)) from raw."{table}"',
            [ADDRESS_PATTERN],
        ).fetchall()
        found |= {row[0] for row in rows if "@" in row[0]}
    return found


def published_mentions(target: Path, addresses: set[str]) -> list[str]:
    """Where the published layer of `target` holds an address: any text value of any view or
    Parquet file that looks like an address, and any file whose bytes contain a known one.
    (Parquet pages are compressed, so their bytes rarely hold an address literally: the rows
    of every file are read too.)"""
    found = []
    needles = [address.encode() for address in addresses]
    files = published_files(target)
    assert target in files and any(path.suffix == ".parquet" for path in files)
    for path in files:
        data = path.read_bytes().lower()
        found += [f"bytes of {path}: {n.decode()}" for n in needles if n in data]
        if path.suffix == ".parquet":
            with duckdb.connect() as con:
                quoted = str(path).replace("'", "''")
                con.execute(f"create view published_file as select * from read_parquet('{quoted}')")
                found += [f"{path}: {place}" for place in _value_mentions(con)]
    with duckdb.connect(str(target), read_only=True) as con:
        found += [f"view {place}" for place in _value_mentions(con)]
    return found


def _value_mentions(con: duckdb.DuckDBPyConnection) -> list[str]:
    found = []
    for schema, table, column in _text_columns(con):
        hits = con.execute(
            f'select count(*) from "{schema}"."{table}" where regexp_matches("{column}", ?)', [ADDRESS_PATTERN]
        ).fetchone()[0]
        if hits:
            found.append(f"{schema}.{table}.{column} ({hits} rows)")
    return found


@pytest.fixture(scope="module")
def addresses(pipeline) -> set[str]:
    found = demo_addresses(pipeline["con"])
    assert len(found) > 20  # the demo has people with addresses in several sources
    assert "ana@acme.io" in found  # the quarantined hostile form row's address (conftest.py)
    return found


def test_the_published_layer_holds_no_email_address_by_default(pipeline, addresses):
    target = Path(pipeline["env"]["TW_PUBLISHED_PATH"])
    assert published_mentions(target, addresses) == []
    published = pipeline["published"]
    # the columns that hold addresses are there, null, and say so
    assert published.execute("select count(*), count(email) from marts.dim_contacts").fetchone()[1] == 0
    assert published.execute("select count(example_reason) from marts.mart_quarantined_rows").fetchone() == (0,)
    comment = published.execute(
        "select comment from duckdb_columns() where table_name = 'dim_contacts' and column_name = 'email'"
    ).fetchone()[0]
    assert "TW_PUBLISH_EMAILS" in comment


def test_the_setting_publishes_them_and_the_scan_finds_them(pipeline, addresses, tmp_path):
    """The scan above can fail: with TW_PUBLISH_EMAILS on, the same warehouse publishes addresses."""
    warehouse = pipeline["root"] / "warehouse_after_runs.duckdb"
    target = tmp_path / "published" / "touchpoints.duckdb"
    publish(warehouse, target, publish_emails=True)
    found = published_mentions(target, addresses)
    assert any("dim_contacts.parquet: main.published_file.email" in place for place in found), found
    assert any(place.startswith("view marts.dim_contacts.email") for place in found), found
