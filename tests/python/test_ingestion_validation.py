"""Row validation and normalisation: quarantine reasons with field and row, UTC, e-mails, enums."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest

from orchestration.ingestion.load import ingest_file
from orchestration.ingestion.results import FileResult


@pytest.fixture
def con() -> Iterator[duckdb.DuckDBPyConnection]:
    with duckdb.connect() as connection:
        yield connection


def _ingest(con: duckdb.DuckDBPyConnection, folder: Path, name: str, text: str, chunk_size: int = 2) -> FileResult:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return ingest_file(con, path, chunk_size=chunk_size)


def _quarantine(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    """(row_number, field_name, reason code, bad_value) per quarantined row, in row order."""
    return con.execute(
        "select row_number, field_name, split_part(reason, ':', 1), bad_value from raw.quarantine order by row_number"
    ).fetchall()


def _jsonl(*records: object) -> str:
    return "".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in records)


def test_json_lines_reasons_rows_and_fields(con, tmp_path) -> None:
    good = {"messageId": "m1", "type": "page", "anonymousId": "a1", "timestamp": "2026-03-04T09:15:02+01:00"}
    text = _jsonl(
        good,  # 1
        {**good, "messageId": "m2", "type": "Track"},  # 2: enum lower-cased, loads
        '{"messageId": "m3", "type": "page",',  # 3: malformed
        {**good, "messageId": "m4", "type": "click"},  # 4: not accepted
        {**good, "messageId": None},  # 5: missing required
        {"messageId": "m6", "type": "page", "timestamp": "2026-03-04T09:15:02Z"},  # 6: neither id
        {**good, "messageId": "m7", "timestamp": "04/03/2026 09:15"},  # 7: bad timestamp
        {**good, "messageId": "m8", "traits": {"email": "ana(at)acme.io"}},  # 8: bad e-mail
        '["not", "an", "object"]',  # 9
        {**good, "messageId": "m10", "userId": "u10", "anonymousId": ""},  # 10: userId is enough
    )
    result = _ingest(con, tmp_path, "web_events_1.jsonl", text)

    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (10, 3, 7)
    assert _quarantine(con) == [
        (3, None, "malformed_json", '{"messageId": "m3", "type": "page",'),
        (4, "type", "not_accepted_value", "click"),
        (5, "messageId", "missing_required", None),
        (6, "anonymousId, userId", "missing_one_of", None),
        (7, "timestamp", "invalid_timestamp", "04/03/2026 09:15"),
        (8, "traits.email", "invalid_email", "ana(at)acme.io"),
        (9, None, "malformed_json", '["not", "an", "object"]'),
    ]
    loaded = con.execute("select message_id, type, _row_number from raw.web_events order by _row_number").fetchall()
    assert loaded == [("m1", "page", 1), ("m2", "track", 2), ("m10", "page", 10)]
    raw_record = json.loads(con.execute("select raw_record from raw.quarantine where row_number = 4").fetchone()[0])
    assert raw_record["messageId"] == "m4" and raw_record["type"] == "click"


def test_csv_reasons_for_each_type(con, tmp_path) -> None:
    text = (
        "date,platform,campaign_id,spend,impressions,clicks\n"
        "2026-03-04,google_ads,g-1,412.5,20311,233\n"  # 1 ok
        "2026-03-32,google_ads,g-1,1,1,1\n"  # 2 bad date
        "2026-03-04,Google_Ads,g-2,twelve,1,1\n"  # 3 bad number
        "2026-03-04,google_ads,g-3,1,1.5,1\n"  # 4 bad integer
        "2026-03-04,google_ads,g-4,1,1\n"  # 5 too few fields
        "2026-03-04,google_ads,g-5,1,1,1,extra\n"  # 6 too many fields
        "2026-03-04,tiktok,g-6,1,1,1\n"  # 7 not accepted
        "2026-03-05,GOOGLE_ADS,,1,1,1\n"  # 8 missing campaign_id
        "2026-03-06,bing_ads,b-1,1e3,7.0,\n"  # 9 ok: 1e3 and 7.0 are fine, clicks null
    )
    result = _ingest(con, tmp_path, "ad_spend.csv", text)

    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (9, 2, 7)
    assert _quarantine(con) == [
        (2, "date", "invalid_date", "2026-03-32"),
        (3, "spend", "invalid_number", "twelve"),
        (4, "impressions", "invalid_integer", "1.5"),
        (5, None, "wrong_field_count", None),
        (6, None, "wrong_field_count", None),
        (7, "platform", "not_accepted_value", "tiktok"),
        (8, "campaign_id", "missing_required", None),
    ]
    loaded = con.execute(
        "select date, platform, spend, impressions, clicks, _row_number from raw.ad_spend order by _row_number"
    ).fetchall()
    assert loaded == [
        (date(2026, 3, 4), "google_ads", 412.5, 20311, 233, 1),
        (date(2026, 3, 6), "bing_ads", 1000.0, 7, None, 9),
    ]
    fields = con.execute("select raw_record from raw.quarantine where row_number = 6").fetchone()[0]
    assert json.loads(fields) == ["2026-03-04", "google_ads", "g-5", "1", "1", "1", "extra"]


def test_booleans_and_invalid_boolean(con, tmp_path) -> None:
    text = (
        "Id,Name,CreatedDate,IsDeleted\n"
        "1,a,2025-11-02T10:00:00Z,TRUE\n"
        "2,b,2025-11-02T10:00:00Z,0\n"
        "3,c,2025-11-02T10:00:00Z,yes\n"
        "4,d,2025-11-02T10:00:00Z,No\n"
        "5,e,2025-11-02T10:00:00Z,\n"
        "6,f,2025-11-02T10:00:00Z,maybe\n"
    )
    _ingest(con, tmp_path, "crm_accounts.csv", text)
    assert con.execute("select id, is_deleted from raw.crm_accounts order by id").fetchall() == [
        ("1", True),
        ("2", False),
        ("3", True),
        ("4", False),
        ("5", None),
    ]
    assert _quarantine(con) == [(6, "IsDeleted", "invalid_boolean", "maybe")]


def test_timestamps_with_offsets_become_utc(con, tmp_path) -> None:
    text = (
        "Id,Name,CreatedDate\n"
        "1,a,2026-03-04T09:15:02+01:00\n"
        "2,b,2025-11-02T10:00:00.000+0000\n"
        "3,c,2026-03-04T09:15:02-05:00\n"
        "4,d,2026-03-04T09:15:02Z\n"
        "5,e,2026-03-04 09:15:02\n"
        "6,f,2026-03-04T23:30:00.250-02:30\n"
    )
    _ingest(con, tmp_path, "crm_accounts.csv", text)
    assert con.execute("select id, created_date from raw.crm_accounts order by id").fetchall() == [
        ("1", datetime(2026, 3, 4, 8, 15, 2)),
        ("2", datetime(2025, 11, 2, 10, 0, 0)),
        ("3", datetime(2026, 3, 4, 14, 15, 2)),
        ("4", datetime(2026, 3, 4, 9, 15, 2)),
        ("5", datetime(2026, 3, 4, 9, 15, 2)),
        ("6", datetime(2026, 3, 5, 2, 0, 0, 250000)),
    ]
    column_type = con.execute(
        "select data_type from information_schema.columns "
        "where table_name = 'crm_accounts' and column_name = 'created_date'"
    ).fetchone()[0]
    assert column_type == "TIMESTAMP"


def test_emails_are_trimmed_and_lower_cased(con, tmp_path) -> None:
    text = (
        "event_id,event_type,recipient,timestamp\n"
        'e1,OPEN,"  Ana.Lopez@Acme.IO ",2026-03-04T08:01:00Z\n'
        "e2,click,li.wei@acme.io,2026-03-04T08:02:00Z\n"
        "e3,click,li.wei@acme,2026-03-04T08:03:00Z\n"
        "e4,click,a b@acme.io,2026-03-04T08:04:00Z\n"
    )
    _ingest(con, tmp_path, "email_events.csv", text)
    assert con.execute("select event_id, event_type, recipient from raw.email_events order by 1").fetchall() == [
        ("e1", "open", "ana.lopez@acme.io"),
        ("e2", "click", "li.wei@acme.io"),
    ]
    assert _quarantine(con) == [
        (3, "recipient", "invalid_email", "li.wei@acme"),
        (4, "recipient", "invalid_email", "a b@acme.io"),
    ]


def test_nested_json_is_flattened_and_json_columns_kept_whole(con, tmp_path) -> None:
    record = {
        "messageId": "m1",
        "type": "track",
        "event": "File Downloaded",
        "anonymousId": "a1",
        "timestamp": "2026-03-04T09:15:02Z",
        "context": {"page": {"url": "https://x.io/r?utm_source=li", "path": "/r"}, "campaign": {"source": "li"}},
        "traits": {"email": "Ana@Acme.io"},
        "properties": {"asset_id": "c-1", "file": {"name": "r.pdf"}},
        "unknown": {"nested": 1},
    }
    _ingest(con, tmp_path, "web_events.jsonl", _jsonl(record))
    row = con.execute(
        "select context_page_url, context_page_path, context_campaign_source, traits_email, properties "
        "from raw.web_events"
    ).fetchone()
    assert row[:4] == ("https://x.io/r?utm_source=li", "/r", "li", "ana@acme.io")
    assert json.loads(row[4]) == {"asset_id": "c-1", "file": {"name": "r.pdf"}}


def test_raw_names_and_other_cases_match_contract_columns(con, tmp_path) -> None:
    text = (
        "message_id,TYPE,anonymous_id,Timestamp,context_page_url,CONTEXT.PAGE.PATH,not_in_contract\n"
        "m1,page,a1,2026-03-04T09:15:02Z,https://x.io/a,/a,ignored\n"
    )
    result = _ingest(con, tmp_path, "web_events.csv", text)
    assert result.rows_loaded == 1
    row = con.execute(
        "select message_id, type, anonymous_id, context_page_url, context_page_path, user_id from raw.web_events"
    )
    assert row.fetchone() == ("m1", "page", "a1", "https://x.io/a", "/a", None)


def test_invalid_json_text_in_csv_is_quarantined(con, tmp_path) -> None:
    text = (
        "messageId,type,anonymousId,timestamp,properties\n"
        'm1,track,a1,2026-03-04T09:15:02Z,"{""interval_seconds"": 10}"\n'
        "m2,track,a1,2026-03-04T09:15:02Z,{interval_seconds: 10}\n"
    )
    _ingest(con, tmp_path, "web_events.csv", text)
    assert json.loads(con.execute("select properties from raw.web_events").fetchone()[0]) == {"interval_seconds": 10}
    assert _quarantine(con) == [(2, "properties", "invalid_json", "{interval_seconds: 10}")]


def test_row_numbers_follow_the_file_across_chunks(con, tmp_path) -> None:
    rows = [f"c{i},a,2026-03-04T09:15:02Z" for i in range(1, 8)]
    rows[4] = "c5,a,not-a-time"
    text = "Id,Name,CreatedDate\n" + "\n".join(rows[:3]) + "\n\n" + "\n".join(rows[3:]) + "\n"
    result = _ingest(con, tmp_path, "crm_accounts.csv", text, chunk_size=2)
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (7, 6, 1)
    numbers = con.execute("select id, _row_number from raw.crm_accounts order by _row_number").fetchall()
    assert numbers == [("c1", 1), ("c2", 2), ("c3", 3), ("c4", 4), ("c6", 6), ("c7", 7)]
    assert _quarantine(con) == [(5, "CreatedDate", "invalid_timestamp", "not-a-time")]


def test_reference_data_keeps_an_unknown_category_with_a_warning(con, tmp_path) -> None:
    from orchestration.summary import unknown_reference_values

    text = (
        "content_id,url_path,title,content_type,word_count\n"
        "c-1,/blog/a,A,blog,950\n"  # 1 ok
        "c-2,/playbooks/b,B,Playbook,476\n"  # 2 unknown type: loads, value kept lower-cased
        "c-3,/playbooks/c,C,playbook,\n"  # 3 the same unknown type again
        ",/x,X,blog,10\n"  # 4 unusable: no content_id -> quarantined
    )
    result = _ingest(con, tmp_path, "content_catalog.csv", text)

    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (4, 3, 1)
    assert _quarantine(con) == [(4, "content_id", "missing_required", None)]
    loaded = con.execute("select content_id, content_type, word_count from raw.content_catalog order by 1").fetchall()
    assert loaded == [("c-1", "blog", 950), ("c-2", "playbook", 476), ("c-3", "playbook", None)]
    assert unknown_reference_values(con) == [("content_catalog", "content_type", "playbook", 2)]


def test_transactional_enums_still_quarantine_unknown_values(con, tmp_path) -> None:
    text = _jsonl(
        {"messageId": "m1", "type": "screen", "anonymousId": "a1", "timestamp": "2026-03-04T09:15:02Z"},
    )
    result = _ingest(con, tmp_path, "web_events_1.jsonl", text)
    assert (result.rows_loaded, result.rows_quarantined) == (0, 1)
    assert _quarantine(con) == [(1, "type", "not_accepted_value", "screen")]
