-- depends_on: {{ ref('product_categories') }}
{{ config(tags=['dim_product']) }}

{#- The category seed is only looked up at execution time, so dbt needs the hint above. -#}
{%- if execute %}
    {%- set categories = ref('product_categories') %}
{%- endif %}

select
    p.product_id,
    p.sku,
    p.product_name,
    p.product_line,
    p.category_code,
    c.category_name,
    c.category_group,
    p.list_price,
    p.is_active
from {{ ref('acme_warehouse', 'mas_products') }} as p
left join {{ categories }} as c
    on c.category_code = p.category_code
