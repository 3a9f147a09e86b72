"""DDL for the raw layer: one DuckDB table per source plus the load manifest and quarantine."""

from __future__ import annotations

import duckdb

from orchestration.ingestion.contract import DUCKDB_TYPES, LINEAGE_COLUMNS, SOURCES, Source

RAW_SCHEMA = "raw"

MANIFEST_COLUMNS = {
    "file_name": "VARCHAR",
    "file_hash": "VARCHAR",
    "source_name": "VARCHAR",
    "size_bytes": "BIGINT",
    "rows_read": "BIGINT",
    "rows_loaded": "BIGINT",
    "rows_quarantined": "BIGINT",
    "status": "VARCHAR",  # loaded | failed
    "error": "VARCHAR",
    "loaded_at": "TIMESTAMP",
    "warnings": "VARCHAR",  # reader warnings (dropped duplicate columns, ...), one per line
}

QUARANTINE_COLUMNS = {
    "file_name": "VARCHAR",
    "file_hash": "VARCHAR",
    "source_name": "VARCHAR",
    "row_number": "BIGINT",
    "field_name": "VARCHAR",
    "reason": "VARCHAR",
    "bad_value": "VARCHAR",
    "raw_record": "VARCHAR",
    "quarantined_at": "TIMESTAMP",
}


def _ddl(table: str, columns: dict[str, str]) -> str:
    cols = ",\n    ".join(f'"{name}" {type_}' for name, type_ in columns.items())
    return f"create table if not exists {RAW_SCHEMA}.{table} (\n    {cols}\n)"


def raw_columns(source: Source) -> dict[str, str]:
    """Raw-table columns of a source: its contract columns, then the lineage columns."""
    columns = {col.raw_name: DUCKDB_TYPES[col.type] for col in source.columns}
    return columns | LINEAGE_COLUMNS


def create_raw_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Create the raw schema and every raw table if missing (idempotent)."""
    con.execute(f"create schema if not exists {RAW_SCHEMA}")
    for source in SOURCES.values():
        con.execute(_ddl(source.table, raw_columns(source)))
    con.execute(_ddl("load_manifest", MANIFEST_COLUMNS))
    # warehouses created before the column existed
    con.execute(f"alter table {RAW_SCHEMA}.load_manifest add column if not exists warnings VARCHAR")
    con.execute(_ddl("quarantine", QUARANTINE_COLUMNS))


if __name__ == "__main__":
    import sys

    with duckdb.connect(sys.argv[1]) as connection:
        create_raw_tables(connection)
