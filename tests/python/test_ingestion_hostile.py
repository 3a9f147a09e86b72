"""Hostile landing files (issue 11, defects 5-8 and 10): each case once failed or loaded silently."""

from __future__ import annotations

import gzip
import json
import os
from pathlib import Path

import duckdb
import pytest

from orchestration.ingestion.load import ingest_file, ingest_landing_folder

WEB_EVENT = {"messageId": "m1", "type": "page", "anonymousId": "a1", "timestamp": "2026-03-04T09:15:02Z"}
CONTACTS_CSV = "Id,AccountId,Email,CreatedDate\n003A,001A,ana@acme.io,2026-03-05T15:00:00Z\n"


def _rows(db_path: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(db_path), read_only=True) as con:
        return con.execute(sql).fetchall()


def _nested(depth: int) -> str:
    """A JSON object nested depth levels deep, as text (json.dumps itself stops near 1,000)."""
    return '{"x": ' * depth + "{}" + "}" * depth


# defect 5 ---------------------------------------------------------------------------------------


def test_deeply_nested_json_line_is_quarantined_and_the_good_lines_load(landing: Path, db_path: Path) -> None:
    deep = json.dumps({**WEB_EVENT, "messageId": "m2"})[:-1] + f', "properties": {_nested(3000)}}}'
    deepish = json.dumps({**WEB_EVENT, "messageId": "m3"})[:-1] + f', "context": {_nested(100)}}}'
    lines = [json.dumps(WEB_EVENT), deep, deepish]
    (landing / "web_events_deep.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")

    report = ingest_landing_folder(landing, db_path)

    [result] = report.files
    assert (result.status, result.rows_read, result.rows_loaded, result.rows_quarantined) == ("loaded", 3, 1, 2)
    assert _rows(db_path, "select message_id from raw.web_events") == [("m1",)]
    reasons = _rows(db_path, "select row_number, split_part(reason, ':', 1) from raw.quarantine order by 1")
    assert reasons == [(2, "json_too_deep"), (3, "json_too_deep")]
    assert _rows(db_path, "select status from raw.load_manifest") == [("loaded",)]


def test_deeply_nested_json_text_in_a_csv_column_is_quarantined(landing: Path, db_path: Path) -> None:
    deep = _nested(3000).replace('"', '""')
    text = f'messageId,type,anonymousId,timestamp,properties\nm1,page,a1,2026-03-04T09:15:02Z,"{deep}"\n'
    (landing / "web_events_deep.csv").write_text(text, encoding="utf-8")
    [result] = ingest_landing_folder(landing, db_path).files
    assert (result.status, result.rows_loaded, result.rows_quarantined) == ("loaded", 0, 1)


# defect 6 ---------------------------------------------------------------------------------------


