-- dim_account (folder tag). Needs the customer master of dim_user, which is migrated.

select
    a.account_id,
    a.user_id,
    u.email                                     as owner_email,
    u.country_code                              as owner_country_code,
    a.account_type,
    a.currency,
    a.opened_at,
    a.status,
    a.status = 'open'                           as is_open
from {{ ref('stg_accounts') }} as a
left join {{ ref('mas_users') }} as u
    on u.user_id = a.user_id
