{% snapshot snap_products %}

{{
    config(
        unique_key='product_id',
        strategy='check',
        check_cols=['list_price', 'is_active'],
        tags=['dim_product'],
    )
}}

select product_id, sku, product_name, category_code, list_price, is_active
from {{ source('bronze', 'products') }}

{% endsnapshot %}
