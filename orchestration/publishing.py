"""The published layer: what readers open, never the file the pipeline writes.

Layout (next to the reader file, by default warehouse/published/):

    touchpoints.duckdb          small DuckDB file of views; open this one (read-only)
    current -> versions/<id>    symlink, swapped atomically at each publication
    versions/<id>/marts/<relation>.parquet

Each publication exports every published relation (orchestration/published.py) as Parquet into
a new version folder, then swaps `current`. The views read `current/...`, so a reader that
keeps its connection open sees the new publication at its next query: DuckDB re-reads the view's
files at every query, while it would never notice a swapped database file. Version files are
never changed once written, so a query never reads a half-written one. Versions older than the
grace period (and not current) are removed; readers in the middle of a query on an old version
have that long to finish.

The source is the working DuckDB file, or on the Spark target (TW_TARGET=spark) the folder of
local Spark's tables (TW_SPARK_DIR/tables, `<schema>.db/<table>/*.parquet`): each published
relation is then read from its table's Parquet files (timestamps, which Spark writes as UTC
instants, published as UTC timestamps like DuckDB's), the comments come from dbt's manifest,
and the published layer is the same either way (`mart_source()` picks the source).

Unless TW_PUBLISH_EMAILS=true, no e-mail address reaches the published files: the columns that
hold them (orchestration/published.py, EMAIL_COLUMNS) are null, and any address in another text
column (a URL, a file name, a free-text field) is replaced by "[email]".
"""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from orchestration import settings
from orchestration.published import EMAIL_COLUMNS, EMAIL_MASK, PUBLISHED_RELATIONS, PUBLISHED_SCHEMA

CURRENT = "current"
VERSIONS = "versions"
VERSION_FORMAT = "%Y%m%dT%H%M%S%fZ"  # UTC publication time, sorts in time order

# Anything that looks like an e-mail address, also URL-encoded once or twice (ana%40acme.io,
# ana%2540acme.io), in any case.
ADDRESS_PATTERN = r"(?i)[a-z0-9._%+\-]+(@|%40|%2540)[a-z0-9\-]+(\.[a-z0-9\-]+)*\.[a-z]{2,}"
EMAIL_NOTE = " Null in the published layer unless TW_PUBLISH_EMAILS=true."


