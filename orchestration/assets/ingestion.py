"""The raw layer as Dagster assets: one asset per raw table, all loaded by one ingestion pass."""

from collections.abc import Iterator
from datetime import UTC, datetime

import dagster as dg

from orchestration import settings
from orchestration.ingestion.contract import SOURCES
from orchestration.ingestion.load import ingest_landing_folder
from orchestration.ingestion.results import STATUSES
from orchestration.lake import sync_lake
from orchestration.lock import dagster_step_lock
from orchestration.sensors import landing_folder_sensor
from orchestration.settings_resource import WarehouseSettings

WAREHOUSE_POOL = "warehouse_writer"  # Dagster concurrency pool of every step that writes the warehouse
RAW_ASSET_KEYS = {name: dg.AssetKey(["raw", name]) for name in SOURCES}
BOOKKEEPING_DESCRIPTIONS = {
    "load_manifest": "raw.load_manifest: one row per load attempt (source, content hash): rows read, loaded, "
    "quarantined.",
    "quarantine": "raw.quarantine: every rejected row with its file, row number, field and reason.",
}


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            key,
            group_name="raw",
            kinds={"duckdb"},
            description=f"raw.{name}: {SOURCES[name].description} Loaded from landing files named {name}*.",
        )
        for name, key in RAW_ASSET_KEYS.items()
    ]
    + [
        dg.AssetSpec(dg.AssetKey(["raw", name]), group_name="raw", kinds={"duckdb"}, description=text)
        for name, text in BOOKKEEPING_DESCRIPTIONS.items()
    ],
    can_subset=False,
    pool=WAREHOUSE_POOL,
)
def raw_tables(
    context: dg.AssetExecutionContext, warehouse_settings: WarehouseSettings
) -> Iterator[dg.MaterializeResult]:
    """Load every new landing file once; quarantine bad rows; record each file in the manifest."""
    warehouse_settings.apply()
    with dagster_step_lock("raw_tables"):
        report = ingest_landing_folder(
            settings.landing_dir(), settings.warehouse_path(), settle_seconds=settings.settle_seconds()
        )
        if settings.target() == "spark":  # Spark reads the raw layer as Parquet files (orchestration/lake.py)
            context.log.info(sync_lake(settings.warehouse_path(), settings.lake_dir()).summary())
    for result in report.files:
        noteworthy = result.status in ("failed", "refused", "conflict", "waiting") or result.warnings
        log = context.log.warning if noteworthy else context.log.info
        log(
            f"{result.file_name}: {result.status}, read {result.rows_read}, loaded {result.rows_loaded}, "
            f"quarantined {result.rows_quarantined}"
            + (f" ({result.error})" if result.error else "")
            + "".join(f"; warning: {warning}" for warning in result.warnings)
        )
    for name, key in RAW_ASSET_KEYS.items():
        files = [f for f in report.files if f.source_name == name]
        yield dg.MaterializeResult(
            asset_key=key,
            metadata={
                "files_loaded": sum(f.status == "loaded" for f in files),
                "files_skipped": sum(f.status == "skipped" for f in files),
                "files_failed": sum(f.status == "failed" for f in files),
                "rows_loaded": sum(f.rows_loaded for f in files),
                "rows_quarantined": sum(f.rows_quarantined for f in files),
                **_last_updated(report.latest_loaded_at.get(name)),
            },
        )
    yield dg.MaterializeResult(
        asset_key=dg.AssetKey(["raw", "load_manifest"]),
        metadata={status: sum(f.status == status for f in report.files) for status in STATUSES}
        | _last_updated(report.latest_loaded_at.get("load_manifest")),
    )
    yield dg.MaterializeResult(
        asset_key=dg.AssetKey(["raw", "quarantine"]),
        metadata={"rows_quarantined": sum(f.rows_quarantined for f in report.files)},
    )


def _last_updated(loaded_at: datetime | None) -> dict[str, dg.MetadataValue]:
    """When the table last received data (its newest loaded file), which the freshness checks
    (orchestration/assets/freshness.py) compare with the source's warn_after; not this run's
    time, since ingestion runs every day whether or not an export arrived."""
    if loaded_at is None:
        return {}
    return {"dagster/last_updated_timestamp": dg.MetadataValue.timestamp(loaded_at.replace(tzinfo=UTC))}


defs = dg.Definitions(assets=[raw_tables], sensors=[landing_folder_sensor])
