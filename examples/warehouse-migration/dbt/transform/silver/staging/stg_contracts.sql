{{ config(tags=['dim_contract']) }}

-- Directly sold contracts. Legacy job: LOAD_CONTRACTS.ktr
select
    contract_id,
    cast(user_id as varchar)                as user_id,
    account_id,
    product_id,
    cast(null as varchar)                   as broker_code,
    cast(start_date as date)                as start_date,
    cast(end_date as date)                  as end_date,
    cast(monthly_fee as decimal(10, 2))     as monthly_fee,
    status
from {{ source('bronze', 'contracts') }}
