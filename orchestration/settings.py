"""Where things live. Every path can be overridden by an environment variable; relative values
are taken from the project folder so that the CLI, Dagster and dbt agree wherever they start."""

from __future__ import annotations

import os
import re
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent


def _path_from_env(variable: str, default: str) -> Path:
    path = Path(os.environ.get(variable, default))
    return path if path.is_absolute() else PROJECT_DIR / path


def landing_dir() -> Path:
    """Folder the exports are dropped into."""
    return _path_from_env("TW_LANDING_DIR", "landing")


def warehouse_path() -> Path:
    """The DuckDB file the pipeline writes (one writer at a time)."""
    return _path_from_env("TW_DUCKDB_PATH", "warehouse/touchpoints.duckdb")


def published_path() -> Path:
    """The DuckDB file of views that readers (BI tools, notebooks, the dashboard) open; the
    published Parquet versions live next to it (orchestration/publishing.py)."""
    return _path_from_env("TW_PUBLISHED_PATH", "warehouse/published/touchpoints.duckdb")


def published_grace_seconds() -> float:
    """How long a superseded published version stays on disk for readers still using it."""
    return 60 * float(os.environ.get("TW_PUBLISHED_GRACE_MINUTES", "60"))


def published_max_age_hours() -> float:
    """TW_PUBLISHED_MAX_AGE_HOURS (default 26): the published layer's freshness check warns when
    the last publication is older (the daily run at 05:00 UTC plus two hours of slack)."""
    value = os.environ.get("TW_PUBLISHED_MAX_AGE_HOURS", "26")
    try:
        hours = float(value)
    except ValueError as error:
        raise ValueError(f"TW_PUBLISHED_MAX_AGE_HOURS={value!r} is not a number of hours") from error
    if hours <= 0:
        raise ValueError(f"TW_PUBLISHED_MAX_AGE_HOURS={value!r} must be positive")
    return hours


def publish_emails() -> bool:
    """TW_PUBLISH_EMAILS (default false): whether the published layer may hold e-mail addresses.
    Off, the publisher nulls the columns that hold them (orchestration/published.py) and masks
    any address found in other text columns (orchestration/publishing.py)."""
    value = os.environ.get("TW_PUBLISH_EMAILS", "false").strip().lower()
    if value not in ("true", "false", "1", "0", "yes", "no", ""):
        raise ValueError(f"TW_PUBLISH_EMAILS={value!r} is not true or false")
    return value in ("true", "1", "yes")


def schema(layer: str) -> str:
    """The schema a dbt layer (staging, intermediate, marts, seeds) lands in: the layer name,
    prefixed by TW_SCHEMA_PREFIX when a deployment sets one (macros/generate_schema_name.sql)."""
    prefix = os.environ.get("TW_SCHEMA_PREFIX", "").strip()
    return f"{prefix}_{layer}" if prefix else layer


TARGETS = ("duckdb", "spark")


def target() -> str:
    """The engine dbt builds on (TW_TARGET: duckdb or spark); profiles.yml reads the same variable."""
    name = os.environ.get("TW_TARGET", "duckdb").strip().lower() or "duckdb"
    if name not in TARGETS:
        raise ValueError(f"TW_TARGET={name!r} is not a known target; use one of {', '.join(TARGETS)}")
    return name


def lake_dir() -> Path:
    """The raw layer as Parquet files (one per loaded landing file), read by Spark."""
    return _path_from_env("TW_LAKE_DIR", "warehouse/lake")


def spark_dir() -> Path:
    """Local Spark's metastore and table files (target `spark`, method session)."""
    return _path_from_env("TW_SPARK_DIR", "warehouse/spark")


def export_warehouse_path_for_dbt() -> None:
    """dbt's profiles.yml reads TW_DUCKDB_PATH (and on Spark TW_LAKE_DIR, TW_SPARK_DIR); give it
    the absolute paths we resolved, so dbt agrees with us wherever it starts."""
    os.environ["TW_DUCKDB_PATH"] = str(warehouse_path())
    os.environ["TW_LAKE_DIR"] = str(lake_dir())
    os.environ["TW_SPARK_DIR"] = str(spark_dir())
    os.environ["TW_TARGET"] = target()


def settle_seconds() -> float:
    """How long a landing file must stay unchanged (size and mtime) before it is loaded:
    TW_SETTLE_SECONDS, default 30. Files still being written are left for a later run."""
    value = os.environ.get("TW_SETTLE_SECONDS", "30")
    try:
        seconds = float(value)
    except ValueError as error:
        raise ValueError(f"TW_SETTLE_SECONDS={value!r} is not a number of seconds") from error
    if seconds < 0:
        raise ValueError(f"TW_SETTLE_SECONDS={value!r} must not be negative")
    return seconds


def ingestion_memory_limit() -> str:
    """DuckDB's memory limit while ingestion loads a file (TW_INGESTION_MEMORY_LIMIT, default
    1GB). A file loads in one transaction; past the limit DuckDB writes the pending rows to disk,
    so a large file does not take memory in proportion to its size."""
    value = os.environ.get("TW_INGESTION_MEMORY_LIMIT", "1GB").strip() or "1GB"
    if not re.fullmatch(r"\d+(\.\d+)?\s*[KMGT]i?B", value, flags=re.IGNORECASE):
        raise ValueError(f"TW_INGESTION_MEMORY_LIMIT={value!r} is not a size such as 512MB or 2GB")
    return value
