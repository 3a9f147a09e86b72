"""Segment web events, streamed month by month so that tens of millions of events fit in memory.

Known people's visits (planned by the journeys) are merged in time order with anonymous
traffic generated on the fly; each month goes to its own gzip JSON-lines file, split into
parts of at most ``chunk_rows`` events. Ad clicks are written alongside, as the visits that
came from an ad are rendered.
"""

from __future__ import annotations

import heapq
import random
import zlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa

from orchestration.demo_data import faults
from orchestration.demo_data.sessions import Session, ad_click_row, build_pages, click_id, make_entry
from orchestration.demo_data.world import HEARTBEAT_SECONDS, REFERENCE_AT, USER_AGENTS, WINDOW_START_AT, World
from orchestration.demo_data.writers import ParquetStream, close_text, iso_offset, json_line, open_text

AD_CLICK_SCHEMA = pa.schema(
    [
        (name, pa.string())
        for name in (
            "click_id",
            "click_id_type",
            "platform",
            "campaign_id",
            "campaign_name",
            "ad_group",
            "ad_id",
            "landing_page_url",
        )
    ]
    + [("clicked_at", pa.timestamp("ms", tz="UTC"))]
)
DEFAULT_CHUNK_ROWS = 500_000
ANONYMOUS_SHARE = 0.4  # default share of anonymous traffic in all web events


@dataclass
class WebResult:
    events: int = 0
    faulty_events: int = 0
    ad_clicks: int = 0
    files: list[str] = field(default_factory=list)
    clicks_per_day: Counter = field(default_factory=Counter)  # (date, campaign_id) -> recorded clicks


def heartbeat_seconds(visitor_id: str) -> int:
    """Seconds between heartbeats: a quarter of the browsers run a tracker that beats every 10 s
    (so a 10-12 s bounce sends one heartbeat at 10 s), the rest every HEARTBEAT_SECONDS."""
    return 10 if zlib.crc32(visitor_id.encode()) % 4 == 0 else HEARTBEAT_SECONDS


