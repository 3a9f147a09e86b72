"""The right to erasure: `python -m orchestration.erase --email ADDRESS` (and the Dagster job
`erase_person`) removes one person from every place the pipeline keeps data.

Under the pipeline lock, in this order:

1. records a tombstone (sha256 of the address only) so a later re-export of the person is
   dropped at ingestion (orchestration/ingestion/tombstones.py);
2. rewrites every landing file that mentions the address without those rows (new file,
   swapped in; the manifest and raw lineage follow the new content hash, so the rewritten
   file is not loaded again and is no conflict);
3. deletes the rows that mention the address from every raw table and from the quarantine
   (manifest counts follow, so rows read = loaded + quarantined still holds) and blanks it in
   manifest errors;
4. rewrites the Parquet lake (the raw layer Spark reads, orchestration/lake.py) from the erased
   raw tables, when there is one: every file again, the rewritten landing files' old names removed;
5. rebuilds every dbt model from the raw layer (`dbt build --full-refresh`, on the TW_TARGET
   engine: on Spark every table is dropped and written again), so no model keeps a row derived
   from the person;
6. compacts the warehouse by copying it into a new file (deleted rows and VACUUM leave bytes
   behind; a copy does not), publishes the rebuilt marts again (from Spark's tables on the
   Spark target) and removes every superseded published version at once (no grace period for
   an erased person);
7. checks that no table, no landing file, no database file, no published file (bytes and
   Parquet rows) and no Parquet file of the lake or of local Spark's tables still holds the
   address (a Spark table left from an earlier TW_TARGET=spark run, when the target is now
   DuckDB, is reported, not deleted).

A mention is the address as a whole token, in any case, plain or URL-encoded (ana%40acme.io in
a query string, once or twice encoded): erasing ana@acme.io leaves diana@acme.io alone.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from orchestration import settings
from orchestration.ingestion.files import CSV, JSON_LINES, PARQUET, discover_landing_files, file_format, file_sha256
from orchestration.ingestion.raw_tables import RAW_SCHEMA, create_raw_tables
from orchestration.ingestion.tombstones import TOMBSTONE_TABLE, address_hash, create_tombstone_table
from orchestration.ingestion.validate import EMAIL_PATTERN
from orchestration.lake import sync_lake
from orchestration.lock import pipeline_lock
from orchestration.published import PUBLISHED_RELATIONS, PUBLISHED_SCHEMA


@dataclass
class ErasureReport:
    address_sha256: str
    landing_rows_removed: dict[str, int] = field(default_factory=dict)
    raw_rows_removed: dict[str, int] = field(default_factory=dict)
    remaining_mentions: list[str] = field(default_factory=list)

    def summary(self) -> str:
        lines = [f"erased the person with address hash {self.address_sha256[:12]}..."]
        lines += [f"  landing {name}: {count} rows removed" for name, count in self.landing_rows_removed.items()]
        lines += [f"  {table}: {count} rows removed" for table, count in self.raw_rows_removed.items()]
        if self.remaining_mentions:
            lines += [f"  STILL FOUND in {place}" for place in self.remaining_mentions]
        else:
            lines.append("  checked: no table, landing file or database file holds the address any more")
        return "\n".join(lines)


def normalized_address(address: str) -> str:
    normalized = address.strip().lower()
    if not re.fullmatch(EMAIL_PATTERN, normalized):
        raise ValueError(f"{address!r} is not an e-mail address")
    return normalized


# How an address appears besides plainly: URL-encoded once or twice (a query string such as
# ?email=ana%40acme.io, or that URL inside another one), with "+" in the local part encoded too.
_ENCODED_AT = r"(@|%40|%2540)"
_ENCODED_PLUS = r"(\+|%2b|%252b)"
# An encoded character that cannot be part of an address may stand right before it (=, :, space,
# comma, semicolon, &, <, quotes, /, ?): "redirect=...%3Dana%2540acme.io" names the person.
_ENCODED_SEPARATOR = r"%(25)?(3d|3a|20|2c|3b|26|3c|22|27|2f|3f)"


def mention_pattern(address: str) -> str:
    """RE2/Python regex over lower-cased text: the address as a whole token (not inside a longer
    address or domain), plain or URL-encoded."""
    local, domain = address.rsplit("@", 1)
    local_pattern = _ENCODED_PLUS.join(re.escape(part) for part in local.split("+"))
    body = f"{local_pattern}{_ENCODED_AT}{re.escape(domain)}"
    return rf"(^|[^a-z0-9._%+\-]|{_ENCODED_SEPARATOR}){body}($|[^a-z0-9\-.]|\.($|[^a-z0-9]))"


def mentions(text: str | None, address: str) -> bool:
    return bool(text) and re.search(mention_pattern(address), text.lower()) is not None


def erase_person(address: str, rebuild: bool = True) -> ErasureReport:
    """Remove the person from landing files, raw layer, models and the published copy."""
    address = normalized_address(address)
    report = ErasureReport(address_hash(address))
    warehouse, landing = settings.warehouse_path(), settings.landing_dir()
    with pipeline_lock("python -m orchestration.erase"):
        warehouse.parent.mkdir(parents=True, exist_ok=True)
        with duckdb.connect(str(warehouse)) as con:
            create_raw_tables(con)
            create_tombstone_table(con)
            con.execute(f"insert into {TOMBSTONE_TABLE} values (?, ?)", [report.address_sha256, _now()])
            if landing.is_dir():
                for path in discover_landing_files(landing):
                    if not path.is_symlink():
                        _erase_from_landing_file(con, path, address, report)
            _erase_from_raw(con, address, report)
        if settings.lake_dir().is_dir():
            print(sync_lake(warehouse, settings.lake_dir(), rewrite=True).summary(), flush=True)
        if rebuild:
            _rebuild_models()
        compact(warehouse)
        _publish(warehouse)
        report.remaining_mentions = find_mentions(address, warehouse, landing)
    return report


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


# --- landing files ------------------------------------------------------------------------------


def _erase_from_landing_file(con: duckdb.DuckDBPyConnection, path: Path, address: str, report: ErasureReport) -> None:
    content = _decompressed(path)
    if re.search(mention_pattern(address).encode(), content.lower()) is None:
        return
    kind = file_format(path)
    if kind == CSV:
        new_content, removed = _without_csv_rows(content, address)
    elif kind == JSON_LINES:
        new_content, removed = _without_lines(content, address)
    elif kind == PARQUET:
        new_content, removed = _without_parquet_rows(content, address)
    else:  # not a format ingestion reads: nothing of it was loaded; remove the lines naming the person
        new_content, removed = _without_lines(content, address)
    old_hash = file_sha256(path)
    staging = path.with_name(f".{path.name}.erasing")
    staging.write_bytes(gzip.compress(new_content) if path.name.lower().endswith(".gz") else new_content)
    os.replace(staging, path)
    new_hash = file_sha256(path)
    for table in _raw_tables(con):
        con.execute(f'update {RAW_SCHEMA}."{table}" set _file_hash = ? where _file_hash = ?', [new_hash, old_hash])
    con.execute(f"update {RAW_SCHEMA}.quarantine set file_hash = ? where file_hash = ?", [new_hash, old_hash])
    con.execute(
        f"update {RAW_SCHEMA}.load_manifest set file_hash = ?, size_bytes = ? where file_hash = ?",
        [new_hash, path.stat().st_size, old_hash],
    )
    report.landing_rows_removed[path.name] = removed


def _decompressed(path: Path) -> bytes:
    data = path.read_bytes()
    if path.name.lower().endswith(".gz"):
        try:
            return gzip.decompress(data)
        except (OSError, EOFError):
            return data
    return data


def _without_csv_rows(content: bytes, address: str) -> tuple[bytes, int]:
    text = content.decode("utf-8-sig", errors="replace")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    kept = [row for row in rows if not any(mentions(value, address) for value in row)]
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(kept)
    return buffer.getvalue().encode("utf-8"), len(rows) - len(kept)


def _without_lines(content: bytes, address: str) -> tuple[bytes, int]:
    lines = content.decode("utf-8", errors="replace").splitlines(keepends=True)
    kept = [line for line in lines if not mentions(line, address)]
    return "".join(kept).encode("utf-8"), len(lines) - len(kept)


def _without_parquet_rows(content: bytes, address: str) -> tuple[bytes, int]:
    table = pq.read_table(pa.BufferReader(content))
    keep = [not mentions(json.dumps(row, default=str, ensure_ascii=False), address) for row in table.to_pylist()]
    kept = table.filter(pa.array(keep, pa.bool_()))
    sink = pa.BufferOutputStream()
    pq.write_table(kept, sink)
    return sink.getvalue().to_pybytes(), table.num_rows - kept.num_rows


# --- raw layer ----------------------------------------------------------------------------------


def _raw_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    rows = con.execute(
        "select table_name from information_schema.tables where table_schema = ? and table_type = 'BASE TABLE' "
        "and table_name not in ('load_manifest', 'quarantine', 'erasure_tombstones')",
        [RAW_SCHEMA],
    ).fetchall()
    return sorted(row[0] for row in rows)


def _text_columns(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> list[str]:
    rows = con.execute(
        "select column_name from information_schema.columns where table_schema = ? and table_name = ? "
        "and data_type = 'VARCHAR'",
        [schema, table],
    ).fetchall()
    return [row[0] for row in rows]


def _mention_condition(columns: list[str]) -> str:
    return " or ".join(f'regexp_matches(lower("{column}"), $pattern)' for column in columns) or "false"


def _erase_from_raw(con: duckdb.DuckDBPyConnection, address: str, report: ErasureReport) -> None:
    pattern = {"pattern": mention_pattern(address)}
    for table in _raw_tables(con):
        condition = _mention_condition([c for c in _text_columns(con, RAW_SCHEMA, table) if not c.startswith("_")])
        removed = con.execute(
            f'select _file_hash, count(*) from {RAW_SCHEMA}."{table}" where {condition} group by 1', pattern
        ).fetchall()
        if not removed:
            continue
        con.execute(f'delete from {RAW_SCHEMA}."{table}" where {condition}', pattern)
        for file_hash, count in removed:
            con.execute(
                f"update {RAW_SCHEMA}.load_manifest set rows_read = rows_read - ?, rows_loaded = rows_loaded - ? "
                "where file_hash = ? and source_name = ? and status = 'loaded'",
                [count, count, file_hash, table],
            )
        report.raw_rows_removed[f"raw.{table}"] = sum(count for _, count in removed)
    condition = _mention_condition(["bad_value", "raw_record"])
    removed = con.execute(
        f"select file_hash, source_name, count(*) from {RAW_SCHEMA}.quarantine where {condition} group by 1, 2",
        pattern,
    ).fetchall()
    if removed:
        con.execute(f"delete from {RAW_SCHEMA}.quarantine where {condition}", pattern)
        for file_hash, source_name, count in removed:
            con.execute(
                f"update {RAW_SCHEMA}.load_manifest set rows_read = rows_read - ?, "
                "rows_quarantined = rows_quarantined - ? where file_hash = ? and source_name = ? and status = 'loaded'",
                [count, count, file_hash, source_name],
            )
        report.raw_rows_removed["raw.quarantine"] = sum(count for *_, count in removed)
    for column in ("error", "warnings"):
        blanked = f"regexp_replace(lower({column}), $pattern, '\\1[erased]\\2', 'g')"
        con.execute(
            f"update {RAW_SCHEMA}.load_manifest set {column} = {blanked} "
            f"where regexp_matches(lower({column}), $pattern)",
            pattern,
        )


# --- models, compaction, publishing -------------------------------------------------------------


def _rebuild_models() -> None:
    """Every model rebuilt from the raw layer (full refresh), with its data tests."""
    from orchestration.resources import DBT_CHILD

    settings.export_warehouse_path_for_dbt()
    project = str(settings.PROJECT_DIR)
    print("rebuilding every dbt model from the raw layer (dbt build --full-refresh) ...", flush=True)
    completed = subprocess.run(
        [
            str(DBT_CHILD),
            "build",
            "--full-refresh",
            "--exclude-resource-type",
            "unit_test",
            "--project-dir",
            project,
            "--profiles-dir",
            project,
        ],
        cwd=project,
        env=os.environ,
    )
    if completed.returncode not in (0, 1):  # 1: a data test failed; the rows are rebuilt all the same
        raise RuntimeError(f"dbt build --full-refresh failed with exit code {completed.returncode}")


def compact(warehouse: Path) -> None:
    """Copy the database into a new file and swap it in: deleted rows leave no bytes behind."""
    folder = warehouse.parent / f".{warehouse.name}.compacting"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    target = folder / warehouse.name  # same file name, so the catalog keeps its name
    try:
        with duckdb.connect(str(target)) as con:
            con.execute(f"attach '{warehouse}' as erase_source (read_only)")
            con.execute(f'copy from database erase_source to "{target.stem}"')
            con.execute("detach erase_source")
            con.execute("checkpoint")
        os.replace(target, warehouse)
        Path(f"{warehouse}.wal").unlink(missing_ok=True)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _publish(warehouse: Path) -> None:
    """Publish the rebuilt marts again and remove every superseded version at once: the grace
    period readers get (orchestration/publishing.py) does not apply to an erased person's rows.
    A reader in the middle of a query on an old version keeps the files it has open."""
    from orchestration.publishing import mart_source, publish, spark_table_dir

    source = mart_source()
    schema = settings.schema(PUBLISHED_SCHEMA)
    if source.is_dir():  # the Spark target: its tables' Parquet files
        built = {name for name in PUBLISHED_RELATIONS if any(spark_table_dir(source, schema, name).glob("*.parquet"))}
    else:
        with duckdb.connect(str(warehouse), read_only=True) as con:
            built = {
                row[0]
                for row in con.execute(
                    "select table_name from information_schema.tables where table_schema = ?", [schema]
                ).fetchall()
            }
    if set(PUBLISHED_RELATIONS) <= built:  # else nothing was ever built to publish (raw layer only)
        publish(source, settings.published_path(), grace_seconds=0)


# --- checking -----------------------------------------------------------------------------------


def find_mentions(address: str, warehouse: Path, landing: Path) -> list[str]:
    """Every place that still holds the address: tables (any text column), files' bytes, the
    rows of every published Parquet file (compressed, so their bytes alone prove little), and
    the rows of every Parquet file of the lake and of local Spark's tables."""
    from orchestration.publishing import published_files

    found = []
    needle = re.compile(mention_pattern(address).encode())
    for path in [warehouse, *published_files(settings.published_path())]:
        if path.exists() and needle.search(path.read_bytes().lower()):
            found.append(f"the bytes of {path}")
        if path.suffix == ".parquet":
            found += [f"{path}: {place}" for place in parquet_mentions(path, address)]
    if landing.is_dir():
        files = discover_landing_files(landing)
        found += [f"landing file {path.name}" for path in files if needle.search(_decompressed(path).lower())]
    if warehouse.exists():
        with duckdb.connect(str(warehouse), read_only=True) as con:
            found += table_mentions(con, address)
    found += folder_mentions(address, [settings.lake_dir(), settings.spark_dir()])
    return found


