"""Every dbt model, seed and snapshot as a Dagster asset; dbt tests become asset checks."""

import time
from collections.abc import Mapping
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, dbt_assets

from orchestration import build_state, settings
from orchestration.assets.ingestion import WAREHOUSE_POOL
from orchestration.lock import dagster_step_lock
from orchestration.resources import dbt_project, dbt_resource
from orchestration.row_counts import with_row_counts
from orchestration.settings_resource import WarehouseSettings

# Run tag that makes a run's data tests scan every row (see dbt_build_args).
FULL_TEST_SCAN_TAG = "tests_full_scan"
# The published layer (assets/publish.py, which imports this module): when the build is skipped,
# its publish step is skipped too, and the published copy is confirmed current instead.
PUBLISHED_KEY = dg.AssetKey(["published_warehouse"])


def dbt_build_args(full_test_scan: bool = False) -> list[str]:
    """The scheduled `dbt build`: models, seeds and the data tests that guard them. Unit tests
    check SQL logic, not data: they run in `make test` / CI, not in every scheduled run. Data
    tests on event-grain tables check the latest load only unless full_test_scan (var
    tests_full_scan, macro get_where_subquery)."""
    args = ["build", "--exclude-resource-type", "unit_test"]
    if full_test_scan:
        args += ["--vars", '{"tests_full_scan": true}']
    return args


class TouchpointDbtTranslator(DagsterDbtTranslator):
    """dbt sources point at the raw assets of ingestion (raw/<table>), so lineage is one graph.
    Models and seeds keep their plain name as key: their layer schema is already the group."""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        if dbt_resource_props["resource_type"] == "source":
            return dg.AssetKey(["raw", dbt_resource_props["identifier"] or dbt_resource_props["name"]])
        return dg.AssetKey([dbt_resource_props["name"]])

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        parts = dbt_resource_props.get("fqn", [])
        return parts[1] if len(parts) > 2 else "seeds"


@dbt_assets(manifest=dbt_project.manifest_path, dagster_dbt_translator=TouchpointDbtTranslator(), pool=WAREHOUSE_POOL)
def touchpoint_dbt_assets(
    context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse_settings: WarehouseSettings
):
    warehouse_settings.apply()
    settings.export_warehouse_path_for_dbt()
    full_test_scan = context.run.tags.get(FULL_TEST_SCAN_TAG) == "true"
    args = dbt_build_args(full_test_scan)
    warehouse = settings.warehouse_path()
    with dagster_step_lock("dbt build"):
        # A whole-project run on unchanged inputs has nothing to recompute (build_state.py); a
        # subset asked for by hand, the weekly full test scan and the Spark target always build.
        whole_project = set(context.selected_asset_keys) == set(context.assets_def.keys)
        check_inputs = whole_project and not full_test_scan and settings.target() == "duckdb"
        fingerprint = build_state.inputs_fingerprint(warehouse, settings.PROJECT_DIR, args) if check_inputs else None
        if build_state.unchanged_since_last_build(warehouse, fingerprint):
            message = (
                "dbt build skipped: no new load, raw row count, dbt file, environment variable dbt reads or "
                "argument since the last successful build (orchestration/build_state.py); the models are current"
            )
            context.log.info(message)
            print(message, flush=True)
            if settings.published_path().exists():
                context.log_event(published_confirmed_current())
            return
        build_state.forget_build(warehouse)
        invocation = dbt.cli(args, context=context)
        events = invocation.stream()
        if settings.target() == "duckdb":  # row counts once dbt has closed the file (orchestration/row_counts.py)
            events = with_row_counts(events, invocation.manifest, warehouse)
        yield from events
        build_state.record_build(warehouse, fingerprint)


def published_confirmed_current() -> dg.AssetObservation:
    """The published copy holds the marts of the last build, and nothing those marts read has
    changed since: it is as current as a new publication would be. Recorded as its last update,
    so the freshness check of the published layer (assets/freshness.py) stays green on quiet
    days and still warns when runs stop."""
    return dg.AssetObservation(
        asset_key=PUBLISHED_KEY,
        metadata={
            "dagster/last_updated_timestamp": dg.MetadataValue.timestamp(time.time()),
            "unchanged": "no input of the dbt build changed since the publication (orchestration/build_state.py)",
        },
    )


defs = dg.Definitions(assets=[touchpoint_dbt_assets], resources={"dbt": dbt_resource})
