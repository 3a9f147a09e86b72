"""Touchpoint warehouse dashboard: `make dashboard` (streamlit run dashboard/app.py).

Reads only the published layer (TW_PUBLISHED_PATH, default
warehouse/published/touchpoints.duckdb). The connection is opened once and kept: it sees each
new publication at the next rerun.
"""

from __future__ import annotations

import altair as alt
import streamlit as st

from dashboard import data
from orchestration import settings

st.set_page_config(page_title="Touchpoint warehouse", layout="wide")


@st.cache_resource
def connection(path: str):
    return data.connect(path)


published = settings.published_path()
if not published.exists():
    st.error(f"No published layer at {published}: run `make demo` first.")
    st.stop()
con = connection(str(published))

st.title("Touchpoint warehouse")
current = published.parent / "current"
version = current.resolve().name if current.exists() else "unknown"
st.caption(f"Published layer {published.name}, publication {version} (UTC). Rerun to see a newer one.")

left, right = st.columns(2)
with left:
    st.subheader("Journey funnel: accounts per stage")
    funnel = data.journey_funnel(con)
    st.altair_chart(
        alt.Chart(funnel)
        .mark_bar()
        .encode(
            x=alt.X("accounts:Q", title="accounts"),
            y=alt.Y("stage:N", sort=alt.SortField("stage_order"), title=None),
            tooltip=["stage", "accounts", "accounts_needing_sales_attention"],
        ),
        width="stretch",
    )
with right:
    st.subheader("Stage flow over time: stages entered per month")
    flow = data.stage_flow(con)
    st.altair_chart(
        alt.Chart(flow)
        .mark_bar()
        .encode(
            x=alt.X("yearmonth(month):T", title="month"),
            y=alt.Y("sum(entries):Q", title="stages entered"),
            color=alt.Color("stage:N", sort=alt.SortField("stage_order")),
            tooltip=["month", "stage", "direction", "entries"],
        ),
        width="stretch",
    )

st.subheader("Attributed pipeline and revenue by channel, model by model")
models = data.attribution_models(con)
chosen = st.multiselect(
    "Attribution models", models, default=[m for m in data.DEFAULT_MODELS if m in models] or models[:3]
)
by_channel = data.attribution_by_channel(con, chosen)
pipeline_chart, revenue_chart = st.columns(2)
for column, measure, title in (
    (pipeline_chart, "attributed_pipeline", "Attributed pipeline"),
    (revenue_chart, "attributed_revenue", "Attributed revenue"),
):
    with column:
        st.altair_chart(
            alt.Chart(by_channel, title=title)
            .mark_bar()
            .encode(
                x=alt.X("channel:N", sort="-y", title=None),
                xOffset="model_name:N",
                y=alt.Y(f"{measure}:Q", title=title.lower()),
                color=alt.Color("model_name:N", title="model"),
                tooltip=["model_name", "channel", measure],
            ),
            width="stretch",
        )

left, right = st.columns(2)
with left:
    st.subheader("ROAS by channel and month")
    roas_model = st.selectbox("Model", models, index=models.index("linear") if "linear" in models else 0)
    roas = data.roas_by_channel_and_month(con, roas_model)
    st.altair_chart(
        alt.Chart(roas)
        .mark_line(point=True)
        .encode(
            x=alt.X("yearmonth(month):T", title="month"),
            y=alt.Y("roas:Q", title="attributed revenue / spend"),
            color="channel:N",
            tooltip=["month", "channel", "spend", "attributed_revenue", "roas"],
        ),
        width="stretch",
    )
with right:
    st.subheader("Share of interactions kept as touchpoints, by source")
    share = data.touchpoint_share_by_source(con)
    st.altair_chart(
        alt.Chart(share)
        .mark_bar()
        .encode(
            x=alt.X("touchpoint_share:Q", axis=alt.Axis(format="%"), title="kept as touchpoints"),
            y=alt.Y("source_system:N", sort="-x", title=None),
            tooltip=["source_system", "interactions", "touchpoints", "touchpoint_share"],
        ),
        width="stretch",
    )

st.subheader("One account's journey")
accounts = data.accounts_for_timeline(con)
labels = [
    f"{r.account_name} ({r.account_id}) - {r.current_stage}, {r.touchpoints} touchpoints" for r in accounts.itertuples()
]
picked = st.selectbox("Account", range(len(labels)), format_func=lambda i: labels[i]) if labels else None
if picked is not None:
    account_id = accounts.iloc[picked]["account_id"]
    touchpoints = data.account_touchpoints(con, account_id)
    moves = data.account_stage_moves(con, account_id)
    points = (
        alt.Chart(touchpoints)
        .mark_circle(size=70)
        .encode(
            x=alt.X("occurred_at:T", title="time (UTC)"),
            y=alt.Y("touchpoint_score:Q", title="touchpoint score (0-10)", scale=alt.Scale(domain=[0, 10])),
            color=alt.Color("channel:N"),
            tooltip=["occurred_at", "touchpoint_type", "channel", "touchpoint_score", "reason"],
        )
    )
    stage_rules = (
        alt.Chart(moves)
        .mark_rule(strokeDash=[4, 3], color="gray")
        .encode(x="entered_at:T", tooltip=["entered_at", "stage", "direction", "move_reason"])
    )
    stage_labels = (
        alt.Chart(moves)
        .mark_text(angle=270, align="left", dx=4, dy=-4, color="gray")
        .encode(x="entered_at:T", y=alt.value(5), text="stage:N")
    )
    st.altair_chart((points + stage_rules + stage_labels).properties(height=320), width="stretch")
    st.caption("Dots: the account's touchpoints and their scores. Dashed lines: stage moves (stage entered).")

st.subheader("Data quality: quarantined landing rows by source and reason")
quality = data.quarantined_rows(con)
st.altair_chart(
    alt.Chart(quality)
    .mark_bar()
    .encode(
        x=alt.X("sum(rows_quarantined):Q", title="rows quarantined"),
        y=alt.Y("source_name:N", sort="-x", title=None),
        color=alt.Color("reason_code:N", title="reason"),
        tooltip=["source_name", "field_name", "reason_code", "rows_quarantined", "example_location"],
    ),
    width="stretch",
)
st.dataframe(quality, hide_index=True, width="stretch")
