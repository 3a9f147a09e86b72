"""What the Dagster UI shows beyond the graph: row counts on dbt assets, freshness checks from
the dbt source YAML and on the published layer, the settings resource."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import dagster as dg
import duckdb
import pytest

from orchestration.row_counts import counted_relation, with_row_counts
from orchestration.settings_resource import VARIABLES, WarehouseSettings


def _output(unique_id: str) -> dg.Output:
    return dg.Output(None, output_name=unique_id.split(".")[-1], metadata={"unique_id": unique_id})


MANIFEST = {
    "nodes": {
        "model.p.orders": {
            "resource_type": "model",
            "schema": "marts",
            "name": "orders",
            "config": {"materialized": "table"},
        },
        "model.p.recent": {
            "resource_type": "model",
            "schema": "marts",
            "name": "recent",
            "config": {"materialized": "view"},
        },
        "seed.p.rules": {"resource_type": "seed", "schema": "seeds", "name": "rules", "alias": "rules", "config": {}},
        "model.p.failed": {
            "resource_type": "model",
            "schema": "marts",
            "name": "failed",
            "config": {"materialized": "incremental"},
        },
    }
}


@pytest.fixture
def warehouse(tmp_path):
    path = tmp_path / "w.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute("create schema marts; create schema seeds")
        con.execute("create table marts.orders as select * from range(7)")
        con.execute("create view marts.recent as select 1 as x")
        con.execute("create table seeds.rules as select * from range(3)")
    return path


def test_row_counts_are_added_to_built_tables_and_seeds_only(warehouse):
    check = dg.AssetCheckResult(asset_key="orders", check_name="unique_order_id", passed=True)
    events = [
        _output("model.p.orders"),
        check,
        _output("model.p.recent"),
        _output("seed.p.rules"),
        _output("model.p.failed"),
    ]
    out = list(with_row_counts(iter(events), MANIFEST, warehouse))
    assert [type(event) for event in out] == [type(event) for event in events]  # same events, same order
    counts = {e.output_name: e.metadata.get("dagster/row_count") for e in out if isinstance(e, dg.Output)}
    assert counts["orders"].value == 7 and counts["rules"].value == 3
    assert counts["recent"] is None  # a view is not counted (it would re-run its query)
    assert counts["failed"] is None  # an incremental model that was not built: no relation, no count


def test_events_received_before_a_dbt_failure_are_still_reported(warehouse):
    def failing_build():
        yield _output("model.p.orders")
        raise RuntimeError("dbt build failed")

    received = []
    with pytest.raises(RuntimeError, match="dbt build failed"):
        for event in with_row_counts(failing_build(), MANIFEST, warehouse):
            received.append(event)
    assert len(received) == 1 and received[0].metadata["dagster/row_count"].value == 7


def test_counted_relation_names_schema_and_alias():
    node = {"resource_type": "model", "schema": "marts", "name": "x", "alias": "y", "config": {"materialized": "table"}}
    assert counted_relation(node) == '"marts"."y"'
    assert counted_relation({**node, "config": {"materialized": "ephemeral"}}) is None


def test_source_freshness_bounds_come_from_the_dbt_source_yaml(manifest):
    from orchestration.assets.freshness import source_freshness_bounds

    bounds = source_freshness_bounds(manifest)
    sources = {s["identifier"]: s for s in manifest["sources"].values()}
    web = sources["web_events"]["freshness"]["warn_after"]
    assert bounds[dg.AssetKey(["raw", "web_events"])] == timedelta(days=web["count"]) and web["period"] == "day"
    declared = {name for name, s in sources.items() if (s.get("freshness") or {}).get("warn_after", {}).get("count")}
    assert {key.path[-1] for key in bounds} == declared


@pytest.mark.parametrize(("age", "passed"), [(timedelta(hours=1), True), (timedelta(days=3), False)])
def test_a_raw_table_goes_stale_when_its_newest_file_is_older_than_warn_after(manifest, age, passed):
    """The raw asset reports when its newest file loaded; the check compares that with warn_after
    (2 days for web events), not with the time of the run, which happens every day."""
    from orchestration.assets.freshness import raw_freshness_checks
    from orchestration.assets.ingestion import _last_updated

    key = dg.AssetKey(["raw", "web_events"])
    checks = [c for c in raw_freshness_checks(manifest) if key in {k.asset_key for k in c.check_keys}]
    newest_load = datetime.now(UTC).replace(tzinfo=None) - age

    @dg.asset(key=key)
    def web_events() -> dg.MaterializeResult:
        return dg.MaterializeResult(metadata=_last_updated(newest_load))

    instance = dg.DagsterInstance.ephemeral()
    dg.materialize([web_events], instance=instance)
    result = dg.materialize(
        [web_events, *checks], instance=instance, selection=dg.AssetSelection.checks_for_assets(key)
    )
    evaluations = [e for e in result.get_asset_check_evaluations() if e.asset_key == key]
    assert len(evaluations) == 1 and evaluations[0].passed is passed


def test_the_published_layer_has_a_last_update_check(manifest):
    from orchestration.definitions import defs

    keys = {(k.asset_key.to_user_string(), k.name) for k in defs.resolve_asset_graph().asset_check_keys}
    assert ("published_warehouse", "freshness_check") in keys
    assert ("raw/web_events", "freshness_check") in keys


def test_settings_resource_binds_set_variables_and_applies_overrides(monkeypatch):
    for variable, _ in VARIABLES.values():
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("TW_SETTLE_SECONDS", "5")
    resource = WarehouseSettings.from_environment()
    assert isinstance(resource.settle_seconds, dg.EnvVar) and resource.landing_dir == "landing"

    monkeypatch.setenv("TW_DUCKDB_PATH", "/somewhere/set/after/loading.duckdb")
    WarehouseSettings().apply()  # defaults do not overwrite the environment
    import os

    assert os.environ["TW_DUCKDB_PATH"] == "/somewhere/set/after/loading.duckdb"
    WarehouseSettings(duckdb_path="elsewhere.duckdb", settle_seconds="0").apply()  # an override does
    from orchestration import settings

    assert settings.warehouse_path() == settings.PROJECT_DIR / "elsewhere.duckdb" and settings.settle_seconds() == 0


def test_dbt_assets_carry_the_columns_of_their_yaml(manifest):
    """Column names, types and descriptions on each dbt asset (dagster/column_schema), from the model YAML."""
    from orchestration.definitions import defs

    declared = manifest["nodes"]["model.touchpoint_warehouse.fct_touchpoints"]["columns"]
    schema = defs.resolve_asset_graph().get(dg.AssetKey(["fct_touchpoints"])).metadata["dagster/column_schema"]
    shown = {column.name: column for column in schema.columns}
    assert set(shown) == set(declared) and len(shown) > 10
    assert all(shown[name].description == declared[name]["description"] for name in declared)
