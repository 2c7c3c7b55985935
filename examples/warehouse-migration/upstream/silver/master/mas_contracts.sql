{{ config(tags=['dim_contract']) }}

-- Contract master (dim_contract). Not migrated yet in dbt/: copy this file to
-- dbt/transform/silver/master/mas_contracts.sql to simulate dim_contract landing.
with contracts as (
    {{ union_relations_by_name([('stg_contracts', 'direct'), ('stg_contracts_broker', 'broker')], source_column='sales_channel') }}
)

select
    contract_id,
    user_id,
    account_id,
    product_id,
    sales_channel,
    broker_code,
    start_date,
    end_date,
    monthly_fee,
    status,
    commission_pct,
    end_date is null or end_date >= current_date    as is_active
from contracts
