"""Ingestion loads each file's content exactly once, all or nothing, and reconciles its rows."""

from __future__ import annotations

import gzip
from pathlib import Path

import duckdb
import pytest

from orchestration.ingestion import load
from orchestration.ingestion.load import ingest_file, ingest_landing_folder
from orchestration.ingestion.staging import StagedLoad
from tests.python.samples import ACCOUNTS_CSV

CONTACTS_CSV = """\
Id,AccountId,Email,CreatedDate
003A,001A,ana@acme.io,2026-03-05T15:00:00Z
"""


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _scalar(db_path: Path, sql: str) -> object:
    with duckdb.connect(str(db_path), read_only=True) as con:
        return con.execute(sql).fetchone()[0]


def test_same_file_twice_is_loaded_once(landing: Path, db_path: Path) -> None:
    _write(landing, "crm_accounts_2026-03.csv", ACCOUNTS_CSV)
    first = ingest_landing_folder(landing, db_path)
    second = ingest_landing_folder(landing, db_path)

    assert [f.status for f in first.files] == ["loaded"]
    assert (first.files[0].rows_read, first.files[0].rows_loaded, first.files[0].rows_quarantined) == (3, 2, 1)
    assert [f.status for f in second.files] == ["skipped"]
    assert second.files[0].rows_loaded == 0
    assert _scalar(db_path, "select count(*) from raw.crm_accounts") == 2
    assert _scalar(db_path, "select count(*) from raw.quarantine") == 1
    assert _scalar(db_path, "select count(*) from raw.load_manifest") == 1


def test_same_content_under_another_name_is_skipped(landing: Path, db_path: Path) -> None:
    _write(landing, "crm_accounts_a.csv", ACCOUNTS_CSV)
    _write(landing, "crm_accounts_b.csv", ACCOUNTS_CSV)
    report = ingest_landing_folder(landing, db_path)
    assert [(f.file_name, f.status) for f in report.files] == [
        ("crm_accounts_a.csv", "loaded"),
        ("crm_accounts_b.csv", "skipped"),
    ]
    assert _scalar(db_path, "select count(*) from raw.crm_accounts") == 2


def test_corrected_file_under_a_new_name_loads(landing: Path, db_path: Path) -> None:
    _write(landing, "crm_accounts.csv", ACCOUNTS_CSV)
    ingest_landing_folder(landing, db_path)
    _write(landing, "crm_accounts_corrected.csv", ACCOUNTS_CSV.replace(",lots,", ",900,"))
    report = ingest_landing_folder(landing, db_path)

    assert [(f.status, f.rows_loaded, f.rows_quarantined) for f in report.files] == [
        ("skipped", 0, 0),
        ("loaded", 3, 0),
    ]
    assert _scalar(db_path, "select count(*) from raw.crm_accounts") == 5
    assert _scalar(db_path, "select count(distinct _file_hash) from raw.crm_accounts") == 2
    assert _scalar(db_path, "select count(*) from raw.load_manifest where status = 'loaded'") == 2


def test_rows_read_equals_loaded_plus_quarantined_in_manifest_and_tables(landing: Path, db_path: Path) -> None:
    _write(landing, "crm_accounts.csv", ACCOUNTS_CSV + "001D,Delta\n,NoId,,,2025-11-04T10:00:00Z,false\n")
    _write(landing, "crm_contacts.csv", CONTACTS_CSV)
    report = ingest_landing_folder(landing, db_path)

    for result in report.files:
        assert result.rows_read == result.rows_loaded + result.rows_quarantined
    accounts = report.files[0]
    assert (accounts.rows_read, accounts.rows_loaded, accounts.rows_quarantined) == (5, 2, 3)
    with duckdb.connect(str(db_path), read_only=True) as con:
        manifest = con.execute(
            "select file_name, rows_read, rows_loaded, rows_quarantined from raw.load_manifest order by file_name"
        ).fetchall()
        loaded = con.execute("select count(*) from raw.crm_accounts").fetchone()[0]
        quarantined = con.execute(
            "select count(*) from raw.quarantine where file_name = 'crm_accounts.csv'"
        ).fetchone()[0]
    assert manifest == [("crm_accounts.csv", 5, 2, 3), ("crm_contacts.csv", 1, 1, 0)]
    assert (loaded, quarantined) == (2, 3)
    assert report.counts_by_source()["crm_accounts"]["rows_quarantined"] == 3
    assert report.rows_loaded_by_source() == {"crm_accounts": 2, "crm_contacts": 1}


