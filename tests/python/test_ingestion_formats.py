"""Input formats: CSV, JSON lines and Parquet, each plain or gzipped; unreadable files fail cleanly."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from orchestration.ingestion.load import ingest_file

CONTACTS_CSV = (
    "Id,AccountId,Email,CreatedDate\n003A,001A, Ana@Acme.io,2026-03-05T15:00:00+01:00\n003B,001A,li@acme.io,bad\n"
)
EXPECTED_CONTACTS = [("003A", "001A", "ana@acme.io", datetime(2026, 3, 5, 14, 0))]


@pytest.fixture
def con() -> Iterator[duckdb.DuckDBPyConnection]:
    with duckdb.connect() as connection:
        yield connection


def _contacts(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    return con.execute("select id, account_id, email, created_date from raw.crm_contacts order by id").fetchall()


def test_gzipped_csv(con, tmp_path: Path) -> None:
    path = tmp_path / "crm_contacts.csv.gz"
    path.write_bytes(gzip.compress(CONTACTS_CSV.encode()))
    result = ingest_file(con, path)
    assert (result.status, result.rows_loaded, result.rows_quarantined) == ("loaded", 1, 1)
    assert _contacts(con) == EXPECTED_CONTACTS


def test_gzipped_json_lines_with_ndjson_extension(con, tmp_path: Path) -> None:
    lines = [
        {"Id": "003A", "AccountId": "001A", "Email": " Ana@Acme.io", "CreatedDate": "2026-03-05T15:00:00+01:00"},
        {"Id": "003B", "CreatedDate": "bad"},
    ]
    path = tmp_path / "crm_contacts_2026.ndjson.gz"
    path.write_bytes(gzip.compress("\n".join(json.dumps(line) for line in lines).encode()))
    result = ingest_file(con, path)
    assert (result.status, result.rows_loaded, result.rows_quarantined) == ("loaded", 1, 1)
    assert _contacts(con) == EXPECTED_CONTACTS


def _web_events_table() -> pa.Table:
    return pa.table(
        {
            "messageId": ["p1", "p2", "p3"],
            "type": ["page", "Identify", "page"],
            "anonymousId": ["a1", None, None],
            "userId": [None, "u2", None],
            "timestamp": pa.array([datetime(2026, 3, 4, 8, 15, 2, tzinfo=UTC)] * 3, pa.timestamp("us", tz="UTC")),
            "context": pa.array([{"page": {"url": "https://x.io/a", "path": "/a"}}, None, None]),
            "traits": pa.array([None, {"email": " Li@Acme.io"}, None]),
            "properties": pa.array([{"asset_id": "c-1"}, None, None]),
        }
    )


def _check_web_events(con: duckdb.DuckDBPyConnection) -> None:
    rows = con.execute(
        "select message_id, type, anonymous_id, user_id, timestamp, context_page_url, traits_email, properties, "
        "_row_number from raw.web_events order by _row_number"
    ).fetchall()
    assert rows == [
        ("p1", "page", "a1", None, datetime(2026, 3, 4, 8, 15, 2), "https://x.io/a", None, '{"asset_id":"c-1"}', 1),
        ("p2", "identify", None, "u2", datetime(2026, 3, 4, 8, 15, 2), None, "li@acme.io", None, 2),
    ]
    assert con.execute("select row_number, split_part(reason, ':', 1) from raw.quarantine").fetchall() == [
        (3, "missing_one_of")
    ]


def test_parquet_with_structs_and_typed_values(con, tmp_path: Path) -> None:
    path = tmp_path / "web_events.parquet"
    pq.write_table(_web_events_table(), path)
    result = ingest_file(con, path, chunk_size=2)
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (3, 2, 1)
    _check_web_events(con)


def test_gzipped_parquet(con, tmp_path: Path) -> None:
    plain = tmp_path / "plain.parquet"
    pq.write_table(_web_events_table(), plain)
    path = tmp_path / "web_events.parquet.gz"
    path.write_bytes(gzip.compress(plain.read_bytes()))
    assert ingest_file(con, path).status == "loaded"
    _check_web_events(con)


def test_parquet_numbers_dates_and_booleans(con, tmp_path: Path) -> None:
    path = tmp_path / "crm_opportunities.parquet"
    table = pa.table(
        {
            "Id": ["006A"],
            "AccountId": ["001A"],
            "StageName": ["Closed Won"],
            "Amount": pa.array([48000], pa.int32()),
            "CreatedDate": pa.array([datetime(2026, 3, 10, 9, 0)], pa.timestamp("ms")),
            "CloseDate": pa.array([date(2026, 5, 28)], pa.date32()),
            "IsWon": [True],
        }
    )
    pq.write_table(table, path)
    assert ingest_file(con, path).rows_loaded == 1
    assert con.execute(
        "select id, stage_name, amount, created_date, close_date, is_won, is_closed from raw.crm_opportunities"
    ).fetchall() == [("006A", "Closed Won", 48000.0, datetime(2026, 3, 10, 9, 0), date(2026, 5, 28), True, None)]


@pytest.mark.parametrize(
    ("name", "content", "expected_error"),
    [
        ("crm_contacts.csv.gz", gzip.compress(CONTACTS_CSV.encode() * 200)[:100], "EOFError"),
        ("crm_contacts.csv.gz", CONTACTS_CSV.encode(), "Not a gzipped file"),
        ("crm_contacts.parquet", b"PAR1 this is not parquet at all", "cannot be read as parquet"),
        ("crm_contacts.csv", bytes(range(256)), "cannot be read as csv"),
        ("crm_contacts.csv", b"", "is empty"),
        ("crm_contacts.jsonl", b"Id,Email\n1,a@b.io\n", "no line is a JSON object"),
        ("crm_contacts.jsonl", b'{"Id": "1", "Email": "a@b.io"}\n', "CreatedDate"),
        ("crm_contacts.xlsx", b"whatever", "unsupported file type"),
    ],
)
def test_unreadable_files_fail_with_a_clear_error(
    con, tmp_path: Path, name: str, content: bytes, expected_error: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    result = ingest_file(con, path)
    assert result.status == "failed"
    assert name in result.error and expected_error in result.error
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (0, 0, 0)
    assert con.execute("select count(*) from raw.crm_contacts").fetchone()[0] == 0
    assert con.execute("select count(*) from raw.quarantine").fetchone()[0] == 0
    assert con.execute("select status, error from raw.load_manifest").fetchall() == [("failed", result.error)]


def test_header_only_csv_loads_zero_rows(con, tmp_path: Path) -> None:
    path = tmp_path / "crm_contacts.csv"
    path.write_text("Id,CreatedDate\n")
    result = ingest_file(con, path)
    assert (result.status, result.rows_read) == ("loaded", 0)
