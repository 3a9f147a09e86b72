"""The raw layer as Parquet files, for engines that cannot open the DuckDB file (Spark).

Ingestion stays the one place that decides what is loaded: it writes each landing file's rows,
quarantined rows and manifest entry in one DuckDB transaction (exactly once by content hash,
all or nothing). `sync_lake` then mirrors every committed file into the lake:

    <lake>/raw/<table>/<file_hash>.parquet        the file's rows (one Parquet file per landing file)
    <lake>/raw/quarantine/<file_hash>.parquet     its quarantined rows
    <lake>/raw/load_manifest/<file_hash>.parquet  its manifest row: written LAST, the commit

Readers (the Spark views that `macros/spark/register_raw_lake.sql` creates, or DuckDB's
read_parquet) take only rows whose `_file_hash` has a manifest file, so a crash half-way
through a file leaves nothing visible; the next sync writes the file again (files are named by
hash, so a rewrite replaces, never duplicates). Every Parquet file is written to a temporary
name and renamed into place. A manifest entry that changed in DuckDB (a failed file loaded
later) is re-exported; one that disappeared (e.g. deleted by hand) is removed from the lake.
Rows changed in place in DuckDB after loading need `sync_lake(..., rewrite=True)`, which
orchestration/erase.py calls after an erasure.
"""

from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from orchestration.ingestion.contract import SOURCES
from orchestration.ingestion.raw_tables import RAW_SCHEMA, create_raw_tables

logger = logging.getLogger(__name__)

MANIFEST = "load_manifest"
QUARANTINE = "quarantine"
# A zero-row file per table carries its schema, so a table with no loaded file yet is readable.
SCHEMA_FILE = "empty-schema.parquet"


@dataclass
class LakeSyncReport:
    exported: list[str] = field(default_factory=list)  # file hashes written (or rewritten)
    removed: list[str] = field(default_factory=list)  # file hashes no longer in the manifest

    def summary(self) -> str:
        return f"lake: {len(self.exported)} file(s) exported, {len(self.removed)} removed"


def raw_tables() -> list[str]:
    """Every raw table the lake mirrors: one per source, plus quarantine and the manifest."""
    return [source.table for source in SOURCES.values()] + [QUARANTINE, MANIFEST]


def sync_lake(db_path: Path, lake_dir: Path, rewrite: bool = False) -> LakeSyncReport:
    """Mirror the committed raw layer of the DuckDB file into `lake_dir` (see module doc)."""
    lake_dir = Path(lake_dir)
    report = LakeSyncReport()
    with duckdb.connect(str(db_path)) as con:
        create_raw_tables(con)
        for table in raw_tables():
            (lake_dir / RAW_SCHEMA / table).mkdir(parents=True, exist_ok=True)
            _copy(con, f"select * from {RAW_SCHEMA}.{table} limit 0", [], _table_dir(lake_dir, table) / SCHEMA_FILE)
        committed = dict(
            con.execute(
                f"select file_hash, max(loaded_at) from {RAW_SCHEMA}.{MANIFEST} where file_hash is not null group by 1"
            ).fetchall()
        )
        mirrored = _mirrored(con, lake_dir)
        for file_hash, loaded_at in sorted(committed.items()):
            if rewrite or mirrored.get(file_hash) != loaded_at:
                _export_file(con, lake_dir, file_hash)
                report.exported.append(file_hash)
        for file_hash in sorted(set(mirrored) - set(committed)):
            _remove_file(lake_dir, file_hash)
            report.removed.append(file_hash)
    logger.info("%s", report.summary())
    return report


def _table_dir(lake_dir: Path, table: str) -> Path:
    return lake_dir / RAW_SCHEMA / table


def _mirrored(con: duckdb.DuckDBPyConnection, lake_dir: Path) -> dict[str, object]:
    """file_hash -> loaded_at of the manifest entries already in the lake."""
    files = sorted(p for p in _table_dir(lake_dir, MANIFEST).glob("*.parquet") if p.name != SCHEMA_FILE)
    if not files:
        return {}
    rows = con.execute(
        "select file_hash, max(loaded_at) from read_parquet(?, union_by_name = true) group by 1",
        [[str(p) for p in files]],
    ).fetchall()
    return dict(rows)


def _export_file(con: duckdb.DuckDBPyConnection, lake_dir: Path, file_hash: str) -> None:
    """Rows and quarantined rows first, the manifest row last (the commit)."""
    name = f"{file_hash}.parquet"
    for table in raw_tables():
        if table == MANIFEST:
            continue
        target = _table_dir(lake_dir, table) / name
        query = f"select * from {RAW_SCHEMA}.{table} where _file_hash = ?"
        if table == QUARANTINE:
            query = f"select * from {RAW_SCHEMA}.{table} where file_hash = ?"
        if con.execute(f"select count(*) from ({query})", [file_hash]).fetchone()[0]:
            _copy(con, query, [file_hash], target)
        else:
            target.unlink(missing_ok=True)
    _copy(
        con,
        f"select * from {RAW_SCHEMA}.{MANIFEST} where file_hash = ?",
        [file_hash],
        _table_dir(lake_dir, MANIFEST) / name,
    )


def _remove_file(lake_dir: Path, file_hash: str) -> None:
    """Manifest entry first (readers stop seeing the file), then its rows."""
    name = f"{file_hash}.parquet"
    (_table_dir(lake_dir, MANIFEST) / name).unlink(missing_ok=True)
    for table in raw_tables():
        (_table_dir(lake_dir, table) / name).unlink(missing_ok=True)


def _copy(con: duckdb.DuckDBPyConnection, query: str, parameters: list, target: Path) -> None:
    """Write the query's rows to `target` atomically (temporary file outside the table folder)."""
    staging = target.parent.parent / ".staging"
    staging.mkdir(exist_ok=True)
    temporary = staging / f"{target.parent.name}-{target.name}"
    # COPY takes no prepared parameters; the only ones are content hashes (hex), checked here.
    for value in parameters:
        if not re.fullmatch(r"[0-9a-f]+", value):
            raise ValueError(f"not a content hash: {value!r}")
        query = query.replace("?", f"'{value}'", 1)
    con.execute(f"copy ({query}) to '{temporary}' (format parquet, compression zstd)")
    os.replace(temporary, target)


if __name__ == "__main__":
    import argparse

    from orchestration import settings

    parser = argparse.ArgumentParser(description="Mirror the committed raw layer of the warehouse into the lake.")
    parser.add_argument("--rewrite", action="store_true", help="rewrite every file (after an erasure)")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    print(sync_lake(settings.warehouse_path(), settings.lake_dir(), rewrite=args.rewrite).summary())
