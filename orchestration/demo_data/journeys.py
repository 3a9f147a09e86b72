"""The story of each account: visits, forms, e-mails, meetings, documents, calls and the deal.

Engaged accounts visit more, ask for demos more often and win more often; deals where the
buyers read a case study between the demo and the proposal win more often still, so that the
journey and sequence models have a real pattern to find.
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from dataclasses import dataclass, field

from orchestration.demo_data.sessions import Entry, Session, ad_click_row, build_pages, make_entry
from orchestration.demo_data.world import DAY, REFERENCE_AT, SITE, WINDOW_START_AT, Account, Contact, Content, World

STAGES = ("Qualification", "Discovery", "Proposal", "Negotiation")


@dataclass
class Visit:
    """A planned website visit of a known person."""

    at: float
    entry: Entry
    stage: str
    forced: tuple[Content, ...] = ()
    form: str | None = None  # form_type submitted on the last page
    asset: Content | None = None  # the gated asset of a content_gate form
    bounce: bool = False
    cookie: int = 0


@dataclass
class Story:
    """Everything the journeys produced: rows per source (times as epoch floats) and known visits."""

    rows: dict[str, list[dict]] = field(default_factory=lambda: defaultdict(list))
    sessions: list[Session] = field(default_factory=list)
    counters: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def next_id(self, prefix: str, width: int = 6) -> str:
        self.counters[prefix] += 1
        return f"{prefix}{self.counters[prefix]:0{width}d}"


def _poisson(rng: random.Random, mean: float) -> int:
    # Knuth's method; means here are small
    limit, k, p = math.exp(-mean), 0, rng.random()
    while p > limit:
        k += 1
        p *= rng.random()
    return k


def _stage_at(at: float, first_at: float, engagement: float) -> str:
    progress = (at - first_at) / max(DAY, REFERENCE_AT - first_at) * (0.5 + engagement)
    return "early" if progress < 0.35 else "mid" if progress < 0.75 else "late"


def plan_marketing_visits(rng: random.Random, world: World, person: Contact) -> list[Visit]:
    """Self-directed browsing over weeks or months, with the odd gated download or newsletter sign-up."""
    e = person.engagement
    if rng.random() > 0.25 + 0.7 * e:
        return []
    first_at = rng.uniform(WINDOW_START_AT, REFERENCE_AT - 30 * DAY)
    count = 1 + _poisson(rng, 1.0 + 10.0 * e)
    times = sorted(rng.uniform(first_at, REFERENCE_AT - 3 * 3600) for _ in range(count - 1))
    visits = []
    for at in [first_at, *times]:
        stage = _stage_at(at, first_at, e)
        visits.append(
            Visit(
                at,
                make_entry(rng, world, stage),
                stage,
                bounce=rng.random() < 0.15,
                cookie=rng.randrange(len(person.cookies)),
            )
        )
    candidates = [v for v in visits if not v.bounce]
    if candidates and rng.random() < 0.2 + 0.4 * e:
        visit = rng.choice(candidates)
        visit.asset = rng.choice(world.content_by_type(rng.choice(("report", "whitepaper"))))
        visit.forced, visit.form = (visit.asset,), "content_gate"
    for form_type, chance, path in (
        ("newsletter", 0.12, "/blog/attribution-myths"),
        ("contact", 0.04, "/pricing"),
        ("assessment", 0.08, "/tools/maturity-assessment"),
    ):
        free = [v for v in candidates if v.form is None]
        if free and rng.random() < chance:
            visit = rng.choice(free)
            visit.forced, visit.form = (world.content_at(path),), form_type
    return visits


def plan_emails(rng: random.Random, world: World, person: Contact, story: Story) -> list[Visit]:
    """E-mail activity for a CRM contact; each click opens a visit whose URL carries mkt_tok."""
    visits: list[Visit] = []
    rows = story.rows["email_events"]
    open_chance = 0.15 + 0.4 * person.engagement
    for campaign in world.email_campaigns:
        if not person.is_subscribed or person.created_at is None or campaign.sent_at < person.created_at:
            continue
        if campaign.utm_source == "nurture" and rng.random() < 0.35:
            continue
        sent = campaign.sent_at + rng.uniform(0, 1800)

        def add(
            event_type: str, at: float, url: str | None = None, event_id: str | None = None, campaign=campaign
        ) -> None:
            rows.append(
                {
                    "event_id": event_id or story.next_id("em-", 7),
                    "event_type": event_type,
                    "recipient": person.email,
                    "campaign_id": campaign.campaign_id,
                    "campaign_name": campaign.name,
                    "subject": campaign.subject,
                    "url": url,
                    "timestamp": at,
                }
            )

        add("sent", sent)
        if rng.random() < 0.02:
            add("bounce", sent + rng.uniform(5, 60))
            person.is_subscribed = False  # hard bounce: no more sends
            continue
        add("delivered", sent + rng.uniform(5, 60))
        if rng.random() > open_chance:
            continue
        opened = sent + rng.expovariate(1 / (6 * 3600))
        add("open", opened)
        if rng.random() < 0.3:  # a second open (forward, mobile)
            add("open", opened + rng.expovariate(1 / (20 * 3600)))
        if rng.random() < 0.004 + 0.01 * (1 - person.engagement):
            add("unsubscribe", opened + rng.uniform(10, 120))
            person.is_subscribed = False
            continue
        if rng.random() < 0.2 + 0.4 * person.engagement:
            clicked = opened + rng.uniform(5, 180)
            event_id = story.next_id("em-", 7)
            slug = campaign.name.lower().replace(":", "").replace(" ", "-")
            query = f"utm_source={campaign.utm_source}&utm_medium=email&utm_campaign={slug}&mkt_tok={event_id}"
            entry = Entry(
                world.content_at(campaign.landing_path),
                query,
                None,
                {"source": campaign.utm_source, "medium": "email", "name": slug},
            )
            add("click", clicked, f"{SITE}{campaign.landing_path}?{query}", event_id)
            if rng.random() < 0.9 and clicked < REFERENCE_AT - 3600:  # some clicks never reach the site
                visits.append(
                    Visit(clicked + rng.uniform(1, 4), entry, "mid", cookie=rng.randrange(len(person.cookies)))
                )
    return visits


def _finalize_visits(
    rng: random.Random, world: World, account: Account | None, person: Contact, visits: list[Visit], story: Story
) -> None:
    """Turn a person's planned visits into sessions (in time order) and form submissions."""
    identified: set[int] = set()
    for visit in sorted(visits, key=lambda v: v.at):
        if visit.at >= REFERENCE_AT - 3600:
            continue
        cookie = person.cookies[visit.cookie]
        pages = build_pages(
            rng,
            world,
            visit.entry,
            visit.at,
            visit.stage,
            person.engagement,
            visit.forced,
            visit.bounce and not visit.form,
        )
        session = Session(
            key="p" + story.next_id("", 7),
            visitor_id=cookie,
            user_id=person.email if visit.cookie in identified else None,
            pages=pages,
            campaign=visit.entry.campaign,
            tz_offset=person.tz_offset,
            user_agent=person.user_agent,
            has_heartbeat=person.has_heartbeat,
        )
        if visit.entry.ad is not None:
            session.ad_click = ad_click_row(rng, visit.entry, visit.at - rng.uniform(0.5, 3))
        if visit.form:
            page = pages[-1]
            offset = min(page.dwell * 0.6, 90.0)
            submitted = page.at + offset
            session.identify = (submitted + 0.4, person.email)
            identified.add(visit.cookie)
            if visit.asset is not None:
                page.tracks.append(
                    (
                        offset + 2.0,
                        "File Downloaded",
                        {
                            "asset_id": visit.asset.content_id,
                            "file_name": visit.asset.url_path.rsplit("/", 1)[-1] + ".pdf",
                        },
                    )
                )
            email = person.email if rng.random() > 0.1 else " " + person.email.capitalize()  # messy input
            story.rows["form_submissions"].append(
                {
                    "submission_id": story.next_id("fs-"),
                    "form_id": f"f-{visit.form.replace('_', '-')}",
                    "form_type": visit.form,
                    "email": email,
                    "first_name": person.first_name,
                    "last_name": person.last_name,
                    "company": account.name if account else None,
                    "anonymous_id": cookie,
                    "page_url": page.url,
                    "asset_id": visit.asset.content_id if visit.asset else None,
                    "submitted_at": submitted,
                    "_tz": person.tz_offset,
                }
            )
        story.sessions.append(session)