def _sql_string(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _comments(con: duckdb.DuckDBPyConnection, schema: str, name: str) -> tuple[str | None, dict[str, str]]:
    """The relation's comment and its column comments (written by dbt persist_docs)."""
    row = con.execute(
        "select comment from duckdb_tables() where schema_name = ? and table_name = ?"
        " union all select comment from duckdb_views() where schema_name = ? and view_name = ?",
        [schema, name, schema, name],
    ).fetchone()
    columns = con.execute(
        "select column_name, comment from duckdb_columns()"
        " where schema_name = ? and table_name = ? and comment is not null",
        [schema, name],
    ).fetchall()
    return (row[0] if row else None), dict(columns)


def _select_list(con: duckdb.DuckDBPyConnection, schema: str, name: str, publish_emails: bool) -> str:
    """The relation's columns as published: unless e-mail addresses may be published, the
    columns of EMAIL_COLUMNS are null and addresses in other text columns are masked."""
    columns = con.execute(
        "select column_name, data_type from duckdb_columns() where schema_name = ? and table_name = ?"
        " order by column_index",
        [schema, name],
    ).fetchall()
    if not columns:
        raise duckdb.CatalogException(f"{schema}.{name} does not exist in the warehouse")
    selected = []
    for column, data_type in columns:
        quoted = '"' + column.replace('"', '""') + '"'
        if publish_emails:
            selected.append(quoted)
        elif column in EMAIL_COLUMNS.get(name, ()):
            selected.append(f"cast(null as {data_type}) as {quoted}")
        elif data_type == "VARCHAR":
            masked = f"regexp_replace({quoted}, {_sql_string(ADDRESS_PATTERN)}, {_sql_string(EMAIL_MASK)}, 'g')"
            # the regular expression only where an address can be (most values have no @)
            selected.append(
                f"case when contains({quoted}, '@') or contains({quoted}, '%40') or contains({quoted}, '%2540')"
                f" then {masked}"
                f" else {quoted} end as {quoted}"
            )
        else:
            selected.append(quoted)
    return ", ".join(selected)


def mart_source() -> Path:
    """Where the marts to publish are: the DuckDB warehouse, or local Spark's table folder."""
    if settings.target() == "spark":
        return settings.spark_dir() / "tables"
    return settings.warehouse_path()


def spark_table_dir(tables: Path, schema: str, name: str) -> Path:
    """The folder of a managed table of local Spark (spark.sql.warehouse.dir, profiles.yml)."""
    return tables / f"{schema}.db" / name


@contextmanager
def _open_source(source: Path, schema: str, relations: tuple[str, ...]) -> Iterator[duckdb.DuckDBPyConnection]:
    """A DuckDB connection in which `schema`.<relation> is every relation to publish: the
    warehouse file (read-only), or views over the Parquet files of Spark's tables."""
    if not source.is_dir():
        with duckdb.connect(str(source), read_only=True) as con:
            yield con
        return
    with duckdb.connect() as con:
        con.execute("set TimeZone = 'UTC'")
        for name in relations:
            create_spark_table_view(con, source, schema, name)
        yield con


def create_spark_table_view(con: duckdb.DuckDBPyConnection, tables: Path, schema: str, name: str) -> None:
    """`schema`.`name` in `con`: a view over the Parquet files of local Spark's table, its
    timestamps (UTC instants in Spark's files) as UTC timestamps. The connection's time zone
    must be UTC."""
    folder = spark_table_dir(tables, schema, name)
    files = sorted(folder.glob("*.parquet"))
    if not files:
        raise FileNotFoundError(f"{schema}.{name}: no Parquet files in {folder} (not built on Spark yet?)")
    parquet = "read_parquet([" + ", ".join(_sql_string(str(f)) for f in files) + "])"
    columns = con.execute(f"describe select * from {parquet}").fetchall()
    selected = ", ".join(
        f'timezone(\'UTC\', "{column}") as "{column}"' if kind == "TIMESTAMP WITH TIME ZONE" else f'"{column}"'
        for column, kind, *_ in columns
    )
    con.execute(f'create schema if not exists "{schema}"')
    con.execute(f'create view "{schema}"."{name}" as select {selected} from {parquet}')


def _manifest_comments(name: str) -> tuple[str | None, dict[str, str]]:
    """A model's description and column descriptions from dbt's manifest (target/), if any."""
    path = settings.PROJECT_DIR / "target" / "manifest.json"
    if not path.exists():
        return None, {}
    nodes = json.loads(path.read_text())["nodes"].values()
    node = next((n for n in nodes if n["resource_type"] == "model" and n["name"] == name), None)
    if node is None:
        return None, {}
    columns = {c["name"]: c["description"] for c in node.get("columns", {}).values() if c.get("description")}
    return node.get("description") or None, columns


def export_version(
    source: Path, version_dir: Path, relations: tuple[str, ...], source_schema: str, publish_emails: bool = False
) -> dict:
    """Write each relation of `source` (the warehouse file, or Spark's table folder) as Parquet
    under version_dir/<schema>/; return the comments to put on the views."""
    partial = version_dir.with_name(version_dir.name + ".partial")
    (partial / PUBLISHED_SCHEMA).mkdir(parents=True)
    docs = {}
    with _open_source(source, source_schema, relations) as con:
        for name in relations:
            target = partial / PUBLISHED_SCHEMA / f"{name}.parquet"
            relation = f'"{source_schema}"."{name}"'
            selected = _select_list(con, source_schema, name, publish_emails)
            con.execute(f"copy (select {selected} from {relation}) to {_sql_string(str(target))} (format parquet)")
            if source.is_dir():
                comment, column_comments = _manifest_comments(name)
            else:
                comment, column_comments = _comments(con, source_schema, name)
            if not publish_emails:
                for column in EMAIL_COLUMNS.get(name, ()):
                    column_comments[column] = (column_comments.get(column) or "").rstrip() + EMAIL_NOTE
            docs[name] = (comment, column_comments)
    partial.rename(version_dir)
    return docs


def swap_current(root: Path, version_dir: Path) -> None:
    """Point root/current at version_dir in one atomic rename."""
    staged = root / (CURRENT + ".swapping")
    staged.unlink(missing_ok=True)
    staged.symlink_to(version_dir.relative_to(root), target_is_directory=True)
    os.replace(staged, root / CURRENT)


def write_reader_file(target: Path, root: Path, docs: dict) -> None:
    """The DuckDB file readers open: one view per relation over root/current, with comments.

    Written next to the target and renamed over it: a reader holding the old file keeps
    working (its views read `current` too); new connections get the new file."""
    staged = target.with_name(target.name + ".publishing")
    staged.unlink(missing_ok=True)
    current = (root / CURRENT).absolute()
    with duckdb.connect(str(staged)) as con:
        con.execute(f"create schema {PUBLISHED_SCHEMA}")
        for name, (comment, columns) in docs.items():
            view = f"{PUBLISHED_SCHEMA}.{name}"
            path = current / PUBLISHED_SCHEMA / f"{name}.parquet"
            con.execute(f"create view {view} as select * from read_parquet({_sql_string(str(path))})")
            if comment:
                con.execute(f"comment on view {view} is {_sql_string(comment)}")
            for column, text in columns.items():
                con.execute(f'comment on column {view}."{column}" is {_sql_string(text)}')
    os.replace(staged, target)


def _published_at(version_name: str) -> float:
    return datetime.strptime(version_name, VERSION_FORMAT).replace(tzinfo=UTC).timestamp()


def remove_old_versions(root: Path, grace_seconds: float, now: float | None = None) -> list[str]:
    """Delete versions superseded more than the grace period ago (never the current one), and
    partial exports abandoned that long ago. A version is superseded when the next one is
    published, so a reader that started a query just before a swap has the whole grace period."""
    now = time.time() if now is None else now
    current = (root / CURRENT).resolve()
    paths = sorted((root / VERSIONS).iterdir())
    finished = [p for p in paths if not p.name.endswith(".partial")]
    removed = []
    for path in paths:
        if path.name.endswith(".partial"):
            stale = now - path.stat().st_mtime >= grace_seconds
        else:
            later = [p for p in finished if p.name > path.name]
            stale = bool(later) and now - _published_at(later[0].name) >= grace_seconds
        if stale and path.resolve() != current:
            shutil.rmtree(path)
            removed.append(path.name)
    return removed


def published_files(target: Path) -> list[Path]:
    """Every file of the published layer whose reader file is `target`: that file and every file
    of every version (current, superseded but within the grace period, abandoned partial)."""
    files = [target] if target.exists() else []
    versions = target.parent / VERSIONS
    if versions.is_dir():
        files += sorted(path for path in versions.rglob("*") if path.is_file())
    return files


def publish(
    source: Path,
    target: Path,
    relations: tuple[str, ...] = PUBLISHED_RELATIONS,
    source_schema: str | None = None,
    grace_seconds: float | None = None,
    publish_emails: bool | None = None,
) -> Path:
    """Publish `relations` of `source` (the warehouse file, or Spark's table folder: see
    mart_source) for readers of `target`; return the new version folder. publish_emails
    defaults to the setting TW_PUBLISH_EMAILS (false)."""
    root = target.parent.absolute()
    version_id = datetime.now(UTC).strftime(VERSION_FORMAT)
    version_dir = root / VERSIONS / version_id
    if publish_emails is None:
        publish_emails = settings.publish_emails()
    schema = source_schema or settings.schema(PUBLISHED_SCHEMA)
    docs = export_version(source, version_dir, relations, schema, publish_emails)
    swap_current(root, version_dir)
    write_reader_file(target, root, docs)
    grace = settings.published_grace_seconds() if grace_seconds is None else grace_seconds
    remove_old_versions(root, grace)
    return version_dir
