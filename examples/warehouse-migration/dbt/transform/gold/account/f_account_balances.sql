-- dim_account (folder tag). Billed amount per open account, all time and last 30 days of data.

with tx as (
    select account_id, transaction_at, amount
    from {{ ref('f_transactions') }}
),

latest as (
    select max(transaction_at) as as_of from tx
)

select
    a.account_id,
    a.user_id,
    a.currency,
    coalesce(sum(tx.amount), 0)                 as billed_total,
    coalesce(sum(tx.amount) filter (where tx.transaction_at >= latest.as_of - interval 30 day), 0) as billed_last_30d,
    count(tx.account_id)                        as transaction_count
from {{ ref('mas_accounts') }} as a
cross join latest
left join tx
    on tx.account_id = a.account_id
where a.is_open
group by all
