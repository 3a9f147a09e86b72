"""Where things live. Every path can be overridden by an environment variable; relative values
are taken from the project folder so that the CLI, Dagster and dbt agree wherever they start."""

from __future__ import annotations

import os
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
    """The copy of the warehouse that readers (BI tools, notebooks) open, replaced atomically."""
    return _path_from_env("TW_PUBLISHED_PATH", "warehouse/published/touchpoints.duckdb")


def schema(layer: str) -> str:
    """The schema a dbt layer (staging, intermediate, marts, seeds) lands in: the layer name,
    prefixed by TW_SCHEMA_PREFIX when a deployment sets one (macros/generate_schema_name.sql)."""
    prefix = os.environ.get("TW_SCHEMA_PREFIX", "").strip()
    return f"{prefix}_{layer}" if prefix else layer


def export_warehouse_path_for_dbt() -> None:
    """dbt's profiles.yml reads TW_DUCKDB_PATH; give it the absolute path we resolved."""
    os.environ["TW_DUCKDB_PATH"] = str(warehouse_path())


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
