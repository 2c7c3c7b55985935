{{ config(tags=['dim_contract']) }}

-- Contract starts per month and sales channel, straight from the two staging feeds.
with starts as (
{% for feed in [ref('stg_contracts'), ref('stg_contracts_broker')] %}
    select
        date_trunc('month', start_date)         as start_month,
        case when broker_code is null then 'direct' else 'broker' end as sales_channel,
        monthly_fee
    from {{ feed }}
    {% if not loop.last %}union all{% endif %}
{% endfor %}
)

select
    start_month,
    sales_channel,
    count(*)                                    as contracts_started,
    sum(monthly_fee)                            as monthly_fee_started
from starts
group by all
