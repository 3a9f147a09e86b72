"""Website visits: how a visit starts (entry), which pages it reads and how long it stays on each."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field

from orchestration.demo_data.world import SITE, AdCampaign, Content, World

# Which content a visitor reads at each stage of interest: (content_type, weight).
STAGE_WEIGHTS = {
    "early": (("blog", 6), ("how_to_guide", 3), ("homepage", 2), ("video", 1), ("report", 1), ("product", 1)),
    "mid": (
        ("product", 3),
        ("report", 2),
        ("whitepaper", 2),
        ("comparison", 2),
        ("blog", 2),
        ("webinar", 1),
        ("video", 1),
        ("case_study", 1),
        ("tool", 1),
    ),
    "late": (
        ("pricing", 4),
        ("case_study", 3),
        ("security", 2),
        ("comparison", 2),
        ("product", 2),
        ("tool", 1),
        ("demo", 1),
    ),
}
ORGANIC_REFERRERS = ("https://www.google.com/",) * 6 + ("https://www.bing.com/", "https://duckduckgo.com/")
PARTNER_REFERRERS = (
    "https://www.g2.com/products/example/reviews",
    "https://www.capterra.com/p/example",
    "https://partner-consulting.co/blog/attribution-stack",
    "https://news.ycombinator.com/",
)
# Links as the tools that send them tag them (utm_source, utm_medium): sales sequences, affiliate
# platforms, review-site listings, podcast sponsorships, SMS and push; the last one matches no
# channel rule, so the run summary has an unmatched (medium, source) pair to show.
TOOL_TAGGED = (
    ("outreach", "sales"),
    ("salesloft", "email"),
    ("partnerstack", "affiliate"),
    ("capterra", "cpc"),
    ("saas-growth-show", "podcast"),
    ("attentive", "sms"),
    ("onesignal", "push"),
    ("trade-magazine", "print"),
)
SALES_SEQUENCE_TAGS = (("outreach", "sales"), ("salesloft", "email"))
SOCIAL_REFERRERS = ("https://www.linkedin.com/",) * 4 + ("https://t.co/",)
PAID_REFERRERS = {
    "google_ads": "https://www.google.com/",
    "bing_ads": "https://www.bing.com/",
    "linkedin_ads": "https://www.linkedin.com/",
    "meta_ads": "https://m.facebook.com/",
    "display": "https://ads.publisher-network.com/",
}
MAX_DWELL_SECONDS = 1800.0  # tabs left open longer than this stop sending heartbeats
_ALPHANUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"


@dataclass
class PageVisit:
    at: float
    content: Content
    query: str  # query string without '?', '' for none
    referrer: str | None
    dwell: float  # seconds the page stays open
    tracks: list[tuple[float, str, dict]] = field(default_factory=list)  # (seconds after load, event, properties)

    @property
    def url(self) -> str:
        return SITE + self.content.url_path + ("?" + self.query if self.query else "")


@dataclass
class Entry:
    landing: Content
    query: str = ""
    referrer: str | None = None
    campaign: dict | None = None  # Segment context.campaign of the landing page
    ad: AdCampaign | None = None
    click_id: str | None = None


@dataclass
class Session:
    key: str  # unique; message ids derive from it
    visitor_id: str
    user_id: str | None  # known user when the visit starts
    pages: list[PageVisit]
    campaign: dict | None
    tz_offset: int
    user_agent: str
    has_heartbeat: bool
    identify: tuple[float, str] | None = None  # (at, email): the identify call after a form
    ad_click: dict | None = None  # the ad platform's click row, if the visit came from an ad

    @property
    def start(self) -> float:
        return self.pages[0].at


def click_id(rng: random.Random, id_type: str) -> str:
    if id_type == "gclid":
        return "Cj0KCQjw" + "".join(rng.choice(_ALPHANUM) for _ in range(24))
    if id_type == "fbclid":
        return "IwAR" + "".join(rng.choice(_ALPHANUM) for _ in range(32))
    if id_type == "li_fat_id":
        h = f"{rng.getrandbits(128):032x}"
        return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"
    return f"{rng.getrandbits(128):032x}"


def _utm(source: str, medium: str, name: str | None = None, content: str | None = None) -> tuple[str, dict]:
    campaign = {"source": source, "medium": medium}
    query = f"utm_source={source}&utm_medium={medium}"
    if name:
        campaign["name"] = name
        query += f"&utm_campaign={name}"
    if content:
        campaign["content"] = content
        query += f"&utm_content={content}"
    return query, campaign


def pick_content(rng: random.Random, world: World, stage: str) -> Content:
    types, weights = zip(*STAGE_WEIGHTS[stage], strict=True)
    content_type = rng.choices(types, weights)[0]
    return rng.choice(world.content_by_type(content_type))


def paid_entry(rng: random.Random, world: World, campaign: AdCampaign) -> Entry:
    cid = click_id(rng, campaign.click_id_type)
    query, utm = _utm(campaign.utm_source, campaign.utm_medium, campaign.name)
    param = campaign.click_id_type if campaign.click_id_type != "other" else "dclid"
    return Entry(
        world.content_at(campaign.landing_path),
        f"{query}&{param}={cid}",
        PAID_REFERRERS[campaign.platform],
        utm,
        campaign,
        cid,
    )


def make_entry(rng: random.Random, world: World, stage: str, kind: str | None = None) -> Entry:
    """How a visit starts: organic search, direct, referral, social, paid, an event QR code, a link
    tagged by the tool that sent it, or a sales rep's sequence e-mail."""
    kind = (
        kind
        or rng.choices(
            ("organic_search", "direct", "referral", "organic_social", "paid", "event", "tool_tagged"),
            (30, 22, 9, 9, 26, 4, 5),
        )[0]
    )
    if kind == "paid":
        return paid_entry(rng, world, rng.choice(world.ad_campaigns))
    if kind == "direct":
        return Entry(world.content_at(rng.choice(("/", "/", "/pricing", "/product"))))
    if kind in ("tool_tagged", "sales_sequence"):
        source, medium = rng.choice(TOOL_TAGGED if kind == "tool_tagged" else SALES_SEQUENCE_TAGS)
        query, utm = _utm(source, medium, f"{source}-{medium}")
        landing = world.content_at("/pricing") if kind == "sales_sequence" else pick_content(rng, world, stage)
        return Entry(landing, query, None, utm)
    if kind == "event":
        query, utm = _utm("field-summit", "event", "field-summit-2026", "booth-qr")
        return Entry(world.content_at("/tools/roi-calculator"), query, None, utm)
    landing = pick_content(rng, world, "early" if stage == "early" or rng.random() < 0.6 else stage)
    if kind == "organic_search":
        return Entry(landing, "", rng.choice(ORGANIC_REFERRERS))
    if kind == "referral":
        return Entry(landing, "", rng.choice(PARTNER_REFERRERS))
    if rng.random() < 0.5:  # organic social: half of the shared links carry utm tags
        query, utm = _utm("linkedin", "social", "organic-posts")
        return Entry(landing, query, "https://www.linkedin.com/", utm)
    return Entry(landing, "", rng.choice(SOCIAL_REFERRERS))