def folder_mentions(address: str, folders: list[Path]) -> list[str]:
    """'<file>: <column> (n rows)' for every Parquet file under `folders` with a text, list or
    struct column that mentions the address (read per folder of files, one query per column)."""
    found = []
    with duckdb.connect() as con:
        for folder in (f for f in folders if f.is_dir()):
            for directory in sorted({path.parent for path in folder.rglob("*.parquet")}):
                files = "[" + ", ".join(_sql_text(p) for p in sorted(directory.glob("*.parquet"))) + "]"
                source = f"read_parquet({files}, union_by_name = true, filename = true)"
                described = con.execute(f"describe select * from {source}").fetchall()
                text_like = ("VARCHAR", "[]", "STRUCT", "MAP")
                columns = [name for name, kind, *_ in described if any(t in kind for t in text_like)]
                columns = [name for name in columns if name != "filename"]
                for column in columns:
                    hits = con.execute(
                        f"select filename, count(*) from {source} "
                        f'where regexp_matches(lower(cast("{column}" as varchar)), ?) group by 1 order by 1',
                        [mention_pattern(address)],
                    ).fetchall()
                    found += [f"Parquet file {name}: {column} ({count} rows)" for name, count in hits]
    return found


def _sql_text(value: Path) -> str:
    return "'" + str(value).replace("'", "''") + "'"


