"""Byte-stable file writers (CSV, JSON lines, Parquet; optional gzip) and timestamp formats."""

from __future__ import annotations

import csv
import gzip
import io
import json
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import IO

import pyarrow as pa
import pyarrow.parquet as pq

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
GZIP_LEVEL = 5


class RawLine(str):
    """A line written exactly as given: how the deliberately malformed rows get into a file."""


def utc(ts: float) -> datetime:
    """Epoch seconds as a UTC datetime, rounded to the millisecond (so formatting is stable)."""
    return _EPOCH + timedelta(milliseconds=round(ts * 1000))


def iso_z(ts: float) -> str:
    return utc(ts).strftime("%Y-%m-%dT%H:%M:%SZ")


def iso_salesforce(ts: float) -> str:
    return utc(ts).strftime("%Y-%m-%dT%H:%M:%S.000+0000")


def iso_offset(ts: float, offset_minutes: int) -> str:
    """Local wall-clock time with its offset and milliseconds: 2026-03-04T09:15:02.120+01:00."""
    local = utc(ts) + timedelta(minutes=offset_minutes)
    sign = "+" if offset_minutes >= 0 else "-"
    hours, minutes = divmod(abs(offset_minutes), 60)
    return f"{local:%Y-%m-%dT%H:%M:%S}.{local.microsecond // 1000:03d}{sign}{hours:02d}:{minutes:02d}"


def iso_date(ts: float) -> str:
    return utc(ts).strftime("%Y-%m-%d")


def open_text(path: Path) -> IO[str]:
    """A text handle; .gz files are gzip streams with a zero mtime so reruns are byte-identical."""
    if path.name.endswith(".gz"):
        raw = gzip.GzipFile(
            filename=path.name[:-3], mode="wb", fileobj=path.open("wb"), compresslevel=GZIP_LEVEL, mtime=0
        )
        handle = io.TextIOWrapper(raw, encoding="utf-8", newline="\n")
        handle.close_underlying = raw.fileobj  # type: ignore[attr-defined]
        return handle
    return path.open("w", encoding="utf-8", newline="\n")


def close_text(handle: IO[str]) -> None:
    underlying = getattr(handle, "close_underlying", None)
    handle.close()
    if underlying is not None:
        underlying.close()


def json_line(row: dict | RawLine) -> str:
    if isinstance(row, RawLine):
        return row + "\n"
    return json.dumps(row, separators=(",", ":"), ensure_ascii=False) + "\n"


def write_jsonl(path: Path, rows: Iterable[dict | RawLine]) -> int:
    handle = open_text(path)
    count = 0
    try:
        for row in rows:
            handle.write(json_line(row))
            count += 1
    finally:
        close_text(handle)
    return count


def csv_value(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(round(value, 3))
    return str(value)


def csv_line(values: Iterable[object]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow([csv_value(v) for v in values])
    return buffer.getvalue()


def write_csv(path: Path, columns: list[str], rows: Iterable[dict | RawLine]) -> int:
    handle = open_text(path)
    count = 0
    try:
        handle.write(csv_line(columns))
        for row in rows:
            handle.write(row + "\n" if isinstance(row, RawLine) else csv_line(row.get(c) for c in columns))
            count += 1
    finally:
        close_text(handle)
    return count


def arrow_value(value: object, type_: pa.DataType) -> object:
    if value is None:
        return None
    if pa.types.is_timestamp(type_):
        return utc(float(value))  # type: ignore[arg-type]
    if pa.types.is_date(type_):
        return value if isinstance(value, date) else utc(float(value)).date()  # type: ignore[arg-type]
    return value


class ParquetStream:
    """Append rows in row groups so that a large Parquet file never sits in memory whole."""

    def __init__(self, path: Path, schema: pa.Schema, group_rows: int = 100_000) -> None:
        self.path, self.schema, self.group_rows = path, schema, group_rows
        self.buffer: list[dict] = []
        self.writer: pq.ParquetWriter | None = None
        self.count = 0

    def append(self, row: dict) -> None:
        self.buffer.append(row)
        if len(self.buffer) >= self.group_rows:
            self.flush()

    def flush(self) -> None:
        if not self.buffer and self.writer is not None:
            return
        columns = {f.name: [arrow_value(row.get(f.name), f.type) for row in self.buffer] for f in self.schema}
        table = pa.table(columns, schema=self.schema)
        if self.writer is None:
            self.writer = pq.ParquetWriter(self.path, self.schema, compression="snappy")
        self.writer.write_table(table)
        self.count += len(self.buffer)
        self.buffer = []

    def close(self) -> int:
        self.flush()
        if self.writer is not None:
            self.writer.close()
        return self.count


def write_parquet(path: Path, schema: pa.Schema, rows: Iterable[dict]) -> int:
    stream = ParquetStream(path, schema)
    for row in rows:
        stream.append(row)
    return stream.close()