def _dwell(rng: random.Random, content: Content, engagement: float) -> float:
    # long pieces are rarely finished: the typical share read falls with the length
    typical = (0.1 + 0.45 * engagement) * min(1.0, 300 / content.reading_seconds) ** 0.5
    ratio = min(1.3, rng.lognormvariate(math.log(typical), 0.8))
    return max(4.0, round(min(MAX_DWELL_SECONDS, content.reading_seconds * ratio), 3))


def _page_tracks(rng: random.Random, content: Content, dwell: float) -> list[tuple[float, str, dict]]:
    tracks: list[tuple[float, str, dict]] = []
    if content.video_seconds:
        for pct in (25, 50, 75, 100):
            offset = 5 + content.video_seconds * pct / 100
            if offset > dwell:
                break
            tracks.append(
                (
                    offset,
                    "Video Progress",
                    {"asset_id": content.content_id, "percent_complete": pct, "video_seconds": content.video_seconds},
                )
            )
    elif content.content_type == "tool" and dwell > 45:
        if content.content_id == "c-tool-roi":
            result = f"roi_{rng.uniform(1.5, 6.0):.1f}x"
        else:
            result = f"level_{rng.randint(1, 5)}"
        tool = content.url_path.rsplit("/", 1)[-1].replace("-", "_")
        tracks.append((round(dwell * 0.8, 3), "Tool Result", {"tool": tool, "result": result}))
    return tracks


def build_pages(
    rng: random.Random,
    world: World,
    entry: Entry,
    start: float,
    stage: str,
    engagement: float,
    forced: tuple[Content, ...] = (),
    bounce: bool = False,
) -> list[PageVisit]:
    """The pages of one visit: the landing page, some browsing, then the forced pages (e.g. /demo)."""
    if bounce:
        return [PageVisit(start, entry.landing, entry.query, entry.referrer, round(rng.uniform(3, 12), 3))]
    contents = [entry.landing]
    for _ in range(min(6, int(rng.expovariate(1 / (0.6 + 2.0 * engagement))))):
        contents.append(pick_content(rng, world, stage))
    contents.extend(forced)
    pages: list[PageVisit] = []
    at = start
    for n, content in enumerate(contents):
        dwell = _dwell(rng, content, engagement)
        first = n == 0
        pages.append(
            PageVisit(
                at,
                content,
                entry.query if first else "",
                entry.referrer if first else SITE + "/",
                dwell,
                _page_tracks(rng, content, dwell),
            )
        )
        at += dwell + rng.uniform(0.5, 4.0)
    # the referrer of a later page is the page before it
    for before, page in zip(pages, pages[1:], strict=False):
        page.referrer = before.url
    return pages


def ad_click_row(rng: random.Random, entry: Entry, clicked_at: float) -> dict:
    campaign = entry.ad
    assert campaign is not None and entry.click_id is not None
    return {
        "click_id": entry.click_id,
        "click_id_type": campaign.click_id_type,
        "platform": campaign.platform,
        "campaign_id": campaign.campaign_id,
        "campaign_name": campaign.name,
        "ad_group": campaign.name.split("-")[0],
        "ad_id": f"ad-{campaign.campaign_id}-{rng.randint(1, 4)}",
        "landing_page_url": SITE + entry.landing.url_path + "?" + entry.query,
        "clicked_at": clicked_at,
    }
