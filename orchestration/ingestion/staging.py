"""Bounded memory for large files: stage each validated chunk as Parquet, insert once at the end.

A landing file loads in one transaction (all or nothing). DuckDB keeps the rows an open
transaction appended in memory, outside its memory limit: inserting each chunk directly took
about 450 MiB more per 2 million web events, so memory grew with the file. Instead each chunk
is written (already cast to the raw table's types) to a Parquet file in a temporary folder, and
at the end of the file one INSERT ... SELECT per table reads them back; DuckDB streams that
into the database file within its memory limit. The folder (under TMPDIR) is removed when the
file is done, whether it loaded or failed.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

from orchestration.ingestion.contract import Source
from orchestration.ingestion.raw_tables import QUARANTINE_COLUMNS, RAW_SCHEMA, raw_columns

LINEAGE_COLUMNS = ["_file_name", "_file_hash", "_row_number", "_loaded_at"]


def _sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


class StagedLoad:
    """The rows and quarantine rows of one landing file, staged in `folder` until `insert_all`."""

    def __init__(self, con: duckdb.DuckDBPyConnection, source: Source, lineage: list, folder: Path) -> None:
        self.con, self.source, self.lineage, self.folder = con, source, lineage, folder
        # Chunks are registered and copied out on a cursor of their own, outside the file's
        # transaction: a data frame registered inside an open transaction stays referenced by
        # the catalog until it commits, which was the other half of the growth.
        self.stager = con.cursor()
        self.row_files: list[Path] = []
        self.quarantine_files: list[Path] = []
        self.contract_columns = {name: type_ for name, type_ in raw_columns(source).items() if not name.startswith("_")}

    def _stage(self, frame: pd.DataFrame, select: str, kind: str, files: list[Path]) -> None:
        if frame.empty:
            return
        target = self.folder / f"{kind}-{len(files):06d}.parquet"
        self.stager.register("staged_chunk", frame)
        try:
            self.stager.execute(f"copy ({select} from staged_chunk) to {_sql_string(str(target))} (format parquet)")
        finally:
            self.stager.unregister("staged_chunk")
        files.append(target)

    def add_rows(self, rows: pd.DataFrame) -> None:
        casts = ", ".join(f'cast("{name}" as {type_}) as "{name}"' for name, type_ in self.contract_columns.items())
        self._stage(rows, f'select {casts}, cast("_row_number" as bigint) as "_row_number"', "rows", self.row_files)

    def add_quarantine(self, quarantine: pd.DataFrame) -> None:
        select = (
            "select cast(row_number as bigint) as row_number, cast(field_name as varchar) as field_name, "
            "cast(reason as varchar) as reason, cast(bad_value as varchar) as bad_value, "
            "cast(raw_record as varchar) as raw_record"
        )
        self._stage(quarantine, select, "quarantine", self.quarantine_files)

    def insert_all(self) -> None:
        """Insert everything staged (inside the caller's transaction)."""
        self.stager.close()
        file_name, digest, loaded_at = self.lineage
        if self.row_files:
            names = ", ".join(f'"{name}"' for name in [*self.contract_columns, *LINEAGE_COLUMNS])
            columns = ", ".join(f'"{name}"' for name in self.contract_columns)
            self.con.execute(
                f"insert into {RAW_SCHEMA}.{self.source.table} ({names}) "
                f'select {columns}, ?, ?, "_row_number", ? from read_parquet({self._file_list(self.row_files)})',
                [file_name, digest, loaded_at],
            )
        if self.quarantine_files:
            self.con.execute(
                f"insert into {RAW_SCHEMA}.quarantine ({', '.join(QUARANTINE_COLUMNS)}) "
                "select ?, ?, ?, row_number, field_name, reason, bad_value, raw_record, ? "
                f"from read_parquet({self._file_list(self.quarantine_files)})",
                [file_name, digest, self.source.name, loaded_at],
            )

    @staticmethod
    def _file_list(files: list[Path]) -> str:
        return "[" + ", ".join(_sql_string(str(path)) for path in files) + "]"
