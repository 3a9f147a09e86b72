"""Readers never open the file the pipeline writes: they read the published layer, written after
each run (orchestration/publishing.py)."""

import dagster as dg

from orchestration import settings
from orchestration.assets.dbt import touchpoint_dbt_assets
from orchestration.assets.ingestion import WAREHOUSE_POOL
from orchestration.lock import dagster_step_lock
from orchestration.published import PUBLISHED_RELATIONS
from orchestration.publishing import mart_source, publish
from orchestration.settings_resource import WarehouseSettings


@dg.asset(
    deps=list(touchpoint_dbt_assets.keys),
    group_name="published",
    kinds={"duckdb", "parquet"},
    description="The BI-facing marts as Parquet (a new version per run, swapped in atomically) and a "
    "small DuckDB file of views over the current version: readers never block the pipeline and "
    "see each new publication at their next query.",
    pool=WAREHOUSE_POOL,
)
def published_warehouse(warehouse_settings: WarehouseSettings) -> dg.MaterializeResult:
    warehouse_settings.apply()
    target = settings.published_path()
    with dagster_step_lock("published_warehouse"):
        version_dir = publish(mart_source(), target)  # Spark's tables on TW_TARGET=spark
    return dg.MaterializeResult(
        metadata={"path": str(target), "version": version_dir.name, "relations": len(PUBLISHED_RELATIONS)}
    )


defs = dg.Definitions(assets=[published_warehouse])
