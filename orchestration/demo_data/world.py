"""The demo world: accounts, contacts, content catalog and campaigns, all drawn from one seed.

Every time is a UTC epoch in seconds (float). The story ends at a fixed reference time, never
at today's date, so the same seed always tells the same story.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime

DAY = 86_400.0
WINDOW_START_AT = datetime(2026, 3, 1, tzinfo=UTC).timestamp()
REFERENCE_AT = datetime(2026, 10, 31, 23, 0, tzinfo=UTC).timestamp()  # the story ends here
SITE = "https://www.example.com"
HEARTBEAT_SECONDS = 15
FREE_MAIL_DOMAINS = ("gmail.com", "yahoo.com", "outlook.com", "hotmail.com")
REPS = ("maria.rossi@example.com", "james.okafor@example.com", "lena.berg@example.com", "tom.chen@example.com")

_NAME_HEADS = (
    "Acme",
    "Blue",
    "North",
    "Bright",
    "Iron",
    "Silver",
    "Cedar",
    "Nova",
    "Atlas",
    "Summit",
    "Harbor",
    "Orbit",
    "Maple",
    "Quartz",
    "Falcon",
    "Pioneer",
    "Vertex",
    "Lumen",
    "Crest",
    "Granite",
    "Willow",
    "Polar",
    "Ember",
    "Delta",
    "Horizon",
    "Cobalt",
    "Sparrow",
    "Redwood",
    "Beacon",
    "Meridian",
)
_NAME_TAILS = (
    "works",
    "labs",
    "soft",
    "data",
    "logic",
    "cloud",
    "systems",
    "metrics",
    "stack",
    "grid",
    "point",
    "ware",
    "flow",
    "scale",
    "bridge",
    "forge",
    "wave",
    "sense",
    "line",
    "base",
    "hub",
    "path",
    "mint",
    "core",
    "loop",
)
_TLDS = (".com", ".io", ".co", ".de", ".com", ".ai")
_INDUSTRIES = ("Software", "Financial Services", "Manufacturing", "Healthcare", "Retail", "Logistics", "Education")
_COUNTRIES = (("US", -300), ("US", -420), ("GB", 0), ("DE", 60), ("FR", 60), ("NL", 60), ("CA", -300), ("IN", 330))
_FIRST = (
    "Ana",
    "Li",
    "Marco",
    "Sofia",
    "David",
    "Priya",
    "Jonas",
    "Emma",
    "Noah",
    "Mia",
    "Lucas",
    "Aisha",
    "Omar",
    "Hana",
    "Peter",
    "Julia",
    "Carlos",
    "Ingrid",
    "Ravi",
    "Chloe",
    "Ben",
    "Zoe",
    "Felix",
    "Nora",
    "Sam",
    "Yuki",
)
_LAST = (
    "Lopez",
    "Wei",
    "Rossi",
    "Novak",
    "Miller",
    "Sharma",
    "Schmidt",
    "Dubois",
    "Kim",
    "Jensen",
    "Silva",
    "Khan",
    "Haddad",
    "Sato",
    "Brown",
    "Meyer",
    "Garcia",
    "Larsen",
    "Patel",
    "Martin",
    "Cohen",
    "Nowak",
    "Berg",
    "Ito",
)
_TITLES = (
    "VP Marketing",
    "Head of Demand Generation",
    "Marketing Operations Manager",
    "CMO",
    "Revenue Operations Lead",
    "Data Analyst",
    "Director of Sales",
    "CFO",
    "Growth Marketer",
    "IT Security Manager",
)
USER_AGENTS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:131.0) Gecko/20100101 Firefox/131.0",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148",
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/129.0 Safari/537.36",
)


@dataclass
class Contact:
    contact_id: str | None  # None: the person is not in the CRM
    account_id: str
    email: str
    first_name: str
    last_name: str
    title: str
    engagement: float
    cookies: list[str]
    tz_offset: int  # minutes east of UTC, used for the offsets in web timestamps
    has_heartbeat: bool
    user_agent: str
    created_at: float | None = None  # CRM CreatedDate, decided by the journey
    lead_source: str = "Web"
    is_subscribed: bool = True


@dataclass
class Account:
    account_id: str
    name: str
    domain: str
    industry: str
    employees: int
    country: str
    tz_offset: int
    created_at: float
    engagement: float  # latent 0..1: how interested the account is
    rep_email: str
    contacts: list[Contact] = field(default_factory=list)


@dataclass(frozen=True)
class Content:
    content_id: str
    url_path: str
    title: str
    content_type: str
    topic: str
    word_count: int | None = None
    video_seconds: float | None = None
    expected_seconds: float | None = None

    @property
    def reading_seconds(self) -> float:
        """What an attentive visitor spends on the page (explicit, else video length, else 4 words/s)."""
        if self.expected_seconds:
            return self.expected_seconds
        if self.video_seconds:
            return self.video_seconds
        return max(20.0, (self.word_count or 300) / 4.0)


@dataclass(frozen=True)
class AdCampaign:
    campaign_id: str
    name: str
    platform: str
    channel: str
    click_id_type: str
    utm_source: str
    utm_medium: str
    landing_path: str
    cpc: float
    ctr: float


@dataclass(frozen=True)
class EmailCampaign:
    campaign_id: str
    name: str
    subject: str
    sent_at: float
    landing_path: str
    utm_source: str


@dataclass(frozen=True)
class Webinar:
    webinar_id: str
    name: str
    start_at: float
    length_minutes: int
    path: str


@dataclass
class World:
    seed: int
    accounts: list[Account]
    outsiders: list[Contact]  # people who are in no CRM account
    content: list[Content]
    ad_campaigns: list[AdCampaign]
    email_campaigns: list[EmailCampaign]
    webinars: list[Webinar]

    by_type: dict[str, list[Content]] = field(default_factory=dict)
    by_path: dict[str, Content] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for item in self.content:
            self.by_type.setdefault(item.content_type, []).append(item)
            self.by_path[item.url_path] = item

    def content_by_type(self, content_type: str) -> list[Content]:
        return self.by_type[content_type]

    def content_at(self, path: str) -> Content:
        return self.by_path[path]


def _slug_title(slug: str) -> str:
    return slug.replace("-", " ").capitalize()


def build_content() -> list[Content]:
    """The content catalog (58 pages and assets); fixed, so the url paths never change."""
    items = [
        Content("c-home", "/", "Example - touchpoint analytics", "homepage", "general", 350, None, 30),
        Content("c-product", "/product", "Platform overview", "product", "product", 1100),
        Content("c-pricing", "/pricing", "Pricing", "pricing", "buying", 700, None, 120),
        Content("c-demo", "/demo", "Book a demo", "demo", "buying", 150, None, 60),
        Content("c-security", "/security", "Security and compliance", "security", "buying", 1800),
        Content("c-tool-roi", "/tools/roi-calculator", "ROI calculator", "tool", "buying", None, None, 240),
        Content(
            "c-tool-assessment",
            "/tools/maturity-assessment",
            "Attribution maturity assessment",
            "tool",
            "measurement",
            None,
            None,
            300,
        ),
    ]
    groups = (
        ("product", "/product", ("attribution", "journeys", "integrations", "data-quality"), 900, 1400),
        ("comparison", "/compare", ("spreadsheet-attribution", "legacy-bi", "ga4-vs-warehouse"), 1300, 1900),
        (
            "blog",
            "/blog",
            (
                "what-is-multi-touch-attribution",
                "first-touch-vs-last-touch",
                "b2b-buyer-journeys",
                "utm-hygiene",
                "dark-funnel",
                "marketing-mix-basics",
                "account-based-measurement",
                "engaged-time-explained",
                "crm-data-quality",
                "linkedin-ads-for-b2b",
                "webinar-playbook",
                "content-scoring",
                "pipeline-velocity",
                "email-tracking-limits",
                "sales-and-marketing-alignment",
                "attribution-myths",
            ),
            900,
            2200,
        ),
        (
            "how_to_guide",
            "/guides",
            (
                "set-up-utm-tracking",
                "connect-your-crm",
                "build-a-journey-dashboard",
                "measure-content-roi",
                "clean-lead-sources",
                "track-offline-touchpoints",
            ),
            1800,
            3500,
        ),
        (
            "report",
            "/reports",
            ("state-of-b2b-2026", "attribution-benchmarks", "cmo-survey-2026", "pipeline-report-q2"),
            3000,
            5000,
        ),
        (
            "whitepaper",
            "/whitepapers",
            (
                "account-based-measurement",
                "data-driven-attribution",
                "privacy-first-tracking",
                "revenue-operations-guide",
            ),
            2500,
            4500,
        ),
        (
            "case_study",
            "/customers",
            (
                "northwind-logistics",
                "globex-finance",
                "initech-software",
                "umbrella-health",
                "stark-manufacturing",
                "wayne-retail",
            ),
            1000,
            1600,
        ),
    )
    rng = random.Random("content-catalog")  # independent of the demo seed: the catalog is the site
    for content_type, prefix, slugs, low, high in groups:
        for n, slug in enumerate(slugs, start=1):
            words = rng.randrange(low, high, 10)
            items.append(
                Content(
                    f"c-{content_type}-{n}",
                    f"{prefix}/{slug}",
                    _slug_title(slug),
                    content_type,
                    slug.split("-")[0],
                    words,
                )
            )
    for n, (slug, seconds) in enumerate(
        (
            ("product-tour", 180),
            ("customer-story-globex", 240),
            ("attribution-in-5-minutes", 300),
            ("journey-builder-walkthrough", 600),
            ("cfo-panel", 900),
        ),
        start=1,
    ):
        items.append(Content(f"c-video-{n}", f"/videos/{slug}", _slug_title(slug), "video", "product", None, seconds))
    for n, slug in enumerate(("attribution-without-guesswork", "journeys-that-convert", "measuring-abm"), start=1):
        items.append(
            Content(f"c-webinar-{n}", f"/webinars/{slug}", _slug_title(slug), "webinar", "events", None, 3600.0)
        )
    return items


def build_ad_campaigns() -> list[AdCampaign]:
    return [
        AdCampaign("g-101", "brand-search", "google_ads", "paid_search", "gclid", "google", "cpc", "/", 2.1, 0.08),
        AdCampaign(
            "g-102",
            "attribution-software",
            "google_ads",
            "paid_search",
            "gclid",
            "google",
            "cpc",
            "/product/attribution",
            6.5,
            0.03,
        ),
        AdCampaign(
            "g-103",
            "state-of-b2b-report",
            "google_ads",
            "paid_search",
            "gclid",
            "google",
            "cpc",
            "/reports/state-of-b2b-2026",
            4.2,
            0.035,
        ),
        AdCampaign(
            "li-201",
            "abm-decision-makers",
            "linkedin_ads",
            "paid_social",
            "li_fat_id",
            "linkedin",
            "paid_social",
            "/whitepapers/account-based-measurement",
            9.8,
            0.006,
        ),
        AdCampaign(
            "li-202",
            "webinar-promo",
            "linkedin_ads",
            "paid_social",
            "li_fat_id",
            "linkedin",
            "paid_social",
            "/webinars/attribution-without-guesswork",
            8.4,
            0.005,
        ),
        AdCampaign(
            "fb-301",
            "retargeting-case-studies",
            "meta_ads",
            "paid_social",
            "fbclid",
            "facebook",
            "paid_social",
            "/customers/globex-finance",
            1.6,
            0.009,
        ),
        AdCampaign("ms-401", "brand-search-bing", "bing_ads", "paid_search", "msclkid", "bing", "cpc", "/", 1.4, 0.06),
        AdCampaign(
            "dv-501",
            "display-awareness",
            "display",
            "display",
            "other",
            "programmatic",
            "display",
            "/blog/dark-funnel",
            0.7,
            0.002,
        ),
    ]


def build_email_campaigns(rng: random.Random) -> list[EmailCampaign]:
    campaigns = []
    month_names = ("March", "April", "May", "June", "July", "August", "September", "October")
    for n, month in enumerate(month_names):
        sent = datetime(2026, 3 + n, 7, 8, 0, tzinfo=UTC).timestamp() + rng.randrange(0, 3) * DAY
        campaigns.append(
            EmailCampaign(
                f"em-c-{n + 1:02d}",
                f"{month} newsletter",
                f"{month}: what moved pipeline",
                sent,
                "/blog/"
                + (
                    "attribution-myths",
                    "dark-funnel",
                    "utm-hygiene",
                    "content-scoring",
                    "pipeline-velocity",
                    "b2b-buyer-journeys",
                    "crm-data-quality",
                    "engaged-time-explained",
                )[n],
                "newsletter",
            )
        )
    extra = (
        (
            "em-c-20",
            "Report launch: State of B2B 2026",
            "The 2026 state of B2B is here",
            (3, 24),
            "/reports/state-of-b2b-2026",
        ),
        (
            "em-c-21",
            "Webinar invite: attribution without guesswork",
            "Join us live",
            (4, 14),
            "/webinars/attribution-without-guesswork",
        ),
        ("em-c-22", "Nurture: ROI calculator", "What is your attribution worth?", (5, 20), "/tools/roi-calculator"),
        ("em-c-23", "Customer stories", "How Globex found its best channel", (6, 17), "/customers/globex-finance"),
        (
            "em-c-24",
            "Webinar invite: journeys that convert",
            "Save your seat",
            (7, 15),
            "/webinars/journeys-that-convert",
        ),
        ("em-c-25", "Product launch: journey builder", "Meet the journey builder", (9, 9), "/product/journeys"),
    )
    for campaign_id, name, subject, (month, day), path in extra:
        sent = datetime(2026, month, day, 14, 0, tzinfo=UTC).timestamp()
        campaigns.append(EmailCampaign(campaign_id, name, subject, sent, path, "nurture"))
    return sorted(campaigns, key=lambda c: (c.sent_at, c.campaign_id))


def build_webinars() -> list[Webinar]:
    return [
        Webinar(
            "web-1",
            "Attribution without the guesswork",
            datetime(2026, 4, 28, 16, tzinfo=UTC).timestamp(),
            60,
            "/webinars/attribution-without-guesswork",
        ),
        Webinar(
            "web-2",
            "Journeys that convert",
            datetime(2026, 7, 29, 16, tzinfo=UTC).timestamp(),
            45,
            "/webinars/journeys-that-convert",
        ),
        Webinar(
            "web-3", "Measuring ABM", datetime(2026, 10, 6, 15, tzinfo=UTC).timestamp(), 60, "/webinars/measuring-abm"
        ),
    ]


def _cookie(rng: random.Random) -> str:
    return "anon-" + f"{rng.getrandbits(128):032x}"


def _person(rng: random.Random, account: Account, n: int, domain: str | None) -> Contact:
    first, last = rng.choice(_FIRST), rng.choice(_LAST)
    if domain is None:  # a free-mail address: nothing ties it to the company domain
        local = f"{first}.{last}{rng.randrange(10, 99)}".lower()
        domain = rng.choice(FREE_MAIL_DOMAINS)
    else:
        local = f"{first}.{last}".lower() if n % 3 else f"{first[0]}{last}".lower()
    engagement = min(1.0, account.engagement * rng.uniform(0.4, 1.4))
    cookies = [_cookie(rng) for _ in range(1 if rng.random() < 0.75 else 2)]
    return Contact(
        contact_id=None,
        account_id=account.account_id,
        email=f"{local}@{domain}",
        first_name=first,
        last_name=last,
        title=rng.choice(_TITLES),
        engagement=engagement,
        cookies=cookies,
        tz_offset=account.tz_offset,
        has_heartbeat=rng.random() < 0.85,
        user_agent=rng.choice(USER_AGENTS),
    )


def build_accounts(rng: random.Random, count: int) -> tuple[list[Account], list[Contact]]:
    accounts: list[Account] = []
    seen_domains: set[str] = set()
    pairs = [(h, t) for h in _NAME_HEADS for t in _NAME_TAILS]
    rng.shuffle(pairs)
    contact_number = 0
    for i in range(count):
        head, tail = pairs[i % len(pairs)]
        name = head + tail if i < len(pairs) else f"{head}{tail} {i // len(pairs) + 1}"
        domain = (head + tail).lower() + rng.choice(_TLDS)
        while domain in seen_domains:
            domain = f"{(head + tail).lower()}{rng.randrange(2, 999)}{rng.choice(_TLDS)}"
        seen_domains.add(domain)
        country, offset = rng.choice(_COUNTRIES)
        account = Account(
            account_id=f"001A{i + 1:06d}",
            name=name.capitalize() if i < len(pairs) else name,
            domain=domain,
            industry=rng.choice(_INDUSTRIES),
            employees=int(rng.lognormvariate(5.5, 1.1)) + 10,
            country=country,
            tz_offset=offset,
            created_at=WINDOW_START_AT - rng.uniform(30, 900) * DAY,
            engagement=rng.betavariate(1.6, 2.6),
            rep_email=REPS[i % len(REPS)],
        )
        for n in range(rng.randint(2, 6)):
            person = _person(rng, account, n, None if rng.random() < 0.1 else domain)
            if rng.random() < 0.95:  # a few people never make it into the CRM
                contact_number += 1
                person.contact_id = f"003A{contact_number:06d}"
            account.contacts.append(person)
        accounts.append(account)
    # outsiders: students, consultants, competitors - free mail, no account
    outsiders = []
    for n in range(max(3, count // 20)):
        host = accounts[n % len(accounts)]
        person = _person(rng, host, n, None)
        person.account_id = ""
        person.engagement = rng.uniform(0.05, 0.4)
        outsiders.append(person)
    return accounts, outsiders


def build_world(seed: int, accounts: int) -> World:
    rng = random.Random(f"{seed}:world")
    account_list, outsiders = build_accounts(rng, accounts)
    return World(
        seed=seed,
        accounts=account_list,
        outsiders=outsiders,
        content=build_content(),
        ad_campaigns=build_ad_campaigns(),
        email_campaigns=build_email_campaigns(rng),
        webinars=build_webinars(),
    )
