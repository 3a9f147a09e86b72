"""One visit is one touchpoint, end to end on hand-written exports.

One account (Acme, contact ana@acme.io) makes three visits before its deal is won:
  1. a Google ad click (gclid GC-1) landing on /pricing, 60 s of heartbeats;
  2. an e-mail click (event EM-1) landing on /blog/attribution-myths with mkt_tok=EM-1, 90 s;
  3. an organic visit from google.com to /guides/connect-your-crm, 90 s.
Before, the ad click and the e-mail click were touchpoints next to their landing page views,
so paid search and e-mail got two touches each against one for organic search (linear credit
2/5, 2/5, 1/5). Now each visit is one touchpoint (the click, with the click's channel and
campaign) and linear attribution gives each channel 1/3 of the won deal's 30,000 = 10,000.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from orchestration import settings
from orchestration.ingestion.load import ingest_landing_folder

AMOUNT = 30000.0


def _page(message_id: str, at: str, url: str, referrer: str | None = None) -> dict:
    path = url.split("example.com", 1)[1].split("?", 1)[0]
    page = {"url": url, "path": path} | ({"referrer": referrer} if referrer else {})
    return {
        "messageId": message_id,
        "type": "page",
        "anonymousId": "anon-1",
        "timestamp": at,
        "context": {"page": page},
        "properties": {},
    }


def _heartbeats(message_id: str, start: str, url: str, seconds: int) -> list[dict]:
    path = url.split("example.com", 1)[1].split("?", 1)[0]
    day, time = start.split("T")
    hours, minutes, _ = (int(part) for part in time.rstrip("Z").split(":"))
    beats = []
    for n, offset in enumerate(range(15, seconds + 1, 15), start=1):
        at = f"{day}T{hours:02d}:{minutes + offset // 60:02d}:{offset % 60:02d}Z"
        beats.append(
            {
                "messageId": f"{message_id}-hb{n}",
                "type": "track",
                "event": "Page Heartbeat",
                "anonymousId": "anon-1",
                "timestamp": at,
                "context": {"page": {"url": url, "path": path}},
                "properties": {"interval_seconds": 15},
            }
        )
    return beats


def _write_landing(landing: Path) -> None:
    landing.mkdir()
    ad_url = "https://www.example.com/pricing?gclid=GC-1"
    mail_url = "https://www.example.com/blog/attribution-myths?utm_source=nurture&utm_medium=email&mkt_tok=EM-1"
    organic_url = "https://www.example.com/guides/connect-your-crm"
    events = [
        _page("p-ad", "2026-03-02T10:00:00Z", ad_url, "https://www.google.com/"),
        *_heartbeats("p-ad", "2026-03-02T10:00:00Z", ad_url, 60),
        _page("p-mail", "2026-03-04T10:00:00Z", mail_url),
        *_heartbeats("p-mail", "2026-03-04T10:00:00Z", mail_url, 90),
        _page("p-organic", "2026-03-06T10:00:00Z", organic_url, "https://www.google.com/"),
        *_heartbeats("p-organic", "2026-03-06T10:00:00Z", organic_url, 90),
    ]
    (landing / "web_events.jsonl").write_text("".join(json.dumps(e) + "\n" for e in events))
    (landing / "ad_clicks.csv").write_text(
        "click_id,click_id_type,platform,campaign_id,campaign_name,landing_page_url,clicked_at\n"
        f"GC-1,gclid,google_ads,g-brand,Brand search,{ad_url},2026-03-02T09:59:58Z\n"
    )
    (landing / "email_events.csv").write_text(
        "event_id,event_type,recipient,campaign_id,campaign_name,url,timestamp\n"
        "EM-0,sent,ana@acme.io,e-nurture,Nurture 1,,2026-03-04T08:00:00Z\n"
        f"EM-1,click,ana@acme.io,e-nurture,Nurture 1,{mail_url},2026-03-04T09:59:58Z\n"
    )
    (landing / "crm_accounts.csv").write_text(
        "Id,Name,Website,CreatedDate\nA-1,Acme,https://www.acme.io,2026-01-05T00:00:00Z\n"
    )
    (landing / "crm_contacts.csv").write_text(
        "Id,AccountId,Email,CreatedDate\nC-1,A-1,ana@acme.io,2026-01-05T00:00:00Z\n"
    )
    (landing / "crm_opportunities.csv").write_text(
        "Id,AccountId,Name,StageName,Amount,CreatedDate,CloseDate,IsClosed,IsWon,ContactId\n"
        f"O-1,A-1,Acme - Platform,Closed Won,{AMOUNT},2026-03-07T00:00:00Z,2026-03-10,true,true,C-1\n"
    )


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> duckdb.DuckDBPyConnection:
    root = tmp_path_factory.mktemp("one_visit")
    _write_landing(root / "landing")
    db_path = root / "warehouse.duckdb"
    report = ingest_landing_folder(root / "landing", db_path)
    assert all(r.status == "loaded" and r.rows_quarantined == 0 for r in report.files), report
    env = os.environ | {"TW_DUCKDB_PATH": str(db_path), "DBT_PROFILES_DIR": str(settings.PROJECT_DIR)}
    dbt = str(Path(sys.executable).parent / "dbt")
    paths = ["--target-path", str(root / "target"), "--log-path", str(root / "logs")]
    for args in (["seed"], ["run", "--select", "+mart_attribution_credits"]):
        result = subprocess.run(
            [dbt, *args, *paths], cwd=settings.PROJECT_DIR, env=env, capture_output=True, text=True, timeout=900
        )
        assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-3000:]
    con = duckdb.connect(str(db_path), read_only=True)
    yield con
    con.close()


def test_each_visit_is_one_touchpoint_with_the_clicks_channel(warehouse):
    touchpoints = warehouse.execute(
        "select touchpoint_id, channel, campaign_id from marts.fct_touchpoints"
        " where account_id = 'A-1' order by occurred_at"
    ).fetchall()
    assert touchpoints == [
        ("ads:GC-1", "paid_search", "g-brand"),
        ("email:EM-1", "email", "e-nurture"),
        ("segment:p-organic", "organic_search", None),
    ]


def test_interactions_keep_both_rows_linked(warehouse):
    links = dict(
        warehouse.execute(
            "select interaction_id, linked_interaction_id from marts.fct_interactions"
            " where linked_interaction_id is not null"
        ).fetchall()
    )
    assert links == {
        "ads:GC-1": "segment:p-ad",
        "segment:p-ad": "ads:GC-1",
        "email:EM-1": "segment:p-mail",
        "segment:p-mail": "email:EM-1",
    }
    landing = warehouse.execute(
        "select is_touchpoint, reason from marts.fct_interactions where interaction_id = 'segment:p-mail'"
    ).fetchone()
    assert landing == (False, "counted_with_click")


def test_linear_credit_is_equal_per_visit(warehouse):
    credits = dict(
        warehouse.execute("""
            select channel, sum(attributed_revenue)
            from marts.mart_attribution_credits
            where model_name = 'linear' and conversion_type = 'closed_won'
            group by channel
        """).fetchall()
    )
    assert credits == pytest.approx({"paid_search": AMOUNT / 3, "email": AMOUNT / 3, "organic_search": AMOUNT / 3})
