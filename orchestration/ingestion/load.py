"""Load landing files into the raw layer: each file's content exactly once, all or nothing.

A file's raw rows, quarantined rows and manifest row are written in one DuckDB transaction, so
a crash part-way leaves nothing behind and the file is simply loaded again on the next run.
"""

from __future__ import annotations

import logging
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd

from orchestration import settings
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
from orchestration.ingestion.plausibility import window_from_env
from orchestration.ingestion.raw_tables import (
    MANIFEST_COLUMNS,
    RAW_SCHEMA,
    create_raw_tables,
)
from orchestration.ingestion.readers import Chunk, read_chunks
from orchestration.ingestion.results import (
    CONFLICT,
    FAILED,
    LOADED,
    REFUSED,
    SKIPPED,
    WAITING,
    FileResult,
    IngestionReport,
)
from orchestration.ingestion.staging import StagedLoad
from orchestration.ingestion.tombstones import ERASED_REASON, erased_rows, mentions_erased, tombstoned_hashes
from orchestration.ingestion.validate import check_columns, validate_chunk

__all__ = ["FileResult", "IngestionReport", "ingest_file", "ingest_landing_folder"]

DEFAULT_CHUNK_SIZE = 100_000

logger = logging.getLogger(__name__)


def ingest_landing_folder(
    landing_dir: Path, db_path: Path, chunk_size: int = DEFAULT_CHUNK_SIZE, settle_seconds: float = 0.0
) -> IngestionReport:
    """Load every new file of the landing folder into the DuckDB file, in file-name order.

    A file modified less than settle_seconds ago may still be being written: it is left for a
    later run (status waiting), as are hidden files (the upload-then-rename convention).
    """
    landing_dir, db_path = Path(landing_dir), Path(db_path)
    if not landing_dir.is_dir():
        raise FileNotFoundError(f"landing folder {landing_dir} does not exist")
    db_path.parent.mkdir(parents=True, exist_ok=True)
    report = IngestionReport()
    with duckdb.connect(str(db_path)) as con:
        # SET, not connect(config=...): another connection of this process to the same file
        # (a test, the Dagster process) would refuse a second configuration.
        con.execute(f"set memory_limit = '{settings.ingestion_memory_limit()}'")
        create_raw_tables(con)
        for path in discover_landing_files(landing_dir):
            refusal = refusal_reason(path, landing_dir)
            unsettled = None if refusal else unsettled_reason(path, settle_seconds)
            if refusal or unsettled:
                source = source_for_file(path.name)
                status = REFUSED if refusal else WAITING
                source_name = source.name if source else None
                result = FileResult(path.name, None, source_name, status, error=refusal or unsettled)
                logger.warning("%s", result.summary())
            else:
                result = _ingest_file_safely(con, path, chunk_size)
            report.files.append(result)
        report.latest_loaded_at = latest_load_times(con)
    return report


def latest_load_times(con: duckdb.DuckDBPyConnection) -> dict[str, datetime]:
    """When each source's newest file was loaded, and ("load_manifest") the newest attempt of any file."""
    rows = con.execute(
        f"select source_name, max(loaded_at) from {RAW_SCHEMA}.load_manifest "
        f"where status = '{LOADED}' and source_name is not null group by source_name "
        f"union all select 'load_manifest', max(loaded_at) from {RAW_SCHEMA}.load_manifest"
    ).fetchall()
    return {name: loaded_at for name, loaded_at in rows if loaded_at is not None}


def refusal_reason(path: Path, landing_dir: Path) -> str | None:
    """Why a landing entry must not be opened, or None: only regular files inside the folder load.

    A symbolic link could point anywhere (a system file whose first line would end up in an
    error message); the file is neither read nor hashed.
    """
    if path.is_symlink():
        return f"{path.name} is a symbolic link; only regular files inside the landing folder are loaded"
    if not path.is_file():
        return f"{path.name} is not a regular file"
    if path.resolve().parent != landing_dir.resolve():
        return f"{path.name} resolves to a file outside the landing folder"
    return None


def unsettled_reason(path: Path, settle_seconds: float) -> str | None:
    """Why a file may still be being written (modified within the settle time), or None."""
    age = time.time() - path.stat().st_mtime
    if age < settle_seconds:
        return f"{path.name} was modified {age:.0f} s ago; it loads once unchanged for {settle_seconds:g} s"
    return None


class FileChangedWhileReading(Exception):
    """Size or modification time changed between hashing and the end of the load."""


def _ingest_file_safely(con: duckdb.DuckDBPyConnection, path: Path, chunk_size: int) -> FileResult:
    """ingest_file, turning an unexpected error into a failed result so the other files still load."""
    try:
        result = ingest_file(con, path, chunk_size)
    except FileChangedWhileReading as error:
        source = source_for_file(path.name)
        result = FileResult(path.name, None, source.name if source else None, WAITING, error=str(error))
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
    before = path.stat()
    digest = file_sha256(path)
    source = source_for_file(path.name)
    source_name = source.name if source else None
    if _already_handled(con, source_name, digest):
        return FileResult(path.name, digest, source_name, SKIPPED)
    loaded_at = datetime.now(UTC).replace(tzinfo=None)
    size_bytes = before.st_size
    earlier = _loaded_under_same_name(con, path.name, source_name)
    if earlier:
        result = FileResult(path.name, digest, source_name, CONFLICT, error=_conflict_message(path.name, earlier))
        with _transaction(con):
            _record_in_manifest(con, result, size_bytes, loaded_at)
        return result
    try:
        with _transaction(con):
            result = _load_file(con, path, _known_source(source, path), digest, loaded_at, chunk_size)
            after = path.stat()
            if (after.st_size, after.st_mtime_ns) != (before.st_size, before.st_mtime_ns):
                raise FileChangedWhileReading(f"{path.name} changed while it was read; nothing kept, retried next run")
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


