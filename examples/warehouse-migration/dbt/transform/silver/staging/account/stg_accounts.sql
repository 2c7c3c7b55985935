-- dim_account: tagged by folder in dbt_project.yml

select
    account_id,
    cast(user_id as varchar)                as user_id,
    account_type,
    currency,
    cast(opened_at as date)                 as opened_at,
    status
from {{ source('bronze', 'accounts') }}
