{{ config(tags=['dim_product'], event_time='transaction_at') }}

select
    transaction_id,
    account_id,
    product_id,
    cast(transaction_at as timestamp)       as transaction_at,
    cast(quantity as integer)               as quantity,
    cast(amount as decimal(12, 2))          as amount,
    currency
from {{ source('bronze', 'transactions') }}
