"""Read a landing file in chunks of text values, numbering rows in file order.

Each chunk is a DataFrame of text (missing = NA) with the file's own column names and the
1-based row numbers as index, plus the rows the reader could not split into fields
(``wrong_field_count``, ``malformed_json``). Blank lines are skipped and not numbered.
Anything that makes the whole file unreadable raises UnreadableFile.
"""

from __future__ import annotations

import csv
import json
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from orchestration.ingestion.columns import flatten, to_text
from orchestration.ingestion.files import CSV, JSON_LINES, PARQUET, UnreadableFile, local_parquet, open_text
from orchestration.ingestion.reasons import quoted, reason

CSV_FIELD_SIZE_LIMIT = 64 * 1024 * 1024  # long JSON properties in one CSV field
BAD_VALUE_LIMIT = 1000  # characters of a malformed line kept as bad_value
MAX_JSON_DEPTH = 64  # nesting levels of objects/arrays in one JSON line; deeper lines are quarantined

READ_ERRORS = (OSError, EOFError, UnicodeDecodeError, csv.Error, zlib.error, pa.ArrowException)


@dataclass(frozen=True)
class RejectedRow:
    row_number: int
    reason: str
    bad_value: str | None
    raw_record: str  # JSON text


@dataclass
class Chunk:
    frame: pd.DataFrame
    rejected: list[RejectedRow] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # silent choices the reader made, said out loud

    @property
    def rows_read(self) -> int:
        return len(self.frame) + len(self.rejected)


def read_chunks(path: Path, file_format: str, keep_whole: Callable[[str], bool], chunk_size: int) -> Iterator[Chunk]:
    """Chunks of at most chunk_size rows. CSV and Parquet always yield at least one chunk (the header)."""
    readers = {CSV: _csv_chunks, JSON_LINES: _json_lines_chunks, PARQUET: _parquet_chunks}
    try:
        yield from readers[file_format](path, keep_whole, chunk_size)
    except READ_ERRORS as error:
        raise UnreadableFile(f"{path.name} cannot be read as {file_format}: {type(error).__name__}: {error}") from error


def _text_frame(rows: list, columns: list[str] | None, row_numbers: list[int]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=columns, index=pd.Index(row_numbers, dtype="int64"), dtype="string")


def _unique_header(header: list[str]) -> tuple[list[str], list[str]]:
    """Header names stripped; a repeated name gets a suffix, so only its first column is read.

    Also returns one warning per repeated name, naming the columns that are ignored.
    """
    seen: dict[str, int] = {}
    unique = []
    for name in (name.strip() for name in header):
        seen[name] = seen.get(name, 0) + 1
        unique.append(name if seen[name] == 1 else f"{name} (duplicate {seen[name]})")
    warnings = [
        f"header column {name!r} appears {count} times; only the first is read, the duplicate columns are ignored"
        for name, count in seen.items()
        if count > 1
    ]
    return unique, warnings


def _csv_chunks(path: Path, keep_whole: Callable[[str], bool], chunk_size: int) -> Iterator[Chunk]:
    csv.field_size_limit(CSV_FIELD_SIZE_LIMIT)
    with open_text(path) as stream:
        reader = csv.reader(stream)
        header = next((fields for fields in reader if fields), None)
        if header is None:
            raise UnreadableFile(f"{path.name} is empty: a CSV file needs a header row")
        header, warnings = _unique_header(header)
        rows: list[list[str]] = []
        numbers: list[int] = []
        rejected: list[RejectedRow] = []
        row_number = 0
        yielded = False
        for fields in reader:
            if not fields:
                continue
            row_number += 1
            if len(fields) == len(header):
                rows.append(fields)
                numbers.append(row_number)
            else:
                detail = f"expected {len(header)} fields as in the header, found {len(fields)}"
                rejected.append(RejectedRow(row_number, reason("wrong_field_count", detail), None, json.dumps(fields)))
            if len(rows) + len(rejected) >= chunk_size:
                yield Chunk(_text_frame(rows, header, numbers), rejected, warnings)
                rows, numbers, rejected, warnings, yielded = [], [], [], [], True
        if rows or rejected or not yielded:
            yield Chunk(_text_frame(rows, header, numbers), rejected, warnings)


