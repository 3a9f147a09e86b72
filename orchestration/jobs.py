"""The one job: ingest the landing folder, build and test every dbt model, publish the copy."""

import dagster as dg

from orchestration.settings_resource import WarehouseSettings

touchpoint_pipeline = dg.define_asset_job(
    name="touchpoint_pipeline",
    selection=dg.AssetSelection.all(),
    description="Landing files -> raw tables -> dbt build (models, seeds, tests) -> published copy.",
    # One writer per DuckDB file: the run queue (dagster.yaml) runs one pipeline at a time and
    # this key lets a deployment limit writers even when it allows other runs in parallel.
    tags={"dagster/concurrency_key": "warehouse_writer"},
)


class ErasureConfig(dg.Config):
    email: str  # the person's address; note that Dagster keeps a run's config in its run history


@dg.op(description="Erase one person everywhere (orchestration/erase.py), under the pipeline lock.")
def erase_person_op(
    context: dg.OpExecutionContext, config: ErasureConfig, warehouse_settings: WarehouseSettings
) -> None:
    from orchestration.erase import erase_person

    warehouse_settings.apply()

    report = erase_person(config.email)
    context.log.info(report.summary())
    if report.remaining_mentions:
        raise dg.Failure(description="the address is still found: " + "; ".join(report.remaining_mentions))


@dg.job(
    name="erase_person",
    description="Right to erasure: landing files, raw tables, quarantine, every model, published copy; tombstone.",
)
def erase_person_job() -> None:
    erase_person_op()
