"""A later batch of exports: one more day after the demo's story, for incremental runs.

    python -m orchestration.demo_data --landing DIR --next-day [N] [--accounts A --seed S --web-events W]

Written beside the first batch (same --accounts, --seed and --web-events, so the same world),
into files whose names carry the day, so ingestion loads only them. Day N (1 = the day after
the story ends) holds:
- web visits of that day: returning known people (their cookies from the first batch),
  returning and new anonymous visitors (same cookie pool), ad clicks of paid visits;
- new people at existing accounts: a visit with an identify call, and a new CRM contact;
- new opportunities (with their first stage change) at existing accounts;
- one changed CRM row: an existing contact's new title;
- e-mail events to returning people with new event ids;
- LATE web events: visits of returning people that happened 2 to 30 days earlier;
- one RE-EXPORTED file: the last e-mail events of the first batch again, unchanged.
Web traffic is about one average day of the first batch (--web-events spread over the story's
days). Deterministic: same arguments, same bytes. No malformed rows.
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

from orchestration.demo_data.generate import GenerationReport, _formatted
from orchestration.demo_data.journeys import tell_story
from orchestration.demo_data.sessions import Session, ad_click_row, build_pages, make_entry
from orchestration.demo_data.web import (
    AD_CLICK_SCHEMA,
    anonymous_sessions,
    mean_anonymous_events,
    session_events,
)
from orchestration.demo_data.world import DAY, REFERENCE_AT, WINDOW_START_AT, Contact, World, build_world
from orchestration.demo_data.writers import ParquetStream, close_text, iso_salesforce, iso_z, json_line, open_text
from orchestration.demo_data.writers import write_csv as _write_csv
from orchestration.ingestion.contract import SOURCES

KNOWN_SHARE = 0.6  # share of the day's web events from known people (the first batch: about 60%)
LATE_SHARE = 0.1  # late visits, per returning known visit
REEXPORTED_EMAIL_EVENTS = 200


def _day_bounds(day: int) -> tuple[float, float]:
    """Day ``day`` after the story: from the midnight (UTC) after REFERENCE_AT on."""
    first_midnight = datetime.combine(datetime.fromtimestamp(REFERENCE_AT, UTC).date(), time(), UTC) + timedelta(days=1)
    start = first_midnight.timestamp() + (day - 1) * DAY
    return start, start + DAY


def _known_session(rng: random.Random, world: World, person: Contact, key: str, at: float, user: bool) -> Session:
    entry = make_entry(rng, world, "mid")
    pages = build_pages(rng, world, entry, at, "mid", person.engagement, bounce=rng.random() < 0.3)
    session = Session(
        key=key,
        visitor_id=person.cookies[0],
        user_id=person.email if user else None,
        pages=pages,
        campaign=entry.campaign,
        tz_offset=person.tz_offset,
        user_agent=person.user_agent,
        has_heartbeat=person.has_heartbeat,
    )
    if entry.ad is not None:
        session.ad_click = ad_click_row(rng, entry, at - rng.uniform(0.5, 3))
    return session


def _write_rows(landing: Path, file_name: str, source: str, rows: list[dict], report: GenerationReport) -> None:
    style = iso_salesforce if source.startswith("crm_") else iso_z
    columns = [column.name for column in SOURCES[source].columns]
    count = _write_csv(landing / file_name, columns, _formatted(source, rows, style))
    report.rows[source] = report.rows.get(source, 0) + count
    report.files.append(file_name)


def generate_next_day(
    landing_dir: Path, accounts: int = 300, seed: int = 7, web_events: int | None = None, day: int = 1
) -> GenerationReport:
    """Write day ``day`` after the story (see the module docstring) into ``landing_dir``."""
    landing = Path(landing_dir)
    landing.mkdir(parents=True, exist_ok=True)
    world = build_world(seed, accounts)
    story = tell_story(world)  # decides which people are CRM contacts and their first-batch rows
    rng = random.Random(f"{seed}:next-day:{day}")
    start, end = _day_bounds(day)
    date = f"{datetime.fromtimestamp(start, UTC):%Y-%m-%d}"
    report = GenerationReport()
    story_days = (REFERENCE_AT - WINDOW_START_AT) / DAY
    first_batch_events = web_events or sum(sum(1 for _ in session_events(s)) for s in story.sessions) / KNOWN_SHARE
    day_events = first_batch_events / story_days

    people = [person for account in world.accounts for person in account.contacts if person.cookies]
    crm_people = [person for person in people if person.contact_id is not None]
    mean_known_events = 12.0  # about the events of a known person's visit (pages, heartbeats, tracks)
    returning = rng.sample(people, min(len(people), max(5, round(day_events * KNOWN_SHARE / mean_known_events))))
    sessions: list[Session] = []
    for n, person in enumerate(returning):
        at = rng.uniform(start, end - 3600)
        sessions.append(_known_session(rng, world, person, f"n{day}k{n:06d}", at, person.contact_id is not None))
    for n, person in enumerate(rng.sample(returning, max(3, round(len(returning) * LATE_SHARE)))):
        at = start - rng.uniform(2, 30) * DAY
        sessions.append(_known_session(rng, world, person, f"n{day}l{n:06d}", at, person.contact_id is not None))

    # new people at existing accounts: a first visit that identifies them, and a CRM contact
    new_contacts: list[dict] = []
    for n, account in enumerate(rng.sample(world.accounts, max(2, len(world.accounts) // 100))):
        template = account.contacts[0]
        first, last = f"New{n}", f"Person{day}"
        person = replace(
            template,
            contact_id=f"003N{day:02d}{n:05d}",
            email=f"{first}.{last}@{account.domain}".lower(),
            first_name=first,
            last_name=last,
            cookies=[f"anon-next-{day}-{n:06d}"],
            created_at=start + rng.uniform(3600, DAY - 7200),
        )
        session = _known_session(rng, world, person, f"n{day}c{n:06d}", person.created_at - 600, False)
        last_page = session.pages[-1]
        session.identify = (last_page.at + min(last_page.dwell * 0.5, 60.0), person.email)
        sessions.append(session)
        new_contacts.append(
            {
                "Id": person.contact_id,
                "AccountId": account.account_id,
                "Email": person.email,
                "FirstName": first,
                "LastName": last,
                "Title": template.title,
                "LeadSource": "Web",
                "CreatedDate": person.created_at,
                "IsDeleted": False,
            }
        )
    changed = rng.choice(crm_people)
    changed_row = next(row for row in story.rows["crm_contacts"] if row["Id"] == changed.contact_id)
    new_contacts.append(dict(changed_row, Title=f"{changed_row['Title']} (promoted)"))

    # anonymous traffic fills the day up to its share of the first batch
    known_events = sum(sum(1 for _ in session_events(s)) for s in sessions)
    mean_events = mean_anonymous_events(world)
    rate = max(0.0, day_events - known_events) / mean_events / DAY
    pool = max(50, int(first_batch_events * (1 - KNOWN_SHARE) / mean_events / 2.5))  # as the first batch
    sessions.extend(anonymous_sessions(world, start, end, rate, pool, f"next{day}"))
    sessions.sort(key=lambda s: (s.start, s.key))

    web_file, clicks_file = f"web_events_{date}.jsonl.gz", f"ad_clicks_{date}.parquet"
    handle = open_text(landing / web_file)
    clicks = ParquetStream(landing / clicks_file, AD_CLICK_SCHEMA)
    events = 0
    try:
        for session in sessions:
            for row in session_events(session):
                handle.write(json_line(row))
                events += 1
            if session.ad_click is not None:
                clicks.append(session.ad_click)
    finally:
        close_text(handle)
    report.rows["web_events"] = events
    report.rows["ad_clicks"] = clicks.close()
    report.files += [web_file, clicks_file]

    _write_rows(landing, f"crm_contacts_{date}.csv", "crm_contacts", new_contacts, report)
    opportunities, history = [], []
    for n, account in enumerate(rng.sample(world.accounts, max(1, len(world.accounts) // 300))):
        created = start + rng.uniform(3600, DAY - 3600)
        opportunity_id = f"006N{day:02d}{n:05d}"
        champion = next((p for p in account.contacts if p.contact_id is not None), None)
        amount = round(rng.uniform(10, 120)) * 1000.0
        close_date = created + 60 * DAY  # a timestamp; written as a date
        opportunities.append(
            {
                "Id": opportunity_id,
                "AccountId": account.account_id,
                "Name": f"{account.name} - Expansion",
                "StageName": "Qualification",
                "Amount": amount,
                "CreatedDate": created,
                "CloseDate": close_date,
                "IsClosed": False,
                "IsWon": False,
                "ContactId": champion.contact_id if champion else None,
                "LeadSource": "Web",
                "IsDeleted": False,
            }
        )
        history.append(
            {
                "Id": f"008N{day:02d}{n:05d}",
                "OpportunityId": opportunity_id,
                "StageName": "Qualification",
                "Amount": amount,
                "CloseDate": close_date,
                "CreatedDate": created,
            }
        )
    _write_rows(landing, f"crm_opportunities_{date}.csv", "crm_opportunities", opportunities, report)
    _write_rows(landing, f"crm_opportunity_history_{date}.csv", "crm_opportunity_history", history, report)

    campaign = world.email_campaigns[-1]
    emails = []
    for n, person in enumerate(p for p in returning if p.contact_id is not None):
        sent = start + rng.uniform(0, 3600)
        for kind, at in (("sent", sent), ("delivered", sent + 30), ("open", sent + rng.uniform(600, 20_000))):
            if kind == "open" and rng.random() < 0.6:
                continue
            emails.append(
                {
                    "event_id": f"em-n{day:02d}-{n:06d}-{kind}",
                    "event_type": kind,
                    "recipient": person.email,
                    "campaign_id": campaign.campaign_id,
                    "campaign_name": campaign.name,
                    "subject": campaign.subject,
                    "url": None,
                    "timestamp": at,
                }
            )
    _write_rows(landing, f"email_events_{date}.csv", "email_events", emails, report)
    reexported = sorted(story.rows["email_events"], key=lambda r: (r["timestamp"], r["event_id"]))
    _write_rows(
        landing,
        f"email_events_{date}_reexport.csv",
        "email_events",
        reexported[-REEXPORTED_EMAIL_EVENTS:],
        report,
    )
    report.rows = {name: report.rows.get(name, 0) for name in SOURCES}
    report.faulty_rows = dict.fromkeys(SOURCES, 0)
    return report
