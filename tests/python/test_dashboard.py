"""The dashboard renders on the published layer of the end-to-end demo run (conftest.py) and
every chart has data: Streamlit's own app test runs the page script headless; the chart
queries are checked one by one."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pytest

from dashboard import data
from orchestration import settings

APP = settings.PROJECT_DIR / "dashboard" / "app.py"


@pytest.fixture(scope="module")
def published(pipeline) -> Path:
    return Path(pipeline["env"]["TW_PUBLISHED_PATH"])


def test_every_chart_query_returns_data(published):
    con = data.connect(str(published))
    models = data.attribution_models(con)
    assert set(data.DEFAULT_MODELS) <= set(models)
    account_id = data.accounts_for_timeline(con)["account_id"].iloc[0]
    frames = {
        "funnel": data.journey_funnel(con),
        "stage flow": data.stage_flow(con),
        "attribution by channel": data.attribution_by_channel(con, list(data.DEFAULT_MODELS)),
        "roas": data.roas_by_channel_and_month(con, "linear"),
        "share kept": data.touchpoint_share_by_source(con),
        "timeline touchpoints": data.account_touchpoints(con, account_id),
        "timeline stage moves": data.account_stage_moves(con, account_id),
        "quality": data.quarantined_rows(con),
    }
    con.close()
    assert {name: len(frame) for name, frame in frames.items() if frame.empty} == {}
    by_channel = frames["attribution by channel"]
    assert set(by_channel["model_name"]) == set(data.DEFAULT_MODELS)  # models side by side
    assert frames["funnel"]["accounts"].sum() > 0
    assert frames["roas"]["roas"].notna().any()


def test_the_page_renders_every_chart_with_data(published, monkeypatch):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("TW_PUBLISHED_PATH", str(published))
    app = AppTest.from_file(str(APP), default_timeout=120).run()
    assert not app.exception, [e.value for e in app.exception]
    assert not app.error, [e.value for e in app.error]
    charts = app.get("vega_lite_chart")
    # funnel, stage flow, pipeline and revenue by model, ROAS, share kept, timeline, quality
    assert len(charts) == 8
    for chart in charts:
        rows = [pa.ipc.open_stream(dataset.data.data).read_all().num_rows for dataset in chart.proto.datasets]
        assert rows and all(count > 0 for count in rows), chart.proto.spec[:300]
    assert len(app.get("vega_lite_chart")[6].proto.datasets) == 2  # the timeline: touchpoints and stage moves


def test_the_page_says_what_to_do_without_a_published_layer(tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("TW_PUBLISHED_PATH", str(tmp_path / "missing.duckdb"))
    app = AppTest.from_file(str(APP), default_timeout=60).run()
    assert "make demo" in app.error[0].value
