"""Readers never open the file the pipeline writes: they read a copy published after each run."""


import os
import shutil
from pathlib import Path

import dagster as dg

from orchestration import settings
from orchestration.assets.dbt import touchpoint_dbt_assets


def publish_copy(source: Path, target: Path) -> None:
    """Copy the finished warehouse next to the target, then swap it in atomically.

    A reader that has the old copy open keeps reading it; the next connection sees the new one.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = target.with_name(target.name + ".publishing")
    shutil.copyfile(source, staging)
    os.replace(staging, target)


@dg.asset(
    deps=list(touchpoint_dbt_assets.keys),
    group_name="published",
    kinds={"duckdb"},
    description="Read-only copy of the warehouse for BI tools and notebooks, swapped in atomically.",
)
def published_warehouse() -> dg.MaterializeResult:
    source, target = settings.warehouse_path(), settings.published_path()
    publish_copy(source, target)
    return dg.MaterializeResult(metadata={"path": str(target), "size_bytes": target.stat().st_size})
