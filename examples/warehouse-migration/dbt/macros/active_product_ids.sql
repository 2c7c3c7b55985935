{#
    Subquery of the product ids that are sellable today. The product master is fixed here, so every
    model calling this macro depends on mas_products without saying so.
#}
{% macro active_product_ids() -%}
    (select product_id from {{ ref('mas_products') }} where is_active)
{%- endmacro %}
