{{ config(tags=['dim_product']) }}

select
    product_id,
    sku,
    product_name,
    category_code,
    split_part(sku, '-', 1)                     as product_line,
    list_price,
    is_active
from {{ ref('stg_products') }}
