"""The one job: ingest the landing folder, build and test every dbt model, publish the copy."""

import dagster as dg

touchpoint_pipeline = dg.define_asset_job(
    name="touchpoint_pipeline",
    selection=dg.AssetSelection.all(),
    description="Landing files -> raw tables -> dbt build (models, seeds, tests) -> published copy.",
    # One writer per DuckDB file: the run queue (dagster.yaml) runs one pipeline at a time and
    # this key lets a deployment limit writers even when it allows other runs in parallel.
    tags={"dagster/concurrency_key": "warehouse_writer"},
)
