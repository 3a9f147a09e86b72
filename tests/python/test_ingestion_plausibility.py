"""Plausibility rules (issue 11, defects 1 and 2): values that parse but cannot be true are quarantined."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pytest

from orchestration.ingestion.load import ingest_file
from orchestration.ingestion.plausibility import window_from_env

FORMS_HEADER = "submission_id,form_type,email,submitted_at\n"
OPPORTUNITIES_HEADER = "Id,AccountId,StageName,Amount,CreatedDate,IsClosed,IsWon\n"


def _load(tmp_path: Path, name: str, text: str) -> tuple[list[tuple], list[tuple]]:
    """(loaded keys, quarantined (row, field, reason code)) after ingesting one file."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    table = name.split(".")[0]
    with duckdb.connect() as con:
        result = ingest_file(con, path)
        key = "submission_id" if table == "form_submissions" else "id"
        loaded = con.execute(f"select {key} from raw.{table} order by 1").fetchall()
        quarantined = con.execute(
            "select row_number, field_name, split_part(reason, ':', 1) from raw.quarantine order by 1"
        ).fetchall()
    assert result.rows_read == result.rows_loaded + result.rows_quarantined
    return loaded, quarantined


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def test_far_future_and_ancient_timestamps_are_quarantined(tmp_path: Path) -> None:
    now = datetime.now(UTC)
    text = FORMS_HEADER + "".join(
        f"s{i},demo_request,ana@acme.io,{value}\n"
        for i, value in enumerate(
            [
                "2100-01-02T10:00:00Z",  # defect 1: one future form wrecked every journey
                _iso(now + timedelta(hours=30)),  # beyond the default 24 h margin
                _iso(now + timedelta(hours=2)),  # clock skew within the margin: loads
                "1999-12-31T23:59:59Z",  # before the default earliest time
                "2026-03-04T09:15:02Z",
            ]
        )
    )
    loaded, quarantined = _load(tmp_path, "form_submissions.csv", text)
    assert loaded == [("s2",), ("s4",)]
    assert quarantined == [
        (1, "submitted_at", "implausible_timestamp"),
        (2, "submitted_at", "implausible_timestamp"),
        (4, "submitted_at", "implausible_timestamp"),
    ]


def test_plausibility_window_is_configurable(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("TW_EARLIEST_AT", "2026-01-01")
    monkeypatch.setenv("TW_FUTURE_MARGIN_HOURS", "48")
    now = datetime.now(UTC)
    ahead = _iso(now + timedelta(hours=30))
    text = FORMS_HEADER + f"s0,demo_request,ana@acme.io,2025-12-31T23:00:00Z\ns1,demo_request,ana@acme.io,{ahead}\n"
    loaded, quarantined = _load(tmp_path, "form_submissions.csv", text)
    assert loaded == [("s1",)]
    assert quarantined == [(1, "submitted_at", "implausible_timestamp")]


def test_a_meeting_may_be_scheduled_ahead_but_not_a_century_ahead(tmp_path: Path) -> None:
    now = datetime.now(UTC)
    text = "meeting_id,meeting_type,status,start_at\n" + (
        f"m1,demo,booked,{_iso(now + timedelta(days=30))}\nm2,demo,booked,2100-01-01T10:00:00Z\n"
    )
    path = tmp_path / "meetings.csv"
    path.write_text(text, encoding="utf-8")
    with duckdb.connect() as con:
        ingest_file(con, path)
        loaded = con.execute("select meeting_id from raw.meetings").fetchall()
    assert loaded == [("m1",)]


def test_negative_amount_is_quarantined_with_field_and_reason(tmp_path: Path) -> None:
    text = OPPORTUNITIES_HEADER + (
        "006A,001A,Closed Won,-50000,2026-03-04T09:15:02Z,true,true\n"  # defect 2
        "006B,001A,Closed Won,0,2026-03-04T09:15:02Z,true,true\n"
        "006C,001A,Closed Won,12000.5,2026-03-04T09:15:02Z,true,true\n"
    )
    loaded, quarantined = _load(tmp_path, "crm_opportunities.csv", text)
    assert loaded == [("006B",), ("006C",)]
    assert quarantined == [(1, "Amount", "below_minimum")]


@pytest.mark.parametrize(("variable", "value"), [("TW_EARLIEST_AT", "soon"), ("TW_FUTURE_MARGIN_HOURS", "-1")])
def test_bad_window_configuration_names_the_variable(monkeypatch, variable: str, value: str) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(ValueError, match=variable):
        window_from_env()
