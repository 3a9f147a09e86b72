-- A visitor is never two contacts at the same instant: no two identity mappings of one visitor
-- overlap (valid_to_at is exclusive; null means open-ended).
select
    earlier.visitor_id,
    earlier.identity_mapping_id,
    later.identity_mapping_id as overlapping_mapping_id
from {{ ref('int_visitors_stitched') }} as earlier
inner join {{ ref('int_visitors_stitched') }} as later
    on earlier.visitor_id = later.visitor_id
    and earlier.identity_mapping_id <> later.identity_mapping_id
    and earlier.valid_from_at <= later.valid_from_at
    and (earlier.valid_to_at is null or earlier.valid_to_at > later.valid_from_at)
