"""The dashboard's data: one function per chart, each a query on the published layer (the
views of warehouse/published/touchpoints.duckdb), never on the warehouse the pipeline writes.
Kept apart from the page so that tests can check every chart has data."""

from __future__ import annotations

import duckdb
import pandas as pd

DEFAULT_MODELS = ("last_touch", "w_shaped", "markov")


def connect(path: str) -> duckdb.DuckDBPyConnection:
    """A read-only connection; keep it: it sees each new publication at its next query."""
    return duckdb.connect(path, read_only=True)


def _frame(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> pd.DataFrame:
    return con.cursor().execute(sql, params or []).df()


def journey_funnel(con) -> pd.DataFrame:
    return _frame(
        con,
        """
        select stage_order, stage, accounts, accounts_needing_sales_attention
        from marts.mart_journey_stage_counts
        order by stage_order""",
    )


def stage_flow(con) -> pd.DataFrame:
    """Stage entries per month, by stage entered and direction (start, forward, back)."""
    return _frame(
        con,
        """
        select cast(date_trunc('month', entered_at) as date) as month, stage, stage_order, direction,
               count(*) as entries
        from marts.mart_journey_stages
        group by 1, 2, 3, 4
        order by 1, 3""",
    )


def attribution_models(con) -> list[str]:
    rows = _frame(con, "select distinct model_name from marts.mart_attribution_channels order by 1")
    return rows["model_name"].tolist()


def attribution_by_channel(con, models: list[str]) -> pd.DataFrame:
    """Attributed pipeline and revenue per channel under each of `models`, side by side."""
    return _frame(
        con,
        """
        select model_name, channel,
               cast(sum(attributed_pipeline) as double) as attributed_pipeline,
               cast(sum(attributed_revenue) as double) as attributed_revenue
        from marts.mart_attribution_channels
        where list_contains(?, model_name)
        group by 1, 2
        having sum(attributed_pipeline) <> 0 or sum(attributed_revenue) <> 0
        order by 1, 3 desc""",
        [models],
    )


def roas_by_channel_and_month(con, model: str) -> pd.DataFrame:
    """ROAS per paid channel and month under one model (months with spend only)."""
    return _frame(
        con,
        """
        select month_start as month, channel, cast(spend as double) as spend,
               cast(attributed_revenue as double) as attributed_revenue, roas
        from marts.mart_attribution_channels
        where model_name = ? and spend > 0
        order by 1, 2""",
        [model],
    )


def touchpoint_share_by_source(con) -> pd.DataFrame:
    return _frame(
        con,
        """
        select source_system, interactions, touchpoints, touchpoint_share
        from marts.mart_touchpoint_summary
        order by touchpoint_share desc""",
    )


def accounts_for_timeline(con) -> pd.DataFrame:
    """Accounts to pick from, the busiest journeys first."""
    return _frame(
        con,
        """
        select account_id, account_name, current_stage, journey_score, touchpoints
        from marts.mart_journeys
        where touchpoints > 0
        order by touchpoints desc, account_id""",
    )


def account_touchpoints(con, account_id: str) -> pd.DataFrame:
    return _frame(
        con,
        """
        select occurred_at, touchpoint_type, channel, touchpoint_score, reason
        from marts.fct_touchpoints
        where account_id = ?
        order by occurred_at""",
        [account_id],
    )


def account_stage_moves(con, account_id: str) -> pd.DataFrame:
    return _frame(
        con,
        """
        select entered_at, stage, stage_order, direction, move_reason, entry_score
        from marts.mart_journey_stages
        where account_id = ?
        order by entered_at""",
        [account_id],
    )


def quarantined_rows(con) -> pd.DataFrame:
    return _frame(
        con,
        """
        select source_name, reason_code, field_name, rows_quarantined, share_of_source_rows, example_location
        from marts.mart_quarantined_rows
        order by rows_quarantined desc, source_name""",
    )
