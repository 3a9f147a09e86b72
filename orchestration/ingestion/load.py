"""Load landing files into the raw layer: each file's content exactly once, all or nothing.

A file's raw rows, quarantined rows and manifest row are written in one DuckDB transaction, so
a crash part-way leaves nothing behind and the file is simply loaded again on the next run.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd

from orchestration.ingestion.columns import json_column_matcher
from orchestration.ingestion.contract import SOURCES, Source, source_for_file
from orchestration.ingestion.files import (
    FORMATS_BY_EXTENSION,
    JSON_LINES,
    UnreadableFile,
    discover_landing_files,
    file_format,
    file_sha256,
)
from orchestration.ingestion.raw_tables import (
    MANIFEST_COLUMNS,
    QUARANTINE_COLUMNS,
    RAW_SCHEMA,
    create_raw_tables,
    raw_columns,
)
from orchestration.ingestion.readers import read_chunks
from orchestration.ingestion.results import FAILED, LOADED, SKIPPED, FileResult, IngestionReport
from orchestration.ingestion.validate import check_columns, validate_chunk

__all__ = ["FileResult", "IngestionReport", "ingest_file", "ingest_landing_folder"]

DEFAULT_CHUNK_SIZE = 100_000

logger = logging.getLogger(__name__)


def ingest_landing_folder(landing_dir: Path, db_path: Path, chunk_size: int = DEFAULT_CHUNK_SIZE) -> IngestionReport:
    """Load every new file of the landing folder into the DuckDB file, in file-name order."""
    landing_dir, db_path = Path(landing_dir), Path(db_path)
    if not landing_dir.is_dir():
        raise FileNotFoundError(f"landing folder {landing_dir} does not exist")
    db_path.parent.mkdir(parents=True, exist_ok=True)
    report = IngestionReport()
    with duckdb.connect(str(db_path)) as con:
        create_raw_tables(con)
        for path in discover_landing_files(landing_dir):
            report.files.append(_ingest_file_safely(con, path, chunk_size))
    return report


def _ingest_file_safely(con: duckdb.DuckDBPyConnection, path: Path, chunk_size: int) -> FileResult:
    """ingest_file, turning an unexpected error into a failed result so the other files still load."""
    try:
        result = ingest_file(con, path, chunk_size)
    except Exception as error:  # noqa: BLE001 - one broken file must not stop the folder
        logger.exception("unexpected error while ingesting %s", path.name)
        source = source_for_file(path.name)
        result = FileResult(
            file_name=path.name,
            file_hash=None,
            source_name=source.name if source else None,
            status=FAILED,
            error=f"unexpected error, nothing was recorded and the file is retried next run: "
            f"{type(error).__name__}: {error}",
        )
    logger.info("%s", result.summary())
    return result


def ingest_file(con: duckdb.DuckDBPyConnection, path: Path, chunk_size: int = DEFAULT_CHUNK_SIZE) -> FileResult:
    """Load one landing file unless its content was loaded before.

    A file that cannot be read is recorded as failed (and tried again on a later run). Any other
    error rolls the file back completely and is raised.
    """
    path = Path(path)
    create_raw_tables(con)
    digest = file_sha256(path)
    source = source_for_file(path.name)
    source_name = source.name if source else None
    if _already_loaded(con, digest):
        return FileResult(path.name, digest, source_name, SKIPPED)
    loaded_at = datetime.now(UTC).replace(tzinfo=None)
    size_bytes = path.stat().st_size
    try:
        with _transaction(con):
            result = _load_file(con, path, _known_source(source, path), digest, loaded_at, chunk_size)
            _record_in_manifest(con, result, size_bytes, loaded_at)
        return result
    except UnreadableFile as error:
        result = FileResult(path.name, digest, source_name, FAILED, error=str(error))
        with _transaction(con):
            _record_in_manifest(con, result, size_bytes, loaded_at)
        return result


def _known_source(source: Source | None, path: Path) -> Source:
    if source is None:
        prefixes = ", ".join(sorted(SOURCES))
        raise UnreadableFile(f"{path.name}: unknown source prefix; a file name must start with one of: {prefixes}")
    return source


@contextmanager
def _transaction(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    con.begin()
    try:
        yield
    except BaseException:
        con.rollback()
        raise
    con.commit()


def _already_loaded(con: duckdb.DuckDBPyConnection, digest: str) -> bool:
    found = con.execute(
        f"select count(*) from {RAW_SCHEMA}.load_manifest where file_hash = ? and status = ?", [digest, LOADED]
    ).fetchone()
    return bool(found and found[0])


def _load_file(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    source: Source,
    digest: str,
    loaded_at: datetime,
    chunk_size: int,
) -> FileResult:
    """Read, validate and insert the file chunk by chunk (inside the caller's transaction)."""
    file_format_ = file_format(path)
    if file_format_ is None:
        supported = ", ".join(FORMATS_BY_EXTENSION)
        raise UnreadableFile(f"{path.name}: unsupported file type; use {supported}, optionally followed by .gz")
    lineage = [path.name, digest, loaded_at]
    columns_seen: dict[str, None] = {}
    rows_read = rows_loaded = rows_quarantined = 0
    for chunk in read_chunks(path, file_format_, json_column_matcher(source), chunk_size):
        if not rows_read and file_format_ != JSON_LINES:
            check_columns(source, chunk.frame.columns, path.name)
        if len(chunk.frame):
            columns_seen.update(dict.fromkeys(chunk.frame.columns))
        validated = validate_chunk(source, chunk)
        _insert_rows(con, source, validated.rows, lineage)
        _insert_quarantine(con, source, validated.quarantine, lineage)
        rows_read += chunk.rows_read
        rows_loaded += len(validated.rows)
        rows_quarantined += len(validated.quarantine)
    if columns_seen:
        check_columns(source, columns_seen, path.name)
    return FileResult(path.name, digest, source.name, LOADED, rows_read, rows_loaded, rows_quarantined)


def _insert_rows(con: duckdb.DuckDBPyConnection, source: Source, rows: pd.DataFrame, lineage: list) -> None:
    if rows.empty:
        return
    contract_columns = {name: type_ for name, type_ in raw_columns(source).items() if not name.startswith("_")}
    casts = ", ".join(f'cast("{name}" as {type_})' for name, type_ in contract_columns.items())
    lineage_columns = ["_file_name", "_file_hash", "_row_number", "_loaded_at"]
    names = ", ".join(f'"{name}"' for name in [*contract_columns, *lineage_columns])
    con.register("ingest_rows", rows)
    try:
        con.execute(
            f"insert into {RAW_SCHEMA}.{source.table} ({names}) "
            f'select {casts}, ?, ?, cast("_row_number" as bigint), ? from ingest_rows',
            lineage,
        )
    finally:
        con.unregister("ingest_rows")


def _insert_quarantine(con: duckdb.DuckDBPyConnection, source: Source, quarantine: pd.DataFrame, lineage: list) -> None:
    if quarantine.empty:
        return
    file_name, digest, loaded_at = lineage
    con.register("ingest_quarantine", quarantine)
    try:
        con.execute(
            f"insert into {RAW_SCHEMA}.quarantine "
            f"({', '.join(QUARANTINE_COLUMNS)}) "
            "select ?, ?, ?, cast(row_number as bigint), cast(field_name as varchar), cast(reason as varchar), "
            "cast(bad_value as varchar), cast(raw_record as varchar), ? from ingest_quarantine",
            [file_name, digest, source.name, loaded_at],
        )
    finally:
        con.unregister("ingest_quarantine")


def _record_in_manifest(
    con: duckdb.DuckDBPyConnection, result: FileResult, size_bytes: int, loaded_at: datetime
) -> None:
    """One manifest row per file hash: an earlier failed attempt of the same content is replaced."""
    con.execute(f"delete from {RAW_SCHEMA}.load_manifest where file_hash = ?", [result.file_hash])
    con.execute(
        f"insert into {RAW_SCHEMA}.load_manifest "
        f"({', '.join(MANIFEST_COLUMNS)}) "
        "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            result.file_name,
            result.file_hash,
            result.source_name,
            size_bytes,
            result.rows_read,
            result.rows_loaded,
            result.rows_quarantined,
            result.status,
            result.error,
            loaded_at,
        ],
    )
