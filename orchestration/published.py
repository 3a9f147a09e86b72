"""What the published layer holds: the one list of relations readers (BI tools, notebooks, the
dashboard) get. Everything else (raw, seeds, staging, intermediate) stays in the warehouse.

Each entry is a dbt model of the `marts` layer; it is published under the same schema and name
(`marts.fct_touchpoints`), with its description and column comments (dbt persist_docs).

E-mail addresses stay out of the published layer unless TW_PUBLISH_EMAILS=true: the columns of
EMAIL_COLUMNS are published as null, and any address in another text column is replaced by
EMAIL_MASK (orchestration/publishing.py).
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

# Columns that hold e-mail addresses (or a quarantined value, which may be one): null in the
# published layer unless TW_PUBLISH_EMAILS=true.
EMAIL_COLUMNS: dict[str, tuple[str, ...]] = {
    "dim_contacts": ("email",),
    "mart_quarantined_rows": ("example_reason",),  # "<code>: <the bad value, quoted>"
}

EMAIL_MASK = "[email]"
