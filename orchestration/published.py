"""What the published layer holds: the one list of relations readers (BI tools, notebooks, the
dashboard) get. Everything else (raw, seeds, staging, intermediate) stays in the warehouse.

Each entry is a dbt model of the `marts` layer; it is published under the same schema and name
(`marts.fct_touchpoints`), with its description and column comments (dbt persist_docs).
"""

from __future__ import annotations

PUBLISHED_SCHEMA = "marts"

PUBLISHED_RELATIONS: tuple[str, ...] = (
    # touchpoints
    "dim_accounts",
    "dim_contacts",
    "fct_interactions",
    "fct_touchpoints",
    "mart_touchpoint_summary",
    # journeys
    "mart_journeys",
    "mart_journey_stages",
    "mart_journey_stage_counts",
    "mart_journey_paths",
    "mart_journey_sequences",
    "mart_journey_sales_alerts",
    "mart_journey_forecast",
    # attribution
    "fct_conversions",
    "mart_attribution_credits",
    "mart_attribution_channels",
    "mart_attribution_campaigns",
    "mart_attribution_content",
    # data quality
    "mart_quarantined_rows",
)