def test_symlinks_are_refused_with_a_reason_and_not_read(landing: Path, db_path: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.csv"
    secret.write_text("root:x:0:0:root:/root:/bin/bash\n", encoding="utf-8")
    os.symlink(secret, landing / "crm_contacts_link.csv")
    inside = landing / "crm_contacts_real.csv"
    inside.write_text(CONTACTS_CSV, encoding="utf-8")
    os.symlink(inside, landing / "crm_contacts_alias.csv")

    report = ingest_landing_folder(landing, db_path)

    status = {f.file_name: (f.status, f.error or "") for f in report.files}
    assert status["crm_contacts_real.csv"][0] == "loaded"
    for name in ("crm_contacts_link.csv", "crm_contacts_alias.csv"):
        assert status[name][0] == "refused"
        assert "symbolic link" in status[name][1]
    assert "root" not in report.summary()
    manifest_text = _rows(db_path, "select string_agg(coalesce(error, ''), ' ') from raw.load_manifest")[0][0]
    assert "root" not in (manifest_text or "")
    assert _rows(db_path, "select count(*) from raw.crm_contacts") == [(1,)]


# defect 7 ---------------------------------------------------------------------------------------


def test_manifest_is_keyed_by_source_and_hash_and_keeps_every_attempt(landing: Path, db_path: Path) -> None:
    (landing / "crm_contacts_empty.csv.gz").write_bytes(b"")
    (landing / "web_events_empty.jsonl.gz").write_bytes(b"")

    first = ingest_landing_folder(landing, db_path)
    second = ingest_landing_folder(landing, db_path)

    assert [(f.file_name, f.status) for f in first.files] == [
        ("crm_contacts_empty.csv.gz", "failed"),
        ("web_events_empty.jsonl.gz", "loaded"),
    ]
    assert [(f.file_name, f.status) for f in second.files] == [
        ("crm_contacts_empty.csv.gz", "failed"),  # retried, not skipped as "loaded" by another source
        ("web_events_empty.jsonl.gz", "skipped"),
    ]
    attempts = _rows(db_path, "select source_name, status, count(*) from raw.load_manifest group by 1, 2 order by 1")
    assert attempts == [("crm_contacts", "failed", 2), ("web_events", "loaded", 1)]


# defect 8 ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("neighbour", ["2026-03-04T09:15:02Z", "2026-03-04T09:15:02.123456789Z"])
def test_a_timestamp_is_judged_on_its_own_not_by_its_neighbours(tmp_path: Path, neighbour: str) -> None:
    records = [
        {**WEB_EVENT, "messageId": "m1", "timestamp": neighbour},
        {**WEB_EVENT, "messageId": "m2", "timestamp": "2026-03-04T09:15:02.5Z"},
        {**WEB_EVENT, "messageId": "m3", "timestamp": "not a time"},
    ]
    path = tmp_path / "web_events_1.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    with duckdb.connect() as con:
        result = ingest_file(con, path, chunk_size=10)
        loaded = con.execute("select message_id, cast(timestamp as varchar) from raw.web_events order by 1").fetchall()
        quarantined = con.execute("select row_number from raw.quarantine").fetchall()
    assert (result.rows_loaded, result.rows_quarantined) == (2, 1)
    assert loaded == [("m1", neighbour[:-1].replace("T", " ")[:26]), ("m2", "2026-03-04 09:15:02.5")]
    assert quarantined == [(3,)]


def test_far_future_timestamp_parses_alike_next_to_nanoseconds(tmp_path: Path) -> None:
    """9999-12-31 once parsed alone but failed next to a nanosecond value (pandas resolution)."""
    outcomes = []
    for neighbour in ("2026-03-04T09:15:02Z", "2026-03-04T09:15:02.123456789Z"):
        records = [
            {**WEB_EVENT, "timestamp": neighbour},
            {**WEB_EVENT, "messageId": "m9", "timestamp": "9999-12-31T00:00:00Z"},
        ]
        path = tmp_path / f"web_events_{len(outcomes)}.jsonl"
        path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
        with duckdb.connect() as con:
            ingest_file(con, path, chunk_size=10)
            outcomes.append(
                con.execute(
                    "select split_part(reason, ':', 1) from raw.quarantine where row_number = 2 "
                    "union all select 'loaded' from raw.web_events where message_id = 'm9'"
                ).fetchall()
            )
    assert outcomes[0] == outcomes[1]


# defect 10 --------------------------------------------------------------------------------------


def test_duplicate_header_column_is_reported_as_a_warning(landing: Path, db_path: Path) -> None:
    text = "Id,AccountId,Email,Email,CreatedDate\n003A,001A,ana@acme.io,bob@acme.io,2026-03-05T15:00:00Z\n"
    (landing / "crm_contacts_dup.csv").write_text(text, encoding="utf-8")
    [result] = ingest_landing_folder(landing, db_path).files
    assert result.status == "loaded"
    assert any("Email" in warning and "duplicate" in warning for warning in result.warnings)
    assert "duplicate" in result.summary()
    assert "duplicate" in _rows(db_path, "select warnings from raw.load_manifest")[0][0]


def test_pretty_printed_json_array_is_not_partly_loaded(landing: Path, db_path: Path) -> None:
    objects = [{**WEB_EVENT, "messageId": f"m{i}"} for i in range(3)]
    text = "[\n" + ",\n".join(json.dumps(o) for o in objects) + "\n]\n"
    (landing / "web_events_array.json").write_text(text, encoding="utf-8")
    [result] = ingest_landing_folder(landing, db_path).files
    assert result.status == "failed"
    assert "JSON array" in result.error
    assert _rows(db_path, "select count(*) from raw.web_events") == [(0,)]


@pytest.mark.parametrize(
    "address",
    ["ana@acme.io.", "ana@.acme.io", "ana..b@acme.io", ".ana@acme.io", "ana@acme", "ana@acme..io", "ana@-acme.io"],
)
def test_malformed_email_addresses_are_quarantined(tmp_path: Path, address: str) -> None:
    path = tmp_path / "crm_contacts.csv"
    path.write_text(f"Id,AccountId,Email,CreatedDate\n003A,001A,{address},2026-03-05T15:00:00Z\n", encoding="utf-8")
    with duckdb.connect() as con:
        result = ingest_file(con, path)
        reason = con.execute("select split_part(reason, ':', 1) from raw.quarantine").fetchall()
    assert (result.rows_loaded, reason) == (0, [("invalid_email",)])


@pytest.mark.parametrize("address", ["Ana.Lopez+news@Acme.co.uk", "o'brien@mail.example-corp.com", "x_y@a1.io"])
def test_ordinary_email_addresses_still_load(tmp_path: Path, address: str) -> None:
    path = tmp_path / "crm_contacts.csv.gz"
    path.write_bytes(gzip.compress(f"Id,Email,CreatedDate\n003A,{address},2026-03-05T15:00:00Z\n".encode()))
    with duckdb.connect() as con:
        result = ingest_file(con, path)
        email = con.execute("select email from raw.crm_contacts").fetchall()
    assert (result.rows_loaded, email) == (1, [(address.lower(),)])
