{{ config(tags=['dim_user']) }}

select
    cast(l.login_at as date)                    as login_date,
    l.user_id,
    u.region,
    count(*)                                    as logins,
    count(*) filter (where l.channel = 'app')   as app_logins
from {{ ref ( 'stg_user_logins' ) }} as l
join {{ ref('mas_users') }} as u
    on u.user_id = l.user_id
group by all
