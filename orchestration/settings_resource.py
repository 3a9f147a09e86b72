"""The project's settings as one Dagster resource, so the UI shows them and a run can override them.

orchestration/settings.py stays the one place that reads the environment (the CLI, the
benchmarks and the tests use it without Dagster). This resource mirrors its variables: each
field is bound to its environment variable with `EnvVar` when the variable is set where the
definitions load, and otherwise shows the documented default. A step that receives the resource
calls `apply()`, which writes the values that differ from the defaults back into its process
environment, so every function of settings.py agrees with what the run was configured with
(launchpad overrides included).
"""

from __future__ import annotations

import os

import dagster as dg
from pydantic import Field

# field name -> (environment variable, default); the defaults are those of orchestration/settings.py.
VARIABLES: dict[str, tuple[str, str]] = {
    "target": ("TW_TARGET", "duckdb"),
    "landing_dir": ("TW_LANDING_DIR", "landing"),
    "duckdb_path": ("TW_DUCKDB_PATH", "warehouse/touchpoints.duckdb"),
    "published_path": ("TW_PUBLISHED_PATH", "warehouse/published/touchpoints.duckdb"),
    "published_grace_minutes": ("TW_PUBLISHED_GRACE_MINUTES", "60"),
    "published_max_age_hours": ("TW_PUBLISHED_MAX_AGE_HOURS", "26"),
    "publish_emails": ("TW_PUBLISH_EMAILS", "false"),
    "settle_seconds": ("TW_SETTLE_SECONDS", "30"),
    "ingestion_memory_limit": ("TW_INGESTION_MEMORY_LIMIT", "1GB"),
    "duckdb_memory_limit": ("TW_DUCKDB_MEMORY_LIMIT", "4GB"),
    "schema_prefix": ("TW_SCHEMA_PREFIX", ""),
    "lake_dir": ("TW_LAKE_DIR", "warehouse/lake"),
    "spark_dir": ("TW_SPARK_DIR", "warehouse/spark"),
}


class WarehouseSettings(dg.ConfigurableResource):
    """Where the pipeline reads and writes, and how it behaves (README, "Configuration").
    Relative paths are taken from the project folder."""

    target: str = Field(
        default=VARIABLES["target"][1], description="TW_TARGET: the engine dbt builds on (duckdb or spark)."
    )
    landing_dir: str = Field(
        default=VARIABLES["landing_dir"][1], description="TW_LANDING_DIR: folder the exports are dropped into."
    )
    duckdb_path: str = Field(
        default=VARIABLES["duckdb_path"][1],
        description="TW_DUCKDB_PATH: the DuckDB file the pipeline writes (one writer at a time).",
    )
    published_path: str = Field(
        default=VARIABLES["published_path"][1],
        description="TW_PUBLISHED_PATH: the DuckDB file of views readers open; the Parquet versions live beside it.",
    )
    published_grace_minutes: str = Field(
        default=VARIABLES["published_grace_minutes"][1],
        description="TW_PUBLISHED_GRACE_MINUTES: how long a superseded published version stays on disk.",
    )
    published_max_age_hours: str = Field(
        default=VARIABLES["published_max_age_hours"][1],
        description="TW_PUBLISHED_MAX_AGE_HOURS: the published layer's freshness check warns when its last "
        "publication is older (daily schedule + 2 hours).",
    )
    publish_emails: str = Field(
        default=VARIABLES["publish_emails"][1],
        description="TW_PUBLISH_EMAILS: whether the published layer may hold e-mail addresses.",
    )
    settle_seconds: str = Field(
        default=VARIABLES["settle_seconds"][1],
        description="TW_SETTLE_SECONDS: a landing file must be unchanged this long before it loads.",
    )
    ingestion_memory_limit: str = Field(
        default=VARIABLES["ingestion_memory_limit"][1],
        description="TW_INGESTION_MEMORY_LIMIT: DuckDB's memory limit while ingestion loads a file.",
    )
    duckdb_memory_limit: str = Field(
        default=VARIABLES["duckdb_memory_limit"][1],
        description="TW_DUCKDB_MEMORY_LIMIT: DuckDB's memory limit during dbt build (profiles.yml).",
    )
    schema_prefix: str = Field(
        default=VARIABLES["schema_prefix"][1],
        description="TW_SCHEMA_PREFIX: prefix of the layer schemas (staging, intermediate, marts).",
    )
    lake_dir: str = Field(
        default=VARIABLES["lake_dir"][1], description="TW_LAKE_DIR: the raw layer as Parquet (Spark)."
    )
    spark_dir: str = Field(
        default=VARIABLES["spark_dir"][1], description="TW_SPARK_DIR: local Spark's metastore and tables."
    )

    @classmethod
    def from_environment(cls) -> WarehouseSettings:
        """Each field from its environment variable (as an EnvVar, shown as such in the UI) when it is set,
        otherwise its default."""
        bound = {field: dg.EnvVar(variable) for field, (variable, _) in VARIABLES.items() if variable in os.environ}
        return cls(**bound)

    def apply(self) -> None:
        """Write the values into this process's environment, where orchestration/settings.py reads them.
        A field left at its default does not overwrite the environment: the variable may have been set
        after the definitions loaded (a test, a wrapper script), and settings.py has the same default."""
        for field, (variable, default) in VARIABLES.items():
            value = str(getattr(self, field))
            if value != default:
                os.environ[variable] = value