def test_crash_after_raw_insert_leaves_nothing(landing: Path, db_path: Path, monkeypatch) -> None:
    path = _write(landing, "crm_accounts.csv", ACCOUNTS_CSV)

    def crash(*args, **kwargs):
        raise RuntimeError("simulated crash after the raw insert")

    # the rows and quarantine rows are in the raw tables when the manifest row is written
    monkeypatch.setattr(load, "_record_in_manifest", crash)
    with duckdb.connect(str(db_path)) as con:
        with pytest.raises(RuntimeError, match="simulated crash"):
            ingest_file(con, path)
        assert con.execute("select count(*) from raw.crm_accounts").fetchone()[0] == 0
        assert con.execute("select count(*) from raw.quarantine").fetchone()[0] == 0
        assert con.execute("select count(*) from raw.load_manifest").fetchone()[0] == 0


def test_crash_in_a_later_chunk_rolls_back_earlier_chunks(landing: Path, db_path: Path, monkeypatch) -> None:
    _write(landing, "crm_accounts.csv", ACCOUNTS_CSV)
    _write(landing, "crm_contacts.csv", CONTACTS_CSV)
    real_add_rows = StagedLoad.add_rows
    calls = {"crm_accounts": 0}

    def crash_on_second_accounts_chunk(self, rows):
        if self.source.name == "crm_accounts":
            calls["crm_accounts"] += 1
            if calls["crm_accounts"] == 2:
                raise RuntimeError("simulated crash in chunk 2")
        real_add_rows(self, rows)

    monkeypatch.setattr(StagedLoad, "add_rows", crash_on_second_accounts_chunk)
    report = ingest_landing_folder(landing, db_path, chunk_size=1)

    assert [(f.file_name, f.status) for f in report.files] == [
        ("crm_accounts.csv", "failed"),
        ("crm_contacts.csv", "loaded"),
    ]
    assert "simulated crash in chunk 2" in report.files[0].error
    assert _scalar(db_path, "select count(*) from raw.crm_accounts") == 0
    assert _scalar(db_path, "select count(*) from raw.load_manifest where file_name = 'crm_accounts.csv'") == 0
    assert _scalar(db_path, "select count(*) from raw.crm_contacts") == 1

    monkeypatch.setattr(StagedLoad, "add_rows", real_add_rows)  # the next run loads the file
    rerun = ingest_landing_folder(landing, db_path)
    assert [f.status for f in rerun.files] == ["loaded", "skipped"]
    assert _scalar(db_path, "select count(*) from raw.crm_accounts") == 2


def test_failed_files_do_not_stop_the_others(landing: Path, db_path: Path) -> None:
    (landing / "calls_garbage.csv").write_bytes(bytes(range(256)) * 4)
    (landing / "crm_accounts_truncated.csv.gz").write_bytes(gzip.compress(ACCOUNTS_CSV.encode() * 50)[:80])
    _write(landing, "crm_contacts_no_created_date.csv", "Id,Email\n003A,ana@acme.io\n")
    _write(landing, "crm_contacts_ok.csv", CONTACTS_CSV)
    _write(landing, "mystery_export.csv", "a,b\n1,2\n")
    _write(landing, "web_events_not_json.jsonl", "this is not\njson at all\n")
    report = ingest_landing_folder(landing, db_path)

    status = {f.file_name: f.status for f in report.files}
    assert status == {
        "calls_garbage.csv": "failed",
        "crm_accounts_truncated.csv.gz": "failed",
        "crm_contacts_no_created_date.csv": "failed",
        "crm_contacts_ok.csv": "loaded",
        "mystery_export.csv": "failed",
        "web_events_not_json.jsonl": "failed",
    }
    errors = {f.file_name: f.error for f in report.failed}
    for name, error in errors.items():
        assert name in error
    assert "CreatedDate" in errors["crm_contacts_no_created_date.csv"]
    assert "unknown source prefix" in errors["mystery_export.csv"]
    assert _scalar(db_path, "select count(*) from raw.crm_contacts") == 1
    assert _scalar(db_path, "select count(*) from raw.crm_accounts") == 0
    assert _scalar(db_path, "select count(*) from raw.quarantine") == 0
    assert _scalar(db_path, "select count(*) from raw.load_manifest where status = 'failed'") == 5
    assert _scalar(db_path, "select max(rows_read) from raw.load_manifest where status = 'failed'") == 0


def test_failed_file_is_retried_and_keeps_every_attempt(landing: Path, db_path: Path) -> None:
    _write(landing, "crm_contacts.csv", "Id,Email\n003A,ana@acme.io\n")
    ingest_landing_folder(landing, db_path)
    report = ingest_landing_folder(landing, db_path)
    assert [f.status for f in report.files] == ["failed"]
    assert _scalar(db_path, "select count(*) from raw.load_manifest where status = 'failed'") == 2


def test_cli_prints_a_summary_per_file(landing: Path, db_path: Path, capsys) -> None:
    from orchestration.ingestion.__main__ import main

    _write(landing, "crm_accounts.csv", ACCOUNTS_CSV)
    assert main(["--landing", str(landing), "--db", str(db_path)]) == 0
    out = capsys.readouterr().out
    assert "loaded" in out and "crm_accounts.csv" in out and "read=3 loaded=2 quarantined=1" in out