def _json_lines_chunks(path: Path, keep_whole: Callable[[str], bool], chunk_size: int) -> Iterator[Chunk]:
    records: list[dict[str, str | None]] = []
    numbers: list[int] = []
    rejected: list[RejectedRow] = []
    row_number = 0
    parsed_any = False
    with open_text(path) as stream:
        for line in stream:
            if not line.strip():
                continue
            row_number += 1
            if row_number == 1 and line.lstrip().startswith("["):
                raise UnreadableFile(
                    f"{path.name} starts with '[': it is a JSON array, not JSON lines; nothing was loaded "
                    "(a partly loaded array would drop objects silently). Export one object per line."
                )
            record = _parse_json_line(line)
            if isinstance(record, dict):
                records.append(flatten(record, keep_whole))
                numbers.append(row_number)
                parsed_any = True
            else:
                text = line.rstrip("\r\n")
                rejected.append(
                    RejectedRow(
                        row_number, reason(record.code, record.detail), text[:BAD_VALUE_LIMIT], json.dumps(text)
                    )
                )
            if len(records) + len(rejected) >= chunk_size:
                yield Chunk(_text_frame(records, None, numbers), rejected)
                records, numbers, rejected = [], [], []
    if row_number and not parsed_any:
        raise UnreadableFile(f"{path.name}: no line is a JSON object; is it really JSON lines (one object per line)?")
    if records or rejected:
        yield Chunk(_text_frame(records, None, numbers), rejected)


def _parse_json_line(line: str) -> dict | RejectedReason:
    """The line's object, or why it is rejected."""
    if json_depth_exceeds(line, MAX_JSON_DEPTH):
        return RejectedReason("json_too_deep", f"line nests objects or arrays deeper than {MAX_JSON_DEPTH} levels")
    try:
        value = json.loads(line)
    except (ValueError, RecursionError) as error:
        return RejectedReason("malformed_json", f"line does not parse as JSON ({error})")
    if not isinstance(value, dict):
        return RejectedReason("malformed_json", f"line is JSON but not an object: {quoted(line.strip(), 40)}")
    return value


@dataclass(frozen=True)
class RejectedReason:
    code: str
    detail: str


def json_depth_exceeds(text: str, limit: int) -> bool:
    """Whether brackets outside strings nest deeper than limit, found without parsing (no recursion)."""
    if text.count("{") + text.count("[") <= limit:
        return False
    depth = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "{[":
            depth += 1
            if depth > limit:
                return True
        elif char in "}]":
            depth -= 1
    return False


def _parquet_chunks(path: Path, keep_whole: Callable[[str], bool], chunk_size: int) -> Iterator[Chunk]:
    with local_parquet(path) as local:
        parquet = pq.ParquetFile(local)
        first_row = 1
        for batch in parquet.iter_batches(batch_size=chunk_size):
            yield Chunk(_arrow_text_frame(batch, keep_whole, first_row))
            first_row += batch.num_rows
        if first_row == 1:
            empty = pa.RecordBatch.from_pylist([], schema=parquet.schema_arrow)
            yield Chunk(_arrow_text_frame(empty, keep_whole, first_row))


def _arrow_text_frame(batch: pa.RecordBatch, keep_whole: Callable[[str], bool], first_row: int) -> pd.DataFrame:
    columns = _arrow_text_columns(batch.schema.names, batch.columns, keep_whole, "")
    frame = pa.Table.from_pydict(columns).to_pandas().astype("string")
    frame.index = pd.RangeIndex(first_row, first_row + batch.num_rows)
    return frame


def _arrow_text_columns(
    names: list[str], arrays: list[pa.Array], keep_whole: Callable[[str], bool], prefix: str
) -> dict[str, pa.Array]:
    """Struct columns flattened with '.' (JSON columns kept whole), every column cast to text."""
    columns: dict[str, pa.Array] = {}
    for name, array in zip(names, arrays, strict=True):
        path = f"{prefix}{name}"
        if pa.types.is_struct(array.type) and not keep_whole(path):
            children = [child.name for child in array.type]
            columns.update(_arrow_text_columns(children, array.flatten(), keep_whole, f"{path}."))
        else:
            columns[path] = _arrow_to_text(array)
    return columns


def _arrow_to_text(array: pa.Array) -> pa.Array:
    if pa.types.is_dictionary(array.type):
        array = array.dictionary_decode()
    if pa.types.is_nested(array.type):
        return pa.array([to_text(value) for value in array.to_pylist()], pa.string())
    return pc.cast(array, pa.string())
