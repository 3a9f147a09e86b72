"""The demo data generator: deterministic, complete, shaped as the contract says, faults on demand."""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
import tracemalloc
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from orchestration.demo_data import generate, generate_demo_exports
from orchestration.ingestion.contract import (
    BOOLEAN,
    DATE,
    EMAIL,
    INTEGER,
    NUMBER,
    SOURCES,
    TIMESTAMP,
    Column,
    source_for_file,
)

SMALL = {"accounts": 12, "seed": 3}
MALFORMED = "<malformed line>"
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@pytest.fixture(scope="module")
def faulty_landing(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object]:
    landing = tmp_path_factory.mktemp("faulty")
    return landing, generate(landing, **SMALL)


@pytest.fixture(scope="module")
def clean_landing(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object]:
    landing = tmp_path_factory.mktemp("clean")
    return landing, generate(landing, faults=False, **SMALL)


def _flatten(record: dict, prefix: str = "") -> dict:
    flat = {}
    for key, value in record.items():
        if isinstance(value, dict) and key != "properties":
            flat.update(_flatten(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = value
    return flat


def read_rows(path: Path) -> tuple[list[str] | None, Iterator[dict | str]]:
    """(CSV header or None, rows as flat dicts with export column names; MALFORMED for unreadable lines)."""
    if path.name.endswith(".parquet"):
        table = pq.read_table(path)
        return table.column_names, iter(table.to_pylist())
    raw = gzip.decompress(path.read_bytes()) if path.name.endswith(".gz") else path.read_bytes()
    lines = raw.decode("utf-8").splitlines()
    if ".csv" in path.name:
        reader = csv.reader(io.StringIO("\n".join(lines)))
        header = next(reader)
        return header, (dict(zip(header, r, strict=True)) if len(r) == len(header) else MALFORMED for r in reader)

    def parse(line: str) -> dict | str:
        try:
            return _flatten(json.loads(line))
        except json.JSONDecodeError:
            return MALFORMED

    return None, (parse(line) for line in lines)


def value_ok(column: Column, value: object) -> bool:
    if value is None or value == "":
        return not column.required
    if column.accepted_values and not column.keeps_unknown_values and str(value).lower() not in column.accepted_values:
        return False
    try:
        if column.type == TIMESTAMP and not isinstance(value, datetime):
            datetime.fromisoformat(str(value))
        elif column.type == DATE and not isinstance(value, date):
            date.fromisoformat(str(value))
        elif column.type == INTEGER:
            int(value)  # type: ignore[call-overload]
        elif column.type == NUMBER:
            float(value)  # type: ignore[arg-type]
        elif column.type == BOOLEAN:
            return str(value).lower() in ("true", "false", "1", "0", "yes", "no")
        elif column.type == EMAIL:
            return bool(EMAIL_PATTERN.match(str(value).strip().lower()))
    except ValueError:
        return False
    return True


def bad_rows(path: Path) -> tuple[int, int]:
    """(rows, rows breaking the contract) of one file, checked independently of the ingestion code."""
    source = SOURCES[source_for_file(path.name).name]
    header, rows = read_rows(path)
    if header is not None:
        missing = [c.name for c in source.columns if c.required and c.name not in header]
        assert not missing, f"{path.name} lacks required columns {missing}"
    total = bad = 0
    for row in rows:
        total += 1
        if row == MALFORMED:
            bad += 1
            continue
        assert isinstance(row, dict)
        unknown = set(row) - {c.name for c in source.columns}
        assert not unknown, f"{path.name}: columns not in the contract {unknown}"
        ok = all(value_ok(c, row.get(c.name)) for c in source.columns)
        if source.one_of_required:
            ok = ok and any(row.get(name) for name in source.one_of_required)
        bad += not ok
    return total, bad


def test_every_contract_source_has_a_file_named_after_it(clean_landing):
    landing, report = clean_landing
    sources = {source_for_file(p.name).name for p in landing.iterdir()}
    assert sources == set(SOURCES)
    assert all(report.rows[name] > 0 for name in SOURCES)


def test_formats_are_mixed_so_every_reader_runs(clean_landing):
    landing, _ = clean_landing
    names = [p.name for p in landing.iterdir()]
    for ending in (".csv", ".csv.gz", ".jsonl.gz", ".ndjson", ".parquet"):
        assert any(name.endswith(ending) for name in names), ending


def test_clean_files_follow_the_contract_row_by_row(clean_landing):
    landing, report = clean_landing
    totals: dict[str, int] = {}
    for path in sorted(landing.iterdir()):
        total, bad = bad_rows(path)
        assert bad == 0, f"{path.name}: {bad} rows break the contract"
        name = source_for_file(path.name).name
        totals[name] = totals.get(name, 0) + total
    assert totals == report.rows


def test_web_events_are_nested_segment_json(clean_landing):
    landing, _ = clean_landing
    first = sorted(landing.glob("web_events_*.jsonl.gz"))[0]
    events = [json.loads(line) for line in gzip.decompress(first.read_bytes()).decode().splitlines()]
    page = next(e for e in events if e["type"] == "page")
    assert page["context"]["page"]["url"].startswith("https://www.example.com/")
    beats = [e for e in events if e.get("event") == "Page Heartbeat"]
    # two tracker kinds: every 15 s or every 10 s; some also name the page view they report
    assert beats and {e["properties"]["interval_seconds"] for e in beats} == {10, 15}
    assert all(set(e["properties"]) <= {"interval_seconds", "page_view_id"} for e in beats)
    assert any("page_view_id" in e["properties"] for e in beats)


def test_same_seed_gives_byte_identical_files(tmp_path, clean_landing):
    landing, _ = clean_landing
    again = tmp_path / "again"
    generate_demo_exports(again, faults=False, **SMALL)
    first = {p.name: p.read_bytes() for p in landing.iterdir()}
    second = {p.name: p.read_bytes() for p in again.iterdir()}
    assert first.keys() == second.keys()
    assert [name for name in first if first[name] != second[name]] == []


def test_another_seed_tells_another_story(tmp_path, clean_landing):
    landing, _ = clean_landing
    generate_demo_exports(tmp_path, accounts=SMALL["accounts"], seed=SMALL["seed"] + 1, faults=False)
    assert (tmp_path / "crm_contacts.csv").read_bytes() != (landing / "crm_contacts.csv").read_bytes()


def test_faults_are_the_reported_rows_and_one_broken_file(faulty_landing):
    landing, report = faulty_landing
    assert report.broken_files == ["calls_2026-10_late.jsonl.gz"]
    with pytest.raises(EOFError):
        gzip.decompress((landing / report.broken_files[0]).read_bytes())
    found: dict[str, int] = {}
    for path in sorted(landing.iterdir()):
        if path.name in report.broken_files:
            continue
        _, bad = bad_rows(path)
        name = source_for_file(path.name).name
        found[name] = found.get(name, 0) + bad
    assert found == report.faulty_rows
    assert sum(1 for bad in found.values() if bad) >= 6  # spread over several files


def test_faults_are_extra_rows_so_the_clean_story_is_unchanged(faulty_landing, clean_landing):
    for name in SOURCES:
        assert faulty_landing[1].rows[name] - faulty_landing[1].faulty_rows[name] == clean_landing[1].rows[name]


def test_no_faults_flag_writes_no_broken_file(clean_landing):
    landing, report = clean_landing
    assert report.broken_files == [] and sum(report.faulty_rows.values()) == 0
    assert not (landing / "calls_2026-10_late.jsonl.gz").exists()


def test_web_events_target_is_met_in_chunks(tmp_path):
    report = generate(tmp_path, accounts=5, seed=1, web_events=30_000, faults=False, chunk_rows=2_000)
    assert abs(report.rows["web_events"] - 30_000) < 3_000
    parts = sorted(tmp_path.glob("web_events_*.jsonl.gz"))
    assert len(parts) > 10  # eight months, several parts each
    for part in parts:
        rows = len(gzip.decompress(part.read_bytes()).splitlines())
        assert rows < 2_000 + 1_000  # a part closes after the visit that crosses the limit


def _peak_bytes(path: Path, web_events: int) -> int:
    tracemalloc.start()
    generate(path, accounts=1, seed=1, web_events=web_events, faults=False, chunk_rows=1_000)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def test_memory_does_not_grow_with_web_events(tmp_path):
    generate(tmp_path / "warm-up", accounts=1, seed=1, faults=False)  # lazy imports and caches first
    small = _peak_bytes(tmp_path / "small", 2_000)
    large = _peak_bytes(tmp_path / "large", 12_000)
    assert large < 2 * small  # six times the events, far less than six times the memory


def test_ingestion_quarantines_exactly_the_planted_faults(tmp_path, faulty_landing):
    load = pytest.importorskip("orchestration.ingestion.load")
    landing, report = faulty_landing
    result = load.ingest_landing_folder(landing, tmp_path / "warehouse.duckdb")
    assert [f.file_name for f in result.failed] == report.broken_files
    quarantined: dict[str, int] = {}
    for file in result.loaded:
        quarantined[file.source_name] = quarantined.get(file.source_name, 0) + file.rows_quarantined
    assert quarantined == report.faulty_rows
