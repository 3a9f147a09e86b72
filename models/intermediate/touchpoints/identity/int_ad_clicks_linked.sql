-- One row per ad click that landed on the site: the ad click id appears as gclid / li_fat_id /
-- fbclid / msclkid in the landing page view's URL, which ties the click to a browser (visitor).
-- An ad click names no person: it gets a contact only through its visitor, when that visitor
-- identifies (int_visitors_stitched). When the id shows up in several page views (reloads,
-- shared links), the earliest one is the landing.

with

ad_clicks as (
    select ad_click_id
    from {{ ref('stg_ads__clicks') }}
),

page_views_with_click_id as (
    select
        event_id,
        anonymous_id,
        click_id,
        occurred_at
    from {{ ref('stg_segment__events') }}
    where event_type = 'page'
        and click_id is not null
        and anonymous_id is not null
),

landings_ranked as (
    select
        ad_clicks.ad_click_id,
        page_views_with_click_id.anonymous_id as visitor_id,
        page_views_with_click_id.event_id as landing_event_id,
        page_views_with_click_id.occurred_at as landed_at,
        row_number() over (
            partition by ad_clicks.ad_click_id
            order by page_views_with_click_id.occurred_at, page_views_with_click_id.event_id
        ) as landing_rank
    from ad_clicks
    inner join page_views_with_click_id
        on ad_clicks.ad_click_id = page_views_with_click_id.click_id
),

final as (
    select
        ad_click_id,
        visitor_id,
        landing_event_id,
        landed_at
    from landings_ranked
    where landing_rank = 1
)

select * from final
