"""Write the demo exports of every contract source into a landing folder."""

from __future__ import annotations

import gzip
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import pyarrow as pa

from orchestration.demo_data import faults as fault_rows
from orchestration.demo_data.journeys import Story, tell_story
from orchestration.demo_data.web import DEFAULT_CHUNK_ROWS, write_web_events
from orchestration.demo_data.world import REFERENCE_AT, WINDOW_START_AT, World, build_world
from orchestration.demo_data.writers import (
    iso_date,
    iso_offset,
    iso_salesforce,
    iso_z,
    json_line,
    utc,
    write_csv,
    write_jsonl,
    write_parquet,
)
from orchestration.ingestion.contract import DATE, SOURCES, TIMESTAMP

# Where each batch source goes and how its timestamps are written.
FILES = {
    "crm_accounts": ("crm_accounts.csv", iso_salesforce),
    "crm_contacts": ("crm_contacts.csv", iso_salesforce),
    "crm_opportunities": ("crm_opportunities.csv", iso_salesforce),
    "crm_opportunity_history": ("crm_opportunity_history.csv", iso_salesforce),
    "content_catalog": ("content_catalog.csv", iso_z),
    "email_events": ("email_events_2026.csv.gz", iso_z),
    "form_submissions": ("form_submissions_2026.ndjson", iso_z),
    "meetings": ("meetings.csv", iso_z),
    "document_views": ("document_views.parquet", iso_z),
    "webinar_attendance": ("webinar_attendance.csv", iso_z),
    "calls": ("calls_2026.jsonl.gz", iso_z),
    "ad_spend": ("ad_spend.parquet", iso_z),
}
SORT_KEYS = {
    "email_events": ("timestamp", "event_id"),
    "form_submissions": ("submitted_at", "submission_id"),
    "meetings": ("booked_at", "meeting_id"),
    "document_views": ("viewed_at", "view_id"),
    "webinar_attendance": ("registered_at", "attendance_id"),
    "calls": ("started_at", "call_id"),
}
BROKEN_FILE = "calls_2026-10_late.jsonl.gz"  # a truncated upload: the failed-file path
PARQUET_TYPES = {
    "number": pa.float64(),
    "integer": pa.int64(),
    "date": pa.date32(),
    "timestamp": pa.timestamp("ms", tz="UTC"),
    "boolean": pa.bool_(),
}


@dataclass
class GenerationReport:
    rows: dict[str, int] = field(default_factory=dict)  # data rows per source in readable files (faulty included)
    faulty_rows: dict[str, int] = field(default_factory=dict)  # of those, the deliberately malformed ones
    files: list[str] = field(default_factory=list)
    broken_files: list[str] = field(default_factory=list)  # files that cannot be read at all


def _formatted(source: str, rows: list[dict], style: Callable[[float], str]) -> list[dict]:
    """Rows with times as export text, in contract column order (internal '_' keys dropped)."""
    columns = SOURCES[source].columns
    result = []
    for row in rows:
        out = {}
        for col in columns:
            value = row.get(col.name)
            if value is not None and col.type == TIMESTAMP:
                tz = row.get("_tz")
                value = iso_offset(value, tz) if tz else style(value)
            elif value is not None and col.type == DATE:
                value = iso_date(value)
            out[col.name] = value
        result.append(out)
    return result


def _parquet_schema(source: str) -> pa.Schema:
    return pa.schema([(c.name, PARQUET_TYPES.get(c.type, pa.string())) for c in SOURCES[source].columns])


def account_rows(world: World) -> list[dict]:
    rows = []
    for n, account in enumerate(world.accounts):
        # exports are messy: most websites are full URLs, some lack the scheme or the www
        website = f"https://www.{account.domain}" if n % 5 < 3 else f"http://{account.domain}/"
        if n % 5 == 4:
            website = f"www.{account.domain}"
        rows.append(
            {
                "Id": account.account_id,
                "Name": account.name,
                "Website": website,
                "Industry": account.industry,
                "NumberOfEmployees": account.employees,
                "BillingCountry": account.country,
                "CreatedDate": account.created_at,
                "IsDeleted": False,
            }
        )
    for n, account in enumerate(world.accounts[:2]):  # duplicates someone merged away
        rows.append(
            {
                "Id": f"001Z{n + 1:06d}",
                "Name": f"{account.name} (duplicate)",
                "Website": f"https://www.{account.domain}",
                "Industry": account.industry,
                "NumberOfEmployees": None,
                "BillingCountry": account.country,
                "CreatedDate": account.created_at + 86_400,
                "IsDeleted": True,
            }
        )
    return rows


# The CMS exports one page under a content type the contract does not list yet: the row must
# load with its word count (the value kept, a warning in the run summary), not be quarantined.
EXPORTED_CONTENT_TYPES = {"c-how_to_guide-1": "Playbook"}


def content_rows(world: World) -> list[dict]:
    return [
        {
            "content_id": c.content_id,
            "url_path": c.url_path,
            "title": c.title,
            "content_type": EXPORTED_CONTENT_TYPES.get(c.content_id, c.content_type),
            "topic": c.topic,
            "word_count": c.word_count,
            "video_seconds": c.video_seconds,
            "expected_seconds": c.expected_seconds,
        }
        for c in world.content
    ]


