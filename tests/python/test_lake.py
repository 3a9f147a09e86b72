"""The Parquet lake (the raw layer Spark reads) mirrors exactly the committed files of DuckDB.

Readers take a file's rows only when its manifest entry is in the lake (the view that
macros/spark/register_raw_lake.sql creates on Spark; the same filter is used here in DuckDB).
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from orchestration import lake
from orchestration.ingestion.load import ingest_landing_folder
from orchestration.lake import sync_lake
from tests.python.samples import ACCOUNTS_CSV

MORE_ACCOUNTS_CSV = """\
Id,Name,Website,NumberOfEmployees,CreatedDate,IsDeleted
001D,Delta,https://delta.io,7,2025-11-05T10:00:00.000+0000,false
"""


def _committed_rows(lake_dir: Path, table: str, hash_column: str = "_file_hash") -> list[tuple]:
    """What a Spark reader sees: rows of files with a manifest entry in the lake."""
    raw = lake_dir / "raw"
    with duckdb.connect() as con:
        return con.execute(
            f"select * exclude ({hash_column}) from read_parquet('{raw / table}/*.parquet', union_by_name = true) "
            f"where {hash_column} in (select file_hash from read_parquet('{raw / 'load_manifest'}/*.parquet')) "
            "order by all"
        ).fetchall()


def _data_files(lake_dir: Path, table: str) -> list[Path]:
    return [p for p in (lake_dir / "raw" / table).glob("*.parquet") if p.name != lake.SCHEMA_FILE]


def _duckdb_rows(db_path: Path, table: str, hash_column: str = "_file_hash") -> list[tuple]:
    with duckdb.connect(str(db_path), read_only=True) as con:
        return con.execute(f"select * exclude ({hash_column}) from raw.{table} order by all").fetchall()


@pytest.fixture
def loaded(tmp_path: Path) -> dict:
    landing = tmp_path / "landing"
    landing.mkdir()
    (landing / "crm_accounts_2026-03.csv").write_text(ACCOUNTS_CSV)
    db_path = tmp_path / "warehouse.duckdb"
    ingest_landing_folder(landing, db_path)
    return {"landing": landing, "db": db_path, "lake": tmp_path / "lake"}


def test_lake_holds_the_same_rows_and_quarantine_as_duckdb(loaded):
    report = sync_lake(loaded["db"], loaded["lake"])
    assert len(report.exported) == 1
    assert len(_committed_rows(loaded["lake"], "crm_accounts")) == 2
    assert _committed_rows(loaded["lake"], "crm_accounts") == _duckdb_rows(loaded["db"], "crm_accounts")
    quarantine = _committed_rows(loaded["lake"], "quarantine", "file_hash")
    assert quarantine == _duckdb_rows(loaded["db"], "quarantine", "file_hash")
    assert [row[2] for row in quarantine] == [3]  # Gamma's row, "lots" employees


def test_every_table_is_readable_before_any_file_of_it_is_loaded(loaded):
    sync_lake(loaded["db"], loaded["lake"])
    assert _committed_rows(loaded["lake"], "web_events") == []


def test_sync_is_exactly_once_and_picks_up_new_files(loaded):
    sync_lake(loaded["db"], loaded["lake"])
    assert sync_lake(loaded["db"], loaded["lake"]).exported == []
    (loaded["landing"] / "crm_accounts_2026-04.csv").write_text(MORE_ACCOUNTS_CSV)
    ingest_landing_folder(loaded["landing"], loaded["db"])
    assert len(sync_lake(loaded["db"], loaded["lake"]).exported) == 1
    assert len(_committed_rows(loaded["lake"], "crm_accounts")) == 3


def test_a_crash_before_the_manifest_entry_leaves_nothing_visible(loaded, monkeypatch):
    real_copy = lake._copy

    def crash_on_manifest(con, query, parameters, target):
        if target.parent.name == lake.MANIFEST and target.name != lake.SCHEMA_FILE:
            raise KeyboardInterrupt("killed while committing")
        real_copy(con, query, parameters, target)

    monkeypatch.setattr(lake, "_copy", crash_on_manifest)
    with pytest.raises(KeyboardInterrupt):
        sync_lake(loaded["db"], loaded["lake"])
    assert _data_files(loaded["lake"], "crm_accounts")  # rows written ...
    assert _committed_rows(loaded["lake"], "crm_accounts") == []  # ... but not visible
    monkeypatch.undo()
    assert len(sync_lake(loaded["db"], loaded["lake"]).exported) == 1
    assert len(_committed_rows(loaded["lake"], "crm_accounts")) == 2


def test_a_file_gone_from_the_manifest_is_removed_from_the_lake(loaded):
    sync_lake(loaded["db"], loaded["lake"])
    with duckdb.connect(str(loaded["db"])) as con:
        con.execute("delete from raw.crm_accounts")
        con.execute("delete from raw.quarantine")
        con.execute("delete from raw.load_manifest")
    assert len(sync_lake(loaded["db"], loaded["lake"]).removed) == 1
    assert _committed_rows(loaded["lake"], "crm_accounts") == []
    assert not _data_files(loaded["lake"], "crm_accounts")
