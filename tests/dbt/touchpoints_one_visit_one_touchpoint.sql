-- A click and its landing page view are one visit: they name each other in
-- linked_interaction_id, the landing page view is never a touchpoint on its own, and the pair
-- is a touchpoint at most once. Returns the interactions that break this.

with

interactions as (
    select
        interaction_id,
        interaction_type,
        linked_interaction_id,
        is_touchpoint
    from {{ ref('fct_interactions') }}
),

final as (
    select
        interactions.interaction_id,
        linked.interaction_id is null as is_link_dangling,
        coalesce(linked.linked_interaction_id <> interactions.interaction_id, false) as is_link_one_sided,
        interactions.interaction_type = 'page_view' and interactions.is_touchpoint as is_landing_counted
    from interactions
    left join interactions as linked
        on interactions.linked_interaction_id = linked.interaction_id
    where interactions.linked_interaction_id is not null
        and (
            linked.interaction_id is null
            or linked.linked_interaction_id is null
            or linked.linked_interaction_id <> interactions.interaction_id
            or (interactions.interaction_type = 'page_view' and interactions.is_touchpoint)
        )
)

select * from final
