{{ config(tags=['dim_product']) }}

-- Daily sales per product, sellable products only.
select
    d.date_day,
    t.product_id,
    p.product_name,
    p.category_name,
    count(*)                                    as transaction_count,
    sum(t.quantity)                             as units_sold,
    sum(t.amount)                               as gross_amount
from {{ ref('f_transactions') }} as t
join {{ ref('d_date') }} as d
    on d.date_day = t.transaction_date
join {{ ref('d_product') }} as p
    on p.product_id = t.product_id
where t.product_id in {{ active_product_ids() }}
group by all
