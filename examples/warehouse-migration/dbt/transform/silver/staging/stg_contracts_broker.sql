{{ config(tags=['dim_contract']) }}

-- Broker contracts. The broker feed was the last contract feed to land (BRK_CONTRACTS).
select
    contract_id,
    cast(user_id as varchar)                as user_id,
    account_id,
    product_id,
    broker_code,
    cast(start_date as date)                as start_date,
    cast(end_date as date)                  as end_date,
    cast(monthly_fee as decimal(10, 2))     as monthly_fee,
    status,
    cast(commission_pct as decimal(5, 2))   as commission_pct
from {{ source('bronze', 'contracts_broker') }}