def _meeting(
    story: Story,
    account: Account,
    meeting_type: str,
    booked: float,
    start: float,
    status: str,
    attendees: list[Contact],
    title: str,
    minutes: int,
) -> None:
    story.rows["meetings"].append(
        {
            "meeting_id": story.next_id("mt-"),
            "meeting_type": meeting_type,
            "status": "booked" if start > REFERENCE_AT else status,
            "title": title,
            "booked_at": booked,
            "start_at": start,
            "duration_minutes": minutes,
            "organizer_email": account.rep_email,
            "attendee_emails": ";".join(p.email for p in attendees),
        }
    )


def _document_views(
    rng: random.Random, story: Story, doc_type: str, name: str, at: float, viewers: list[Contact], pages: int
) -> None:
    document_id = story.next_id("doc-", 5)
    for viewer in viewers:
        for _ in range(1 + _poisson(rng, 1.2)):
            viewed = at + rng.uniform(0.1, 6) * DAY
            if viewed > REFERENCE_AT:
                continue
            seen = rng.randint(1, pages)
            story.rows["document_views"].append(
                {
                    "view_id": story.next_id("dv-"),
                    "document_id": document_id,
                    "document_type": doc_type,
                    "document_name": name,
                    "viewer_email": viewer.email,
                    "viewed_at": viewed,
                    "seconds_viewed": round(seen * rng.uniform(15, 90), 1),
                    "pages_viewed": seen,
                    "total_pages": pages,
                }
            )


