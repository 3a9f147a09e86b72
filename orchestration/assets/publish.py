"""Readers never open the file the pipeline writes: they read a copy published after each run."""


import os
import shutil
from pathlib import Path

import dagster as dg
import duckdb

from orchestration import settings
from orchestration.assets.dbt import touchpoint_dbt_assets
from orchestration.assets.ingestion import WAREHOUSE_POOL
from orchestration.lock import dagster_step_lock


def publish_copy(source: Path, target: Path) -> None:
    """Copy the finished warehouse next to the target, then swap it in atomically.

    A reader that has the old copy open keeps reading it; the next connection sees the new one.
    """
    with duckdb.connect(str(source)) as con:  # fold any write-ahead log into the file we copy
        con.execute("checkpoint")
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = target.with_name(target.name + ".publishing")
    try:
        shutil.copyfile(source, staging)
        os.replace(staging, target)
    finally:
        staging.unlink(missing_ok=True)


@dg.asset(
    deps=list(touchpoint_dbt_assets.keys),
    group_name="published",
    kinds={"duckdb"},
    description="Read-only copy of the warehouse for BI tools and notebooks, swapped in atomically.",
    pool=WAREHOUSE_POOL,
)
def published_warehouse() -> dg.MaterializeResult:
    source, target = settings.warehouse_path(), settings.published_path()
    with dagster_step_lock("published_warehouse"):
        publish_copy(source, target)
    return dg.MaterializeResult(metadata={"path": str(target), "size_bytes": target.stat().st_size})