def parquet_mentions(path: Path, address: str) -> list[str]:
    """The text columns of a Parquet file whose values mention the address."""
    quoted = "'" + str(path).replace("'", "''") + "'"
    with duckdb.connect() as con:
        con.execute(f"create view parquet_file as select * from read_parquet({quoted})")
        return table_mentions(con, address)


def table_mentions(con: duckdb.DuckDBPyConnection, address: str) -> list[str]:
    """schema.table.column of every text column (tables and views) whose values mention the address."""
    columns = con.execute(
        "select table_schema, table_name, column_name from information_schema.columns "
        "where data_type = 'VARCHAR' and table_catalog = current_database() order by 1, 2, 3"
    ).fetchall()
    found = []
    for schema, table, column in columns:
        hits = con.execute(
            f'select count(*) from "{schema}"."{table}" where regexp_matches(lower("{column}"), ?)',
            [mention_pattern(address)],
        ).fetchone()[0]
        if hits:
            found.append(f"{schema}.{table}.{column} ({hits} rows)")
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Erase one person from landing files, warehouse and published copy.")
    parser.add_argument("--email", required=True, help="the person's e-mail address")
    parser.add_argument("--no-rebuild", action="store_true", help="skip rebuilding the dbt models (tests only)")
    args = parser.parse_args(argv)
    try:
        report = erase_person(args.email, rebuild=not args.no_rebuild)
    except ValueError as error:
        print(error, file=sys.stderr)
        return 2
    print(report.summary())
    return 1 if report.remaining_mentions else 0


if __name__ == "__main__":
    raise SystemExit(main())