def _calls(
    rng: random.Random, story: Story, account: Account, people: list[Contact], start: float, end: float, count: int
) -> bool:
    """Outbound (and the odd inbound) calls; True if one of them booked a meeting."""
    booked = False
    for _ in range(count):
        at = rng.uniform(start, min(end, REFERENCE_AT - 3600))
        outcome = rng.choices(("connected", "voicemail", "no_answer", "meeting_booked"), (4, 3, 3, 1))[0]
        booked = booked or outcome == "meeting_booked"
        story.rows["calls"].append(
            {
                "call_id": story.next_id("call-"),
                "direction": "inbound" if rng.random() < 0.1 else "outbound",
                "contact_email": rng.choice(people).email,
                "started_at": at,
                "duration_seconds": round(
                    rng.uniform(120, 1500) if outcome in ("connected", "meeting_booked") else rng.uniform(5, 40), 0
                ),
                "outcome": outcome,
                "rep_email": account.rep_email,
            }
        )
    return booked


def plan_deal(
    rng: random.Random,
    world: World,
    account: Account,
    people: list[Contact],
    visits: dict[int, list[Visit]],
    story: Story,
) -> None:
    """Demo, sales meetings, documents and the opportunity with its stage history."""
    e = account.engagement
    champion = max(people, key=lambda p: (p.engagement, p.email))
    colleagues = [p for p in people if p is not champion]
    meeting_at = None
    demo_attended = False
    if rng.random() < 0.08 + 0.6 * e * e + 0.1 * e:
        asked = rng.uniform(WINDOW_START_AT + 25 * DAY, REFERENCE_AT - 15 * DAY)
        entry = make_entry(rng, world, "late", rng.choice(("direct", "organic_search", "paid", "sales_sequence")))
        visits[id(champion)].append(
            Visit(asked, entry, "late", (world.content_at("/pricing"), world.content_at("/demo")), "demo_request")
        )
        start = asked + rng.uniform(2, 9) * DAY
        status = rng.choices(("attended", "no_show", "cancelled"), (78, 12, 10))[0]
        attendees = [champion] + rng.sample(colleagues, min(len(colleagues), rng.randint(0, 2)))
        _meeting(
            story,
            account,
            "demo",
            asked + rng.uniform(1, 20) * 3600,
            start,
            status,
            attendees,
            f"{account.name} x Example demo",
            rng.choice((30, 45, 60)),
        )
        if status == "attended" and start < REFERENCE_AT:
            meeting_at, demo_attended = start, True
    elif e > 0.3 and rng.random() < 0.5:
        first = rng.uniform(WINDOW_START_AT, REFERENCE_AT - 40 * DAY)
        if _calls(rng, story, account, people, first, first + 20 * DAY, rng.randint(2, 5)):
            start = first + rng.uniform(21, 30) * DAY
            attended = rng.random() < 0.8
            _meeting(
                story,
                account,
                "consultation",
                first + 20 * DAY,
                start,
                "attended" if attended else "no_show",
                [champion],
                f"{account.name} discovery call",
                30,
            )
            if attended and start < REFERENCE_AT:
                meeting_at = start
    if meeting_at is None:
        return
    if rng.random() > 0.85:
        return
    created = meeting_at + rng.uniform(1, 4) * DAY
    if created > REFERENCE_AT:
        return
    opportunity_id = story.next_id("006A")
    amount = float(min(250_000, round((15_000 + account.employees * rng.uniform(20, 60)) / 500) * 500))
    times = [created]
    for low, high in ((7, 18), (10, 25), (7, 20), (5, 25)):
        times.append(times[-1] + rng.uniform(low, high) * DAY)
    # between discovery and proposal the buyers may read case studies - the winning pattern
    read_case_study = rng.random() < 0.2 + 0.6 * e
    if read_case_study:
        for reader in [champion] + colleagues[:1]:
            at = rng.uniform(times[1], times[2])
            story_case = rng.choice(world.content_by_type("case_study"))
            visits[id(reader)].append(Visit(at, Entry(story_case, "", None), "late"))
        if rng.random() < 0.5:
            _document_views(rng, story, "case_study", "Customer story: " + story_case.title, times[1], [champion], 6)
    won = rng.random() < min(0.85, 0.1 + 0.3 * e + 0.3 * read_case_study + 0.15 * demo_attended)
    last_stage = 4 if won else rng.choice((1, 2, 2, 3))
    outcome = "Closed Won" if won else "Closed Lost"
    stage_times = [(STAGES[i], times[i]) for i in range(last_stage)] + [(outcome, times[last_stage])]
    if last_stage >= 2:
        _document_views(
            rng, story, "proposal", f"{account.name} proposal v1", times[2], [champion, *colleagues[:2]], 12
        )
        _document_views(rng, story, "pricing", f"{account.name} pricing", times[2], [champion], 3)
    if last_stage >= 3:
        _document_views(rng, story, "security", "Security questionnaire", times[3], colleagues[-1:] or [champion], 20)
        _document_views(rng, story, "contract", f"{account.name} order form", times[3], [champion], 8)
    _calls(rng, story, account, people, created, times[last_stage], 1 + _poisson(rng, 2 + 3 * e))
    history = [(stage, at) for stage, at in stage_times if at <= REFERENCE_AT]
    close_date = times[last_stage]
    current_amount = amount
    for stage, at in history:
        if stage == "Proposal":
            current_amount = float(round(amount * rng.uniform(0.85, 1.15) / 500) * 500)
        story.rows["crm_opportunity_history"].append(
            {
                "Id": story.next_id("008A"),
                "OpportunityId": opportunity_id,
                "StageName": stage,
                "Amount": current_amount,
                "CloseDate": close_date,
                "CreatedDate": at,
            }
        )
    final_stage = history[-1][0]
    story.rows["crm_opportunities"].append(
        {
            "Id": opportunity_id,
            "AccountId": account.account_id,
            "Name": f"{account.name} - Platform",
            "StageName": final_stage,
            "Amount": current_amount,
            "CreatedDate": created,
            "CloseDate": close_date,
            "IsClosed": final_stage.startswith("Closed"),
            "IsWon": final_stage == "Closed Won",
            "ContactId": champion.contact_id,
            "LeadSource": champion.lead_source,
            "IsDeleted": False,
        }
    )


