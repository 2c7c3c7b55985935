{{ config(tags=['dim_product']) }}

select
    product_id,
    sku,
    product_name,
    category_code,
    cast(list_price as decimal(10, 2))      as list_price,
    cast(is_active as boolean)              as is_active
from {{ source('bronze', 'products') }}