def session_events(session: Session) -> Iterator[dict]:
    """The Segment calls of one visit: page, heartbeats, track events and the identify call."""
    n = 0
    user = session.user_id
    identify_at, identify_email = session.identify if session.identify else (None, None)

    def event(
        type_: str,
        ts: float,
        context: dict,
        name: str | None = None,
        properties: dict | None = None,
        traits: dict | None = None,
    ) -> dict:
        nonlocal n
        n += 1
        row: dict = {"messageId": f"ajs-{session.key}-{n:04d}", "type": type_}
        if name:
            row["event"] = name
        row["anonymousId"] = session.visitor_id
        if user:
            row["userId"] = user
        if traits:
            row["traits"] = traits
        row["timestamp"] = iso_offset(ts, session.tz_offset)
        row["context"] = context
        row["properties"] = properties if properties is not None else {}
        return row

    # Tracker variants, fixed per visitor or visit (no draw from the shared random stream):
    # some trackers name the page view in each heartbeat; in some visits a second tab opens in
    # the same second as the first page (parallel tabs); in some the last page call is blocked
    # while its heartbeats still arrive (heartbeats that match no page view).
    sends_page_view_id = zlib.crc32(session.visitor_id.encode()) % 3 == 0
    variant = zlib.crc32(session.key.encode()) % 12
    several_pages = session.has_heartbeat and len(session.pages) >= 2
    starts = [page.at for page in session.pages]
    if several_pages and variant == 0 and session.identify is None:
        starts[1] = starts[0]
    lost_page_call = len(session.pages) - 1 if several_pages and variant == 1 else None
    for index, page in enumerate(session.pages):
        page_view_id = f"pv-{session.key}-{index}" if sends_page_view_id else None
        page_context = {"url": page.url, "path": page.content.url_path, "title": page.content.title}
        if page.referrer:
            page_context["referrer"] = page.referrer
        context: dict = {"page": page_context, "userAgent": session.user_agent}
        if index == 0 and session.campaign:
            context["campaign"] = session.campaign
        calls: list[tuple[float, str | None, dict]] = []
        if index != lost_page_call:
            calls.append((0.0, None, {"page_view_id": page_view_id} if page_view_id else {}))
        if session.has_heartbeat:
            interval = heartbeat_seconds(session.visitor_id)
            beat = {"interval_seconds": interval} | ({"page_view_id": page_view_id} if page_view_id else {})
            calls += [(interval * i, "Page Heartbeat", beat) for i in range(1, int(page.dwell // interval) + 1)]
        calls += [(offset, name, props) for offset, name, props in page.tracks]
        calls.sort(key=lambda call: call[0])
        for offset, name, props in calls:
            ts = starts[index] + offset
            if identify_at is not None and ts >= identify_at:
                user = identify_email
                yield event("identify", identify_at, context, traits={"email": identify_email})
                identify_at = None
            yield event("page" if name is None else "track", ts, context, name, props)
    if identify_at is not None:
        user = identify_email
        yield event("identify", identify_at, context, traits={"email": identify_email})


def _anonymous_visitor(seed: int, index: int) -> tuple[str, int, str, bool]:
    rng = random.Random(f"{seed}:visitor:{index}")
    cookie = "anon-" + f"{rng.getrandbits(128):032x}"
    return cookie, rng.choice((0, 60, 60, -300, -300, -420, 330)), rng.choice(USER_AGENTS), rng.random() < 0.8


def anonymous_sessions(world: World, start: float, end: float, rate: float, pool: int, tag: str) -> Iterator[Session]:
    """Visits of people we never learn the name of: a Poisson stream at ``rate`` visits per second."""
    rng = random.Random(f"{world.seed}:anonymous:{tag}")
    at, n = start, 0
    if rate <= 0:
        return
    while True:
        at += rng.expovariate(rate)
        if at >= end:
            return
        n += 1
        cookie, tz_offset, agent, heartbeat = _anonymous_visitor(world.seed, int(pool * rng.random() ** 2))
        stage = "early" if rng.random() < 0.7 else "mid"
        entry = make_entry(rng, world, stage)
        pages = build_pages(rng, world, entry, at, stage, rng.uniform(0.05, 0.5), bounce=rng.random() < 0.35)
        session = Session(f"a{tag}{n:07x}", cookie, None, pages, entry.campaign, tz_offset, agent, heartbeat)
        if entry.ad is not None:
            session.ad_click = ad_click_row(rng, entry, at - rng.uniform(0.5, 3))
        yield session


def mean_anonymous_events(world: World) -> float:
    """Average events of an anonymous visit, measured on a fixed sample (sets the traffic rate)."""
    sample = list(anonymous_sessions(world, 0.0, 5_000.0, 1.0, 10**9, "calibration"))
    return sum(sum(1 for _ in session_events(s)) for s in sample) / max(1, len(sample))


def _months() -> list[tuple[str, float, float]]:
    months = []
    year, month = 2026, 3
    start = WINDOW_START_AT
    while start < REFERENCE_AT:
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        end = min(datetime(year, month, 1, tzinfo=UTC).timestamp(), REFERENCE_AT)
        months.append((f"{datetime.fromtimestamp(start, UTC):%Y-%m}", start, end))
        start = end
    return months


class _PartWriter:
    """Monthly JSON-lines files, split into parts of at most chunk_rows events."""

    def __init__(self, landing: Path, month: str, chunk_rows: int, result: WebResult) -> None:
        self.landing, self.month, self.chunk_rows, self.result = landing, month, chunk_rows, result
        self.part, self.rows, self.handle = 0, 0, None

    def write_session(self, lines: list[str]) -> None:
        if self.handle is None or self.rows >= self.chunk_rows:
            self.close()
            self.part += 1
            suffix = "" if self.part == 1 else f"_part{self.part:02d}"
            name = f"web_events_{self.month}{suffix}.jsonl.gz"
            self.handle = open_text(self.landing / name)
            self.result.files.append(name)
            self.rows = 0
        self.handle.write("".join(lines))
        self.rows += len(lines)

    def close(self) -> None:
        if self.handle is not None:
            close_text(self.handle)
            self.handle = None


def write_web_events(
    world: World,
    known: list[Session],
    landing: Path,
    target_events: int | None,
    with_faults: bool,
    chunk_rows: int = DEFAULT_CHUNK_ROWS,
) -> WebResult:
    """Stream every visit to web_events_<month>*.jsonl.gz and ad_clicks.parquet."""
    result = WebResult()
    known_events = sum(sum(1 for _ in session_events(s)) for s in known)
    # counted without the malformed extra rows, so that faults never change the clean story
    if target_events is None:
        anonymous_target = known_events * ANONYMOUS_SHARE / (1 - ANONYMOUS_SHARE)
    else:
        clean_target = target_events / (1 + faults.FAULT_RATE) if with_faults else target_events
        anonymous_target = max(0, clean_target - known_events)
    last_visit_at = REFERENCE_AT - 3600
    mean_events = mean_anonymous_events(world)
    pool = max(50, int(anonymous_target / mean_events / 2.5))
    anonymous_events = anonymous_visits = 0
    clicks = ParquetStream(landing / "ad_clicks.parquet", AD_CLICK_SCHEMA)
    noise = random.Random(f"{world.seed}:ad-noise")
    fault_every = round(1 / faults.FAULT_RATE)
    kinds = faults.FAULTS["web_events"]
    position = 0
    for month, start, end in _months():
        writer = _PartWriter(landing, month, chunk_rows, result)
        in_month = (s for s in known if start <= s.start < end)
        if anonymous_visits >= 1000:  # the traffic so far estimates the events per visit better
            mean_events = anonymous_events / anonymous_visits
        # spread what is still missing evenly over the time that is left
        rate = max(0.0, anonymous_target - anonymous_events) / mean_events / (last_visit_at - start)
        anonymous = anonymous_sessions(world, start, min(end, last_visit_at), rate, pool, month)
        for session in heapq.merge(in_month, anonymous, key=lambda s: (s.start, s.key)):
            lines = []
            clean = 0
            for row in session_events(session):
                clean += 1
                lines.append(json_line(row))
                position += 1
                if with_faults and position % fault_every == 0:
                    serial = result.faulty_events
                    kind, column = kinds[serial % len(kinds)]
                    lines.append(json_line(faults.corrupt(row, kind, column, "messageId", serial, None)))
                    result.faulty_events += 1
            writer.write_session(lines)
            result.events += len(lines)
            if session.key.startswith("a"):
                anonymous_events += clean
                anonymous_visits += 1
            if session.ad_click is not None:
                _add_click(result, clicks, session.ad_click)
                if noise.random() < 0.1:  # a click the site never saw: blocked tracking, bounce before load
                    original = session.ad_click
                    ghost_id = click_id(noise, original["click_id_type"])
                    ghost = dict(
                        original,
                        click_id=ghost_id,
                        clicked_at=original["clicked_at"] + noise.uniform(60, 7200),
                        landing_page_url=original["landing_page_url"].replace(original["click_id"], ghost_id),
                    )
                    _add_click(result, clicks, ghost)
        writer.close()
    result.ad_clicks = clicks.close()
    result.files.append("ad_clicks.parquet")
    return result


def _add_click(result: WebResult, clicks: ParquetStream, row: dict) -> None:
    clicks.append(row)
    day = datetime.fromtimestamp(row["clicked_at"], UTC).date()
    result.clicks_per_day[(day, row["campaign_id"])] += 1