def plan_webinars(rng: random.Random, world: World, person: Contact, story: Story) -> None:
    for webinar in world.webinars:
        if rng.random() > 0.04 + 0.25 * person.engagement:
            continue
        registered = webinar.start_at - rng.uniform(1, 20) * DAY
        if registered > REFERENCE_AT:
            continue
        attended = webinar.start_at < REFERENCE_AT and rng.random() < 0.55
        joined = webinar.start_at + rng.uniform(-2, 8) * 60 if attended else None
        minutes = round(rng.uniform(5, webinar.length_minutes), 1) if attended else None
        story.rows["webinar_attendance"].append(
            {
                "attendance_id": story.next_id("wa-"),
                "webinar_id": webinar.webinar_id,
                "webinar_name": webinar.name,
                "email": person.email,
                "status": "attended" if attended else "registered",
                "registered_at": registered,
                "joined_at": joined,
                "minutes_attended": minutes,
                "webinar_length_minutes": webinar.length_minutes,
            }
        )


def plan_account(world: World, account: Account, story: Story) -> None:
    rng = random.Random(f"{world.seed}:account:{account.account_id}")
    visits: dict[int, list[Visit]] = {}
    for person in account.contacts:
        visits[id(person)] = plan_marketing_visits(rng, world, person)
        first_form = min((v.at for v in visits[id(person)] if v.form), default=None)
        if first_form is not None and rng.random() < 0.7:
            person.created_at, person.lead_source = first_form + rng.uniform(300, 7200), "Web"
        else:
            person.created_at = rng.uniform(account.created_at, WINDOW_START_AT)
            person.lead_source = rng.choice(("Outbound", "Event", "Partner", "Web", "Webinar"))
    plan_deal(rng, world, account, account.contacts, visits, story)
    for person in account.contacts:
        if person.contact_id is not None:
            visits[id(person)].extend(plan_emails(rng, world, person, story))
        plan_webinars(rng, world, person, story)
        if rng.random() < 0.04:  # met at the field summit booth
            start = world.webinars[1].start_at - 40 * DAY + rng.uniform(0, 2) * 3600
            _meeting(
                story, account, "event", start - 3 * DAY, start, "attended", [person], "Field Summit booth meeting", 20
            )
        _finalize_visits(rng, world, account, person, visits[id(person)], story)
        if person.contact_id is not None:
            story.rows["crm_contacts"].append(
                {
                    "Id": person.contact_id,
                    "AccountId": account.account_id,
                    "Email": person.email,
                    "FirstName": person.first_name,
                    "LastName": person.last_name,
                    "Title": person.title,
                    "LeadSource": person.lead_source,
                    "CreatedDate": person.created_at,
                    "IsDeleted": False,
                }
            )


def plan_outsider(world: World, person: Contact, story: Story) -> None:
    rng = random.Random(f"{world.seed}:outsider:{person.email}")
    visits = plan_marketing_visits(rng, world, person)
    plan_webinars(rng, world, person, story)
    _finalize_visits(rng, world, None, person, visits, story)


def tell_story(world: World) -> Story:
    story = Story()
    for account in world.accounts:
        plan_account(world, account, story)
    for person in world.outsiders:
        plan_outsider(world, person, story)
    story.sessions.sort(key=lambda s: (s.start, s.key))
    return story