def _already_handled(con: duckdb.DuckDBPyConnection, source_name: str | None, digest: str) -> bool:
    """Whether this source loaded this content, or reported it as a conflict, before.

    The manifest key is source and content hash; a failed attempt is tried again.
    """
    found = con.execute(
        f"select count(*) from {RAW_SCHEMA}.load_manifest "
        "where file_hash = ? and source_name is not distinct from ? and status in (?, ?)",
        [digest, source_name, LOADED, CONFLICT],
    ).fetchone()
    return bool(found and found[0])


def _loaded_under_same_name(
    con: duckdb.DuckDBPyConnection, file_name: str, source_name: str | None
) -> tuple[str, datetime] | None:
    """(hash, load time) of other content this source loaded under this file name, if any."""
    return con.execute(
        f"select file_hash, loaded_at from {RAW_SCHEMA}.load_manifest "
        "where file_name = ? and source_name is not distinct from ? and status = ? "
        "order by loaded_at desc limit 1",
        [file_name, source_name, LOADED],
    ).fetchone()


def _conflict_message(file_name: str, earlier: tuple[str, datetime]) -> str:
    digest, loaded_at = earlier
    return (
        f"{file_name} changed after it was loaded on {loaded_at:%Y-%m-%d %H:%M:%S} UTC (content {digest[:12]}); "
        "the new content is not loaded. A corrected export must come under a new file name."
    )


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
    window = window_from_env()
    erased = tombstoned_hashes(con)
    columns_seen: dict[str, None] = {}
    warnings: list[str] = []
    rows_read = rows_loaded = rows_quarantined = 0
    with tempfile.TemporaryDirectory(prefix="tw-ingestion-") as folder:
        staged = StagedLoad(con, source, lineage, Path(folder))
        for chunk in read_chunks(path, file_format_, json_column_matcher(source), chunk_size):
            warnings.extend(chunk.warnings)
            if not rows_read and file_format_ != JSON_LINES:
                check_columns(source, chunk.frame.columns, path.name)
            if len(chunk.frame):
                columns_seen.update(dict.fromkeys(chunk.frame.columns))
            rows_read += chunk.rows_read
            chunk, erased_numbers = _without_erased_people(chunk, erased)
            validated = validate_chunk(source, chunk, loaded_at, window)
            quarantine = _with_erased_rows(validated.quarantine, erased_numbers)
            staged.add_rows(validated.rows)
            staged.add_quarantine(quarantine)
            rows_loaded += len(validated.rows)
            rows_quarantined += len(quarantine)
        staged.insert_all()
    if columns_seen:
        check_columns(source, columns_seen, path.name)
    for warning in warnings:
        logger.warning("%s: %s", path.name, warning)
    return FileResult(
        path.name, digest, source.name, LOADED, rows_read, rows_loaded, rows_quarantined, warnings=tuple(warnings)
    )


def _without_erased_people(chunk: Chunk, erased: frozenset[str]) -> tuple[Chunk, list[int]]:
    """The chunk without rows naming an erased person (tombstones.py), and their row numbers."""
    if not erased:
        return chunk, []
    mask = erased_rows(chunk.frame, erased)
    numbers = [int(number) for number in chunk.frame.index[mask.to_numpy()]]
    kept_rejected = []
    for rejected in chunk.rejected:
        if mentions_erased([rejected.bad_value, rejected.raw_record], erased):
            numbers.append(rejected.row_number)
        else:
            kept_rejected.append(rejected)
    if not numbers:
        return chunk, []
    return Chunk(chunk.frame[~mask.to_numpy()], kept_rejected, chunk.warnings), numbers


def _with_erased_rows(quarantine: pd.DataFrame, numbers: list[int]) -> pd.DataFrame:
    """Quarantine rows plus one content-free row per erased row (so read = loaded + quarantined)."""
    if not numbers:
        return quarantine
    erased = pd.DataFrame(
        {"row_number": numbers, "field_name": None, "reason": ERASED_REASON, "bad_value": None, "raw_record": None},
        dtype=object,
    )
    frames = [frame for frame in (quarantine, erased) if len(frame)]
    return pd.concat(frames, ignore_index=True).sort_values("row_number", ignore_index=True)


def _record_in_manifest(
    con: duckdb.DuckDBPyConnection, result: FileResult, size_bytes: int, loaded_at: datetime
) -> None:
    """One manifest row per attempt; (source_name, file_hash) identifies the content, loaded at most once."""
    con.execute(
        f"insert into {RAW_SCHEMA}.load_manifest "
        f"({', '.join(MANIFEST_COLUMNS)}) "
        f"values ({', '.join('?' * len(MANIFEST_COLUMNS))})",
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
            "\n".join(result.warnings) or None,
        ],
    )
