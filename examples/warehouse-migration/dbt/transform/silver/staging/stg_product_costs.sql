{{ config(tags=['dim_product']) }}

-- Unit cost history; valid_to is derived so that consumers can join on a date range.
select
    product_id,
    cast(valid_from as date)                as valid_from,
    coalesce(
        lead(cast(valid_from as date)) over (partition by product_id order by valid_from),
        date '9999-12-31'
    )                                       as valid_to,
    cast(unit_cost as decimal(10, 2))       as unit_cost
from {{ source('bronze', 'product_costs') }}
