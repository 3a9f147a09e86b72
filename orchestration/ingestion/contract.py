"""The landing-folder contract: which sources we accept and the columns of each.

This module is the single source of truth for the export formats. The ingestion code validates
against it, the demo generator writes to it, and docs/data_contract.md describes it.

Column names are the export's own names (Segment's ``messageId``, Salesforce's ``AccountId``).
Nested JSON objects are flattened with dots (``context.page.url``). In the raw layer every
column is stored under its *raw name*: dots become underscores and camelCase becomes
snake_case (``context.page.url`` -> ``context_page_url``, ``AccountId`` -> ``account_id``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# Logical column types understood by the validator.
STRING = "string"
TIMESTAMP = "timestamp"  # any ISO-8601 form; an offset is converted to UTC, none means UTC
DATE = "date"  # YYYY-MM-DD
INTEGER = "integer"
NUMBER = "number"
BOOLEAN = "boolean"  # true/false, 1/0, yes/no (any case)
EMAIL = "email"  # trimmed and lower-cased; must contain one @ and a dot after it
JSON = "json"  # an object (JSON lines / Parquet struct) or its JSON text (CSV)

DUCKDB_TYPES = {
    STRING: "VARCHAR",
    TIMESTAMP: "TIMESTAMP",
    DATE: "DATE",
    INTEGER: "BIGINT",
    NUMBER: "DOUBLE",
    BOOLEAN: "BOOLEAN",
    EMAIL: "VARCHAR",
    JSON: "VARCHAR",
}

# Lineage columns added to every raw table by the loader.
LINEAGE_COLUMNS = {
    "_file_name": "VARCHAR",
    "_file_hash": "VARCHAR",
    "_row_number": "BIGINT",  # 1-based data row in the file (header not counted)
    "_loaded_at": "TIMESTAMP",
}

FILE_EXTENSIONS = (".csv", ".jsonl", ".ndjson", ".json", ".parquet")


def raw_name(export_name: str) -> str:
    """Raw-layer column name for an export column name."""
    name = export_name.replace(".", "_").replace("-", "_").replace(" ", "_")
    name = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name)
    return re.sub(r"_+", "_", name).lower()


@dataclass(frozen=True)
class Column:
    name: str  # the export's column name
    type: str = STRING
    required: bool = False
    accepted_values: tuple[str, ...] = ()  # compared lower-cased; empty = any value
    description: str = ""
    # reference data: a value outside accepted_values is kept (lower-cased) and counted as a
    # warning in the run summary instead of quarantining the whole row
    keeps_unknown_values: bool = False
    # plausibility (see plausibility.py): numbers below minimum are quarantined; a timestamp may be
    # at most future_days ahead of the load (None: the configured default margin)
    minimum: float | None = None
    future_days: float | None = None

    @property
    def raw_name(self) -> str:
        return raw_name(self.name)


@dataclass(frozen=True)
class Source:
    name: str  # also the file-name prefix and the raw table name
    system: str  # the dbt source (staging folder) it belongs to
    description: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]  # export column names
    loaded_at_field: str = "_loaded_at"
    # at least one of these columns must be present in a row (e.g. anonymousId or userId)
    one_of_required: tuple[str, ...] = ()
    example: dict = field(default_factory=dict)
    notes: tuple[str, ...] = ()  # how the warehouse reads the source, printed under its columns

    @property
    def table(self) -> str:
        return self.name

    def column(self, name: str) -> Column:
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(name)


def _c(
    name: str,
    type_: str = STRING,
    required: bool = False,
    values: tuple[str, ...] = (),
    doc: str = "",
    keep_unknown: bool = False,
    minimum: float | None = None,
    future_days: float | None = None,
) -> Column:
    return Column(
        name=name,
        type=type_,
        required=required,
        accepted_values=values,
        description=doc,
        keeps_unknown_values=keep_unknown,
        minimum=minimum,
        future_days=future_days,
    )


WEB_EVENTS = Source(
    name="web_events",
    system="segment",
    description="Segment-spec web events (page, track, identify), as a Segment warehouse or S3 export.",
    columns=(
        _c("messageId", required=True, doc="Segment message id, unique per event."),
        _c("type", required=True, values=("page", "track", "identify"), doc="Segment call type."),
        _c("event", doc="Track event name: 'Page Heartbeat', 'File Downloaded', 'Video Progress', 'Tool Result', ..."),
        _c("anonymousId", doc="Cookie id of the browser."),
        _c("userId", doc="Known user id (we use the contact's e-mail or CRM contact id)."),
        _c("traits.email", EMAIL, doc="E-mail sent with identify calls."),
        _c("timestamp", TIMESTAMP, required=True, doc="When the event happened (any offset, stored as UTC)."),
        _c("context.page.url", doc="Full URL including query string (utm_*, gclid, li_fat_id, mkt_tok)."),
        _c("context.page.path", doc="URL path, e.g. /pricing."),
        _c("context.page.referrer", doc="Referring URL."),
        _c("context.page.title"),
        _c("context.campaign.source", doc="utm_source."),
        _c("context.campaign.medium", doc="utm_medium."),
        _c("context.campaign.name", doc="utm_campaign."),
        _c("context.campaign.content", doc="utm_content."),
        _c("context.campaign.term", doc="utm_term."),
        _c("context.userAgent"),
        _c(
            "properties",
            JSON,
            doc="Event properties: Page Heartbeat {interval_seconds, page_view_id (optional)}; "
            "File Downloaded {asset_id, file_name}; "
            "Video Progress {asset_id, percent_complete, video_seconds}; Tool Result {tool, result}.",
        ),
    ),
    primary_key=("messageId",),
    one_of_required=("anonymousId", "userId"),
    notes=(
        "**Heartbeats.** A page that is open and active sends a `track` event named `Page Heartbeat`"
        " (dbt var `tp_heartbeat_event_name`) every few seconds. It must carry the page it reports in"
        " `context.page.path` (or `context.page.url`) and should carry `properties.interval_seconds`,"
        " the seconds between its heartbeats (else dbt var `tp_heartbeat_interval_seconds`, 15), and,"
        " when the tracker has one, `properties.page_view_id`: the `messageId` of the page call it"
        " belongs to (or the `page_view_id` that page call carries in its own properties).",
        "**Which page view a heartbeat belongs to** (`int_heartbeats_assigned`): the most recent page"
        " view of the same session at or before it that it names by `page_view_id`, else (no id) whose"
        " path equals its path, so two pages opened in the same second (parallel tabs) keep their own"
        " heartbeats. A heartbeat that matches no page view is counted in the run summary and not used.",
        "**Engaged time of a page view** (`int_page_views_engaged_time`). With heartbeats: the seconds"
        " from the page event to its last heartbeat, plus the seconds from that heartbeat to the next"
        " page view of the session, at most one interval (the last heartbeat's `interval_seconds`);"
        " nothing is added when no page view follows, since the visitor may have left right after the"
        " heartbeat. So a 10-second visit with one heartbeat at 10 s is 10 s: a `bounce` (under dbt var"
        " `tp_bounce_seconds`, 15). Without heartbeats: the seconds to the next page view of the session"
        " (else to the last other track event on the page), at most dbt var `tp_engaged_time_cap_seconds`"
        " (600), or at most one heartbeat interval when the session sends heartbeats (the page was left"
        " before its first heartbeat); the last page of a session with nothing after it: 0 s.",
    ),
    example={
        "messageId": "msg-000001",
        "type": "page",
        "event": None,
        "anonymousId": "anon-9f2c",
        "userId": None,
        "traits": {"email": None},
        "timestamp": "2026-03-04T09:15:02.120+01:00",
        "context": {
            "page": {
                "url": "https://www.example.com/reports/state-of-b2b?utm_source=google&utm_medium=cpc&gclid=Cj0K1",
                "path": "/reports/state-of-b2b",
                "referrer": "https://www.google.com/",
                "title": "State of B2B 2026",
            },
            "campaign": {"source": "google", "medium": "cpc", "name": "q1-report", "content": None, "term": None},
            "userAgent": "Mozilla/5.0",
        },
        "properties": {},
    },
)

EMAIL_EVENTS = Source(
    name="email_events",
    system="email",
    description="E-mail activity from the marketing automation tool (one row per event).",
    columns=(
        _c(
            "event_id",
            required=True,
            doc="Unique id of the e-mail event; clicks carry it as mkt_tok in the landing URL.",
        ),
        _c("event_type", required=True, values=("sent", "delivered", "open", "click", "bounce", "unsubscribe")),
        _c("recipient", EMAIL, required=True, doc="Recipient e-mail."),
        _c("campaign_id", doc="E-mail campaign id."),
        _c("campaign_name"),
        _c("subject"),
        _c("url", doc="Clicked URL (click events only)."),
        _c("timestamp", TIMESTAMP, required=True),
    ),
    primary_key=("event_id",),
    example={
        "event_id": "em-000001",
        "event_type": "click",
        "recipient": "Ana.Lopez@acme.io ",
        "campaign_id": "em-c-07",
        "campaign_name": "March newsletter",
        "subject": "The 2026 state of B2B",
        "url": "https://www.example.com/blog/attribution?utm_source=newsletter&utm_medium=email&mkt_tok=em-000001",
        "timestamp": "2026-03-04T08:01:00Z",
    },
)

AD_CLICKS = Source(
    name="ad_clicks",
    system="ads",
    description="Ad clicks from the ad platforms' click reports.",
    columns=(
        _c(
            "click_id",
            required=True,
            doc="Platform click id (gclid, li_fat_id, fbclid, msclkid); appears in the landing URL.",
        ),
        _c("click_id_type", values=("gclid", "li_fat_id", "fbclid", "msclkid", "other")),
        _c("platform", required=True, values=("google_ads", "linkedin_ads", "meta_ads", "bing_ads", "display")),
        _c("campaign_id"),
        _c("campaign_name"),
        _c("ad_group"),
        _c("ad_id"),
        _c("landing_page_url"),
        _c("clicked_at", TIMESTAMP, required=True),
    ),
    primary_key=("click_id",),
    example={
        "click_id": "Cj0K1",
        "click_id_type": "gclid",
        "platform": "google_ads",
        "campaign_id": "g-101",
        "campaign_name": "q1-report",
        "ad_group": "reports",
        "ad_id": "ad-55",
        "landing_page_url": "https://www.example.com/reports/state-of-b2b?gclid=Cj0K1",
        "clicked_at": "2026-03-04T08:15:00Z",
    },
)

AD_SPEND = Source(
    name="ad_spend",
    system="ads",
    description="Daily ad spend per platform and campaign.",
    columns=(
        _c("date", DATE, required=True),
        _c("platform", required=True, values=("google_ads", "linkedin_ads", "meta_ads", "bing_ads", "display")),
        _c("campaign_id", required=True),
        _c("campaign_name"),
        _c("channel", doc="Channel the platform reports (paid_search, paid_social, display); optional."),
        _c("spend", NUMBER, minimum=0, required=True, doc="Spend in the account currency."),
        _c("impressions", INTEGER, minimum=0),
        _c("clicks", INTEGER, minimum=0),
        _c("currency"),
    ),
    primary_key=("date", "platform", "campaign_id"),
    example={
        "date": "2026-03-04",
        "platform": "google_ads",
        "campaign_id": "g-101",
        "campaign_name": "q1-report",
        "channel": "paid_search",
        "spend": 412.5,
        "impressions": 20311,
        "clicks": 233,
        "currency": "USD",
    },
)

FORM_SUBMISSIONS = Source(
    name="form_submissions",
    system="forms",
    description="Form submissions from the website forms tool.",
    columns=(
        _c("submission_id", required=True),
        _c("form_id"),
        _c("form_type", required=True, values=("contact", "demo_request", "content_gate", "assessment", "newsletter")),
        _c("email", EMAIL, required=True),
        _c("first_name"),
        _c("last_name"),
        _c("company"),
        _c("anonymous_id", doc="Tracking cookie of the submitting browser (stitches the visitor to the contact)."),
        _c("page_url"),
        _c("asset_id", doc="Gated asset (content_catalog.content_id) for content_gate forms."),
        _c("submitted_at", TIMESTAMP, required=True),
    ),
    primary_key=("submission_id",),
    example={
        "submission_id": "fs-000001",
        "form_id": "f-demo",
        "form_type": "demo_request",
        "email": "ana.lopez@acme.io",
        "first_name": "Ana",
        "last_name": "Lopez",
        "company": "Acme",
        "anonymous_id": "anon-9f2c",
        "page_url": "https://www.example.com/demo",
        "asset_id": None,
        "submitted_at": "2026-03-05T10:00:00-05:00",
    },
)

MEETINGS = Source(
    name="meetings",
    system="meetings",
    description="Meetings from the scheduling tool / calendar.",
    columns=(
        _c("meeting_id", required=True),
        _c("meeting_type", required=True, values=("demo", "consultation", "event")),
        _c("status", required=True, values=("booked", "attended", "no_show", "cancelled")),
        _c("title"),
        _c("booked_at", TIMESTAMP),
        _c(
            "start_at",
            TIMESTAMP,
            required=True,
            doc="Scheduled start (may lie up to a year ahead: meetings are booked in advance).",
            future_days=366,
        ),
        _c("duration_minutes", INTEGER, minimum=0),
        _c("organizer_email", EMAIL, doc="Our side."),
        _c("attendee_emails", doc="Prospect attendees, separated by ';'."),
    ),
    primary_key=("meeting_id",),
    example={
        "meeting_id": "mt-0001",
        "meeting_type": "demo",
        "status": "attended",
        "title": "Acme x Example demo",
        "booked_at": "2026-03-05T10:02:00Z",
        "start_at": "2026-03-09T15:00:00Z",
        "duration_minutes": 45,
        "organizer_email": "rep@example.com",
        "attendee_emails": "ana.lopez@acme.io;li.wei@acme.io",
    },
)

DOCUMENT_VIEWS = Source(
    name="document_views",
    system="documents",
    description="Views of shared sales documents (proposal, pricing, contract, security).",
    columns=(
        _c("view_id", required=True),
        _c("document_id", required=True),
        _c(
            "document_type",
            required=True,
            values=("proposal", "pricing", "contract", "security", "case_study", "other"),
        ),
        _c("document_name"),
        _c("viewer_email", EMAIL),
        _c("viewed_at", TIMESTAMP, required=True),
        _c("seconds_viewed", NUMBER, minimum=0),
        _c("pages_viewed", INTEGER, minimum=0),
        _c("total_pages", INTEGER, minimum=0),
    ),
    primary_key=("view_id",),
    example={
        "view_id": "dv-0001",
        "document_id": "doc-17",
        "document_type": "proposal",
        "document_name": "Acme proposal v2",
        "viewer_email": "li.wei@acme.io",
        "viewed_at": "2026-03-12T16:20:00Z",
        "seconds_viewed": 610,
        "pages_viewed": 9,
        "total_pages": 12,
    },
)

WEBINAR_ATTENDANCE = Source(
    name="webinar_attendance",
    system="webinars",
    description="Webinar registrations and attendance (one row per registrant and webinar).",
    columns=(
        _c("attendance_id", required=True),
        _c("webinar_id", required=True),
        _c("webinar_name"),
        _c("email", EMAIL, required=True),
        _c("status", required=True, values=("registered", "attended")),
        _c("registered_at", TIMESTAMP),
        _c("joined_at", TIMESTAMP),
        _c("minutes_attended", NUMBER, minimum=0),
        _c("webinar_length_minutes", NUMBER, minimum=0),
    ),
    primary_key=("attendance_id",),
    example={
        "attendance_id": "wa-0001",
        "webinar_id": "web-3",
        "webinar_name": "Attribution without the guesswork",
        "email": "ana.lopez@acme.io",
        "status": "attended",
        "registered_at": "2026-02-20T12:00:00Z",
        "joined_at": "2026-03-01T17:01:00Z",
        "minutes_attended": 48,
        "webinar_length_minutes": 60,
    },
)

CALLS = Source(
    name="calls",
    system="calls",
    description="Sales calls from the dialer (offline touchpoints).",
    columns=(
        _c("call_id", required=True),
        _c("direction", required=True, values=("inbound", "outbound")),
        _c("contact_email", EMAIL),
        _c("started_at", TIMESTAMP, required=True),
        _c("duration_seconds", NUMBER, minimum=0),
        _c("outcome", values=("connected", "voicemail", "no_answer", "meeting_booked")),
        _c("rep_email", EMAIL),
    ),
    primary_key=("call_id",),
    example={
        "call_id": "call-0001",
        "direction": "outbound",
        "contact_email": "ana.lopez@acme.io",
        "started_at": "2026-03-06T14:00:00Z",
        "duration_seconds": 540,
        "outcome": "connected",
        "rep_email": "rep@example.com",
    },
)

CRM_ACCOUNTS = Source(
    name="crm_accounts",
    system="crm",
    description="Salesforce Account export.",
    columns=(
        _c("Id", required=True),
        _c("Name", required=True),
        _c("Website", doc="Company website; its domain links e-mail domains to the account."),
        _c("Industry"),
        _c("NumberOfEmployees", INTEGER, minimum=0),
        _c("BillingCountry"),
        _c("CreatedDate", TIMESTAMP, required=True),
        _c("IsDeleted", BOOLEAN),
    ),
    primary_key=("Id",),
    example={
        "Id": "001A000001",
        "Name": "Acme",
        "Website": "https://www.acme.io",
        "Industry": "Software",
        "NumberOfEmployees": 420,
        "BillingCountry": "US",
        "CreatedDate": "2025-11-02T10:00:00.000+0000",
        "IsDeleted": False,
    },
)

CRM_CONTACTS = Source(
    name="crm_contacts",
    system="crm",
    description="Salesforce Contact export.",
    columns=(
        _c("Id", required=True),
        _c("AccountId"),
        _c("Email", EMAIL),
        _c("FirstName"),
        _c("LastName"),
        _c("Title"),
        _c("LeadSource"),
        _c("CreatedDate", TIMESTAMP, required=True),
        _c("IsDeleted", BOOLEAN),
    ),
    primary_key=("Id",),
    example={
        "Id": "003A000001",
        "AccountId": "001A000001",
        "Email": "ana.lopez@acme.io",
        "FirstName": "Ana",
        "LastName": "Lopez",
        "Title": "VP Marketing",
        "LeadSource": "Web",
        "CreatedDate": "2026-03-05T15:00:00.000+0000",
        "IsDeleted": False,
    },
)

CRM_OPPORTUNITIES = Source(
    name="crm_opportunities",
    system="crm",
    description="Salesforce Opportunity export.",
    columns=(
        _c("Id", required=True),
        _c("AccountId", required=True),
        _c("Name"),
        _c("StageName", required=True),
        _c("Amount", NUMBER, minimum=0),
        _c("CreatedDate", TIMESTAMP, required=True),
        _c("CloseDate", DATE),
        _c("IsClosed", BOOLEAN),
        _c("IsWon", BOOLEAN),
        _c("ContactId", doc="Primary contact, if set."),
        _c("LeadSource"),
        _c("IsDeleted", BOOLEAN),
    ),
    primary_key=("Id",),
    example={
        "Id": "006A000001",
        "AccountId": "001A000001",
        "Name": "Acme - Platform",
        "StageName": "Closed Won",
        "Amount": 48000,
        "CreatedDate": "2026-03-10T09:00:00.000+0000",
        "CloseDate": "2026-05-28",
        "IsClosed": True,
        "IsWon": True,
        "ContactId": "003A000001",
        "LeadSource": "Web",
        "IsDeleted": False,
    },
)

CRM_OPPORTUNITY_HISTORY = Source(
    name="crm_opportunity_history",
    system="crm",
    description="Salesforce OpportunityHistory export: one row per stage or amount change.",
    columns=(
        _c("Id", required=True),
        _c("OpportunityId", required=True),
        _c("StageName", required=True),
        _c("Amount", NUMBER, minimum=0),
        _c("CloseDate", DATE),
        _c("CreatedDate", TIMESTAMP, required=True, doc="When the change happened."),
    ),
    primary_key=("Id",),
    example={
        "Id": "008A000001",
        "OpportunityId": "006A000001",
        "StageName": "Proposal",
        "Amount": 48000,
        "CloseDate": "2026-05-30",
        "CreatedDate": "2026-04-02T11:00:00.000+0000",
    },
)

CONTENT_CATALOG = Source(
    name="content_catalog",
    system="content",
    description="Content catalog: every page or asset with what is needed for its expected consumption time.",
    columns=(
        _c("content_id", required=True),
        _c("url_path", required=True, doc="Path the asset is served at, e.g. /reports/state-of-b2b."),
        _c("title"),
        _c(
            "content_type",
            required=True,
            values=(
                "homepage",
                "blog",
                "report",
                "case_study",
                "pricing",
                "comparison",
                "whitepaper",
                "video",
                "tool",
                "how_to_guide",
                "product",
                "security",
                "webinar",
                "demo",
                "other",
            ),
            doc="Another value loads as it is (lower-cased), with a warning in the run summary; the"
            " warehouse then treats it as `other` where it needs a type's default (seed"
            " content_type_expected_seconds).",
            keep_unknown=True,
        ),
        _c("topic"),
        _c("word_count", INTEGER, minimum=0),
        _c("video_seconds", NUMBER, minimum=0),
        _c("expected_seconds", NUMBER, minimum=0, doc="Explicit expected time; wins over word count and video length."),
    ),
    primary_key=("content_id",),
    example={
        "content_id": "c-report-1",
        "url_path": "/reports/state-of-b2b",
        "title": "State of B2B 2026",
        "content_type": "report",
        "topic": "industry",
        "word_count": 3570,
        "video_seconds": None,
        "expected_seconds": None,
    },
)

SOURCES: dict[str, Source] = {
    s.name: s
    for s in (
        WEB_EVENTS,
        EMAIL_EVENTS,
        AD_CLICKS,
        AD_SPEND,
        FORM_SUBMISSIONS,
        MEETINGS,
        DOCUMENT_VIEWS,
        WEBINAR_ATTENDANCE,
        CALLS,
        CRM_ACCOUNTS,
        CRM_CONTACTS,
        CRM_OPPORTUNITIES,
        CRM_OPPORTUNITY_HISTORY,
        CONTENT_CATALOG,
    )
}


def source_for_file(file_name: str) -> Source | None:
    """The source a landing file belongs to: the longest source name its file name starts with.

    ``web_events_2026-03.jsonl.gz`` -> web_events; ``crm_opportunity_history.csv`` ->
    crm_opportunity_history. The name must continue with '.', '_' or '-' after the prefix.
    """
    lowered = file_name.lower()
    for name in sorted(SOURCES, key=len, reverse=True):
        if lowered.startswith(name) and (len(lowered) == len(name) or lowered[len(name)] in "._-"):
            return SOURCES[name]
    return None
