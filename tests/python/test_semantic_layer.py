"""The semantic layer answers from the warehouse: saved queries run through MetricFlow (`mf`)
and agree with the marts they summarise, computed here with plain SQL."""

from __future__ import annotations

import os
import shutil

import pytest

from orchestration.metrics import run_saved_query
from orchestration.run import parse_dbt_project


@pytest.fixture(scope="module")
def warehouse(pipeline, tmp_path_factory):
    """A copy of the end-to-end warehouse, and the semantic manifest parsed for it: MetricFlow
    names relations by database, which DuckDB takes from the file name, and other tests parse
    the project for other files."""
    copy = tmp_path_factory.mktemp("semantic") / "semantic_check.duckdb"
    shutil.copyfile(pipeline["env"]["TW_DUCKDB_PATH"], copy)
    previous = os.environ.get("TW_DUCKDB_PATH")
    os.environ["TW_DUCKDB_PATH"] = str(copy)
    try:
        parse_dbt_project()
    finally:
        if previous is None:
            os.environ.pop("TW_DUCKDB_PATH", None)
        else:
            os.environ["TW_DUCKDB_PATH"] = previous
    return copy


def test_attribution_saved_query_matches_the_channel_mart(pipeline, warehouse):
    rows = run_saved_query("attribution_by_channel_and_model", warehouse)
    got = {
        (r["channel_month__model_name"], r["channel_month__channel"]): (
            float(r["attributed_pipeline"] or 0),
            float(r["attributed_revenue"] or 0),
            float(r["attributed_conversions"] or 0),
        )
        for r in rows
    }
    expected = {
        (model, channel): (float(pipeline_amount), float(revenue), float(conversions))
        for model, channel, pipeline_amount, revenue, conversions in pipeline["con"]
        .execute("""
            select model_name, channel, sum(attributed_pipeline), sum(attributed_revenue),
                   sum(attributed_leads + attributed_opportunities + attributed_won_deals)
            from marts.mart_attribution_channels group by 1, 2""")
        .fetchall()
    }
    assert got.keys() == expected.keys()
    for key, values in expected.items():
        assert got[key] == pytest.approx(values, rel=1e-9, abs=1e-6), key
    assert any(pipeline_amount > 0 for pipeline_amount, _, _ in got.values())


def test_touchpoint_share_saved_query_matches_the_summary_mart(pipeline, warehouse):
    rows = {r["interaction__source_system"]: r for r in run_saved_query("touchpoint_share_by_source", warehouse)}
    summary = (
        pipeline["con"]
        .execute("select source_system, interactions, touchpoints, touchpoint_share from marts.mart_touchpoint_summary")
        .fetchall()
    )
    assert sorted(rows) == sorted(source for source, *_ in summary)
    for source, interactions, touchpoints, share in summary:
        assert int(float(rows[source]["interactions"])) == interactions
        assert int(float(rows[source]["touchpoints"])) == touchpoints
        assert float(rows[source]["touchpoint_share"]) == pytest.approx(share, abs=5e-5)  # the mart rounds to 4


def test_run_summary_reads_its_metrics_through_saved_queries(pipeline):
    out = pipeline["first"].stdout
    assert "semantic layer not queried" not in out
    assert "(saved query touchpoint_share_by_source)" in out
    assert "(saved query accounts_per_stage)" in out
    assert "(saved query attribution_by_channel_and_model)" in out
