{{
    config(
        tags=['dim_product'],
        materialized='incremental',
        incremental_strategy='microbatch',
        event_time='transaction_at',
        begin='2026-10-01',
        batch_size='day',
        lookback=1,
    )
}}

-- Billed transactions, processed one day at a time so that late days can be backfilled alone.
select
    transaction_id,
    account_id,
    product_id,
    transaction_at,
    cast(transaction_at as date)                as transaction_date,
    quantity,
    amount,
    currency
from {{ ref('stg_transactions') }}