def ad_spend_rows(world: World, clicks_per_day: dict, seed: int) -> list[dict]:
    """Daily spend per campaign: reported clicks exceed the clicks we can see, as with real platforms."""
    rng = random.Random(f"{seed}:ad-spend")
    rows = []
    first, last = utc(WINDOW_START_AT).date(), utc(REFERENCE_AT).date()
    for campaign in world.ad_campaigns:
        day = first
        while day <= last:
            seen = clicks_per_day.get((day, campaign.campaign_id), 0)
            clicks = round(seen * rng.uniform(1.2, 1.6) + rng.uniform(0, 3))
            impressions = round(clicks / campaign.ctr * rng.uniform(0.8, 1.2)) + rng.randint(50, 400)
            rows.append(
                {
                    "date": day,
                    "platform": campaign.platform,
                    "campaign_id": campaign.campaign_id,
                    "campaign_name": campaign.name,
                    "channel": None if campaign.platform == "meta_ads" else campaign.channel,
                    "spend": round(clicks * campaign.cpc * rng.uniform(0.8, 1.2) + impressions * 0.001, 2),
                    "impressions": impressions,
                    "clicks": clicks,
                    "currency": "USD",
                }
            )
            day += timedelta(days=1)
    return rows


def _batch_rows(world: World, story: Story) -> dict[str, list[dict]]:
    rows = {name: list(story.rows.get(name, [])) for name in FILES}
    rows["crm_accounts"] = account_rows(world)
    rows["content_catalog"] = content_rows(world)
    for name, keys in SORT_KEYS.items():
        rows[name].sort(key=lambda r, keys=keys: tuple(r[k] for k in keys))
    for name in ("crm_contacts", "crm_opportunities", "crm_opportunity_history"):
        rows[name].sort(key=lambda r: r["Id"])
    return rows


def _write_batch(
    landing: Path, source: str, rows: list[dict], seed: int, faults: bool, report: GenerationReport
) -> None:
    file_name, style = FILES[source]
    path = landing / file_name
    columns = [c.name for c in SOURCES[source].columns]
    formatted = _formatted(source, rows, style) if source != "ad_spend" else rows
    key = SOURCES[source].primary_key[0]
    with_faults = faults and source in fault_rows.FAULTS and not file_name.endswith(".parquet")
    output = fault_rows.with_faults(source, formatted, key, seed, columns) if with_faults else formatted
    if file_name.endswith(".parquet"):
        typed = rows if source == "ad_spend" else [{k: v for k, v in r.items() if not k.startswith("_")} for r in rows]
        count = write_parquet(path, _parquet_schema(source), typed)
    elif ".csv" in file_name:
        count = write_csv(path, columns, output)
    else:
        count = write_jsonl(path, output)
    report.rows[source] = report.rows.get(source, 0) + count
    report.faulty_rows[source] = fault_rows.count_faults(source, len(rows)) if with_faults else 0
    report.files.append(file_name)


def _write_broken_file(landing: Path, rows: list[dict], report: GenerationReport) -> None:
    """A gzip file cut off mid-stream, as after an interrupted upload."""
    payload = "".join(json_line(dict(r, call_id=r["call_id"] + "-late")) for r in rows[-40:])
    data = gzip.compress(payload.encode("utf-8"), compresslevel=5, mtime=0)
    (landing / BROKEN_FILE).write_bytes(data[: len(data) // 2])
    report.broken_files.append(BROKEN_FILE)


def generate(
    landing_dir: Path,
    accounts: int = 300,
    seed: int = 7,
    web_events: int | None = None,
    faults: bool = True,
    chunk_rows: int = DEFAULT_CHUNK_ROWS,
) -> GenerationReport:
    """Generate every source's export files into ``landing_dir``; same arguments, same bytes."""
    landing = Path(landing_dir)
    landing.mkdir(parents=True, exist_ok=True)
    world = build_world(seed, accounts)
    story = tell_story(world)
    report = GenerationReport()
    web = write_web_events(world, story.sessions, landing, web_events, faults, chunk_rows)
    report.rows["web_events"] = web.events
    report.faulty_rows["web_events"] = web.faulty_events
    report.rows["ad_clicks"] = web.ad_clicks
    report.faulty_rows["ad_clicks"] = 0
    report.files.extend(web.files)
    batches = _batch_rows(world, story)
    batches["ad_spend"] = ad_spend_rows(world, web.clicks_per_day, seed)
    for source in FILES:
        _write_batch(landing, source, batches[source], seed, faults, report)
    if faults:
        _write_broken_file(landing, _formatted("calls", batches["calls"], iso_z), report)
    report.rows = {name: report.rows[name] for name in SOURCES}
    report.faulty_rows = {name: report.faulty_rows[name] for name in SOURCES}
    return report


def generate_demo_exports(
    landing_dir: Path, accounts: int = 300, seed: int = 7, web_events: int | None = None, faults: bool = True
) -> dict[str, int]:
    """Rows written per source (deliberately malformed rows included; see ``generate`` for details)."""
    return generate(landing_dir, accounts, seed, web_events, faults).rows
